import { useEffect } from 'react'
import type { AppStore } from '../../store'

/** Every shortcut, as the help sheet lists it. */
export const SHORTCUTS: readonly { readonly keys: string; readonly what: string }[] = [
  { keys: 'Space', what: 'Play / pause' },
  { keys: '→', what: 'Step forward one event' },
  { keys: '←', what: 'Step back one event' },
  { keys: 'Shift + →', what: 'Next phase' },
  { keys: 'Shift + ←', what: 'Previous phase' },
  { keys: '.', what: 'Run exactly one tick' },
  { keys: '+', what: 'Faster (0.1× … 1000×)' },
  { keys: '−', what: 'Slower' },
  { keys: 'Home', what: 'Back to tick 0' },
  { keys: 'End', what: 'Run to the end' },
  { keys: 'B', what: 'Run until a breakpoint' },
  { keys: '?', what: 'Show / hide this help' },
]

/** Elements that keep their own keys (typing, choosing, sliders). */
function ownsKeys(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  if (['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) return true
  // A focused button or link activates on Space / Enter itself; other keys are ours.
  if (['BUTTON', 'A', 'SUMMARY'].includes(target.tagName)) return key === ' ' || key === 'Enter'
  if (target.getAttribute('role') === 'slider') return key.startsWith('Arrow')
  return false
}

/**
 * Space play/pause, ←/→ one event, Shift+←/→ one phase, '.' one tick, +/− speed, Home/End, B run
 * until a breakpoint, ? help. Ignored while typing in a field.
 */
export function useTimelineShortcuts(store: AppStore): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || ownsKeys(e.target, e.key)) return
      const s = store.getState()
      let handled = true
      switch (e.key) {
        case ' ':
          s.togglePlay()
          break
        case '.':
          void s.step()
          break
        case 'ArrowRight':
          void (e.shiftKey ? s.stepPhase(1) : s.stepEvent(1))
          break
        case 'ArrowLeft':
          void (e.shiftKey ? s.stepPhase(-1) : s.stepEvent(-1))
          break
        case '+':
        case '=':
          s.nudgeSpeed(1)
          break
        case '-':
        case '_':
        case '−':
          s.nudgeSpeed(-1)
          break
        case 'Home':
          void s.seekTick(0)
          break
        case 'End':
          void s.runToEnd()
          break
        case 'b':
        case 'B':
          void s.runUntil().catch(() => undefined)
          break
        case '?':
          s.setHelpOpen(!s.helpOpen)
          break
        default:
          handled = false
      }
      if (handled) e.preventDefault()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [store])
}
