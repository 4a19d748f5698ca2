/**
 * What the migration view derives from the event log (pure; incremental as the log grows): when
 * each step of the sequence happened, page faults over time by kind, demand latencies, the last
 * index-table lookup (patent step 7), link outages. Each event is read once; the charts'
 * histograms keep counts, not one entry per fault (histogram.ts), so memory stays bounded.
 */
import {
  eventFieldAt,
  eventHostAt,
  eventKindAt,
  eventTickAt,
  firstEventAt,
  type EventSeq,
  type SimEventOf,
} from '../../sim/events'
import {
  addFault,
  addLatency,
  emptyFaultHistogram,
  emptyLatencyHistogram,
  spanFaults,
  type FaultHistogram,
  type LatencyHistogram,
} from './histogram'

export const FAULT_KINDS = ['network', 'minor', 'zeroFill', 'localCopy'] as const
export type FaultKind = (typeof FAULT_KINDS)[number]

const FAULT_OF: Record<string, number> = {
  'page.faultNetwork': 0,
  'page.faultInFlight': 0,
  'page.faultMinor': 1,
  'page.faultZero': 2,
  'page.faultLocalCopy': 3,
}

export interface Lookup {
  readonly page: number
  readonly offset: number
  readonly tick: number
  /** Index of the event in the log. */
  readonly index: number
}

export interface MigrationTimeline {
  /** Events consumed (an index into the log). */
  count: number
  /** The log was cut at this tick (events with tick < upTo). */
  upTo: number
  /** First tick of each step kind (event kind -> tick). */
  readonly firstTick: Map<string, number>
  readonly lastTick: Map<string, number>
  readonly kindCount: Map<string, number>
  /** Faults over time per FAULT_KINDS entry (arrival host). */
  readonly faults: FaultHistogram
  /** Demand latencies (µs) of page.demandMapped. */
  readonly latency: LatencyHistogram
  lastLookup: Lookup | null
  /** Ticks at which the link went down / came up. */
  readonly downs: number[]
  readonly ups: number[]
}

export function emptyTimeline(): MigrationTimeline {
  return {
    count: 0,
    upTo: 0,
    firstTick: new Map(),
    lastTick: new Map(),
    kindCount: new Map(),
    faults: emptyFaultHistogram(FAULT_KINDS.length),
    latency: emptyLatencyHistogram(),
    lastLookup: null,
    downs: [],
    ups: [],
  }
}

/** Index of the first event at or after `tick` (events are in canonical order: by tick first). */
export const cutAt = firstEventAt

/**
 * Brings `t` up to the events before `tick`; returns a fresh timeline when the log went back (a
 * seek backwards or a new run), else `t` itself, extended.
 */
export function advanceTimeline(
  t: MigrationTimeline,
  events: EventSeq,
  tick: number,
): MigrationTimeline {
  const end = cutAt(events, tick)
  let tl = t
  if (end < tl.count || tick < tl.upTo) tl = emptyTimeline()
  spanFaults(tl.faults, tick)
  // Only the newest network fault's lookup is shown: its event is made once, after the scan.
  let lookupAt = -1
  for (let i = tl.count; i < end; i++) {
    // Everything comes straight from the log's columns: no event is made for the scan.
    const k = eventKindAt(events, i)
    const at = eventTickAt(events, i)
    if (!tl.firstTick.has(k)) tl.firstTick.set(k, at)
    tl.lastTick.set(k, at)
    tl.kindCount.set(k, (tl.kindCount.get(k) ?? 0) + 1)
    const f = FAULT_OF[k]
    if (f !== undefined && eventHostAt(events, i) === 1) addFault(tl.faults, f, at)
    if (k === 'page.demandMapped')
      addLatency(tl.latency, eventFieldAt(events, i, 'latencyUs') as number)
    else if (k === 'page.faultNetwork') {
      if (eventHostAt(events, i) === 1) lookupAt = i
    } else if (k === 'net.down') tl.downs.push(at)
    else if (k === 'net.up') tl.ups.push(at)
  }
  if (lookupAt >= 0) {
    const ev = events.at(lookupAt) as SimEventOf<'page.faultNetwork'>
    tl.lastLookup = { page: ev.page, offset: ev.offset, tick: ev.tick, index: lookupAt }
  }
  tl.count = end
  tl.upTo = tick
  return tl
}
