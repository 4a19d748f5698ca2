/**
 * Trace workloads in the runtimes: the parsed trace handed to two Node worker_threads with the load
 * message (the same HostRunner code the browser workers run) and to an in-process LocalWorld gives
 * the same run as `runMigration` feeding the trace file (the CLI), event for event.
 */
import { createReadStream, readFileSync } from 'node:fs'
import { afterAll, expect, test } from 'vitest'
import { checksumBytes } from '../../sim/hash'
import { runMigration } from '../../sim/migration/run'
import { parseScenario } from '../../sim/scenario'
import { LocalWorld } from '../../sim/world'
import type { SharedWorld } from '../coordinator'
import { feedTrace, parseTrace, registerTrace } from '../trace'
import { createThreadWorld } from './threadWorld'

const FIXTURE = 'test/fixtures/sortsum.lackey.gz'

let world: SharedWorld | undefined
afterAll(() => world?.dispose())

const source = () => createReadStream(FIXTURE) as AsyncIterable<Uint8Array>

test('a parsed trace replays in worker threads and in-process exactly as the CLI runner feeds it', async () => {
  const json = JSON.parse(readFileSync('public/scenarios/trace-replay.json', 'utf8')) as {
    migration: { workload: Record<string, unknown> }
  }
  json.migration.workload.trace = 'sortsum.lackey.gz (test)'
  const s = parseScenario(json)
  const trace = await parseTrace(
    source(),
    s.migration?.pageSize ?? 4096,
    'sortsum.lackey.gz (test)',
  )
  expect(trace.n).toBeGreaterThan(100_000)
  registerTrace(trace)

  // Past the end of the migration (the run ends when host A is released), then 1,500 ticks more.
  const cli = await runMigration(s, {
    trace: source,
    keepEvents: true,
    tailTicks: 1500,
    verify: false,
  })
  const TICKS = cli.world.tick
  expect(TICKS).toBeGreaterThan(1500)

  const local = new LocalWorld(s, {
    beforeStep: (hosts) => hosts.forEach((h) => feedTrace(h, trace)),
  })
  local.runTo(TICKS)
  expect(local.eventLogHash()).toBe(cli.world.eventLogHash())
  // Time travel re-feeds from the engine's own position.
  local.seek(Math.floor(TICKS / 2))
  local.runTo(TICKS)
  expect(local.eventLogHash()).toBe(cli.world.eventLogHash())

  world = createThreadWorld()
  await world.ready()
  await world.load(s)
  await world.runTo(TICKS)
  expect(world.events().length).toBe(cli.world.events.length)
  expect(world.eventLogHash()).toBe(cli.world.eventLogHash())
  const frames = world.frames(1)
  expect(frames && checksumBytes(frames)).toBe(checksumBytes(cli.world.hosts[1].mem.frames))
  expect(cli.world.events.some((e) => e.kind === 'page.faultNetwork')).toBe(true)
}, 120_000)
