import { useEffect, useRef } from 'react'
import { useAppStore, useAppStoreApi } from '../app/storeContext'
import { SHORTCUTS } from './shortcuts'

/** The keyboard-shortcut sheet (`?`), a modal dialog; Escape or the button closes it. */
export function HelpSheet() {
  const store = useAppStoreApi()
  const open = useAppStore((s) => s.helpOpen)
  const ref = useRef<HTMLDialogElement>(null)

  useEffect(() => {
    const d = ref.current
    if (!d) return
    if (open && !d.open) d.showModal()
    if (!open && d.open) d.close()
  }, [open])

  return (
    <dialog
      ref={ref}
      className="help-sheet"
      data-testid="help.sheet"
      aria-labelledby="help-title"
      onClose={() => store.getState().setHelpOpen(false)}
    >
      <h2 id="help-title">Keyboard shortcuts</h2>
      <p>Shortcuts work anywhere except while typing in a field.</p>
      <table>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys} data-testid="help.row">
              <th scope="row">
                <kbd>{s.keys}</kbd>
              </th>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        Stepping by event: the hosts show the state after the event&apos;s tick; several events can
        share a tick, so stepping between them moves only the highlighted event.
      </p>
      <button
        type="button"
        data-testid="help.close"
        onClick={() => store.getState().setHelpOpen(false)}
      >
        Close
      </button>
    </dialog>
  )
}
