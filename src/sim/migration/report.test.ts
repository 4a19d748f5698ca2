/**
 * The structural report equals the CLI's report for the same scenario: from inspected whole host
 * states and frames (the verifier worker's way), and from the hosts' report facts and the log's
 * tally with the memory check merged in (the UI's way).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { clonePlain } from '../clone'
import { parseScenario } from '../scenario'
import { inspectHost } from '../inspect'
import type { MigrationHostState } from './engine'
import type { MigrationReportFacts } from './inspect'
import { emptyTally, migrationReport, runMigration, tallyEvents } from './run'

function preset(name: string) {
  return parseScenario(JSON.parse(readFileSync(`public/scenarios/${name}.json`, 'utf8')) as unknown)
}

describe('structural migration report', () => {
  for (const name of [
    'postcopy',
    'precopy',
    'stopcopy',
    'lossy-link',
    'source-crash',
    'precopy-diverge',
  ]) {
    test(`${name}: inspected states, or report facts and the log's tally, give the CLI's report`, async () => {
      const sc = preset(name)
      const cli = await runMigration(sc) // what `npm run sim` prints (keepEvents off)
      const { world } = await runMigration(sc, { keepEvents: true })
      // As the UI has them: states through the inspection query (cloned, as postMessage does),
      // frames read from shared memory, no link counters (the report uses the net.* events).
      const st = (h: 0 | 1) =>
        clonePlain(
          inspectHost(world.hosts[h], world.tick, { kind: 'migration.state' })
            .result as MigrationHostState,
        )
      const report = await migrationReport({
        hosts: [
          { mig: st(0), mem: { frames: world.hosts[0].mem.frames } },
          { mig: st(1), mem: { frames: world.hosts[1].mem.frames } },
        ],
        events: world.events,
        tick: world.tick,
        scenario: sc,
        eventLogHash: () => world.eventLogHash(),
        stateHash: () => world.stateHash(),
      })
      expect(report).toEqual(cli.report)
      if (name !== 'source-crash') expect(report.integrity.ok).toBe(true)
      // The UI's way while playing: the hosts' report facts (cloned), the log's counts tallied in
      // pieces as it grows, no event list, no memory; the verifier's integrity merged in.
      const facts = (h: 0 | 1) =>
        structuredClone(
          inspectHost(world.hosts[h], world.tick, { kind: 'migration.reportFacts' })
            .result as MigrationReportFacts,
        )
      const log = world.events
      const tally = emptyTally()
      for (const [from, to] of [
        [0, 7],
        [7, Math.floor(log.length / 3)],
        [Math.floor(log.length / 3), log.length],
      ] as const)
        tallyEvents(log, from, to, tally)
      const numbers = await migrationReport(
        {
          hosts: [{ facts: facts(0) }, { facts: facts(1) }],
          events: [],
          eventCount: log.length,
          linkTotals: tally.link,
          tick: world.tick,
          scenario: sc,
          eventLogHash: () => world.eventLogHash(),
          stateHash: () => world.stateHash(),
        },
        { verify: false },
        tally.warn,
      )
      expect(numbers.integrity.checked).toBe(false)
      const incremental = {
        ...numbers,
        integrity: report.integrity,
        workload: {
          ...numbers.workload,
          referenceAccesses: report.workload.referenceAccesses,
          distinctPages: report.workload.distinctPages,
        },
      }
      expect(incremental).toEqual(cli.report)
    }, 60_000)
  }

  test('without memory the report says it is not verified', async () => {
    const sc = preset('postcopy')
    const { world } = await runMigration(sc, { keepEvents: true, maxTicks: 3000 })
    const r = await migrationReport({
      hosts: [{ mig: world.hosts[0].mig }, { mig: world.hosts[1].mig }],
      events: world.events,
      tick: world.tick,
      scenario: sc,
    })
    expect(r.integrity.checked).toBe(false)
    expect(r.integrity.notes).toContain('memory not available: not verified')
    expect(r.faults.network).toBeGreaterThan(0)
  })
})
