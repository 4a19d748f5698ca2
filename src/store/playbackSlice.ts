import { selectReady } from './selectors'
import type { SliceCreator } from './types'

/** Simulated ticks per wall-clock second offered by the speed control. */
export const SPEEDS = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000] as const
export const DEFAULT_SPEED = 1_000

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
}

export function createPlaybackSlice(initialSpeed: number): SliceCreator<PlaybackSlice> {
  return (set, get) => ({
    running: false,
    speed: initialSpeed,
    play() {
      const s = get()
      if (!selectReady(s)) return
      s.world.play(s.speed)
      set({ running: true })
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
  })
}
