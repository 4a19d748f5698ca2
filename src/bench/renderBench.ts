/**
 * The render benchmark page (`npm run bench:render` drives it with Playwright): the whole app, as
 * users get it, plus in-page probes: animation-frame intervals (dropped frames) and long tasks. The
 * main-thread work per frame comes from a Chrome trace the driver records around the same window;
 * `start()` and `stop()` leave user-timing marks (`renderBench:start`, `renderBench:stop`) in that
 * trace so the driver counts exactly this window.
 */
import '../main'
import { markGatePhases } from '../ui/app/uiGate'

interface Probe {
  frames: number[]
  longTasks: number[]
  running: boolean
}

const probe: Probe = { frames: [], longTasks: [], running: false }

function onFrame(t: number): void {
  if (!probe.running) return
  probe.frames.push(t)
  requestAnimationFrame(onFrame)
}

new PerformanceObserver((list) => {
  if (!probe.running) return
  for (const e of list.getEntries()) probe.longTasks.push(e.duration)
}).observe({ type: 'longtask', buffered: false })

declare global {
  interface Window {
    renderProbe?: {
      /** `marks`: also leave the UI gate's phase marks (costly under tracing; for BENCH_STAGES). */
      start(marks?: boolean): void
      stop(): { frames: number[]; longTasks: number[] }
    }
  }
}

window.renderProbe = {
  start(marks = false) {
    probe.frames = []
    probe.longTasks = []
    probe.running = true
    markGatePhases(marks)
    performance.mark('renderBench:start')
    requestAnimationFrame(onFrame)
  },
  stop() {
    probe.running = false
    markGatePhases(false)
    performance.mark('renderBench:stop')
    return { frames: probe.frames, longTasks: probe.longTasks }
  },
}
