/**
 * The migration engine's side of one host. OWNED BY THE MIGRATION ENGINE.
 * Contract with src/sim/host.ts (keep these five exports and their signatures):
 *   createMigrationHostState, migrationOnInput, migrationOnMessage, migrationStep, migrationHashState
 *
 * Host 0 (A) is the departure machine, host 1 (B) the arrival machine. Both run this code; each
 * acts only on its own state, the inputs and the messages it receives. Page bytes cross only inside
 * messages. The process runs on A until it is interrupted, then (after its checkpoint crossed the
 * link) on B. See docs/cli.md for the flow and the strategies.
 */
import type { HostId } from '../events'
import { hashBytes, hashNumber, hashU32, type Hasher } from '../hash'
import type { HostContext } from '../hostTypes'
import type { UserInput } from '../inputs'
import { allocBytes } from '../bytes'
import { fillText, INIT, initPage, markWritten, stampWrite, type HostMemory } from '../memory'
import type { NetMessage, NetMessageOf } from '../messages'
import { linkParams, linkQueuedMessages } from '../net'
import { PAGE } from '../pageState'
import type { Scenario } from '../scenario'
import {
  ACC,
  createWorkload,
  mapVpage,
  pageKinds,
  refill,
  SEG,
  segmentLayout,
  WL,
  workloadParams,
  type TraceChunk,
  type WorkloadParams,
  type WorkloadState,
} from '../workload/workload'
import { streamsAllowProcessResume } from '../streams/engine'
import { PARTITION_MIGRATE } from './inputs'
import { MigrationScenarioSchema, type MigrationScenario } from './scenario'
import {
  ATTR,
  decodeRestart,
  decodeTable,
  encodeRestart,
  encodeTable,
  restartByteLength,
} from './table'

/** Transfer categories (index of the counters). */
export const CAT = {
  CHECKPOINT: 0,
  PINNED: 1,
  NONPRIVATE: 2,
  HOT: 3,
  DEMAND: 4,
  PROXIMAL: 5,
  PREFETCH: 6,
  BACKGROUND: 7,
  PRECOPY: 8,
  STOPCOPY: 9,
} as const
export const CAT_NAMES = [
  'checkpoint',
  'pinned',
  'nonPrivate',
  'hot',
  'demand',
  'proximal',
  'prefetch',
  'background',
  'precopy',
  'stopcopy',
] as const
const NCAT = CAT_NAMES.length

/** Where a page is, from host B's point of view. */
export const LOC = {
  NONE: 0,
  /** On the remote paging device (host A), not requested. */
  REMOTE: 1,
  /** Page-in requested, not arrived. */
  REQUESTED: 2,
  /** Already sent by A (hybrid: current copy in flight), not arrived. */
  INCOMING: 3,
  /** Bytes in B's frames, not mapped yet (a touch is a minor fault). */
  ARRIVED: 4,
  MAPPED: 5,
  /** In B's local paging device. */
  PAGEDOUT: 6,
  /** Zero page, not generated yet. */
  ZERO: 7,
  /** Local copy available, not copied yet. */
  LOCAL: 8,
  /** Was on host A when it crashed or was released. */
  LOST: 9,
} as const

export const STRATEGY = { postcopy: 0, precopy: 1, stopcopy: 2, hybrid: 3 } as const
export const PREPAGING = { none: 0, patent: 1, push: 2, bubbling: 3, criu: 4 } as const
const DIR = { after: 0, before: 1, around: 2 } as const

export const PHASE_A = { RUN: 0, PRECOPY: 1, CKPT: 2, SERVE: 3, RELEASED: 4, CRASHED: 5 } as const
export const PHASE_B = { IDLE: 0, RESTARTING: 1, RUNNING: 2, LOST: 3 } as const
export const PROC = {
  NONE: 0,
  RUNNING: 1,
  /** Waiting for a page from the network. */
  BLOCKED: 2,
  /** Waiting for the local paging device. */
  STALLED: 3,
  FROZEN: 4,
  EXITED: 5,
  LOST: 6,
} as const

const REASON = { DEMAND: 0, PINNED: 1, BACKGROUND: 2 } as const

/** Bits of the per-page entry the process loop tests (`present`). */
export const PT = {
  /** Mapped: the access proceeds without a fault. */
  PRESENT: 1,
  /** A text page: the first write makes it private data (copy-on-write). */
  TEXT: 2,
  /** Referenced since the last sweep (the hardware reference bit; feeds `lastUse`). */
  REF: 4,
  /** Written since dirty tracking last cleared it (mirrors PAGE.DIRTY in the page-state byte). */
  DIRTY: 8,
} as const
/** Reference bits are folded into `lastUse` every this many ticks. */
const SWEEP_TICKS = 512
const TRAILER = 8
const KIB64 = 65536
const MIB4 = 4 << 20

export interface MigCfg {
  readonly strategy: number
  readonly prepaging: number
  readonly pinnedFetch: boolean
  readonly eagerHot: number
  readonly proximal: number
  readonly proxDir: number
  readonly bgWaitTicks: number
  readonly bgFirst: number
  readonly bgLatencyTicks: number
  readonly bgSecond: number
  readonly bgDeadlineTicks: number
  readonly bgBatch: number
  readonly bgWindow: number
  readonly frameLimit: number
  readonly localPageInTicks: number
  readonly requestTimeoutTicks: number
  readonly releaseAtDeadline: boolean
  readonly downtimeLimitBytes: number
  readonly maxRounds: number
  readonly checkpointTicks: number
  readonly restartTicks: number
  readonly minorCost: number
  readonly localCost: number
  readonly accessesPerTick: number
  readonly appInstalled: boolean
  readonly lostPageEvents: number
  readonly bytesPerTick: number
  readonly latencyTicks: number
  readonly pageWire: number
  readonly tickUs: number
  /** `migration.migrateAtTick` (-1 = none). */
  readonly migrateAtTick: number
}

export interface MigCounters {
  catPages: number[]
  catBytes: number[]
  checkpointMessages: number
  requestMessages: number
  requestBytes: number
  faultsNetwork: number
  faultsMinor: number
  faultsZero: number
  faultsLocalCopy: number
  faultsLocalPageIn: number
  /** Post-freeze page arrivals for a page already received after the freeze (must stay 0). */
  duplicates: number
  /** Pre-copy copies older than one already received (overtaken after a retransmission). */
  staleDrops: number
  pageOuts: number
  pushDiscarded: number
  requestsIgnored: number
  retries: number
  /** Pages mapped twice on B (must stay 0). */
  doubleMaps: number
}

export interface ProcState {
  status: number
  pid: number
  blockedPage: number
  blockedSince: number
  lastRequestTick: number
  attempts: number
  stallUntil: number
  /** Access budget carried between ticks (fault handling costs accesses). */
  budget: number
  /** The trigger was a whole-partition migration (STREAMS coupling). */
  byPartition: boolean
}

/** Plain data only (structured-cloneable): it is snapshotted for time travel. */
export interface MigrationHostState {
  readonly enabled: boolean
  readonly host: HostId
  readonly seed: number
  readonly pages: number
  readonly pageSize: number
  readonly cfg: MigCfg
  readonly P: WorkloadParams
  seg: Uint8Array
  init: Uint8Array
  /** Content version of each page as held on this host. */
  ver: Uint32Array
  /** 1 = mapped for the process here (the per-access presence test). */
  present: Uint8Array
  lastUse: Uint32Array
  wl: WorkloadState
  proc: ProcState
  phase: number
  /** Migration started (command seen on this host). */
  started: boolean
  commandTick: number
  interruptTick: number
  resumeTick: number
  completeTick: number
  releaseTick: number
  crashTick: number
  // ---- departure side
  sent: Uint8Array
  device: Uint8Array
  /** Own queue of non-urgent pages (fed to the link as it drains) and their categories. */
  q: Int32Array
  qCat: Uint8Array
  qHead: number
  qLen: number
  pushing: boolean
  pushCursor: number
  pivot: number
  bubble: number
  windowBytes: number
  round: number
  roundList: Int32Array
  roundLen: number
  roundPos: number
  roundPages: number[]
  /** Ticks at which each pre-copy round started (the last entry: the stop-and-copy). */
  roundTicks: number[]
  stopReason: number
  devicePages: number
  pendingCkpt: PendingCkpt | undefined
  // ---- arrival side
  loc: Uint8Array
  attr: Uint8Array
  offsets: Int32Array
  recv: Uint8Array
  rround: Uint16Array
  demanded: Uint8Array
  ckptTick: number
  restartReadyTick: number
  interruptTickA: number
  eagerExpected: number
  eagerArrived: number
  eagerList: Int32Array
  pinnedPending: number
  finalRound: number
  finalPages: number
  finalArrived: number
  deviceRemaining: number
  localRemaining: number
  doneSent: boolean
  bgStage: number
  bgStageTick: number
  bgCursor: number
  bgQuota: number
  bgTouched: number
  bgR0: number
  bgOutstanding: number
  localCursor: number
  deadlineChecked: boolean
  residentCount: number
  evictHand: number
  swap: Uint8Array | undefined
  faultLatTicks: number[]
  lostPages: number[]
  c: MigCounters
}

const DEFAULT_SECTION: MigrationScenario = MigrationScenarioSchema.parse({})

function deriveCfg(scenario: Scenario, m: MigrationScenario): MigCfg {
  const tickUs = scenario.tickUs
  const lp = linkParams(scenario.link, tickUs)
  const ticks = (us: number) => Math.max(0, Math.round(us / tickUs))
  const pc = m.postcopy
  const arrival = m.arrivalPageSize ?? m.pageSize
  const proximal =
    pc.proximal === 'on' ||
    (pc.proximal === 'auto' && arrival > m.pageSize && arrival % m.pageSize === 0)
      ? 3
      : 0
  const pageWire = scenario.link.headerBytes + m.pageSize + TRAILER
  const rtt = 2 * lp.latencyTicks + Math.ceil(pageWire / lp.bytesPerTick)
  const bdpPages = Math.ceil((rtt * lp.bytesPerTick) / pageWire)
  return {
    strategy: STRATEGY[m.strategy],
    prepaging: PREPAGING[pc.prepaging],
    pinnedFetch: pc.pinnedData === 'fetch',
    eagerHot: pc.eagerHotPages,
    proximal,
    proxDir: DIR[pc.proximalDirection],
    bgWaitTicks: ticks(pc.background.waitUs),
    bgFirst: pc.background.firstFraction,
    bgLatencyTicks: ticks(pc.background.latencyUs),
    bgSecond: pc.background.secondFraction,
    bgDeadlineTicks: Math.max(1, ticks(pc.background.deadlineUs)),
    bgBatch: pc.background.batchPages,
    bgWindow: Math.max(2 * pc.background.batchPages, 2 * bdpPages),
    frameLimit: pc.frameLimit,
    localPageInTicks: Math.max(1, ticks(pc.localPageInUs)),
    requestTimeoutTicks:
      pc.requestTimeoutUs > 0 ? Math.max(1, ticks(pc.requestTimeoutUs)) : 50 * rtt,
    releaseAtDeadline: pc.releaseAtDeadline,
    downtimeLimitBytes: (m.precopy.downtimeLimitUs / tickUs) * lp.bytesPerTick,
    maxRounds: m.precopy.maxRounds,
    checkpointTicks: ticks(m.costs.checkpointUs),
    restartTicks: ticks(m.costs.restartUs),
    minorCost: (m.costs.minorFaultUs / tickUs) * m.workload.accessesPerTick,
    localCost: (m.costs.localFaultUs / tickUs) * m.workload.accessesPerTick,
    accessesPerTick: m.workload.accessesPerTick,
    appInstalled: m.appInstalledOnTarget,
    lostPageEvents: m.lostPageEvents,
    bytesPerTick: lp.bytesPerTick,
    latencyTicks: lp.latencyTicks,
    pageWire,
    tickUs,
    migrateAtTick: m.migrateAtTick ?? -1,
  }
}

function zeroCounters(): MigCounters {
  return {
    catPages: Array.from({ length: NCAT }, () => 0),
    catBytes: Array.from({ length: NCAT }, () => 0),
    checkpointMessages: 0,
    requestMessages: 0,
    requestBytes: 0,
    faultsNetwork: 0,
    faultsMinor: 0,
    faultsZero: 0,
    faultsLocalCopy: 0,
    faultsLocalPageIn: 0,
    duplicates: 0,
    staleDrops: 0,
    pageOuts: 0,
    pushDiscarded: 0,
    requestsIgnored: 0,
    retries: 0,
    doubleMaps: 0,
  }
}

export function createMigrationHostState(
  scenario: Scenario,
  host: HostId,
  mem: HostMemory,
): MigrationHostState {
  const m = scenario.migration ?? DEFAULT_SECTION
  const layout = segmentLayout(m)
  const P = workloadParams(m, layout)
  const trace = P.kind === WL.TRACE
  const kinds = pageKinds(m, layout, trace)
  const pages = m.pages
  const ps = m.pageSize
  const st: MigrationHostState = {
    enabled: scenario.migration !== undefined,
    host,
    seed: scenario.seed,
    pages,
    pageSize: ps,
    cfg: deriveCfg(scenario, m),
    P,
    seg: kinds.seg,
    init: kinds.init,
    ver: new Uint32Array(pages),
    present: new Uint8Array(pages),
    lastUse: new Uint32Array(pages),
    wl: createWorkload(m, scenario.seed, P),
    proc: {
      status: PROC.NONE,
      pid: 4242,
      blockedPage: -1,
      blockedSince: 0,
      lastRequestTick: 0,
      attempts: 0,
      stallUntil: 0,
      budget: 0,
      byPartition: false,
    },
    phase: 0,
    started: false,
    commandTick: -1,
    interruptTick: -1,
    resumeTick: -1,
    completeTick: -1,
    releaseTick: -1,
    crashTick: -1,
    sent: new Uint8Array(host === 0 ? pages : 0),
    device: new Uint8Array(host === 0 ? pages : 0),
    q: new Int32Array(host === 0 ? pages + 64 : 0),
    qCat: new Uint8Array(host === 0 ? pages + 64 : 0),
    qHead: 0,
    qLen: 0,
    pushing: false,
    pushCursor: 0,
    pivot: 0,
    bubble: 1,
    windowBytes: KIB64,
    round: -1,
    roundList: new Int32Array(host === 0 ? pages : 0),
    roundLen: 0,
    roundPos: 0,
    roundPages: [],
    roundTicks: [],
    stopReason: -1,
    devicePages: 0,
    pendingCkpt: undefined,
    loc: new Uint8Array(host === 1 ? pages : 0),
    attr: new Uint8Array(host === 1 ? pages : 0),
    offsets: new Int32Array(host === 1 ? pages : 0),
    recv: new Uint8Array(host === 1 ? pages : 0),
    rround: new Uint16Array(host === 1 ? pages : 0).fill(0xffff),
    demanded: new Uint8Array(host === 1 ? pages : 0),
    ckptTick: -1,
    restartReadyTick: -1,
    interruptTickA: -1,
    eagerExpected: 0,
    eagerArrived: 0,
    eagerList: new Int32Array(0),
    pinnedPending: 0,
    finalRound: -1,
    finalPages: 0,
    finalArrived: 0,
    deviceRemaining: 0,
    localRemaining: 0,
    doneSent: false,
    bgStage: 0,
    bgStageTick: 0,
    bgCursor: 0,
    bgQuota: 0,
    bgTouched: 0,
    bgR0: 0,
    bgOutstanding: 0,
    localCursor: 0,
    deadlineChecked: false,
    residentCount: 0,
    evictHand: 0,
    swap: undefined,
    faultLatTicks: [],
    lostPages: [],
    c: zeroCounters(),
  }
  if (host === 0 && st.enabled) {
    // The process starts on A with every page of its address space mapped.
    for (let p = 0; p < pages; p++) {
      const k = st.init[p] as number
      if (k !== INIT.ZERO) initPage(mem.frames, p * ps, ps, st.seed, p, k)
    }
    for (let p = 0; p < pages; p++)
      st.present[p] = st.seg[p] === SEG.TEXT ? PT.PRESENT | PT.TEXT : PT.PRESENT
    st.proc.status = PROC.RUNNING
    publishAllA(st, mem)
  }
  return st
}

// ---------------------------------------------------------------------------------------------
// Helpers

function isZeroPage(m: MigrationHostState, p: number): boolean {
  return m.ver[p] === 0 && m.init[p] === INIT.ZERO
}

function isLocalCopy(m: MigrationHostState, p: number): boolean {
  return m.cfg.appInstalled && m.seg[p] === SEG.TEXT
}

function isPrivateSeg(s: number): boolean {
  return s === SEG.DATA || s === SEG.HEAP || s === SEG.STACK || s === SEG.PINNED
}

function publishAllA(m: MigrationHostState, mem: HostMemory): void {
  const ps = mem.pageState
  for (let p = 0; p < m.pages; p++) {
    let f = PAGE.RESIDENT
    if (m.seg[p] === SEG.PINNED) f |= PAGE.PINNED
    if (isZeroPage(m, p)) f |= PAGE.ZERO
    ps[p] = f
  }
}

function proximalSet(p: number, dir: number, n: number, pages: number): number[] {
  const out: number[] = []
  if (n <= 0) return out
  const cand =
    dir === DIR.after
      ? [p + 1, p + 2, p + 3]
      : dir === DIR.before
        ? [p - 1, p - 2, p - 3]
        : [p - 1, p + 1, p + 2]
  for (const q of cand) if (q >= 0 && q < pages && out.length < n) out.push(q)
  return out
}

function pageData(
  mem: HostMemory,
  m: MigrationHostState,
  p: number,
  cat: number,
  round: number,
): Uint8Array {
  const data = allocBytes(m.pageSize + TRAILER)
  writePage(mem, m, p, cat, round, data, 0)
  return data
}

/** A page's bytes and its trailer (version, category, round) into `data` at `at`. */
function writePage(
  mem: HostMemory,
  m: MigrationHostState,
  p: number,
  cat: number,
  round: number,
  data: Uint8Array,
  at: number,
): void {
  const ps = m.pageSize
  data.set(mem.frames.subarray(p * ps, p * ps + ps), at)
  const v = m.ver[p] as number
  const t = at + ps
  data[t] = v
  data[t + 1] = v >>> 8
  data[t + 2] = v >>> 16
  data[t + 3] = v >>> 24
  data[t + 4] = cat
  data[t + 6] = round
  data[t + 7] = round >>> 8
}

// ---------------------------------------------------------------------------------------------
// Inputs

export function migrationOnInput(ctx: HostContext, input: UserInput): void {
  const m = ctx.host.mig
  if (!m.enabled) return
  const type = (input as { type: string }).type
  if (type === 'migrate' || type === PARTITION_MIGRATE) {
    if (m.started) return
    m.started = true
    m.commandTick = ctx.tick
    m.proc.byPartition = type === PARTITION_MIGRATE
    if (ctx.host.id === 0) startMigration(ctx, m)
    return
  }
  if (type === 'fault.sourceCrash') {
    if (ctx.host.id === 0) crashA(ctx, m)
    else crashSeenByB(ctx, m)
  }
}

// ---------------------------------------------------------------------------------------------
// Departure side (host A)

function startMigration(ctx: HostContext, m: MigrationHostState): void {
  if (m.phase !== PHASE_A.RUN || m.proc.status === PROC.EXITED) return
  ctx.emit('mig.command', { strategy: m.cfg.strategy })
  const s = m.cfg.strategy
  if (s === STRATEGY.precopy || s === STRATEGY.hybrid) {
    m.phase = PHASE_A.PRECOPY
    startRound(ctx, m, 0)
  } else {
    freeze(ctx, m, s === STRATEGY.stopcopy ? 2 : -1)
  }
}

/** Device pages: everything the target cannot generate itself (not zero, no local copy). */
function isDevice(m: MigrationHostState, p: number): boolean {
  return !isZeroPage(m, p) && !isLocalCopy(m, p)
}

function startRound(ctx: HostContext, m: MigrationHostState, round: number): void {
  const ps = ctx.host.mem.pageState
  let n = 0
  for (let p = 0; p < m.pages; p++) {
    const take = round === 0 ? isDevice(m, p) : ((ps[p] as number) & PAGE.DIRTY) !== 0
    if (take) {
      m.roundList[n++] = p
      ps[p] = (ps[p] as number) & ~PAGE.DIRTY
      m.present[p] = (m.present[p] as number) & ~PT.DIRTY
    }
  }
  m.round = round
  m.roundLen = n
  m.roundPos = 0
  m.roundPages.push(n)
  m.roundTicks.push(ctx.tick)
  ctx.emit('mig.precopyRound', { round, pages: n, bytes: n * m.cfg.pageWire })
}

function countDirty(ctx: HostContext, m: MigrationHostState): number {
  const ps = ctx.host.mem.pageState
  let n = 0
  for (let p = 0; p < m.pages; p++) if ((ps[p] as number) & PAGE.DIRTY) n++
  return n
}

function precopyStep(ctx: HostContext, m: MigrationHostState): void {
  const link = ctx.host.link
  const want = wantQueued(m)
  while (m.roundPos < m.roundLen && linkQueuedMessages(link) < want) {
    const p = m.roundList[m.roundPos++] as number
    sendPageMsg(ctx, m, p, CAT.PRECOPY, 'page.precopy', false, m.round)
  }
  if (m.roundPos < m.roundLen || linkQueuedMessages(link) > 0) return
  // Round done: what did the workload dirty meanwhile?
  const dirty = countDirty(ctx, m)
  const prev = m.roundPages[m.roundPages.length - 1] as number
  if (dirty > 0.8 * prev && m.round > 0)
    ctx.emit('mig.precopyDiverging', { round: m.round, dirtyPages: dirty })
  if (m.cfg.strategy === STRATEGY.hybrid) {
    freeze(ctx, m, 3)
    return
  }
  if (dirty * m.cfg.pageWire <= m.cfg.downtimeLimitBytes) freeze(ctx, m, 0)
  else if (m.round + 1 >= m.cfg.maxRounds) freeze(ctx, m, 1)
  else startRound(ctx, m, m.round + 1)
}

function sendPageMsg(
  ctx: HostContext,
  m: MigrationHostState,
  p: number,
  cat: number,
  kind: 'page.reply' | 'page.eager' | 'page.precopy',
  urgent: boolean,
  round: number,
): void {
  const data = pageData(ctx.host.mem, m, p, cat, Math.max(0, round))
  if (kind === 'page.reply') ctx.send(kind, { page: p }, { data, urgent })
  else if (kind === 'page.precopy') ctx.send(kind, { page: p, round }, { data, urgent })
  else ctx.send(kind, { page: p, cat }, { data, urgent })
  m.c.catPages[cat] = (m.c.catPages[cat] as number) + 1
  m.c.catBytes[cat] = (m.c.catBytes[cat] as number) + data.length + ctx.host.link.params.headerBytes
}

/** Post-freeze send: each device page at most once. */
function sendOnce(
  ctx: HostContext,
  m: MigrationHostState,
  p: number,
  cat: number,
  kind: 'page.reply' | 'page.eager',
  urgent: boolean,
): boolean {
  if (m.sent[p] || !m.device[p]) return false
  m.sent[p] = 1
  sendPageMsg(ctx, m, p, cat, kind, urgent, 0)
  const ps = ctx.host.mem.pageState
  ps[p] = ((ps[p] as number) & (PAGE.PINNED | PAGE.ZERO)) | PAGE.REMOTE
  return true
}

/**
 * Interrupt + freeze + index table + checkpoint (P1-02..P1-12). `stopReason` >= 0 for the pre-copy
 * family (0 converged, 1 round cap, 2 stop-and-copy, 3 hybrid), -1 for post-copy.
 */
function freeze(ctx: HostContext, m: MigrationHostState, stopReason: number): void {
  const mem = ctx.host.mem
  m.interruptTick = ctx.tick
  m.proc.status = PROC.FROZEN
  m.stopReason = stopReason
  ctx.emit('proc.interrupt', { pc: m.wl.pc, accesses: m.wl.accesses })
  ctx.emit('mig.freeze', { pages: m.pages })
  m.phase = PHASE_A.CKPT
  // Index table of the locations in use at the interruption, offsets mapped now (before sending).
  const pages = m.pages
  const zero = new Uint8Array(pages)
  const attr = new Uint8Array(pages)
  let zeroPages = 0
  let localPages = 0
  let pinnedPages = 0
  for (let p = 0; p < pages; p++) {
    const s = m.seg[p] as number
    let a = 0
    if (s === SEG.PINNED) {
      a |= ATTR.PINNED
      pinnedPages++
    }
    if (isPrivateSeg(s)) a |= ATTR.PRIVATE
    if (isLocalCopy(m, p)) {
      a |= ATTR.LOCAL
      localPages++
    }
    attr[p] = a
    if (isZeroPage(m, p)) {
      zero[p] = 1
      zeroPages++
    }
    m.device[p] = zero[p] || a & ATTR.LOCAL ? 0 : 1
  }
  const postcopy = m.cfg.strategy === STRATEGY.postcopy || m.cfg.strategy === STRATEGY.hybrid
  let eager: Uint8Array | undefined
  let current: Uint8Array | undefined
  const eagerPages: number[] = []
  let nPinned = 0
  let nNonPrivate = 0
  let nHot = 0
  const cats: number[] = []
  if (postcopy) {
    if (m.cfg.strategy === STRATEGY.hybrid) {
      // Pages sent in the pre-copy round and not dirtied since: the target holds them already.
      current = new Uint8Array(pages)
      for (let i = 0; i < m.roundLen; i++) {
        const p = m.roundList[i] as number
        if (!((mem.pageState[p] as number) & PAGE.DIRTY)) {
          current[p] = 1
          m.sent[p] = 1
        }
      }
    }
    const isEager = new Uint8Array(pages)
    for (let p = 0; p < pages; p++) {
      if (!m.device[p] || m.sent[p]) continue
      const a = attr[p] as number
      if (a & ATTR.PINNED) {
        if (!m.cfg.pinnedFetch) {
          isEager[p] = 1
          eagerPages.push(p)
          cats.push(CAT.PINNED)
          nPinned++
        }
      } else if (!(a & ATTR.PRIVATE)) {
        isEager[p] = 1
        eagerPages.push(p)
        cats.push(CAT.NONPRIVATE)
        nNonPrivate++
      }
    }
    if (m.cfg.eagerHot > 0) {
      // The small portion (S10): the most recently used private pages.
      sweepRef(m, ctx.tick)
      const cand: number[] = []
      for (let p = 0; p < pages; p++) {
        if (m.device[p] && !m.sent[p] && !isEager[p] && (attr[p] as number) & ATTR.PRIVATE)
          cand.push(p)
      }
      cand.sort((x, y) => (m.lastUse[y] as number) - (m.lastUse[x] as number) || x - y)
      for (const p of cand.slice(0, m.cfg.eagerHot)) {
        isEager[p] = 1
        eagerPages.push(p)
        cats.push(CAT.HOT)
        nHot++
      }
    }
    if (eagerPages.length > 0) eager = isEager
  }
  const table = encodeTable({ pages, seg: m.seg, attr, zero, eager, current })
  m.devicePages = table.devicePages
  ctx.emit('mig.indexTable', {
    entries: pages,
    runs: table.runs,
    zeroPages,
    localPages,
    pinnedPages,
  })
  ctx.emit('mig.offsetsMapped', {
    devicePages: table.devicePages,
    deviceBytes: table.devicePages * m.pageSize,
  })
  const restart = encodeRestart(m.wl, m.proc.pid, 1)
  const pkg = new Uint8Array(restart.length + table.bytes.length)
  pkg.set(restart, 0)
  pkg.set(table.bytes, restart.length)
  ctx.emit('mig.checkpoint', {
    bytes: pkg.length,
    tableBytes: table.bytes.length,
    restartBytes: restart.length,
    eagerPages: eagerPages.length,
  })
  // Final round of the pre-copy family: every dirty page (or, for stop-and-copy, every device page).
  let finalRound = -1
  let finalPages = 0
  if (!postcopy) {
    finalRound = stopReason === 2 ? 0 : m.round + 1
    m.roundLen = 0
    for (let p = 0; p < pages; p++) {
      const take =
        stopReason === 2 ? m.device[p] === 1 : ((mem.pageState[p] as number) & PAGE.DIRTY) !== 0
      if (take) m.roundList[m.roundLen++] = p
    }
    m.roundPos = 0
    finalPages = m.roundLen
    m.round = finalRound
    m.roundPages.push(finalPages)
    m.roundTicks.push(ctx.tick)
    ctx.emit('mig.stopCopy', { round: finalRound, pages: finalPages, reason: stopReason })
  }
  m.pendingCkpt = {
    data: pkg,
    tableBytes: table.bytes.length,
    restartBytes: restart.length,
    eager: eagerPages,
    cats,
    finalRound,
    finalPages,
    nPinned,
    nNonPrivate,
    nHot,
    readyTick: ctx.tick + m.cfg.checkpointTicks,
  }
}

export interface PendingCkpt {
  data: Uint8Array
  tableBytes: number
  restartBytes: number
  eager: number[]
  cats: number[]
  finalRound: number
  finalPages: number
  nPinned: number
  nNonPrivate: number
  nHot: number
  readyTick: number
}

function sendCheckpoint(ctx: HostContext, m: MigrationHostState, c: PendingCkpt): void {
  const postcopy = c.finalRound < 0
  if (!postcopy) {
    // Stop-and-copy round first, then the checkpoint (B restarts when both are in).
    for (let i = 0; i < m.roundLen; i++) {
      const p = m.roundList[i] as number
      m.sent[p] = 1
      enqueue(m, p, CAT.STOPCOPY)
    }
  }
  ctx.send(
    'mig.checkpoint',
    {
      strategy: m.cfg.strategy,
      tableBytes: c.tableBytes,
      restartBytes: c.restartBytes,
      eagerPages: c.eager.length,
      finalRound: c.finalRound,
      finalPages: c.finalPages,
      interruptTick: m.interruptTick,
    },
    { data: c.data, urgent: true },
  )
  m.c.checkpointMessages++
  m.c.catBytes[CAT.CHECKPOINT] =
    (m.c.catBytes[CAT.CHECKPOINT] as number) + c.data.length + ctx.host.link.params.headerBytes
  for (let i = 0; i < c.eager.length; i++) {
    sendOnce(ctx, m, c.eager[i] as number, c.cats[i] as number, 'page.eager', true)
  }
  ctx.emit('mig.checkpointSent', {
    pinnedPages: c.nPinned,
    nonPrivatePages: c.nNonPrivate,
    hotPages: c.nHot,
    eagerPages: c.eager.length,
    totalPages: m.pages,
  })
  m.phase = PHASE_A.SERVE
}

function enqueue(m: MigrationHostState, p: number, cat: number): void {
  if (m.qLen >= m.q.length) return
  const i = (m.qHead + m.qLen) % m.q.length
  m.q[i] = p
  m.qCat[i] = cat
  m.qLen++
}

/** About two ticks' worth of pages (at least two messages) queued on the link keeps it busy. */
function wantQueued(m: MigrationHostState): number {
  return Math.max(2, Math.ceil((2 * m.cfg.bytesPerTick) / m.cfg.pageWire) + 1)
}

/** Keeps about two ticks' worth of non-urgent pages on the link; the rest waits in our own queue. */
function feedLink(ctx: HostContext, m: MigrationHostState): void {
  const link = ctx.host.link
  const want = wantQueued(m)
  while (linkQueuedMessages(link) < want) {
    if (m.qLen === 0 && m.pushing) refillPush(m)
    if (m.qLen === 0) return
    const p = m.q[m.qHead] as number
    const cat = m.qCat[m.qHead] as number
    m.qHead = (m.qHead + 1) % m.q.length
    m.qLen--
    if (cat === CAT.STOPCOPY) {
      sendPageMsg(ctx, m, p, cat, 'page.precopy', false, m.round)
      const ps = ctx.host.mem.pageState
      ps[p] = ((ps[p] as number) & (PAGE.PINNED | PAGE.ZERO)) | PAGE.REMOTE
    } else if (pushable(m, p)) {
      // Background pages travel in small batches (like CRIU's chunks): one message, several pages.
      const batch = [p]
      const cats = [cat]
      while (batch.length < PUSH_BATCH && m.qLen > 0) {
        const q = m.q[m.qHead] as number
        const qc = m.qCat[m.qHead] as number
        if (qc === CAT.STOPCOPY) break
        m.qHead = (m.qHead + 1) % m.q.length
        m.qLen--
        if (pushable(m, q) && batch.indexOf(q) < 0) {
          batch.push(q)
          cats.push(qc)
        }
      }
      sendPushBatch(ctx, m, batch, cats)
    }
  }
}

const PUSH_BATCH = 4

function sendPushBatch(
  ctx: HostContext,
  m: MigrationHostState,
  batch: number[],
  cats: number[],
): void {
  const ps = m.pageSize
  const n = batch.length
  const stride = ps + TRAILER
  const data = new Uint8Array(4 * n + n * stride)
  const ids = new DataView(data.buffer)
  const pstate = ctx.host.mem.pageState
  const header = ctx.host.link.params.headerBytes
  for (let i = 0; i < n; i++) {
    const p = batch[i] as number
    const cat = cats[i] as number
    ids.setUint32(4 * i, p, true)
    writePage(ctx.host.mem, m, p, cat, 0, data, 4 * n + i * stride)
    m.sent[p] = 1
    pstate[p] = ((pstate[p] as number) & (PAGE.PINNED | PAGE.ZERO)) | PAGE.REMOTE
    m.c.catPages[cat] = (m.c.catPages[cat] as number) + 1
    m.c.catBytes[cat] = (m.c.catBytes[cat] as number) + 4 + stride + (i === 0 ? header : 0)
  }
  ctx.send('page.push', { page: batch[0] as number, cat: cats[0] as number, count: n }, { data })
}

function pushable(m: MigrationHostState, p: number): boolean {
  return m.device[p] === 1 && m.sent[p] === 0
}

/** A-driven pre-paging: push-only, bubbling around the last fault, CRIU's growing window. */
function refillPush(m: MigrationHostState): void {
  const pages = m.pages
  const mode = m.cfg.prepaging
  if (mode === PREPAGING.bubbling) {
    let n = 0
    while (n < 16) {
      const k = m.bubble
      const fwd = m.pivot + k
      const back = m.pivot - k
      if (fwd >= pages && back < 0) break
      if (fwd < pages && pushable(m, fwd)) {
        enqueue(m, fwd, CAT.PREFETCH)
        n++
      }
      if (back >= 0 && pushable(m, back)) {
        enqueue(m, back, CAT.PREFETCH)
        n++
      }
      m.bubble++
    }
    if (n > 0) return
    if (pushable(m, m.pivot)) {
      enqueue(m, m.pivot, CAT.PREFETCH)
      return
    }
    // The bubble covers everything: fall through to an address-order sweep for stragglers.
  }
  if (mode === PREPAGING.criu) {
    while (m.pushCursor < pages && !pushable(m, m.pushCursor)) m.pushCursor++
    const max = Math.max(1, Math.floor(m.windowBytes / m.pageSize))
    let n = 0
    for (let p = m.pushCursor; p < pages && n < max && pushable(m, p); p++) {
      enqueue(m, p, CAT.PREFETCH)
      n++
    }
    m.windowBytes = Math.min(m.windowBytes + KIB64, MIB4)
    if (n > 0) return
  }
  let n = 0
  while (m.pushCursor < pages && n < 16) {
    if (pushable(m, m.pushCursor)) {
      enqueue(m, m.pushCursor, CAT.PREFETCH)
      n++
    }
    m.pushCursor++
  }
  if (n === 0 && m.pushCursor >= pages) m.pushing = false
}

function onRequest(
  ctx: HostContext,
  m: MigrationHostState,
  msg: NetMessageOf<'page.request'>,
): void {
  if (m.phase !== PHASE_A.SERVE) {
    m.c.requestsIgnored++
    return
  }
  const p = msg.page
  if (msg.reason === REASON.DEMAND) {
    const fresh = pushable(m, p)
    let n = 0
    if (sendOnce(ctx, m, p, CAT.DEMAND, 'page.reply', true)) n++
    else m.c.requestsIgnored++
    for (const q of proximalSet(p, msg.dir, msg.proximal, m.pages)) {
      if (sendOnce(ctx, m, q, CAT.PROXIMAL, 'page.reply', true)) n++
    }
    ctx.emit('page.serve', { page: p, count: Math.max(0, n - 1), reason: msg.reason })
    if (fresh && m.cfg.prepaging === PREPAGING.bubbling) {
      const discarded = m.qLen
      m.c.pushDiscarded += discarded
      m.qLen = 0
      m.pivot = p
      m.bubble = 1
      ctx.emit('mig.pushDiscard', { discarded, pivot: p })
    } else if (fresh && m.cfg.prepaging === PREPAGING.criu && m.windowBytes > KIB64) {
      ctx.emit('mig.windowReset', { windowBytes: m.windowBytes })
      m.windowBytes = KIB64
    }
    return
  }
  let n = 0
  const end = Math.min(m.pages, p + msg.count)
  if (msg.reason === REASON.PINNED) {
    for (let q = p; q < end; q++) if (sendOnce(ctx, m, q, CAT.PINNED, 'page.reply', true)) n++
  } else {
    for (let q = p; q < end; q++) {
      if (pushable(m, q)) {
        enqueue(m, q, CAT.BACKGROUND)
        n++
      }
    }
  }
  ctx.emit('page.serve', { page: p, count: Math.max(0, n - 1), reason: msg.reason })
}

function crashA(ctx: HostContext, m: MigrationHostState): void {
  if (m.phase === PHASE_A.CRASHED) return
  m.crashTick = ctx.tick
  if (m.phase === PHASE_A.RELEASED) {
    ctx.emit('mig.sourceCrashHarmless', {})
  } else {
    let onSource = 0
    for (let p = 0; p < m.pages; p++) {
      if (m.phase === PHASE_A.SERVE ? pushable(m, p) : isDevice(m, p)) onSource++
    }
    ctx.emit('mig.sourceCrash', { pagesOnSource: onSource })
    if (m.proc.status !== PROC.FROZEN && m.proc.status !== PROC.NONE) m.proc.status = PROC.LOST
  }
  m.phase = PHASE_A.CRASHED
  m.pushing = false
  m.qLen = 0
  m.roundLen = m.roundPos = 0
  ctx.host.link.outages.push({ fromTick: ctx.tick, toTick: Number.MAX_SAFE_INTEGER })
}

function stepA(ctx: HostContext, m: MigrationHostState): void {
  if (m.phase === PHASE_A.RUN || m.phase === PHASE_A.PRECOPY) {
    if (m.proc.status === PROC.RUNNING) runProcess(ctx, m)
    if (m.phase === PHASE_A.PRECOPY) precopyStep(ctx, m)
  }
  if (m.phase === PHASE_A.CKPT && m.pendingCkpt && ctx.tick >= m.pendingCkpt.readyTick) {
    const c = m.pendingCkpt
    m.pendingCkpt = undefined
    sendCheckpoint(ctx, m, c)
  }
  if (m.phase === PHASE_A.SERVE) feedLink(ctx, m)
}

function onMessageA(ctx: HostContext, m: MigrationHostState, msg: NetMessage): boolean {
  switch (msg.kind) {
    case 'page.request':
      onRequest(ctx, m, msg)
      return true
    case 'mig.resumed':
      if (
        m.phase === PHASE_A.SERVE &&
        m.cfg.prepaging >= PREPAGING.push &&
        m.cfg.strategy !== STRATEGY.precopy &&
        m.cfg.strategy !== STRATEGY.stopcopy
      ) {
        m.pushing = true
        ctx.emit('mig.pushStart', { mode: m.cfg.prepaging })
      }
      return true
    case 'mig.done':
      if (m.phase === PHASE_A.SERVE) {
        m.phase = PHASE_A.RELEASED
        m.releaseTick = ctx.tick
        m.pushing = false
        m.qLen = 0
        ctx.host.mem.pageState.fill(0)
        ctx.emit('mig.sourceReleased', { pages: m.devicePages })
      }
      return true
    default:
      return false
  }
}

// ---------------------------------------------------------------------------------------------
// The process (runs on whichever host holds it)

let execAcc = 0

/**
 * The hot loop: accesses [pos, end) of the buffer until a page is not present. Returns where it
 * stopped; the accumulator comes back in `execAcc`. Same per-access semantics as `execBare`, plus
 * the presence test, the reference bit, dirty tracking and copy-on-write of text pages.
 */
function execChunk(
  frames: Uint8Array,
  written: Uint8Array,
  present: Uint8Array,
  ver: Uint32Array,
  pstate: Uint8Array,
  seg: Uint8Array,
  seed: number,
  shift: number,
  wordMask: number,
  trackDirty: boolean,
  bp: Int32Array,
  bo: Int32Array,
  bf: Uint8Array,
  pos: number,
  end: number,
  acc: number,
): number {
  for (; pos < end; pos++) {
    const p = bp[pos] as number
    const e = present[p] as number
    if ((e & PT.PRESENT) === 0) break
    if ((e & PT.REF) === 0) present[p] = e | PT.REF
    const f = bf[pos] as number
    const base = p << shift
    if (f & ACC.READ)
      acc = Math.imul(acc ^ (frames[base + (bo[pos] as number)] as number), 0x01000193)
    if (f & ACC.WRITE) {
      const v = ((ver[p] as number) + 1) >>> 0
      ver[p] = v
      stampWrite(frames, base, seed, p, v, wordMask)
      written[p] = 1
      if (trackDirty && (e & PT.DIRTY) === 0) {
        pstate[p] = (pstate[p] as number) | PAGE.DIRTY
        present[p] = e | PT.REF | PT.DIRTY
      }
      if (e & PT.TEXT) {
        seg[p] = SEG.DATA // copy-on-write: a written text page is private now
        present[p] = ((present[p] as number) | PT.REF) & ~PT.TEXT
      }
    }
  }
  execAcc = acc
  return pos
}

/**
 * Executes up to one tick's budget of accesses. The hot loop is typed-array lookups only; a page
 * that is not present leaves the loop through `fault`.
 */
function runProcess(ctx: HostContext, m: MigrationHostState): void {
  const w = m.wl
  const proc = m.proc
  proc.budget += m.cfg.accessesPerTick
  if (proc.budget <= 0) return
  const frames = ctx.host.mem.frames
  const written = ctx.host.mem.written
  const pstate = ctx.host.mem.pageState
  const present = m.present
  const ver = m.ver
  const seg = m.seg
  const seed = m.seed
  const shift = Math.log2(m.pageSize)
  const wordMask = (m.pageSize >>> 2) - 1
  const trackDirty = m.host === 1 || m.phase === PHASE_A.PRECOPY
  const trace = w.kind === WL.TRACE
  let acc = w.acc
  let budget = proc.budget
  let done = 0
  while (budget > 0) {
    if (w.pos >= w.len) {
      if (trace) {
        if (w.eof) {
          proc.status = PROC.EXITED
          ctx.emit('proc.exit', { accesses: w.accesses + done })
        }
        break
      }
      refill(w, m.P)
    }
    const bp = w.bufPage
    const len = w.len
    const start = w.pos
    const pos = execChunk(
      frames,
      written,
      present,
      ver,
      pstate,
      seg,
      seed,
      shift,
      wordMask,
      trackDirty,
      bp,
      w.bufOff,
      w.bufFlag,
      start,
      Math.min(len, start + Math.ceil(budget)),
      acc,
    )
    acc = execAcc
    budget -= pos - start
    done += pos - start
    w.pos = pos
    if (pos < len && budget > 0) {
      // Not present: the fault path decides whether the access can go on now.
      w.acc = acc
      w.accesses += done
      done = 0
      budget = fault(ctx, m, bp[pos] as number, budget)
      acc = w.acc
      if (proc.status !== PROC.RUNNING) break
    }
  }
  w.acc = acc
  w.accesses += done
  proc.budget = proc.status === PROC.RUNNING ? Math.min(budget, 0) : 0
}

// ---------------------------------------------------------------------------------------------
// Arrival side (host B)

function setLoc(ctx: HostContext, m: MigrationHostState, p: number, loc: number): void {
  m.loc[p] = loc
  const ps = ctx.host.mem.pageState
  let f = (ps[p] as number) & (PAGE.PINNED | PAGE.DIRTY)
  switch (loc) {
    case LOC.REMOTE:
      f |= PAGE.REMOTE
      break
    case LOC.REQUESTED:
    case LOC.INCOMING:
      f |= PAGE.REMOTE | PAGE.IN_FLIGHT
      break
    case LOC.ARRIVED:
    case LOC.MAPPED:
      f |= PAGE.RESIDENT
      break
    case LOC.PAGEDOUT:
      f |= PAGE.PAGED_OUT
      break
    case LOC.ZERO:
      f |= PAGE.ZERO
      break
    case LOC.LOCAL:
      f |= PAGE.LOCAL_COPY
      break
  }
  ps[p] = f
}

function mapPage(ctx: HostContext, m: MigrationHostState, p: number): void {
  if ((m.present[p] as number) & PT.PRESENT) m.c.doubleMaps++
  m.present[p] =
    (m.seg[p] === SEG.TEXT ? PT.PRESENT | PT.TEXT : PT.PRESENT) |
    ((ctx.host.mem.pageState[p] as number) & PAGE.DIRTY ? PT.DIRTY : 0)
  setLoc(ctx, m, p, LOC.MAPPED)
}

/** The page's bytes are now in B's frames (arrived, generated or read back). */
function becameResident(ctx: HostContext, m: MigrationHostState): void {
  m.residentCount++
  if (m.cfg.frameLimit > 0) while (m.residentCount > m.cfg.frameLimit && evictOne(ctx, m)) {}
}

function recencyOf(m: MigrationHostState, p: number): number {
  return (m.present[p] as number) & PT.REF ? Number.MAX_SAFE_INTEGER : (m.lastUse[p] as number)
}

/** Folds the reference bits into `lastUse` (recency at sweep granularity) and clears them. */
function sweepRef(m: MigrationHostState, tick: number): void {
  const pr = m.present
  const lu = m.lastUse
  for (let p = 0; p < m.pages; p++) {
    const e = pr[p] as number
    if (e & PT.REF) {
      lu[p] = tick
      pr[p] = e & ~PT.REF
    }
  }
}

/** Approximate LRU (S15): the least recently used of up to 16 resident candidates from a clock hand. */
function evictOne(ctx: HostContext, m: MigrationHostState): boolean {
  let best = -1
  let seen = 0
  for (let k = 0; k < m.pages && seen < 16; k++) {
    const p = m.evictHand
    m.evictHand = (m.evictHand + 1) % m.pages
    const l = m.loc[p] as number
    if (
      (l !== LOC.MAPPED && l !== LOC.ARRIVED) ||
      m.seg[p] === SEG.PINNED ||
      p === m.proc.blockedPage
    )
      continue
    seen++
    if (best < 0 || recencyOf(m, p) < recencyOf(m, best)) best = p
  }
  if (best < 0) return false
  const ps = m.pageSize
  if (!m.swap) m.swap = new Uint8Array(m.pages * ps)
  const frames = ctx.host.mem.frames
  m.swap.set(frames.subarray(best * ps, best * ps + ps), best * ps)
  frames.fill(0, best * ps, best * ps + ps)
  markWritten(ctx.host.mem, best)
  m.present[best] = 0
  setLoc(ctx, m, best, LOC.PAGEDOUT)
  m.residentCount--
  m.c.pageOuts++
  ctx.emit('page.pageOut', { page: best })
  return true
}

/** Reading a never-written frame costs the OS nothing; writing zeros would make it allocate it. */
function isZeroFrame(frames: Uint8Array, base: number, n: number): boolean {
  if (((frames.byteOffset + base) & 3) === 0) {
    const w = new Int32Array(frames.buffer, frames.byteOffset + base, n >>> 2)
    for (let i = 0; i < w.length; i++) if (w[i] !== 0) return false
    return true
  }
  for (let i = 0; i < n; i++) if (frames[base + i] !== 0) return false
  return true
}

function materialize(ctx: HostContext, m: MigrationHostState, p: number): void {
  const frames = ctx.host.mem.frames
  const ps = m.pageSize
  if (m.loc[p] === LOC.LOCAL) fillText(frames, p * ps, ps, p)
  else if (!isZeroFrame(frames, p * ps, ps)) frames.fill(0, p * ps, p * ps + ps)
  markWritten(ctx.host.mem, p)
  m.localRemaining--
  becameResident(ctx, m)
}

function sendDemandRequest(
  ctx: HostContext,
  m: MigrationHostState,
  p: number,
  proximal: number,
): void {
  ctx.send(
    'page.request',
    { page: p, count: 1, reason: REASON.DEMAND, proximal, dir: m.cfg.proxDir },
    { payloadBytes: 16, urgent: true },
  )
  m.c.requestMessages++
  m.c.requestBytes += ctx.host.link.params.headerBytes + 16
  m.proc.lastRequestTick = ctx.tick
}

/** Handles a non-present page. Returns the remaining budget; sets the process status. */
function fault(ctx: HostContext, m: MigrationHostState, p: number, budget: number): number {
  const proc = m.proc
  if (m.host === 0) {
    // On host A every page is present until the freeze; nothing to do (defensive).
    m.present[p] = (m.present[p] as number) | PT.PRESENT
    return budget
  }
  switch (m.loc[p]) {
    case LOC.ARRIVED:
      m.c.faultsMinor++
      mapPage(ctx, m, p)
      ctx.emit('page.faultMinor', { page: p })
      return budget - m.cfg.minorCost
    case LOC.ZERO:
    case LOC.LOCAL: {
      const local = m.loc[p] === LOC.LOCAL
      materialize(ctx, m, p)
      mapPage(ctx, m, p)
      if (local) {
        m.c.faultsLocalCopy++
        ctx.emit('page.faultLocalCopy', { page: p })
      } else {
        m.c.faultsZero++
        ctx.emit('page.faultZero', { page: p })
      }
      checkComplete(ctx, m)
      return budget - m.cfg.localCost
    }
    case LOC.PAGEDOUT:
      m.c.faultsLocalPageIn++
      proc.status = PROC.STALLED
      proc.blockedPage = p
      proc.stallUntil = ctx.tick + m.cfg.localPageInTicks
      ctx.emit('page.faultLocalPageIn', { page: p })
      return 0
    case LOC.REMOTE: {
      m.c.faultsNetwork++
      const prox = proximalSet(p, m.cfg.proxDir, m.cfg.proximal, m.pages)
      setLoc(ctx, m, p, LOC.REQUESTED)
      m.demanded[p] = 1
      for (const q of prox) {
        if (m.loc[q] !== LOC.REMOTE) continue
        setLoc(ctx, m, q, LOC.REQUESTED)
        m.demanded[q] = 1 // requested urgently already
      }
      sendDemandRequest(ctx, m, p, prox.length)
      ctx.emit('page.faultNetwork', {
        page: p,
        offset: m.offsets[p] as number,
        proximal: prox.length,
      })
      block(ctx, m, p)
      return 0
    }
    case LOC.REQUESTED:
    case LOC.INCOMING:
      m.c.faultsNetwork++
      if (!m.demanded[p]) {
        m.demanded[p] = 1
        sendDemandRequest(ctx, m, p, 0)
      }
      ctx.emit('page.faultInFlight', { page: p })
      block(ctx, m, p)
      return 0
    case LOC.LOST:
      loseWorkload(ctx, m)
      return 0
    default:
      // A page the table does not know (cannot happen once restarted): treat as zero.
      m.loc[p] = LOC.ZERO
      m.localRemaining++
      return budget
  }
}

function block(ctx: HostContext, m: MigrationHostState, p: number): void {
  m.proc.status = PROC.BLOCKED
  m.proc.blockedPage = p
  m.proc.blockedSince = ctx.tick
  m.proc.attempts = 1
}

function onCheckpoint(
  ctx: HostContext,
  m: MigrationHostState,
  msg: NetMessageOf<'mig.checkpoint'>,
): void {
  if (m.phase !== PHASE_B.IDLE || !msg.data) return
  const data = msg.data
  m.ckptTick = ctx.tick
  m.started = true
  const w = m.wl
  w.pos = w.len = 0
  const { pid } = decodeRestart(data, 0, w)
  m.proc.pid = pid
  m.proc.status = PROC.FROZEN
  ctx.emit('proc.restart', { pid, accesses: w.accesses })
  const t = decodeTable(data, restartByteLength(data, 0))
  m.seg.set(t.seg)
  m.attr.set(t.attr)
  m.offsets.set(t.offsets)
  for (let p = 0; p < m.pages; p++) {
    m.init[p] = m.seg[p] === SEG.TEXT ? INIT.TEXT : INIT.ZERO
  }
  ctx.emit('mig.tableLoaded', { entries: t.pages, devicePages: t.devicePages })
  ctx.emit('mig.rpkCreated', { devicePages: t.devicePages })
  m.finalRound = msg.finalRound
  m.finalPages = msg.finalPages
  m.interruptTickA = msg.interruptTick
  const eager: number[] = []
  let remaining = 0
  let local = 0
  const pinnedFetch: number[] = []
  for (let p = 0; p < m.pages; p++) {
    const a = t.attr[p] as number
    if (a & ATTR.PINNED)
      ctx.host.mem.pageState[p] = (ctx.host.mem.pageState[p] as number) | PAGE.PINNED
    const l = m.loc[p] as number
    const here = l === LOC.ARRIVED || l === LOC.PAGEDOUT
    if (l === LOC.ARRIVED && !m.recv[p] && msg.finalRound < 0 && !(t.current && t.current[p])) {
      m.residentCount-- // a stale pre-copy copy (hybrid): the current contents come again
    }
    if (t.zero[p]) {
      setLoc(ctx, m, p, LOC.ZERO)
      local++
    } else if (a & ATTR.LOCAL) {
      setLoc(ctx, m, p, LOC.LOCAL)
      local++
    } else if (msg.finalRound >= 0) {
      // Pre-copy family: every device page comes (or came) in some round.
      if (!here) {
        setLoc(ctx, m, p, LOC.INCOMING)
        remaining++
      }
    } else if (t.current && t.current[p]) {
      if (!here) {
        setLoc(ctx, m, p, LOC.INCOMING)
        remaining++
      }
    } else if (t.eager && t.eager[p]) {
      eager.push(p)
      if (here && m.recv[p]) m.eagerArrived++
      else {
        setLoc(ctx, m, p, LOC.INCOMING)
        remaining++
      }
    } else if (here && m.recv[p]) {
      // Arrived ahead of the checkpoint (after a retransmission reordered them).
    } else {
      setLoc(ctx, m, p, LOC.REMOTE)
      remaining++
      if (a & ATTR.PINNED && m.cfg.pinnedFetch) pinnedFetch.push(p)
    }
  }
  m.eagerList = Int32Array.from(eager)
  m.eagerExpected = eager.length
  m.deviceRemaining = remaining
  m.localRemaining = local
  if (msg.finalRound >= 0) {
    let n = 0
    for (let p = 0; p < m.pages; p++) if (m.rround[p] === msg.finalRound) n++
    m.finalArrived = n
  }
  // P1-10 second reading: pinned pages paged in right after restart, before resume.
  m.pinnedPending = pinnedFetch.length
  let i = 0
  while (i < pinnedFetch.length) {
    const start = pinnedFetch[i] as number
    let n = 1
    while (i + n < pinnedFetch.length && pinnedFetch[i + n] === start + n && n < 64) n++
    for (let k = 0; k < n; k++) setLoc(ctx, m, start + k, LOC.REQUESTED)
    ctx.send(
      'page.request',
      { page: start, count: n, reason: REASON.PINNED, proximal: 0, dir: 0 },
      { payloadBytes: 16, urgent: true },
    )
    m.c.requestMessages++
    m.c.requestBytes += ctx.host.link.params.headerBytes + 16
    i += n
  }
  m.phase = PHASE_B.RESTARTING
}

function onPage(
  ctx: HostContext,
  m: MigrationHostState,
  kind: NetMessage['kind'],
  data: Uint8Array | undefined,
  p: number,
): void {
  const ps = m.pageSize
  if (!data || data.length !== ps + TRAILER || p < 0 || p >= m.pages) return
  const version =
    ((data[ps] as number) |
      ((data[ps + 1] as number) << 8) |
      ((data[ps + 2] as number) << 16) |
      ((data[ps + 3] as number) << 24)) >>>
    0
  const cat = data[ps + 4] as number
  const round = (data[ps + 6] as number) | ((data[ps + 7] as number) << 8)
  const frames = ctx.host.mem.frames
  const hybridAfterCkpt = m.phase !== PHASE_B.IDLE && m.finalRound < 0
  if (kind === 'page.precopy' && hybridAfterCkpt && (m.loc[p] !== LOC.INCOMING || m.recv[p])) {
    m.c.staleDrops++ // a pre-copy copy that the freeze made stale
    return
  }
  if (kind === 'page.precopy' && !hybridAfterCkpt) {
    const known = m.rround[p] !== 0xffff || m.recv[p] === 1
    if (m.recv[p] === 1 || (known && version < (m.ver[p] as number))) {
      m.c.staleDrops++
      return
    }
    const wasHere = m.loc[p] === LOC.ARRIVED || m.loc[p] === LOC.PAGEDOUT
    const resident = m.loc[p] === LOC.ARRIVED
    frames.set(data.subarray(0, ps), p * ps)
    markWritten(ctx.host.mem, p)
    m.ver[p] = version
    m.rround[p] = round
    if (!resident) {
      setLoc(ctx, m, p, LOC.ARRIVED)
      becameResident(ctx, m)
    }
    if (m.phase === PHASE_B.RESTARTING) {
      if (round === m.finalRound) m.finalArrived++
      if (!wasHere) m.deviceRemaining--
    }
    return
  }
  // Post-freeze pages: each at most once.
  if (m.recv[p]) {
    m.c.duplicates++
    return
  }
  m.recv[p] = 1
  const prev = m.loc[p] as number
  if (prev === LOC.MAPPED) {
    m.c.duplicates++
    return
  }
  frames.set(data.subarray(0, ps), p * ps)
  markWritten(ctx.host.mem, p)
  m.ver[p] = version
  if (m.phase === PHASE_B.IDLE) {
    // Ahead of the checkpoint (reordered by a retransmission): keep it.
    setLoc(ctx, m, p, LOC.ARRIVED)
    m.residentCount++
    return
  }
  if (prev !== LOC.ARRIVED) m.deviceRemaining--
  if (cat === CAT.BACKGROUND && m.bgOutstanding > 0) m.bgOutstanding--
  if (m.phase === PHASE_B.RESTARTING) {
    if (cat === CAT.PINNED && m.cfg.pinnedFetch) m.pinnedPending--
    else if (cat === CAT.PINNED || cat === CAT.NONPRIVATE || cat === CAT.HOT) m.eagerArrived++
  }
  setLoc(ctx, m, p, LOC.ARRIVED)
  becameResident(ctx, m)
  const proc = m.proc
  if (proc.status === PROC.BLOCKED && proc.blockedPage === p && m.loc[p] === LOC.ARRIVED) {
    mapPage(ctx, m, p)
    const lat = ctx.tick - proc.blockedSince
    m.faultLatTicks.push(lat)
    proc.status = PROC.RUNNING
    proc.blockedPage = -1
    ctx.emit('page.demandMapped', { page: p, latencyUs: lat * m.cfg.tickUs })
  }
  if (m.deviceRemaining === 0) sendDone(ctx, m)
  checkComplete(ctx, m)
}

function sendDone(ctx: HostContext, m: MigrationHostState): void {
  if (m.doneSent || m.phase === PHASE_B.RESTARTING || m.phase === PHASE_B.IDLE) return
  m.doneSent = true
  ctx.send('mig.done', { pages: m.pages }, { payloadBytes: 0, urgent: true })
}

function checkComplete(ctx: HostContext, m: MigrationHostState): void {
  if (m.completeTick >= 0 || m.phase !== PHASE_B.RUNNING) return
  if (m.deviceRemaining === 0 && m.localRemaining === 0) {
    m.completeTick = ctx.tick
    sendDone(ctx, m)
    ctx.emit('mig.complete', { pages: m.pages, totalUs: (ctx.tick - m.commandTick) * m.cfg.tickUs })
  }
}

function tryResume(ctx: HostContext, m: MigrationHostState): void {
  if (m.eagerArrived < m.eagerExpected || m.pinnedPending > 0) return
  if (m.finalRound >= 0 && m.finalArrived < m.finalPages) return
  if (m.finalRound >= 0 && m.deviceRemaining > 0) return
  if (m.restartReadyTick < 0) m.restartReadyTick = ctx.tick + m.cfg.restartTicks
  if (ctx.tick < m.restartReadyTick) return
  // Whole-partition migration: the process resumes only once its streams are restarted and verified.
  if (m.proc.byPartition && !streamsAllowProcessResume(ctx.host.str)) return
  // Pinned pages (and the rest of the eager portion) are touched before the process resumes.
  for (let i = 0; i < m.eagerList.length; i++) {
    const p = m.eagerList[i] as number
    if (m.loc[p] === LOC.ARRIVED) {
      mapPage(ctx, m, p)
      if (m.seg[p] === SEG.PINNED) ctx.emit('page.pinnedTouch', { page: p })
    }
  }
  for (let p = 0; p < m.pages; p++) {
    if (m.seg[p] === SEG.PINNED && m.loc[p] === LOC.ARRIVED && m.cfg.pinnedFetch) {
      mapPage(ctx, m, p)
      ctx.emit('page.pinnedTouch', { page: p })
    }
  }
  if (m.finalRound >= 0) {
    // Pre-copy family: the whole memory is here; generate zero and local pages and map everything.
    for (let p = 0; p < m.pages; p++) {
      const l = m.loc[p]
      if (l === LOC.ZERO || l === LOC.LOCAL) {
        materialize(ctx, m, p)
        setLoc(ctx, m, p, LOC.ARRIVED)
      }
      if (m.loc[p] === LOC.ARRIVED) mapPage(ctx, m, p)
    }
  }
  m.phase = PHASE_B.RUNNING
  m.resumeTick = ctx.tick
  m.proc.status = PROC.RUNNING
  m.proc.budget = 0
  ctx.emit('proc.resume', {
    downtimeUs: (ctx.tick - m.interruptTickA) * m.cfg.tickUs,
    accesses: m.wl.accesses,
  })
  ctx.send('mig.resumed', {}, { payloadBytes: 0, urgent: true })
  if (m.cfg.prepaging === PREPAGING.patent && m.finalRound < 0) {
    const predictedTicks =
      m.cfg.bgWaitTicks +
      m.cfg.bgLatencyTicks +
      (m.deviceRemaining * m.cfg.pageWire) / m.cfg.bytesPerTick
    if (predictedTicks > m.cfg.bgDeadlineTicks) {
      ctx.emit('mig.deadlineWarning', {
        predictedUs: Math.round(predictedTicks * m.cfg.tickUs),
        deadlineUs: m.cfg.bgDeadlineTicks * m.cfg.tickUs,
      })
    }
  }
  if (m.deviceRemaining === 0) sendDone(ctx, m)
  checkComplete(ctx, m)
}

/** Patent staged background touching (P1-26/27): wait, first fraction, latency, second, final. */
function backgroundPatent(ctx: HostContext, m: MigrationHostState): void {
  const t = ctx.tick - m.resumeTick
  if (m.bgStage === 0) {
    if (t < m.cfg.bgWaitTicks) return
    m.bgR0 = m.deviceRemaining + m.localRemaining
    startStage(ctx, m, 1, Math.ceil(m.cfg.bgFirst * m.bgR0))
  }
  if (m.bgStage === 2) {
    if (ctx.tick - m.bgStageTick < m.cfg.bgLatencyTicks) return
    startStage(ctx, m, 3, Math.ceil(m.cfg.bgSecond * m.bgR0))
  }
  if (m.bgStage === 1 || m.bgStage === 3 || m.bgStage === 4) touchSome(ctx, m)
}

function startStage(ctx: HostContext, m: MigrationHostState, stage: number, quota: number): void {
  m.bgStage = stage
  m.bgStageTick = ctx.tick
  m.bgQuota = quota
  m.bgTouched = 0
  ctx.emit('mig.bgStage', { stage: stage === 1 ? 1 : stage === 3 ? 2 : 3, pages: quota })
}

function stageDone(ctx: HostContext, m: MigrationHostState): void {
  if (m.bgStage === 1) {
    m.bgStage = 2
    m.bgStageTick = ctx.tick
  } else if (m.bgStage === 3) {
    startStage(ctx, m, 4, Math.max(0, m.deviceRemaining + m.localRemaining))
    m.bgQuota = Number.MAX_SAFE_INTEGER
  } else m.bgStage = 5
}

function touchSome(ctx: HostContext, m: MigrationHostState): void {
  let localBudget = 64
  while (m.bgTouched < m.bgQuota) {
    if (m.bgCursor >= m.pages) {
      m.bgStage = 5
      return
    }
    const p = m.bgCursor
    const l = m.loc[p]
    if (l === LOC.REMOTE) {
      if (m.bgOutstanding >= m.cfg.bgWindow) return
      let n = 1
      while (
        n < m.cfg.bgBatch &&
        p + n < m.pages &&
        m.loc[p + n] === LOC.REMOTE &&
        m.bgTouched + n < m.bgQuota
      )
        n++
      for (let k = 0; k < n; k++) setLoc(ctx, m, p + k, LOC.REQUESTED)
      ctx.send(
        'page.request',
        { page: p, count: n, reason: REASON.BACKGROUND, proximal: 0, dir: 0 },
        { payloadBytes: 16 },
      )
      m.c.requestMessages++
      m.c.requestBytes += ctx.host.link.params.headerBytes + 16
      m.bgOutstanding += n
      m.bgTouched += n
      m.bgCursor += n
      continue
    }
    if (l === LOC.ZERO || l === LOC.LOCAL) {
      if (localBudget-- <= 0) return
      materialize(ctx, m, p)
      setLoc(ctx, m, p, LOC.ARRIVED)
      m.bgTouched++
    }
    m.bgCursor++
  }
  stageDone(ctx, m)
  checkComplete(ctx, m)
}

/** Push strategies still generate the target's zero and local pages in the background. */
function localSweep(ctx: HostContext, m: MigrationHostState): void {
  if (ctx.tick - m.resumeTick < m.cfg.bgWaitTicks) return
  let budget = 64
  while (m.localCursor < m.pages && budget > 0) {
    const p = m.localCursor++
    const l = m.loc[p]
    if (l === LOC.ZERO || l === LOC.LOCAL) {
      materialize(ctx, m, p)
      setLoc(ctx, m, p, LOC.ARRIVED)
      budget--
    }
  }
  checkComplete(ctx, m)
}

function loseWorkload(ctx: HostContext, m: MigrationHostState): void {
  if (m.phase === PHASE_B.LOST) return
  let onSource = 0
  let onTarget = 0
  const lost: number[] = []
  const known = m.phase !== PHASE_B.IDLE
  for (let p = 0; p < m.pages; p++) {
    const l = m.loc[p]
    const missing = known
      ? l === LOC.REMOTE || l === LOC.REQUESTED || l === LOC.INCOMING || l === LOC.LOST
      : l !== LOC.ARRIVED
    if (missing) {
      lost.push(p)
      onSource++
    } else onTarget++
  }
  m.lostPages = lost
  ctx.emit('mig.workloadLost', { pagesOnSource: onSource, pagesOnTarget: onTarget })
  const cap = Math.min(lost.length, m.cfg.lostPageEvents)
  for (let i = 0; i < cap; i++) ctx.emit('page.lostOnSource', { page: lost[i] as number })
  m.phase = PHASE_B.LOST
  m.proc.status = PROC.LOST
}

function crashSeenByB(ctx: HostContext, m: MigrationHostState): void {
  m.crashTick = ctx.tick
  if (m.doneSent || m.completeTick >= 0) return
  // The departure host is gone: unless every page is here, the workload's state is split (S2).
  loseWorkload(ctx, m)
}

function stepB(ctx: HostContext, m: MigrationHostState): void {
  if (m.phase === PHASE_B.RESTARTING) tryResume(ctx, m)
  if (m.phase !== PHASE_B.RUNNING) return
  const proc = m.proc
  if (proc.status === PROC.STALLED && ctx.tick >= proc.stallUntil) {
    const p = proc.blockedPage
    const ps = m.pageSize
    if (m.swap) {
      ctx.host.mem.frames.set(m.swap.subarray(p * ps, p * ps + ps), p * ps)
      markWritten(ctx.host.mem, p)
    }
    proc.blockedPage = -1
    proc.status = PROC.RUNNING
    becameResident(ctx, m)
    mapPage(ctx, m, p)
  }
  if (
    proc.status === PROC.BLOCKED &&
    ctx.tick - proc.lastRequestTick >= m.cfg.requestTimeoutTicks
  ) {
    const p = proc.blockedPage
    proc.attempts++
    m.c.retries++
    sendDemandRequest(ctx, m, p, 0)
    ctx.emit('page.requestRetry', { page: p, attempt: proc.attempts })
  }
  if (proc.status === PROC.RUNNING) runProcess(ctx, m)
  if (m.finalRound < 0 && m.completeTick < 0) {
    checkComplete(ctx, m)
    if (m.cfg.prepaging === PREPAGING.patent) backgroundPatent(ctx, m)
    else if (m.cfg.prepaging !== PREPAGING.none) localSweep(ctx, m)
    if (!m.deadlineChecked && ctx.tick - m.resumeTick >= m.cfg.bgDeadlineTicks) {
      m.deadlineChecked = true
      if (m.completeTick < 0) {
        ctx.emit('mig.deadlineMissed', { remaining: m.deviceRemaining + m.localRemaining })
        if (m.cfg.releaseAtDeadline) {
          for (let p = 0; p < m.pages; p++) {
            const l = m.loc[p]
            if (l === LOC.REMOTE || l === LOC.REQUESTED || l === LOC.INCOMING)
              setLoc(ctx, m, p, LOC.LOST)
          }
          m.doneSent = true
          ctx.send('mig.done', { pages: m.pages }, { payloadBytes: 0, urgent: true })
        }
      }
    }
  }
}

function onMessageB(ctx: HostContext, m: MigrationHostState, msg: NetMessage): boolean {
  switch (msg.kind) {
    case 'mig.checkpoint':
      onCheckpoint(ctx, m, msg)
      return true
    case 'page.reply':
    case 'page.eager':
    case 'page.precopy':
      if (m.phase !== PHASE_B.LOST) onPage(ctx, m, msg.kind, msg.data, msg.page)
      return true
    case 'page.push': {
      const data = msg.data
      if (m.phase === PHASE_B.LOST || !data) return true
      const n = msg.count
      const stride = m.pageSize + TRAILER
      if (data.length !== n * (4 + stride)) return true
      const ids = new DataView(data.buffer, data.byteOffset, 4 * n)
      for (let i = 0; i < n; i++) {
        const at = 4 * n + i * stride
        onPage(ctx, m, msg.kind, data.subarray(at, at + stride), ids.getUint32(4 * i, true))
      }
      return true
    }
    default:
      return false
  }
}

// ---------------------------------------------------------------------------------------------
// Contract entry points

/** Returns true when the message was the migration engine's. */
export function migrationOnMessage(ctx: HostContext, msg: NetMessage): boolean {
  const m = ctx.host.mig
  return ctx.host.id === 0 ? onMessageA(ctx, m, msg) : onMessageB(ctx, m, msg)
}

export function migrationStep(ctx: HostContext): void {
  const m = ctx.host.mig
  if (!m.enabled) return
  if ((ctx.tick & (SWEEP_TICKS - 1)) === 0 && m.proc.status === PROC.RUNNING) sweepRef(m, ctx.tick)
  if (ctx.tick === m.cfg.migrateAtTick && !m.started) {
    m.started = true
    m.commandTick = ctx.tick
    if (ctx.host.id === 0) startMigration(ctx, m)
  }
  if (ctx.host.id === 0) stepA(ctx, m)
  else stepB(ctx, m)
}

/** Trace workloads: true when the process on this host wants more accesses. */
export function migrationWantsTrace(m: MigrationHostState): boolean {
  const w = m.wl
  const here =
    (m.host === 0 && (m.phase === PHASE_A.RUN || m.phase === PHASE_A.PRECOPY)) ||
    (m.host === 1 && m.phase !== PHASE_B.IDLE && m.phase !== PHASE_B.LOST)
  return (
    here &&
    w.kind === WL.TRACE &&
    !w.eof &&
    w.len - w.pos < w.bufPage.length / 2 &&
    m.proc.status !== PROC.LOST
  )
}

/** Position (accesses already fed) of this host's process in the trace. */
export function migrationTracePosition(m: MigrationHostState): number {
  return m.wl.fed
}

/**
 * Feeds decoded trace accesses to the process on this host (the runner reads the trace file, the
 * process maps virtual pages to its pages). `eof` marks the end of the trace.
 */
export function migrationFeedTrace(
  mem: HostMemory,
  m: MigrationHostState,
  chunk: TraceChunk,
  eof: boolean,
): void {
  const w = m.wl
  if (w.pos > 0) {
    w.bufPage.copyWithin(0, w.pos, w.len)
    w.bufOff.copyWithin(0, w.pos, w.len)
    w.bufFlag.copyWithin(0, w.pos, w.len)
    w.len -= w.pos
    w.pos = 0
  }
  const room = w.bufPage.length - w.len
  if (chunk.n > room)
    throw new Error(`trace chunk of ${chunk.n} accesses does not fit (${room} free)`)
  for (let i = 0; i < chunk.n; i++) {
    const f = chunk.flag[i] as number
    let p = mapVpage(w, m.pages, m.pageSize, chunk.vpage[i] as number, f, m.seg, m.init)
    if (p < 0) {
      p = -1 - p
      if (m.host === 0) {
        if (m.init[p] === INIT.TEXT) {
          fillText(mem.frames, p * m.pageSize, m.pageSize, p)
          markWritten(mem, p)
          m.present[p] = PT.PRESENT | PT.TEXT
        }
        mem.pageState[p] = PAGE.RESIDENT | (m.init[p] === INIT.ZERO ? PAGE.ZERO : 0)
      } else {
        // A page first touched after the migration: generated on the target.
        const text = m.init[p] === INIT.TEXT
        const l = m.loc[p]
        if (l === LOC.ZERO) {
          // First touched after the migration: the text comes from the program file on host B.
          if (text) setLoc0(mem, m, p, LOC.LOCAL)
        } else if (text && (l === LOC.ARRIVED || l === LOC.MAPPED || l === LOC.PAGEDOUT)) {
          // Generated as a never-touched zero page in the background; it is text after all.
          const ps = m.pageSize
          if (l === LOC.PAGEDOUT && m.swap) fillText(m.swap, p * ps, ps, p)
          else {
            fillText(mem.frames, p * ps, ps, p)
            markWritten(mem, p)
          }
          if (l === LOC.MAPPED) m.present[p] = (m.present[p] as number) | PT.TEXT
        }
      }
    }
    w.bufPage[w.len] = p
    w.bufOff[w.len] = chunk.off[i] as number
    w.bufFlag[w.len] = f
    w.len++
  }
  w.fed += chunk.n
  if (eof) w.eof = true
}

function setLoc0(mem: HostMemory, m: MigrationHostState, p: number, loc: number): void {
  m.loc[p] = loc
  mem.pageState[p] = loc === LOC.LOCAL ? PAGE.LOCAL_COPY : PAGE.ZERO
}

/** Feeds the engine's canonical state into a state hash. */
export function migrationHashState(h: Hasher, m: MigrationHostState): void {
  if (!m.enabled) {
    hashU32(h, 0)
    return
  }
  const w = m.wl
  for (const v of [
    m.phase,
    m.proc.status,
    m.proc.blockedPage,
    m.proc.budget,
    w.acc,
    w.accesses,
    w.pos,
    w.len,
    w.fed,
    w.pc,
    w.sp,
    w.cursor,
    m.qLen,
    m.round,
    m.deviceRemaining,
    m.localRemaining,
    m.residentCount,
    m.bgStage,
    m.bgCursor,
    m.resumeTick,
    m.completeTick,
  ]) {
    hashNumber(h, v)
  }
  for (let i = 0; i < 4; i++) hashU32(h, w.rng[i] as number)
  hashBytes(h, new Uint8Array(m.ver.buffer, m.ver.byteOffset, m.ver.byteLength))
  hashBytes(h, m.present)
  hashBytes(h, m.seg)
  if (m.host === 1) hashBytes(h, m.loc)
  else hashBytes(h, m.sent)
  for (const v of m.c.catPages) hashNumber(h, v)
}
