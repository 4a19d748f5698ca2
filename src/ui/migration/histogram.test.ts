/**
 * The charts' incremental histograms (kept by the timeline from only new events, in bounded memory)
 * give exactly the bars of a straightforward recomputation over every event: d3's `bin` over every
 * latency, and every fault tick binned by the bar width. On random logs fed in random pieces, with
 * seeks back (the log cut behind the timeline) and new runs (a new log from tick 0).
 */
import { bin, max, scaleLinear } from 'd3'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import type { SimEvent } from '../../sim/events'
import {
  addLatency,
  emptyLatencyHistogram,
  FAULT_BARS,
  faultBars,
  latencyBins,
  niceBarTicks,
} from './histogram'
import {
  advanceTimeline,
  cutAt,
  emptyTimeline,
  FAULT_KINDS,
  type MigrationTimeline,
} from './timeline'

/** What the latency chart drew before (Charts.tsx): d3 over every latency. */
function latencyOracle(lat: readonly number[]) {
  const hi = Math.max(1, max(lat) ?? 1)
  const xs = scaleLinear().domain([0, hi]).nice()
  const bins = bin()
    .domain(xs.domain() as [number, number])
    .thresholds(xs.ticks(20))(lat)
  return { domain: xs.domain(), bins: bins.map((b) => ({ x0: b.x0, x1: b.x1, length: b.length })) }
}

/** Every fault tick binned by the bar width, from the full lists. */
function faultOracle(ticks: readonly (readonly number[])[], upTo: number) {
  const span = Math.max(1, upTo)
  const width = niceBarTicks(Math.ceil(span / FAULT_BARS))
  const n = Math.ceil(span / width)
  const bars = Array.from({ length: n }, (_, i) => ({
    x0: i * width,
    counts: ticks.map(() => 0),
  }))
  ticks.forEach((list, k) => {
    for (const t of list) {
      const b = bars[Math.floor(t / width)] as { counts: number[] }
      b.counts[k] = (b.counts[k] as number) + 1
    }
  })
  return { width, bars }
}

const FAULT_EVENTS = [
  'page.faultNetwork',
  'page.faultInFlight',
  'page.faultMinor',
  'page.faultZero',
  'page.faultLocalCopy',
] as const
const FAULT_INDEX: Record<string, number> = {
  'page.faultNetwork': 0,
  'page.faultInFlight': 0,
  'page.faultMinor': 1,
  'page.faultZero': 2,
  'page.faultLocalCopy': 3,
}

/** A random log: events sorted by tick, faults of both hosts, latencies, other events. */
const logArb = (tickUs: number) =>
  fc
    .array(
      fc.record({
        tick: fc.nat({ max: 60_000 }),
        host: fc.constantFrom(0, 1),
        what: fc.oneof(
          fc.constantFrom(...FAULT_EVENTS, 'net.sent', 'mig.freeze'),
          fc.constant('page.demandMapped'),
        ),
        // Latencies in whole ticks: mostly short, sometimes an outage's worth.
        lat: fc.oneof(fc.nat({ max: 40 }), fc.nat({ max: 30_000 })),
      }),
      { maxLength: 400 },
    )
    .map((raw) =>
      raw
        .sort((a, b) => a.tick - b.tick)
        .map(
          (r) =>
            ({
              tick: r.tick,
              host: r.host,
              kind: r.what,
              page: 1,
              offset: 0,
              latencyUs: r.lat * tickUs,
              wireBytes: 10,
            }) as unknown as SimEvent,
        ),
    )

function expectMatches(tl: MigrationTimeline, log: readonly SimEvent[]): void {
  const end = cutAt(log, tl.upTo)
  const lat: number[] = []
  const ticks: number[][] = FAULT_KINDS.map(() => [])
  for (const ev of log.slice(0, end)) {
    if (ev.kind === 'page.demandMapped') lat.push(ev.latencyUs)
    const k = FAULT_INDEX[ev.kind]
    if (k !== undefined && ev.host === 1) ticks[k]?.push(ev.tick)
  }
  expect(latencyBins(tl.latency)).toEqual(latencyOracle(lat))
  expect(tl.latency.count).toBe(lat.length)
  expect(faultBars(tl.faults, tl.upTo)).toEqual(faultOracle(ticks, tl.upTo))
  expect(tl.faults.totals).toEqual(ticks.map((l) => l.length))
  // Bounded: at most ten buckets per bar and kind, at most ~500 latency buckets (or 50 values).
  for (const list of tl.faults.counts) expect(list.length).toBeLessThanOrEqual(10 * FAULT_BARS)
  expect(tl.latency.counts.size).toBeLessThanOrEqual(latencyBucketBound(tl))
}

function latencyBucketBound(tl: MigrationTimeline): number {
  return tl.latency.res === 0 ? 51 : Math.floor(tl.latency.max / tl.latency.res) + 1
}

describe('chart histograms', () => {
  test('the timeline, fed in pieces with seeks back and new runs, gives the full recomputation', () => {
    const opsArb = fc.array(fc.record({ newRun: fc.boolean(), tick: fc.nat({ max: 62_000 }) }), {
      minLength: 1,
      maxLength: 12,
    })
    fc.assert(
      fc.property(
        fc
          .constantFrom(1, 10, 2.5)
          .chain((tickUs) => fc.tuple(logArb(tickUs), logArb(tickUs), opsArb)),
        ([first, second, ops]) => {
          const logs = [first, second]
          let run = 0
          let log = first
          let tl = emptyTimeline()
          for (const o of ops) {
            if (o.newRun) {
              // A new run: the pump starts an empty timeline on the reset.
              run = 1 - run
              log = logs[run] as SimEvent[]
              tl = emptyTimeline()
            }
            // Forward, or back (a seek behind the timeline: it starts again from the log's start).
            tl = advanceTimeline(tl, log, o.tick)
            expectMatches(tl, log)
          }
        },
      ),
      { numRuns: 150 },
    )
  })

  test('latencies of any size, added one by one, give d3 bin over all of them', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.nat({ max: 60 }),
            fc.nat({ max: 5_000 }),
            fc.nat({ max: 50_000_000 }),
            fc.double({ min: 0, max: 200, noNaN: true }),
            fc.double({ min: 0, max: 1e7, noNaN: true }),
          ),
          { maxLength: 300 },
        ),
        (values) => {
          const h = emptyLatencyHistogram()
          for (let i = 0; i < values.length; i++) {
            addLatency(h, values[i] as number)
            if (i % 37 === 0) expect(latencyBins(h)).toEqual(latencyOracle(values.slice(0, i + 1)))
          }
          expect(latencyBins(h)).toEqual(latencyOracle(values))
        },
      ),
      { numRuns: 300 },
    )
  })

  test('bar widths are round numbers of ticks, at most FAULT_BARS bars', () => {
    for (const upTo of [0, 1, 39, 40, 41, 399, 401, 9_999, 65_536, 1_234_567]) {
      const { width, bars } = faultOracle([[]], upTo)
      expect(bars.length).toBeLessThanOrEqual(FAULT_BARS)
      expect(bars.length * width).toBeGreaterThanOrEqual(Math.max(1, upTo))
      expect(String(width)).toMatch(/^[125]0*$/)
    }
  })
})
