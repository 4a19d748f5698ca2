/**
 * An event log stored by columns (typed arrays), events made as objects only when read.
 *
 * Why: the browser's main thread keeps every committed event (tens of thousands a second at full
 * speed). Kept as objects, each one survived the young generation and V8's scavenger copied it
 * once or twice: scavenges of up to 11 ms of CPU, six in a six-second window, the biggest tasks left
 * on the main thread (profiled, issue 6). In columns the log is a handful of typed arrays outside
 * the young generation, about half the bytes of the objects; an event read for a moment (a row on
 * screen, a scan) dies young, which costs the scavenger nothing.
 *
 * Readers see it as an `EventSeq` (events.ts), as they see a plain array of events (the in-process
 * world's log, tests), so code that reads a log works on both.
 */
import {
  EVENT_KINDS,
  EVENTS,
  eventKindCode,
  type EventKind,
  type EventSeq,
  type HostId,
  type SimEvent,
} from './events'
import { hashNumber, hashU32, type Hasher } from './hash'
import type { EventSpec } from './spec'

/** The most numeric fields any event kind has (the width of the field column). */
export const MAX_EVENT_FIELDS = Math.max(
  ...EVENT_KINDS.map((k) => (EVENTS[k] as EventSpec).fields.length),
)

export type Materialize = (
  kind: EventKind,
  tick: number,
  host: number,
  seq: number,
  f: Float64Array,
  o: number,
) => SimEvent

/** The builder without generated code (exported for tests: it must build what MATERIALIZE builds). */
export function materializeGeneric(spec: EventSpec): Materialize {
  return (kind, tick, host, seq, f, o) => {
    const ev: Record<string, number | string> = {}
    spec.fields.forEach((name, i) => (ev[name] = f[o + i] as number))
    ev.kind = kind
    ev.tick = tick
    ev.host = host
    ev.seq = seq
    return ev as unknown as SimEvent
  }
}

/**
 * (Generated code names itself with a sourceURL, so profiles show `gen-materialize-<kind>.js` rather
 * than an anonymous function.)
 *
 * One builder per kind, each a single object literal of the kind's exact shape, in the property
 * order of the ring decoders (runtime/wire/codec.ts): events read from the log and events handed to
 * listeners share hidden classes, so their readers stay monomorphic. Generated from the registry
 * (names from EVENTS, never from data); a page whose Content-Security-Policy forbids generated code
 * gets the generic builders.
 */
export const MATERIALIZE: readonly Materialize[] = EVENT_KINDS.map((kind) => {
  const spec: EventSpec = EVENTS[kind]
  const literal = [
    ...spec.fields.map((name, i) => `${JSON.stringify(name)}: f[o + ${i}]`),
    'kind',
    'tick',
    'host',
    'seq',
  ].join(', ')
  try {
    // oxlint-disable-next-line no-new-func -- generated from the static registry, see above
    return new Function(
      `return (kind, tick, host, seq, f, o) => ({ ${literal} })\n//# sourceURL=gen-materialize-${kind}.js`,
    )() as Materialize
  } catch {
    return materializeGeneric(spec)
  }
})

export type WriteFields = (ev: SimEvent, f: Float64Array, o: number) => void

/** The field writer without generated code (exported for tests, like materializeGeneric). */
export function writeFieldsGeneric(names: readonly string[]): WriteFields {
  return (ev, f, o) => {
    const rec = ev as unknown as Record<string, number>
    for (let k = 0; k < names.length; k++) f[o + k] = rec[names[k] as string] as number
  }
}

/**
 * One field writer per kind, reading the kind's fields by name (`ev.page`), not by a computed key:
 * a loop over the names made every read a megamorphic keyed load, and pushing was the main thread's
 * biggest function (20 ms a second at full speed, profiled). Generated like MATERIALIZE.
 */
export const WRITE_FIELDS: readonly WriteFields[] = EVENT_KINDS.map((kind) => {
  const spec: EventSpec = EVENTS[kind]
  const body = spec.fields.map((name, i) => `f[o + ${i}] = ev[${JSON.stringify(name)}]`).join('; ')
  try {
    // oxlint-disable-next-line no-new-func -- generated from the static registry, see MATERIALIZE
    return new Function(
      `return (ev, f, o) => { ${body} }\n//# sourceURL=gen-write-${kind}.js`,
    )() as WriteFields
  } catch {
    return writeFieldsGeneric(spec.fields)
  }
})

const FIELDS_OF: readonly (readonly string[])[] = EVENT_KINDS.map(
  (k) => (EVENTS[k] as EventSpec).fields,
)

/** Per kind code: each field's slot in the kind's row of the field column. */
const SLOT_OF: readonly ReadonlyMap<string, number>[] = FIELDS_OF.map(
  (names) => new Map(names.map((name, slot) => [name, slot])),
)

/** Events per chunk (2^14): about 1.1 MB of typed arrays, allocated as the log reaches it. */
const CHUNK_BITS = 14
const CHUNK = 1 << CHUNK_BITS
const CHUNK_MASK = CHUNK - 1

/** One chunk of the columns: CHUNK events' headers, and MAX_EVENT_FIELDS field slots each. */
class Chunk {
  readonly kinds = new Uint16Array(CHUNK)
  readonly hosts = new Uint8Array(CHUNK)
  readonly ticks = new Float64Array(CHUNK)
  readonly seqs = new Float64Array(CHUNK)
  readonly fields = new Float64Array(CHUNK * MAX_EVENT_FIELDS)
}

/**
 * A canonically ordered event log in typed arrays. The columns are cut in fixed chunks, so the log
 * grows without ever copying what it holds (one contiguous array doubling at half a million events
 * copied tens of megabytes in one task: a 52 ms task, measured).
 */
export class EventColumns implements EventSeq {
  private chunks: Chunk[] = []
  private n = 0

  get length(): number {
    return this.n
  }

  private chunkOf(index: number): Chunk {
    return this.chunks[index >>> CHUNK_BITS] as Chunk
  }

  push(ev: SimEvent): void {
    const p = this.n
    const ci = p >>> CHUNK_BITS
    if (ci === this.chunks.length) this.chunks.push(new Chunk())
    const c = this.chunks[ci] as Chunk
    const i = p & CHUNK_MASK
    const code = eventKindCode(ev.kind)
    c.kinds[i] = code
    c.hosts[i] = ev.host
    c.ticks[i] = ev.tick
    c.seqs[i] = ev.seq
    ;(WRITE_FIELDS[code] as WriteFields)(ev, c.fields, i * MAX_EVENT_FIELDS)
    this.n++
  }

  pushAll(events: Iterable<SimEvent>): void {
    for (const ev of events) this.push(ev)
  }

  /** Keeps the first `n` events (a fork cuts the future). */
  truncate(n: number): void {
    this.n = Math.max(0, Math.min(this.n, Math.floor(n)))
    // Chunks past the end go (a chunk is 1.1 MB); the one the end falls in stays.
    const used = (this.n + CHUNK_MASK) >>> CHUNK_BITS
    if (this.chunks.length > used) this.chunks.length = used
  }

  clear(): void {
    this.chunks = []
    this.n = 0
  }

  at(index: number): SimEvent | undefined {
    if (!(index >= 0 && index < this.n)) return undefined
    const p = Math.floor(index)
    const c = this.chunks[p >>> CHUNK_BITS] as Chunk
    const i = p & CHUNK_MASK
    const code = c.kinds[i] as number
    return (MATERIALIZE[code] as Materialize)(
      EVENT_KINDS[code] as EventKind,
      c.ticks[i] as number,
      c.hosts[i] as number,
      c.seqs[i] as number,
      c.fields,
      i * MAX_EVENT_FIELDS,
    )
  }

  /** Event `index`'s tick, without making the event (0 <= index < length). */
  tickAt(index: number): number {
    return this.chunkOf(index).ticks[index & CHUNK_MASK] as number
  }

  /** Event `index`'s kind, without making the event (0 <= index < length). */
  kindAt(index: number): EventKind {
    const code = this.chunkOf(index).kinds[index & CHUNK_MASK] as number
    return EVENT_KINDS[code] as EventKind
  }

  hostAt(index: number): HostId {
    return this.chunkOf(index).hosts[index & CHUNK_MASK] as HostId
  }

  seqAt(index: number): number {
    return this.chunkOf(index).seqs[index & CHUNK_MASK] as number
  }

  fieldAt(index: number, name: string): number | undefined {
    const c = this.chunkOf(index)
    const i = index & CHUNK_MASK
    const slot = (SLOT_OF[c.kinds[i] as number] as ReadonlyMap<string, number>).get(name)
    return slot === undefined ? undefined : (c.fields[i * MAX_EVENT_FIELDS + slot] as number)
  }

  /** Feeds event `index` into a rolling hash exactly as `hashEvent` feeds its object. */
  hashInto(h: Hasher, index: number): void {
    const c = this.chunkOf(index)
    const i = index & CHUNK_MASK
    const code = c.kinds[i] as number
    hashU32(h, code)
    hashNumber(h, c.ticks[i] as number)
    hashU32(h, c.hosts[i] as number)
    hashNumber(h, c.seqs[i] as number)
    const o = i * MAX_EVENT_FIELDS
    const count = (FIELDS_OF[code] as readonly string[]).length
    for (let f = 0; f < count; f++) hashNumber(h, c.fields[o + f] as number)
  }

  slice(start = 0, end = this.n): SimEvent[] {
    const from = clampIndex(start, this.n)
    const to = clampIndex(end, this.n)
    const out: SimEvent[] = []
    for (let i = from; i < to; i++) out.push(this.at(i) as SimEvent)
    return out
  }

  *[Symbol.iterator](): Iterator<SimEvent> {
    // Reads the length at each step: events pushed while iterating are seen, as with an array.
    for (let i = 0; i < this.n; i++) yield this.at(i) as SimEvent
  }
}

/** Array.prototype.slice's index rules (negative counts from the end). */
function clampIndex(i: number, n: number): number {
  const t = Math.trunc(i)
  return t < 0 ? Math.max(0, n + t) : Math.min(t, n)
}
