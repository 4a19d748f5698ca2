/**
 * Binary records for the rings: simulation events (host → main), link messages (host → host) and
 * user inputs (main → host). Events and messages are numbers only (plus a message's payload bytes),
 * described by the registries in src/sim, so one generic layout serves every kind.
 */
import {
  EVENT_KINDS,
  EVENTS,
  eventKindCode,
  type EventKind,
  type HostId,
  type SimEvent,
} from '../../sim/events'
import { allocBytes } from '../../sim/bytes'
import type { AppliedInput } from '../../sim/inputs'
import {
  blankMessage,
  MESSAGE_KINDS,
  MESSAGES,
  messageKindCode,
  type NetMessage,
} from '../../sim/messages'
import type { EventSpec, MessageSpec } from '../../sim/spec'
import { ringCommit, ringDrain, ringReserve, type Ring } from './ring'

// Event record: u16 kind | u8 host | u8 pad | f64 tick | f64 seq | f64 × fields
const EVENT_FIXED = 4 + 8 + 8

export function eventRecordBytes(ev: SimEvent): number {
  const spec: EventSpec = EVENTS[ev.kind]
  return EVENT_FIXED + 8 * spec.fields.length
}

/** Writes one event; false when the ring has no room now. */
export function writeEvent(ring: Ring, ev: SimEvent): boolean {
  const spec: EventSpec = EVENTS[ev.kind]
  const len = EVENT_FIXED + 8 * spec.fields.length
  const off = ringReserve(ring, len)
  if (off < 0) return false
  const v = ring.view
  v.setUint16(off, eventKindCode(ev.kind), true)
  v.setUint8(off + 2, ev.host)
  v.setFloat64(off + 4, ev.tick, true)
  v.setFloat64(off + 12, ev.seq, true)
  const rec = ev as unknown as Record<string, number>
  let p = off + EVENT_FIXED
  for (const f of spec.fields) {
    v.setFloat64(p, rec[f] as number, true)
    p += 8
  }
  ringCommit(ring, len)
  return true
}

export type EventDecoder = (v: DataView, off: number) => SimEvent

/** The generic decoder: the event built field by field from the registry (exported for tests). */
export function decodeGeneric(kind: EventKind): EventDecoder {
  const spec: EventSpec = EVENTS[kind]
  return (v, off) => {
    const ev: Record<string, number | string> = {}
    let p = off + EVENT_FIXED
    for (const f of spec.fields) {
      ev[f] = v.getFloat64(p, true)
      p += 8
    }
    ev.kind = kind
    ev.tick = v.getFloat64(off + 4, true)
    ev.host = v.getUint8(off + 2)
    ev.seq = v.getFloat64(off + 12, true)
    return ev as unknown as SimEvent
  }
}

/**
 * One decoder per event kind, each building its event with a single object literal of the kind's
 * exact shape. The main thread decodes tens of thousands of events a second and keeps every one
 * (the log): built property by property (decodeGeneric) each took two allocations (the object and,
 * past four properties, a property array) and a shape change per property; a literal is one
 * allocation of the final shape (measured at full speed with 65,536 pages: the longest scavenge
 * 6-7 ms instead of 9-11, p95 frame work 7.0 instead of 7.6 ms). Generated from the registry
 * (field names from EVENTS, never from data) once at start. A page whose Content-Security-Policy
 * forbids generated code gets the generic decoders instead.
 */
const EVENT_DECODERS: readonly EventDecoder[] = EVENT_KINDS.map((kind) => {
  const spec: EventSpec = EVENTS[kind]
  const fields = spec.fields.map(
    (f, i) => `${JSON.stringify(f)}: v.getFloat64(off + ${EVENT_FIXED + 8 * i}, true)`,
  )
  const literal = [
    ...fields,
    'kind',
    'tick: v.getFloat64(off + 4, true)',
    'host: v.getUint8(off + 2)',
    'seq: v.getFloat64(off + 12, true)',
  ].join(', ')
  try {
    // Named by its sourceURL in profiles (gen-decode-<kind>.js), like sim/eventColumns.ts's code.
    // oxlint-disable-next-line no-new-func -- generated from the static registry, see above
    return new Function(
      'kind',
      `return (v, off) => ({ ${literal} })\n//# sourceURL=gen-decode-${kind}.js`,
    )(kind) as EventDecoder
  } catch {
    return decodeGeneric(kind)
  }
})

/** Reads every event currently in the ring. */
export function drainEvents(ring: Ring, out: SimEvent[]): number {
  const v = ring.view
  return ringDrain(ring, (off) => {
    const decode = EVENT_DECODERS[v.getUint16(off, true)]
    if (decode === undefined) throw new Error(`event ring ${ring.name}: unknown kind code`)
    out.push(decode(v, off))
  })
}

// Message record: u16 kind | u8 src | u8 hasData | f64 seq | f64 sentAt | f64 deliverAt |
//                 f64 wireBytes | f64 × fields | u32 dataLength | data bytes
const MSG_FIXED = 4 + 8 * 4

export function writeMessage(ring: Ring, msg: NetMessage): boolean {
  const spec: MessageSpec = MESSAGES[msg.kind]
  const dataLen = msg.data?.length ?? 0
  const len = MSG_FIXED + 8 * spec.fields.length + 4 + dataLen
  const off = ringReserve(ring, len)
  if (off < 0) return false
  const v = ring.view
  v.setUint16(off, messageKindCode(msg.kind), true)
  v.setUint8(off + 2, msg.src)
  v.setUint8(off + 3, msg.data ? 1 : 0)
  v.setFloat64(off + 4, msg.seq, true)
  v.setFloat64(off + 12, msg.sentAt, true)
  v.setFloat64(off + 20, msg.deliverAt, true)
  v.setFloat64(off + 28, msg.wireBytes, true)
  const rec = msg as unknown as Record<string, number>
  let p = off + MSG_FIXED
  for (const f of spec.fields) {
    v.setFloat64(p, rec[f] as number, true)
    p += 8
  }
  v.setUint32(p, dataLen, true)
  // The real copy of a page's bytes from the sender's frames into the shared ring.
  if (msg.data) ring.bytes.set(msg.data, p + 4)
  ringCommit(ring, len)
  return true
}

function copyOut(bytes: Uint8Array, at: number, n: number): Uint8Array {
  const data = allocBytes(n)
  data.set(bytes.subarray(at, at + n))
  return data
}

export function drainMessages(ring: Ring, out: NetMessage[]): number {
  const v = ring.view
  return ringDrain(ring, (off) => {
    const kind = MESSAGE_KINDS[v.getUint16(off, true)]
    if (kind === undefined) throw new Error(`link ring ${ring.name}: unknown message kind code`)
    const spec: MessageSpec = MESSAGES[kind]
    // The sender's hidden class (see blankMessage), so the receiver's inbox code stays monomorphic.
    const m = blankMessage(kind)
    const fields = m as unknown as Record<string, number>
    let p = off + MSG_FIXED
    for (const f of spec.fields) {
      fields[f] = v.getFloat64(p, true)
      p += 8
    }
    const dataLen = v.getUint32(p, true)
    m.src = v.getUint8(off + 2) as HostId
    m.seq = v.getFloat64(off + 4, true)
    m.sentAt = v.getFloat64(off + 12, true)
    m.deliverAt = v.getFloat64(off + 20, true)
    m.wireBytes = v.getFloat64(off + 28, true)
    // The receiver's copy out of the ring (the ring slot is reused as soon as it is released).
    m.data = v.getUint8(off + 3) ? copyOut(ring.bytes, p + 4, dataLen) : undefined
    out.push(m as unknown as NetMessage)
  })
}

// Input record: f64 seq | f64 applyAt | u32 jsonLength | UTF-16 code units of the JSON
// (inputs are rare control-plane data; JSON keeps every input kind without a per-kind layout).
export function writeInput(ring: Ring, input: AppliedInput): boolean {
  const json = JSON.stringify(input.input)
  const len = 8 + 8 + 4 + 2 * json.length
  const off = ringReserve(ring, len)
  if (off < 0) return false
  const v = ring.view
  v.setFloat64(off, input.seq, true)
  v.setFloat64(off + 8, input.applyAt, true)
  v.setUint32(off + 16, json.length, true)
  for (let i = 0; i < json.length; i++) v.setUint16(off + 20 + 2 * i, json.charCodeAt(i), true)
  ringCommit(ring, len)
  return true
}

export function drainInputs(ring: Ring, out: AppliedInput[]): number {
  const v = ring.view
  return ringDrain(ring, (off) => {
    const seq = v.getFloat64(off, true)
    const applyAt = v.getFloat64(off + 8, true)
    const jsonLength = v.getUint32(off + 16, true)
    let json = ''
    for (let i = 0; i < jsonLength; i++)
      json += String.fromCharCode(v.getUint16(off + 20 + 2 * i, true))
    const input = JSON.parse(json) as AppliedInput['input']
    out.push({ seq, applyAt, input })
  })
}
