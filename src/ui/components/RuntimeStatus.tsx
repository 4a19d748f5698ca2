import { selectKind, selectRuntimeState } from '../../store/selectors'
import { useAppStore } from '../app/storeContext'

/** One line saying what runs the simulation and whether it is up. */
export function RuntimeStatus() {
  const state = useAppStore(selectRuntimeState)
  const kind = useAppStore(selectKind)
  const engine = kind === 'workers' ? '2 workers' : 'in-process fallback'
  const text =
    state === 'ready'
      ? `${engine} ready`
      : state === 'starting'
        ? `${engine} starting…`
        : `${engine}: error`
  return (
    <span
      className={`runtime-status runtime-${state}`}
      data-testid="runtime.status"
      data-state={state}
      data-kind={kind}
      role="status"
    >
      {text}
    </span>
  )
}
