import type { AppStore } from '../../store'
import { selectReady } from '../../store/selectors'
import type { MigrationLabTestApi } from './testApi'

/** Installs window.migrationLab over the store's current world (see testApi.ts). */
export function installTestApi(store: AppStore): void {
  const world = () => store.getState().world
  const api: MigrationLabTestApi = {
    async ready() {
      await world().ready()
      if (selectReady(store.getState())) return
      // Also wait for the first scenario to be loaded into both hosts.
      await new Promise<void>((resolve) => {
        const unsubscribe = store.subscribe((s) => {
          if (!selectReady(s)) return
          unsubscribe()
          resolve()
        })
      })
    },
    get kind() {
      return world().kind
    },
    status: () => world().status(),
    tick: () => world().frame().tick,
    input: (input) => world().input(input),
    async step(n = 1) {
      if (store.getState().running) store.getState().pause()
      await world().step(n)
    },
    pause: () => store.getState().pause(),
    pageState: (host, page) => world().frame().hosts[host].pageState[page] ?? -1,
    eventCount: () => store.eventLog.length,
  }
  window.migrationLab = api
}
