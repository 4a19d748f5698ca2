/**
 * The report from the hosts' report facts (`migration.reportFacts`, cloned as postMessage does, what
 * the UI asks for once a second) equals the report computed from the whole host states, on seven
 * presets at ticks before, during and after the migration. The whole-state report is the
 * pre-facts code of `migrationReport` (every page and every fault latency scanned on the caller's
 * side), kept here as the oracle. And the latency summary equals the nearest-rank percentiles.
 */
import { createReadStream, readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { feedTrace, parseTrace } from '../../runtime/trace'
import type { SimEvent } from '../events'
import { inspectHost } from '../inspect'
import { latencySummary, percentile, type MigrationReport } from '../metrics'
import { parseScenario, type Scenario } from '../scenario'
import { LocalWorld } from '../world'
import { CAT, PHASE_B, type MigrationHostState } from './engine'
import type { MigrationReportFacts } from './inspect'
import {
  emptyTally,
  migrationReport,
  runMigration,
  tallyEvents,
  type EventTally,
  type RunOptions,
} from './run'
import { MigrationScenarioSchema } from './scenario'

const FIXTURE = 'test/fixtures/sortsum.lackey.gz'

function preset(name: string): Scenario {
  return parseScenario(JSON.parse(readFileSync(`public/scenarios/${name}.json`, 'utf8')) as unknown)
}

/**
 * The report's numbers as `migrationReport` computed them from whole states before the facts
 * (integrity not checked): the oracle.
 */
function wholeStateReport(
  a: MigrationHostState,
  b: MigrationHostState,
  scenario: Scenario,
  tick: number,
  tally: EventTally,
  eventCount: number,
): MigrationReport {
  const m = scenario.migration ?? MigrationScenarioSchema.parse({})
  const tickUs = scenario.tickUs
  const ps = m.pageSize
  const onB = b.phase === PHASE_B.RUNNING || b.phase === PHASE_B.RESTARTING
  const proc: MigrationHostState = onB ? b : a
  const accesses = proc.wl.accesses
  const lost = b.phase === PHASE_B.LOST
  const notes: string[] = []
  const amt = (cat: number) => ({
    pages: a.c.catPages[cat] as number,
    bytes: a.c.catBytes[cat] as number,
  })
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
  for (const c of postFreezeCats) postFreezeSent += a.c.catPages[c] as number
  let sentPages = 0
  for (let p = 0; p < a.sent.length; p++) sentPages += a.sent[p] as number
  const noPageSentTwice = b.c.duplicates === 0 && postFreezeSent <= sentPages
  const enabled = scenario.migration !== undefined
  if (lost) notes.push('workload lost: no memory to compare')
  else if (!enabled) notes.push('no migration section')
  else notes.push('verification skipped')
  let mappedPages = 0
  for (let p = 0; p < b.present.length; p++) mappedPages += (b.present[p] as number) & 1
  const lat = b.faultLatTicks.map((t) => t * tickUs)
  const net = b.c.faultsNetwork
  const minor = b.c.faultsMinor
  const refProgress = m.workload.accessesPerTick * tick
  const isPre = a.cfg.strategy === 1 || a.cfg.strategy === 3 || a.cfg.strategy === 2
  return {
    scenario: scenario.name,
    seed: scenario.seed,
    strategy: enabled ? m.strategy : 'none',
    prepaging: m.postcopy.prepaging,
    pages: m.pages,
    pageSize: ps,
    arrivalPageSize: m.arrivalPageSize ?? ps,
    tickUs,
    ticks: tick,
    downtimeUs:
      b.resumeTick >= 0 && a.interruptTick >= 0 ? (b.resumeTick - a.interruptTick) * tickUs : -1,
    totalMigrationUs: b.completeTick >= 0 ? (b.completeTick - a.commandTick) * tickUs : -1,
    sourceReleasedUs: a.releaseTick >= 0 ? (a.releaseTick - a.commandTick) * tickUs : -1,
    commandTick: a.commandTick,
    transfer: {
      checkpoint: { pages: 0, bytes: a.c.catBytes[CAT.CHECKPOINT] as number },
      pinned: amt(CAT.PINNED),
      nonPrivate: amt(CAT.NONPRIVATE),
      hot: amt(CAT.HOT),
      demand: amt(CAT.DEMAND),
      proximal: amt(CAT.PROXIMAL),
      prefetch: amt(CAT.PREFETCH),
      background: amt(CAT.BACKGROUND),
      precopy: amt(CAT.PRECOPY),
      stopcopy: amt(CAT.STOPCOPY),
      requests: { messages: b.c.requestMessages, bytes: b.c.requestBytes },
      duplicates: { pages: b.c.duplicates, bytes: b.c.duplicates * a.cfg.pageWire },
      retransmits: { messages: tally.link.retransmits, bytes: tally.link.retransmitBytes },
      totalBytes: tally.link.bytes,
    },
    precopy: isPre
      ? { rounds: a.roundPages.length, roundPages: [...a.roundPages], stopReason: a.stopReason }
      : undefined,
    faults: {
      network: net,
      minor,
      zeroFill: b.c.faultsZero,
      localCopy: b.c.faultsLocalCopy,
      localPageIn: b.c.faultsLocalPageIn,
      prepagingScore: net + minor > 0 ? minor / (net + minor) : 0,
    },
    faultLatencyUs: {
      p50: percentile(lat, 0.5),
      p95: percentile(lat, 0.95),
      max: lat.length ? Math.max(...lat) : 0,
      count: lat.length,
    },
    workload: {
      kind: m.workload.kind,
      accesses,
      accessesAtInterrupt: a.interruptTick >= 0 ? a.wl.accesses : -1,
      referenceAccesses: 0,
      distinctPages: 0,
      progressVsReference: refProgress > 0 ? Math.min(1, accesses / refProgress) : 0,
    },
    target: {
      mappedPages,
      eagerPages: b.eagerExpected,
      pageOuts: b.c.pageOuts,
      complete: b.completeTick >= 0,
    },
    integrity: {
      ok: false,
      checked: false,
      checksum: '',
      referenceChecksum: '',
      mismatchedPages: 0,
      accumulatorMatches: false,
      noPageMappedTwice: b.c.doubleMaps === 0,
      noPageSentTwice,
      notes,
    },
    lost: { workloadLost: lost, pagesOnSource: b.lostPages.length, pages: [...b.lostPages] },
    warnings: { ...tally.warn },
    eventCount,
    eventLogHash: '',
    stateHash: '',
  }
}

const traceSource = () => createReadStream(FIXTURE) as AsyncIterable<Uint8Array>

describe('report from host facts', () => {
  for (const name of [
    'postcopy',
    'precopy',
    'stopcopy',
    'hybrid',
    'link-outage',
    'source-crash',
    'trace-replay',
  ]) {
    test(`${name}: facts give the whole states' report, before, during and after`, async () => {
      const sc = preset(name)
      const isTrace = name === 'trace-replay'
      const runOpts: RunOptions = isTrace ? { trace: traceSource, traceName: FIXTURE } : {}
      // Where the migration ends (released, or the workload lost): the CLI's run.
      const end = (await runMigration(sc, { ...runOpts, verify: false })).report.ticks
      const trace = isTrace
        ? await parseTrace(traceSource(), sc.migration?.pageSize ?? 4096, FIXTURE)
        : undefined
      const world = new LocalWorld(sc, {
        keepEvents: true,
        ...(trace ? { beforeStep: (hosts) => hosts.forEach((h) => feedTrace(h, trace)) } : {}),
      })
      const cmd = sc.migration?.migrateAtTick ?? 0
      const at = [
        Math.floor(cmd / 2),
        cmd + 40,
        ...[0.2, 0.45, 0.7, 0.9].map((f) => Math.round(cmd + (end - cmd) * f)),
        end,
        end + 700,
      ]
      const tally = emptyTally()
      let counted = 0
      const seen = new Set<string>()
      for (const tick of at) {
        world.runTo(tick)
        const log: readonly SimEvent[] = world.events
        tallyEvents(log, counted, log.length, tally)
        counted = log.length
        const [ha, hb] = world.hosts
        const oracle = wholeStateReport(ha.mig, hb.mig, sc, world.tick, tally, log.length)
        // As the UI gets them: the query's answer, structured-cloned (typed arrays included).
        const facts = (h: 0 | 1) =>
          structuredClone(
            inspectHost(world.hosts[h], world.tick, { kind: 'migration.reportFacts' })
              .result as MigrationReportFacts,
          )
        const input = {
          events: [],
          eventCount: log.length,
          linkTotals: { ...tally.link },
          tick: world.tick,
          scenario: sc,
        }
        const fromFacts = await migrationReport(
          { ...input, hosts: [{ facts: facts(0) }, { facts: facts(1) }] },
          { verify: false },
          { ...tally.warn },
        )
        expect(fromFacts, `${name} at tick ${tick}`).toEqual(oracle)
        // The CLI's way: facts derived from the local states by the same function.
        const fromStates = await migrationReport(
          { ...input, hosts: [{ mig: ha.mig }, { mig: hb.mig }] },
          { verify: false },
          { ...tally.warn },
        )
        expect(fromStates).toEqual(oracle)
        // Small whatever the run: only the lost-page list (empty until a loss) scales with memory.
        for (const h of [0, 1] as const) {
          expect(JSON.stringify({ ...facts(h), lostPages: [] }).length).toBeLessThan(2000)
        }
        seen.add(
          `${oracle.target.complete}/${oracle.sourceReleasedUs >= 0}/${oracle.lost.workloadLost}`,
        )
      }
      // The checkpoints cover the run going on and its end (released, or lost).
      expect(seen.size).toBeGreaterThan(1)
    }, 120_000)
  }
})

describe('latencySummary', () => {
  const oracle = (v: readonly number[]) => ({
    count: v.length,
    p50: percentile(v, 0.5),
    p95: percentile(v, 0.95),
    max: v.length ? v.reduce((x, y) => Math.max(x, y)) : 0,
  })
  test('small integers (counting) equal the nearest-rank percentiles', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 400 }), { maxLength: 300 }), (v) => {
        expect(latencySummary(v)).toEqual(oracle(v))
      }),
    )
  })
  test('wide or fractional values (sorted copy) equal the nearest-rank percentiles', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.integer({ min: 0, max: 2_000_000_000 }),
            fc.double({ min: 0, max: 1e6, noNaN: true }),
          ),
          { maxLength: 300 },
        ),
        (v) => {
          expect(latencySummary(v)).toEqual(oracle(v))
        },
      ),
    )
  })
  test('no stack overflow on a long list', () => {
    const v = Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 100_003)
    expect(latencySummary(v)).toEqual(oracle(v))
  })
})
