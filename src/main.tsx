/**
 * Entry point. Everything stateful is created here ONCE, outside React: the world (two host workers,
 * or the in-process fallback), the store, the page-map render worker and the frame-loop sampler.
 * StrictMode's double effects therefore cannot start the workers twice.
 */
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createWorld } from './runtime/createWorld'
import { createAppStore, type AppStore } from './store'
import { App } from './ui/app/App'
import './ui/app/app.css'
import { ErrorBoundary } from './ui/app/ErrorBoundary'
import { installTestApi } from './ui/app/installTestApi'
import { StoreProvider } from './ui/app/storeContext'
import { parseUrlParams, type UrlParams } from './ui/app/urlParams'
import { keepFramesWhile, onFrame, onInterval, wakeFrames } from './ui/viz/frameLoop'
import { RenderProvider } from './ui/viz/render/RenderContext'
import { RenderClient, spawnRenderWorker } from './ui/viz/render/renderClient'

/** How often low-frequency state (tick, event count) is copied into the store. */
const SAMPLE_MS = 100

async function fetchText(url: string) {
  const r = await fetch(url, { cache: 'no-cache' })
  return { ok: r.ok, status: r.status, text: r.ok ? await r.text() : '' }
}

async function boot(store: AppStore, params: UrlParams): Promise<void> {
  try {
    await store.getState().world.ready()
  } catch {
    return // the runtime slice already shows the failure with a Restart button
  }
  const s = store.getState()
  await s.loadPresetIndex()
  const seed = params.seed ?? undefined
  if (params.scenario) {
    const presets = store.getState().presets ?? []
    if (presets.some((p) => p.file === params.scenario)) {
      if (await s.loadPreset(params.scenario, seed)) return
    } else {
      const known = presets.map((p) => `'${p.file.replace(/\.json$/, '')}'`).join(', ')
      s.notify(
        'warning',
        'url',
        `URL parameter 'scenario': no preset '${params.scenario.replace(/\.json$/, '')}' in scenarios/index.json (known: ${known || 'none'}); the built-in default runs instead.`,
      )
    }
  }
  await s.loadDefault(seed)
}

function start(): void {
  const rootEl = document.getElementById('root')
  if (!rootEl) throw new Error('index.html has no #root element')
  const params = parseUrlParams(location.search)
  const store = createAppStore({
    createWorld: () => createWorld(false, params.warmUp),
    isolated: globalThis.crossOriginIsolated === true,
    sharedMemory: typeof SharedArrayBuffer === 'function',
    fetchText,
    baseUrl: import.meta.env.BASE_URL,
    ...(params.speed !== null ? { initialSpeed: params.speed } : {}),
  })
  for (const text of params.notices) store.getState().notify('warning', 'url', text)

  // Anything that escapes a handler is shown, not just logged.
  window.addEventListener('error', (e) =>
    store.getState().notify('error', 'app', `Unexpected error: ${e.message}`),
  )
  window.addEventListener('unhandledrejection', (e) => {
    const reason: unknown = e.reason
    const message = reason instanceof Error ? reason.message : String(reason)
    store.getState().notify('error', 'app', `Unexpected error: ${message}`)
  })

  // The page maps and their fault flashes are drawn by one render worker that follows the store's
  // world; a failure to start it is shown like any other (Banners), never thrown.
  const render = new RenderClient(spawnRenderWorker, store)

  if (params.test) installTestApi(store, render)
  // The host workers give way while the page draws a frame (the first frame callback) or handles
  // an input (capture phase, before any handler): World.pageBusy.
  const pageBusy = () => store.getState().world.pageBusy()
  onFrame(pageBusy)
  for (const type of ['pointerdown', 'click', 'keydown', 'input', 'change', 'wheel'])
    window.addEventListener(type, pageBusy, { capture: true, passive: true })
  // The frame loop idles while paused (frameLoop.ts): it runs every frame while a run plays, and
  // for a second after any input or change of the app's state.
  keepFramesWhile(() => store.getState().running)
  store.subscribe(wakeFrames)
  for (const type of [
    'pointermove',
    'pointerdown',
    'keydown',
    'wheel',
    'input',
    'focusin',
    'resize',
  ])
    window.addEventListener(type, wakeFrames, { capture: true, passive: true })
  document.addEventListener('visibilitychange', wakeFrames)
  onInterval(SAMPLE_MS, () => store.getState().sample())

  createRoot(rootEl).render(
    <StrictMode>
      <ErrorBoundary>
        <StoreProvider store={store}>
          <RenderProvider client={render}>
            <App />
          </RenderProvider>
        </StoreProvider>
      </ErrorBoundary>
    </StrictMode>,
  )
  void boot(store, params)
}

start()
