/**
 * Browser entry of a host worker: message dispatch only. The tick loop is HostRunner (hostLoop.ts),
 * the same code the Node threads run; the dispatcher is hostDispatcher.ts.
 */
import { createHostDispatcher } from './hostDispatcher'
import type { ToHost } from './protocol'

const ctx = self as unknown as DedicatedWorkerGlobalScope
const dispatch = createHostDispatcher(
  (m) => ctx.postMessage(m),
  () => ctx.close(),
)
ctx.onmessage = (e: MessageEvent<ToHost>) => dispatch(e.data)
