import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import type { AppStore } from '../../store'
import type { IndexFilter, IndexPages, IndexRow, IndexSort } from '../../sim/migration/inspect'
import { useAppStoreApi, useGatedState } from '../app/storeContext'
import { useMigration } from './store'
import type { Lookup } from './timeline'

const ROW_H = 24
/** More rows than the virtualizer ever shows at once (viewport + overscan). */
const ROW_SLOTS = 128
/** Rows of the following view: the consulted entry in the middle of the box (13 × 24 px). */
const FOLLOW_ROWS = 13
/** Keys that mean "I want to look around the table myself": they leave the following view. */
const BROWSE_KEYS = new Set(['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End'])
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

/** What the rows were asked with: a new answer is wanted when any of it changes. */
interface RowQuery {
  readonly runKey: string
  /** The migration view's timeline version (4 Hz while playing): the rows' states move on. */
  readonly version: number
  readonly filter: IndexFilter
  readonly sort: IndexSort
  readonly descending: boolean
}

const queryKey = (q: RowQuery) => `${q.runKey}|${q.version}|${q.filter}|${q.sort}|${q.descending}`

/**
 * The arrival host's index table (page table filled from it): every entry, read from the host by
 * windows of rows (`migration.pages`). The row looked up by the newest page fault (patent claim 1
 * step 7: the checkpoint data finds where the page lives) is highlighted.
 *
 * Two views, as the event log has: while following page faults, a fixed set of rows centred on the
 * consulted entry, rewritten in place four times a second (no scrolling: a scroller jumping to a
 * random row of 65,536 four times a second cost a re-render in the scroll event, a layout of the
 * scroller and a repaint, about a millisecond per frame on average); browsing, every entry,
 * virtualized, opened at the last consulted row. Scrolling or arrow keys in the following view,
 * or unticking "Follow page faults", switch to browsing.
 */
export function IndexTablePanel() {
  const store = useAppStoreApi()
  const filterId = useId()
  const sortId = useId()
  const [filter, setFilter] = useState<IndexFilter>('all')
  const [sort, setSort] = useState<IndexSort>('page')
  const [descending, setDescending] = useState(false)
  const [follow, setFollow] = useState(true)
  /** Where browsing opens (a row index of the current order), and whether it takes the focus. */
  const [browseAt, setBrowseAt] = useState({ index: 0, focus: false })
  const version = useMigration((d) => d.timelineVersion)
  const runKey = useMigration((d) => d.runKey)
  const lookup = useMigration((d) => d.timeline.lastLookup)
  const query: RowQuery = { runKey, version, filter, sort, descending }
  const browse = (index: number, focus: boolean) => {
    setBrowseAt({ index, focus })
    setFollow(false)
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
      {follow ? (
        <FollowView store={store} query={query} lookup={lookup} onBrowse={browse} />
      ) : (
        <BrowseView
          store={store}
          query={query}
          lookup={lookup}
          openAt={browseAt.index}
          focusOnMount={browseAt.focus}
        />
      )}
    </section>
  )
}

interface ViewProps {
  readonly store: AppStore
  readonly query: RowQuery
  readonly lookup: Lookup | null
}

/** `mounted.current` is true while the component is mounted (answers arrive asynchronously). */
function useMounted() {
  const mounted = useRef(false)
  useEffect(() => {
    mounted.current = true
    return () => void (mounted.current = false)
  }, [])
  return mounted
}

function IndexStatus({
  data,
  lookup,
}: {
  readonly data: IndexPages | null
  readonly lookup: Lookup | null
}) {
  return (
    <p className="muted" data-testid="indexTable.status" aria-live="polite">
      {!data?.loaded
        ? 'No index table on host B yet: it arrives with the checkpoint.'
        : `${fmt.format(data.total)} entries` +
          (lookup
            ? `; last lookup: page ${lookup.page} → offset ${fmt.format(lookup.offset)} (tick ${lookup.tick})`
            : '')}
    </p>
  )
}

function IndexHead() {
  return (
    <div className="index-row index-head" role="row" aria-rowindex={1}>
      {COLUMNS.map((c) => (
        <span key={c} role="columnheader">
          {c}
        </span>
      ))}
    </div>
  )
}

/** The status line, then the table with its head row and `children` (the rows' box). */
function IndexGrid({
  data,
  lookup,
  children,
}: {
  readonly data: IndexPages | null
  readonly lookup: Lookup | null
  readonly children: ReactNode
}) {
  return (
    <>
      <IndexStatus data={data} lookup={lookup} />
      <div
        className="index-grid"
        role="table"
        aria-label="Index table entries"
        aria-rowcount={(data?.total ?? 0) + 1}
      >
        <IndexHead />
        {children}
      </div>
    </>
  )
}

/**
 * One entry's cells; without an entry, a placeholder while its row is being read, or (`blank`) the
 * same cells empty, so that an entry arriving later rewrites them in place.
 */
function IndexCells({
  r,
  blank = false,
}: {
  readonly r: IndexRow | undefined
  readonly blank?: boolean
}) {
  if (!r && !blank) return <span role="cell">…</span>
  return (
    <>
      <span role="cell">{r?.page}</span>
      <span role="cell">{r?.segment}</span>
      <span role="cell">{r && (r.offset >= 0 ? fmt.format(r.offset) : '—')}</span>
      <span role="cell">{r?.pinned ? 'pinned' : ''}</span>
      <span role="cell">{r && (r.private ? 'private' : 'shared')}</span>
      <span role="cell">{r?.zero ? 'zero' : ''}</span>
      <span role="cell">{r?.location}</span>
      <span role="cell">{r?.state}</span>
    </>
  )
}

/** A row's attributes: its position, the consulted highlight and the test id of its page. */
function rowAttrs(r: IndexRow | undefined, index: number, lookupPage: number) {
  const hot = r !== undefined && r.page === lookupPage
  return {
    role: 'row',
    'aria-rowindex': index + 2,
    'aria-selected': hot || undefined,
    className: `index-row${hot ? ' consulted' : ''}${r?.faulted ? ' faulted' : ''}`,
    'data-testid': r ? `indexTable.row.${r.page}` : undefined,
    'data-consulted': hot ? 'true' : undefined,
  } as const
}

/**
 * Following: FOLLOW_ROWS rows centred on the consulted entry (the host centres the window on it:
 * `centerOnLocated`), asked again at each update and rewritten in place (rows keyed by position).
 */
function FollowView({
  store,
  query,
  lookup,
  onBrowse,
}: ViewProps & { readonly onBrowse: (index: number, focus: boolean) => void }) {
  const [data, setData] = useGatedState<IndexPages | null>(null)
  const mounted = useMounted()
  const request = useRef(0)
  const lookupPage = lookup?.page ?? -1
  const key = `${queryKey(query)}|${lookupPage}`
  useEffect(() => {
    const id = ++request.current
    const current = () => mounted.current && request.current === id
    store
      .getState()
      .world.inspect(1, {
        kind: 'migration.pages',
        from: 0,
        count: FOLLOW_ROWS,
        filter: query.filter,
        sort: query.sort,
        descending: query.descending,
        locate: lookupPage,
        centerOnLocated: true,
      })
      .then((r) => {
        if (current()) setData(r.result as IndexPages)
      })
      .catch(() => {
        if (current()) setData(null)
      })
    // `key` stands for every field of the query used above.
    // oxlint-disable-next-line react-hooks/exhaustive-deps
  }, [store, key])

  // Where browsing opens: the consulted row, else the first row shown.
  const here = () => (data ? (data.located >= 0 ? data.located : data.from) : 0)
  const onKeyDown = (e: KeyboardEvent) => {
    if (!BROWSE_KEYS.has(e.key)) return
    e.preventDefault()
    onBrowse(here(), true)
  }
  // Every slot is in the page from the start, blank until an entry fills it: the first answer
  // (the index table arriving with the checkpoint, a quarter of a second into a run) then rewrites
  // rows in place like every later one, instead of creating 13 grid rows of 8 cells at once (11-20
  // ms of style, layout and paint in one frame, render bench traces).
  const rows = []
  for (let i = 0; i < FOLLOW_ROWS; i++) {
    const r = data?.rows[i]
    rows.push(
      r && data ? (
        <div key={i} {...rowAttrs(r, data.from + i, lookupPage)} style={{ height: ROW_H }}>
          <IndexCells r={r} />
        </div>
      ) : (
        <div
          key={i}
          className="index-row index-row-blank"
          aria-hidden="true"
          style={{ height: ROW_H }}
        >
          <IndexCells r={undefined} blank />
        </div>
      ),
    )
  }
  return (
    <IndexGrid data={data} lookup={lookup}>
      {/* Focusable so keyboard users can start browsing from here (arrow keys, Page Up/Down). */}
      {/* oxlint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
      <div
        className="index-scroll index-follow"
        tabIndex={0}
        role="rowgroup"
        aria-label="Index table rows around the consulted entry (following page faults; scroll or use the arrow keys to browse)"
        data-testid="indexTable.scroll"
        onWheel={() => onBrowse(here(), true)}
        onKeyDown={onKeyDown}
      >
        {rows}
      </div>
    </IndexGrid>
  )
}

/** Browsing: every entry, virtualized, read from the host by windows of rows. */
function BrowseView({
  store,
  query,
  lookup,
  openAt,
  focusOnMount,
}: ViewProps & { readonly openAt: number; readonly focusOnMount: boolean }) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const [data, setData] = useGatedState<IndexPages | null>(null)
  const mounted = useMounted()
  const total = data?.total ?? 0
  const lookupPage = lookup?.page ?? -1

  // oxlint-disable-next-line react/incompatible-library
  const virt = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    overscan: 8,
    // Opened with the row it came from in the middle of the box.
    initialOffset: Math.max(0, openAt * ROW_H - 6 * ROW_H),
    // A scroll re-renders with React's normal batching, not synchronously inside the scroll event.
    useFlushSync: false,
  })
  const items = virt.getVirtualItems()
  const first = items.length ? (items[0]?.index ?? 0) : Math.max(0, openAt - 6)
  const last = items.length ? (items[items.length - 1]?.index ?? 0) : first + 30

  useEffect(() => {
    if (focusOnMount) scrollRef.current?.focus()
  }, [focusOnMount])

  // A change of the query asks the host again; a scroll asks only when the rows held do not cover
  // the new window.
  const dataKey = queryKey(query)
  const asked = useRef({ key: '', from: 0, to: -1, request: 0 })
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
        filter: query.filter,
        sort: query.sort,
        descending: query.descending,
      })
      .then((r) => {
        if (!current()) return
        const pages = r.result as IndexPages
        asked.current = {
          key: dataKey,
          from: pages.from,
          to: pages.from + pages.rows.length - 1,
          request,
        }
        setData(pages)
      })
      .catch(() => {
        if (!current()) return
        asked.current = { key: '', from: 0, to: -1, request }
        setData(null)
      })
    // `dataKey` stands for every field of the query used above.
    // oxlint-disable-next-line react-hooks/exhaustive-deps
  }, [store, first, last, dataKey])

  const rowAt = (i: number) => {
    if (!data) return undefined
    const k = i - data.from
    return k >= 0 && k < data.rows.length ? data.rows[k] : undefined
  }

  return (
    <IndexGrid data={data} lookup={lookup}>
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
            return (
              <div
                // Keyed by slot (the window is far shorter than ROW_SLOTS rows): scrolling and
                // new answers rewrite the rows' text in place instead of replacing them.
                key={it.index % ROW_SLOTS}
                {...rowAttrs(r, it.index, lookupPage)}
                // `top`, not a transform: a new transform per scrolled row makes Chromium
                // re-layerize the whole page.
                style={{ position: 'absolute', top: it.start, left: 0, right: 0, height: ROW_H }}
              >
                <IndexCells r={r} />
              </div>
            )
          })}
        </div>
      </div>
    </IndexGrid>
  )
}
