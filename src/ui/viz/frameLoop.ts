/**
 * The one animation-frame loop of the app. Canvases and the live tick counter register a callback
 * and read the world's shared memory straight from it; nothing here goes through React state.
 */
/** `frame` counts the loop's frames (for drawers that alternate frames to spread their work). */
export type FrameCallback = (now: number, frame: number) => void

const callbacks = new Set<FrameCallback>()
/** The pending animation frame, or 0. */
let handle = 0
/** The pending idle poll (a timer), or undefined. */
let idleTimer: ReturnType<typeof setTimeout> | undefined
let frames = 0
/** Passes that were idle polls (timer) rather than animation frames. */
let idlePolls = 0
/** performance.now() until which the loop runs every animation frame though nothing plays. */
let awakeUntil = 0
let keepRunning: () => boolean = () => false

/**
 * With nothing playing and no input, the loop drops from every animation frame to one pass every
 * IDLE_POLL_MS, IDLE_AFTER_MS after the last activity: a paused app at 60 frames a second cost 7 %
 * of a core on the main thread and as much again in the compositor and GPU process, to draw
 * nothing new. The polls still see what changes without an input (a host's answer to a step or a
 * seek, a test API call) and the change wakes the loop (the store's subscribers call wakeFrames).
 */
export const IDLE_AFTER_MS = 1000
export const IDLE_POLL_MS = 250

/** `frameTime`: the animation frame's timestamp (absent for an idle poll). */
function loop(frameTime?: number): void {
  if (frameTime === undefined) idlePolls++
  handle = 0
  idleTimer = undefined
  frames++
  const now = frameTime ?? performance.now()
  for (const cb of callbacks) {
    try {
      cb(now, frames)
    } catch (e) {
      // A broken drawer must not stop the others; report it once and drop it.
      callbacks.delete(cb)
      console.error('frame callback failed and was removed:', e)
    }
  }
  schedule()
}

function schedule(): void {
  if (handle || !callbacks.size) return
  if (keepRunning() || performance.now() < awakeUntil) {
    if (idleTimer !== undefined) clearTimeout(idleTimer)
    idleTimer = undefined
    handle = requestAnimationFrame(loop)
  } else if (idleTimer === undefined) idleTimer = setTimeout(() => loop(), IDLE_POLL_MS)
}

/** Something happened (an input, a state change): run every animation frame for IDLE_AFTER_MS. */
export function wakeFrames(): void {
  awakeUntil = performance.now() + IDLE_AFTER_MS
  schedule()
}

/** While `running()` holds (a run plays), the loop runs every animation frame. */
export function keepFramesWhile(running: () => boolean): void {
  keepRunning = running
  schedule()
}

/** The loop's passes so far, animation frames and idle polls apart (the test API reports them). */
export const framePasses = (): { animationFrames: number; idlePolls: number } => ({
  animationFrames: frames - idlePolls,
  idlePolls,
})

/** Registers `cb` to run every animation frame; returns the unregister function. */
export function onFrame(cb: FrameCallback): () => void {
  callbacks.add(cb)
  wakeFrames()
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
