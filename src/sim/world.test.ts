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
    w.addInput({ type: 'debug.setPageState', host: 1, page: 9, state: PAGE.PINNED }, 2)
    w.runTo(3)
    expect(w.hosts[1].mem.pageState[9]).toBe(PAGE.PINNED)
    expect(w.hosts[0].mem.pageState[9]).toBe(0)
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
