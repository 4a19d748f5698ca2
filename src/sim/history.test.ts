import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { HostHistory } from './history'
import { createHost } from './host'
import { allocateBuffers, markWritten, memoryLayout } from './memory'
import { parseScenario } from './scenario'
import { LocalWorld } from './world'

const PAGES = 12

/** A small real host whose frames the test writes directly (as the engines would). */
function smallHost() {
  const scenario = parseScenario({ seed: 5, migration: { pages: PAGES, pageSize: 512 } })
  const fresh = () => createHost(scenario, 0, allocateBuffers(memoryLayout(scenario, 0), false))
  return { host: fresh(), freshFrames: () => fresh().mem.frames }
}

type Op =
  | { kind: 'write'; page: number; at: number; value: number }
  | { kind: 'take'; advance: number }
  | { kind: 'restore'; pick: number }
  | { kind: 'dropAfter'; pick: number }
  | { kind: 'thin'; every: number }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('write' as const),
      page: fc.integer({ min: 0, max: PAGES - 1 }),
      at: fc.integer({ min: 0, max: 511 }),
      value: fc.integer({ min: 0, max: 255 }),
    }),
    weight: 6,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('take' as const),
      advance: fc.integer({ min: 1, max: 5 }),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant('restore' as const), pick: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('dropAfter' as const), pick: fc.nat() }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('thin' as const),
      every: fc.integer({ min: 2, max: 4 }),
    }),
    weight: 1,
  },
)

describe('HostHistory (dirty-page snapshots)', () => {
  test('restoring any snapshot gives exactly the bytes a full copy would (random operations)', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), (ops) => {
        const { host, freshFrames } = smallHost()
        const history = new HostHistory<number>(host, freshFrames)
        const frames = host.mem.frames
        const ps = host.mem.pageSize
        // The model: a full copy of the frames at every snapshot tick.
        const model = new Map<number, Uint8Array>()
        let now = 0
        for (const op of ops) {
          const ticks = history.ticks()
          switch (op.kind) {
            case 'write':
              frames[op.page * ps + op.at] = op.value
              markWritten(host.mem, op.page)
              break
            case 'take':
              if (history.take(now, now)) model.set(now, frames.slice())
              else expect(Math.max(...ticks)).toBeGreaterThanOrEqual(now)
              now += op.advance
              break
            case 'restore': {
              if (!ticks.length) break
              const t = ticks[op.pick % ticks.length] as number
              expect(history.restore(t)).toBe(t)
              expect(frames).toEqual(model.get(t))
              now = t
              break
            }
            case 'dropAfter': {
              if (!ticks.length) break
              const t = ticks[op.pick % ticks.length] as number
              history.dropAfter(t)
              for (const k of model.keys()) if (k > t) model.delete(k)
              break
            }
            case 'thin':
              history.thin((t) => t % op.every === 0)
              for (const k of model.keys()) if (k % op.every !== 0) model.delete(k)
              break
          }
          expect(history.ticks()).toEqual([...model.keys()])
        }
        // Finally every remaining snapshot restores exactly, in any order.
        for (const t of [...model.keys()].reverse()) {
          history.restore(t)
          expect(frames).toEqual(model.get(t))
        }
      }),
      { numRuns: 200 },
    )
  }, 60_000)

  test('a snapshot copies only the pages written since the previous one', () => {
    const { host, freshFrames } = smallHost()
    const history = new HostHistory<undefined>(host, freshFrames)
    history.take(0, undefined)
    const empty = history.bytes()
    host.mem.frames[3 * host.mem.pageSize] = 7
    markWritten(host.mem, 3)
    history.take(1, undefined)
    expect(history.bytes() - empty).toBe(host.mem.pageSize + host.mem.pageState.length + 64 * 1024)
  })
})

describe('time travel over dirty-page snapshots on real presets', () => {
  const presets = [
    'postcopy',
    'precopy',
    'hybrid',
    'frame-limit',
    'link-outage',
    'partition-migrate',
  ]
  test.each(presets)(
    '%s: seeking anywhere equals a straight run',
    (name) => {
      const json: unknown = JSON.parse(readFileSync(`public/scenarios/${name}.json`, 'utf8'))
      const scenario = parseScenario(json)
      const end = Math.min(scenario.durationTicks, 6000)
      // A tiny budget makes the world thin its snapshots on the way, which folds deltas together.
      const w = new LocalWorld(scenario, { snapshotEvery: 64, snapshotBudgetBytes: 2 << 20 })
      w.runTo(end)
      for (const t of [
        end - 1,
        3,
        Math.floor(end / 2),
        64,
        end,
        Math.floor(end / 3),
        0,
        end - 65,
      ]) {
        w.seek(t)
        const ref = new LocalWorld(scenario, { snapshots: false })
        ref.runTo(t)
        expect(w.stateHash(), `${name} at tick ${t}`).toBe(ref.stateHash())
      }
    },
    60_000,
  )
})
