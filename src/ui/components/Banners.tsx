import { useShallow } from 'zustand/shallow'
import { selectNotices, selectRuntimeError } from '../../store/selectors'
import { useAppStore, useAppStoreApi } from '../app/storeContext'
import { useRenderClient, useRenderState } from '../viz/render/RenderContext'

function IsolationBanner() {
  const { isolated, sharedMemory, kind } = useAppStore(
    useShallow((s) => ({ isolated: s.isolated, sharedMemory: s.sharedMemory, kind: s.kind })),
  )
  if (isolated && sharedMemory) return null
  const why = !isolated
    ? 'This page is not cross-origin isolated, so the browser withholds SharedArrayBuffer.'
    : 'This browser does not provide SharedArrayBuffer.'
  return (
    <div className="banner banner-warning" role="status" data-testid="banner.isolation">
      <strong>Shared memory unavailable.</strong> {why}{' '}
      {kind === 'in-process'
        ? 'Both hosts run in-process on the main thread instead of in two workers: the simulation is the same, but the page may stutter at high speeds.'
        : null}{' '}
      Isolation needs the response headers <code>Cross-Origin-Opener-Policy: same-origin</code> and{' '}
      <code>Cross-Origin-Embedder-Policy: require-corp</code>. On static hosts without them, the
      bundled service worker adds them and reloads the page once; if this message stays, service
      workers are blocked here or the page is not served over https (or localhost).
    </div>
  )
}

function WorkerErrorBanner() {
  const store = useAppStoreApi()
  const error = useAppStore(selectRuntimeError)
  if (!error) return null
  const where =
    error.host === 'runtime'
      ? 'The simulation runtime'
      : `Host ${error.host} (${error.host === 'A' ? 'departure' : 'arrival'})`
  return (
    <div className="banner banner-error" role="alert" data-testid="banner.workerError">
      <span>
        <strong>{where} failed:</strong> {error.message}
      </span>
      <button type="button" onClick={() => void store.getState().restart()}>
        Restart
      </button>
    </div>
  )
}

/** The page-map render worker stopped drawing: the maps freeze, the simulation runs on. */
function RenderErrorBanner() {
  const client = useRenderClient()
  const status = useRenderState((s) => s.status)
  if (status.state !== 'error') return null
  return (
    <div className="banner banner-error" role="alert" data-testid="banner.renderError">
      <span>
        <strong>The page-map renderer failed:</strong> {status.message}. The page maps, their
        flashes and per-state counts stop updating; the simulation itself is not affected.
      </span>
      <button type="button" onClick={() => client.restart()}>
        Restart the page maps
      </button>
    </div>
  )
}

function ScenarioBanners() {
  const store = useAppStoreApi()
  const { error, presetsError } = useAppStore(
    useShallow((s) => ({ error: s.scenarioError, presetsError: s.presetsError })),
  )
  return (
    <>
      {presetsError ? (
        <div className="banner banner-error" role="alert" data-testid="banner.presets">
          <span>
            <strong>Scenario presets unavailable:</strong> {presetsError}
          </span>
        </div>
      ) : null}
      {error ? (
        <div className="banner banner-error" role="alert" data-testid="banner.scenario">
          <pre>{error}</pre>
          <button type="button" onClick={() => store.getState().clearScenarioError()}>
            Dismiss
          </button>
        </div>
      ) : null}
    </>
  )
}

function Notices() {
  const store = useAppStoreApi()
  const notices = useAppStore(selectNotices)
  return notices.map((n) => (
    <div
      key={n.id}
      className={`banner banner-${n.level}`}
      role={n.level === 'error' ? 'alert' : 'status'}
      data-testid={`banner.${n.source}`}
    >
      <span>{n.text}</span>
      <button
        type="button"
        aria-label={`Dismiss: ${n.text}`}
        onClick={() => store.getState().dismissNotice(n.id)}
      >
        Dismiss
      </button>
    </div>
  ))
}

export function Banners() {
  return (
    <div className="banners">
      <IsolationBanner />
      <WorkerErrorBanner />
      <RenderErrorBanner />
      <ScenarioBanners />
      <Notices />
    </div>
  )
}
