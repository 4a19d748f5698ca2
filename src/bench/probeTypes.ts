/**
 * Types the render benchmark's page probe (`renderBench.ts`) hands to its Playwright driver
 * (`e2e/bench/render.bench.ts`), in a module of their own so the driver's type check does not pull
 * in the app.
 */

/** A `long-animation-frame` entry, reduced to what is read (times in ms; `atMs` after `start()`). */
export interface LongFrame {
  atMs: number
  ms: number
  blockingMs: number
  /** From the frame's start to its rendering (the tasks before it), and the rendering's style and layout. */
  toRenderMs: number
  styleLayoutMs: number
  scripts: { what: string; ms: number; layoutMs: number; atMs: number }[]
}

/** A long task: where it started (ms after `start()`) and how long it took. */
export interface LongTaskSpan {
  atMs: number
  ms: number
}

/** What `renderProbe.stop()` returns: the window's frame times, long tasks and long frames. */
export interface ProbeResult {
  frames: number[]
  longTasks: LongTaskSpan[]
  /** The long animation frames (over 50 ms) with what ran in them, for finding a long task's cause
   * without a trace (tracing changes the timing it is meant to explain). */
  longFrames: LongFrame[]
}
