/**
 * Shareable state: the URL of the current moment (scenario preset, seed, speed, cursor, selection)
 * and its restoration when the app opens such a URL. Parsing lives in ../app/urlParams.ts (every
 * problem becomes a visible plain-text notice); this file applies what was parsed, clamping a cursor
 * beyond the end of the run with a notice.
 */
import type { AppStore } from '../../store'
import { formatSelection } from '../../store/selectionSlice'
import { selectReady } from '../../store/selectors'
import { currentEventIndex } from '../../store/timelineSlice'
import type { UrlParams } from '../app/urlParams'

/** The URL that reopens the current moment. */
export function shareUrl(store: AppStore, base = location.href): string {
  const s = store.getState()
  const url = new URL(base)
  url.search = ''
  url.hash = ''
  const p = url.searchParams
  if (s.scenarioFile) p.set('scenario', s.scenarioFile.replace(/\.json$/, ''))
  if (s.scenario) p.set('seed', String(s.scenario.seed))
  p.set('speed', String(s.speed))
  const tick = s.world.frame().tick
  const cur = currentEventIndex(s, tick)
  // The event cursor when it shows this tick (several events may share a tick), else the tick.
  if (s.cursor !== null && cur === s.cursor && cur >= 0) p.set('ev', String(cur))
  else p.set('t', String(tick))
  if (s.selection) p.set('sel', formatSelection(s.selection))
  if (new URLSearchParams(location.search).has('test')) p.set('test', '1')
  return url.toString()
}

let resolveRestored: () => void = () => {}
/** Settles once the URL's cursor and selection were applied (or there was nothing to apply). */
export const urlRestored: Promise<void> = new Promise((r) => (resolveRestored = r))

/** Waits for the first scenario, then applies `t` / `ev` / `sel` from the URL once. */
export function restoreFromUrl(store: AppStore, params: UrlParams): void {
  if (params.tick === null && params.event === null && params.selection === null) {
    resolveRestored()
    return
  }
  const apply = async () => {
    const s = store.getState()
    const duration = s.scenario?.durationTicks ?? 0
    try {
      if (params.selection) s.select(params.selection)
      if (params.event !== null) {
        await s.stepToEvent(params.event)
        const got = store.getState().cursor ?? -1
        if (got !== params.event)
          s.notify(
            'warning',
            'url',
            `URL parameter 'ev': event ${params.event} lies beyond the end of the run (${store.getState().world.events().length} events); clamped to the last event (#${got}).`,
          )
      } else if (params.tick !== null) {
        if (params.tick > duration)
          s.notify(
            'warning',
            'url',
            `URL parameter 't': tick ${params.tick} lies beyond the end of the run (${duration} ticks); clamped to ${duration}.`,
          )
        await s.seekTick(Math.min(params.tick, duration))
      }
    } catch (e) {
      s.notify('error', 'url', `Could not restore the moment from the URL: ${(e as Error).message}`)
    } finally {
      resolveRestored()
    }
  }
  if (selectReady(store.getState())) {
    void apply()
    return
  }
  const unsubscribe = store.subscribe((st) => {
    if (!selectReady(st)) return
    unsubscribe()
    void apply()
  })
}
