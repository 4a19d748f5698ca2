/**
 * Time travel by EVENT: the cursor is an index into the world's event log (`world.events()`).
 *
 * State exists per TICK (both hosts step in lock step), so the hosts shown for the cursor are the
 * state after the cursor event's tick: `seek(event.tick + 1)`. Several events can share a tick;
 * stepping between them moves the cursor (the log highlight) without moving the hosts. Cursor -1 is
 * "before the first event" (tick 0). `null` means live: the current event is the last one before
 * the committed tick.
 *
 * Stepping forward past the frontier runs the simulation until the next event exists. Every
 * navigation pauses playback and is queued, so rapid key presses apply in order.
 */
import { eventTickAt, firstEventAt, type EventSeq, type SimEvent } from '../sim/events'
import { hitBreakpoint, isPhaseEvent, type Breakpoint, describeBreakpoint } from './breakpointSlice'
import { selectReady } from './selectors'
import type { AppState, SliceCreator } from './types'

export interface StopInfo {
  readonly reason: 'breakpoint' | 'end'
  readonly breakpoint: Breakpoint | null
  /** Index of the event the run stopped on (null at the end with no event). */
  readonly eventIndex: number | null
  readonly event: SimEvent | null
  /** Plain-text explanation shown in the UI. */
  readonly text: string
}

export interface TimelineSlice {
  /** Event index of the cursor; -1 before the first event; null = live (follows the tick). */
  cursor: number | null
  /** Navigation requests not finished yet (the test API's waitForIdle waits for 0). */
  navPending: number
  /** The tick the last navigation put the hosts at (null before any). */
  navTarget: number | null
  /** Why the last "run until" stopped; cleared by the next navigation. */
  stop: StopInfo | null
  /** The keyboard-shortcut help sheet is open. */
  helpOpen: boolean
  setHelpOpen(open: boolean): void
  stepEvent(delta: number): Promise<void>
  stepToEvent(index: number): Promise<void>
  seekTick(tick: number): Promise<void>
  stepPhase(dir: 1 | -1): Promise<void>
  runToEnd(): Promise<void>
  /** Runs forward until an event hits one of `bps` (default: the store's breakpoints). */
  runUntil(bps?: readonly Breakpoint[]): Promise<StopInfo>
  /** Called when a breakpoint is hit while playing (see useBreakpointWatcher). */
  stopAt(index: number, bp: Breakpoint): Promise<void>
}

/** Largest index with `tick < t` (the last event reflected in the state after `t` ticks), or -1. */
export function lastEventBefore(events: EventSeq, t: number): number {
  return firstEventAt(events, t) - 1
}

/** The tick whose state shows event `index` (-1: tick 0). */
export function tickOfCursor(events: EventSeq, index: number): number {
  return index < 0 || index >= events.length ? 0 : eventTickAt(events, index) + 1
}

/** The current event: the cursor when it still matches the hosts' tick, else the last one before it. */
export function currentEventIndex(
  s: Pick<AppState, 'cursor' | 'world'>,
  tick = s.world.frame().tick,
): number {
  const events = s.world.events()
  const c = s.cursor
  if (c !== null && c < events.length && tickOfCursor(events, c) === tick) return c
  return lastEventBefore(events, tick)
}

export const createTimelineSlice: SliceCreator<TimelineSlice> = (set, get) => {
  let queue: Promise<unknown> = Promise.resolve()

  const duration = () => get().scenario?.durationTicks ?? 0

  /** Runs `op` after the previous navigation, counting it as pending. */
  function enqueue<T>(op: () => Promise<T>): Promise<T> {
    set({ navPending: get().navPending + 1 })
    const p = queue.then(op)
    queue = p.catch(() => undefined)
    return p.finally(() => set({ navPending: get().navPending - 1 }))
  }

  async function seekTo(tick: number): Promise<void> {
    const t = Math.max(0, Math.min(Math.floor(tick), duration()))
    set({ navTarget: t })
    if (get().world.frame().tick !== t) await get().world.seek(t)
  }

  /** Runs forward past the frontier until `pred` holds for an event at or after `from`. */
  async function findForward(from: number, pred: (ev: SimEvent) => boolean): Promise<number> {
    const world = get().world
    let i = Math.max(0, from)
    let chunk = 256
    for (;;) {
      const events = world.events()
      for (; i < events.length; i++) if (pred(events.at(i) as SimEvent)) return i
      const frontier = world.frontier()
      if (frontier >= duration()) return -1
      const to = Math.min(frontier + chunk, duration())
      set({ navTarget: to })
      await world.seek(to)
      chunk = Math.min(chunk * 2, 65_536)
    }
  }

  function pauseFirst(): boolean {
    const s = get()
    if (!selectReady(s)) return false
    if (s.running) s.pause()
    return true
  }

  async function goToEvent(index: number): Promise<void> {
    const events = get().world.events()
    if (index < 0) {
      await seekTo(0)
      set({ cursor: -1 })
      return
    }
    await seekTo(tickOfCursor(events, index))
    set({ cursor: index })
  }

  /** Makes event `index` known (runs forward if needed); returns the index clamped to the log. */
  async function ensureEvent(index: number): Promise<number> {
    if (index < get().world.events().length) return index
    const found = await findForward(index, () => true)
    return found < 0 ? get().world.events().length - 1 : index
  }

  return {
    cursor: null,
    navPending: 0,
    navTarget: null,
    stop: null,
    helpOpen: false,
    setHelpOpen: (helpOpen) => set({ helpOpen }),

    stepEvent(delta) {
      return enqueue(async () => {
        if (!pauseFirst()) return
        set({ stop: null })
        const cur = currentEventIndex(get())
        const want = Math.max(-1, cur + Math.trunc(delta))
        await goToEvent(want < 0 ? -1 : await ensureEvent(want))
      })
    },

    stepToEvent(index) {
      return enqueue(async () => {
        if (!pauseFirst()) return
        set({ stop: null })
        const want = Math.max(-1, Math.floor(index))
        await goToEvent(want < 0 ? -1 : await ensureEvent(want))
      })
    },

    seekTick(tick) {
      return enqueue(async () => {
        if (!pauseFirst()) return
        set({ stop: null })
        await seekTo(tick)
        set({ cursor: null })
      })
    },

    stepPhase(dir) {
      return enqueue(async () => {
        if (!pauseFirst()) return
        set({ stop: null })
        const cur = currentEventIndex(get())
        if (dir > 0) {
          const found = await findForward(cur + 1, isPhaseEvent)
          if (found >= 0) await goToEvent(found)
          else {
            await seekTo(duration())
            set({ cursor: null })
          }
          return
        }
        const events = get().world.events()
        let i = cur - 1
        while (i >= 0 && !isPhaseEvent(events.at(i) as SimEvent)) i--
        await goToEvent(i)
      })
    },

    runToEnd() {
      return enqueue(async () => {
        if (!pauseFirst()) return
        set({ stop: null })
        await seekTo(duration())
        set({ cursor: null })
      })
    },

    runUntil(bps) {
      return enqueue(async (): Promise<StopInfo> => {
        const list = bps ?? get().breakpoints
        if (!pauseFirst()) throw new Error('no scenario is ready')
        set({ stop: null })
        const from = currentEventIndex(get()) + 1
        const found =
          list.length === 0 ? -1 : await findForward(from, (ev) => !!hitBreakpoint(list, ev))
        let stop: StopInfo
        if (found >= 0) {
          await goToEvent(found)
          const ev = get().world.events().at(found) as SimEvent
          const bp = hitBreakpoint(list, ev) as Breakpoint
          stop = {
            reason: 'breakpoint',
            breakpoint: bp,
            eventIndex: found,
            event: ev,
            text: `Stopped on breakpoint "${describeBreakpoint(bp)}" at event #${found} (${ev.kind}, tick ${ev.tick}).`,
          }
        } else {
          await seekTo(duration())
          set({ cursor: null })
          stop = {
            reason: 'end',
            breakpoint: null,
            eventIndex: null,
            event: null,
            text:
              list.length === 0
                ? 'No breakpoint set: ran to the end of the run.'
                : `No breakpoint was hit: ran to the end of the run (tick ${duration()}).`,
          }
        }
        set({ stop })
        return stop
      })
    },

    stopAt(index, bp) {
      return enqueue(async () => {
        if (!pauseFirst()) return
        const ev = get().world.events().at(index)
        if (!ev) return
        await goToEvent(index)
        set({
          stop: {
            reason: 'breakpoint',
            breakpoint: bp,
            eventIndex: index,
            event: ev,
            text: `Stopped on breakpoint "${describeBreakpoint(bp)}" at event #${index} (${ev.kind}, tick ${ev.tick}).`,
          },
        })
      })
    },
  }
}
