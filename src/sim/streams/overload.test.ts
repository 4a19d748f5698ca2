/**
 * Overload regression: traffic far above what the process reads and the device transmits must not
 * make the stream's queues (and so the per-tick work) grow without bound. The process's writes
 * block on flow control, the device overruns its FIFO, and every message that entered the stream
 * is still delivered exactly once — across the checkpoint and restart on host B. Work is measured
 * structurally (messages present in the stream), never by wall-clock time.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { parseScenario } from '../scenario'
import { LocalWorld } from '../world'
import { RQ, WQ } from './catalog'
import { streamsReport } from './metrics'
import { deviceFifoBytes, streamMessageCount } from './stream'
import type { StreamsScenario } from './scenario'
import type { StrStream } from './types'

const TICKS = 60_000

function overloaded(file: string, rate: number): LocalWorld {
  const path = new URL(`../../../public/scenarios/${file}`, import.meta.url)
  const raw = JSON.parse(readFileSync(path, 'utf8')) as {
    streams: { traffic: { down: { rate: number }; up: { rate: number }; stopTick?: number } }
  }
  raw.streams.traffic.down.rate = rate
  raw.streams.traffic.up.rate = rate
  delete raw.streams.traffic.stopTick
  return new LocalWorld(parseScenario(raw), { snapshots: false })
}

/**
 * Most messages a stream can hold, from its water marks: a queue with a service procedure accepts
 * ordinary messages while q_count plus the bytes in transit to it is below hiwat (so at most
 * hiwat + maxBytes bytes), the device FIFO likewise up to the driver read side's hiwat, and the
 * blocked writer holds one write (+ an ioctl or flush). Counted in messages of minBytes; `slack`
 * covers high-priority messages, which bypass flow control, and a line ldterm holds.
 */
function messageBound(st: StrStream, cfg: StreamsScenario, slack: number): number {
  const { down, up } = cfg.traffic
  const per = (hiwat: number, t: typeof down) => Math.ceil((hiwat + t.maxBytes) / t.minBytes)
  let n = 0
  for (const c of st.comps) {
    if (c.wq.service) n += per(c.wq.hiwat, down)
    if (c.rq.service) n += per(c.rq.hiwat, up)
  }
  return n + per(deviceFifoBytes(st), up) + 2 + slack
}

describe('STREAMS under overload (rate 8 each way, no stopTick)', () => {
  test.each([['streams-network.json'], ['streams-terminal.json']])(
    '%s: queues stay within the water marks for 60,000 ticks; exactly once; writer blocks, device overruns',
    (file) => {
      const w = overloaded(file, 8)
      const cfg = w.scenario.streams as StreamsScenario
      let maxMessages = 0
      let maxBound = 0
      let overQueue = 0
      let maxEventsPerTick = 0
      let fifoOver = 0
      let maxOutbox = 0
      while (w.tick < TICKS) {
        const evs = w.step()
        if (evs.length > maxEventsPerTick) maxEventsPerTick = evs.length
        for (const h of w.hosts) {
          const st = h.str.stream
          if (!st) continue
          const n = streamMessageCount(st)
          const total = n.queued + n.transit + n.held + n.boundary
          if (total > maxMessages) maxMessages = total
          maxBound = Math.max(maxBound, messageBound(st, cfg, 64))
          // No queue holds more than twice its high-water mark (+ one message of each size).
          for (const c of st.comps) {
            for (const side of [WQ, RQ]) {
              const q = side === WQ ? c.wq : c.rq
              const t = side === WQ ? cfg.traffic.down : cfg.traffic.up
              if (q.count + q.tcount > 2 * q.hiwat + 2 * t.maxBytes) overQueue++
            }
          }
          if (st.inboxBytes >= deviceFifoBytes(st) + cfg.traffic.up.maxBytes) fifoOver++
          if (st.outbox.length > maxOutbox) maxOutbox = st.outbox.length
        }
      }
      expect(maxMessages).toBeLessThanOrEqual(maxBound)
      expect(overQueue).toBe(0)
      expect(fifoOver).toBe(0)
      // The process never has more than its one blocked write pending (+ an ioctl or flush).
      expect(maxOutbox).toBeLessThanOrEqual(3)
      // Per-tick work stays bounded: events per tick do not grow with the run.
      expect(maxEventsPerTick).toBeLessThan(200)

      const r = streamsReport(w)
      expect(r.outcome).toBe('restarted')
      expect(r.exactlyOnce.checkedFrom).toBe('events')
      expect(r.exactlyOnce).toMatchObject({
        ok: true,
        duplicates: 0,
        outOfOrder: 0,
        phantom: 0,
        corrupt: 0,
        lost: 0,
      })
      expect(r.exactlyOnce.inFlight).toBeLessThanOrEqual(maxBound)
      // Overload is visible, not silent: blocked writes and overruns are counted and logged.
      expect(r.blockedWrites).toBeGreaterThan(1000)
      expect(r.overruns).toBeGreaterThan(1000)
      let blockedEvents = 0
      let overrunEvents = 0
      for (const e of w.events) {
        if (e.kind === 'str.blocked') blockedEvents++
        else if (e.kind === 'str.overrun') overrunEvents += e.count
      }
      expect(blockedEvents).toBe(r.blockedWrites)
      expect(overrunEvents).toBe(r.overruns)
      // Offered load 8 + 8 per tick: what entered the stream is roughly what the consumers drain.
      expect(r.messagesSent.total + r.overruns).toBeGreaterThan(8 * TICKS)
      expect(r.delivered.total).toBeGreaterThan(TICKS)
    },
  )
})

describe('traffic parameters that make no sense are rejected', () => {
  const parse = (traffic: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    parseScenario({ seed: 1, inputs: [], streams: { preset: 'network', traffic, ...extra } })

  test('high-priority load above what the consumer drains (it bypasses flow control)', () => {
    expect(() => parse({ down: { rate: 8, hpRate: 0.5 } })).toThrow(
      /streams\.traffic\.down\.hpRate.*rate 8 × hpRate 0\.5 = 4 message\(s\) per tick, more than deviceTxRate \(the device\) drains \(2\)/s,
    )
    expect(() => parse({ up: { rate: 4, hpRate: 0.5 } }, { processReadRate: 1 })).toThrow(
      /streams\.traffic\.up\.hpRate.*processReadRate \(the process\) drains \(1\)/s,
    )
    // Ordinary overload is fine: flow control and overruns deal with it.
    expect(() => parse({ down: { rate: 64 }, up: { rate: 64 } })).not.toThrow()
    expect(() => parse({ down: { rate: 8, hpRate: 0.25 } })).not.toThrow()
  })

  test('stopTick before startTick', () => {
    expect(() => parse({ startTick: 100, stopTick: 50 })).toThrow(
      /streams\.traffic\.stopTick.*stopTick 50 is before startTick 100/s,
    )
  })

  test('a streams.traffic input that would overload the consumer with high priority is refused', () => {
    const w = new LocalWorld(
      parseScenario({
        seed: 1,
        streams: { preset: 'network', traffic: { down: { rate: 1, hpRate: 0.5 } } },
        inputs: [{ atTick: 5, input: { type: 'streams.traffic', down: 8 } }],
      }),
      { snapshots: false },
    )
    w.runTo(10)
    expect(w.events.some((e) => e.kind === 'str.editRefused' && e.reason === 16)).toBe(true)
    expect(w.hosts[0].str.gen?.downRate).toBe(1)
  })
})
