/**
 * The one animation-frame loop of the app. Canvases and the live tick counter register a callback
 * and read the world's shared memory straight from it; nothing here goes through React state.
 */
/** `frame` counts the loop's frames (for drawers that alternate frames to spread their work). */
export type FrameCallback = (now: number, frame: number) => void

const callbacks = new Set<FrameCallback>()
let handle = 0
let frames = 0

function loop(now: number): void {
  frames++
  for (const cb of callbacks) {
    try {
      cb(now, frames)
    } catch (e) {
      // A broken drawer must not stop the others; report it once and drop it.
      callbacks.delete(cb)
      console.error('frame callback failed and was removed:', e)
    }
  }
  handle = callbacks.size ? requestAnimationFrame(loop) : 0
}

/** Registers `cb` to run every animation frame; returns the unregister function. */
export function onFrame(cb: FrameCallback): () => void {
  callbacks.add(cb)
  if (!handle) handle = requestAnimationFrame(loop)
  return () => {
    callbacks.delete(cb)
  }
}

/** Like onFrame, but runs `cb` at most every `intervalMs` (low-frequency sampling). */
export function onInterval(intervalMs: number, cb: FrameCallback): () => void {
  let last = -Infinity
  return onFrame((now, frame) => {
    if (now - last < intervalMs) return
    last = now
    cb(now, frame)
  })
}
