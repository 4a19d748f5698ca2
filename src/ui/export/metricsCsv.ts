/**
 * Metrics of the run as CSV: one row per time bucket (events, faults by kind, messages and bytes on
 * the link, phase changes). Numbers only; the header names the columns.
 */
import type { EventSeq } from '../../sim/events'
import { FAULT_KINDS, PHASE_KINDS } from '../../store/breakpointSlice'

const COLUMNS = [
  'tickStart',
  'tickEnd',
  'timeUsStart',
  'events',
  'faults',
  'networkFaults',
  'pagesServed',
  'messagesA',
  'messagesB',
  'wireBytesA',
  'wireBytesB',
  'phaseChanges',
] as const

export function metricsCsv(
  events: EventSeq,
  opts: { tickUs: number; durationTicks: number; buckets?: number },
): string {
  const end = Math.max(
    1,
    opts.durationTicks,
    events.length ? (events.at(events.length - 1)?.tick ?? 0) + 1 : 1,
  )
  const buckets = Math.max(1, Math.min(opts.buckets ?? 100, end))
  const width = Math.ceil(end / buckets)
  const rows = Array.from({ length: Math.ceil(end / width) }, () =>
    Array.from({ length: 9 }, () => 0),
  )
  for (const ev of events) {
    const r = rows[Math.min(rows.length - 1, Math.floor(ev.tick / width))] as number[]
    const add = (col: number, v = 1) => (r[col] = (r[col] ?? 0) + v)
    add(0)
    if (FAULT_KINDS.has(ev.kind)) add(1)
    if (ev.kind === 'page.faultNetwork') add(2)
    if (ev.kind === 'page.serve') add(3)
    if (ev.kind === 'net.sent') {
      add(4 + ev.host)
      add(6 + ev.host, (ev as unknown as { wireBytes: number }).wireBytes)
    }
    if (PHASE_KINDS.has(ev.kind)) add(8)
  }
  const lines = [COLUMNS.join(',')]
  rows.forEach((r, i) => {
    const start = i * width
    lines.push([start, Math.min(end, start + width), start * opts.tickUs, ...r].join(','))
  })
  return lines.join('\n') + '\n'
}
