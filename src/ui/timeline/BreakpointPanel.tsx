import { useId, useState } from 'react'
import { EVENT_KINDS } from '../../sim/events'
import {
  breakpointKey,
  BreakpointSchema,
  describeBreakpoint,
  type Breakpoint,
} from '../../store/breakpointSlice'
import { selectReady } from '../../store/selectors'
import { useAppStore, useAppStoreApi } from '../app/storeContext'

type BpType = Breakpoint['type']

const TYPES: readonly { value: BpType; label: string }[] = [
  { value: 'pageFault', label: 'Fault on page' },
  { value: 'eventKind', label: 'Event kind' },
  { value: 'moduleMessage', label: 'Message at module' },
  { value: 'phase', label: 'Phase change' },
]

/** Add / remove breakpoints, run until one is hit, and say why the run stopped. */
export function BreakpointPanel() {
  const store = useAppStoreApi()
  const breakpoints = useAppStore((s) => s.breakpoints)
  const stop = useAppStore((s) => s.stop)
  const ready = useAppStore(selectReady)
  const [type, setType] = useState<BpType>('pageFault')
  const [value, setValue] = useState('')
  const [kind, setKind] = useState<string>('page.faultNetwork')
  const [error, setError] = useState('')
  const valueId = useId()

  const add = () => {
    const raw =
      type === 'eventKind'
        ? { type, kind }
        : type === 'pageFault'
          ? { type, page: Number(value) }
          : type === 'moduleMessage'
            ? { type, module: Number(value) }
            : { type }
    const needsNumber = type === 'pageFault' || type === 'moduleMessage'
    const r = BreakpointSchema.safeParse(raw)
    if ((needsNumber && !/^\d{1,9}$/.test(value)) || !r.success) {
      setError(needsNumber ? 'Enter a whole number (0 or more).' : 'Invalid breakpoint.')
      return
    }
    setError('')
    store.getState().addBreakpoint(r.data)
  }

  return (
    <section className="breakpoints" aria-label="Breakpoints" data-testid="breakpoints">
      <h2>Breakpoints</h2>
      <div className="bp-form">
        <select
          aria-label="Breakpoint type"
          data-testid="bp.type"
          value={type}
          onChange={(e) => setType(e.target.value as BpType)}
        >
          {TYPES.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
        </select>
        {type === 'eventKind' ? (
          <select
            aria-label="Event kind"
            data-testid="bp.kind"
            value={kind}
            onChange={(e) => setKind(e.target.value)}
          >
            {EVENT_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        ) : type === 'phase' ? null : (
          <>
            <label htmlFor={valueId} className="visually-hidden">
              {type === 'pageFault' ? 'Page number' : 'Module (component index)'}
            </label>
            <input
              id={valueId}
              data-testid="bp.value"
              inputMode="numeric"
              size={7}
              placeholder={type === 'pageFault' ? 'page' : 'module'}
              value={value}
              onChange={(e) => setValue(e.target.value.slice(0, 12))}
              onKeyDown={(e) => {
                if (e.key === 'Enter') add()
              }}
            />
          </>
        )}
        <button type="button" data-testid="bp.add" onClick={add}>
          Add
        </button>
        <button
          type="button"
          data-testid="bp.run"
          disabled={!ready}
          aria-keyshortcuts="B"
          title="Run until a breakpoint is hit (B)"
          onClick={() =>
            void store
              .getState()
              .runUntil()
              .catch(() => undefined)
          }
        >
          Run until breakpoint
        </button>
      </div>
      {error ? (
        <p className="bp-error" role="alert" data-testid="bp.error">
          {error}
        </p>
      ) : null}
      <ul className="bp-list">
        {breakpoints.map((bp) => (
          <li key={breakpointKey(bp)} data-testid="bp.item">
            {describeBreakpoint(bp)}{' '}
            <button
              type="button"
              data-testid="bp.remove"
              aria-label={`Remove breakpoint ${describeBreakpoint(bp)}`}
              onClick={() => store.getState().removeBreakpoint(bp)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <p
        className={`stop-reason${stop?.reason === 'breakpoint' ? ' stop-hit' : ''}`}
        role="status"
        data-testid="timeline.stopReason"
        data-reason={stop?.reason ?? ''}
        data-event-index={stop?.eventIndex ?? ''}
      >
        {stop ? stop.text : ''}
      </p>
    </section>
  )
}
