import { useEffect, useRef } from 'react'
import { SPEEDS } from '../../store'
import { selectReady, selectRunning, selectSpeed } from '../../store/selectors'
import { useAppStore, useAppStoreApi } from '../app/storeContext'
import { onFrame } from '../viz/frameLoop'

const fmt = new Intl.NumberFormat('en-US')

/** Play / Pause / Step, speed, and the live tick counter (written per frame, outside React). */
export function Toolbar() {
  const store = useAppStoreApi()
  const ready = useAppStore(selectReady)
  const running = useAppStore(selectRunning)
  const speed = useAppStore(selectSpeed)
  const tickRef = useRef<HTMLOutputElement>(null)

  useEffect(() => {
    let last = -1
    return onFrame(() => {
      const el = tickRef.current
      if (!el) return
      const tick = store.getState().world.frame().tick
      if (tick !== last) {
        last = tick
        el.textContent = String(tick)
      }
    })
  }, [store])

  const speeds: readonly number[] = SPEEDS.includes(speed as (typeof SPEEDS)[number])
    ? SPEEDS
    : [...SPEEDS, speed].sort((a, b) => a - b)

  return (
    <div className="toolbar" role="group" aria-label="Playback">
      <button
        type="button"
        data-testid="toolbar.play"
        onClick={() => store.getState().play()}
        disabled={!ready || running}
        aria-keyshortcuts="Space"
        title="Play (Space)"
      >
        Play
      </button>
      <button
        type="button"
        data-testid="toolbar.pause"
        onClick={() => store.getState().pause()}
        disabled={!ready || !running}
        aria-keyshortcuts="Space"
        title="Pause (Space)"
      >
        Pause
      </button>
      <button
        type="button"
        data-testid="toolbar.step"
        onClick={() => void store.getState().step()}
        disabled={!ready}
        aria-keyshortcuts="."
        title="Run exactly one tick (.)"
      >
        Step
      </button>
      <label className="toolbar-speed">
        Speed
        <select
          data-testid="toolbar.speed"
          value={speed}
          onChange={(e) => store.getState().setSpeed(Number(e.target.value))}
        >
          {speeds.map((s) => (
            <option key={s} value={s}>
              {fmt.format(s)} ticks/s
            </option>
          ))}
        </select>
      </label>
      <span className="toolbar-tick">
        <span id="toolbar-tick-label">Tick</span>{' '}
        <output ref={tickRef} data-testid="toolbar.tick" aria-labelledby="toolbar-tick-label">
          0
        </output>
      </span>
    </div>
  )
}
