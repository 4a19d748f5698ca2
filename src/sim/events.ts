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
export function firstEventAt(events: readonly SimEvent[], tick: number): number {
  let lo = 0
  let hi = events.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((events[mid] as SimEvent).tick < tick) lo = mid + 1
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

export function eventLogHash(events: readonly SimEvent[]): string {
  const h = createHasher(0xe7e7)
  for (const ev of events) hashEvent(h, ev)
  return digest(h)
}

/** The registry text with its placeholders filled in. */
export function describeEvent(ev: SimEvent): string {
  const rec = ev as unknown as Record<string, number>
  return EVENTS[ev.kind].text.replace(/\{(\w+)\}/g, (_, f: string) => String(rec[f] ?? `{${f}}`))
}
