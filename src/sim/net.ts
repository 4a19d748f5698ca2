/**
 * The link model. Each directional link is owned by its sender: its queues, wire state and loss RNG
 * are part of the sending host's state, so the two hosts never share mutable link state.
 *
 * Per tick the sender's link transmits up to `bytesPerTick` bytes (credit carries fractions over),
 * urgent messages first (a preempt channel, as QEMU added for post-copy faults), each class in FIFO
 * order. A message whose last byte leaves the wire at tick t is delivered at t + latencyTicks
 * (latencyTicks >= 1, which is what lets both hosts run tick t in parallel). Optional loss drops a
 * transmitted copy and retransmits it after `rtoTicks`; a down interval stops all transmission.
 */
import { z } from 'zod'
import type { HostId } from './events'
import type { EmitFn } from './hostTypes'
import {
  blankMessage,
  messageKindCode,
  type MessageFields,
  type MessageKind,
  type NetMessage,
  type NetMessageOf,
} from './messages'
import { chance, createRng, type RngState } from './rng'

export const LinkSchema = z
  .object({
    latencyUs: z.number().min(0).max(10_000_000).default(50),
    bandwidthMbps: z.number().positive().max(1_000_000).default(1000),
    lossRate: z.number().min(0).max(0.9).default(0),
    rtoUs: z.number().positive().max(60_000_000).default(2000),
    /** Per-message framing overhead charged on the wire. */
    headerBytes: z.number().int().min(0).max(65536).default(64),
  })
  .strict()
export type LinkConfig = z.infer<typeof LinkSchema>

export interface LinkParams {
  readonly latencyTicks: number
  readonly bytesPerTick: number
  readonly lossRate: number
  readonly rtoTicks: number
  readonly headerBytes: number
}

export function linkParams(cfg: LinkConfig, tickUs: number): LinkParams {
  return {
    latencyTicks: Math.max(1, Math.round(cfg.latencyUs / tickUs)),
    // Mbit/s -> bytes per tick: 1 Mbit/s = 10^6 / 8 bytes/s.
    bytesPerTick: (cfg.bandwidthMbps * 1e6) / 8 / (1e6 / tickUs),
    lossRate: cfg.lossRate,
    rtoTicks: Math.max(1, Math.round(cfg.rtoUs / tickUs)),
    headerBytes: cfg.headerBytes,
  }
}

export interface LinkOutage {
  readonly fromTick: number
  readonly toTick: number
}

interface Pending {
  msg: NetMessage
  attempt: number
  urgent: boolean
  /** Retransmission not before this tick. */
  notBefore: number
}

export interface LinkStats {
  messages: number
  bytes: number
  retransmits: number
  lost: number
  retransmitBytes: number
  busyTicks: number
}

/** Plain data: snapshotted with the host. */
export interface LinkTxState {
  readonly src: HostId
  params: LinkParams
  urgent: Pending[]
  normal: Pending[]
  retry: Pending[]
  current: Pending | undefined
  currentSent: number
  credit: number
  nextSeq: number
  outages: LinkOutage[]
  down: boolean
  lossRate: number
  rng: RngState
  stats: LinkStats
}

export function createLinkTx(src: HostId, params: LinkParams, seed: number): LinkTxState {
  return {
    src,
    params,
    urgent: [],
    normal: [],
    retry: [],
    current: undefined,
    currentSent: 0,
    credit: 0,
    nextSeq: 0,
    outages: [],
    down: false,
    lossRate: params.lossRate,
    rng: createRng(seed, 'link', src),
    stats: { messages: 0, bytes: 0, retransmits: 0, lost: 0, retransmitBytes: 0, busyTicks: 0 },
  }
}

export interface SendOptions {
  /** Payload bytes charged on the wire; defaults to `data.length`. */
  readonly payloadBytes?: number
  readonly data?: Uint8Array
  /** Urgent messages overtake queued normal ones (fault replies, page-in requests). */
  readonly urgent?: boolean
}

/** Queues a message; returns it (its `deliverAt` is set when it leaves the wire). */
export function linkSend<K extends MessageKind>(
  link: LinkTxState,
  tick: number,
  kind: K,
  fields: MessageFields<K>,
  opts: SendOptions = {},
): NetMessageOf<K> {
  const payload = opts.payloadBytes ?? opts.data?.length ?? 0
  // One hidden class for every message (see blankMessage), then the kind's own fields.
  const blank = blankMessage(kind)
  blank.src = link.src
  blank.seq = link.nextSeq++
  blank.sentAt = tick
  blank.wireBytes = link.params.headerBytes + payload
  blank.data = opts.data
  const msg = Object.assign(blank, fields) as unknown as NetMessageOf<K>
  const p: Pending = {
    msg: msg as unknown as NetMessage,
    attempt: 0,
    urgent: opts.urgent === true,
    notBefore: tick,
  }
  ;(p.urgent ? link.urgent : link.normal).push(p)
  return msg
}

/** Bytes waiting in the queues (including the untransmitted rest of the current message). */
export function linkQueuedBytes(link: LinkTxState): number {
  let n = link.current ? link.current.msg.wireBytes - link.currentSent : 0
  for (const q of [link.urgent, link.normal, link.retry]) for (const p of q) n += p.msg.wireBytes
  return n
}

export function linkQueuedMessages(link: LinkTxState): number {
  return link.urgent.length + link.normal.length + link.retry.length + (link.current ? 1 : 0)
}

function isDown(link: LinkTxState, tick: number): LinkOutage | undefined {
  return link.outages.find((o) => tick >= o.fromTick && tick < o.toTick)
}

function nextPending(link: LinkTxState, tick: number): Pending | undefined {
  const r = link.retry.findIndex((p) => p.notBefore <= tick)
  if (r >= 0) return link.retry.splice(r, 1)[0]
  return link.urgent.shift() ?? link.normal.shift()
}

/**
 * Transmits for one tick. Returns the messages whose last byte left the wire this tick, stamped
 * with `deliverAt = tick + latencyTicks`.
 */
export function linkPump(link: LinkTxState, tick: number, emit: EmitFn): NetMessage[] {
  const outage = isDown(link, tick)
  if (outage) {
    if (!link.down) {
      link.down = true
      emit('net.down', { untilTick: outage.toTick })
    }
    return []
  }
  if (link.down) {
    link.down = false
    emit('net.up', { queued: linkQueuedMessages(link) })
  }
  const out: NetMessage[] = []
  link.credit += link.params.bytesPerTick
  let busy = false
  for (;;) {
    if (!link.current) {
      link.current = nextPending(link, tick)
      link.currentSent = 0
      if (!link.current) break
      if (link.current.attempt > 0) {
        link.stats.retransmits++
        link.stats.retransmitBytes += link.current.msg.wireBytes
        emit('net.retransmit', {
          msgSeq: link.current.msg.seq,
          wireBytes: link.current.msg.wireBytes,
          attempt: link.current.attempt,
        })
      }
    }
    busy = true
    const p = link.current
    const need = p.msg.wireBytes - link.currentSent
    if (link.credit < need) {
      link.currentSent += link.credit
      link.credit = 0
      break
    }
    link.credit -= need
    link.current = undefined
    link.stats.bytes += p.msg.wireBytes
    if (chance(link.rng, link.lossRate)) {
      link.stats.lost++
      emit('net.lost', { msgSeq: p.msg.seq, wireBytes: p.msg.wireBytes })
      p.attempt++
      p.notBefore = tick + link.params.rtoTicks
      link.retry.push(p)
      continue
    }
    link.stats.messages++
    p.msg.deliverAt = tick + link.params.latencyTicks
    emit('net.sent', {
      msgSeq: p.msg.seq,
      msgKind: messageKindCode(p.msg.kind),
      wireBytes: p.msg.wireBytes,
      sentAt: p.msg.sentAt,
      deliverAt: p.msg.deliverAt,
    })
    out.push(p.msg)
  }
  if (busy) link.stats.busyTicks++
  // An idle link does not hoard bandwidth for later bursts.
  if (!link.current && link.urgent.length === 0 && link.normal.length === 0) {
    link.credit = Math.min(link.credit, link.params.bytesPerTick)
  }
  return out
}
