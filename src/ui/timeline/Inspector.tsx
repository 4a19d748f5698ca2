import { useEffect, useState } from 'react'
import {
  describeEvent,
  eventFieldAt,
  eventHostAt,
  eventKindAt,
  HOST_NAMES,
  type EventSeq,
  type SimEvent,
} from '../../sim/events'
import { describePageState } from '../../sim/pageState'
import { MESSAGE_KINDS } from '../../sim/messages'
import {
  describeSelection,
  formatSelection,
  historyOf,
  type Selection,
} from '../../store/selectionSlice'
import { selectEventVersion } from '../../store/selectors'
import { currentEventIndex } from '../../store/timelineSlice'
import type { AppStore } from '../../store'
import { useAppStore, useAppStoreApi, useAppStoreSampled } from '../app/storeContext'
import { tracked } from './inspectTracker'

const SHOWN = 300

type Details = readonly (readonly [string, string])[]

/** The first event whose index passes `test` (tests read the log's columns: no event made). */
function findEvent(events: EventSeq, test: (i: number) => boolean): SimEvent | undefined {
  for (let i = 0; i < events.length; i++) if (test(i)) return events.at(i)
  return undefined
}

/** Details known on the main thread (page states, message headers) at the current tick. */
function syncDetails(store: AppStore, sel: Selection): Details {
  const s = store.getState()
  const events = s.world.events()
  const rows: [string, string][] = []
  if (sel.type === 'page' || sel.type === 'row') {
    const frame = s.world.frame()
    for (const h of [0, 1] as const) {
      const b = frame.hosts[h].pageState[sel.page]
      rows.push([
        `State on host ${HOST_NAMES[h]}`,
        b === undefined ? 'no such page' : describePageState(b),
      ])
    }
    if (sel.type === 'row') {
      const table = findEvent(events, (i) => eventKindAt(events, i) === 'mig.indexTable')
      rows.push(['Index table', table ? describeEvent(table) : 'not built yet'])
    }
  } else if (sel.type === 'message' && sel.lane === 'net') {
    const sent = findEvent(
      events,
      (i) =>
        eventKindAt(events, i) === 'net.sent' &&
        eventHostAt(events, i) === sel.host &&
        eventFieldAt(events, i, 'msgSeq') === sel.msgSeq,
    ) as (SimEvent & Record<string, number>) | undefined
    if (sent) {
      rows.push(['Kind', MESSAGE_KINDS[sent.msgKind as number] ?? String(sent.msgKind)])
      rows.push(['Wire bytes', String(sent.wireBytes)])
      rows.push(['Sent at tick', String(sent.sentAt)])
      rows.push(['Arrives at tick', String(sent.deliverAt)])
    } else rows.push(['Status', 'not sent yet at the frontier'])
  }
  return rows
}

/** Details a host must be asked for (a STREAMS component's state), per selection and tick. */
function useHostDetails(sel: Selection | null, tick: number): { key: string; rows: Details } {
  const store = useAppStoreApi()
  const [state, setState] = useState<{ key: string; rows: Details }>({ key: '', rows: [] })
  const key =
    sel && (sel.type === 'module' || sel.type === 'block') ? `${formatSelection(sel)}@${tick}` : ''
  useEffect(() => {
    if (!sel || (sel.type !== 'module' && sel.type !== 'block')) return
    let live = true
    const host = sel.type === 'module' ? sel.host : 0
    const k = `${formatSelection(sel)}@${tick}`
    void tracked(store.getState().world.inspect(host, { kind: 'streams.view' }))
      .then((r) => {
        if (!live) return
        const view = r.result as { components?: readonly Record<string, unknown>[] } | null
        const comp = view?.components?.[sel.comp]
        const rows: [string, string][] = []
        if (comp) {
          for (const [f, v] of Object.entries(comp)) {
            if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
              rows.push([f, String(v)])
          }
        } else rows.push(['Stream', `no component ${sel.comp} on host ${HOST_NAMES[host]} now`])
        setState({ key: k, rows: rows.slice(0, 16) })
      })
      .catch((e: unknown) => {
        if (live) setState({ key: k, rows: [['Inspection failed', (e as Error).message]] })
      })
    return () => {
      live = false
    }
  }, [sel, tick, store])
  return { key, rows: state.key === key ? state.rows : [] }
}

/**
 * The inspector: the selected entity's details now and its history over the run (every event that
 * mentions it); clicking a history row travels there.
 */
export function Inspector() {
  const store = useAppStoreApi()
  const sel = useAppStore((s) => s.selection)
  const tick = useAppStoreSampled((s) => s.tick)
  useAppStoreSampled(selectEventVersion)
  useAppStore((s) => s.navPending)
  const host = useHostDetails(sel, tick)
  const details = sel ? [...syncDetails(store, sel), ...host.rows] : []
  const events = store.getState().world.events()
  const history = sel ? historyOf(sel, events) : []
  const current = currentEventIndex(store.getState(), tick)

  return (
    <section className="inspector" aria-label="Inspector" data-testid="inspector">
      <div className="inspector-head">
        <h2 data-testid="inspector.title">{sel ? describeSelection(sel) : 'Inspector'}</h2>
        {sel ? (
          <button
            type="button"
            data-testid="inspector.clear"
            onClick={() => store.getState().select(null)}
          >
            Clear
          </button>
        ) : null}
      </div>
      {!sel ? (
        <p className="inspector-empty">
          Select a page (click a page map cell), or a page, module, message or block named in an
          event-log row.
        </p>
      ) : (
        <>
          <dl className="inspector-details" data-testid="inspector.details">
            {details.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
          <h3>
            History: <span data-testid="inspector.historyCount">{history.length}</span> events
          </h3>
          <ol className="inspector-history">
            {history.slice(0, SHOWN).map((i) => {
              const ev = events.at(i) as SimEvent
              return (
                <li key={i}>
                  <button
                    type="button"
                    data-testid="inspector.history.row"
                    data-index={i}
                    aria-current={i === current ? 'true' : undefined}
                    className={i === current ? 'current' : undefined}
                    onClick={() => void store.getState().stepToEvent(i)}
                  >
                    <span className="ev-tick">t{ev.tick}</span> {HOST_NAMES[ev.host]} {ev.kind}:{' '}
                    {describeEvent(ev)}
                  </button>
                </li>
              )
            })}
          </ol>
          {history.length > SHOWN ? <p>… and {history.length - SHOWN} more</p> : null}
        </>
      )}
    </section>
  )
}
