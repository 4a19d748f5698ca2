/**
 * Parity (issue 5): every preset, and random seeds, give the same event-log hash and the same
 * arrival-host memory in two Node worker_threads (the same HostRunner code the browser workers run)
 * as in the in-process reference. The browser half of the check is e2e/parity.spec.ts.
 */
import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, test } from 'vitest'
import { checksumBytes } from '../../sim/hash'
import { createRng, nextU32 } from '../../sim/rng'
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

async function compare(s: Scenario, maxTicks = MAX_TICKS): Promise<void> {
  const ticks = Math.min(s.durationTicks, maxTicks)
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

  // Randomized seeds (drawn once from a seeded generator, so a failure is reproducible).
  const rng = createRng(0x9a71)
  const cases = ['partition-migrate', 'postcopy', 'precopy', 'hybrid', 'lossy-link'].flatMap(
    (name) => [nextU32(rng), nextU32(rng)].map((seed) => [name, seed] as const),
  )
  test.each(cases)('preset %s with seed %i', async (name, seed) => {
    const json = JSON.parse(readFileSync(`public/scenarios/${name}.json`, 'utf8')) as object
    await compare(parseScenario({ ...json, seed }), 15_000)
  })
})
