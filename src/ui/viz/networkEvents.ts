import { eventSpec, type EventKind, type SimEvent } from '../../sim/events'

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
  /** Newest last. */
  readonly recent: readonly SimEvent[]
  /** Tick until which the link is down, or null if it is up (as far as the scanned events say). */
  readonly downUntil: number | null
  readonly lost: number
  readonly retransmits: number
  /** How many of the newest log events were scanned. */
  readonly scanned: number
}

/** Summarises the newest `scan` events of the log; keeps the newest `keep` network events. */
export function summarizeLink(tail: readonly SimEvent[], tick: number, keep: number): LinkSummary {
  const recent: SimEvent[] = []
  let downUntil: number | null = null
  let lost = 0
  let retransmits = 0
  for (const ev of tail) {
    if (!isNetworkEvent(ev.kind)) continue
    recent.push(ev)
    if (ev.kind === 'net.down') downUntil = ev.untilTick
    else if (ev.kind === 'net.up') downUntil = null
    else if (ev.kind === 'net.lost') lost++
    else if (ev.kind === 'net.retransmit') retransmits++
  }
  if (downUntil !== null && downUntil <= tick) downUntil = null
  return {
    recent: recent.slice(Math.max(0, recent.length - keep)),
    downUntil,
    lost,
    retransmits,
    scanned: tail.length,
  }
}
