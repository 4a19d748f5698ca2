/**
 * Reproductions against ../shared/spec/models-and-numbers.md (sections 2, 3, 6, 7.2).
 */
import { describe, expect, test } from 'vitest'
import { parseScenario } from '../scenario'
import { runMigration } from './run'

// 1 Gbit/s, 10 µs ticks: 1250 B per tick. A page on the wire = 64 B header + 4096 B + 8 B trailer.
const PAGE_WIRE = 64 + 4096 + 8
const R_PAGES_PER_TICK = 1250 / PAGE_WIRE

describe('pre-copy against the geometric-series model (section 2)', () => {
  /** Model rounds and volume for dirty ratio λ, M pages and threshold V_thd (pages). */
  function model(M: number, lambda: number, vthd: number, nmax: number) {
    const V: number[] = [M]
    while ((V[V.length - 1] as number) > vthd && V.length - 1 < nmax) V.push(M * lambda ** V.length)
    return { n: V.length - 1, volume: V.reduce((a, b) => a + b, 0) }
  }

  for (const lambda of [0.1, 0.2, 0.3]) {
    test(`uniform dirtying, λ = ${lambda}: rounds equal, bytes within 10 %`, async () => {
      const M = 2048
      const accessesPerTick = 4
      const writeFraction = (lambda * R_PAGES_PER_TICK) / accessesPerTick
      const vthdPages = 20
      const downtimeLimitUs = (vthdPages / R_PAGES_PER_TICK) * 10
      const sc = parseScenario({
        seed: 3,
        durationTicks: 300_000,
        migration: {
          pages: M,
          strategy: 'precopy',
          migrateAtTick: 10,
          segments: { heap: M },
          heapInitFraction: 1,
          workload: { kind: 'uniform', accessesPerTick, writeFraction, textFraction: 0 },
          precopy: { downtimeLimitUs, maxRounds: 30 },
        },
      })
      const { report } = await runMigration(sc)
      expect(report.integrity.ok).toBe(true)
      const sim = report.precopy
      if (!sim) throw new Error('no pre-copy report')
      const mod = model(M, lambda, vthdPages, 30)
      const simPages = sim.roundPages.reduce((a, b) => a + b, 0)
      expect(sim.rounds - 1).toBe(mod.n)
      expect(Math.abs(simPages - mod.volume) / mod.volume).toBeLessThan(0.1)
      const bytes = report.transfer.precopy.bytes + report.transfer.stopcopy.bytes
      expect(Math.abs(bytes - mod.volume * PAGE_WIRE) / (mod.volume * PAGE_WIRE)).toBeLessThan(0.1)
      expect(sim.stopReason).toBe(0)
    })
  }

  test('diverges visibly when the dirty rate exceeds the bandwidth (λ = 1.5): cap hit, last round large', async () => {
    const M = 1024
    const sc = parseScenario({
      seed: 3,
      durationTicks: 400_000,
      migration: {
        pages: M,
        strategy: 'precopy',
        migrateAtTick: 10,
        segments: { heap: M },
        heapInitFraction: 1,
        workload: {
          kind: 'uniform',
          accessesPerTick: 4,
          writeFraction: (1.5 * R_PAGES_PER_TICK) / 4,
          textFraction: 0,
        },
        precopy: { downtimeLimitUs: 1000, maxRounds: 8 },
      },
    })
    const { report } = await runMigration(sc)
    expect(report.integrity.ok).toBe(true)
    const sim = report.precopy
    if (!sim) throw new Error('no pre-copy report')
    expect(sim.stopReason).toBe(1)
    expect(sim.rounds).toBe(9)
    expect(report.warnings.diverging).toBeGreaterThan(3)
    const last = sim.roundPages[sim.roundPages.length - 1] as number
    expect(last).toBeGreaterThan(0.4 * M)
    // Downtime is the last round's volume / R: many times the 1 ms limit.
    expect(report.downtimeUs).toBeGreaterThan(((last * PAGE_WIRE) / 1250) * 10 * 0.95)
    expect(report.downtimeUs).toBeGreaterThan(10 * 1000)
  })
})

describe('post-copy (section 3)', () => {
  function postcopy(pages: number, writeFraction: number, segments?: Record<string, number>) {
    return parseScenario({
      seed: 5,
      durationTicks: 400_000,
      migration: {
        pages,
        migrateAtTick: 50,
        heapInitFraction: 1,
        ...(segments
          ? { segments }
          : { segments: { text: 0, data: 64, heap: pages - 64 - 128, stack: 128 } }),
        workload: { kind: 'hotcold', writeFraction, accessesPerTick: 50 },
        postcopy: { prepaging: 'push' },
      },
    })
  }

  test('each used page is sent at most once, and the transfer does not grow with the dirty rate', async () => {
    const results = []
    for (const w of [0.05, 0.3, 0.8]) {
      const { report, world } = await runMigration(postcopy(1024, w))
      expect(report.integrity.ok).toBe(true)
      expect(report.transfer.duplicates.pages).toBe(0)
      const a = world.hosts[0].mig
      let device = 0
      for (let p = 0; p < a.pages; p++) device += a.device[p] as number
      const t = report.transfer
      const pages =
        t.pinned.pages +
        t.nonPrivate.pages +
        t.hot.pages +
        t.demand.pages +
        t.proximal.pages +
        t.prefetch.pages +
        t.background.pages
      expect(pages).toBe(device) // every device page exactly once
      results.push(pages)
    }
    expect(results[2]).toBeLessThanOrEqual((results[0] as number) * 1.02)
  })

  test('downtime changes by less than 10 % when memory doubles (pinned and non-private fixed)', async () => {
    const fixed = { text: 256, data: 256, shared: 128, pinned: 32, stack: 128 }
    const run = async (pages: number) =>
      (await runMigration(postcopy(pages, 0.2, { ...fixed, heap: pages - 800 }), { verify: false }))
        .report
    const small = await run(4096)
    const big = await run(8192)
    expect(small.downtimeUs).toBeGreaterThan(0)
    expect(Math.abs(big.downtimeUs - small.downtimeUs) / small.downtimeUs).toBeLessThan(0.1)
  })

  test('bubbling cuts network faults against push-only on a locality-heavy workload (Hines & Gopalan)', async () => {
    const run = async (prepaging: 'push' | 'bubbling') =>
      (
        await runMigration(
          parseScenario({
            seed: 11,
            durationTicks: 400_000,
            migration: {
              pages: 4096,
              migrateAtTick: 1000,
              segments: { heap: 4096 },
              heapInitFraction: 1,
              workload: {
                kind: 'sequential',
                accessesPerTick: 1,
                accessesPerPage: 8,
                runLength: 64,
                textFraction: 0,
                writeFraction: 0.3,
              },
              postcopy: { prepaging },
            },
          }),
          { verify: false },
        )
      ).report
    const push = await run('push')
    const bubbling = await run('bubbling')
    // Hines VEE'09 Table 2: network faults 2-4 % with pre-paging vs 9-15 % push-only; here the
    // direction and size: at least 3x fewer network faults, a pre-paging score above 90 %.
    expect(bubbling.faults.network * 3).toBeLessThan(push.faults.network)
    expect(bubbling.faults.prepagingScore).toBeGreaterThan(0.9)
    expect(bubbling.faults.prepagingScore).toBeGreaterThan(push.faults.prepagingScore)
  })

  test('the patent small portion stays below 100 % and downtime follows (V_freeze + table)/R (section 6)', async () => {
    const { report } = await runMigration(postcopy(2048, 0.2), { verify: false })
    const t = report.transfer
    const eagerBytes = t.checkpoint.bytes + t.pinned.bytes + t.nonPrivate.bytes + t.hot.bytes
    const predictedUs = (eagerBytes / 1250) * 10 + 200 + 300 + 2 * 50
    expect(report.downtimeUs).toBeGreaterThan(predictedUs * 0.8)
    expect(report.downtimeUs).toBeLessThan(predictedUs * 1.3)
    expect(t.pinned.pages + t.nonPrivate.pages).toBeLessThan(report.pages)
  })
})
