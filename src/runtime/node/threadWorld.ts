/**
 * The two-host runtime on Node worker_threads: the same SharedWorld coordinator and HostRunner as
 * the browser, for parity tests and the CLI's `--runtime threads`.
 */
import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import type { HostId } from '../../sim/events'
import { SharedWorld, type HostEndpoint } from '../coordinator'
import type { FromHost } from '../protocol'

function spawnThread(host: HostId): HostEndpoint {
  const worker = new Worker(new URL('./host-bootstrap.mjs', import.meta.url), {
    name: host === 0 ? 'host-A' : 'host-B',
  })
  return {
    post: (m) => worker.postMessage(m),
    listen(onMessage, onFailure) {
      worker.on('message', (m: FromHost) => onMessage(m))
      worker.on('error', (e) => onFailure(e.message))
    },
    terminate: () => void worker.terminate(),
  }
}

/** `warmUp`: the host threads run the JIT warm-up (../warmUp.ts) as the browser's workers do. */
export function createThreadWorld(stallMs?: number, warmUp = false): SharedWorld {
  return new SharedWorld({
    spawn: spawnThread,
    schedule: (pump) => setTimeout(pump, 0),
    now: () => performance.now(),
    warmUp,
    ...(stallMs === undefined ? {} : { stallMs }),
  })
}
