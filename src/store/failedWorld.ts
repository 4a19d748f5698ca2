import type { World, WorldFrame, WorldStatus } from '../runtime/world'

/**
 * Stands in for a world whose creation threw (e.g. the Worker constructor failed), so the app still
 * renders and shows the error with a Restart button instead of a blank page.
 */
export function createFailedWorld(message: string): World {
  const status: WorldStatus = { state: 'error', host: 'runtime', message }
  const frame: WorldFrame = {
    tick: 0,
    hosts: [{ pageState: new Uint8Array(0) }, { pageState: new Uint8Array(0) }],
  }
  const fail = (): Promise<void> => Promise.reject(new Error(message))
  return {
    kind: 'in-process',
    ready: fail,
    load: fail,
    play: () => {},
    pause: () => {},
    pageBusy: () => {},
    pageBusyCount: () => 0,
    step: fail,
    runTo: fail,
    inspect: () => Promise.reject(new Error(message)),
    stateHash: () => Promise.reject(new Error(message)),
    seek: fail,
    frontier: () => 0,
    input: () => {},
    frame: () => frame,
    status: () => status,
    subscribe: (l) => {
      l.status?.(status)
      return () => {}
    },
    events: () => [],
    eventLogHash: () => '',
    scenario: () => undefined,
    restart: fail,
    dispose: () => {},
  }
}
