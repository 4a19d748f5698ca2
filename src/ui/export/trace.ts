/**
 * The run as Chrome / Perfetto trace-event JSON (the "JSON Array / Object format" of the Trace Event
 * Format): one process per host, one thread (track) per kind of activity and one per STREAMS
 * component; events are instants, link transfers and phases are complete ('X') slices, and page-in
 * requests and replies are flows ('s' → 'f'). Timestamps are simulated microseconds.
 */
import { describeEvent, type EventSeq, type SimEvent } from '../../sim/events'
import { MESSAGE_KINDS } from '../../sim/messages'
import { PHASE_KINDS, FAULT_KINDS } from '../../store/breakpointSlice'

export interface TraceEvent {
  readonly name: string
  readonly ph: 'M' | 'i' | 'X' | 's' | 'f'
  readonly ts: number
  readonly pid: number
  readonly tid: number
  readonly cat?: string
  readonly dur?: number
  readonly s?: 't' | 'p' | 'g'
  readonly id?: number
  readonly bp?: 'e'
  readonly args?: Record<string, unknown>
}

export interface TraceFile {
  readonly traceEvents: TraceEvent[]
  readonly displayTimeUnit: 'ns' | 'ms'
  readonly metadata: Record<string, unknown>
}

/** Tracks (tids) inside each host process. STREAMS components get COMPONENT_BASE + comp. */
export const TRACK = { phases: 1, pages: 2, link: 3, streams: 4, other: 5 } as const
const TRACK_NAMES: Record<number, string> = {
  [TRACK.phases]: 'phases',
  [TRACK.pages]: 'pages (faults, page-ins)',
  [TRACK.link]: 'link (messages sent)',
  [TRACK.streams]: 'STREAMS (stream head side)',
  [TRACK.other]: 'other',
}
export const COMPONENT_BASE = 100

const num = (ev: SimEvent, f: string): number | undefined =>
  (ev as unknown as Record<string, number | undefined>)[f]

function trackOf(ev: SimEvent): number {
  if (PHASE_KINDS.has(ev.kind)) return TRACK.phases
  const comp = num(ev, 'comp')
  if (comp !== undefined && ev.kind !== 'ckpt.wpar') return COMPONENT_BASE + comp
  if (ev.kind.startsWith('net.')) return TRACK.link
  if (ev.kind.startsWith('page.') || ev.kind.startsWith('proc.')) return TRACK.pages
  if (ev.kind.startsWith('str.') || ev.kind.startsWith('ckpt.') || ev.kind.startsWith('rst.'))
    return TRACK.streams
  return TRACK.other
}

function fieldsOf(ev: SimEvent): Record<string, unknown> {
  const { kind: _k, tick, host: _h, seq, ...rest } = ev as unknown as Record<string, number>
  return { tick, seq, ...rest, text: describeEvent(ev) }
}

export function buildTrace(
  events: EventSeq,
  opts: { tickUs: number; name: string; durationTicks: number },
): TraceFile {
  const us = (tick: number) => tick * opts.tickUs
  const out: TraceEvent[] = []
  const tracks = new Set<string>()
  const pid = (host: number) => host + 1
  const addTrack = (host: number, tid: number) => {
    const key = `${host}:${tid}`
    if (tracks.has(key)) return
    tracks.add(key)
    const name =
      tid >= COMPONENT_BASE
        ? `STREAMS component ${tid - COMPONENT_BASE}`
        : (TRACK_NAMES[tid] ?? `track ${tid}`)
    out.push({ name: 'thread_name', ph: 'M', ts: 0, pid: pid(host), tid, args: { name } })
    out.push({
      name: 'thread_sort_index',
      ph: 'M',
      ts: 0,
      pid: pid(host),
      tid,
      args: { sort_index: tid },
    })
  }
  for (const host of [0, 1]) {
    const name = host === 0 ? 'Host A (departure)' : 'Host B (arrival)'
    out.push({ name: 'process_name', ph: 'M', ts: 0, pid: pid(host), tid: 0, args: { name } })
    out.push({
      name: 'process_sort_index',
      ph: 'M',
      ts: 0,
      pid: pid(host),
      tid: 0,
      args: { sort_index: host },
    })
    addTrack(host, TRACK.phases)
  }

  // Phases as complete slices: each phase event opens a slice that lasts until the next phase
  // event of the same host (or the end of the run).
  const phaseStarts: SimEvent[][] = [[], []]
  for (const ev of events) if (PHASE_KINDS.has(ev.kind)) phaseStarts[ev.host]?.push(ev)
  for (const list of phaseStarts) {
    list.forEach((ev, i) => {
      const next = list[i + 1]
      const end = next ? next.tick : Math.max(ev.tick + 1, opts.durationTicks)
      out.push({
        name: ev.kind,
        cat: 'phase',
        ph: 'X',
        ts: us(ev.tick),
        dur: Math.max(opts.tickUs, us(end) - us(ev.tick)),
        pid: pid(ev.host),
        tid: TRACK.phases,
        args: fieldsOf(ev),
      })
    })
  }

  // Flow bookkeeping: a network fault on B opens a request flow to the serve on A; the serve opens
  // a reply flow to the page being mapped on B.
  let nextFlow = 1
  const openRequests = new Map<number, number[]>() // page -> flow ids (request) awaiting a serve
  const openReplies = new Map<number, number[]>() // page -> flow ids (reply) awaiting the mapping
  const pending: TraceEvent[] = []
  const flowStart = new Map<number, TraceEvent>()

  for (const ev of events) {
    if (PHASE_KINDS.has(ev.kind)) continue
    const tid = trackOf(ev)
    addTrack(ev.host, tid)
    const ts = us(ev.tick)
    const base = { pid: pid(ev.host), tid, ts, args: fieldsOf(ev) }
    if (ev.kind === 'net.sent') {
      const msgKind = MESSAGE_KINDS[num(ev, 'msgKind') ?? -1] ?? 'message'
      const sentAt = num(ev, 'sentAt') ?? ev.tick
      const deliverAt = num(ev, 'deliverAt') ?? ev.tick
      out.push({
        ...base,
        name: msgKind,
        cat: 'link',
        ph: 'X',
        ts: us(sentAt),
        dur: Math.max(opts.tickUs, us(deliverAt) - us(sentAt)),
      })
      continue
    }
    // Fault, serve and map events are one-tick slices so flows can bind to them.
    const slice: TraceEvent = {
      ...base,
      name: ev.kind,
      cat: ev.kind.split('.')[0] as string,
      ph:
        FAULT_KINDS.has(ev.kind) || ev.kind === 'page.serve' || ev.kind === 'page.demandMapped'
          ? 'X'
          : 'i',
      ...(FAULT_KINDS.has(ev.kind) || ev.kind === 'page.serve' || ev.kind === 'page.demandMapped'
        ? { dur: opts.tickUs }
        : { s: 't' as const }),
    }
    out.push(slice)
    const page = num(ev, 'page')
    if (page === undefined) continue
    if (ev.kind === 'page.faultNetwork' || ev.kind === 'page.requestRetry') {
      const id = nextFlow++
      const s: TraceEvent = {
        name: 'page-in request',
        cat: 'flow',
        ph: 's',
        id,
        ts,
        pid: pid(ev.host),
        tid,
      }
      flowStart.set(id, s)
      const q = openRequests.get(page) ?? []
      q.push(id)
      openRequests.set(page, q)
    } else if (ev.kind === 'page.serve') {
      const q = openRequests.get(page)
      const id = q?.shift()
      if (id !== undefined) {
        const s = flowStart.get(id)
        if (s) {
          pending.push(s, {
            name: 'page-in request',
            cat: 'flow',
            ph: 'f',
            bp: 'e',
            id,
            ts,
            pid: pid(ev.host),
            tid,
          })
        }
        // Only demand requests get a reply flow to the mapping.
        const rid = nextFlow++
        flowStart.set(rid, {
          name: 'page-in reply',
          cat: 'flow',
          ph: 's',
          id: rid,
          ts,
          pid: pid(ev.host),
          tid,
        })
        const r = openReplies.get(page) ?? []
        r.push(rid)
        openReplies.set(page, r)
      }
    } else if (ev.kind === 'page.demandMapped') {
      const r = openReplies.get(page)
      const id = r?.shift()
      const s = id !== undefined ? flowStart.get(id) : undefined
      if (id !== undefined && s) {
        pending.push(s, {
          name: 'page-in reply',
          cat: 'flow',
          ph: 'f',
          bp: 'e',
          id,
          ts,
          pid: pid(ev.host),
          tid,
        })
      }
    }
  }
  // Only complete pairs are written: every 's' has its 'f'.
  out.push(...pending)

  return {
    traceEvents: out,
    displayTimeUnit: 'ms',
    metadata: {
      'migration-lab': { scenario: opts.name, tickUs: opts.tickUs, events: events.length },
    },
  }
}
