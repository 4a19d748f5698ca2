import { memo, useCallback, useId, useState, useSyncExternalStore } from 'react'
import { createStore } from 'zustand/vanilla'
import type { HostId } from '../../sim/events'
import { PageMapCanvas, pageAtPoint } from '../viz/PageMapCanvas'
import { PageMapViewport } from '../viz/PageMapViewport'
import { PAGE_CATEGORIES } from '../viz/palette'
import { useAppStoreApi, useGateSubscribe } from '../app/storeContext'
import { uiGateOf } from '../app/uiGate'
import { useMigration } from '../migration/store'

const fmt = new Intl.NumberFormat('en-US')

export interface HostPanelProps {
  readonly host: HostId
}

const HOSTS = [
  { name: 'Host A', role: 'departure', testId: 'hostA' },
  { name: 'Host B', role: 'arrival', testId: 'hostB' },
] as const

function sameCounts(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i])
}

/** Process and partition state of this host, from the inspected migration summary. */
const HostState = memo(function HostState({
  host,
  testId,
}: {
  readonly host: HostId
  readonly testId: string
}) {
  const s = useMigration((d) => d.summaries?.[host] ?? null)
  if (!s?.enabled) return null
  const blocked = s.blockedPage >= 0 ? ` (waiting for page ${s.blockedPage})` : ''
  return (
    <dl className="host-state" aria-live="polite">
      <dt>Process</dt>
      <dd data-testid={`${testId}.process`} data-state={s.process}>
        {s.process}
        {blocked}
      </dd>
      <dt>Partition</dt>
      <dd data-testid={`${testId}.partition`} data-state={s.partition}>
        {s.partition}
      </dd>
      {host === 1 ? (
        <>
          <dt>Still remote</dt>
          <dd data-testid={`${testId}.remote`}>{fmt.format(s.remotePages)} pages</dd>
        </>
      ) : null}
    </dl>
  )
})

/**
 * The host's page map (canvas, drawn by the render worker) in its zoom and pan viewport. Memoized:
 * the panel re-renders when the legend's counts change, and the map has nothing new to render then.
 */
const HostMap = memo(function HostMap({
  host,
  legendId,
  onCounts,
}: {
  readonly host: HostId
  readonly legendId: string
  readonly onCounts: (counts: readonly number[]) => void
}) {
  const meta = HOSTS[host]
  const store = useAppStoreApi()
  return (
    <PageMapViewport host={host} testId={`${meta.testId}.pageMap`} hostName={meta.name}>
      {/* Clicking a cell selects that page in the inspector (the canvas publishes its grid). */}
      {/* oxlint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/no-static-element-interactions */}
      <div
        className="page-map-click"
        onClick={(e) => {
          const canvas = e.target
          if (!(canvas instanceof HTMLCanvasElement)) return
          const page = pageAtPoint(canvas, e.clientX, e.clientY)
          if (page >= 0) store.getState().select({ type: 'page', host, page })
        }}
      >
        <PageMapCanvas
          host={host}
          testId={`${meta.testId}.pageMap`}
          label={`${meta.name} page map: one cell per page, coloured by state`}
          describedBy={legendId}
          onCounts={onCounts}
        />
      </div>
    </PageMapViewport>
  )
})

/**
 * One host: its process and partition state, its page map (canvas, every frame; zoom, pan, hover
 * details, fault flashes) and a legend whose per-state counts (updated twice a second) are also the
 * map's text alternative for screen readers.
 */
export function HostPanel({ host }: HostPanelProps) {
  const meta = HOSTS[host]
  const store = useAppStoreApi()
  const legendId = useId()
  // The render worker counts about twice a second and reports changes; the legend shows them
  // through the UI gate (in this panel's phase while playing, at once while paused).
  const [countsStore] = useState(() => createStore<readonly number[]>(() => []))
  uiGateOf(store).watch(countsStore)
  const counts = useSyncExternalStore(useGateSubscribe(), countsStore.getState)
  const onCounts = useCallback(
    (next: readonly number[]) => {
      if (!sameCounts(countsStore.getState(), next)) countsStore.setState(next, true)
    },
    [countsStore],
  )
  const total = counts.reduce((a, b) => a + b, 0)
  const title = `${meta.name} (${meta.role})`

  return (
    <section className="host-panel" aria-label={title} data-testid={`${meta.testId}.panel`}>
      <h2>{title}</h2>
      <HostState host={host} testId={meta.testId} />
      <HostMap host={host} legendId={legendId} onCounts={onCounts} />
      <div id={legendId} className="legend" data-testid={`${meta.testId}.legend`}>
        <p className="legend-total">
          {meta.name}: {fmt.format(total)} pages
        </p>
        <ul>
          {PAGE_CATEGORIES.map((c, i) => (
            <li
              key={c.key}
              data-testid={`${meta.testId}.legend.${c.key}`}
              data-color={c.color}
              title={c.description}
            >
              <span className="swatch" style={{ background: c.color }} aria-hidden="true" />
              <span className="legend-label">{c.label}</span>
              <span className="legend-count">{fmt.format(counts[i] ?? 0)}</span>
            </li>
          ))}
        </ul>
      </div>
    </section>
  )
}
