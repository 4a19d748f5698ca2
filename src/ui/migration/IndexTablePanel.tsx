import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useId, useRef, useState } from 'react'
import type { IndexFilter, IndexPages, IndexSort } from '../../sim/migration/inspect'
import { useAppStoreApi } from '../app/storeContext'
import { useMigration } from './store'

const ROW_H = 24
/** More rows than the virtualizer ever shows at once (viewport + overscan). */
const ROW_SLOTS = 128
const COLUMNS = [
  'Page',
  'Segment',
  'Device offset',
  'Pinned',
  'Private',
  'Zero',
  'Location',
  'State',
] as const

const FILTERS: readonly { value: IndexFilter; label: string }[] = [
  { value: 'all', label: 'All entries' },
  { value: 'pinned', label: 'Pinned only' },
  { value: 'faulted', label: 'Faulted' },
  { value: 'remote', label: 'Still remote' },
]
const SORTS: readonly { value: IndexSort; label: string }[] = [
  { value: 'page', label: 'Page number' },
  { value: 'offset', label: 'Device offset' },
  { value: 'segment', label: 'Segment' },
  { value: 'location', label: 'Location' },
]

const fmt = new Intl.NumberFormat('en-US')

/**
 * The arrival host's index table (page table filled from it): every entry, virtualized, read from
 * the host by windows of rows (`migration.pages`). The row looked up by the newest page fault
 * (patent claim 1 step 7: the checkpoint data finds where the page lives) is highlighted.
 */
export function IndexTablePanel() {
  const store = useAppStoreApi()
  const scrollRef = useRef<HTMLDivElement>(null)
  const filterId = useId()
  const sortId = useId()
  const [filter, setFilter] = useState<IndexFilter>('all')
  const [sort, setSort] = useState<IndexSort>('page')
  const [descending, setDescending] = useState(false)
  const [follow, setFollow] = useState(true)
  const [data, setData] = useState<(IndexPages & { readonly locatedFor: number }) | null>(null)
  const version = useMigration((d) => d.timelineVersion)
  const runKey = useMigration((d) => d.runKey)
  const lookup = useMigration((d) => d.timeline.lastLookup)
  const total = data?.total ?? 0

  // oxlint-disable-next-line react/incompatible-library
  const virt = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    overscan: 8,
    // A scroll (the follow's scroll write included) re-renders with React's normal batching, not
    // synchronously inside the scroll event (a second full render of the rows in the same frame).
    useFlushSync: false,
  })
  const items = virt.getVirtualItems()
  const first = items.length ? (items[0]?.index ?? 0) : 0
  const last = items.length ? (items[items.length - 1]?.index ?? 0) : 30

  const lookupPage = lookup?.page ?? -1
  // What the rows depend on besides the visible window: a change asks the host again; a scroll
  // alone asks only when the rows held do not cover the new window (following a lookup scrolls to
  // rows the answer already brought: `centerOnLocated`).
  const dataKey = `${runKey}|${version}|${filter}|${sort}|${descending}|${lookupPage}|${follow}`
  const asked = useRef({ key: '', from: 0, to: -1, request: 0 })
  const mounted = useRef(false)
  useEffect(() => {
    mounted.current = true
    return () => void (mounted.current = false)
  }, [])
  useEffect(() => {
    const prev = asked.current
    if (prev.key === dataKey && first >= prev.from && last <= prev.to) return
    // Only the newest request's answer is used (an earlier one may still be on its way; one that
    // is superseded by a scroll inside its window stays valid, since the key is the same).
    const request = prev.request + 1
    const from = Math.max(0, first)
    const count = Math.max(40, last - first + 1)
    asked.current = { key: dataKey, from, to: from + count - 1, request }
    const current = () => mounted.current && asked.current.request === request
    store
      .getState()
      .world.inspect(1, {
        kind: 'migration.pages',
        from,
        count,
        filter,
        sort,
        descending,
        locate: lookupPage,
        centerOnLocated: follow,
      })
      .then((r) => {
        if (!current()) return
        const pages = r.result as IndexPages
        const to = pages.from + pages.rows.length - 1
        asked.current = { key: dataKey, from: pages.from, to, request }
        setData({ ...pages, locatedFor: lookupPage })
      })
      .catch(() => {
        if (!current()) return
        asked.current = { key: '', from: 0, to: -1, request }
        setData(null)
      })
  }, [store, first, last, filter, sort, descending, lookupPage, follow, dataKey])

  // Follow: bring the consulted row into view once per new lookup (not on every render: scrolling
  // re-renders, and the virtualizer object is new each time).
  // (Only from an answer to the current lookup: an older answer locates the previous row.)
  const located = data && data.locatedFor === lookupPage ? data.located : -1
  const virtRef = useRef(virt)
  virtRef.current = virt
  const scrolledTo = useRef(-1)
  useEffect(() => {
    if (!follow || located < 0 || scrolledTo.current === lookupPage) return
    scrolledTo.current = lookupPage
    // One scroll write, from the virtualizer's cached viewport (no layout reads, and none of
    // scrollToIndex's frame-by-frame reconciling, which reads the scroll height every frame).
    const el = scrollRef.current
    const v = virtRef.current
    if (!el) return
    const top = located * ROW_H
    const view = v.scrollRect?.height ?? el.clientHeight
    const at = v.scrollOffset ?? el.scrollTop
    if (top < at) el.scrollTop = top
    else if (top + ROW_H > at + view) el.scrollTop = top + ROW_H - view
  }, [follow, located, lookupPage])

  const rowAt = (i: number) => {
    if (!data) return undefined
    const k = i - data.from
    return k >= 0 && k < data.rows.length ? data.rows[k] : undefined
  }

  return (
    <section className="mig-panel index-table" aria-label="Index table" data-testid="indexTable">
      <h2>Index table (arrival host B)</h2>
      <div className="mig-controls">
        <label htmlFor={filterId}>Show</label>
        <select
          id={filterId}
          data-testid="indexTable.filter"
          value={filter}
          onChange={(e) => setFilter(e.target.value as IndexFilter)}
        >
          {FILTERS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
        <label htmlFor={sortId}>Sort by</label>
        <select
          id={sortId}
          data-testid="indexTable.sort"
          value={sort}
          onChange={(e) => setSort(e.target.value as IndexSort)}
        >
          {SORTS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
        <label>
          <input
            type="checkbox"
            checked={descending}
            onChange={(e) => setDescending(e.target.checked)}
            data-testid="indexTable.descending"
          />{' '}
          Descending
        </label>
        <label>
          <input
            type="checkbox"
            checked={follow}
            onChange={(e) => setFollow(e.target.checked)}
            data-testid="indexTable.follow"
          />{' '}
          Follow page faults
        </label>
      </div>
      <p className="muted" data-testid="indexTable.status" aria-live="polite">
        {!data?.loaded
          ? 'No index table on host B yet: it arrives with the checkpoint.'
          : `${fmt.format(total)} entries` +
            (lookup
              ? `; last lookup: page ${lookup.page} → offset ${fmt.format(lookup.offset)} (tick ${lookup.tick})`
              : '')}
      </p>
      <div
        className="index-grid"
        role="table"
        aria-label="Index table entries"
        aria-rowcount={total + 1}
      >
        <div className="index-row index-head" role="row" aria-rowindex={1}>
          {COLUMNS.map((c) => (
            <span key={c} role="columnheader">
              {c}
            </span>
          ))}
        </div>
        {/* The scroller is focusable so keyboard users can scroll it. */}
        {/* oxlint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
        <div
          ref={scrollRef}
          className="index-scroll"
          tabIndex={0}
          role="rowgroup"
          aria-label="Index table rows (scrollable)"
          data-testid="indexTable.scroll"
        >
          <div style={{ height: virt.getTotalSize(), position: 'relative' }}>
            {items.map((it) => {
              const r = rowAt(it.index)
              const hot = r !== undefined && r.page === lookupPage
              return (
                <div
                  // Keyed by slot (the window is far shorter than ROW_SLOTS rows): scrolling and
                  // new answers rewrite the rows' text in place instead of replacing them.
                  key={it.index % ROW_SLOTS}
                  role="row"
                  aria-rowindex={it.index + 2}
                  aria-selected={hot || undefined}
                  className={`index-row${hot ? ' consulted' : ''}${r?.faulted ? ' faulted' : ''}`}
                  data-testid={r ? `indexTable.row.${r.page}` : undefined}
                  data-consulted={hot ? 'true' : undefined}
                  // `top`, not a transform: a new transform per scrolled row makes Chromium
                  // re-layerize the whole page.
                  style={{ position: 'absolute', top: it.start, left: 0, right: 0, height: ROW_H }}
                >
                  {r ? (
                    <>
                      <span role="cell">{r.page}</span>
                      <span role="cell">{r.segment}</span>
                      <span role="cell">{r.offset >= 0 ? fmt.format(r.offset) : '—'}</span>
                      <span role="cell">{r.pinned ? 'pinned' : ''}</span>
                      <span role="cell">{r.private ? 'private' : 'shared'}</span>
                      <span role="cell">{r.zero ? 'zero' : ''}</span>
                      <span role="cell">{r.location}</span>
                      <span role="cell">{r.state}</span>
                    </>
                  ) : (
                    <span role="cell">…</span>
                  )}
                </div>
              )
            })}
          </div>
        </div>
      </div>
    </section>
  )
}
