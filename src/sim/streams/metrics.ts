/**
 * The STREAMS part of a run's report, and the end-to-end exactly-once check. The check reads the
 * event log of both hosts (every traffic message's creation, delivery or deliberate discard), so it
 * does not trust the engine's own counters.
 */
import type { EventSeq, SimEvent } from '../events'
import { REASON_TEXT } from './catalog'
import { liveTraffic } from './stream'
import type { CkptRecord, StreamsHostState } from './types'

export interface ExactlyOnceReport {
  /** True when nothing was duplicated, reordered, invented, corrupted or lost. */
  readonly ok: boolean
  readonly checkedFrom: 'events' | 'counters'
  readonly sent: number
  readonly delivered: number
  readonly discarded: number
  /** Still inside a stream (queues, transit, held, boundary) at the end of the run. */
  readonly inFlight: number
  readonly duplicates: number
  readonly outOfOrder: number
  readonly phantom: number
  readonly corrupt: number
  /** sent − delivered − discarded − inFlight. */
  readonly lost: number
}

/** One host as the report reads it: only its STREAMS engine state. */
export interface StreamsReportHost {
  readonly str: StreamsHostState
}

/**
 * What the report is computed from. `LocalWorld` satisfies it (the CLI); the UI builds it from the
 * hosts' inspected `streams.state` and the world's event list up to the same tick.
 */
export interface StreamsReportInput {
  readonly hosts: readonly [StreamsReportHost, StreamsReportHost]
  /** Events in canonical order; the event-log check runs when they are all kept (length = eventCount). */
  readonly events: readonly SimEvent[]
  readonly eventCount: number
  /** The event-log check already tallied up to `eventCount` (then `events` is not read). */
  readonly exactlyOnce?: ExactlyOnceTally
  /** Ticks completed. */
  readonly tick: number
  readonly scenario: { readonly tickUs: number }
}

export interface StreamsReport {
  readonly enabled: boolean
  readonly messagesSent: { readonly down: number; readonly up: number; readonly total: number }
  readonly delivered: { readonly down: number; readonly up: number; readonly total: number }
  readonly discarded: number
  readonly heldDuringFreeze: number
  /** Process writes that blocked on flow control (the process slept, then retried). */
  readonly blockedWrites: number
  /** Device input dropped by overruns (device FIFO full): it never entered the stream, so the
   * exactly-once check does not count it. */
  readonly overruns: number
  readonly carriedInRestartMessage: number
  readonly checkpointBytes: number
  readonly freezeTicks: number
  readonly freezeUs: number
  readonly outcome: CkptRecord['result']
  readonly reason: string
  readonly verification: 'passed' | 'failed' | 'not run'
  readonly expectedModules: readonly string[]
  readonly actualModules: readonly string[]
  readonly ioctls: { readonly issued: number; readonly acked: number; readonly naked: number }
  readonly exactlyOnce: ExactlyOnceReport
}

/** Traffic data messages present in the hosts' streams, counting one copy of a stream in migration. */
export function inFlightTraffic(hosts: readonly StreamsReportHost[]): number {
  let n = 0
  hosts.forEach((h, i) => {
    const s = h.str
    if (!s.stream) return
    const other = hosts[1 - i]?.str
    const shipped = s.ckpt?.phase === 'shipped'
    // A shipped source copy counts until the target's copy is live (restarted and thawed).
    if (shipped && other?.stream && !other.rst) return
    // A target still restarting (open, push, restore) holds copies of the source's messages.
    if (s.rst && other?.stream && other.ckpt?.phase === 'shipped') return
    const live = liveTraffic(s.stream)
    n += (live[0] ?? 0) + (live[1] ?? 0)
  })
  return n
}

/**
 * The event-log side of the exactly-once check, fed in order and in pieces: the UI adds only the
 * events that arrived since its last report instead of rescanning a log that grows all run long.
 */
export class ExactlyOnceTally {
  /** Flags per direction and sequence number: 1 sent, 2 delivered, 4 discarded. */
  private readonly flags: number[][] = [[], []]
  private readonly last: Map<number, number>[] = [new Map(), new Map()]
  /** Events added so far (the next `add` continues from here). */
  counted = 0
  sent = 0
  delivered = 0
  discarded = 0
  duplicates = 0
  outOfOrder = 0
  phantom = 0

  /** Adds events [this.counted, to) of `events`. */
  add(events: EventSeq, to = events.length): this {
    for (let i = this.counted; i < to; i++) {
      const ev = events.at(i) as SimEvent
      if (ev.kind === 'str.sent') {
        const f = this.flags[ev.dir] as number[]
        f[ev.msgSeq] = (f[ev.msgSeq] ?? 0) | 1
        this.sent++
      } else if (ev.kind === 'str.delivered' || ev.kind === 'str.discarded') {
        const f = this.flags[ev.dir] as number[]
        const cur = f[ev.msgSeq] ?? 0
        if (!(cur & 1)) this.phantom++
        if (cur & 6) this.duplicates++
        if (ev.kind === 'str.delivered') {
          this.delivered++
          f[ev.msgSeq] = cur | 2
          const l = this.last[ev.dir] as Map<number, number>
          if (ev.msgSeq <= (l.get(ev.cls) ?? -1)) this.outOfOrder++
          l.set(ev.cls, ev.msgSeq)
        } else {
          this.discarded++
          f[ev.msgSeq] = cur | 4
        }
      }
    }
    this.counted = Math.max(this.counted, to)
    return this
  }

  /** The check, with what the hosts still hold in flight now. */
  report(hosts: readonly StreamsReportHost[]): ExactlyOnceReport {
    const inFlight = inFlightTraffic(hosts)
    const corrupt = hosts.reduce((a, h) => a + h.str.counters.corrupt, 0)
    const lost = this.sent - this.delivered - this.discarded - inFlight
    const { sent, delivered, discarded, duplicates, outOfOrder, phantom } = this
    return {
      ok: duplicates === 0 && outOfOrder === 0 && phantom === 0 && corrupt === 0 && lost === 0,
      checkedFrom: 'events',
      sent,
      delivered,
      discarded,
      inFlight,
      duplicates,
      outOfOrder,
      phantom,
      corrupt,
      lost,
    }
  }
}

function exactlyOnceFromCounters(world: StreamsReportInput): ExactlyOnceReport {
  const sum = (f: (s: StreamsHostState) => number) => world.hosts.reduce((a, h) => a + f(h.str), 0)
  const sent = sum((s) => (s.counters.sent[0] ?? 0) + (s.counters.sent[1] ?? 0))
  const delivered = sum((s) => (s.counters.delivered[0] ?? 0) + (s.counters.delivered[1] ?? 0))
  const discarded = sum((s) => (s.counters.discarded[0] ?? 0) + (s.counters.discarded[1] ?? 0))
  const outOfOrder = sum((s) => s.counters.outOfOrder)
  const corrupt = sum((s) => s.counters.corrupt)
  const inFlight = inFlightTraffic(world.hosts)
  const lost = sent - delivered - discarded - inFlight
  return {
    ok: outOfOrder === 0 && corrupt === 0 && lost === 0,
    checkedFrom: 'counters',
    sent,
    delivered,
    discarded,
    inFlight,
    duplicates: 0,
    outOfOrder,
    phantom: 0,
    corrupt,
    lost,
  }
}

export function streamsReport(world: StreamsReportInput): StreamsReport {
  const hosts = world.hosts
  const sum = (f: (s: StreamsHostState) => number) => hosts.reduce((a, h) => a + f(h.str), 0)
  const down = sum((s) => s.counters.sent[0] ?? 0)
  const up = sum((s) => s.counters.sent[1] ?? 0)
  const dDown = sum((s) => s.counters.delivered[0] ?? 0)
  const dUp = sum((s) => s.counters.delivered[1] ?? 0)
  // Source = the host that initiated the last checkpoint; target = the other one.
  const recs = hosts.map((h) => h.str.record)
  let si = 0
  if ((recs[1]?.initiatedAt ?? -1) > (recs[0]?.initiatedAt ?? -1)) si = 1
  const src = recs[si] as CkptRecord
  const tgt = recs[1 - si] as CkptRecord
  const targetRan = tgt.result === 'restarted' || tgt.result === 'verifyFailed'
  let outcome = src.result
  let reason = src.reason
  if (
    targetRan &&
    (src.result === 'inProgress' || src.result === 'restarted' || src.result === 'verifyFailed')
  ) {
    outcome = tgt.result
    reason = tgt.reason
  }
  let freezeTicks = 0
  if (src.frozenAt >= 0) {
    const end = tgt.result === 'restarted' && tgt.thawedAt >= 0 ? tgt.thawedAt : src.thawedAt
    freezeTicks = (end >= 0 ? end : world.tick) - src.frozenAt
  }
  const keep = world.events.length === world.eventCount
  return {
    enabled: hosts[0].str.enabled,
    messagesSent: { down, up, total: down + up },
    delivered: { down: dDown, up: dUp, total: dDown + dUp },
    discarded: sum((s) => (s.counters.discarded[0] ?? 0) + (s.counters.discarded[1] ?? 0)),
    heldDuringFreeze: sum((s) => s.counters.heldDuringFreeze),
    blockedWrites: sum((s) => s.counters.blockedWrites),
    overruns: sum((s) => s.counters.overruns),
    carriedInRestartMessage: src.carried,
    checkpointBytes: src.restartBytes,
    freezeTicks,
    freezeUs: freezeTicks * world.scenario.tickUs,
    outcome,
    reason: REASON_TEXT[reason] ?? String(reason),
    verification: !targetRan ? 'not run' : tgt.result === 'restarted' ? 'passed' : 'failed',
    expectedModules: tgt.expected,
    actualModules: tgt.actual,
    ioctls: {
      issued: sum((s) => s.counters.ioctls),
      acked: sum((s) => s.counters.iocacks),
      naked: sum((s) => s.counters.iocnaks),
    },
    exactlyOnce: world.exactlyOnce
      ? world.exactlyOnce.report(hosts)
      : keep
        ? new ExactlyOnceTally().add(world.events).report(hosts)
        : exactlyOnceFromCounters(world),
  }
}
