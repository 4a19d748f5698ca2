/**
 * A read-only, UI-friendly picture of one host's stream: components with their queues and messages,
 * frozen flags, the checkpoint message's position and blocks, and restart progress. Pure function of
 * the state (safe to call on a snapshot).
 */
import { isHighPri, kindSpec, MT_NAMES, REASON_TEXT, type Role } from './catalog'
import { hasBlock } from './checkpoint'
import type { CkptPhase, RstPhase, StreamsHostState, StrMsg, StrQueue } from './types'

export interface MsgView {
  readonly type: number
  readonly typeName: string
  readonly band: number
  readonly highPriority: boolean
  readonly dir: number
  readonly seq: number
  readonly bytes: number
}

export interface QueueView {
  readonly msgs: readonly MsgView[]
  /** Passed with putnext, not yet taken by this queue's put procedure. */
  readonly transit: readonly MsgView[]
  readonly count: number
  readonly hiwat: number
  readonly lowat: number
  readonly full: boolean
  readonly wantw: boolean
  readonly enabled: boolean
  readonly service: boolean
}

export interface BlockView {
  readonly capacity: number
  readonly filled: boolean
  readonly bytes: number
  readonly internalBytes: number
  readonly externalMsgs: number
}

export interface ComponentView {
  readonly index: number
  readonly role: Role
  readonly kind: number
  readonly kindName: string
  readonly name: string
  readonly description: string
  readonly fields: readonly { readonly name: string; readonly value: number }[]
  /** Messages the module keeps as part of its state (ldterm's partial line). */
  readonly held: readonly MsgView[]
  readonly wq: QueueView
  readonly rq: QueueView
  readonly checkpointSupport: boolean
  /** Injected fault: 'none' | 'noCheckpoint' | 'blockTooSmall'. */
  readonly fault: 'none' | 'noCheckpoint' | 'blockTooSmall'
  /** Whether it owns a block in the checkpoint message (and its state when one exists). */
  readonly hasBlock: boolean
  readonly block: BlockView | undefined
}

export interface StreamView {
  readonly host: number
  readonly frozen: boolean
  readonly components: readonly ComponentView[]
  /** Process writes waiting at the stream head (flow control or freeze). */
  readonly processOutbox: readonly MsgView[]
  /** Device input waiting at the driver (flow control or freeze). */
  readonly deviceInbox: readonly MsgView[]
}

export interface StreamsHostView {
  readonly host: number
  readonly enabled: boolean
  readonly stream: StreamView | undefined
  readonly checkpoint:
    | {
        readonly phase: CkptPhase
        readonly partition: boolean
        /** Component the checkpoint message is at, and its direction (0 down, 1 back up). */
        readonly pos: number
        readonly dir: number
        readonly frozenAt: number
        readonly restartBytes: number
        readonly carried: number
      }
    | undefined
  readonly restart:
    | {
        readonly phase: RstPhase
        readonly cursor: number
        readonly plan: readonly string[]
        readonly bytes: number
        readonly requested: boolean
      }
    | undefined
  readonly partitionPending: boolean
  readonly counters: StreamsHostState['counters']
  readonly lastOutcome: StreamsHostState['record']['result']
  readonly lastReason: string
}

function msgView(m: StrMsg): MsgView {
  return {
    type: m.type,
    typeName: MT_NAMES[m.type] ?? `type ${m.type}`,
    band: m.band,
    highPriority: isHighPri(m.type),
    dir: m.dir,
    seq: m.seq,
    bytes: m.data.length,
  }
}

function queueView(q: StrQueue): QueueView {
  return {
    msgs: q.msgs.map(msgView),
    transit: q.transit.map(msgView),
    count: q.count,
    hiwat: q.hiwat,
    lowat: q.lowat,
    full: q.full,
    wantw: q.wantw,
    enabled: q.enabled,
    service: q.service,
  }
}

const FAULTS = ['none', 'noCheckpoint', 'blockTooSmall'] as const

export function streamsView(s: StreamsHostState): StreamsHostView {
  const st = s.stream
  const ck = s.ckpt
  const driverBlock = s.cfg?.checkpoint.driverBlock ?? true
  const stream: StreamView | undefined = st && {
    host: s.host,
    frozen: st.frozen,
    components: st.comps.map((c, i) => {
      const k = kindSpec(c.kind)
      const b = ck?.blocks.find((bl) => bl.comp === i)
      return {
        index: i,
        role: k.role,
        kind: c.kind,
        kindName: k.name,
        name: c.name,
        description: k.description,
        fields: k.fields.map((name, f) => ({ name, value: c.st[f] ?? 0 })),
        held: c.held.map(msgView),
        wq: queueView(c.wq),
        rq: queueView(c.rq),
        checkpointSupport: c.ckpt,
        fault: FAULTS[s.faults.find((f) => f.name === c.name)?.fault ?? 0] ?? 'none',
        hasBlock: hasBlock(st, i, driverBlock),
        block: b && {
          capacity: b.capacity,
          filled: b.filled,
          bytes: b.bytes?.length ?? 0,
          internalBytes: b.internalBytes,
          externalMsgs: b.externalMsgs,
        },
      }
    }),
    processOutbox: st.outbox.map(msgView),
    deviceInbox: st.inbox.map(msgView),
  }
  const r = s.rst
  return {
    host: s.host,
    enabled: s.enabled,
    stream,
    checkpoint: ck && {
      phase: ck.phase,
      partition: ck.partition,
      pos: ck.pos,
      dir: ck.phase === 'travelUp' ? 1 : 0,
      frozenAt: ck.frozenAt,
      restartBytes: ck.restartBytes,
      carried: ck.carried,
    },
    restart: r && {
      phase: r.phase,
      cursor: r.cursor,
      plan: r.plan.map((m) => m.name),
      bytes: r.data.length,
      requested: r.requested,
    },
    partitionPending: s.partitionPending,
    counters: s.counters,
    lastOutcome: s.record.result,
    lastReason: REASON_TEXT[s.record.reason] ?? String(s.record.reason),
  }
}
