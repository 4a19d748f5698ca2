/**
 * Plain-data state of the STREAMS engine (structured-cloneable: objects, arrays, typed arrays;
 * no classes, closures, Map or Set).
 */
import type { RngState } from '../rng'
import type { Identity } from './checkpoint'
import type { StreamsScenario, TargetMismatch, VetoConfig } from './scenario'

/** One STREAMS message (an mblk chain, flattened). */
export interface StrMsg {
  /** Message type code (`MT`). */
  type: number
  /** Priority band 0..255 of an ordinary message (0 for high priority). */
  band: number
  /** DOWN (written by the process) or UP (produced by the device); replies take their travel direction. */
  dir: number
  /** End-to-end sequence number of a traffic data message in its direction; ioctl id for M_IOCTL and its
   * reply; -1 for other control messages. */
  seq: number
  /** ioctl command, or M_FLUSH flags. */
  cmd: number
  /** ioctl argument / reply value. */
  arg: number
  /** Payload bytes (real bytes; their length is what flow control counts). */
  data: Uint8Array
}

export interface StrQueue {
  /** Messages put on the queue (`putq`), in priority order: high priority, then bands high to low. */
  msgs: StrMsg[]
  /** Messages passed with `putnext` to this queue, not yet taken by its put procedure (one hop per tick). */
  transit: StrMsg[]
  /** Bytes on `msgs` (q_count). */
  count: number
  /** Bytes on `transit` (sent with `putnext`, not yet taken): flow control counts them, because a
   * real `putnext` is synchronous and the message would already be on the queue. */
  tcount: number
  hiwat: number
  lowat: number
  /** QFULL: count reached hiwat. */
  full: boolean
  /** QWANTW: a writer found this queue full and waits to be back-enabled. */
  wantw: boolean
  /** QENAB: scheduled to run its service procedure. */
  enabled: boolean
  /** Has a service procedure (flow control stops at such queues). */
  service: boolean
}

export interface StrComponent {
  /** Kind code (catalog `KINDS`). */
  kind: number
  name: string
  /** Internal state fields (catalog `fields` of the kind). */
  st: number[]
  /** Messages the module itself holds as part of its state (ldterm's partial input line). */
  held: StrMsg[]
  wq: StrQueue
  rq: StrQueue
  /** Supports checkpoint (false: cannot fill its block, P2-11). */
  ckpt: boolean
  /** Size of its message block in the checkpoint message. */
  blockBytes: number
}

export interface TrafficGen {
  rng: RngState
  /** Next sequence number per direction. */
  nextSeq: number[]
  /** An upstream (terminal input) line is open: it will be terminated when traffic stops. */
  lineOpen: boolean
  /** Traffic stopped and the final line terminator was sent. */
  finished: boolean
  /** Id of the ioctl in flight (one at a time, as the stream head serializes ioctls), or -1. */
  ioctlOut: number
  nextIoctl: number
  downRate: number
  upRate: number
}

export interface Counters {
  sent: number[]
  delivered: number[]
  discarded: number[]
  /** Traffic that arrived from outside (process writes, device input) while the stream was frozen (S8). */
  heldDuringFreeze: number
  ioctls: number
  iocacks: number
  iocnaks: number
  corrupt: number
  outOfOrder: number
  hops: number
  /** Process writes that found the stream flow-controlled (canputnext failed): the process slept
   * in write() and retried on later ticks; it wrote nothing else meanwhile. */
  blockedWrites: number
  /** Device input lost to an overrun: the device's receive FIFO was full because the driver's read
   * side stayed flow-controlled. Such input never entered the stream (no sequence number). */
  overruns: number
}

/** A message block of the checkpoint message (P2-05). */
export interface CkptBlock {
  /** Component index it belongs to (0 = stream head section). */
  comp: number
  kind: number
  name: string
  capacity: number
  filled: boolean
  /** Serialized internal + external data once filled. */
  bytes: Uint8Array | undefined
  internalBytes: number
  externalMsgs: number
}

export type CkptPhase =
  | 'vetoWait' // kwpar_checkpoint_status TRY: waiting for the blocking condition to clear
  | 'travelDown' // checkpoint message moving downstream, filling blocks
  | 'travelUp' // turned around at the bottom, returning to the stream head
  | 'shipped' // restart message sent; source frozen until host B's verdict

export interface CkptState {
  phase: CkptPhase
  partition: boolean
  startedAt: number
  frozenAt: number
  /** Component the checkpoint message is at. */
  pos: number
  blocks: CkptBlock[]
  vetoWaitUntil: number
  vetoClearsAt: number
  restartBytes: number
  /** Messages recorded in the restart message (external data + held + boundary). */
  carried: number
}

export type RstPhase = 'waiting' | 'open' | 'push' | 'verify' | 'restore' | 'thaw'

/** Host B side of a restart in progress. */
export interface RstState {
  phase: RstPhase
  partition: boolean
  /** The restart message bytes as received. */
  data: Uint8Array
  receivedAt: number
  requested: boolean
  /** Progress inside the phase (modules pushed, blocks restored). */
  cursor: number
  /** Modules host B will push, top to bottom (the recorded order, unless a mismatch is injected). */
  plan: Identity[]
  /** Index in `plan` of a module that is not installed on host B (its push fails), or -1. */
  missing: number
  /** Kind code of an extra module host B's autopush adds, or -1. */
  extra: number
  frozenAt: number
}

/** Outcome of the last checkpoint/restart seen by this host (for the report). */
export interface CkptRecord {
  result: 'none' | 'restarted' | 'aborted' | 'verifyFailed' | 'denied' | 'inProgress'
  reason: number
  /** Component index named by the failure (or -1). */
  comp: number
  initiatedAt: number
  frozenAt: number
  thawedAt: number
  restartBytes: number
  carried: number
  expected: string[]
  actual: string[]
  /** Module states at freeze (source) / after restore (target), by module name. */
  states: number[][]
}

export interface StreamsHostState {
  readonly enabled: boolean
  readonly host: number
  /** The scenario's `streams` section (plain data), when present. */
  readonly cfg: StreamsScenario | undefined
  /** `str.opened` has been emitted for the initial stream. */
  announced: boolean
  /** A `streams.restart` input arrived before the restart message: restart as soon as it arrives. */
  restartAsked: boolean
  /** The stream of the partition when it lives on this host (running, frozen or awaiting a verdict). */
  stream: StrStream | undefined
  /** Traffic generator: travels with the stream (it is the partition's process and its peer device). */
  gen: TrafficGen | undefined
  ckpt: CkptState | undefined
  rst: RstState | undefined
  /** Host B side: a whole-partition restart of the stream is pending (process must not resume yet). */
  partitionPending: boolean
  counters: Counters
  /** Per-module-name failure toggle: 0 none, 1 no checkpoint support, 2 block too small. */
  faults: { name: string; fault: number }[]
  veto: VetoConfig
  target: TargetMismatch
  record: CkptRecord
  /** Ordering check per direction and class (band, 256 = high priority): last delivered seq. */
  lastSeq: number[][]
}

export interface StrStream {
  comps: StrComponent[]
  frozen: boolean
  /** Run list of queues to service: comp * 2 + side, FIFO (AIX runs service procedures in FIFO order). */
  runq: number[]
  /** Process writes not yet accepted by the stream head (flow-controlled or held while frozen). */
  outbox: StrMsg[]
  /** Device input not yet accepted by the driver (flow-controlled or held while frozen): the
   * device's receive FIFO, at most `deviceFifoBytes(st)` bytes (more input overruns). */
  inbox: StrMsg[]
  /** Bytes on `inbox`. */
  inboxBytes: number
  openedAt: number
}
