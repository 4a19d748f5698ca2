/**
 * The merged event log on the main thread, outside React and outside the zustand store: events
 * arrive per tick (far too often for React state); the store only samples `version` at low frequency.
 * A rolling window keeps memory bounded on long runs; `dropped` says how many old events fell out.
 * Stored by columns (sim/eventColumns.ts): the events handed in are not kept, so they die young.
 */
import { EventColumns } from '../sim/eventColumns'
import type { EventSeq, SimEvent } from '../sim/events'

export const EVENT_LOG_CAPACITY = 200_000

export class EventLog {
  readonly capacity: number
  private readonly items = new EventColumns()
  /** Events that fell out of the window since the last clear. */
  dropped = 0
  /** Bumped on every change, so samplers can tell whether to re-render. */
  version = 0

  constructor(capacity = EVENT_LOG_CAPACITY) {
    this.capacity = capacity
  }

  get length(): number {
    return this.items.length
  }

  /** Event `i` of the window (a new object at each call). */
  at(i: number): SimEvent | undefined {
    return this.items.at(i)
  }

  push(batch: readonly SimEvent[]): void {
    if (batch.length === 0) return
    for (const ev of batch) this.items.push(ev)
    const excess = this.items.length - this.capacity
    // Trim in chunks (a tenth of the window) so a full log does not shift on every batch.
    if (excess > 0) {
      const cut = excess + Math.floor(this.capacity / 10)
      this.items.dropFront(cut)
      this.dropped += cut
    }
    this.version++
  }

  /** Replaces the whole log (the world's log was reset or cut), keeping the newest window. */
  replace(events: EventSeq): void {
    const start = Math.max(0, events.length - this.capacity)
    this.items.clear()
    for (let i = start; i < events.length; i++) this.items.push(events.at(i) as SimEvent)
    this.dropped = start
    this.version++
  }

  clear(): void {
    this.items.clear()
    this.dropped = 0
    this.version++
  }
}
