/**
 * The render benchmark page (`npm run bench:render` drives it with Playwright): the whole app, as
 * users get it, plus in-page probes: animation-frame intervals (dropped frames) and long tasks. The
 * main-thread work per frame comes from a Chrome trace the driver records around the same window;
 * `start()` and `stop()` leave user-timing marks (`renderBench:start`, `renderBench:stop`) in that
 * trace so the driver counts exactly this window.
 */
import '../main'
import { markGatePhases } from '../ui/app/uiGate'
import type { ProbeResult } from './probeTypes'

interface Probe extends ProbeResult {
  running: boolean
  startedAt: number
}

const probe: Probe = { frames: [], longTasks: [], longFrames: [], running: false, startedAt: 0 }

/** The Long Animation Frames API's entry (not yet in TypeScript's DOM types). */
interface LoafScript {
  invoker: string
  sourceURL: string
  sourceFunctionName: string
  duration: number
  startTime: number
  forcedStyleAndLayoutDuration: number
}
interface LoafEntry extends PerformanceEntry {
  blockingDuration: number
  renderStart: number
  styleAndLayoutStart: number
  scripts: LoafScript[]
}

function onFrame(t: number): void {
  if (!probe.running) return
  probe.frames.push(t)
  requestAnimationFrame(onFrame)
}

new PerformanceObserver((list) => {
  if (!probe.running) return
  for (const e of list.getEntries())
    probe.longTasks.push({ atMs: e.startTime - probe.startedAt, ms: e.duration })
}).observe({ type: 'longtask', buffered: false })

if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame'))
  new PerformanceObserver((list) => {
    if (!probe.running) return
    for (const entry of list.getEntries()) {
      const e = entry as LoafEntry
      probe.longFrames.push({
        atMs: e.startTime - probe.startedAt,
        ms: e.duration,
        blockingMs: e.blockingDuration,
        toRenderMs: e.renderStart > 0 ? e.renderStart - e.startTime : e.duration,
        styleLayoutMs:
          e.styleAndLayoutStart > 0 ? e.startTime + e.duration - e.styleAndLayoutStart : 0,
        scripts: e.scripts.map((x) => ({
          what: `${x.invoker} ${x.sourceFunctionName} ${x.sourceURL.split('/').pop() ?? ''}`,
          ms: x.duration,
          layoutMs: x.forcedStyleAndLayoutDuration,
          atMs: x.startTime - probe.startedAt,
        })),
      })
    }
  }).observe({ type: 'long-animation-frame', buffered: false })

declare global {
  interface Window {
    renderProbe?: {
      /** `marks`: also leave the UI gate's phase marks (costly under tracing; for BENCH_STAGES). */
      start(marks?: boolean): void
      stop(): ProbeResult
    }
  }
}

window.renderProbe = {
  start(marks = false) {
    probe.frames = []
    probe.longTasks = []
    probe.longFrames = []
    probe.startedAt = performance.now()
    probe.running = true
    markGatePhases(marks)
    performance.mark('renderBench:start')
    requestAnimationFrame(onFrame)
  },
  stop() {
    probe.running = false
    markGatePhases(false)
    performance.mark('renderBench:stop')
    const { frames, longTasks, longFrames } = probe
    return { frames, longTasks, longFrames }
  },
}
