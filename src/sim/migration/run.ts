/**
 * The reusable run: scenario -> LocalWorld -> run until the migration completes (or the scenario's
 * duration) -> report. The CLI, the tests and the browser UI call this same function.
 *
 * Trace workloads read their trace through `TraceFeed` (the "disk" of the process, outside host
 * state): before each tick the runner tops up the buffer of the host whose process wants accesses.
 */
import { eventFieldAt, eventKindAt, eventSpec, type EventSeq, type SimEvent } from '../events'
import { createHasher, digest, hashBytes } from '../hash'
import { expectedPage, fillText, INIT, initPage, rangesEqual } from '../memory'
import type { MigrationReport } from '../metrics'
import type { Scenario } from '../scenario'
import { TraceError, TraceFeed } from '../trace/lackey'
import {
  CHUNK,
  createWorkload,
  execBare,
  mapVpage,
  pageKinds,
  refill,
  segmentLayout,
  TraceTooLargeError,
  WL,
  workloadParams,
  type TraceChunk,
} from '../workload/workload'
import { LocalWorld, type LocalWorldOptions } from '../world'
import {
  CAT,
  LOC,
  migrationFeedTrace,
  migrationWantsTrace,
  PHASE_A,
  PHASE_B,
  PREPAGING,
  PROC,
  type MigrationHostState,
} from './engine'
import { migrationReportFacts, type MigrationReportFacts } from './inspect'
import { MigrationScenarioSchema, type Strategy } from './scenario'

export type ByteSource = () => AsyncIterable<Uint8Array>

/** Accesses of a trace already parsed, read in chunks (`TraceFeed` is one over Lackey bytes). */
export interface TraceChunks {
  next(max: number): Promise<TraceChunk>
}

export interface RunOptions {
  readonly strategy?: Strategy
  /** A trace workload's bytes (called once for the run and once for the reference). */
  readonly trace?: ByteSource
  /** Or, for the reference replay only, its accesses already parsed (the browser holds them so). */
  readonly traceChunks?: () => TraceChunks
  readonly traceName?: string
  /** Overrides `durationTicks`. */
  readonly maxTicks?: number
  readonly keepEvents?: boolean
  /** Run the reference and compare memory byte for byte (default true). */
  readonly verify?: boolean
  readonly buffers?: LocalWorldOptions['buffers']
  /** Keep running this many ticks after the migration finished (default 0). */
  readonly tailTicks?: number
}

export interface RunResult {
  readonly report: MigrationReport
  readonly world: LocalWorld
}

/** Applies CLI-style overrides to a scenario (the result is a new object). */
export function withOverrides(
  scenario: Scenario,
  o: { strategy?: Strategy | undefined; seed?: number | undefined; ticks?: number | undefined },
): Scenario {
  const s: Scenario = JSON.parse(JSON.stringify(scenario)) as Scenario
  // A scenario without a migration section keeps none, unless a strategy is asked for.
  if (s.migration || o.strategy) {
    const mig = s.migration ?? MigrationScenarioSchema.parse({})
    s.migration = o.strategy ? { ...mig, strategy: o.strategy } : mig
  }
  if (o.seed !== undefined) s.seed = o.seed
  if (o.ticks !== undefined) s.durationTicks = o.ticks
  return s
}

/** True when the run has nothing left to do (migration done, workload lost, or trace over). */
export function migrationFinished(world: LocalWorld): boolean {
  const a = world.hosts[0].mig
  const b = world.hosts[1].mig
  if (b.phase === PHASE_B.LOST || a.phase === PHASE_A.CRASHED) return true
  const aDone = a.phase === PHASE_A.RELEASED
  if (b.completeTick >= 0 && aDone) return true
  // A trace that ended before any migration, or a demand-only run whose process has exited.
  if (!a.started && a.proc.status === PROC.EXITED) return true
  if (b.proc.status === PROC.EXITED && b.cfg.prepaging === PREPAGING.none && b.finalRound < 0)
    return true
  return false
}

async function topUp(world: LocalWorld, feed: TraceFeed): Promise<void> {
  for (const host of world.hosts) {
    const m = host.mig
    while (migrationWantsTrace(m)) {
      const room = m.wl.bufPage.length - (m.wl.len - m.wl.pos)
      const chunk = await feed.next(Math.min(room, 2048))
      try {
        migrationFeedTrace(host.mem, m, chunk, feed.eof)
      } catch (e) {
        if (e instanceof TraceTooLargeError)
          throw new TraceError(feed.parser.where, feed.parser.line, e.message)
        throw e
      }
    }
  }
}

export async function runMigration(input: Scenario, opts: RunOptions = {}): Promise<RunResult> {
  const scenario = opts.strategy ? withOverrides(input, { strategy: opts.strategy }) : input
  const m = scenario.migration ?? MigrationScenarioSchema.parse({})
  const trace = m.workload.kind === 'trace'
  if (trace && !opts.trace) throw new Error('a trace workload needs a trace (--trace file.lackey)')
  const world = new LocalWorld(scenario, {
    keepEvents: opts.keepEvents ?? false,
    ...(opts.buffers ? { buffers: opts.buffers } : {}),
  })
  const feed =
    trace && opts.trace
      ? new TraceFeed(opts.trace(), m.pageSize, opts.traceName ?? 'trace')
      : undefined
  const end = opts.maxTicks ?? scenario.durationTicks
  let tail = -1
  let deadline = 0
  let deadlineMissed = 0
  let diverging = 0
  while (world.tick < end) {
    if (feed) await topUp(world, feed)
    const evs = world.step()
    for (const ev of evs) {
      if (ev.kind === 'mig.deadlineWarning') deadline++
      else if (ev.kind === 'mig.deadlineMissed') deadlineMissed++
      else if (ev.kind === 'mig.precopyDiverging') diverging++
    }
    if (tail < 0 && migrationFinished(world)) tail = opts.tailTicks ?? 0
    if (tail >= 0 && tail-- === 0) break
  }
  const report = await migrationReport(world, opts, { deadline, deadlineMissed, diverging })
  return { report, world }
}

export interface Reference {
  frames: Uint8Array
  ver: Uint32Array
  acc: number
  accesses: number
  distinctPages: number
  init: Uint8Array
}

/** The same workload without migration, to the same access count, on plain memory. */
export async function referenceRun(
  scenario: Scenario,
  accesses: number,
  opts: RunOptions,
  /** Trace workloads: accesses the run had read (and mapped) ahead of execution. */
  fed = accesses,
): Promise<Reference> {
  const m = scenario.migration ?? MigrationScenarioSchema.parse({})
  const layout = segmentLayout(m)
  const P = workloadParams(m, layout)
  const ps = m.pageSize
  const trace = P.kind === WL.TRACE
  const kinds = pageKinds(m, layout, trace)
  const frames = new Uint8Array(m.pages * ps)
  const ver = new Uint32Array(m.pages)
  const touched = new Uint8Array(m.pages)
  for (let p = 0; p < m.pages; p++) {
    const k = kinds.init[p] as number
    if (k !== INIT.ZERO) initPage(frames, p * ps, ps, scenario.seed, p, k)
  }
  const w = createWorkload(m, scenario.seed, P)
  let acc = w.acc
  let done = 0
  if (!trace) {
    while (done < accesses) {
      refill(w, P)
      const n = Math.min(CHUNK, accesses - done)
      acc = execBare(frames, ver, scenario.seed, ps, w.bufPage, w.bufOff, w.bufFlag, 0, n, acc)
      for (let i = 0; i < n; i++) touched[w.bufPage[i] as number] = 1
      done += n
    }
  } else if (opts.trace || opts.traceChunks) {
    // Pages get their index (and text pages their contents) when an access is read, as in the run,
    // so the reference reads (maps) as far ahead as the run did but executes only `accesses`.
    const feed: TraceChunks = opts.traceChunks
      ? opts.traceChunks()
      : new TraceFeed((opts.trace as ByteSource)(), ps, opts.traceName ?? 'trace')
    const page = new Int32Array(2048)
    const target = Math.max(fed, accesses)
    let mapped = 0
    while (mapped < target) {
      const chunk = await feed.next(Math.min(2048, target - mapped))
      if (chunk.n === 0) break
      mapped += chunk.n
      for (let i = 0; i < chunk.n; i++) {
        let p = mapVpage(
          w,
          m.pages,
          ps,
          chunk.vpage[i] as number,
          chunk.flag[i] as number,
          kinds.seg,
          kinds.init,
        )
        if (p < 0) {
          p = -1 - p
          if (kinds.init[p] === INIT.TEXT) fillText(frames, p * ps, ps, p)
        }
        page[i] = p
      }
      const n = Math.max(0, Math.min(chunk.n, accesses - done))
      acc = execBare(frames, ver, scenario.seed, ps, page, chunk.off, chunk.flag, 0, n, acc)
      for (let i = 0; i < n; i++) touched[page[i] as number] = 1
      done += n
    }
  }
  let distinct = 0
  for (let p = 0; p < m.pages; p++) distinct += touched[p] as number
  return { frames, ver, acc, accesses: done, distinctPages: distinct, init: kinds.init }
}

/**
 * One host as the report reads it: its report facts (or its whole migration state, from which they
 * are derived), its memory and whole state (for the integrity check only) and its link counters
 * (or, without them, the `net.*` events). A LocalWorld host satisfies it.
 */
export type ReportHost = (
  | { readonly facts: MigrationReportFacts; readonly mig?: MigrationHostState | undefined }
  | { readonly mig: MigrationHostState; readonly facts?: MigrationReportFacts | undefined }
) & {
  readonly mem?: { readonly frames: Uint8Array } | undefined
  readonly link?:
    | {
        readonly stats: {
          readonly bytes: number
          readonly retransmits: number
          readonly retransmitBytes: number
        }
      }
    | undefined
}

/** A host's report facts: given (inspected in the host), or derived from its local state. */
function factsOf(h: ReportHost): MigrationReportFacts {
  if (h.facts) return h.facts
  if (!h.mig) throw new Error('a report host needs its report facts or its migration state')
  return migrationReportFacts(h.mig)
}

/**
 * What the report is computed from: LocalWorld satisfies it (the CLI), and so do the inspected
 * `migration.reportFacts` of both hosts plus the event log's tally on the main thread (the UI).
 */
export interface ReportInput {
  readonly hosts: readonly [ReportHost, ReportHost]
  /** The run's events up to `tick` (may be empty when `warnings` and `link` are given). */
  readonly events: readonly SimEvent[]
  readonly tick: number
  readonly scenario: Scenario
  /** Events emitted up to `tick` (default: `events.length`). */
  readonly eventCount?: number
  /** The link's totals when the hosts carry no link counters (default: tallied from `events`). */
  readonly linkTotals?: LinkTotals
  eventLogHash?(): string
  stateHash?(): string
}

export interface ReportWarnings {
  deadline: number
  deadlineMissed: number
  diverging: number
}

export interface LinkTotals {
  bytes: number
  retransmits: number
  retransmitBytes: number
}

/** What the report counts from the event log: warnings, and the link's totals. */
export interface EventTally {
  readonly warn: ReportWarnings
  readonly link: LinkTotals
}

export function emptyTally(): EventTally {
  return {
    warn: { deadline: 0, deadlineMissed: 0, diverging: 0 },
    link: { bytes: 0, retransmits: 0, retransmitBytes: 0 },
  }
}

/**
 * Adds events [from, to) to `t` (in place) and returns it. The UI keeps one tally and adds only the
 * events that arrived since its last poll: the log grows by about a million events a minute. Kind
 * and bytes are read without making the event (a columnar log's columns): net.sent alone is one
 * event in five.
 */
export function tallyEvents(
  events: EventSeq,
  from: number,
  to: number,
  t: EventTally = emptyTally(),
): EventTally {
  const { warn: w, link } = t
  for (let i = from; i < to; i++) {
    switch (eventKindAt(events, i)) {
      case 'mig.deadlineWarning':
        w.deadline++
        break
      case 'mig.deadlineMissed':
        w.deadlineMissed++
        break
      case 'mig.precopyDiverging':
        w.diverging++
        break
      // Every transmission ends as net.sent or net.lost; each retry starts with net.retransmit.
      case 'net.sent':
      case 'net.lost':
        link.bytes += eventFieldAt(events, i, 'wireBytes') as number
        break
      case 'net.retransmit':
        link.retransmits++
        link.retransmitBytes += eventFieldAt(events, i, 'wireBytes') as number
        break
      default:
    }
  }
  return t
}

/** The warning counters of the report, from the events. */
export function countWarnings(events: readonly SimEvent[]): ReportWarnings {
  return tallyEvents(events, 0, events.length).warn
}

function linkTotals(input: ReportInput): LinkTotals {
  const [a, b] = input.hosts
  if (a.link && b.link) {
    return {
      bytes: a.link.stats.bytes + b.link.stats.bytes,
      retransmits: a.link.stats.retransmits + b.link.stats.retransmits,
      retransmitBytes: a.link.stats.retransmitBytes + b.link.stats.retransmitBytes,
    }
  }
  return input.linkTotals ?? tallyEvents(input.events, 0, input.events.length).link
}

/**
 * The process's memory as it stands: each page from where it lives now (B's frames, B's local paging
 * device, generated on B, or still frozen on A). `scratch` receives pages that exist only implicitly.
 */
function pageBytes(
  framesA: Uint8Array,
  framesB: Uint8Array,
  mb: MigrationHostState,
  holder: 0 | 1,
  p: number,
  scratch: Uint8Array,
): { buf: Uint8Array; at: number } {
  const ps = mb.pageSize
  if (holder === 0) return { buf: framesA, at: p * ps }
  switch (mb.loc[p]) {
    case LOC.MAPPED:
    case LOC.ARRIVED:
      return { buf: framesB, at: p * ps }
    case LOC.PAGEDOUT:
      return { buf: mb.swap ?? scratch, at: p * ps }
    case LOC.ZERO:
      scratch.fill(0, 0, ps)
      return { buf: scratch, at: 0 }
    case LOC.LOCAL:
      fillText(scratch, 0, ps, p)
      return { buf: scratch, at: 0 }
    default:
      return { buf: framesA, at: p * ps }
  }
}

/** The content version of page `p` where it lives now. */
function versionOf(a: MigrationHostState, b: MigrationHostState, holder: 0 | 1, p: number): number {
  if (holder === 0) return a.ver[p] as number
  const l = b.loc[p]
  const onA = l === LOC.REMOTE || l === LOC.REQUESTED || l === LOC.INCOMING || l === LOC.NONE
  return (onA ? a.ver[p] : b.ver[p]) as number
}

/** The memory check's outcome, as the report shows it. */
interface MemoryCheck {
  readonly verify: boolean
  readonly mismatched: number
  readonly checksum: string
  readonly refChecksum: string
  readonly accOk: boolean
  readonly referenceAccesses: number
  readonly distinctPages: number
  readonly notes: string[]
}

/**
 * Integrity: the process memory (both hosts' frames and whole migration states) against the
 * reference run of the same workload. Without frames or states, says why it did not check.
 */
async function checkMemory(
  input: ReportInput,
  opts: Pick<RunOptions, 'trace' | 'traceChunks' | 'traceName' | 'verify'>,
  lost: boolean,
): Promise<MemoryCheck> {
  const scenario = input.scenario
  const [hostA, hostB] = input.hosts
  const m = scenario.migration ?? MigrationScenarioSchema.parse({})
  const ps = m.pageSize
  const notes: string[] = []
  const enabled = scenario.migration !== undefined
  const framesA = hostA.mem?.frames
  const framesB = hostB.mem?.frames
  const a = hostA.mig
  const b = hostB.mig
  const haveMemory = framesA !== undefined && framesB !== undefined && a && b
  const verify = (opts.verify ?? true) && enabled && !!haveMemory
  let mismatched = 0
  let checksum = ''
  let refChecksum = ''
  let accOk = false
  let referenceAccesses = 0
  let distinctPages = 0
  if (verify && !lost && framesA && framesB && a && b) {
    const onB = b.phase === PHASE_B.RUNNING || b.phase === PHASE_B.RESTARTING
    const holder: 0 | 1 = onB ? 1 : 0
    const proc: MigrationHostState = onB ? b : a
    const accesses = proc.wl.accesses
    const ref = await referenceRun(scenario, accesses, opts, proc.wl.fed)
    referenceAccesses = ref.accesses
    distinctPages = ref.distinctPages
    accOk = ref.acc === proc.wl.acc && ref.accesses === accesses
    const scratch = new Uint8Array(ps)
    const h = createHasher(0xc0de)
    const hr = createHasher(0xc0de)
    const expect = new Uint8Array(ps)
    for (let p = 0; p < m.pages; p++) {
      const { buf, at } = pageBytes(framesA, framesB, b, holder, p, scratch)
      hashBytes(h, buf, at, at + ps)
      hashBytes(hr, ref.frames, p * ps, p * ps + ps)
      if (!rangesEqual(buf, at, ref.frames, p * ps, ps)) mismatched++
      else if (versionOf(a, b, holder, p) !== (ref.ver[p] as number)) mismatched++
    }
    // Spot-check the content model itself: the page bytes are the function of (seed, page, version).
    for (let p = 0; p < Math.min(m.pages, 64); p++) {
      expectedPage(expect, 0, ps, scenario.seed, p, ref.init[p] as number, ref.ver[p] as number)
      if (!rangesEqual(expect, 0, ref.frames, p * ps, ps)) {
        notes.push(`page ${p}: reference bytes differ from the (seed, page, version) model`)
        break
      }
    }
    checksum = digest(h)
    refChecksum = digest(hr)
    if (!accOk) notes.push('accumulator or access count differs from the reference')
    if (mismatched > 0) notes.push(`${mismatched} pages differ from the reference`)
  } else if (lost) notes.push('workload lost: no memory to compare')
  else if (!enabled) notes.push('no migration section')
  else if (!haveMemory && (opts.verify ?? true)) notes.push('memory not available: not verified')
  else notes.push('verification skipped')
  return {
    verify,
    mismatched,
    checksum,
    refChecksum,
    accOk,
    referenceAccesses,
    distinctPages,
    notes,
  }
}

/**
 * The migration report (the CLI's JSON) from a structural input: the same function serves the CLI
 * (a LocalWorld: facts derived from its states) and the UI (facts inspected in the hosts, the event
 * log's tally). The memory check needs both hosts' frames and whole states (the CLI, the verifier
 * worker); everything else reads only the facts. `warn` defaults to the counts of the warning
 * events in `input.events`.
 */
export async function migrationReport(
  input: ReportInput,
  opts: Pick<RunOptions, 'trace' | 'traceChunks' | 'traceName' | 'verify'> = {},
  warn: ReportWarnings = countWarnings(input.events),
): Promise<MigrationReport> {
  const scenario = input.scenario
  const [hostA, hostB] = input.hosts
  const a = factsOf(hostA)
  const b = factsOf(hostB)
  const m = scenario.migration ?? MigrationScenarioSchema.parse({})
  const tickUs = scenario.tickUs
  const ps = m.pageSize
  const onB = b.phase === PHASE_B.RUNNING || b.phase === PHASE_B.RESTARTING
  const proc = onB ? b : a
  const accesses = proc.accesses
  const lost = b.phase === PHASE_B.LOST
  const enabled = scenario.migration !== undefined

  // Transfer by category (counted by host A as it sends; requests by host B).
  const amt = (cat: number) => ({
    pages: a.catPages[cat] as number,
    bytes: a.catBytes[cat] as number,
  })
  const link = linkTotals(input)
  const totalBytes = link.bytes
  const retransmits = { messages: link.retransmits, bytes: link.retransmitBytes }
  const postFreezeCats = [
    CAT.PINNED,
    CAT.NONPRIVATE,
    CAT.HOT,
    CAT.DEMAND,
    CAT.PROXIMAL,
    CAT.PREFETCH,
    CAT.BACKGROUND,
  ]
  let postFreezeSent = 0
  for (const c of postFreezeCats) postFreezeSent += a.catPages[c] as number
  // Every post-freeze send goes through the `sent` bitmap, so sends can never exceed marked pages.
  const noPageSentTwice = b.duplicates === 0 && postFreezeSent <= a.sentPages

  const mem = await checkMemory(input, opts, lost)
  const { verify, mismatched, accOk, notes } = mem

  const lat = b.faultLatencyTicks
  const net = b.faults.network
  const minor = b.faults.minor
  const ticksRun = input.tick
  const refProgress = m.workload.accessesPerTick * ticksRun
  const rounds = a.roundPages.length
  const isPre = a.strategy === 1 || a.strategy === 3 || a.strategy === 2
  const integrityOk =
    verify &&
    !lost &&
    mismatched === 0 &&
    accOk &&
    b.doubleMaps === 0 &&
    noPageSentTwice &&
    notes.length === 0

  return {
    scenario: scenario.name,
    seed: scenario.seed,
    strategy: enabled ? m.strategy : 'none',
    prepaging: m.postcopy.prepaging,
    pages: m.pages,
    pageSize: ps,
    arrivalPageSize: m.arrivalPageSize ?? ps,
    tickUs,
    ticks: ticksRun,
    downtimeUs:
      b.resumeTick >= 0 && a.interruptTick >= 0 ? (b.resumeTick - a.interruptTick) * tickUs : -1,
    totalMigrationUs: b.completeTick >= 0 ? (b.completeTick - a.commandTick) * tickUs : -1,
    sourceReleasedUs: a.releaseTick >= 0 ? (a.releaseTick - a.commandTick) * tickUs : -1,
    commandTick: a.commandTick,
    transfer: {
      checkpoint: { pages: 0, bytes: a.catBytes[CAT.CHECKPOINT] as number },
      pinned: amt(CAT.PINNED),
      nonPrivate: amt(CAT.NONPRIVATE),
      hot: amt(CAT.HOT),
      demand: amt(CAT.DEMAND),
      proximal: amt(CAT.PROXIMAL),
      prefetch: amt(CAT.PREFETCH),
      background: amt(CAT.BACKGROUND),
      precopy: amt(CAT.PRECOPY),
      stopcopy: amt(CAT.STOPCOPY),
      requests: { messages: b.requestMessages, bytes: b.requestBytes },
      duplicates: { pages: b.duplicates, bytes: b.duplicates * a.pageWire },
      retransmits,
      totalBytes,
    },
    precopy: isPre
      ? { rounds, roundPages: [...a.roundPages], stopReason: a.stopReason }
      : undefined,
    faults: {
      network: net,
      minor,
      zeroFill: b.faults.zeroFill,
      localCopy: b.faults.localCopy,
      localPageIn: b.faults.localPageIn,
      prepagingScore: net + minor > 0 ? minor / (net + minor) : 0,
    },
    // Latencies were counted in ticks: scaling by tickUs > 0 keeps their order, so the percentiles
    // and maximum of the µs values are those of the ticks, scaled.
    faultLatencyUs: {
      p50: lat.p50 * tickUs,
      p95: lat.p95 * tickUs,
      max: lat.max * tickUs,
      count: lat.count,
    },
    workload: {
      kind: m.workload.kind,
      accesses,
      accessesAtInterrupt: a.interruptTick >= 0 ? a.accesses : -1,
      referenceAccesses: mem.referenceAccesses,
      distinctPages: mem.distinctPages,
      progressVsReference: refProgress > 0 ? Math.min(1, accesses / refProgress) : 0,
    },
    target: {
      mappedPages: b.mappedPages,
      eagerPages: b.eagerExpected,
      pageOuts: b.pageOuts,
      complete: b.completeTick >= 0,
    },
    integrity: {
      ok: integrityOk,
      checked: verify && !lost,
      checksum: mem.checksum,
      referenceChecksum: mem.refChecksum,
      mismatchedPages: mismatched,
      accumulatorMatches: accOk,
      noPageMappedTwice: b.doubleMaps === 0,
      noPageSentTwice,
      notes,
    },
    lost: { workloadLost: lost, pagesOnSource: b.lostPages.length, pages: Array.from(b.lostPages) },
    warnings: warn,
    eventCount: input.eventCount ?? input.events.length,
    eventLogHash: input.eventLogHash?.() ?? '',
    stateHash: input.stateHash?.() ?? '',
  }
}

/** Events as JSON-friendly records with their registry text and confidence (for `--events`). */
export function eventsForExport(events: readonly SimEvent[]): object[] {
  return events.map((ev) => {
    const spec = eventSpec(ev.kind)
    return { ...ev, confidence: spec.confidence, feature: spec.feature ?? '' }
  })
}
