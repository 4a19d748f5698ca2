import { useRef, useState } from 'react'
import { registerTrace, traceFor } from '../../runtime/trace'
import type { Scenario } from '../../sim/scenario'
import { useAppStore, useAppStoreApi } from '../app/storeContext'
import type { FromParser, ToParser } from './traceParseTypes'

type Status =
  | { readonly state: 'idle' }
  | {
      readonly state: 'parsing'
      readonly name: string
      readonly fraction: number
      readonly accesses: number
    }
  | { readonly state: 'loaded'; readonly name: string; readonly accesses: number }
  | { readonly state: 'error'; readonly message: string }
  | { readonly state: 'cancelled' }

let loads = 0

/** The scenario that replays `key`: the current one's memory and strategy, a trace workload. */
export function traceScenario(sc: Scenario | null, key: string, file: string): unknown {
  const base = (sc?.migration ? JSON.parse(JSON.stringify(sc)) : {}) as Record<string, unknown> & {
    migration?: Record<string, unknown> & { workload?: Record<string, unknown> }
  }
  const m = base.migration ?? {}
  m.workload = { ...m.workload, kind: 'trace', trace: key, accessesPerTick: 100 }
  if (m.migrateAtTick === undefined) m.migrateAtTick = 300
  delete m.segments
  base.migration = m
  base.name = `Lackey trace ${file}`
  base.durationTicks = Math.max(Number(base.durationTicks ?? 0), 100_000)
  delete base.streams
  return base
}

/**
 * Load a Valgrind Lackey trace (file picker or drag and drop, plain or .gz): parsed in a worker with
 * a progress bar and a cancel button, then replayed by the workload (a new run).
 */
export function TraceLoader({
  confirm,
}: {
  readonly confirm: (what: string, run: () => Promise<unknown>) => void
}) {
  const store = useAppStoreApi()
  const scenario = useAppStore((s) => s.scenario)
  const [status, setStatus] = useState<Status>({ state: 'idle' })
  const [over, setOver] = useState(false)
  const worker = useRef<Worker | null>(null)
  const inputRef = useRef<HTMLInputElement>(null)

  const cancel = () => {
    worker.current?.terminate()
    worker.current = null
    setStatus({ state: 'cancelled' })
  }

  const start = (file: File) => {
    worker.current?.terminate()
    const w = new Worker(new URL('./traceParse.worker.ts', import.meta.url), {
      type: 'module',
      name: 'trace-parser',
    })
    worker.current = w
    const key = `${file.name} (browser #${++loads})`
    const pageSize = scenario?.migration?.pageSize ?? 4096
    setStatus({ state: 'parsing', name: file.name, fraction: 0, accesses: 0 })
    w.onmessage = (e: MessageEvent<FromParser>) => {
      const m = e.data
      if (m.type === 'progress') {
        setStatus({
          state: 'parsing',
          name: file.name,
          fraction: m.total ? m.bytes / m.total : 0,
          accesses: m.accesses,
        })
        return
      }
      w.terminate()
      worker.current = null
      if (m.type === 'error') {
        setStatus({ state: 'error', message: m.message })
        return
      }
      registerTrace(m.trace, key)
      const text = JSON.stringify(traceScenario(store.getState().scenario, key, file.name))
      setStatus({ state: 'loaded', name: file.name, accesses: m.trace.n })
      confirm(`replay the trace ${file.name}`, async () => {
        const ok = await store
          .getState()
          .loadScenarioText(text, file.name, undefined, null, `Lackey trace ${file.name}`)
        if (!ok)
          setStatus({
            state: 'error',
            message: store.getState().scenarioError ?? 'could not start the trace',
          })
      })
    }
    w.onerror = (e) => {
      w.terminate()
      worker.current = null
      setStatus({ state: 'error', message: e.message || 'the trace parser failed' })
    }
    const msg: ToParser = { file, pageSize, name: file.name }
    w.postMessage(msg)
  }

  const fmt = new Intl.NumberFormat('en-US')
  // A trace preset names a file the browser cannot read by itself: ask for it.
  const missing =
    scenario?.migration?.workload.kind === 'trace' && scenario && !traceFor(scenario)
      ? (scenario.migration.workload.trace ?? 'a trace file')
      : null
  return (
    <fieldset
      className={`trace-loader${over ? ' drag-over' : ''}`}
      data-testid="trace.drop"
      onDragOver={(e) => {
        e.preventDefault()
        setOver(true)
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault()
        setOver(false)
        const f = e.dataTransfer.files[0]
        if (f) start(f)
      }}
    >
      <legend>Real trace (Valgrind Lackey)</legend>
      <label className="file-button">
        Open a trace…
        <input
          ref={inputRef}
          type="file"
          accept=".lackey,.gz,.txt,.out,text/plain,application/gzip"
          className="visually-hidden"
          data-testid="trace.file"
          aria-label="Open a Valgrind Lackey trace (plain or .gz)"
          onChange={(e) => {
            const f = e.target.files?.[0]
            if (f) start(f)
            e.target.value = ''
          }}
        />
      </label>
      <span className="muted"> or drop it here</span>
      {missing ? (
        <p role="alert" className="error" data-testid="trace.missing">
          This scenario replays {missing.split('/').pop()}: open that trace file here to run it (the
          process waits for its first accesses until then).
        </p>
      ) : null}
      <div data-testid="trace.status" data-state={status.state} aria-live="polite">
        {status.state === 'parsing' ? (
          <>
            <progress
              max={1}
              value={status.fraction}
              aria-label={`Parsing ${status.name}`}
              data-testid="trace.progress"
            />{' '}
            {fmt.format(status.accesses)} accesses{' '}
            <button type="button" data-testid="trace.cancel" onClick={cancel}>
              Cancel
            </button>
          </>
        ) : status.state === 'loaded' ? (
          <span>
            {status.name}: {fmt.format(status.accesses)} accesses parsed
          </span>
        ) : status.state === 'error' ? (
          <span role="alert" className="error" data-testid="trace.error">
            Could not read the trace: {status.message}
          </span>
        ) : status.state === 'cancelled' ? (
          <span>Parsing cancelled.</span>
        ) : null}
      </div>
    </fieldset>
  )
}
