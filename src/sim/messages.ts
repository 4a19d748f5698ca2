/**
 * Messages on the link between the hosts: one registry of kinds, typed messages derived from it.
 * Like events, messages carry numeric header fields; bulk contents (page bytes, the serialized index
 * table, the restart message) travel as real bytes in `data`, and `wireBytes` is what the link model
 * charges, so transfer times are honest.
 */
import { CORE_MESSAGES } from './coreEvents'
import type { HostId } from './events'
import { MIGRATION_MESSAGES } from './migration/events'
import type { MessageSpec } from './spec'
import { STREAMS_MESSAGES } from './streams/events'

export const MESSAGES = { ...CORE_MESSAGES, ...MIGRATION_MESSAGES, ...STREAMS_MESSAGES } as const
type Registry = typeof MESSAGES

export type MessageKind = keyof Registry
export type MessageFieldName<K extends MessageKind> = Registry[K]['fields'][number]
export type MessageFields<K extends MessageKind> = { readonly [F in MessageFieldName<K>]: number }

interface MessageHeader<K extends MessageKind> {
  readonly kind: K
  readonly src: HostId
  /** Per-sender sequence number; with (deliverAt, src) it gives the canonical delivery order. */
  readonly seq: number
  /** Tick the sender handed the message to its link. */
  readonly sentAt: number
  /** Tick the receiver gets it (set when the last byte leaves the wire: + latency). */
  deliverAt: number
  /** Bytes charged on the wire (header + payload), even when `data` is absent. */
  readonly wireBytes: number
  /** Real payload bytes (a page's contents, a serialized table...). */
  readonly data: Uint8Array | undefined
}
export type NetMessageOf<K extends MessageKind> = MessageHeader<K> & MessageFields<K>
export type NetMessage = { [K in MessageKind]: NetMessageOf<K> }[MessageKind]

/** Every field name of every message kind. */
type AnyMessageFieldName = { [K in MessageKind]: MessageFieldName<K> }[MessageKind]

/** A message object before its kind is set: the header and every kind's fields. */
type BlankMessage = {
  -readonly [F in keyof MessageHeader<MessageKind> | AnyMessageFieldName]: F extends 'kind'
    ? MessageKind
    : F extends 'data'
      ? Uint8Array | undefined
      : number
}

/**
 * A message with the header and the fields of *every* kind (0 where its kind has none), always built
 * from this one literal, so every message shares one hidden class. With one shape per kind, each
 * kind that appeared for the first time mid-run (the checkpoint, then requests, replies, background
 * batches...) made V8 throw away the optimized code that touches message headers (the hosts' run
 * loop, the link, the inbox) and compile it again, about 100 ms of compiler time each time, on the
 * cores the page needs. The type lists every registered field, so a new field that is missing here
 * does not compile. Only the kind's own fields are encoded, hashed or compared.
 */
export function blankMessage(kind: MessageKind): BlankMessage {
  return {
    kind,
    src: 0,
    seq: 0,
    sentAt: 0,
    deliverAt: -1,
    wireBytes: 0,
    data: undefined,
    strategy: 0,
    tableBytes: 0,
    restartBytes: 0,
    eagerPages: 0,
    finalRound: 0,
    finalPages: 0,
    interruptTick: 0,
    page: 0,
    cat: 0,
    count: 0,
    round: 0,
    reason: 0,
    proximal: 0,
    dir: 0,
    pages: 0,
    stream: 0,
    modules: 0,
    blocks: 0,
    ok: 0,
    index: 0,
  }
}

export const MESSAGE_KINDS = Object.keys(MESSAGES) as MessageKind[]
const KIND_CODE = new Map<string, number>(MESSAGE_KINDS.map((k, i) => [k, i]))

export function messageKindCode(kind: MessageKind): number {
  const code = KIND_CODE.get(kind)
  if (code === undefined) throw new Error(`unknown message kind ${kind}`)
  return code
}

export function messageSpec(kind: MessageKind): MessageSpec {
  return MESSAGES[kind]
}

/** Field values in canonical order. */
export function messageValues(msg: NetMessage): number[] {
  const spec: MessageSpec = MESSAGES[msg.kind]
  const rec = msg as unknown as Record<string, number>
  return spec.fields.map((f) => rec[f] as number)
}

/** Canonical delivery order. */
export function compareMessages(a: NetMessage, b: NetMessage): number {
  return a.deliverAt - b.deliverAt || a.src - b.src || a.seq - b.seq
}

/** Inserts messages into a sorted inbox (stable for equal keys). */
export function deliver(inbox: NetMessage[], msgs: readonly NetMessage[]): void {
  for (const m of msgs) {
    let i = inbox.length
    while (i > 0 && compareMessages(inbox[i - 1] as NetMessage, m) > 0) i--
    inbox.splice(i, 0, m)
  }
}

/** Removes and returns the messages due at or before `tick`, in canonical order. */
export function takeDue(inbox: NetMessage[], tick: number): NetMessage[] {
  let n = 0
  while (n < inbox.length && (inbox[n] as NetMessage).deliverAt <= tick) n++
  return n === 0 ? [] : inbox.splice(0, n)
}
