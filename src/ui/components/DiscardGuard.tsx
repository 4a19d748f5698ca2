import { useEffect, useId, useRef, useState, type ReactElement } from 'react'
import { useAppStoreApi } from '../app/storeContext'

interface Pending {
  readonly what: string
  readonly run: () => Promise<unknown>
}

/**
 * "Changing parameters never loses the run without asking": `guarded(what, run)` runs at once when
 * nothing has been computed yet, otherwise only after the user confirms in a modal dialog (an
 * in-page <dialog>, so it is keyboard accessible and testable). Render `dialog` once.
 */
export function useDiscardGuard(testId: string): {
  readonly guarded: (what: string, run: () => Promise<unknown>) => void
  readonly dialog: ReactElement
} {
  const store = useAppStoreApi()
  const [pending, setPending] = useState<Pending | null>(null)
  const dialogRef = useRef<HTMLDialogElement>(null)
  const labelId = useId()

  useEffect(() => {
    const d = dialogRef.current
    if (!d) return
    if (pending && !d.open) d.showModal()
    if (!pending && d.open) d.close()
  }, [pending])

  const guarded = (what: string, run: () => Promise<unknown>) => {
    if (store.getState().world.frontier() > 0) setPending({ what, run })
    else void run()
  }

  const dialog = (
    <dialog
      ref={dialogRef}
      aria-labelledby={labelId}
      data-testid={testId}
      onClose={() => setPending(null)}
    >
      <p id={labelId}>The current run will be discarded to {pending?.what}. Continue?</p>
      <div className="mig-actions">
        <button
          type="button"
          data-testid={`${testId}.ok`}
          onClick={() => {
            const p = pending
            setPending(null)
            if (p) void p.run()
          }}
        >
          Discard the run and continue
        </button>
        <button type="button" data-testid={`${testId}.cancel`} onClick={() => setPending(null)}>
          Keep the run
        </button>
      </div>
    </dialog>
  )
  return { guarded, dialog }
}
