import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useId, useRef, useState } from 'react'
import { describeEvent, eventSpec, HOST_NAMES, type SimEvent } from '../../sim/events'
import { isInferred } from '../../sim/spec'
import type { EventLog as EventLogStore } from '../../store'
import { selectEventVersion, selectFollowLog, selectLogFilter } from '../../store/selectors'
import { useAppStore, useAppStoreApi } from '../app/storeContext'

const ROW_HEIGHT = 26
const fmt = new Intl.NumberFormat('en-US')

/** Indices of the events whose kind or text contains `filter` (case-insensitive). */
function matching(log: EventLogStore, filter: string): number[] {
  const f = filter.toLowerCase()
  const out: number[] = []
  for (let i = 0; i < log.length; i++) {
    const ev = log.at(i)
    if (ev && (ev.kind.includes(f) || describeEvent(ev).toLowerCase().includes(f))) out.push(i)
  }
  return out
}

function Row({ ev }: { ev: SimEvent }) {
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
        {describeEvent(ev)}
        {inferred ? (
          <span
            className="badge badge-inferred"
            title="Inferred: not stated in the patent text that was read"
          >
            inferred
          </span>
        ) : null}
      </span>
    </>
  )
}

const VIEW_HEIGHT = 260
const TAIL_ROWS = Math.floor(VIEW_HEIGHT / ROW_HEIGHT)

interface RowsProps {
  readonly log: EventLogStore
  /** Log indices to show (filtered), or null for the whole log. */
  readonly indices: readonly number[] | null
  readonly count: number
}

function eventAt(log: EventLogStore, indices: readonly number[] | null, i: number) {
  return log.at(indices ? (indices[i] as number) : i)
}

/**
 * Following the newest event: the last rows, drawn statically (no scroll position to chase while
 * events arrive ten times a second). Scrolling up, or any navigation key, leaves follow mode.
 */
function TailRows({ log, indices, count, onLeave }: RowsProps & { readonly onLeave: () => void }) {
  const first = Math.max(0, count - TAIL_ROWS)
  const rows = []
  for (let i = first; i < count; i++) {
    const ev = eventAt(log, indices, i)
    if (!ev) continue
    rows.push(
      <div
        key={`${ev.host}-${ev.seq}-${ev.tick}`}
        role="listitem"
        aria-setsize={count}
        aria-posinset={i + 1}
        className="event-row event-row-static"
        data-testid="eventLog.row"
        style={{ height: ROW_HEIGHT }}
      >
        <Row ev={ev} />
      </div>,
    )
  }
  return (
    <div
      className="event-log-scroll event-log-tail"
      role="list"
      aria-label="Events (following the newest)"
      tabIndex={0}
      data-testid="eventLog.list"
      onWheel={(e) => {
        if (e.deltaY < 0) onLeave()
      }}
      onKeyDown={(e) => {
        if (['ArrowUp', 'PageUp', 'Home'].includes(e.key)) onLeave()
      }}
    >
      {rows}
    </div>
  )
}

/** Browsing: the whole log, virtualized, opened at its end. */
function VirtualRows({
  log,
  indices,
  count,
  focusOnMount,
}: RowsProps & { readonly focusOnMount: boolean }) {
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
          return (
            <div
              key={item.key}
              role="listitem"
              aria-setsize={count}
              aria-posinset={item.index + 1}
              className="event-row"
              data-testid="eventLog.row"
              style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
            >
              <Row ev={ev} />
            </div>
          )
        })}
      </div>
    </div>
  )
}

/**
 * Every committed event, newest at the bottom. Re-renders at the store's sampling rate, never per
 * tick. While following it shows the newest rows; otherwise the whole log, virtualized.
 */
export function EventLog() {
  const store = useAppStoreApi()
  const log = store.eventLog
  useAppStore(selectEventVersion) // re-render when the (mutable) log changes
  const follow = useAppStore(selectFollowLog)
  const filter = useAppStore(selectLogFilter)
  const filterId = useId()
  const [leftByScrolling, setLeftByScrolling] = useState(false)

  const indices = filter ? matching(log, filter) : null
  const count = indices ? indices.length : log.length

  return (
    <section className="event-log" aria-label="Event log" data-testid="eventLog">
      <div className="event-log-head">
        <h2>Event log</h2>
        <span className="event-log-count" data-testid="eventLog.count">
          {indices ? `${fmt.format(count)} of ` : ''}
          {fmt.format(log.length)} events
          {log.dropped ? ` (${fmt.format(log.dropped)} older events dropped)` : ''}
        </span>
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
          <input
            type="checkbox"
            checked={follow}
            data-testid="eventLog.follow"
            onChange={(e) => {
              setLeftByScrolling(false)
              store.getState().setFollowLog(e.target.checked)
            }}
          />{' '}
          Follow newest
        </label>
      </div>
      <div className="event-log-columns" aria-hidden="true">
        <span>tick</span>
        <span>host</span>
        <span>kind</span>
        <span>what happened</span>
      </div>
      {count === 0 ? (
        <p className="event-log-empty">
          {filter ? 'No event matches the filter.' : 'No events yet: press Play or Step.'}
        </p>
      ) : follow ? (
        <TailRows
          log={log}
          indices={indices}
          count={count}
          onLeave={() => {
            setLeftByScrolling(true)
            store.getState().setFollowLog(false)
          }}
        />
      ) : (
        <VirtualRows log={log} indices={indices} count={count} focusOnMount={leftByScrolling} />
      )}
    </section>
  )
}
