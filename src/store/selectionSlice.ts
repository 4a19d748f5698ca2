/**
 * The inspector's selection: one entity of the run (a page, an index-table row, a STREAMS module, a
 * message, a checkpoint block). Its history is every event that mentions it. The selection is
 * plain data and has a compact text form for the URL (`sel=page:1:730`).
 */
import { eventFieldAt, eventHostAt, eventKindAt, type EventSeq } from '../sim/events'
import type { SliceCreator } from './types'

export type Selection =
  | { readonly type: 'page'; readonly host: 0 | 1; readonly page: number }
  /** A row of the migration index table (one per departure page). */
  | { readonly type: 'row'; readonly page: number }
  /** A STREAMS component (0 = stream head, then modules top to bottom, the driver last). */
  | { readonly type: 'module'; readonly host: 0 | 1; readonly comp: number }
  /** `net`: a link message (net.* events); `stream`: a STREAMS traffic message (str.* events). */
  | {
      readonly type: 'message'
      readonly lane: 'net' | 'stream'
      readonly host: 0 | 1
      readonly msgSeq: number
    }
  /** The checkpoint block of one STREAMS component. */
  | { readonly type: 'block'; readonly comp: number }

const BLOCK_KINDS = new Set([
  'ckpt.blockFilled',
  'ckpt.blockGrown',
  'ckpt.noSupport',
  'ckpt.blockTooSmall',
  'ckpt.aborted',
])

/**
 * True when event `i` of `events` mentions the selected entity (its history over the run). Reads
 * only the fields it tests (from a columnar log, without making the event: the history scans the
 * whole log, so no closure or object is made per event either).
 */
function mentionsAt(sel: Selection, events: EventSeq, i: number): boolean {
  switch (sel.type) {
    case 'page':
      // Page numbers are departure pages; both hosts' events about the page are its history.
      return (
        eventFieldAt(events, i, 'page') === sel.page ||
        eventFieldAt(events, i, 'pivot') === sel.page
      )
    case 'row':
      return (
        eventFieldAt(events, i, 'page') === sel.page || eventKindAt(events, i) === 'mig.indexTable'
      )
    case 'module':
      return (
        eventHostAt(events, i) === sel.host &&
        eventKindAt(events, i) !== 'ckpt.wpar' &&
        eventFieldAt(events, i, 'comp') === sel.comp
      )
    case 'message':
      if (sel.lane === 'net')
        return (
          eventHostAt(events, i) === sel.host &&
          eventKindAt(events, i).startsWith('net.') &&
          eventFieldAt(events, i, 'msgSeq') === sel.msgSeq
        )
      return (
        eventKindAt(events, i).startsWith('str.') &&
        eventFieldAt(events, i, 'msgSeq') === sel.msgSeq
      )
    case 'block':
      return BLOCK_KINDS.has(eventKindAt(events, i)) && eventFieldAt(events, i, 'comp') === sel.comp
  }
}

/** Indices of the events mentioning `sel`, at most `limit` of them. */
export function historyOf(sel: Selection, events: EventSeq, limit = 5000): number[] {
  const out: number[] = []
  for (let i = 0; i < events.length && out.length < limit; i++) {
    if (mentionsAt(sel, events, i)) out.push(i)
  }
  return out
}

export function describeSelection(sel: Selection): string {
  const h = (host: 0 | 1) => (host === 0 ? 'A' : 'B')
  switch (sel.type) {
    case 'page':
      return `Page ${sel.page} (host ${h(sel.host)})`
    case 'row':
      return `Index-table row of page ${sel.page}`
    case 'module':
      return `STREAMS component ${sel.comp} (host ${h(sel.host)})`
    case 'message':
      return sel.lane === 'net'
        ? `Link message #${sel.msgSeq} from host ${h(sel.host)}`
        : `STREAMS message ${sel.msgSeq}`
    case 'block':
      return `Checkpoint block of component ${sel.comp}`
  }
}

/** Compact text form for the URL. */
export function formatSelection(sel: Selection): string {
  switch (sel.type) {
    case 'page':
      return `page:${sel.host}:${sel.page}`
    case 'row':
      return `row:${sel.page}`
    case 'module':
      return `module:${sel.host}:${sel.comp}`
    case 'message':
      return `msg:${sel.lane}:${sel.host}:${sel.msgSeq}`
    case 'block':
      return `block:${sel.comp}`
  }
}

const MAX_ID = 100_000_000

/** Parses the URL form; null when it is not one (the caller reports it). */
export function parseSelection(text: string): Selection | null {
  const id = (s: string | undefined): number | null => {
    if (s === undefined || !/^\d{1,9}$/.test(s)) return null
    const n = Number(s)
    return n <= MAX_ID ? n : null
  }
  const host = (s: string | undefined): 0 | 1 | null => (s === '0' ? 0 : s === '1' ? 1 : null)
  const parts = text.split(':')
  const [type] = parts
  if (type === 'page' && parts.length === 3) {
    const h = host(parts[1])
    const p = id(parts[2])
    return h === null || p === null ? null : { type: 'page', host: h, page: p }
  }
  if (type === 'row' && parts.length === 2) {
    const p = id(parts[1])
    return p === null ? null : { type: 'row', page: p }
  }
  if (type === 'module' && parts.length === 3) {
    const h = host(parts[1])
    const c = id(parts[2])
    return h === null || c === null ? null : { type: 'module', host: h, comp: c }
  }
  if (type === 'msg' && parts.length === 4 && (parts[1] === 'net' || parts[1] === 'stream')) {
    const h = host(parts[2])
    const m = id(parts[3])
    return h === null || m === null ? null : { type: 'message', lane: parts[1], host: h, msgSeq: m }
  }
  if (type === 'block' && parts.length === 2) {
    const c = id(parts[1])
    return c === null ? null : { type: 'block', comp: c }
  }
  return null
}

export interface SelectionSlice {
  selection: Selection | null
  select(sel: Selection | null): void
}

export const createSelectionSlice: SliceCreator<SelectionSlice> = (set) => ({
  selection: null,
  select: (selection) => set({ selection }),
})
