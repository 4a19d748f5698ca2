/**
 * The UI gate: while the simulation plays, the views that follow the tick or the event log hear
 * about changes at most every PLAYING_UI_MS, all in the same task (so React renders them together,
 * once); while paused or stepping they hear about every change at once. Live drawing (canvases,
 * the tick counter, the scrubber cursor) does not go through React and stays per frame.
 */
export const PLAYING_UI_MS = 250

interface Watchable {
  subscribe(listener: () => void): () => void
}

export class UiGate {
  private readonly listeners = new Set<() => void>()
  private readonly watched = new WeakSet<Watchable>()
  private last = -Infinity
  private timer: ReturnType<typeof setTimeout> | undefined
  private readonly running: () => boolean

  constructor(running: () => boolean) {
    this.running = running
  }

  /** A watched store changed: tell the listeners now, or at the next slot while playing. */
  readonly changed = (): void => {
    if (!this.running()) {
      this.flush()
      return
    }
    if (this.timer !== undefined) return
    const wait = PLAYING_UI_MS - (performance.now() - this.last)
    if (wait <= 0) this.flush()
    else this.timer = setTimeout(this.flush, wait)
  }

  private readonly flush = (): void => {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.last = performance.now()
    for (const l of this.listeners) l()
  }

  /** For useSyncExternalStore (stable identity). */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  /** Passes `store`'s changes through this gate (once per store; it lives as long as the page). */
  watch(store: Watchable): void {
    if (this.watched.has(store)) return
    this.watched.add(store)
    store.subscribe(this.changed)
  }
}

const gates = new WeakMap<object, UiGate>()

/** The gate of an app store (one per store), watching that store. */
export function uiGateOf(store: Watchable & { getState(): { running: boolean } }): UiGate {
  let gate = gates.get(store)
  if (!gate) {
    gate = new UiGate(() => store.getState().running)
    gate.watch(store)
    gates.set(store, gate)
  }
  return gate
}
