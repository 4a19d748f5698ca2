/**
 * The UI gate: while the simulation plays, the views that follow the tick or the event log hear
 * about changes at most every PLAYING_UI_MS; while paused or stepping they hear about every change
 * at once (but for PAUSE_DRAIN_MS after a pause, when they catch up phase by phase). Live readouts
 * (the tick counter, the scrubber cursor, the network lane) do not go through React: they draw on
 * alternate frames while playing, every frame while paused.
 *
 * While playing, one flush is spread over animation frames: every gated view has a phase
 * (<GatePhase> in storeContext.tsx, one per panel) and the phases with listeners are told one per
 * panel frame (every other frame; the frames between carry the live readouts: frameLoop.ts
 * `isLiveFrame`), in order, so each frame lays out and paints at most one panel or the live
 * readouts instead of all of them in one heavy frame. A phase's React render runs in a task of its
 * own just before its panel frame (posted from the live frame), not in the frame's callbacks: the
 * frame's task then holds only the browser's rendering of it. Every view updates once per PLAYING_UI_MS
 * or once per round of phases, whichever is longer (10 phases: a third of a second); the phases of
 * EVERY_NTH_FLUSH less often.
 */
import { isLiveFrame, onFrame } from '../viz/frameLoop'

export const PLAYING_UI_MS = 250

/**
 * For this long after the gate last saw the run playing, the views catch up with a pause the way
 * they follow a playing run, one phase per panel frame, rather than all at once: told at once, the
 * Pause click of a 65,536-page run rendered every panel in its own task and the next frame drew
 * them all (27.6 and 34 ms of CPU on the 2-core machine, either of which could pass 50 ms of wall
 * time). A round of phases takes about a third of a second; later changes while paused (a step)
 * are told at once.
 */
export const PAUSE_DRAIN_MS = 1000

/**
 * The gate phase of each panel (views outside any <GatePhase> are in phase 0). A round takes one
 * panel frame (two animation frames) per phase in use.
 */
export const PHASE = {
  timeline: 0,
  /** The migration view's frame and its controls (small), with the timeline. */
  migration: 0,
  /** Both host panels: a few words of state and the legends' counts each. */
  hostA: 1,
  hostB: 1,
  link: 2,
  migSequence: 4,
  migIndex: 5,
  migNetwork: 6,
  streams: 9,
  eventLog: 10,
  inspector: 11,
  /** The followed event log's upper rows (EventLog.tsx OlderTailRows): a frame of their own. */
  eventLogOlder: 12,
  /** The migration pump's host queries and report (MigrationPump). */
  pump: 7,
  /**
   * The charts redraw once a second (every fourth flush), one per frame: each shares the phase of a
   * panel that is cheap to update (the STREAMS view has nothing to show in a migration scenario).
   */
  chartFaults: 11,
  chartLatency: 7,
  chartTransfer: 9,
  chartProgress: 4,
} as const

/**
 * Phases told only every n-th flush while playing. The event log's rows are all new text at each
 * update (it follows tens of thousands of events a second at full speed, unreadable as they pass):
 * its frame was the heaviest of a round, so it follows at half the rate; paused, at once.
 */
const EVERY_NTH_FLUSH: Readonly<Record<number, number>> = {
  [PHASE.eventLog]: 2,
  [PHASE.eventLogOlder]: 2,
}

interface Watchable {
  subscribe(listener: () => void): () => void
}

export class UiGate {
  /** Listeners by phase. */
  private readonly phases: Set<() => void>[] = []
  /** Phases a flush still has to tell (while playing, one per animation frame). */
  private readonly pending = new Set<number>()
  private readonly subscribers = new Map<number, (listener: () => void) => () => void>()
  private readonly watched = new WeakSet<Watchable>()
  private last = -Infinity
  private timer: ReturnType<typeof setTimeout> | undefined
  /** Unregisters the gate from the frame loop (set while phases or deferred updates are pending). */
  private stopFrames: (() => void) | null = null
  /** Updates that arrived between panel frames (answers from the hosts), for the next one. */
  private readonly late: (() => void)[] = []
  /** The phase told last (round robin). */
  private told = -1
  /** Flushes while playing (for EVERY_NTH_FLUSH). */
  private flushes = 0
  /** A panel task is posted and has not run yet. */
  private taskPosted = false
  /** performance.now() when the gate last saw the run playing. */
  private playingSeenAt = -Infinity
  /**
   * Posts `panelTask` as a task of its own, after the current one (and after the rendering of the
   * frame it is posted from). A message channel, not setTimeout: no clamping, no timer throttling.
   */
  private readonly taskChannel = new MessageChannel()
  private readonly running: () => boolean
  /** Tells the hosts the page is busy (World.pageBusy): they give way until the task is over. */
  private readonly pageBusy: () => void

  constructor(running: () => boolean, pageBusy: () => void = () => {}) {
    this.running = running
    this.pageBusy = pageBusy
    this.taskChannel.port1.onmessage = this.panelTask
    // Node (tests): an idle port must not keep the process alive.
    ;(this.taskChannel.port1 as unknown as { unref?: () => void }).unref?.()
  }

  /** A watched store changed: tell the listeners now, or at the next slot while playing. */
  readonly changed = (): void => {
    if (!this.running()) {
      if (this.justPaused()) this.catchUp()
      else this.flushAll()
      return
    }
    this.playingSeenAt = performance.now()
    if (this.timer !== undefined) return
    const wait = PLAYING_UI_MS - (performance.now() - this.last)
    if (wait <= 0) this.flush()
    else this.timer = setTimeout(this.flush, wait)
  }

  /**
   * An update that comes on its own schedule (a host's answer to an inspection): while playing it
   * runs in the next panel task, in place of that task's phase, so it is drawn in a panel frame that
   * carries no other panel's update and no live readouts; paused, at once. `update` must render
   * synchronously (useGatedState wraps it in flushSync) to be drawn in that frame.
   */
  defer(update: () => void): void {
    if (!this.running() && !this.justPaused()) {
      update()
      return
    }
    this.late.push(update)
    if (!this.stopFrames) this.stopFrames = onFrame(this.next)
  }

  private runLate(): void {
    for (const update of this.late.splice(0)) update()
  }

  /** Paused: every phase at once (views follow each step immediately). */
  private flushAll(): void {
    this.clearTimer()
    this.stopFrameLoop()
    this.runLate()
    this.pending.clear()
    this.told = -1
    this.last = performance.now()
    for (const set of this.phases) if (set) for (const l of set) l()
  }

  /** Just paused: every phase once more (EVERY_NTH_FLUSH too), one per panel frame. */
  private catchUp(): void {
    this.clearTimer()
    this.last = performance.now()
    for (let p = 0; p < this.phases.length; p++) if (this.phases[p]?.size) this.pending.add(p)
    if (this.pending.size && !this.stopFrames) this.stopFrames = onFrame(this.next)
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
  }

  /**
   * Playing: the phases one per animation frame, in order. A flush that comes while the previous
   * one is still going round marks every phase again and the round goes on where it is (no phase
   * is skipped however many phases there are).
   */
  private readonly flush = (): void => {
    this.clearTimer()
    this.last = performance.now()
    this.flushes++
    for (let p = 0; p < this.phases.length; p++) {
      if (this.phases[p]?.size && this.flushes % (EVERY_NTH_FLUSH[p] ?? 1) === 0)
        this.pending.add(p)
    }
    if (this.pending.size && !this.stopFrames) this.stopFrames = onFrame(this.next)
  }

  private stopFrameLoop(): void {
    this.stopFrames?.()
    this.stopFrames = null
  }

  /**
   * Frame loop callback while phases or deferred updates are pending. On each live frame it posts
   * the next panel update as a task of its own: the task runs once that frame is drawn, and the
   * panel frame after it only styles, lays out and paints what the update changed. Rendered inside
   * the panel frame's callback instead, React's render and the browser's rendering of it were one
   * task of 10-15 ms in the first second of a run, and a 2-core machine (hosts, V8's compiler
   * threads, compositor) stretched such tasks past 50 ms (render bench long tasks).
   */
  private readonly next = (_now: number, frame: number): void => {
    if (this.pausedMeanwhile() || !isLiveFrame(frame) || this.taskPosted) return
    this.taskPosted = true
    this.taskChannel.port2.postMessage(null)
  }

  /** Paused a moment ago (PAUSE_DRAIN_MS): the views are still catching up, phase by phase. */
  private justPaused(): boolean {
    return performance.now() - this.playingSeenAt < PAUSE_DRAIN_MS
  }

  /**
   * Paused since the frames or the task were asked for, and past the pause's catching up: stop
   * them and tell what is pending now.
   */
  private pausedMeanwhile(): boolean {
    if (this.running()) {
      this.playingSeenAt = performance.now()
      return false
    }
    if (this.justPaused()) return false
    this.stopFrameLoop()
    if (this.pending.size || this.late.length) this.flushAll()
    return true
  }

  /**
   * The panel update posted by `next`: the updates that came in between (host answers) if any,
   * else the next pending phase after the last one told (round robin); the rest in the following
   * tasks, one per panel frame.
   */
  private readonly panelTask = (): void => {
    this.taskPosted = false
    // Its own busy stretch: the frame's one ended with the frame (the hosts would run through it).
    this.pageBusy()
    if (this.pausedMeanwhile()) return
    if (this.late.length) {
      // This panel frame goes to the updates that came in between; the phases wait one frame.
      this.runLate()
      return
    }
    let phase = -1
    for (const p of this.pending) if (phase < 0 || this.order(p) < this.order(phase)) phase = p
    if (phase >= 0) {
      this.pending.delete(phase)
      this.told = phase
      if (markPhases) performance.mark(`uiGate:${phase}`)
      for (const l of this.phases[phase] ?? []) l()
    }
    if (!this.pending.size && !this.late.length) this.stopFrameLoop()
  }

  /** Distance of phase p after the last phase told, cyclically (1 for the very next one). */
  private order(p: number): number {
    const n = Math.max(1, this.phases.length)
    return (((p - this.told - 1) % n) + n) % n
  }

  /** For useSyncExternalStore: the subscribe function of a phase (stable identity per phase). */
  subscribeAt(phase: number): (listener: () => void) => () => void {
    let sub = this.subscribers.get(phase)
    if (!sub) {
      sub = (listener) => {
        let set = this.phases[phase]
        if (!set) this.phases[phase] = set = new Set()
        set.add(listener)
        return () => {
          set.delete(listener)
        }
      }
      this.subscribers.set(phase, sub)
    }
    return sub
  }

  /** Phase 0's subscribe (stable identity). */
  readonly subscribe = (listener: () => void): (() => void) => this.subscribeAt(0)(listener)

  /** Passes `store`'s changes through this gate (once per store; it lives as long as the page). */
  watch(store: Watchable): void {
    if (this.watched.has(store)) return
    this.watched.add(store)
    store.subscribe(this.changed)
  }
}

/** Benchmark aid (src/bench/renderBench.ts): leave a `uiGate:<phase>` user-timing mark per phase. */
let markPhases = false
export function markGatePhases(on: boolean): void {
  markPhases = on
}

const gates = new WeakMap<object, UiGate>()

/** The gate of an app store (one per store), watching that store. */
export function uiGateOf(
  store: Watchable & { getState(): { running: boolean; world: { pageBusy(): void } } },
): UiGate {
  let gate = gates.get(store)
  if (!gate) {
    gate = new UiGate(
      () => store.getState().running,
      () => store.getState().world.pageBusy(),
    )
    gate.watch(store)
    gates.set(store, gate)
  }
  return gate
}
