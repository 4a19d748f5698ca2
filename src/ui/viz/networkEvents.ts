import {
  eventKindAt,
  eventSpec,
  firstEventAt,
  type EventKind,
  type EventSeq,
  type SimEvent,
} from '../../sim/events'

/**
 * Engine events that say a message crossed (or was put on) the link. The core has no per-message
 * "sent" event yet; until it does, these engine events stand for the traffic. Names not in the
 * registry are simply never seen.
 */
const LINK_EVENT_KINDS: ReadonlySet<string> = new Set([
  'mig.checkpointSent',
  'page.faultNetwork',
  'page.serve',
  'page.requestRetry',
  'rst.received',
])

/** isNetworkEvent's answer per kind (the registry is fixed, and the link lane asks 20,000 times). */
const networkKind = new Map<string, boolean>()

/** Events that show traffic or state of the link: `net.*`, wire-charged events, link messages. */
export function isNetworkEvent(kind: EventKind): boolean {
  let yes = networkKind.get(kind)
  if (yes === undefined) {
    yes =
      kind.startsWith('net.') ||
      LINK_EVENT_KINDS.has(kind) ||
      (eventSpec(kind).fields as readonly string[]).includes('wireBytes')
    networkKind.set(kind, yes)
  }
  return yes
}

export interface LinkSummary {
  /** The newest network events before the tick, newest last. */
  readonly recent: readonly SimEvent[]
  /** Tick until which the link is down at the tick, or null if it is up. */
  readonly downUntil: number | null
  /** Messages lost and retransmissions from the start of the run up to the tick. */
  readonly lost: number
  readonly retransmits: number
}

/** Index of the first entry of the ascending `xs` that is >= `x` (xs.length if none). */
function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0
  let hi = xs.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((xs[mid] as number) < x) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * Where the link's state changes, losses and retransmissions are in the event log, kept up to date
 * from only the events added since the last call (the log grows by tens of thousands of events a
 * second at full speed; the link panel used to rescan its newest 20,000 events on every update).
 * Call `reset()` when the log is replaced or cut (the world's `reset` notification).
 */
export class LinkIndex {
  /** Events of the log already indexed. */
  private indexed = 0
  /** Log indexes of the link's net.down / net.up events, and of losses and retransmissions. */
  private readonly stateAt: number[] = []
  private readonly lostAt: number[] = []
  private readonly retransmitAt: number[] = []

  reset(): void {
    this.indexed = 0
    this.stateAt.length = 0
    this.lostAt.length = 0
    this.retransmitAt.length = 0
  }

  private update(log: EventSeq): void {
    if (log.length < this.indexed) this.reset()
    for (let i = this.indexed; i < log.length; i++) {
      const kind = eventKindAt(log, i)
      if (kind === 'net.down' || kind === 'net.up') this.stateAt.push(i)
      else if (kind === 'net.lost') this.lostAt.push(i)
      else if (kind === 'net.retransmit') this.retransmitAt.push(i)
    }
    this.indexed = log.length
  }

  /**
   * The link at `tick` (events before it): its state, the totals so far, and the newest `keep`
   * network events, found by scanning back from the tick through at most `scanLimit` events.
   */
  summary(log: EventSeq, tick: number, keep: number, scanLimit: number): LinkSummary {
    this.update(log)
    const cut = firstEventAt(log, tick)
    const recent: SimEvent[] = []
    for (let i = cut - 1; i >= 0 && i >= cut - scanLimit && recent.length < keep; i--) {
      if (isNetworkEvent(eventKindAt(log, i))) recent.push(log.at(i) as SimEvent)
    }
    recent.reverse()
    const s = lowerBound(this.stateAt, cut) - 1
    const last = s >= 0 ? log.at(this.stateAt[s] as number) : undefined
    const downUntil =
      last?.kind === 'net.down' && last.untilTick > tick ? (last.untilTick as number) : null
    return {
      recent,
      downUntil,
      lost: lowerBound(this.lostAt, cut),
      retransmits: lowerBound(this.retransmitAt, cut),
    }
  }
}
