import { useEffect, useRef } from 'react'
import {
  MAX_MULTIPLIER,
  MIN_MULTIPLIER,
  multiplierToSpeed,
  speedToMultiplier,
} from '../../store/playbackSlice'
import { selectReady, selectRunning, selectSpeed } from '../../store/selectors'
import { currentEventIndex } from '../../store/timelineSlice'
import { useAppStore, useAppStoreApi } from '../app/storeContext'
import { COUNTER_EVERY, onLiveFrame } from '../viz/frameLoop'

const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 })

export function formatMultiplier(m: number): string {
  return `${m < 1 ? m.toFixed(1) : fmt.format(Math.round(m * 10) / 10)}×`
}

/**
 * Transport: play / pause, step one tick, step one event forward or back, previous / next phase,
 * run to the end; the speed on a logarithmic 0.1×–1000× control (1× = 100 ticks/s); the live tick
 * and event cursor (written per frame, outside React).
 */
export function Toolbar() {
  const store = useAppStoreApi()
  const ready = useAppStore(selectReady)
  const running = useAppStore(selectRunning)
  const speed = useAppStore(selectSpeed)
  const tickRef = useRef<HTMLOutputElement>(null)
  const cursorRef = useRef<HTMLOutputElement>(null)

  useEffect(() => {
    let last = -1
    let lastCursor = ''
    // Paused or stepping, the counters move rarely and must show at once. Playing, ten times a
    // second (one live frame in three): a number rewritten faster cannot be read anyway, and each
    // rewrite costs a style, layout, paint and commit pass (about 0.4 ms a frame at 30 Hz).
    const playing = () => store.getState().running
    return onLiveFrame(
      playing,
      () => {
        const s = store.getState()
        const tick = s.world.frame().tick
        if (tickRef.current && tick !== last) {
          last = tick
          tickRef.current.textContent = String(tick)
        }
        const el = cursorRef.current
        if (el) {
          const n = s.world.events().length
          const cur = currentEventIndex(s, tick)
          const text = cur < 0 ? `start / ${n}` : `#${cur} / ${n}`
          if (text !== lastCursor) {
            lastCursor = text
            el.textContent = text
            el.dataset.index = String(cur)
          }
        }
      },
      COUNTER_EVERY,
    )
  }, [store])

  const mult = speedToMultiplier(speed)
  const logValue = Math.log10(Math.min(MAX_MULTIPLIER, Math.max(MIN_MULTIPLIER, mult)))
  const s = () => store.getState()

  return (
    <div className="toolbar" role="group" aria-label="Playback">
      <button
        type="button"
        data-testid="toolbar.play"
        onClick={() => s().play()}
        disabled={!ready || running}
        aria-keyshortcuts="Space"
        title="Play (Space)"
      >
        Play
      </button>
      <button
        type="button"
        data-testid="toolbar.pause"
        onClick={() => s().pause()}
        disabled={!ready || !running}
        aria-keyshortcuts="Space"
        title="Pause (Space)"
      >
        Pause
      </button>
      <button
        type="button"
        data-testid="toolbar.step"
        onClick={() => void s().step()}
        disabled={!ready}
        aria-keyshortcuts="."
        title="Run exactly one tick (.)"
      >
        Step
      </button>
      <span className="toolbar-sep" aria-hidden="true" />
      <button
        type="button"
        data-testid="toolbar.prevPhase"
        aria-label="Previous phase"
        onClick={() => void s().stepPhase(-1)}
        disabled={!ready}
        aria-keyshortcuts="Shift+ArrowLeft"
        title="Previous phase (Shift+←)"
      >
        <SkipIcon dir="back" /> Phase
      </button>
      <button
        type="button"
        data-testid="toolbar.stepBack"
        aria-label="Step back one event"
        onClick={() => void s().stepEvent(-1)}
        disabled={!ready}
        aria-keyshortcuts="ArrowLeft"
        title="Step back one event (←)"
      >
        ◀ Event
      </button>
      <button
        type="button"
        data-testid="toolbar.stepEvent"
        aria-label="Step forward one event"
        onClick={() => void s().stepEvent(1)}
        disabled={!ready}
        aria-keyshortcuts="ArrowRight"
        title="Step forward one event (→)"
      >
        Event ▶
      </button>
      <button
        type="button"
        data-testid="toolbar.nextPhase"
        aria-label="Next phase"
        onClick={() => void s().stepPhase(1)}
        disabled={!ready}
        aria-keyshortcuts="Shift+ArrowRight"
        title="Next phase (Shift+→)"
      >
        Phase <SkipIcon dir="forward" />
      </button>
      <button
        type="button"
        data-testid="toolbar.runToEnd"
        aria-label="Run to end"
        onClick={() => void s().runToEnd()}
        disabled={!ready}
        aria-keyshortcuts="End"
        title="Run to the end of the scenario (End)"
      >
        End <SkipIcon dir="forward" />
      </button>
      <label className="toolbar-speed">
        Speed
        <input
          type="range"
          data-testid="toolbar.speed"
          min={-1}
          max={3}
          step={0.05}
          value={logValue}
          aria-valuetext={`${formatMultiplier(mult)} (${fmt.format(speed)} ticks/s)`}
          aria-keyshortcuts="+ -"
          title="Speed, logarithmic from 0.1× to 1000× (1× = 100 ticks/s); keys + and −"
          onChange={(e) => s().setSpeed(multiplierToSpeed(10 ** Number(e.target.value)))}
        />
        <output data-testid="toolbar.speedLabel" data-ticks-per-second={speed}>
          {formatMultiplier(mult)}
        </output>
      </label>
      <span className="toolbar-tick">
        <span id="toolbar-tick-label">Tick</span>{' '}
        <output ref={tickRef} data-testid="toolbar.tick" aria-labelledby="toolbar-tick-label">
          0
        </output>
      </span>
      <span className="toolbar-tick">
        <span id="toolbar-cursor-label">Event</span>{' '}
        <output
          ref={cursorRef}
          className="toolbar-cursor"
          data-testid="toolbar.cursor"
          aria-labelledby="toolbar-cursor-label"
          data-index="-1"
        >
          start
        </output>
      </span>
      <button
        type="button"
        data-testid="toolbar.help"
        aria-label="Keyboard shortcuts"
        aria-keyshortcuts="?"
        title="Keyboard shortcuts (?)"
        onClick={() => s().setHelpOpen(true)}
      >
        ?
      </button>
    </div>
  )
}

/**
 * ⏮ / ⏭ as inline SVG: those characters are missing from the fonts a Debian machine has (DejaVu,
 * Liberation), so they showed as empty boxes there, and web fonts are not an option (same-origin
 * assets only). The buttons' names come from their aria-label.
 */
function SkipIcon({ dir }: { dir: 'back' | 'forward' }) {
  return (
    <svg className="toolbar-icon" viewBox="0 0 10 10" aria-hidden="true" focusable="false">
      {dir === 'back' ? (
        <>
          <rect x="0.5" y="1" width="1.6" height="8" />
          <path d="M9.5 1 L3 5 L9.5 9 Z" />
        </>
      ) : (
        <>
          <path d="M0.5 1 L7 5 L0.5 9 Z" />
          <rect x="7.9" y="1" width="1.6" height="8" />
        </>
      )}
    </svg>
  )
}
