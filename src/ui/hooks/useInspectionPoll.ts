import { useEffect, useRef } from 'react'
import { selectRunning, selectTick } from '../../store/selectors'
import { useAppStore, useAppStoreSampled } from '../app/storeContext'

/** While playing, at most one poll per this many milliseconds (never per frame). */
export const PLAYING_INTERVAL_MS = 250

/**
 * Runs `poll` at low frequency while `enabled`: on every sampled tick change while paused or
 * stepping, at most every PLAYING_INTERVAL_MS while playing. Polls never overlap (a change during
 * one triggers one more afterwards), and `isMounted()` tells a poll whose answers arrive after
 * unmount to drop them. Host state lives in the workers, so views ask for it this way
 * (`world.inspect`) instead of per frame.
 */
export function useInspectionPoll(
  enabled: boolean,
  /** A new value (e.g. a newly loaded scenario) polls again even when the tick did not change. */
  key: unknown,
  poll: (isMounted: () => boolean) => Promise<void>,
): void {
  const tick = useAppStoreSampled(selectTick)
  const running = useAppStore(selectRunning)
  const pollRef = useRef(poll)
  const busy = useRef(false)
  const again = useRef(false)
  const lastAt = useRef(0)
  const mounted = useRef(true)

  useEffect(() => {
    pollRef.current = poll
  })

  useEffect(() => {
    mounted.current = true
    return () => {
      mounted.current = false
    }
  }, [])

  useEffect(() => {
    if (!enabled) return
    let timer: ReturnType<typeof setTimeout> | undefined
    const isMounted = () => mounted.current
    const run = async (): Promise<void> => {
      if (busy.current) {
        again.current = true
        return
      }
      busy.current = true
      lastAt.current = performance.now()
      try {
        await pollRef.current(isMounted)
      } finally {
        busy.current = false
        if (again.current && mounted.current) {
          again.current = false
          void run()
        }
      }
    }
    const wait = running ? PLAYING_INTERVAL_MS - (performance.now() - lastAt.current) : 0
    if (wait > 0) timer = setTimeout(() => void run(), wait)
    else void run()
    return () => {
      if (timer !== undefined) clearTimeout(timer)
    }
  }, [enabled, key, tick, running])
}
