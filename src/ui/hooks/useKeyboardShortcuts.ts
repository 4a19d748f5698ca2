import { useEffect } from 'react'
import type { AppStore } from '../../store'

/** Elements that keep their own keys (typing, choosing, pressing a focused button). */
function ownsKeys(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return (
    target.isContentEditable ||
    ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON', 'A'].includes(target.tagName)
  )
}

/** Space: play / pause; '.': step one tick. */
export function useKeyboardShortcuts(store: AppStore): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || ownsKeys(e.target)) return
      if (e.key === ' ') {
        e.preventDefault()
        store.getState().togglePlay()
      } else if (e.key === '.') {
        e.preventDefault()
        void store.getState().step()
      }
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [store])
}
