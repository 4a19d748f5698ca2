/**
 * The event log as the UI's list shows it: a window onto the world's log, outside React and outside
 * the zustand store. Events arrive per tick (far too often for React state); the store only samples
 * `version` at low frequency. The window keeps the list bounded on long runs (the newest
 * `capacity` events); `dropped` says how many older ones it leaves out.
 *
 * It holds no events of its own: it reads the world's log (`World.events()`, stored by columns in
 * the shared-memory runtime), which has every event already. Copying each event into a second log
 * was half the main thread's cost of taking events in.
 */
import type { EventSeq, SimEvent } from '../sim/events'

export const EVENT_LOG_CAPACITY = 200_000

export class EventLog {
  readonly capacity: number
  private source: EventSeq = []
  /** Events of the source before the window (whole tenths of the window at a time). */
  dropped = 0
  /** Bumped on every change, so samplers can tell whether to re-render. */
  version = 0

  constructor(capacity = EVENT_LOG_CAPACITY) {
    this.capacity = capacity
  }

  get length(): number {
    return Math.max(0, this.source.length - this.dropped)
  }

  /** Event `i` of the window (from a columnar log, a new object at each call). */
  at(i: number): SimEvent | undefined {
    return i >= 0 && i < this.length ? this.source.at(this.dropped + i) : undefined
  }

  /** `batch` was just appended to the source: moves the window on if it overflowed. */
  push(batch: readonly SimEvent[]): void {
    if (batch.length === 0) return
    const excess = this.length - this.capacity
    // Moves in steps of a tenth of the window, so rows keep their indexes between steps.
    if (excess > 0) this.dropped += excess + Math.floor(this.capacity / 10)
    this.version++
  }

  /** Shows `events` (the world's log, after it was replaced or cut), keeping the newest window. */
  replace(events: EventSeq): void {
    this.source = events
    this.dropped = Math.max(0, events.length - this.capacity)
    this.version++
  }

  /** Shows the source again from its start (a new run: the world's log was emptied). */
  clear(): void {
    this.dropped = Math.max(0, this.source.length - this.capacity)
    this.version++
  }
}
