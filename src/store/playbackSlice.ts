import { selectReady } from './selectors'
import type { SliceCreator } from './types'

/**
 * Speed is kept in simulated ticks per wall-clock second; the UI shows it as a multiple of 1×,
 * where 1× = BASE_TICKS_PER_SECOND (100 ticks/s: with the default 10 µs tick, a migration's phases
 * are a few seconds apart). The control spans 0.1× to 1000× on a logarithmic scale.
 */
export const BASE_TICKS_PER_SECOND = 100
export const MIN_MULTIPLIER = 0.1
export const MAX_MULTIPLIER = 1000
/** The multipliers the +/− keys step through. */
export const SPEED_STEPS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] as const
/** Ticks per second of the old select (kept for importers). */
export const SPEEDS = [10, 100, 1_000, 10_000, 100_000] as const
export const DEFAULT_SPEED = 1_000

export const speedToMultiplier = (ticksPerSecond: number) => ticksPerSecond / BASE_TICKS_PER_SECOND
export const multiplierToSpeed = (m: number) =>
  Math.min(MAX_MULTIPLIER, Math.max(MIN_MULTIPLIER, m)) * BASE_TICKS_PER_SECOND

export interface PlaybackSlice {
  running: boolean
  /** Ticks per second while playing. */
  speed: number
  play(): void
  pause(): void
  togglePlay(): void
  /** Pauses if needed, then runs exactly one more tick. */
  step(): Promise<void>
  setSpeed(speed: number): void
  /** One notch faster (+1) or slower (−1) along SPEED_STEPS. */
  nudgeSpeed(dir: 1 | -1): void
}

export function createPlaybackSlice(initialSpeed: number): SliceCreator<PlaybackSlice> {
  return (set, get) => ({
    running: false,
    speed: initialSpeed,
    play() {
      const s = get()
      if (!selectReady(s)) return
      s.world.play(s.speed)
      set({ running: true, navTarget: null })
    },
    pause() {
      get().world.pause()
      set({ running: false })
    },
    togglePlay() {
      if (get().running) get().pause()
      else get().play()
    },
    async step() {
      const s = get()
      if (!selectReady(s)) return
      if (s.running) s.pause()
      set({ navTarget: null })
      try {
        await s.world.step(1)
      } catch (e) {
        s.notify('error', 'runtime', `Step failed: ${(e as Error).message}`)
      }
    },
    setSpeed(speed) {
      set({ speed })
      const s = get()
      if (s.running) s.world.play(speed)
    },
    nudgeSpeed(dir) {
      const m = speedToMultiplier(get().speed)
      const next =
        dir > 0
          ? (SPEED_STEPS.find((x) => x > m * 1.0001) ?? MAX_MULTIPLIER)
          : ([...SPEED_STEPS].reverse().find((x) => x < m * 0.9999) ?? MIN_MULTIPLIER)
      get().setSpeed(multiplierToSpeed(next))
    },
  })
}
