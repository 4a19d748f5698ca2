import { useId, useState, type ReactNode } from 'react'
import type { UserInput } from '../../sim/inputs'
import type { Scenario } from '../../sim/scenario'
import { selectPresets, selectReady } from '../../store/selectors'
import { useAppStore, useAppStoreApi } from '../app/storeContext'
import { useDiscardGuard } from '../components/DiscardGuard'
import { useMigration } from './store'
import { TraceLoader } from './TraceLoader'

type Seg = 'default' | 'heap' | 'pinned' | 'shared'

interface Draft {
  strategy: string
  prepaging: string
  eagerHotPages: number
  batchPages: number
  pages: number
  segments: Seg
  workload: string
  accessesPerTick: number
  writeFraction: number
  bandwidthMbps: number
  latencyUs: number
  pageSize: number
  arrivalPageSize: number
}

function draftOf(sc: Scenario | null): Draft {
  const m = sc?.migration
  const s = m?.segments ?? {}
  const seg: Seg =
    Object.keys(s).length === 0
      ? 'default'
      : (s.pinned ?? 0) > (m?.pages ?? 1) * 0.02
        ? 'pinned'
        : (s.shared ?? 0) > (m?.pages ?? 1) * 0.1
          ? 'shared'
          : 'heap'
  return {
    strategy: m?.strategy ?? 'postcopy',
    prepaging: m?.postcopy.prepaging ?? 'patent',
    eagerHotPages: m?.postcopy.eagerHotPages ?? 0,
    batchPages: m?.postcopy.background.batchPages ?? 16,
    pages: m?.pages ?? 4096,
    segments: seg,
    workload: m?.workload.kind === 'trace' ? 'hotcold' : (m?.workload.kind ?? 'hotcold'),
    accessesPerTick: m?.workload.accessesPerTick ?? 200,
    writeFraction: m?.workload.writeFraction ?? 0.2,
    bandwidthMbps: sc?.link.bandwidthMbps ?? 1000,
    latencyUs: sc?.link.latencyUs ?? 50,
    pageSize: m?.pageSize ?? 4096,
    arrivalPageSize: m?.arrivalPageSize ?? m?.pageSize ?? 4096,
  }
}

function segmentsFor(seg: Seg, pages: number): Record<string, number> | undefined {
  const f = (x: number) => Math.floor(pages * x)
  switch (seg) {
    case 'default':
      return undefined
    case 'heap':
      return { heap: pages }
    case 'pinned':
      return { text: f(0.08), data: f(0.08), shared: f(0.04), pinned: f(0.05), stack: f(0.08) }
    case 'shared':
      return { text: f(0.08), data: f(0.08), shared: f(0.2), pinned: f(0.01), stack: f(0.08) }
  }
}

/** The current scenario with the draft's parameters (the migrate command left to the button). */
export function applyDraft(sc: Scenario, d: Draft): unknown {
  const base = JSON.parse(JSON.stringify(sc)) as Record<string, unknown> & {
    migration?: Record<string, unknown>
    link?: Record<string, unknown>
  }
  const m = (base.migration ?? {}) as Record<string, unknown> & {
    workload?: Record<string, unknown>
    postcopy?: Record<string, unknown> & { background?: Record<string, unknown> }
  }
  m.strategy = d.strategy
  m.pages = d.pages
  const segs = segmentsFor(d.segments, d.pages)
  if (segs) m.segments = segs
  else delete m.segments
  m.pageSize = d.pageSize
  m.arrivalPageSize = Math.max(d.pageSize, d.arrivalPageSize)
  const wl = { ...m.workload }
  wl.kind = d.workload
  delete wl.trace
  wl.accessesPerTick = d.accessesPerTick
  wl.writeFraction = d.writeFraction
  m.workload = wl
  const pc = { ...m.postcopy }
  pc.prepaging = d.prepaging
  pc.eagerHotPages = d.eagerHotPages
  pc.background = { ...pc.background, batchPages: d.batchPages }
  m.postcopy = pc
  base.migration = m
  base.link = { ...base.link, bandwidthMbps: d.bandwidthMbps, latencyUs: d.latencyUs }
  return base
}

function Field({ label, children, id }: { label: string; children: ReactNode; id: string }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
    </div>
  )
}

/**
 * Migration controls: presets, strategy and its options, memory, workload, link, page sizes (applied
 * by reloading the scenario, after asking when a run would be lost), fault injection and the
 * Migrate button (inputs applied at the next tick).
 */
export function ControlsPanel() {
  const store = useAppStoreApi()
  const scenario = useAppStore((s) => s.scenario)
  const file = useAppStore((s) => s.scenarioFile)
  const presets = useAppStore(selectPresets)
  const ready = useAppStore(selectReady)
  const started = useMigration((d) => d.summaries?.[0].started ?? false)
  const crashed = useMigration((d) => d.summaries?.[0].process === 'crashed')
  const [draft, setDraft] = useState<Draft>(() => draftOf(scenario))
  const [outageUs, setOutageUs] = useState(20_000)
  const [loss, setLoss] = useState(0.05)
  const [error, setError] = useState<string | null>(null)
  const { guarded, dialog } = useDiscardGuard('migration.confirm')
  const ids = useId()
  const id = (k: string) => `${ids}-${k}`

  // A new scenario loaded: the form shows its parameters (state adjusted while rendering).
  const [draftFor, setDraftFor] = useState(scenario)
  if (draftFor !== scenario) {
    setDraftFor(scenario)
    setDraft(draftOf(scenario))
  }

  const send = (input: UserInput) => store.getState().world.input(input)
  const tickUs = scenario?.tickUs ?? 10
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }))

  const applyParams = () => {
    if (!scenario) return
    const text = JSON.stringify(applyDraft(scenario, draft))
    guarded('apply the new parameters', async () => {
      setError(null)
      const ok = await store
        .getState()
        .loadScenarioText(text, 'parameters', undefined, null, `${scenario.name} (edited)`)
      if (!ok) setError(store.getState().scenarioError)
    })
  }
  const num = (k: keyof Draft, v: string) => set(k, Number(v) as never)
  /** A labelled number input bound to one draft field (the label's `for` is the input's id). */
  const numberField = (
    label: string,
    key: string,
    field: keyof Draft,
    limits: { min?: number; max?: number; step?: number },
  ) => (
    <Field label={label} id={id(key)}>
      <input
        id={id(key)}
        type="number"
        {...limits}
        value={draft[field] as number | string}
        onChange={(e) => num(field, e.target.value)}
      />
    </Field>
  )

  const migPresets = (presets ?? []).filter((p) => !p.file.startsWith('streams-'))
  return (
    <section
      className="mig-panel controls"
      aria-label="Migration controls"
      data-testid="migration.controls"
    >
      <h2>Migration</h2>
      <div className="mig-actions">
        <button
          type="button"
          className="primary"
          data-testid="migration.migrate"
          disabled={!ready || started || !scenario?.migration}
          onClick={() => send({ type: 'migrate' })}
        >
          Migrate
        </button>
        <span className="muted" data-testid="migration.started">
          {started ? 'migration started' : 'the process runs on host A'}
        </span>
      </div>
      <fieldset>
        <legend>Fault injection</legend>
        <div className="field">
          <label htmlFor={id('outage')}>Link outage (µs)</label>
          <input
            id={id('outage')}
            type="number"
            min={tickUs}
            step={1000}
            value={outageUs}
            onChange={(e) => setOutageUs(Number(e.target.value))}
          />
          <button
            type="button"
            data-testid="migration.fault.linkDown"
            disabled={!ready}
            onClick={() =>
              send({
                type: 'fault.linkDown',
                durationTicks: Math.max(1, Math.round(outageUs / tickUs)),
              })
            }
          >
            Link down
          </button>
        </div>
        <div className="field">
          <label htmlFor={id('loss')}>Message loss rate</label>
          <input
            id={id('loss')}
            type="number"
            min={0}
            max={0.9}
            step={0.01}
            value={loss}
            onChange={(e) => setLoss(Number(e.target.value))}
          />
          <button
            type="button"
            data-testid="migration.fault.loss"
            disabled={!ready}
            onClick={() => send({ type: 'fault.loss', rate: Math.min(0.9, Math.max(0, loss)) })}
          >
            Set loss
          </button>
        </div>
        <button
          type="button"
          className="danger"
          data-testid="migration.fault.sourceCrash"
          disabled={!ready || crashed}
          onClick={() => send({ type: 'fault.sourceCrash' })}
        >
          Crash host A
        </button>
      </fieldset>
      <fieldset>
        <legend>Scenario</legend>
        <Field label="Preset" id={id('preset')}>
          <select
            id={id('preset')}
            data-testid="migration.preset"
            value={file ?? ''}
            onChange={(e) => {
              const f = e.target.value
              if (f) guarded(`load the preset ${f}`, () => store.getState().loadPreset(f))
            }}
          >
            <option value="">(current: {scenario?.name ?? 'none'})</option>
            {migPresets.map((p) => (
              <option key={p.file} value={p.file}>
                {p.title}
              </option>
            ))}
          </select>
        </Field>
      </fieldset>
      <TraceLoader confirm={guarded} />
      <fieldset>
        <legend>Parameters</legend>
        <Field label="Strategy" id={id('strategy')}>
          <select
            id={id('strategy')}
            data-testid="migration.strategy"
            value={draft.strategy}
            onChange={(e) => set('strategy', e.target.value)}
          >
            <option value="postcopy">post-copy (remote paging)</option>
            <option value="precopy">pre-copy</option>
            <option value="stopcopy">stop-and-copy</option>
            <option value="hybrid">hybrid</option>
          </select>
        </Field>
        <Field label="Pre-paging" id={id('prepaging')}>
          <select
            id={id('prepaging')}
            data-testid="migration.prepaging"
            value={draft.prepaging}
            onChange={(e) => set('prepaging', e.target.value)}
          >
            <option value="patent">patent: staged background touching</option>
            <option value="none">none (demand only)</option>
            <option value="push">push</option>
            <option value="bubbling">bubbling</option>
            <option value="criu">CRIU window</option>
          </select>
        </Field>
        {numberField('Eager hot pages', 'eager', 'eagerHotPages', { min: 0 })}
        {numberField('Background batch (pages)', 'batch', 'batchPages', { min: 1, max: 4096 })}
        <Field label="Memory (pages)" id={id('pages')}>
          <select
            id={id('pages')}
            data-testid="migration.pages"
            value={draft.pages}
            onChange={(e) => num('pages', e.target.value)}
          >
            {[1024, 4096, 16384, 65536].map((n) => (
              <option key={n} value={n}>
                {n.toLocaleString('en-US')}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Segment mix" id={id('segs')}>
          <select
            id={id('segs')}
            value={draft.segments}
            onChange={(e) => set('segments', e.target.value as Seg)}
          >
            <option value="default">default (text, data, heap, shared, pinned, stack)</option>
            <option value="heap">heap only</option>
            <option value="pinned">many pinned pages (5 %)</option>
            <option value="shared">large shared segment (20 %)</option>
          </select>
        </Field>
        <Field label="Workload" id={id('wl')}>
          <select
            id={id('wl')}
            value={draft.workload}
            onChange={(e) => set('workload', e.target.value)}
          >
            <option value="hotcold">hot/cold</option>
            <option value="uniform">uniform</option>
            <option value="sequential">sequential</option>
            <option value="stack">stack</option>
          </select>
        </Field>
        {numberField('Accesses per tick', 'apt', 'accessesPerTick', { min: 1, max: 100000 })}
        {numberField('Dirty rate (write share)', 'wf', 'writeFraction', {
          min: 0,
          max: 1,
          step: 0.05,
        })}
        {numberField('Bandwidth (Mbit/s)', 'bw', 'bandwidthMbps', { min: 1 })}
        {numberField('Latency (µs)', 'lat', 'latencyUs', { min: 0 })}
        <Field label="Page size, host A (B)" id={id('ps')}>
          <select
            id={id('ps')}
            value={draft.pageSize}
            onChange={(e) => num('pageSize', e.target.value)}
          >
            {[1024, 4096, 16384, 65536].map((n) => (
              <option key={n} value={n}>
                {n} B
              </option>
            ))}
          </select>
        </Field>
        <Field label="Page size, host B" id={id('aps')}>
          <select
            id={id('aps')}
            value={draft.arrivalPageSize}
            onChange={(e) => num('arrivalPageSize', e.target.value)}
          >
            {[1024, 4096, 16384, 65536].map((n) => (
              <option key={n} value={n}>
                {n} B
              </option>
            ))}
          </select>
        </Field>
        <button
          type="button"
          data-testid="migration.apply"
          disabled={!ready || !scenario}
          onClick={applyParams}
        >
          Apply parameters
        </button>
        {error ? (
          <p role="alert" className="error" data-testid="migration.applyError">
            {error}
          </p>
        ) : null}
      </fieldset>
      {dialog}
    </section>
  )
}
