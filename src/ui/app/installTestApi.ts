import type { AppStore } from '../../store'
import type { Breakpoint } from '../../store/breakpointSlice'
import { selectReady } from '../../store/selectors'
import { currentEventIndex } from '../../store/timelineSlice'
import { framesChecksum, loadRunText, saveRunText, traceFor } from '../export/runActions'
import { inspectPending } from '../timeline/inspectTracker'
import { shareUrl, urlRestored } from '../timeline/share'
import { framePasses } from '../viz/frameLoop'
import type { RenderClient } from '../viz/render/renderClient'
import type { MigrationLabTestApi } from './testApi'

const PRESET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Installs window.migrationLab over the store's current world (see testApi.ts). */
export function installTestApi(store: AppStore, render: RenderClient): void {
  const world = () => store.getState().world

  /** True when nothing is moving (see MigrationLabTestApi.waitForIdle). */
  const idleNow = (): boolean => {
    const s = store.getState()
    const st = s.world.status()
    if (s.navPending > 0 || s.running || s.scenarioLoading || inspectPending() > 0) return false
    if (st.state !== 'ready' || st.running) return false
    if (s.navTarget !== null && s.world.frame().tick !== s.navTarget) return false
    return true
  }

  async function ensureReady(): Promise<void> {
    await world().ready()
    if (!selectReady(store.getState())) {
      // Also wait for the first scenario to be loaded into both hosts.
      await new Promise<void>((resolve) => {
        const unsubscribe = store.subscribe((s) => {
          if (!selectReady(s)) return
          unsubscribe()
          resolve()
        })
      })
    }
  }

  const api: MigrationLabTestApi = {
    async ready() {
      await ensureReady()
      await urlRestored
    },
    async warmUp() {
      await world().ready()
      return (await world().warmUp?.()) ?? null
    },
    get kind() {
      return world().kind
    },
    status: () => world().status(),
    tick: () => world().frame().tick,
    frontier: () => world().frontier(),
    input: (input) => world().input(input),
    async step(n = 1) {
      if (store.getState().running) store.getState().pause()
      store.setState({ navTarget: null })
      await world().step(n)
    },
    pause: () => store.getState().pause(),
    pageState: (host, page) => world().frame().hosts[host].pageState[page] ?? -1,
    eventCount: () => store.eventLog.length,

    async loadScenario(nameOrJson) {
      const s = store.getState()
      let ok: boolean
      if (typeof nameOrJson === 'string' && PRESET_NAME.test(nameOrJson)) {
        const file = nameOrJson.endsWith('.json') ? nameOrJson : `${nameOrJson}.json`
        ok = await s.loadPreset(file)
      } else {
        const text = typeof nameOrJson === 'string' ? nameOrJson : JSON.stringify(nameOrJson)
        ok = await s.loadScenarioText(text, 'test scenario')
      }
      if (!ok) throw new Error(store.getState().scenarioError ?? 'scenario did not load')
      store.setState({ cursor: null, navTarget: null, stop: null })
    },
    async stepTo(target) {
      if ('event' in target) await store.getState().stepToEvent(target.event)
      else await store.getState().seekTick(target.tick)
    },
    stepEvents: (delta) => store.getState().stepEvent(delta),
    cursor: () => currentEventIndex(store.getState()),
    runUntil(bp) {
      const list: readonly Breakpoint[] | undefined =
        bp === undefined ? undefined : Array.isArray(bp) ? bp : [bp as Breakpoint]
      return store.getState().runUntil(list)
    },
    stateHash: () => world().stateHash(),
    eventLogHash: () => world().eventLogHash(),
    events: () => world().events().slice(),
    async waitForIdle(timeoutMs = 30_000) {
      const deadline = performance.now() + timeoutMs
      let stable = 0
      while (stable < 3) {
        if (performance.now() > deadline) throw new Error('waitForIdle: still busy after timeout')
        stable = idleNow() ? stable + 1 : 0
        await sleep(20)
      }
    },
    framesChecksum: (host) => framesChecksum(world(), host),
    select: (sel) => store.getState().select(sel),
    shareUrl: () => shareUrl(store),
    saveRun: () => saveRunText(store),
    loadRun: (text) => loadRunText(store, text),
    traceJson: () => traceFor(store),
    pageMapPixel: (host, page) => render.pixel(host, page),
    renderStats: () => render.stats(),
    pageBusyCount: () => world().pageBusyCount(),
    framePasses,
    failRenderer: () => render.injectFailure(),
  }
  window.migrationLab = api
}
