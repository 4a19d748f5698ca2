/** Node worker_threads entry of a host: the same dispatcher and HostRunner as the browser worker. */
import { parentPort } from 'node:worker_threads'
import { createHostDispatcher } from '../hostDispatcher'
import type { ToHost } from '../protocol'

const port = parentPort
if (!port) throw new Error('host.thread.ts must run inside a worker thread')
const dispatch = createHostDispatcher(
  (m) => port.postMessage(m),
  () => process.exit(0),
)
port.on('message', (m: ToHost) => dispatch(m))
