import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { EVENTS, type SimEvent } from '../events'
import { isInferred } from '../spec'
import { parseScenario, type ScenarioInput } from '../scenario'
import { runMigration } from './run'
import { MIGRATION_EVENTS } from './events'
import { LOC } from './engine'
import { streamsAllowProcessResume } from '../streams/engine'
import { LocalWorld } from '../world'
import { readFileSync } from 'node:fs'
import { parseScenarioText } from '../scenario'

type MigInput = NonNullable<ScenarioInput['migration']>

function scenario(mig: MigInput, extra: Partial<ScenarioInput> = {}) {
  return parseScenario({
    seed: 7,
    durationTicks: 200_000,
    ...extra,
    migration: { pages: 512, migrateAtTick: 100, ...mig },
  })
}

function kinds(events: readonly SimEvent[]): string[] {
  return events.map((e) => e.kind)
}

function firstIndex(events: readonly SimEvent[], kind: string): number {
  return events.findIndex((e) => e.kind === kind)
}

describe('every strategy keeps the invariants', () => {
  for (const strategy of ['postcopy', 'precopy', 'stopcopy', 'hybrid'] as const) {
    test(`${strategy}: target memory equals the reference byte for byte; nothing mapped or sent twice`, async () => {
      const { report } = await runMigration(scenario({ strategy }))
      expect(report.integrity.notes).toEqual([])
      expect(report.integrity.ok).toBe(true)
      expect(report.integrity.checksum).toBe(report.integrity.referenceChecksum)
      expect(report.target.complete).toBe(true)
      expect(report.sourceReleasedUs).toBeGreaterThan(0)
      expect(report.transfer.duplicates.pages).toBe(0)
      expect(report.downtimeUs).toBeGreaterThan(0)
      expect(report.totalMigrationUs).toBeGreaterThanOrEqual(report.downtimeUs)
    })
  }

  test('identical inputs give identical event-log and state hashes', async () => {
    const run = async () =>
      (await runMigration(scenario({ strategy: 'hybrid' }, { link: { lossRate: 0.05 } }))).report
    const a = await run()
    const b = await run()
    expect(a.eventLogHash).toBe(b.eventLogHash)
    expect(a.stateHash).toBe(b.stateHash)
    expect(a.eventCount).toBe(b.eventCount)
  })

  test('property: random seeded scenarios and faults never break integrity', async () => {
    const arb = fc.record({
      seed: fc.integer({ min: 0, max: 1000 }),
      strategy: fc.constantFrom('postcopy', 'precopy', 'stopcopy', 'hybrid'),
      prepaging: fc.constantFrom('patent', 'push', 'bubbling', 'criu', 'none'),
      kind: fc.constantFrom('uniform', 'sequential', 'hotcold', 'stack'),
      pages: fc.integer({ min: 48, max: 320 }),
      writeFraction: fc.double({ min: 0, max: 0.8, noNaN: true }),
      lossRate: fc.constantFrom(0, 0, 0.1),
      pinnedData: fc.constantFrom('checkpoint', 'fetch'),
      proximal: fc.constantFrom('off', 'on'),
      direction: fc.constantFrom('after', 'before', 'around'),
      frameLimit: fc.constantFrom(0, 0, 40),
      eagerHot: fc.constantFrom(0, 8),
      outage: fc.boolean(),
      app: fc.boolean(),
    })
    await fc.assert(
      fc.asyncProperty(arb, async (r) => {
        const inputs = r.outage
          ? [{ atTick: 160, input: { type: 'fault.linkDown' as const, durationTicks: 300 } }]
          : []
        const sc = parseScenario({
          seed: r.seed,
          durationTicks: 60_000,
          link: { lossRate: r.lossRate },
          inputs,
          migration: {
            pages: r.pages,
            migrateAtTick: 100,
            strategy: r.strategy,
            appInstalledOnTarget: r.app,
            workload: { kind: r.kind, writeFraction: r.writeFraction, accessesPerTick: 50 },
            postcopy: {
              prepaging: r.prepaging,
              pinnedData: r.pinnedData,
              proximal: r.proximal,
              proximalDirection: r.direction,
              frameLimit: r.frameLimit,
              eagerHotPages: r.eagerHot,
            },
          },
        })
        const { report } = await runMigration(sc)
        expect(report.integrity.notes).toEqual([])
        expect(report.integrity.ok).toBe(true)
        expect(report.integrity.noPageMappedTwice).toBe(true)
        expect(report.integrity.noPageSentTwice).toBe(true)
        expect(report.transfer.duplicates.pages).toBe(0)
        if (r.prepaging !== 'none' || r.strategy === 'precopy' || r.strategy === 'stopcopy') {
          expect(report.target.complete).toBe(true)
        }
      }),
      {
        numRuns: Number(process.env.MIG_PROP_RUNS ?? 60),
        seed: Number(process.env.MIG_PROP_SEED ?? 20240611),
      },
    )
  }, 60_000)
})

describe('post-copy follows the patent flow (US8200771 and siblings)', () => {
  test('every step is an event, in order', async () => {
    const { report, world } = await runMigration(scenario({}), { keepEvents: true })
    expect(report.integrity.ok).toBe(true)
    const ev = world.events
    const order = [
      'mig.command',
      'proc.interrupt',
      'mig.freeze',
      'mig.indexTable',
      'mig.offsetsMapped',
      'mig.checkpoint',
      'mig.checkpointSent',
      'proc.restart',
      'mig.tableLoaded',
      'mig.rpkCreated',
      'page.pinnedTouch',
      'proc.resume',
      'mig.bgStage',
      'mig.complete',
      'mig.sourceReleased',
    ]
    const idx = order.map((k) => firstIndex(ev, k))
    expect(idx.every((i) => i >= 0)).toBe(true)
    for (let i = 1; i < idx.length; i++) expect(idx[i]).toBeGreaterThan(idx[i - 1] as number)
    const k = kinds(ev)
    expect(k).toContain('page.faultNetwork')
    expect(k).toContain('page.demandMapped')
    expect(k).toContain('page.faultZero')
    expect(k).toContain('page.serve')
    // Three background fractions.
    expect(ev.filter((e) => e.kind === 'mig.bgStage').length).toBe(3)
    // The small portion: strictly less than all pages at freeze (P1-12).
    const sent = ev.find((e) => e.kind === 'mig.checkpointSent')
    if (sent?.kind !== 'mig.checkpointSent') throw new Error('no checkpoint')
    expect(sent.eagerPages).toBeLessThan(sent.totalPages)
    // Pinned pages all touched before the resume (P1-20).
    const resume = firstIndex(ev, 'proc.resume')
    const touches = ev.filter((e, i) => e.kind === 'page.pinnedTouch' && i < resume).length
    expect(touches).toBe(report.transfer.pinned.pages)
  })

  test('pinned data, second reading: pinned pages are paged in right after restart, before resume (P1-10)', async () => {
    const { report, world } = await runMigration(scenario({ postcopy: { pinnedData: 'fetch' } }), {
      keepEvents: true,
    })
    expect(report.integrity.ok).toBe(true)
    const ev = world.events
    const resume = firstIndex(ev, 'proc.resume')
    const restart = firstIndex(ev, 'proc.restart')
    const serves = ev.filter(
      (e, i) => e.kind === 'page.serve' && e.reason === 1 && i > restart && i < resume,
    )
    expect(serves.length).toBeGreaterThan(0)
    expect(ev.filter((e, i) => e.kind === 'page.pinnedTouch' && i < resume).length).toBe(
      report.transfer.pinned.pages,
    )
  })

  test('local copies and zero pages never cross the link (P1-21, P1-23)', async () => {
    const mig = {
      migrateAtTick: 5,
      workload: { kind: 'uniform' as const, textFraction: 0.3 },
      postcopy: { background: { waitUs: 50_000 } },
    }
    const { report, world } = await runMigration(scenario(mig), { keepEvents: true })
    expect(report.integrity.ok).toBe(true)
    expect(report.faults.localCopy).toBeGreaterThan(0)
    expect(report.faults.zeroFill).toBeGreaterThan(0)
    const b = world.hosts[1].mig
    const a = world.hosts[0].mig
    for (let p = 0; p < b.pages; p++) {
      if (b.seg[p] === 0 /* text */) expect(a.sent[p]).toBe(0)
    }
    // Without the application on B, text is non-private data sent with the checkpoint.
    const { report: r2 } = await runMigration(scenario({ ...mig, appInstalledOnTarget: false }))
    expect(r2.integrity.ok).toBe(true)
    expect(r2.faults.localCopy).toBe(0)
    expect(r2.transfer.nonPrivate.pages).toBeGreaterThan(report.transfer.nonPrivate.pages)
  })

  test('proximal pages: when B pages are 4x A pages, one request brings three neighbours (P1-24)', async () => {
    const base = {
      workload: { kind: 'sequential' as const, accessesPerTick: 20, accessesPerPage: 4 },
    }
    const { report: off } = await runMigration(
      scenario({ ...base, postcopy: { prepaging: 'none' } }),
    )
    const { report: on } = await runMigration(
      scenario({ ...base, arrivalPageSize: 16384, postcopy: { prepaging: 'none' } }),
    )
    expect(on.integrity.ok).toBe(true)
    expect(on.transfer.proximal.pages).toBeGreaterThan(0)
    expect(off.transfer.proximal.pages).toBe(0)
    // One round trip instead of up to four: far fewer page-in requests for the same pages.
    expect(on.transfer.requests.messages).toBeLessThan(off.transfer.requests.messages * 0.5)
  })

  test('frame limit: pages go to the local paging device and come back (P1-25)', async () => {
    const { report } = await runMigration(
      scenario({ workload: { kind: 'uniform' }, postcopy: { frameLimit: 100 } }),
    )
    expect(report.integrity.ok).toBe(true)
    expect(report.target.pageOuts).toBeGreaterThan(0)
    expect(report.faults.localPageIn).toBeGreaterThan(0)
    expect(report.target.complete).toBe(true)
  })

  test('deadline warning when the link cannot move the rest within one minute (P1-27)', async () => {
    const { report, world } = await runMigration(
      scenario(
        { pages: 2048, postcopy: { background: { deadlineUs: 20_000 } } },
        { link: { bandwidthMbps: 100 } },
      ),
      { keepEvents: true },
    )
    expect(report.integrity.ok).toBe(true)
    expect(report.warnings.deadline).toBe(1)
    expect(kinds(world.events)).toContain('mig.deadlineMissed')
  })

  test('the departure host is released only when nothing is left on it (P1-29)', async () => {
    const { world } = await runMigration(scenario({}), { keepEvents: true })
    const ev = world.events
    const rel = firstIndex(ev, 'mig.sourceReleased')
    expect(rel).toBeGreaterThan(0)
    const b = world.hosts[1].mig
    for (let p = 0; p < b.pages; p++) {
      expect([LOC.MAPPED, LOC.ARRIVED, LOC.PAGEDOUT]).toContain(b.loc[p])
    }
  })

  test('every event kind carries a confidence tag; inferred ones are flagged', () => {
    for (const [kind, spec] of Object.entries(MIGRATION_EVENTS)) {
      expect(spec.confidence, kind).toBeTruthy()
      expect(EVENTS[kind as keyof typeof EVENTS]).toBe(spec)
    }
    expect(isInferred(MIGRATION_EVENTS['mig.sourceReleased'].confidence)).toBe(true)
    expect(isInferred(MIGRATION_EVENTS['mig.workloadLost'].confidence)).toBe(true)
    expect(isInferred(MIGRATION_EVENTS['proc.restart'].confidence)).toBe(false)
  })
})

describe('failures (P1-30)', () => {
  test('link down during post-copy: requests wait and are retried, the process blocks, then resumes', async () => {
    const sc = scenario(
      { workload: { kind: 'uniform' } },
      { inputs: [{ atTick: 1000, input: { type: 'fault.linkDown', durationTicks: 3000 } }] },
    )
    const { report, world } = await runMigration(sc, { keepEvents: true })
    expect(report.integrity.ok).toBe(true)
    expect(report.target.complete).toBe(true)
    expect(report.faultLatencyUs.max).toBeGreaterThan(20_000)
    const k = kinds(world.events)
    expect(k).toContain('net.down')
    expect(k).toContain('net.up')
    expect(k).toContain('page.requestRetry')
  })

  test('message loss: retransmitted, never a duplicate page mapped', async () => {
    const { report } = await runMigration(
      scenario({ workload: { kind: 'uniform' } }, { link: { lossRate: 0.2 } }),
    )
    expect(report.transfer.retransmits.messages).toBeGreaterThan(10)
    expect(report.transfer.duplicates.pages).toBe(0)
    expect(report.integrity.noPageMappedTwice).toBe(true)
    expect(report.integrity.ok).toBe(true)
  })

  test('source crash during post-copy loses the workload and names every page still on the source', async () => {
    const sc = scenario(
      { workload: { kind: 'uniform' }, postcopy: { prepaging: 'none' } },
      { inputs: [{ atTick: 400, input: { type: 'fault.sourceCrash' } }] },
    )
    const { report, world } = await runMigration(sc, { keepEvents: true })
    expect(report.lost.workloadLost).toBe(true)
    expect(report.integrity.ok).toBe(false)
    const b = world.hosts[1].mig
    const onSource: number[] = []
    for (let p = 0; p < b.pages; p++) {
      const l = b.loc[p]
      if (l === LOC.REMOTE || l === LOC.REQUESTED || l === LOC.INCOMING) onSource.push(p)
    }
    expect(report.lost.pages).toEqual(onSource)
    expect(onSource.length).toBeGreaterThan(0)
    const lostEvents = world.events
      .filter((e) => e.kind === 'page.lostOnSource')
      .map((e) => (e.kind === 'page.lostOnSource' ? e.page : -1))
    expect(lostEvents).toEqual(onSource)
    expect(kinds(world.events)).toContain('mig.workloadLost')
  })

  test('source crash after release is harmless', async () => {
    const first = await runMigration(scenario({}))
    const crashAt = first.world.tick + 10
    const sc = scenario({}, { inputs: [{ atTick: crashAt, input: { type: 'fault.sourceCrash' } }] })
    const { report, world } = await runMigration(sc, { keepEvents: true, tailTicks: 20 })
    expect(report.lost.workloadLost).toBe(false)
    expect(report.integrity.ok).toBe(true)
    expect(kinds(world.events)).toContain('mig.sourceCrashHarmless')
  })
})

describe('whole-partition migration (coupling with the STREAMS engine)', () => {
  test('after partition.migrate, B resumes the process only once its streams allow it', () => {
    const text = readFileSync(
      new URL('../../../public/scenarios/partition-migrate.json', import.meta.url),
      'utf8',
    )
    const json = JSON.parse(text) as Record<string, unknown>
    // A tiny memory restarts at once, so the process has to wait for the stream's restart.
    json.migration = { pages: 64, costs: { checkpointUs: 0, restartUs: 0 } }
    const sc = parseScenarioText(JSON.stringify(json), 'partition-migrate.json')
    const w = new LocalWorld(sc, { keepEvents: false })
    let resumedAt = -1
    let blockedByStreams = 0
    while (w.tick < sc.durationTicks && resumedAt < 0) {
      const b = w.hosts[1]
      const readyButWaiting =
        b.mig.restartReadyTick >= 0 &&
        w.tick >= b.mig.restartReadyTick &&
        !streamsAllowProcessResume(b.str)
      w.step()
      if (readyButWaiting && b.mig.resumeTick < 0) blockedByStreams++
      if (b.mig.resumeTick >= 0) {
        resumedAt = b.mig.resumeTick
        expect(streamsAllowProcessResume(b.str)).toBe(true)
      }
    }
    expect(resumedAt).toBeGreaterThan(0)
    expect(w.hosts[1].mig.proc.byPartition).toBe(true)
    expect(blockedByStreams).toBeGreaterThan(0)
  })
})
