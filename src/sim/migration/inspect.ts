/**
 * Pure inspection of one host's migration state, for the migration view. The same functions answer
 * in the host workers (through `inspectHost`) and in-process, so the UI shows the same numbers in
 * either runtime. Results are plain, structured-cloneable data, small enough to ask for a few
 * times a second (the index table is read by windows of rows, never whole).
 */
import { latencySummary, type LatencySummary } from '../metrics'
import { describePageState } from '../pageState'
import { SEG_NAMES } from '../workload/workload'
import {
  CAT,
  CAT_NAMES,
  LOC,
  PHASE_A,
  PHASE_B,
  PROC,
  STRATEGY,
  type MigrationHostState,
} from './engine'
import { ATTR } from './table'

/** The process as the UI names it (issue 6). */
export type ProcessStateName =
  | 'none'
  | 'running'
  | 'interrupted'
  | 'frozen'
  | 'restarting'
  | 'running on remote paging'
  | 'released'
  | 'exited'
  | 'crashed'
  | 'lost'

export type PartitionStateName = 'active' | 'frozen' | 'none'

export const LOC_NAMES = [
  'none',
  'remote',
  'requested',
  'incoming',
  'arrived',
  'mapped',
  'paged out',
  'zero',
  'local copy',
  'lost',
] as const

export const PHASE_A_NAMES = [
  'running',
  'pre-copy',
  'checkpoint',
  'serving',
  'released',
  'crashed',
] as const
export const PHASE_B_NAMES = ['idle', 'restarting', 'running', 'lost'] as const
export const PROC_NAMES = [
  'none',
  'running',
  'blocked',
  'stalled',
  'frozen',
  'exited',
  'lost',
] as const
export const STRATEGY_NAMES = ['postcopy', 'precopy', 'stopcopy', 'hybrid'] as const

/** Page faults on the arrival host, by how they were resolved. */
export interface FaultCounts {
  readonly network: number
  readonly minor: number
  readonly zeroFill: number
  readonly localCopy: number
  readonly localPageIn: number
}

export interface MigrationSummary {
  readonly enabled: boolean
  readonly host: 0 | 1
  readonly pages: number
  readonly strategy: string
  readonly phase: number
  readonly phaseName: string
  readonly process: ProcessStateName
  /** Raw `PROC` status and its name (blocked = waiting for a page from the network). */
  readonly procStatus: number
  readonly procStatusName: string
  readonly blockedPage: number
  readonly partition: PartitionStateName
  readonly started: boolean
  readonly commandTick: number
  readonly interruptTick: number
  readonly resumeTick: number
  readonly completeTick: number
  readonly releaseTick: number
  readonly crashTick: number
  readonly accesses: number
  /** Arrival host: pages in each location (`LOC_NAMES` order); departure host: empty. */
  readonly locCounts: readonly number[]
  /** Pages still only on the departure host (remote, requested or incoming). */
  readonly remotePages: number
  readonly residentPages: number
  readonly faults: FaultCounts
  /** Pages and bytes sent per transfer category (departure host's counters; `CAT_NAMES` order). */
  readonly catPages: readonly number[]
  readonly catBytes: readonly number[]
  readonly round: number
  readonly roundPages: readonly number[]
  readonly eagerExpected: number
  readonly eagerArrived: number
  readonly bgStage: number
  readonly lostPages: number
}

/**
 * What the migration report (run.ts `migrationReport`) reads of one host, already reduced where the
 * state lives: scalars and counters, per-page sums, the fault-latency percentiles. A few hundred
 * bytes to clone, however large the memory or long the run (the whole state is megabytes of
 * per-page arrays plus a latency per fault), so the UI can ask for it once a second while playing.
 * The CLI derives the same facts from its local states, so both compute the report one way.
 */
export interface MigrationReportFacts {
  readonly host: 0 | 1
  readonly phase: number
  /** `STRATEGY` code of the configuration. */
  readonly strategy: number
  /** Bytes of one page message on the wire (header, page, trailer). */
  readonly pageWire: number
  readonly commandTick: number
  readonly interruptTick: number
  readonly resumeTick: number
  readonly completeTick: number
  readonly releaseTick: number
  /** Accesses executed by the process on this host. */
  readonly accesses: number
  /** Pages and bytes sent per transfer category (`CAT` order). */
  readonly catPages: readonly number[]
  readonly catBytes: readonly number[]
  readonly requestMessages: number
  readonly requestBytes: number
  readonly duplicates: number
  readonly doubleMaps: number
  readonly pageOuts: number
  readonly faults: FaultCounts
  /** Pages marked in the `sent` bitmap (departure side). */
  readonly sentPages: number
  /** Pages mapped for the process here (`present` bit). */
  readonly mappedPages: number
  /** Pages per pre-copy round (at most `maxRounds` + the stop-and-copy). */
  readonly roundPages: readonly number[]
  readonly stopReason: number
  readonly eagerExpected: number
  /** Demand-fault latencies in ticks: count, nearest-rank p50 / p95, max. */
  readonly faultLatencyTicks: LatencySummary
  /**
   * Pages only on the departure host when the workload was lost (empty until then; set once).
   * Typed, so a clone is one copy even for every page of a large memory.
   */
  readonly lostPages: Int32Array
}

/*
 * Per-page scans of the answers below, each in its own small function over one typed array. Inline
 * in the (rarely called, 65,536-iteration) answer functions, V8 compiled them on stack replacement,
 * then deoptimized them on the first code after the loop and compiled them again, about once per
 * question: tens of milliseconds of compiler time a second on the cores the page needs.
 */

/** Sum of the bytes. */
function sumBytes(a: Uint8Array): number {
  let n = 0
  for (let i = 0; i < a.length; i++) n += a[i] as number
  return n
}

/** How many bytes have bit 0 set. */
function countBit0(a: Uint8Array): number {
  let n = 0
  for (let i = 0; i < a.length; i++) n += (a[i] as number) & 1
  return n
}

/** How many bytes have each value (index = value). */
function countValues(a: Uint8Array): Int32Array {
  const seen = new Int32Array(256)
  for (let i = 0; i < a.length; i++) {
    const v = a[i] as number
    seen[v] = (seen[v] as number) + 1
  }
  return seen
}

/** The report's facts of one host (see MigrationReportFacts). */
export function migrationReportFacts(m: MigrationHostState): MigrationReportFacts {
  const sentPages = sumBytes(m.sent)
  const mappedPages = countBit0(m.present)
  const c = m.c
  return {
    host: m.host,
    phase: m.phase,
    strategy: m.cfg.strategy,
    pageWire: m.cfg.pageWire,
    commandTick: m.commandTick,
    interruptTick: m.interruptTick,
    resumeTick: m.resumeTick,
    completeTick: m.completeTick,
    releaseTick: m.releaseTick,
    accesses: m.wl.accesses,
    catPages: [...c.catPages],
    catBytes: [...c.catBytes],
    requestMessages: c.requestMessages,
    requestBytes: c.requestBytes,
    duplicates: c.duplicates,
    doubleMaps: c.doubleMaps,
    pageOuts: c.pageOuts,
    faults: {
      network: c.faultsNetwork,
      minor: c.faultsMinor,
      zeroFill: c.faultsZero,
      localCopy: c.faultsLocalCopy,
      localPageIn: c.faultsLocalPageIn,
    },
    sentPages,
    mappedPages,
    roundPages: [...m.roundPages],
    stopReason: m.stopReason,
    eagerExpected: m.eagerExpected,
    faultLatencyTicks: latencySummary(m.faultLatTicks),
    lostPages: Int32Array.from(m.lostPages),
  }
}

export interface IndexRow {
  readonly page: number
  readonly segment: string
  /** Offset in the remote paging device (bytes), -1 when the page is not on the device. */
  readonly offset: number
  readonly pinned: boolean
  readonly private: boolean
  readonly zero: boolean
  readonly localCopy: boolean
  readonly location: string
  /** The page-state byte's flags in words (resident, remote, in flight...). */
  readonly state: string
  /** A page fault asked for it (demand). */
  readonly faulted: boolean
}

export type IndexFilter = 'all' | 'pinned' | 'faulted' | 'remote'
export type IndexSort = 'page' | 'offset' | 'segment' | 'location'

export interface IndexPagesQuery {
  readonly from: number
  readonly count: number
  readonly filter?: IndexFilter
  readonly sort?: IndexSort
  readonly descending?: boolean
  /** Also return the position of this page in the filtered, sorted order (-1 when filtered out). */
  readonly locate?: number
  /**
   * With `locate`: when that row is outside the requested window, return the window of the same
   * size centred on it instead (a view following the lookups gets the rows it is about to scroll
   * to in one answer, rather than a second round trip after the scroll).
   */
  readonly centerOnLocated?: boolean
}

export interface IndexPages {
  /** Whether the index table exists on this host yet (arrival host, after the checkpoint). */
  readonly loaded: boolean
  /** Rows matching the filter. */
  readonly total: number
  readonly from: number
  readonly rows: readonly IndexRow[]
  readonly located: number
}

export interface PageDetails {
  readonly page: number
  readonly host: 0 | 1
  readonly segment: string
  readonly state: string
  readonly pinned: boolean
  readonly private: boolean
  readonly zero: boolean
  readonly version: number
  /** Tick of the last reference-bit sweep that saw the page used (0 = never). */
  readonly lastUse: number
  readonly present: boolean
  /** Arrival host: location, offset on the remote paging device, how the page came. */
  readonly location: string
  readonly offset: number
  readonly arrival: string
  /** Departure host: sent after the freeze, held on the remote paging device. */
  readonly sent: boolean
  readonly onDevice: boolean
}

function isPrivateSeg(seg: number): boolean {
  // data, heap, pinned, stack (see engine.ts)
  return seg === 1 || seg === 2 || seg === 4 || seg === 5
}

function segName(seg: number): string {
  return SEG_NAMES[seg] ?? 'unallocated'
}

export function processState(m: MigrationHostState): ProcessStateName {
  if (!m.enabled) return 'none'
  const st = m.proc.status
  if (m.host === 0) {
    switch (m.phase) {
      case PHASE_A.RELEASED:
        return 'released'
      case PHASE_A.CRASHED:
        return 'crashed'
      case PHASE_A.SERVE:
        return 'frozen'
      case PHASE_A.CKPT:
        return st === PROC.FROZEN ? 'frozen' : 'interrupted'
      default:
        if (st === PROC.EXITED) return 'exited'
        if (st === PROC.FROZEN) return 'interrupted'
        return st === PROC.NONE ? 'none' : 'running'
    }
  }
  switch (m.phase) {
    case PHASE_B.IDLE:
      return 'none'
    case PHASE_B.RESTARTING:
      return 'restarting'
    case PHASE_B.LOST:
      return 'lost'
    default: {
      if (st === PROC.EXITED) return 'exited'
      if (st === PROC.LOST) return 'lost'
      return m.completeTick >= 0 ? 'running' : 'running on remote paging'
    }
  }
}

export function partitionState(m: MigrationHostState): PartitionStateName {
  if (!m.enabled) return 'none'
  if (m.host === 0) {
    if (m.phase === PHASE_A.RELEASED || m.phase === PHASE_A.CRASHED) return 'none'
    return m.interruptTick >= 0 ? 'frozen' : 'active'
  }
  if (m.phase === PHASE_B.IDLE || m.phase === PHASE_B.LOST) return 'none'
  return m.phase === PHASE_B.RUNNING ? 'active' : 'frozen'
}

export function migrationSummary(m: MigrationHostState): MigrationSummary {
  const locCounts = Array.from({ length: LOC_NAMES.length }, () => 0)
  let remote = 0
  let resident = 0
  if (m.host === 1) {
    const seen = countValues(m.loc)
    for (let l = 0; l < locCounts.length; l++) locCounts[l] = seen[l] as number
    remote =
      (locCounts[LOC.REMOTE] as number) +
      (locCounts[LOC.REQUESTED] as number) +
      (locCounts[LOC.INCOMING] as number)
    resident = (locCounts[LOC.ARRIVED] as number) + (locCounts[LOC.MAPPED] as number)
  } else {
    resident = countBit0(m.present)
  }
  const phaseName = m.host === 0 ? (PHASE_A_NAMES[m.phase] ?? '?') : (PHASE_B_NAMES[m.phase] ?? '?')
  return {
    enabled: m.enabled,
    host: m.host,
    pages: m.pages,
    strategy: STRATEGY_NAMES[m.cfg.strategy] ?? 'postcopy',
    phase: m.phase,
    phaseName,
    process: processState(m),
    procStatus: m.proc.status,
    procStatusName: PROC_NAMES[m.proc.status] ?? '?',
    blockedPage: m.proc.status === PROC.BLOCKED ? m.proc.blockedPage : -1,
    partition: partitionState(m),
    started: m.started,
    commandTick: m.commandTick,
    interruptTick: m.interruptTick,
    resumeTick: m.resumeTick,
    completeTick: m.completeTick,
    releaseTick: m.releaseTick,
    crashTick: m.crashTick,
    accesses: m.wl.accesses,
    locCounts,
    remotePages: remote,
    residentPages: resident,
    faults: {
      network: m.c.faultsNetwork,
      minor: m.c.faultsMinor,
      zeroFill: m.c.faultsZero,
      localCopy: m.c.faultsLocalCopy,
      localPageIn: m.c.faultsLocalPageIn,
    },
    catPages: [...m.c.catPages],
    catBytes: [...m.c.catBytes],
    round: m.round,
    roundPages: [...m.roundPages],
    eagerExpected: m.eagerExpected,
    eagerArrived: m.eagerArrived,
    bgStage: m.bgStage,
    lostPages: m.lostPages.length,
  }
}

function indexRow(m: MigrationHostState, pageState: Uint8Array | undefined, p: number): IndexRow {
  const a = m.attr[p] as number
  const l = m.loc[p] as number
  const s = m.seg[p] as number
  return {
    page: p,
    segment: segName(s),
    offset: l === LOC.ZERO || l === LOC.LOCAL || l === LOC.NONE ? -1 : (m.offsets[p] as number),
    pinned: (a & ATTR.PINNED) !== 0,
    private: (a & ATTR.PRIVATE) !== 0,
    zero: l === LOC.ZERO || (m.init[p] === 0 && m.ver[p] === 0 && l === LOC.NONE),
    localCopy: (a & ATTR.LOCAL) !== 0,
    location: LOC_NAMES[l] ?? '?',
    state: pageState ? describePageState(pageState[p] as number) : '',
    faulted: m.demanded[p] === 1,
  }
}

function matches(m: MigrationHostState, p: number, f: IndexFilter): boolean {
  switch (f) {
    case 'all':
      return true
    case 'pinned':
      return ((m.attr[p] as number) & ATTR.PINNED) !== 0
    case 'faulted':
      return m.demanded[p] === 1
    case 'remote': {
      const l = m.loc[p] as number
      return l === LOC.REMOTE || l === LOC.REQUESTED || l === LOC.INCOMING
    }
  }
}

/** 0, 1, ... n - 1. */
function identityOrder(n: number): Int32Array {
  const order = new Int32Array(n)
  for (let p = 0; p < n; p++) order[p] = p
  return order
}

/** The pages that pass `filter`, in page order. */
function filteredPages(m: MigrationHostState, filter: IndexFilter): Int32Array {
  const tmp = new Int32Array(m.pages)
  let k = 0
  for (let p = 0; p < m.pages; p++) if (matches(m, p, filter)) tmp[k++] = p
  return tmp.subarray(0, k)
}

/** Sorts `order` by `key`, ties by page number. */
function sortByKey(order: Int32Array, key: (p: number) => number, n: number): void {
  const keys = new Float64Array(n)
  for (let i = 0; i < order.length; i++) {
    const p = order[i] as number
    keys[p] = key(p) * n + p
  }
  order.sort((x, y) => (keys[x] as number) - (keys[y] as number))
}

/** The arrival host's pages, filtered and sorted (ascending). The scans live in small helpers for
 * the same reason as `sumBytes`. */
function pageOrder(m: MigrationHostState, filter: IndexFilter, sort: IndexSort): Int32Array {
  if (filter === 'all' && sort === 'page') return identityOrder(m.pages)
  const order = filteredPages(m, filter)
  if (sort === 'page') return order
  const key =
    sort === 'offset'
      ? (p: number) => {
          const l = m.loc[p] as number
          return l === LOC.ZERO || l === LOC.LOCAL || l === LOC.NONE
            ? 0x7fffffff
            : (m.offsets[p] as number)
        }
      : sort === 'segment'
        ? (p: number) => m.seg[p] as number
        : (p: number) => m.loc[p] as number
  sortByKey(order, key, m.pages)
  return order
}

/** A window of the arrival host's index table, filtered and sorted. */
export function migrationPages(
  m: MigrationHostState,
  pageState: Uint8Array | undefined,
  q: IndexPagesQuery,
): IndexPages {
  const loaded = m.host === 1 && m.phase !== PHASE_B.IDLE && m.loc.length > 0
  if (!loaded) return { loaded: false, total: 0, from: 0, rows: [], located: -1 }
  const order = pageOrder(m, q.filter ?? 'all', q.sort ?? 'page')
  if (q.descending) order.reverse()
  const total = order.length
  let located = -1
  if (q.locate !== undefined && q.locate >= 0) located = order.indexOf(q.locate)
  const wanted = Math.max(0, Math.min(Math.floor(q.count), 2000))
  let start = Math.floor(q.from)
  if (q.centerOnLocated && located >= 0 && (located < start || located >= start + wanted)) {
    start = Math.max(0, Math.min(located - Math.floor(wanted / 2), total - wanted))
  }
  const from = Math.max(0, Math.min(start, Math.max(0, total - 1)))
  const count = Math.max(0, Math.min(wanted, total - from))
  const rows: IndexRow[] = []
  for (let i = from; i < from + count; i++) rows.push(indexRow(m, pageState, order[i] as number))
  return { loaded, total, from, rows, located }
}

function arrivalOf(m: MigrationHostState, p: number): string {
  const l = m.loc[p] as number
  if (l === LOC.ZERO) return 'not sent: a zero page, generated here on first touch'
  if (l === LOC.LOCAL) return 'not sent: a local copy of the installed software exists here'
  if (l === LOC.LOST) return 'lost: it was only on the departure host'
  if (l === LOC.REMOTE) return 'not yet: on the remote paging device of the departure host'
  if (l === LOC.REQUESTED) return 'requested (page-in request on its way or answered)'
  if (l === LOC.INCOMING) return 'on its way from the departure host'
  const r = m.rround[p] as number
  const how =
    m.demanded[p] === 1
      ? 'on demand (page fault, page-in request)'
      : r !== 0xffff && m.recv[p] !== 1
        ? `pre-copy round ${r}`
        : m.recv[p] === 1
          ? 'sent by the departure host (checkpoint package, push or background touching)'
          : 'with the checkpoint'
  return l === LOC.PAGEDOUT ? `${how}; now paged out locally` : how
}

/** Hover details of one page on this host. */
export function migrationPage(
  m: MigrationHostState,
  pageState: Uint8Array | undefined,
  page: number,
): PageDetails | null {
  if (!(page >= 0 && page < m.pages)) return null
  const s = m.seg[page] as number
  const onB = m.host === 1 && m.loc.length > 0
  const l = onB ? (m.loc[page] as number) : -1
  return {
    page,
    host: m.host,
    segment: segName(s),
    state: pageState ? describePageState(pageState[page] as number) : '',
    pinned: s === 4,
    private: isPrivateSeg(s),
    zero: m.init[page] === 0 && (m.ver[page] as number) === 0,
    version: m.ver[page] as number,
    lastUse: m.lastUse[page] as number,
    present: ((m.present[page] as number) & 1) === 1,
    location: onB ? (LOC_NAMES[l] ?? '?') : '',
    offset:
      onB && l !== LOC.ZERO && l !== LOC.LOCAL && l !== LOC.NONE ? (m.offsets[page] as number) : -1,
    arrival: onB && m.phase !== PHASE_B.IDLE ? arrivalOf(m, page) : '',
    sent: m.host === 0 && m.sent[page] === 1,
    onDevice: m.host === 0 && m.device[page] === 1,
  }
}

export type MigrationQuery =
  | { readonly kind: 'migration.summary' }
  | ({ readonly kind: 'migration.pages' } & IndexPagesQuery)
  | { readonly kind: 'migration.page'; readonly page: number }
  /** The whole migration state (megabytes for large memories): for the memory check only. */
  | { readonly kind: 'migration.state' }
  /** What the report reads of this host, reduced here (small; see MigrationReportFacts). */
  | { readonly kind: 'migration.reportFacts' }

export { CAT, CAT_NAMES, STRATEGY }
