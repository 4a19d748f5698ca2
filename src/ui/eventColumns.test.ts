/**
 * The columnar event log (the browser's main-thread log) reads back exactly the events pushed into
 * it, hashes as the object log does, and every reader that takes its fast paths (kind, tick, host
 * and fields read from the columns) finds what it finds in a plain array of the same events.
 */
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { historyOf, type Selection } from '../store/selectionSlice'
import { advanceTimeline, emptyTimeline } from './migration/timeline'
import { LinkIndex } from './viz/networkEvents'
import {
  EventColumns,
  MATERIALIZE,
  materializeGeneric,
  MAX_EVENT_FIELDS,
  WRITE_FIELDS,
  writeFieldsGeneric,
  type Materialize,
  type WriteFields,
} from '../sim/eventColumns'
import {
  EVENTS,
  eventFieldAt,
  eventKindCode,
  eventLogHash,
  firstEventAt,
  type EventSeq,
  type SimEvent,
} from '../sim/events'
import { createHasher, digest } from '../sim/hash'
import { tallyEvents } from '../sim/migration/run'
import { parseScenarioText } from '../sim/scenario'
import { ExactlyOnceTally } from '../sim/streams/metrics'
import type { EventSpec } from '../sim/spec'
import { LocalWorld } from '../sim/world'

function runLog(file: string, ticks: number): SimEvent[] {
  const path = new URL(`../../public/scenarios/${file}`, import.meta.url)
  const sc = parseScenarioText(readFileSync(path, 'utf8'), file)
  const w = new LocalWorld(sc, { snapshots: false })
  w.runTo(Math.min(ticks, sc.durationTicks))
  return w.events.slice()
}

// Real logs: a lossy post-copy migration (faults, link losses and retransmissions, phases) and a
// STREAMS checkpoint over the network (str.* traffic, checkpoint blocks).
const MIGRATION = runLog('lossy-link.json', 1_000_000)
const STREAMS = runLog('streams-network.json', 100_000)

function columnsOf(events: readonly SimEvent[]): EventColumns {
  const c = new EventColumns()
  c.pushAll(events)
  return c
}

describe('EventColumns', () => {
  test('the real logs are big and varied enough to mean something', () => {
    // Many kinds, fields of all widths.
    expect(MIGRATION.length).toBeGreaterThan(5000)
    expect(STREAMS.length).toBeGreaterThan(1000)
    const kinds = new Set([...MIGRATION, ...STREAMS].map((e) => e.kind))
    expect(kinds.size).toBeGreaterThan(20)
    expect(kinds).toContain('net.retransmit')
    expect(kinds).toContain('str.delivered')
  })

  for (const [name, log] of [
    ['migration', MIGRATION],
    ['streams', STREAMS],
  ] as const) {
    test(`${name}: reads back every event exactly, by object and by column`, () => {
      const c = columnsOf(log)
      expect(c.length).toBe(log.length)
      expect(c.slice()).toEqual(log)
      expect([...c]).toEqual(log)
      for (let i = 0; i < log.length; i++) {
        const ev = log[i] as SimEvent
        expect(c.kindAt(i)).toBe(ev.kind)
        expect(c.tickAt(i)).toBe(ev.tick)
        expect(c.hostAt(i)).toBe(ev.host)
        expect(c.seqAt(i)).toBe(ev.seq)
        const spec: EventSpec = EVENTS[ev.kind]
        for (const f of spec.fields)
          expect(c.fieldAt(i, f)).toBe((ev as unknown as Record<string, number>)[f])
        expect(c.fieldAt(i, 'noSuchField')).toBeUndefined()
      }
      expect(c.at(-1)).toBeUndefined()
      expect(c.at(log.length)).toBeUndefined()
    })

    test(`${name}: hashes exactly as the object log`, () => {
      const c = columnsOf(log)
      const h = createHasher(0xe7e7)
      for (let i = 0; i < c.length; i++) c.hashInto(h, i)
      expect(digest(h)).toBe(eventLogHash(log))
      // A changed field changes the hash (the columns hash the fields, not only the header).
      const changed = log.map((e, i) => (i === 100 ? { ...e, tick: e.tick + 0.5 } : e))
      const h2 = createHasher(0xe7e7)
      const c2 = columnsOf(changed)
      for (let i = 0; i < c2.length; i++) c2.hashInto(h2, i)
      expect(digest(h2)).not.toBe(digest(h))
    })
  }

  test('across chunks (16,384 events each): reads at chunk edges, cuts, pushes after', () => {
    const big = Array.from({ length: 9 }, () => MIGRATION).flat()
    expect(big.length).toBeGreaterThan(3 * 16_384)
    const c = columnsOf(big)
    expect(c.slice()).toEqual(big)
    for (const i of [0, 1, 16_383, 16_384, 32_767, 32_768, c.length - 1])
      expect(c.at(i)).toEqual(big[i])
    c.truncate(35_000) // back into an earlier chunk
    c.pushAll(MIGRATION)
    expect(c.slice()).toEqual([...big.slice(0, 35_000), ...MIGRATION])
  })

  test('the generated writers and builders do what the generic ones (no generated code) do', () => {
    // A page whose Content-Security-Policy forbids generated code gets the generic ones.
    const f1 = new Float64Array(MAX_EVENT_FIELDS)
    const f2 = new Float64Array(MAX_EVENT_FIELDS)
    for (const ev of [...MIGRATION, ...STREAMS]) {
      const code = eventKindCode(ev.kind)
      const spec: EventSpec = EVENTS[ev.kind]
      f1.fill(NaN)
      f2.fill(NaN)
      ;(WRITE_FIELDS[code] as WriteFields)(ev, f1, 0)
      writeFieldsGeneric(spec.fields)(ev, f2, 0)
      expect(f1).toEqual(f2)
      const built = (MATERIALIZE[code] as Materialize)(ev.kind, ev.tick, ev.host, ev.seq, f1, 0)
      expect(built).toEqual(ev)
      expect(materializeGeneric(spec)(ev.kind, ev.tick, ev.host, ev.seq, f2, 0)).toEqual(built)
    }
  })

  test('the field column is as wide as the widest kind', () => {
    const widest = Math.max(...Object.values(EVENTS).map((s: EventSpec) => s.fields.length))
    expect(MAX_EVENT_FIELDS).toBe(widest)
  })

  test('random pushes, cuts and clears match an array (property)', () => {
    type Op =
      | { op: 'push'; from: number; n: number }
      | { op: 'truncate'; keep: number }
      | { op: 'clear' }
      | { op: 'slice'; start: number; end: number }
    const op: fc.Arbitrary<Op> = fc.oneof(
      {
        weight: 5,
        arbitrary: fc.record({
          op: fc.constant('push' as const),
          from: fc.nat(MIGRATION.length - 1),
          n: fc.nat(MIGRATION.length),
        }),
      },
      fc.record({
        op: fc.constant('truncate' as const),
        keep: fc.integer({ min: -5, max: 60_000 }),
      }),
      { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
      fc.record({
        op: fc.constant('slice' as const),
        start: fc.integer({ min: -40_000, max: 60_000 }),
        end: fc.integer({ min: -40_000, max: 60_000 }),
      }),
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
        const c = new EventColumns()
        let model: SimEvent[] = []
        for (const o of ops) {
          if (o.op === 'push') {
            const add = MIGRATION.slice(o.from, o.from + o.n)
            c.pushAll(add)
            model.push(...add)
          } else if (o.op === 'truncate') {
            c.truncate(o.keep)
            model.length = Math.max(0, Math.min(model.length, o.keep))
          } else if (o.op === 'clear') {
            c.clear()
            model = []
          } else expect(c.slice(o.start, o.end)).toEqual(model.slice(o.start, o.end))
          expect(c.length).toBe(model.length)
        }
        expect(c.slice()).toEqual(model)
      }),
      { numRuns: 60, seed: 0xc01 },
    )
  })
})

/** Readers with column fast paths give what they give on the plain array. */
describe('readers on columns and on arrays agree', () => {
  const both = (log: readonly SimEvent[]): [EventSeq, EventSeq] => [log, columnsOf(log)]

  test('firstEventAt, for every tick of the run and beyond', () => {
    const [arr, cols] = both(MIGRATION)
    const last = (MIGRATION.at(-1) as SimEvent).tick
    for (let t = -1; t <= last + 2; t++) expect(firstEventAt(cols, t)).toBe(firstEventAt(arr, t))
  })

  test('eventFieldAt: a kind without the field has none', () => {
    const [arr, cols] = both(MIGRATION)
    for (let i = 0; i < MIGRATION.length; i += 7) {
      for (const f of ['page', 'msgSeq', 'wireBytes', 'comp', 'tick'])
        expect(eventFieldAt(cols, i, f)).toBe(eventFieldAt(arr, i, f))
    }
  })

  test("the inspector's history of pages, rows, messages, modules and blocks", () => {
    const pages = MIGRATION.filter((e) => 'page' in e).map((e) => (e as { page: number }).page)
    const sent = MIGRATION.find((e) => e.kind === 'net.sent') as SimEvent & { msgSeq: number }
    const str = STREAMS.find((e) => e.kind === 'str.sent') as SimEvent & { msgSeq: number }
    const comp = STREAMS.find((e) => 'comp' in e) as SimEvent & { comp: number }
    const cases: [readonly SimEvent[], Selection][] = [
      [MIGRATION, { type: 'page', host: 1, page: pages[0] as number }],
      [MIGRATION, { type: 'page', host: 0, page: pages[pages.length >> 1] as number }],
      [MIGRATION, { type: 'row', page: pages[3] as number }],
      [MIGRATION, { type: 'message', lane: 'net', host: sent.host, msgSeq: sent.msgSeq }],
      [STREAMS, { type: 'message', lane: 'stream', host: 0, msgSeq: str.msgSeq }],
      [STREAMS, { type: 'module', host: comp.host, comp: comp.comp }],
      [STREAMS, { type: 'block', comp: comp.comp }],
    ]
    for (const [log, sel] of cases) {
      const [arr, cols] = both(log)
      const want = historyOf(sel, arr)
      expect(want.length, JSON.stringify(sel)).toBeGreaterThan(0)
      expect(historyOf(sel, cols)).toEqual(want)
    }
  })

  test("the migration timeline, the report's tally and the link index", () => {
    const [arr, cols] = both(MIGRATION)
    const end = (MIGRATION.at(-1) as SimEvent).tick + 1
    const fromArr = advanceTimeline(emptyTimeline(), arr, end)
    const fromCols = advanceTimeline(emptyTimeline(), cols, end)
    expect(fromCols).toEqual(fromArr)
    // The consulted row: the newest network fault on the arrival host, straight from the array.
    const last = MIGRATION.findLastIndex((e) => e.kind === 'page.faultNetwork' && e.host === 1)
    const want = MIGRATION[last] as SimEvent & { page: number; offset: number }
    expect(last).toBeGreaterThan(0)
    expect(fromArr.lastLookup).toEqual({
      page: want.page,
      offset: want.offset,
      tick: want.tick,
      index: last,
    })
    const tallyArr = tallyEvents(arr, 0, arr.length)
    expect(tallyEvents(cols, 0, cols.length)).toEqual(tallyArr)
    expect(tallyArr.link.retransmits).toBeGreaterThan(0)
    for (const tick of [end >> 2, end >> 1, end]) {
      expect(new LinkIndex().summary(cols, tick, 12, 5000)).toEqual(
        new LinkIndex().summary(arr, tick, 12, 5000),
      )
    }
  })

  test("STREAMS' exactly-once tally", () => {
    const [arr, cols] = both(STREAMS)
    const a = new ExactlyOnceTally().add(arr)
    const c = new ExactlyOnceTally().add(cols)
    expect(c).toEqual(a)
    expect(a.delivered).toBeGreaterThan(0)
  })
})
