import { useVirtualizer } from '@tanstack/react-virtual'
import {
  memo,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type Dispatch,
  type SetStateAction,
} from 'react'
import { describeEvent, EVENT_KINDS, eventSpec, HOST_NAMES, type SimEvent } from '../../sim/events'
import { isInferred } from '../../sim/spec'
import type { AppStore, EventLog as EventLogStore } from '../../store'
import type { Selection } from '../../store/selectionSlice'
import {
  selectEventVersion,
  selectFollowLog,
  selectLogFilter,
  selectRunning,
} from '../../store/selectors'
import { currentEventIndex } from '../../store/timelineSlice'
import { GatePhase, useAppStore, useAppStoreApi, useAppStoreSampled } from '../app/storeContext'
import { PHASE } from '../app/uiGate'

/** A row's height in pixels (also `.event-row` in app.css). */
const ROW_HEIGHT = 26
/** Kind prefixes offered by the kind filter (then every kind). */
const KIND_GROUPS = [...new Set(EVENT_KINDS.map((k) => `${k.split('.')[0] as string}.`))]
const fmt = new Intl.NumberFormat('en-US')

/** Structured filters (text filter aside): empty values match everything. */
export interface LogFilters {
  readonly host: '' | '0' | '1'
  readonly kind: string
  readonly page: string
  readonly module: string
}
const NO_FILTERS: LogFilters = { host: '', kind: '', page: '', module: '' }

const field = (ev: SimEvent, f: string): number | undefined =>
  (ev as unknown as Record<string, number | undefined>)[f]

/** Indices of the events matching the text filter (kind or text, case-insensitive) and `filters`. */
function matching(log: EventLogStore, filter: string, filters: LogFilters): number[] {
  const f = filter.toLowerCase()
  const host = filters.host === '' ? -1 : Number(filters.host)
  const page = /^\d+$/.test(filters.page) ? Number(filters.page) : -1
  const mod = /^\d+$/.test(filters.module) ? Number(filters.module) : -1
  const out: number[] = []
  for (let i = 0; i < log.length; i++) {
    const ev = log.at(i)
    if (!ev) continue
    if (host >= 0 && ev.host !== host) continue
    if (filters.kind && !ev.kind.startsWith(filters.kind)) continue
    if (page >= 0 && field(ev, 'page') !== page) continue
    if (mod >= 0 && field(ev, 'comp') !== mod) continue
    if (f && !(ev.kind.includes(f) || describeEvent(ev).toLowerCase().includes(f))) continue
    out.push(i)
  }
  return out
}

/** The entities an event names, as inspector selections. */
function entitiesOf(ev: SimEvent): { label: string; sel: Selection }[] {
  const out: { label: string; sel: Selection }[] = []
  const page = field(ev, 'page')
  if (page !== undefined)
    out.push({ label: `page ${page}`, sel: { type: 'page', host: ev.host, page } })
  const comp = field(ev, 'comp')
  if (comp !== undefined && ev.kind !== 'ckpt.wpar') {
    out.push({ label: `module ${comp}`, sel: { type: 'module', host: ev.host, comp } })
    if (ev.kind.startsWith('ckpt.block') || ev.kind === 'ckpt.noSupport')
      out.push({ label: `block ${comp}`, sel: { type: 'block', comp } })
  }
  const msg = field(ev, 'msgSeq')
  if (msg !== undefined) {
    const lane = ev.kind.startsWith('net.') ? 'net' : 'stream'
    out.push({ label: `msg ${msg}`, sel: { type: 'message', lane, host: ev.host, msgSeq: msg } })
  }
  return out
}

function Row({
  ev,
  store,
  entities = true,
}: {
  /** Undefined: a blank row (the same cells, empty), for the follow view's unfilled slots. */
  ev: SimEvent | undefined
  store: AppStore
  /** Buttons that open the event's page, module, block or message in the inspector. */
  entities?: boolean
}) {
  if (!ev)
    return (
      <>
        <span className="ev-tick" />
        <span className="ev-host" />
        <span className="ev-kind" />
        <span className="ev-text">
          <span className="ev-desc" />
        </span>
      </>
    )
  const spec = eventSpec(ev.kind)
  const inferred = isInferred(spec.confidence)
  const source = [spec.feature, spec.source].filter(Boolean).join(' · ')
  return (
    <>
      <span className="ev-tick">{ev.tick}</span>
      <span className="ev-host">{HOST_NAMES[ev.host]}</span>
      <span className="ev-kind" title={source || undefined}>
        {ev.kind}
      </span>
      <span className="ev-text">
        <span className="ev-desc">{describeEvent(ev)}</span>
        {inferred ? (
          <span
            className="badge badge-inferred"
            title="Inferred: not stated in the patent text that was read"
          >
            inferred
          </span>
        ) : null}
        {(entities ? entitiesOf(ev) : []).map((e, i) => (
          <button
            // By position, like the rows: as the tail moves, a row's buttons get new labels in
            // place instead of being removed and created again at each update.
            key={i}
            type="button"
            className="ev-entity"
            data-testid="eventLog.entity"
            title={`Inspect ${e.label}`}
            onClick={(evt) => {
              evt.stopPropagation()
              store.getState().select(e.sel)
            }}
          >
            {e.label}
          </button>
        ))}
      </span>
    </>
  )
}

/** Row props shared by both lists: highlight and jump-on-click. */
function rowProps(store: AppStore, abs: number, current: number) {
  const isCur = abs === current
  return {
    'data-index': abs,
    'data-current': isCur ? 'true' : undefined,
    'aria-current': isCur ? ('true' as const) : undefined,
    onClick: () => void store.getState().stepToEvent(abs),
    title: `Event #${abs}: click to travel here`,
  }
}

const VIEW_HEIGHT = 260
const TAIL_ROWS = Math.floor(VIEW_HEIGHT / ROW_HEIGHT)
/** The follow view's upper rows, drawn in a gate phase of their own while playing (OlderTailRows). */
const OLDER_ROWS = Math.floor(TAIL_ROWS / 2)

interface RowsProps {
  readonly store: AppStore
  /** Absolute index (in world.events()) of the current event. */
  readonly current: number
  readonly log: EventLogStore
  /** Log indices to show (filtered), or null for the whole log. */
  readonly indices: readonly number[] | null
  readonly count: number
}

function eventAt(log: EventLogStore, indices: readonly number[] | null, i: number) {
  return log.at(indices ? (indices[i] as number) : i)
}

/** What the follow view shows: the log as of the follow view's last render. */
interface TailSnapshot extends RowsProps {
  readonly entities: boolean
}

/**
 * The follow view's rows for slots [from, to) of TAIL_ROWS: the newest events in the bottom slots,
 * blank (hidden) rows above them while there are fewer events than slots. Every slot exists from
 * the start, so the run's first events fill rows that are already laid out, as every later update
 * does, instead of creating them in one frame of the run's busiest second (render bench).
 */
function tailRows(snap: TailSnapshot, from: number, to: number) {
  const { store, current, log, indices, count, entities } = snap
  const rows = []
  for (let k = from; k < to; k++) {
    const i = count - TAIL_ROWS + k
    const ev = i >= 0 ? eventAt(log, indices, i) : undefined
    if (!ev) {
      rows.push(
        <div
          key={k}
          className="event-row event-row-static event-row-plain event-row-blank"
          aria-hidden="true"
        >
          <Row ev={undefined} store={store} entities={false} />
        </div>,
      )
      continue
    }
    const abs = log.dropped + (indices ? (indices[i] as number) : i)
    rows.push(
      <div
        // Keyed by slot: as the tail moves, React rewrites the rows' text in place instead of
        // replacing every row element.
        key={k}
        role="listitem"
        aria-setsize={count}
        aria-posinset={i + 1}
        className={`event-row event-row-static${entities ? '' : ' event-row-plain'}${abs === current ? ' event-row-current' : ''}`}
        data-testid="eventLog.row"
        {...rowProps(store, abs, current)}
      >
        <Row ev={ev} store={store} entities={entities} />
      </div>,
    )
  }
  return rows
}

/**
 * The follow view's older half (its upper rows). While playing it re-renders in a gate phase of its
 * own, a panel frame after the newer half, from the snapshot the newer half drew: each frame then
 * lays out and paints half the rows (the log's update was the heaviest panel frame of a run, 7 ms
 * of CPU and 10-17 ms on its first fill, render bench). Between the two frames the upper rows are a
 * round older than the lower ones; the order stays oldest at the top.
 */
const OlderTailRows = memo(function OlderTailRows({
  committed,
  snapshot,
}: {
  readonly committed: { readonly current: TailSnapshot | null }
  /** Paused: the newer half's snapshot of this render; playing: null. */
  readonly snapshot: TailSnapshot | null
}) {
  useAppStoreSampled(selectEventVersion)
  // Playing: the committed snapshot may still be the paused one; its rows get no buttons now.
  const snap = snapshot ?? (committed.current && { ...committed.current, entities: false })
  return snap ? tailRows(snap, 0, OLDER_ROWS) : null
})

/**
 * Following the newest event: the last rows, drawn statically (no scroll position to chase while
 * events arrive ten times a second). Scrolling up, or any navigation key, leaves follow mode.
 */
function TailRows({
  store,
  current,
  log,
  indices,
  count,
  onLeave,
  entities,
  emptyText,
}: RowsProps & {
  readonly onLeave: () => void
  readonly entities: boolean
  /** Shown while there is no row (nothing yet, or nothing matches the filters). */
  readonly emptyText: string
}) {
  const snapshot: TailSnapshot = { store, current, log, indices, count, entities }
  // What the older half draws while playing (OlderTailRows): this half's last committed snapshot.
  const committed = useRef<TailSnapshot | null>(null)
  useLayoutEffect(() => {
    committed.current = snapshot
  })
  // Empty, the box shows why, and its blank rows stay laid out underneath (hidden): one tree for
  // both, so the first events fill those rows instead of creating a new list.
  const empty = count === 0
  return (
    <div
      className="event-log-scroll event-log-tail"
      role={empty ? undefined : 'list'}
      aria-label={empty ? undefined : 'Events (following the newest)'}
      tabIndex={empty ? undefined : 0}
      data-testid={empty ? undefined : 'eventLog.list'}
      onWheel={(e) => {
        if (e.deltaY < 0) onLeave()
      }}
      onKeyDown={(e) => {
        if (['ArrowUp', 'PageUp', 'Home'].includes(e.key)) onLeave()
      }}
    >
      {empty ? <p className="event-log-empty">{emptyText}</p> : null}
      <div className="event-log-tail-rows" aria-hidden={empty || undefined}>
        <GatePhase phase={PHASE.eventLogOlder}>
          <OlderTailRows
            committed={committed}
            // Paused (the rows have their buttons), it renders with this half: steps and the
            // cursor's highlight show in both at once. Playing, only in its own gate phase.
            snapshot={entities ? snapshot : null}
          />
        </GatePhase>
        {tailRows(snapshot, OLDER_ROWS, TAIL_ROWS)}
      </div>
    </div>
  )
}

/** Browsing: the whole log, virtualized, opened at its end. */
function VirtualRows({
  store,
  current,
  log,
  indices,
  count,
  focusOnMount,
  scrollTo,
}: RowsProps & { readonly focusOnMount: boolean; readonly scrollTo: number }) {
  const scrollRef = useRef<HTMLDivElement>(null)
  // The app does not use the React Compiler; this lint only says it would skip this component.
  // oxlint-disable-next-line react/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialOffset: Math.max(0, count * ROW_HEIGHT - VIEW_HEIGHT),
  })
  useEffect(() => {
    // Left follow mode from the keyboard or the wheel: keep the focus on the list.
    if (focusOnMount) scrollRef.current?.focus()
  }, [focusOnMount])
  useEffect(() => {
    // The cursor moved (stepping, scrubbing): bring its row into view.
    if (scrollTo >= 0) virtualizer.scrollToIndex(scrollTo, { align: 'auto' })
  }, [scrollTo, virtualizer])
  return (
    <div
      ref={scrollRef}
      className="event-log-scroll"
      role="list"
      aria-label="Events"
      tabIndex={0}
      data-testid="eventLog.list"
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const ev = eventAt(log, indices, item.index)
          if (!ev) return null
          const abs = log.dropped + (indices ? (indices[item.index] as number) : item.index)
          return (
            <div
              key={item.key}
              role="listitem"
              aria-setsize={count}
              aria-posinset={item.index + 1}
              className={`event-row${abs === current ? ' event-row-current' : ''}`}
              data-testid="eventLog.row"
              // `top`, not a transform: new transforms make Chromium re-layerize the page.
              style={{ top: item.start }}
              {...rowProps(store, abs, current)}
            >
              <Row ev={ev} store={store} />
            </div>
          )
        })}
      </div>
    </div>
  )
}

/**
 * The log's filters and follow switch. Memoized: while a run plays the log re-renders a few times a
 * second, and these controls (the kind list has an option per event kind) do not change with it.
 */
const LogControls = memo(function LogControls({
  store,
  filter,
  filters,
  follow,
  setFilters,
  onFollowChange,
}: {
  readonly store: AppStore
  readonly filter: string
  readonly filters: LogFilters
  readonly follow: boolean
  readonly setFilters: Dispatch<SetStateAction<LogFilters>>
  /** Follow mode switched from the checkbox (not by scrolling). */
  readonly onFollowChange: (leftByScrolling: boolean) => void
}) {
  const filterId = useId()
  const setFilter = (patch: Partial<LogFilters>) => setFilters((f) => ({ ...f, ...patch }))
  return (
    <>
      <label htmlFor={filterId}>Filter</label>
      <input
        id={filterId}
        type="search"
        value={filter}
        placeholder="kind or text"
        data-testid="eventLog.filter"
        onChange={(e) => store.getState().setLogFilter(e.target.value)}
      />
      <label>
        Host{' '}
        <select
          data-testid="eventLog.filter.host"
          value={filters.host}
          onChange={(e) => setFilter({ host: e.target.value as LogFilters['host'] })}
        >
          <option value="">both</option>
          <option value="0">A</option>
          <option value="1">B</option>
        </select>
      </label>
      <label>
        Kind{' '}
        <select
          data-testid="eventLog.filter.kind"
          value={filters.kind}
          onChange={(e) => setFilter({ kind: e.target.value })}
        >
          <option value="">all</option>
          {KIND_GROUPS.map((g) => (
            <option key={g} value={g}>
              {g}*
            </option>
          ))}
          {EVENT_KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      {(['page', 'module'] as const).map((f) => (
        <label key={f}>
          {f === 'page' ? 'Page' : 'Module'}{' '}
          <input
            className="event-log-num"
            inputMode="numeric"
            data-testid={`eventLog.filter.${f}`}
            value={filters[f]}
            placeholder="any"
            onChange={(e) => setFilter({ [f]: e.target.value.replace(/\D/g, '').slice(0, 9) })}
          />
        </label>
      ))}
      <label>
        <input
          type="checkbox"
          checked={follow}
          data-testid="eventLog.follow"
          onChange={(e) => {
            onFollowChange(false)
            store.getState().setFollowLog(e.target.checked)
          }}
        />{' '}
        Follow newest
      </label>
    </>
  )
})

/**
 * Every committed event, newest at the bottom. Re-renders at the store's sampling rate, never per
 * tick. While following it shows the newest rows; otherwise the whole log, virtualized.
 */
export function EventLog() {
  const store = useAppStoreApi()
  const log = store.eventLog
  useAppStoreSampled(selectEventVersion) // re-render when the (mutable) log changes
  const follow = useAppStore(selectFollowLog)
  const filter = useAppStore(selectLogFilter)
  const cursor = useAppStore((s) => s.cursor)
  const tick = useAppStoreSampled((s) => s.tick)
  const navPending = useAppStore((s) => s.navPending)
  // Through the UI gate, like the rows: the switch between playing and paused (the inspect
  // buttons, the hint) is drawn in the log's panel frame, not inside the Play or Pause click.
  const running = useAppStoreSampled(selectRunning)
  const [leftByScrolling, setLeftByScrolling] = useState(false)
  const [filters, setFilters] = useState<LogFilters>(NO_FILTERS)
  const structured = filters !== NO_FILTERS && Object.values(filters).some((v) => v !== '')

  const indices = filter || structured ? matching(log, filter, filters) : null
  const count = indices ? indices.length : log.length
  // The current event (absolute index); re-evaluated on every sample, cursor move or navigation.
  void navPending
  const current = currentEventIndex(store.getState(), tick)
  const rel = current - log.dropped
  let scrollTo = -1
  if (rel >= 0) {
    if (!indices) scrollTo = rel
    else {
      // The last shown row at or before the current event.
      let lo = 0
      let hi = indices.length
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if ((indices[mid] as number) <= rel) lo = mid + 1
        else hi = mid
      }
      scrollTo = lo - 1
    }
  }

  const emptyText = indices ? 'No event matches the filter.' : 'No events yet: press Play or Step.'
  useEffect(() => {
    // Navigating the timeline leaves follow mode: the log follows the cursor instead.
    if (cursor !== null && store.getState().followLog) store.getState().setFollowLog(false)
  }, [cursor, store])
  return (
    <section className="event-log" aria-label="Event log" data-testid="eventLog">
      <div className="event-log-head">
        <h2>Event log</h2>
        <span className="event-log-count" data-testid="eventLog.count">
          {indices ? `${fmt.format(count)} of ` : ''}
          {fmt.format(log.length)} events
          {log.dropped ? ` (${fmt.format(log.dropped)} older events dropped)` : ''}
        </span>
        <LogControls
          store={store}
          filter={filter}
          filters={filters}
          follow={follow}
          setFilters={setFilters}
          onFollowChange={setLeftByScrolling}
        />
      </div>
      <div className="event-log-columns" aria-hidden="true">
        <span>tick</span>
        <span>host</span>
        <span className="ev-kind-head">kind</span>
        <span>what happened{running && follow ? ' (pause to inspect its entities)' : ''}</span>
      </div>
      {count === 0 && !follow ? (
        <p className="event-log-empty">{emptyText}</p>
      ) : follow ? (
        <TailRows
          store={store}
          current={current}
          log={log}
          indices={indices}
          count={count}
          // While playing, the followed rows are replaced a few times a second: their inspect
          // buttons would be moving targets, and creating them was much of the log's frame (render
          // bench). They come back when the run pauses; a row is still a click to travel there.
          entities={!running}
          emptyText={emptyText}
          onLeave={() => {
            setLeftByScrolling(true)
            store.getState().setFollowLog(false)
          }}
        />
      ) : (
        <VirtualRows
          store={store}
          current={current}
          log={log}
          indices={indices}
          count={count}
          focusOnMount={leftByScrolling}
          scrollTo={scrollTo}
        />
      )}
    </section>
  )
}
