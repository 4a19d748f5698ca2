/**
 * Parses a Lackey trace file (plain or gzip) off the main thread: progress messages by bytes read,
 * then the parsed accesses (transferred), or an error naming the line. Cancel = terminate.
 */
import { parseTrace } from '../../runtime/trace'
import type { FromParser, ToParser } from './traceParseTypes'

const post = (m: FromParser, transfer: Transferable[] = []) => postMessage(m, { transfer })

onmessage = async (e: MessageEvent<ToParser>) => {
  const { file, pageSize, name } = e.data
  let bytes = 0
  let last = 0
  async function* chunks(): AsyncIterable<Uint8Array> {
    const reader = file.stream().getReader()
    for (;;) {
      const r = await reader.read()
      if (r.done) return
      bytes += r.value.length
      yield r.value
    }
  }
  try {
    const trace = await parseTrace(chunks(), pageSize, name, (accesses) => {
      const now = performance.now()
      if (now - last < 100) return
      last = now
      post({ type: 'progress', bytes, total: file.size, accesses })
    })
    post({ type: 'done', trace }, [trace.vpage.buffer, trace.off.buffer, trace.flag.buffer])
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) })
  }
}
