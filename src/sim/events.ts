/**
 * The event log: one registry of every event kind, typed events derived from it, a canonical order
 * and a canonical hash. Events carry only numbers (ids, codes, counts) so they encode into fixed
 * binary records for the worker rings and hash fast; words come from the registry's `text`.
 */
import { CORE_EVENTS } from './coreEvents'
import { createHasher, digest, hashNumber, hashU32, type Hasher } from './hash'
import { MIGRATION_EVENTS } from './migration/events'
import type { EventSpec } from './spec'
import { STREAMS_EVENTS } from './streams/events'

export const EVENTS = { ...CORE_EVENTS, ...MIGRATION_EVENTS, ...STREAMS_EVENTS } as const
type Registry = typeof EVENTS

export type EventKind = keyof Registry
export type EventFieldName<K extends EventKind> = Registry[K]['fields'][number]
export type EventFields<K extends EventKind> = { readonly [F in EventFieldName<K>]: number }

/** Host 0 = A (departure), 1 = B (arrival). */
export type HostId = 0 | 1
export const HOST_NAMES = ['A', 'B'] as const

interface EventHeader<K extends EventKind> {
  readonly kind: K
  readonly tick: number
  readonly host: HostId
  /** Emission order within the host, across the whole run. */
  readonly seq: number
}
export type SimEventOf<K extends EventKind> = EventHeader<K> & EventFields<K>
export type SimEvent = { [K in EventKind]: SimEventOf<K> }[EventKind]

/** A canonically ordered event log, read by index. Arrays of events are event sequences too. */
export interface EventSeq extends Iterable<SimEvent> {
  readonly length: number
  /**
   * Event `index` (undefined outside 0..length-1). From columns it is a new object at each call:
   * read what you need and let it go rather than keeping many.
   */
  at(index: number): SimEvent | undefined
  /** The events from `start` to `end` (exclusive) as an array (objects made for each). */
  slice(start?: number, end?: number): SimEvent[]
  /** Event `index`'s tick without making the event (columnar logs; use `eventTickAt`). */
  tickAt?(index: number): number
  /** Event `index`'s kind without making the event (columnar logs; use `eventKindAt`). */
  kindAt?(index: number): EventKind
  /** Event `index`'s host without making the event (columnar logs; use `eventHostAt`). */
  hostAt?(index: number): HostId
  /** Event `index`'s field `name`, undefined if its kind has none (use `eventFieldAt`). */
  fieldAt?(index: number, name: string): number | undefined
}

/** Event `index`'s tick (0 <= index < length); no object made for a columnar log. */
export function eventTickAt(events: EventSeq, index: number): number {
  return events.tickAt ? events.tickAt(index) : (events.at(index) as SimEvent).tick
}

/** Event `index`'s kind (0 <= index < length); no object made for a columnar log. */
export function eventKindAt(events: EventSeq, index: number): EventKind {
  return events.kindAt ? events.kindAt(index) : (events.at(index) as SimEvent).kind
}

/** Event `index`'s host (0 <= index < length); no object made for a columnar log. */
export function eventHostAt(events: EventSeq, index: number): HostId {
  return events.hostAt ? events.hostAt(index) : (events.at(index) as SimEvent).host
}

/**
 * Event `index`'s numeric field `name` (0 <= index < length), undefined when its kind has no such
 * field; no object made for a columnar log.
 */
export function eventFieldAt(events: EventSeq, index: number, name: string): number | undefined {
  if (events.fieldAt) return events.fieldAt(index, name)
  const ev = events.at(index) as SimEvent
  const spec: EventSpec = EVENTS[ev.kind]
  return spec.fields.includes(name) ? (ev as unknown as Record<string, number>)[name] : undefined
}

/** Stable numeric code of each kind (registry order). */
export const EVENT_KINDS = Object.keys(EVENTS) as EventKind[]
const KIND_CODE = new Map<string, number>(EVENT_KINDS.map((k, i) => [k, i]))

export function eventKindCode(kind: EventKind): number {
  const code = KIND_CODE.get(kind)
  if (code === undefined) throw new Error(`unknown event kind ${kind}`)
  return code
}

export function eventSpec(kind: EventKind): EventSpec {
  return EVENTS[kind]
}

/** Field values in canonical order. */
export function eventValues(ev: SimEvent): number[] {
  const spec: EventSpec = EVENTS[ev.kind]
  const rec = ev as unknown as Record<string, number>
  return spec.fields.map((f) => rec[f] as number)
}

/** Canonical merge order: (tick, host, seq). Never depends on which thread finished first. */
export function compareEvents(a: SimEvent, b: SimEvent): number {
  return a.tick - b.tick || a.host - b.host || a.seq - b.seq
}

/**
 * Index of the first event at or after `tick` in a canonically ordered log (binary search): the
 * events before it are exactly those reflected in the state after `tick` ticks.
 */
export function firstEventAt(events: EventSeq, tick: number): number {
  let lo = 0
  let hi = events.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (eventTickAt(events, mid) < tick) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Feeds one event into a rolling event-log hash. */
export function hashEvent(h: Hasher, ev: SimEvent): void {
  hashU32(h, eventKindCode(ev.kind))
  hashNumber(h, ev.tick)
  hashU32(h, ev.host)
  hashNumber(h, ev.seq)
  const spec: EventSpec = EVENTS[ev.kind]
  const rec = ev as unknown as Record<string, number>
  for (const f of spec.fields) hashNumber(h, rec[f] as number)
}

export function eventLogHash(events: Iterable<SimEvent>): string {
  const h = createHasher(0xe7e7)
  for (const ev of events) hashEvent(h, ev)
  return digest(h)
}

/** The registry text with its placeholders filled in. */
export function describeEvent(ev: SimEvent): string {
  const rec = ev as unknown as Record<string, number>
  return EVENTS[ev.kind].text.replace(/\{(\w+)\}/g, (_, f: string) => String(rec[f] ?? `{${f}}`))
}
