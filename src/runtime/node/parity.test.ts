/**
 * Parity (issue 5): every preset, and random seeds, give the same event-log hash and the same
 * arrival-host memory in two Node worker_threads (the same HostRunner code the browser workers run)
 * as in the in-process reference. The browser half of the check is e2e/parity.spec.ts.
 */
import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, test } from 'vitest'
import { checksumBytes } from '../../sim/hash'
import { parseScenario, type Scenario } from '../../sim/scenario'
import { LocalWorld } from '../../sim/world'
import type { SharedWorld } from '../coordinator'
import { createThreadWorld } from './threadWorld'

const presets = (
  JSON.parse(readFileSync('public/scenarios/index.json', 'utf8')) as { file: string }[]
).map((p) => p.file)

/** Parity needs a long enough stretch to cover the migration; cap it to keep the suite fast. */
const MAX_TICKS = 40_000

let world: SharedWorld | undefined
afterAll(() => world?.dispose())

async function threads(): Promise<SharedWorld> {
  world ??= createThreadWorld()
  await world.ready()
  return world
}

async function compare(s: Scenario): Promise<void> {
  const ticks = Math.min(s.durationTicks, MAX_TICKS)
  const ref = new LocalWorld(s, { snapshots: false })
  ref.runTo(ticks)
  const w = await threads()
  await w.load(s)
  await w.runTo(ticks)
  expect(w.events().length).toBe(ref.events.length)
  expect(w.eventLogHash()).toBe(ref.eventLogHash())
  const frames = w.frames(1)
  expect(frames && checksumBytes(frames)).toBe(checksumBytes(ref.hosts[1].mem.frames))
  expect(Array.from(w.frame().hosts[1].pageState)).toEqual(Array.from(ref.hosts[1].mem.pageState))
}

describe('worker threads vs in-process', () => {
  test.each(presets)('preset %s', async (file) => {
    const s = parseScenario(JSON.parse(readFileSync(`public/scenarios/${file}`, 'utf8')), file)
    await compare(s)
  })

  test.each([3, 17, 4242])('preset partition-migrate with seed %i', async (seed) => {
    const json = JSON.parse(
      readFileSync('public/scenarios/partition-migrate.json', 'utf8'),
    ) as object
    await compare(parseScenario({ ...json, seed }))
  })
})
