/**
 * Picks the runtime: two host Web Workers over SharedArrayBuffers when the page is cross-origin
 * isolated, otherwise the in-process fallback (the UI shows a banner saying why).
 */
import type { HostId } from '../sim/events'
import { SharedWorld, type HostEndpoint } from './coordinator'
import { InProcessWorld } from './inProcessWorld'
import type { FromHost, ToHost } from './protocol'
import type { World } from './world'

function browserSchedule(pump: () => void): void {
  // rAF stops in background tabs; the timer keeps draining event rings so hosts never wait forever.
  let done = false
  const run = () => {
    if (done) return
    done = true
    // The timer is only a fallback: cancelled, it does not wake the main thread 50 ms later for
    // nothing (60 needless tasks a second while playing).
    clearTimeout(timer)
    pump()
  }
  requestAnimationFrame(run)
  const timer = setTimeout(run, 50)
}

/** Starts one browser host worker (also used by the benchmark pages). */
export function spawnHostWorker(host: HostId): HostEndpoint {
  // Vite detects the worker only when `new URL(...)` sits directly inside `new Worker(...)`.
  const worker = new Worker(new URL('./host.worker.ts', import.meta.url), {
    type: 'module',
    name: host === 0 ? 'host-A' : 'host-B',
  })
  return {
    post: (m: ToHost) => worker.postMessage(m),
    listen(onMessage, onFailure) {
      worker.onmessage = (e: MessageEvent<FromHost>) => onMessage(e.data)
      worker.onerror = (e: ErrorEvent) => {
        e.preventDefault()
        onFailure(e.message || 'the worker script failed to load or threw')
      }
      worker.onmessageerror = () => onFailure('a message from the worker could not be decoded')
    },
    terminate: () => worker.terminate(),
  }
}

export type IsolationProblem = 'not-isolated' | 'no-shared-array-buffer' | undefined

export function isolationProblem(): IsolationProblem {
  if (typeof SharedArrayBuffer === 'undefined') return 'no-shared-array-buffer'
  if (!globalThis.crossOriginIsolated) return 'not-isolated'
  return undefined
}

/**
 * `warmUp` (default on): each host worker runs the JIT warm-up (warmUp.ts) in the background once
 * it is up, so the user's first run does not compete with V8 compiling the host code.
 */
export function createWorld(forceInProcess = false, warmUp = true): World {
  const now = () => performance.now()
  if (forceInProcess || isolationProblem() !== undefined) {
    return new InProcessWorld({ schedule: browserSchedule, now })
  }
  return new SharedWorld({ spawn: spawnHostWorker, schedule: browserSchedule, now, warmUp })
}
