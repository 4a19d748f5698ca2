/**
 * The message handler of a host worker, shared by both entries (the browser's host.worker.ts and
 * Node's node/host.thread.ts): protocol messages become HostRunner calls, errors `error` replies.
 */
import { HostRunner } from './hostLoop'
import { assertNever, PROTOCOL_VERSION, type FromHost, type ToHost } from './protocol'
import { WARM_UP_CHUNK_MS, WarmUp, type HostWarmUp } from './warmUp'
import { yieldToEventLoop } from './wire/sync'

/**
 * Runs the JIT warm-up (warmUp.ts) in chunks between the worker's tasks until it is over or the
 * runner's own loop starts ticking, then reports. A failure is reported, not thrown: the warm-up
 * is an optimisation, and the real run does not depend on it.
 */
async function warmUpInBackground(
  runner: HostRunner,
  report: (warmUp: HostWarmUp) => void,
): Promise<void> {
  const started = performance.now()
  const warm = new WarmUp()
  try {
    while (!runner.started && warm.step(WARM_UP_CHUNK_MS)) await yieldToEventLoop()
    report({ ...warm.report, ms: performance.now() - started })
  } catch (e) {
    report({
      outcome: 'failed',
      message: e instanceof Error ? e.message : String(e),
      ms: performance.now() - started,
    })
  }
}

export function createHostDispatcher(
  post: (m: FromHost) => void,
  close: () => void,
): (m: ToHost) => void {
  let runner: HostRunner | undefined
  return (m) => {
    try {
      switch (m.type) {
        case 'init': {
          if (m.version !== PROTOCOL_VERSION) {
            throw new Error(
              `protocol version ${m.version} differs from the worker's ${PROTOCOL_VERSION}`,
            )
          }
          const r = new HostRunner(m.host, m.ctl)
          r.onError = (message, tick) => post({ type: 'error', host: r.id, message, tick })
          runner = r
          post({ type: 'ready', version: PROTOCOL_VERSION, host: m.host })
          if (m.warmUp)
            void warmUpInBackground(r, (warmUp) => post({ type: 'warmedUp', host: r.id, warmUp }))
          return
        }
        case 'load':
          if (!runner) throw new Error('load before init')
          runner.load(m.epoch, m.scenario, m.buffers, m.trace)
          post({ type: 'loaded', epoch: m.epoch, host: runner.id })
          return
        case 'seek': {
          if (!runner) throw new Error('seek before init')
          const tick = runner.seek(m.epoch, m.snapshotTick, m.dropAfter, m.buffers)
          post({ type: 'sought', epoch: m.epoch, host: runner.id, tick })
          return
        }
        case 'bench': {
          if (!runner) throw new Error('bench before init')
          const ms = runner.benchPingPong(m.rounds, m.copyBytes, m.spin)
          post({ type: 'benchDone', host: runner.id, ms })
          return
        }
        case 'inspect': {
          if (!runner) throw new Error('inspect before init')
          try {
            post({
              type: 'inspected',
              id: m.id,
              host: runner.id,
              inspection: runner.inspect(m.query),
            })
          } catch (e) {
            post({
              type: 'inspected',
              id: m.id,
              host: runner.id,
              error: e instanceof Error ? e.message : String(e),
            })
          }
          return
        }
        case 'dispose':
          close()
          return
        default:
          assertNever(m, 'message')
      }
    } catch (err) {
      post({
        type: 'error',
        host: runner?.id ?? 0,
        message: err instanceof Error ? err.message : String(err),
        tick: -1,
      })
    }
  }
}
