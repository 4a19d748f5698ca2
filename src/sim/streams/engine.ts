/**
 * The STREAMS engine's side of one host. OWNED BY THE STREAMS ENGINE.
 * Contract with src/sim/host.ts (keep these five exports and their signatures):
 *   createStreamsHostState, streamsOnInput, streamsOnMessage, streamsStep, streamsHashState
 * plus `streamsAllowProcessResume` for the migration engine (whole-partition migration).
 *
 * Checkpoint (source host), US7950019 cl.1–3:
 *   initiated → [veto: DENY / TRY wait] → frozen + stream head allocates the checkpoint message
 *   (one block per module, P2-05/P2-08) → the message moves one component per tick down the write
 *   side, each component filling its block with internal + external data (P2-06/P2-10) → turned
 *   around at the driver, back up to the stream head → the blocks form the restart message with
 *   module identities and order (P2-07/P2-12) → sent to the other host as real bytes. The source
 *   stays frozen with everything in place until the target's verdict: torn down on success, thawed
 *   on failure (nothing lost either way).
 * Restart (target host): open the device → I_PUSH the recorded modules (bottom first) → verify
 *   count and order (P2-14) → restore each block (P2-15) → thaw → verdict to the source.
 */
import type { HostId } from '../events'
import { hashNumber, hashU32, type Hasher } from '../hash'
import type { HostContext } from '../hostTypes'
import type { UserInput } from '../inputs'
import type { NetMessage } from '../messages'
import { createRng } from '../rng'
import type { Scenario } from '../scenario'
import { DOWN, FLUSHR, FLUSHRW, FLUSHW, kindSpec, REASON, VETO_REASONS, WPAR } from './catalog'
import {
  decodeBlock,
  decodeHeadSection,
  decodeRestartMessage,
  emptyLastSeq,
  encodeRestartMessage,
  fillBlock,
  fillHeadSection,
  hasBlock,
  identityOf,
  type Identity,
  type RestartMessage,
} from './checkpoint'
import { hpOverload, scenarioStack, type ResolvedEntry, type StreamsScenario } from './scenario'
import {
  compConfig,
  entryConfig,
  freeAll,
  issueFlush,
  issueIoctl,
  kindCode,
  newComponent,
  openDevice,
  popModule,
  pushModule,
  reschedule,
  runStream,
  streamMessageCount,
  type Sx,
} from './stream'
import type {
  CkptBlock,
  CkptRecord,
  StreamsHostState,
  StrComponent,
  StrMsg,
  StrStream,
} from './types'

export type { StreamsHostState } from './types'

function emptyRecord(): CkptRecord {
  return {
    result: 'none',
    reason: 0,
    comp: -1,
    initiatedAt: -1,
    frozenAt: -1,
    thawedAt: -1,
    restartBytes: 0,
    carried: 0,
    expected: [],
    actual: [],
    states: [],
  }
}

/** Opens the scenario's stream: the device (stream head + driver), then I_PUSH of each module, bottom first. */
export function openScenarioStream(cfg: StreamsScenario, tick: number): StrStream {
  const entries = scenarioStack(cfg)
  const driver = entries[entries.length - 1] as ResolvedEntry
  const st = openDevice(cfg, driver, tick)
  for (let i = entries.length - 2; i >= 0; i--) {
    const e = entries[i] as ResolvedEntry
    const code = kindCode(e.kind)
    if (code === undefined) throw new Error(`unknown module ${e.kind}`)
    pushModule(st, newComponent(code, e.name, entryConfig(cfg, e)))
  }
  return st
}

export function createStreamsHostState(scenario: Scenario, host: HostId): StreamsHostState {
  const cfg = scenario.streams
  const active = cfg !== undefined && host === 0
  return {
    enabled: cfg !== undefined,
    host,
    cfg,
    announced: false,
    restartAsked: false,
    stream: active ? openScenarioStream(cfg, 0) : undefined,
    gen: active
      ? {
          rng: createRng(scenario.seed, 'streams', 'traffic'),
          nextSeq: [0, 0],
          lineOpen: false,
          finished: false,
          ioctlOut: -1,
          nextIoctl: 0,
          downRate: cfg.traffic.down.rate,
          upRate: cfg.traffic.up.rate,
        }
      : undefined,
    ckpt: undefined,
    rst: undefined,
    partitionPending: false,
    counters: {
      sent: [0, 0],
      delivered: [0, 0],
      discarded: [0, 0],
      heldDuringFreeze: 0,
      ioctls: 0,
      iocacks: 0,
      iocnaks: 0,
      corrupt: 0,
      outOfOrder: 0,
      hops: 0,
      blockedWrites: 0,
      overruns: 0,
    },
    faults: [],
    veto: cfg?.faults.veto ?? { mode: 'none' },
    target: cfg?.faults.target ?? { mode: 'none' },
    record: emptyRecord(),
    lastSeq: [emptyLastSeq(), emptyLastSeq()],
  }
}

/** False on the arrival host while a whole-partition restart of the stream is pending: the
 * partition's process must not resume before its stream is restarted and verified. */
export function streamsAllowProcessResume(state: StreamsHostState): boolean {
  return !state.partitionPending
}

/** 'none' | 'pending' | 'restarted' | 'failed' for the last partition restart seen by this host. */
export function streamsPartitionOutcome(
  state: StreamsHostState,
): 'none' | 'pending' | 'restarted' | 'failed' {
  if (state.partitionPending) return 'pending'
  const r = state.record.result
  if (r === 'restarted') return 'restarted'
  if (r === 'aborted' || r === 'verifyFailed' || r === 'denied') return 'failed'
  return 'none'
}

function sx(ctx: HostContext, st: StrStream): Sx {
  const s = ctx.host.str
  return { s, st, cfg: s.cfg as StreamsScenario, emit: ctx.emit, tick: ctx.tick, hops: 0 }
}

function faultOf(s: StreamsHostState, name: string): number {
  return s.faults.find((f) => f.name === name)?.fault ?? 0
}

// ---- inputs ---------------------------------------------------------------------------------

export function streamsOnInput(ctx: HostContext, input: UserInput): void {
  const s = ctx.host.str
  if (!s.enabled) return
  const st = s.stream
  switch (input.type) {
    case 'streams.checkpoint':
    case 'partition.migrate': {
      const partition = input.type === 'partition.migrate'
      if (st) {
        if (s.ckpt || st.frozen) {
          ctx.emit('ckpt.refused', { reason: REASON.ALREADY_IN_PROGRESS })
          if (partition) ctx.send('ckpt.abort', { stream: 0, reason: REASON.ALREADY_IN_PROGRESS })
        } else initiate(ctx, st, partition)
      } else if (partition && !s.rst) {
        s.partitionPending = true
      }
      return
    }
    case 'streams.restart':
      if (s.rst) s.rst.requested = true
      else if (!st) s.restartAsked = true
      return
    case 'streams.push':
    case 'streams.pop':
    case 'streams.reorder':
      if (st) editStack(ctx, st, input)
      return
    case 'streams.flush':
      if (st && s.ckpt?.phase !== 'shipped') {
        issueFlush(
          sx(ctx, st),
          input.which === 'r' ? FLUSHR : input.which === 'w' ? FLUSHW : FLUSHRW,
        )
      }
      return
    case 'streams.ioctl':
      if (st && s.ckpt?.phase !== 'shipped' && !issueIoctl(sx(ctx, st), input.cmd, input.arg)) {
        ctx.emit('str.editRefused', { reason: REASON.ALREADY_IN_PROGRESS })
      }
      return
    case 'streams.setFault': {
      const code = input.fault === 'none' ? 0 : input.fault === 'noCheckpoint' ? 1 : 2
      s.faults = s.faults.filter((f) => f.name !== input.module)
      if (code) s.faults.push({ name: input.module, fault: code })
      return
    }
    case 'streams.setVeto':
      s.veto =
        input.mode === 'none'
          ? { mode: 'none' }
          : input.mode === 'deny'
            ? { mode: 'deny', reason: input.reason ?? 'device busy' }
            : input.clearsAfterTicks === undefined
              ? { mode: 'try', waitTicks: input.waitTicks ?? 10 }
              : {
                  mode: 'try',
                  waitTicks: input.waitTicks ?? 10,
                  clearsAfterTicks: input.clearsAfterTicks,
                }
      return
    case 'streams.setTarget':
      s.target =
        input.mode === 'missing'
          ? { mode: 'missing', module: input.module ?? '' }
          : input.mode === 'extra'
            ? { mode: 'extra', kind: input.module ?? 'pass' }
            : input.mode === 'swap'
              ? { mode: 'swap', at: input.at ?? 0 }
              : { mode: input.mode }
      return
    case 'streams.traffic':
      if (s.gen) {
        // Same rule as the scenario schema: high-priority load must stay drainable.
        const cfg = s.cfg as StreamsScenario
        if (
          (input.down !== undefined && hpOverload(cfg, 'down', input.down)) ||
          (input.up !== undefined && hpOverload(cfg, 'up', input.up))
        ) {
          ctx.emit('str.editRefused', { reason: REASON.HP_OVERLOAD })
          return
        }
        if (input.down !== undefined) s.gen.downRate = input.down
        if (input.up !== undefined) s.gen.upRate = input.up
      }
      return
    default:
      return
  }
}

function editStack(
  ctx: HostContext,
  st: StrStream,
  input: Extract<UserInput, { type: 'streams.push' | 'streams.pop' | 'streams.reorder' }>,
): void {
  const s = ctx.host.str
  const cfg = s.cfg as StreamsScenario
  if (st.frozen || s.ckpt) {
    ctx.emit('str.editRefused', { reason: REASON.FROZEN })
    return
  }
  const x = sx(ctx, st)
  const names = st.comps.slice(1, -1).map((c) => c.name)
  if (input.type === 'streams.push') {
    const code = kindCode(input.kind)
    const name = input.name ?? input.kind
    if (code === undefined || kindSpec(code).role !== 'module') {
      ctx.emit('str.editRefused', { reason: REASON.UNKNOWN_MODULE })
    } else if (names.includes(name) || st.comps.length >= 18) {
      ctx.emit('str.editRefused', { reason: REASON.DUPLICATE_NAME })
    } else {
      pushModule(st, newComponent(code, name, entryConfig(cfg, undefined)))
      ctx.emit('str.pushed', { modKind: code, modules: st.comps.length - 2 })
      reschedule(st)
    }
    return
  }
  if (input.type === 'streams.pop') {
    if (!popOne(x)) ctx.emit('str.editRefused', { reason: REASON.NO_MODULE })
    reschedule(st)
    return
  }
  // reorder: a permutation of the current modules, done with real I_POP / I_PUSH.
  const order = input.order
  if (
    order.length !== names.length ||
    [...order].sort().join('\n') !== [...names].sort().join('\n')
  ) {
    ctx.emit('str.editRefused', { reason: REASON.BAD_ORDER })
    return
  }
  let depth = names.length
  while (depth > 0 && names[depth - 1] === order[depth - 1]) depth--
  const popped: StrComponent[] = []
  for (let k = 0; k < depth; k++) {
    const c = popOne(x)
    if (c) popped.push(c)
  }
  for (let k = depth - 1; k >= 0; k--) {
    const c = popped.find((p) => p.name === order[k]) as StrComponent
    pushModule(st, newComponent(c.kind, c.name, compConfig(c)))
    ctx.emit('str.pushed', { modKind: c.kind, modules: st.comps.length - 2 })
  }
  reschedule(st)
}

/** I_POP: the module's close frees everything left on its queues (and what it held). */
function popOne(x: Sx): StrComponent | undefined {
  const c = popModule(x.st)
  if (!c) return undefined
  const freed: StrMsg[] = [...c.wq.msgs, ...c.wq.transit, ...c.rq.msgs, ...c.rq.transit, ...c.held]
  freeAll(x, freed, 1)
  x.emit('str.popped', { modKind: c.kind, freed: freed.length, modules: x.st.comps.length - 2 })
  return c
}

// ---- checkpoint on the source ---------------------------------------------------------------

function initiate(ctx: HostContext, st: StrStream, partition: boolean): void {
  const s = ctx.host.str
  ctx.emit('ckpt.initiated', { stream: 0, partition: partition ? 1 : 0 })
  s.record = { ...emptyRecord(), result: 'inProgress', initiatedAt: ctx.tick }
  const v = s.veto
  if (v.mode === 'deny') {
    ctx.emit('ckpt.vetoDenied', { reason: VETO_REASONS.indexOf(v.reason) })
    s.record.result = 'denied'
    s.record.reason = REASON.VETO_DENY
    if (partition) ctx.send('ckpt.abort', { stream: 0, reason: REASON.VETO_DENY })
    return
  }
  s.ckpt = {
    phase: 'vetoWait',
    partition,
    startedAt: ctx.tick,
    frozenAt: -1,
    pos: 0,
    blocks: [],
    vetoWaitUntil: -1,
    vetoClearsAt: -1,
    restartBytes: 0,
    carried: 0,
  }
  if (v.mode === 'try') {
    ctx.emit('ckpt.vetoTry', { waitTicks: v.waitTicks })
    s.ckpt.vetoWaitUntil = ctx.tick + v.waitTicks
    s.ckpt.vetoClearsAt = v.clearsAfterTicks === undefined ? -1 : ctx.tick + v.clearsAfterTicks
    if (v.clearsAfterTicks === 0) {
      ctx.emit('ckpt.vetoCleared', { waited: 0 })
      freeze(ctx, st)
    }
    return
  }
  freeze(ctx, st)
}

function freeze(ctx: HostContext, st: StrStream): void {
  const s = ctx.host.str
  const cfg = s.cfg as StreamsScenario
  const ck = s.ckpt
  if (!ck) return
  st.frozen = true
  ck.phase = 'travelDown'
  ck.frozenAt = ctx.tick
  ck.pos = 0
  s.record.frozenAt = ctx.tick
  s.record.states = st.comps.map((c) => [...c.st])
  const n = streamMessageCount(st)
  ctx.emit('ckpt.frozen', { queued: n.queued + n.held, inTransit: n.transit })
  ctx.emit('ckpt.wpar', { state: WPAR.FROZEN })
  // The stream head allocates the checkpoint message: one block per module (cl.2), plus its own
  // section and, optionally, a driver block (S6, inferred).
  const blocks: CkptBlock[] = []
  st.comps.forEach((c, i) => {
    if (!hasBlock(st, i, cfg.checkpoint.driverBlock)) return
    const tooSmall = faultOf(s, c.name) === 2
    blocks.push({
      comp: i,
      kind: c.kind,
      name: c.name,
      capacity: tooSmall ? 16 : c.blockBytes,
      filled: false,
      bytes: undefined,
      internalBytes: 0,
      externalMsgs: 0,
    })
  })
  ck.blocks = blocks
  ctx.emit('ckpt.allocated', {
    blocks: st.comps.length - 2,
    bytes: blocks.reduce((a, b) => a + b.capacity, 0),
    driverBlock: cfg.checkpoint.driverBlock ? 1 : 0,
  })
  ctx.emit('ckpt.msgAt', { comp: 0, dir: DOWN })
}

function abortCheckpoint(ctx: HostContext, st: StrStream, comp: number, reason: number): void {
  const s = ctx.host.str
  const partition = s.ckpt?.partition ?? false
  ctx.emit('ckpt.aborted', { comp, reason })
  s.record.result = 'aborted'
  s.record.reason = reason
  s.record.comp = comp
  thawSource(ctx, st)
  if (partition) ctx.send('ckpt.abort', { stream: 0, reason })
}

function thawSource(ctx: HostContext, st: StrStream): void {
  const s = ctx.host.str
  const ck = s.ckpt
  const wasFrozen = st.frozen
  st.frozen = false
  s.ckpt = undefined
  if (!wasFrozen || !ck) return
  s.record.thawedAt = ctx.tick
  ctx.emit('ckpt.thawed', {
    frozenTicks: ctx.tick - ck.frozenAt,
    released: st.outbox.length + st.inbox.length,
  })
  ctx.emit('ckpt.wpar', { state: WPAR.ACTIVE })
}

/** Fills the block of component `i` (if it has one); false when the checkpoint was aborted. */
function fillAt(ctx: HostContext, st: StrStream, i: number): boolean {
  const s = ctx.host.str
  const cfg = s.cfg as StreamsScenario
  const ck = s.ckpt
  if (!ck) return false
  const b = ck.blocks.find((bl) => bl.comp === i)
  if (!b) return true
  const c = st.comps[i] as StrComponent
  if (i > 0 && (!c.ckpt || faultOf(s, c.name) === 1)) {
    ctx.emit('ckpt.noSupport', { comp: i, modKind: c.kind })
    abortCheckpoint(ctx, st, i, REASON.NO_CKPT_SUPPORT)
    return false
  }
  const data = fillBlock(st, i, cfg.checkpoint.driverBlock)
  if (data.bytes.length > b.capacity) {
    if (cfg.checkpoint.onBlockTooSmall === 'grow') {
      ctx.emit('ckpt.blockGrown', { comp: i, need: data.bytes.length, had: b.capacity })
      b.capacity = data.bytes.length
    } else {
      ctx.emit('ckpt.blockTooSmall', {
        comp: i,
        modKind: c.kind,
        need: data.bytes.length,
        have: b.capacity,
      })
      abortCheckpoint(ctx, st, i, REASON.BLOCK_TOO_SMALL)
      return false
    }
  }
  b.filled = true
  b.bytes = data.bytes
  b.internalBytes = data.internalBytes
  b.externalMsgs = data.externalMsgs
  ctx.emit('ckpt.blockFilled', {
    comp: i,
    modKind: c.kind,
    internalBytes: data.internalBytes,
    externalMsgs: data.externalMsgs,
    bytes: data.bytes.length,
  })
  return true
}

function advanceCheckpoint(ctx: HostContext, st: StrStream): void {
  const s = ctx.host.str
  const cfg = s.cfg as StreamsScenario
  const ck = s.ckpt
  if (!ck) return
  switch (ck.phase) {
    case 'vetoWait':
      if (ck.vetoClearsAt >= 0 && ctx.tick >= ck.vetoClearsAt) {
        ctx.emit('ckpt.vetoCleared', { waited: ctx.tick - ck.startedAt })
        freeze(ctx, st)
      } else if (ctx.tick >= ck.vetoWaitUntil) {
        ctx.emit('ckpt.aborted', { comp: -1, reason: REASON.VETO_TIMEOUT })
        s.record.result = 'aborted'
        s.record.reason = REASON.VETO_TIMEOUT
        s.ckpt = undefined
        if (ck.partition) ctx.send('ckpt.abort', { stream: 0, reason: REASON.VETO_TIMEOUT })
      }
      return
    case 'travelDown': {
      if (ctx.tick === ck.frozenAt) return
      ck.pos++
      ctx.emit('ckpt.msgAt', { comp: ck.pos, dir: DOWN })
      if (!fillAt(ctx, st, ck.pos)) return
      if (ck.pos >= st.comps.length - 1) ck.phase = 'travelUp'
      return
    }
    case 'travelUp': {
      ck.pos--
      ctx.emit('ckpt.msgAt', { comp: ck.pos, dir: 1 })
      if (ck.pos > 0) return
      // Back at the stream head: its own section, then the restart message.
      const head = ck.blocks[0] as CkptBlock
      const data = fillHeadSection(st, cfg.checkpoint.driverBlock, s.gen, s.lastSeq)
      head.filled = true
      head.bytes = data.bytes
      head.internalBytes = data.internalBytes
      head.externalMsgs = data.externalMsgs
      if (data.bytes.length > head.capacity) head.capacity = data.bytes.length
      ctx.emit('ckpt.blockFilled', {
        comp: 0,
        modKind: 0,
        internalBytes: data.internalBytes,
        externalMsgs: data.externalMsgs,
        bytes: data.bytes.length,
      })
      const rm: RestartMessage = {
        frozenAt: ck.frozenAt,
        partition: ck.partition,
        modules: st.comps.slice(1, -1).map(identityOf),
        driver: identityOf(st.comps[st.comps.length - 1] as StrComponent),
        driverBlock: cfg.checkpoint.driverBlock,
        blocks: ck.blocks.map((b) => ({ comp: b.comp, bytes: b.bytes as Uint8Array })),
      }
      const bytes = encodeRestartMessage(rm)
      const carried = ck.blocks.reduce((a, b) => a + b.externalMsgs, 0)
      ck.restartBytes = bytes.length
      ck.carried = carried
      s.record.restartBytes = bytes.length
      s.record.carried = carried
      ctx.emit('ckpt.restartMessage', {
        modules: rm.modules.length,
        blocks: rm.blocks.length,
        bytes: bytes.length,
        carried,
      })
      ctx.send(
        'rst.message',
        { stream: 0, modules: rm.modules.length, blocks: rm.blocks.length },
        { data: bytes },
      )
      ck.phase = 'shipped'
      return
    }
    case 'shipped':
      return
  }
}

// ---- messages -------------------------------------------------------------------------------

export function streamsOnMessage(ctx: HostContext, msg: NetMessage): boolean {
  const s = ctx.host.str
  switch (msg.kind) {
    case 'rst.message':
      onRestartMessage(ctx, msg.data ?? new Uint8Array(0))
      return true
    case 'rst.result': {
      const st = s.stream
      if (!st || s.ckpt?.phase !== 'shipped') return true
      if (msg.ok) {
        const frozenAt = s.ckpt.frozenAt
        ctx.emit('ckpt.sourceClosed', { frozenTicks: ctx.tick - frozenAt })
        ctx.emit('ckpt.wpar', { state: WPAR.MOVED })
        s.record.result = 'restarted'
        s.stream = undefined
        s.gen = undefined
        s.ckpt = undefined
      } else {
        s.record.result = 'verifyFailed'
        s.record.reason = msg.reason
        s.record.comp = msg.index
        thawSource(ctx, st)
      }
      return true
    }
    case 'ckpt.abort':
      if (s.partitionPending) {
        s.partitionPending = false
        ctx.emit('rst.partitionAborted', { reason: msg.reason })
      }
      return true
    default:
      return false
  }
}

function onRestartMessage(ctx: HostContext, data: Uint8Array): void {
  const s = ctx.host.str
  const cfg = s.cfg as StreamsScenario
  let rm: RestartMessage
  try {
    rm = decodeRestartMessage(data)
  } catch {
    ctx.emit('rst.tornDown', { modules: 0, reason: REASON.CORRUPT_RESTART_MESSAGE })
    ctx.send('rst.result', { stream: 0, ok: 0, reason: REASON.CORRUPT_RESTART_MESSAGE, index: -1 })
    s.partitionPending = false
    return
  }
  ctx.emit('rst.received', { bytes: data.length, modules: rm.modules.length })
  if (s.stream || s.rst) {
    ctx.emit('rst.tornDown', { modules: 0, reason: REASON.ALREADY_IN_PROGRESS })
    ctx.send('rst.result', { stream: 0, ok: 0, reason: REASON.ALREADY_IN_PROGRESS, index: -1 })
    return
  }
  s.rst = {
    phase: 'waiting',
    partition: rm.partition,
    data,
    receivedAt: ctx.tick,
    requested: cfg.checkpoint.autoRestart || rm.partition || s.restartAsked,
    cursor: 0,
    plan: [],
    missing: -1,
    extra: -1,
    frozenAt: rm.frozenAt,
  }
  s.restartAsked = false
  if (rm.partition) s.partitionPending = true
  s.record = {
    ...emptyRecord(),
    result: 'inProgress',
    frozenAt: rm.frozenAt,
    restartBytes: data.length,
    expected: rm.modules.map((m) => m.name),
  }
}

// ---- restart on the target ------------------------------------------------------------------

function teardownTarget(ctx: HostContext, reason: number, index: number): void {
  const s = ctx.host.str
  const modules = s.stream ? s.stream.comps.length - 2 : 0
  ctx.emit('ckpt.wpar', { state: WPAR.BROKEN })
  ctx.emit('rst.tornDown', { modules, reason })
  s.stream = undefined
  s.gen = undefined
  s.rst = undefined
  s.partitionPending = false
  s.record.result = 'verifyFailed'
  s.record.reason = reason
  s.record.comp = index
  ctx.send('rst.result', { stream: 0, ok: 0, reason, index })
}

function advanceRestart(ctx: HostContext): void {
  const s = ctx.host.str
  const cfg = s.cfg as StreamsScenario
  const r = s.rst
  if (!r || ctx.tick <= r.receivedAt) return
  const rm = decodeRestartMessage(r.data)
  switch (r.phase) {
    case 'waiting':
      if (!r.requested) return
      r.phase = 'open'
      openTarget(ctx, rm)
      return
    case 'open':
      openTarget(ctx, rm)
      return
    case 'push': {
      const st = s.stream as StrStream
      if (r.cursor < r.plan.length) {
        const idx = r.plan.length - 1 - r.cursor
        const id = r.plan[idx] as Identity
        r.cursor++
        if (idx === r.missing) {
          ctx.emit('rst.pushFailed', { modKind: id.kind })
          return
        }
        pushModule(st, newComponent(id.kind, id.name, id))
        ctx.emit('rst.pushed', { modKind: id.kind, modules: st.comps.length - 2 })
        return
      }
      if (r.extra >= 0) {
        pushModule(
          st,
          newComponent(r.extra, `${kindSpec(r.extra).name}-autopush`, entryConfig(cfg, undefined)),
        )
        ctx.emit('rst.autopush', { modKind: r.extra })
        r.extra = -1
        return
      }
      r.phase = 'verify'
      verifyTarget(ctx, rm)
      return
    }
    case 'verify':
      verifyTarget(ctx, rm)
      return
    case 'restore':
      restoreNext(ctx, rm)
      return
    case 'thaw':
      thawTarget(ctx)
      return
  }
}

function openTarget(ctx: HostContext, rm: RestartMessage): void {
  const s = ctx.host.str
  const cfg = s.cfg as StreamsScenario
  const r = s.rst
  if (!r) return
  if (s.target.mode === 'noDevice') {
    ctx.emit('rst.openFailed', { driver: rm.driver.kind })
    teardownTarget(ctx, REASON.DEVICE_OPEN_FAILED, -1)
    return
  }
  const st = openDevice(
    cfg,
    {
      kind: kindSpec(rm.driver.kind).name,
      name: rm.driver.name,
      checkpoint: rm.driver.ckpt,
      blockBytes: rm.driver.blockBytes,
      hiwat: rm.driver.hiwat,
      lowat: rm.driver.lowat,
    },
    ctx.tick,
  )
  st.frozen = true
  s.stream = st
  s.announced = true
  ctx.emit('rst.deviceOpened', { driver: rm.driver.kind })
  // What host B will actually push (an injected mismatch makes it differ from the record).
  const plan = rm.modules.map((m) => ({ ...m }))
  const t = s.target
  r.missing = -1
  r.extra = -1
  if (t.mode === 'missing') r.missing = plan.findIndex((m) => m.name === t.module)
  if (t.mode === 'swap' && t.at + 1 < plan.length) {
    const a = plan[t.at] as Identity
    plan[t.at] = plan[t.at + 1] as Identity
    plan[t.at + 1] = a
  }
  if (t.mode === 'extra') r.extra = kindCode(t.kind) ?? kindCode('pass') ?? -1
  r.plan = plan
  r.cursor = 0
  r.phase = 'push'
}

function verifyTarget(ctx: HostContext, rm: RestartMessage): void {
  const s = ctx.host.str
  const st = s.stream as StrStream
  const r = s.rst
  if (!r) return
  const actual = st.comps.slice(1, -1).map((c) => ({ kind: c.kind, name: c.name }))
  const expected = rm.modules
  s.record.expected = expected.map((m) => m.name)
  s.record.actual = actual.map((m) => m.name)
  let index = -1
  for (let i = 0; i < Math.max(actual.length, expected.length); i++) {
    const a = actual[i]
    const e = expected[i]
    if (!a || !e || a.kind !== e.kind || a.name !== e.name) {
      index = i
      break
    }
  }
  if (index >= 0) {
    const reason = actual.length !== expected.length ? REASON.COUNT_MISMATCH : REASON.ORDER_MISMATCH
    ctx.emit('rst.verifyFailed', {
      expected: expected.length,
      actual: actual.length,
      index,
      reason,
    })
    teardownTarget(ctx, reason, index)
    return
  }
  ctx.emit('rst.verified', { modules: actual.length })
  r.phase = 'restore'
  r.cursor = 0
}

function restoreNext(ctx: HostContext, rm: RestartMessage): void {
  const s = ctx.host.str
  const st = s.stream as StrStream
  const r = s.rst
  if (!r) return
  const blk = rm.blocks[r.cursor]
  if (!blk) {
    r.phase = 'thaw'
    thawTarget(ctx)
    return
  }
  r.cursor++
  try {
    let messages = 0
    let b
    if (blk.comp === 0) {
      const h = decodeHeadSection(blk.bytes)
      b = h.block
      st.outbox = h.outbox
      st.inbox = h.inbox
      s.gen = h.gen
      s.lastSeq = h.lastSeq
      messages += h.outbox.length + h.inbox.length
    } else b = decodeBlock(blk.bytes)
    const c = st.comps[b.comp]
    if (!c || c.kind !== b.kind || c.name !== b.name) throw new RangeError('block does not match')
    c.st = b.st
    c.held = b.held
    messages += b.held.length
    for (const q of b.queues) {
      const comp = st.comps[q.comp]
      if (!comp) throw new RangeError('block names a missing component')
      const queue = q.side === 0 ? comp.wq : comp.rq
      queue.msgs = q.msgs
      queue.transit = q.transit
      messages += q.msgs.length + q.transit.length
    }
    ctx.emit('rst.restored', { comp: b.comp, modKind: b.kind, fields: b.st.length, messages })
    if (r.cursor >= rm.blocks.length) r.phase = 'thaw'
  } catch {
    teardownTarget(ctx, REASON.CORRUPT_RESTART_MESSAGE, blk.comp)
  }
}

function thawTarget(ctx: HostContext): void {
  const s = ctx.host.str
  const st = s.stream as StrStream
  const r = s.rst
  if (!r) return
  reschedule(st)
  st.frozen = false
  const n = streamMessageCount(st)
  ctx.emit('rst.thawed', {
    frozenTicks: ctx.tick - r.frozenAt,
    requeued: n.queued + n.transit + n.held + n.boundary,
  })
  ctx.emit('ckpt.wpar', { state: WPAR.ACTIVE })
  s.record.result = 'restarted'
  s.record.thawedAt = ctx.tick
  s.record.states = st.comps.map((c) => [...c.st])
  s.partitionPending = false
  s.rst = undefined
  s.announced = true
  ctx.send('rst.result', { stream: 0, ok: 1, reason: 0, index: -1 })
}

// ---- the tick -------------------------------------------------------------------------------

export function streamsStep(ctx: HostContext): void {
  const s = ctx.host.str
  if (!s.enabled) return
  if (s.stream && !s.announced) {
    s.announced = true
    const st = s.stream
    ctx.emit('str.opened', {
      modules: st.comps.length - 2,
      driver: (st.comps[st.comps.length - 1] as StrComponent).kind,
    })
    ctx.emit('ckpt.wpar', { state: WPAR.ACTIVE })
  }
  if (s.stream && s.ckpt) advanceCheckpoint(ctx, s.stream)
  if (s.rst) advanceRestart(ctx)
  const st = s.stream
  if (!st || s.rst) return
  const x = sx(ctx, st)
  runStream(x, s.ckpt?.phase !== 'shipped')
  if (x.hops > 0) {
    s.counters.hops += x.hops
    ctx.emit('str.moved', { hops: x.hops })
  }
}

// ---- hashing --------------------------------------------------------------------------------

function hashMsgs(h: Hasher, ms: readonly StrMsg[]): void {
  hashU32(h, ms.length)
  for (const m of ms) {
    hashU32(h, m.type | (m.band << 8) | (m.dir << 16))
    hashNumber(h, m.seq)
    hashNumber(h, m.cmd)
    hashNumber(h, m.arg)
    hashU32(h, m.data.length)
  }
}

export function streamsHashState(h: Hasher, state: StreamsHostState): void {
  hashU32(h, state.enabled ? 1 : 0)
  if (!state.enabled) return
  const st = state.stream
  hashU32(h, st ? 1 : 0)
  if (st) {
    hashU32(h, st.frozen ? 1 : 0)
    hashU32(h, st.comps.length)
    for (const c of st.comps) {
      hashU32(h, c.kind)
      for (const v of c.st) hashNumber(h, v)
      hashMsgs(h, c.held)
      for (const q of [c.wq, c.rq]) {
        hashMsgs(h, q.msgs)
        hashMsgs(h, q.transit)
        hashU32(h, (q.full ? 1 : 0) | (q.wantw ? 2 : 0) | (q.enabled ? 4 : 0))
      }
    }
    for (const code of st.runq) hashU32(h, code)
    hashMsgs(h, st.outbox)
    hashMsgs(h, st.inbox)
  }
  const g = state.gen
  if (g) {
    for (let i = 0; i < 4; i++) hashU32(h, g.rng[i] as number)
    hashNumber(h, g.nextSeq[0] as number)
    hashNumber(h, g.nextSeq[1] as number)
    hashNumber(h, g.ioctlOut)
  }
  const ck = state.ckpt
  hashU32(h, ck ? 1 + ['vetoWait', 'travelDown', 'travelUp', 'shipped'].indexOf(ck.phase) : 0)
  if (ck) hashNumber(h, ck.pos)
  const r = state.rst
  hashU32(h, r ? 1 + ['waiting', 'open', 'push', 'verify', 'restore', 'thaw'].indexOf(r.phase) : 0)
  if (r) hashNumber(h, r.cursor)
  hashU32(h, state.partitionPending ? 1 : 0)
  const c = state.counters
  for (const v of [...c.sent, ...c.delivered, ...c.discarded, c.heldDuringFreeze, c.hops])
    hashNumber(h, v)
  hashNumber(h, c.blockedWrites)
  hashNumber(h, c.overruns)
}
