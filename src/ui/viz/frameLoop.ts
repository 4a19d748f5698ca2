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

/**
 * While a run plays, the main thread's work is spread over alternate animation frames so that no
 * frame carries two kinds of it: live readouts (the tick and event counters, the scrubber's cursor,
 * the network lane's messages: 30 updates a second, smooth enough) draw on odd frames; the UI
 * gate's panel updates (uiGate.ts: React renders them in a task just before) are drawn on even ones.
 */
export const isLiveFrame = (frame: number): boolean => frame % 2 === 1

/**
 * Whether `frame` is every `n`-th live frame: readouts registered with the same `every` share their
 * frames (one style, layout, paint and commit pass for all of them).
 */
export const isNthLiveFrame = (frame: number, n: number): boolean =>
  isLiveFrame(frame) && ((frame - 1) / 2) % n === 0

/** The toolbar's counters and the scrubber's cursor: ten updates a second while playing. */
export const COUNTER_EVERY = 3

/**
 * Like onFrame, for a live readout: while `playing()`, only on live frames (and only on every
 * `every`-th of them); otherwise every frame, so a step or a seek shows at once.
 */
export function onLiveFrame(playing: () => boolean, cb: FrameCallback, every = 1): () => void {
  return onFrame((now, frame) => {
    if (playing() && !isNthLiveFrame(frame, every)) return
    cb(now, frame)
  })
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
