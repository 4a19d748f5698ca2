import { useEffect, useRef } from 'react'
import type { AppStore } from '../../store'
import { hitBreakpoint } from '../../store/breakpointSlice'
import { useAppStore, useAppStoreApi } from '../app/storeContext'
import { ExportPanel } from '../export/ExportPanel'
import { BreakpointPanel } from './BreakpointPanel'
import { Scrubber } from './Scrubber'
import './timeline.css'

/** While playing, stops on the first event that hits a breakpoint. */
function useBreakpointWatcher(store: AppStore): void {
  const world = useAppStore((s) => s.world)
  useEffect(
    () =>
      world.subscribe({
        events(batch) {
          const s = store.getState()
          if (!s.running || s.breakpoints.length === 0) return
          const base = world.events().length - batch.length
          for (let j = 0; j < batch.length; j++) {
            const ev = batch[j]
            const bp = ev && hitBreakpoint(s.breakpoints, ev)
            if (bp) {
              s.pause()
              void s.stopAt(base + j, bp)
              return
            }
          }
        },
      }),
    [world, store],
  )
}

/** The scrubber with breakpoints, share and export beside it. */
export function TimelinePanel() {
  const store = useAppStoreApi()
  const chart = useRef<SVGSVGElement | null>(null)
  useBreakpointWatcher(store)
  return (
    <section className="timeline-panel" aria-label="Timeline" data-testid="timeline">
      <Scrubber ref={chart} />
      <div className="timeline-tools">
        <BreakpointPanel />
        <ExportPanel chart={chart} />
      </div>
    </section>
  )
}
