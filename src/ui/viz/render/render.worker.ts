/**
 * Browser entry of the page-map render worker (protocol: protocol.ts): dispatch only, the drawing is
 * Renderer (renderer.ts) over the plain painter of paint.ts. It draws on its own animation frames
 * (DedicatedWorkerGlobalScope has requestAnimationFrame in Chromium and Firefox; a timer where not).
 */
import type { FromRender, ToRender } from './protocol'
import { Renderer } from './renderer'

const ctx = self as unknown as DedicatedWorkerGlobalScope
const requestFrame: (cb: () => void) => void =
  typeof ctx.requestAnimationFrame === 'function'
    ? (cb) => void ctx.requestAnimationFrame(() => cb())
    : (cb) => void setTimeout(cb, 16)

/**
 * The idle renderer's poll: two frames' time. Its passes alternate maps and flash rings as frames
 * do, so a step's new page states show within two polls (66 ms).
 */
const IDLE_POLL_MS = 33

const renderer = new Renderer({
  post: (m) => ctx.postMessage(m),
  requestFrame,
  requestPoll: (cb) => void setTimeout(cb, IDLE_POLL_MS),
  now: () => performance.now(),
})
ctx.onmessage = (e: MessageEvent<ToRender>) => renderer.handle(e.data)
ctx.onmessageerror = () =>
  ctx.postMessage({
    type: 'error',
    message: 'a message from the main thread could not be decoded',
  } satisfies FromRender)
