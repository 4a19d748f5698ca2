import { describe, expect, test } from 'vitest'
import { PAGE } from './pageState'
import { parseScenario, ScenarioError } from './scenario'
import { LocalWorld } from './world'
import { linkSend } from './net'

describe('LocalWorld', () => {
  test('identical inputs give identical event-log and state hashes', () => {
    const run = () => {
      const w = new LocalWorld(parseScenario({ seed: 7, migration: { pages: 64 } }))
      w.addInput({ type: 'debug.setPageState', host: 1, page: 3, state: PAGE.RESIDENT }, 5)
      w.runTo(20)
      return [w.eventLogHash(), w.stateHash()]
    }
    expect(run()).toEqual(run())
  })

  test('a debug input changes only the addressed host page state', () => {
    const w = new LocalWorld(parseScenario({ seed: 1, migration: { pages: 16 } }))
    // Host A publishes its own page states (resident, zero...) from the start; they must not move.
    const before = w.hosts[0].mem.pageState[9]
    w.addInput({ type: 'debug.setPageState', host: 1, page: 9, state: PAGE.PINNED }, 2)
    w.runTo(3)
    expect(w.hosts[1].mem.pageState[9]).toBe(PAGE.PINNED)
    expect(w.hosts[0].mem.pageState[9]).toBe(before)
  })

  test('link: bandwidth, latency and loss with retransmission are honest', () => {
    const w = new LocalWorld(
      parseScenario({
        seed: 3,
        tickUs: 10,
        migration: { pages: 4 },
        link: { latencyUs: 50, bandwidthMbps: 800, headerBytes: 0, lossRate: 0 },
      }),
    )
    // 800 Mbit/s = 100 bytes/µs = 1000 bytes per 10 µs tick; 4000 bytes take 4 ticks, +5 latency.
    const a = w.hosts[0]
    const msg = linkSend(a.link, 0, 'page.reply', { page: 1 }, { data: new Uint8Array(4000) })
    w.runTo(6)
    expect(msg.deliverAt).toBe(3 + 5)
    expect(w.inboxes[1]).toContain(msg)
  })
})

describe('scenario validation', () => {
  test('errors name the field and the rule', () => {
    expect(() => parseScenario({ seed: -1, link: { bandwidthMbps: 0 } }, 'x.json')).toThrow(
      ScenarioError,
    )
    try {
      parseScenario({ seed: -1, link: { bandwidthMbps: 0 }, bogus: 1 }, 'x.json')
    } catch (e) {
      const msg = (e as Error).message
      expect(msg).toContain('x.json')
      expect(msg).toContain('seed')
      expect(msg).toContain('link.bandwidthMbps')
      expect(msg).toContain('bogus')
    }
  })
})

describe('time travel', () => {
  const scenario = () =>
    parseScenario({
      seed: 9,
      migration: { pages: 32 },
      inputs: [
        { atTick: 10, input: { type: 'debug.setPageState', host: 0, page: 1, state: 3 } },
        { atTick: 700, input: { type: 'debug.setPageState', host: 1, page: 2, state: 5 } },
        { atTick: 1500, input: { type: 'fault.linkDown', durationTicks: 100 } },
      ],
    })

  test('seeking back and forth gives exactly the state of a straight run', () => {
    const w = new LocalWorld(scenario(), { snapshotEvery: 256 })
    w.runTo(3000)
    const straight = new LocalWorld(scenario(), { snapshots: false })
    for (const t of [2999, 5, 800, 1600, 256, 2048, 0, 3000]) {
      w.seek(t)
      const ref = new LocalWorld(scenario(), { snapshots: false })
      ref.runTo(t)
      expect(w.tick).toBe(t)
      expect(w.stateHash()).toBe(ref.stateHash())
      expect(w.eventLogHash()).toBe(ref.eventLogHash())
    }
    straight.runTo(3000)
    expect(w.events.length).toBe(straight.events.length)
  })

  test('an input behind the frontier forks the timeline', () => {
    const w = new LocalWorld(scenario(), { snapshotEvery: 128 })
    w.runTo(2000)
    w.seek(600)
    w.addInput({ type: 'debug.setPageState', host: 1, page: 7, state: 1 })
    expect(w.frontier).toBe(600)
    w.runTo(2000)
    expect(w.hosts[1].mem.pageState[7]).toBe(1)
    const ref = new LocalWorld(scenario(), { snapshots: false })
    ref.runTo(600)
    ref.addInput({ type: 'debug.setPageState', host: 1, page: 7, state: 1 })
    ref.runTo(2000)
    expect(w.stateHash()).toBe(ref.stateHash())
    expect(w.eventLogHash()).toBe(ref.eventLogHash())
  })

  test('the snapshot budget thins snapshots instead of growing without bound', () => {
    const w = new LocalWorld(scenario(), {
      snapshotEvery: 16,
      snapshotBudgetBytes: 2 * 1024 * 1024,
    })
    w.runTo(4000)
    const ticks = w.snapshotTicks()
    expect(ticks.length).toBeLessThan(20)
    w.seek(1234)
    const ref = new LocalWorld(scenario(), { snapshots: false })
    ref.runTo(1234)
    expect(w.stateHash()).toBe(ref.stateHash())
  })
})
