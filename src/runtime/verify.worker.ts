/**
 * Browser entry of the integrity verifier (protocol: verifyProtocol.ts): dispatch only, the work is
 * verifyIntegrity in verify.ts.
 */
import { verifyIntegrity } from './verify'
import { VERIFY_PROTOCOL_VERSION, type FromVerifier, type ToVerifier } from './verifyProtocol'

const ctx = self as unknown as DedicatedWorkerGlobalScope
const post = (m: FromVerifier) => ctx.postMessage(m)

/** At most one progress message per this many milliseconds. */
const PROGRESS_MS = 100

ctx.onmessage = async (e: MessageEvent<ToVerifier>) => {
  const m = e.data
  const { id } = m
  if (m.type !== 'verify' || m.version !== VERIFY_PROTOCOL_VERSION) {
    post({
      type: 'error',
      id,
      message: `the verifier speaks protocol ${VERIFY_PROTOCOL_VERSION}, got ${String(m.type)} v${m.version}`,
    })
    return
  }
  const t0 = performance.now()
  let last = t0
  try {
    const result = await verifyIntegrity(m, (fraction) => {
      const now = performance.now()
      if (now - last < PROGRESS_MS) return
      last = now
      post({ type: 'progress', id, fraction })
    })
    post({ type: 'verified', id, result, ms: performance.now() - t0 })
  } catch (err) {
    post({ type: 'error', id, message: err instanceof Error ? err.message : String(err) })
  }
}
