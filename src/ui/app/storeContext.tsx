import {
  createContext,
  useCallback,
  useContext,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react'
import { flushSync } from 'react-dom'
import { useStore } from 'zustand'
import type { AppState, AppStore } from '../../store'
import { uiGateOf } from './uiGate'

const StoreContext = createContext<AppStore | null>(null)
const PhaseContext = createContext(0)

/**
 * The UI gate phase of the views below (see uiGate.ts): while playing, a gate flush reaches phase k
 * k animation frames after phase 0, so panels in different phases re-render in different frames.
 */
export function GatePhase({ phase, children }: { phase: number; children: ReactNode }) {
  return <PhaseContext value={phase}>{children}</PhaseContext>
}

/** The subscribe function of the UI gate phase this component is in (stable identity). */
export function useGateSubscribe(): (listener: () => void) => () => void {
  const gate = uiGateOf(useAppStoreApi())
  return gate.subscribeAt(useContext(PhaseContext))
}

export function StoreProvider({ store, children }: { store: AppStore; children: ReactNode }) {
  return <StoreContext value={store}>{children}</StoreContext>
}

/** The store itself: for callbacks (read getState() at call time) and the frame loop. */
export function useAppStoreApi(): AppStore {
  const store = useContext(StoreContext)
  if (!store) throw new Error('useAppStoreApi: no <StoreProvider> above this component')
  return store
}

/** Subscribes to one selected value; use the named selectors of src/store/selectors.ts. */
export function useAppStore<T>(selector: (s: AppState) => T): T {
  return useStore(useAppStoreApi(), selector)
}

/**
 * Like useAppStore, for values that change while playing (the sampled tick, the log's version):
 * while playing the component re-renders at most every PLAYING_UI_MS, in its GatePhase's frame of
 * each gate flush; while paused, at once. Selectors must return primitives or stable references.
 */
export function useAppStoreSampled<T>(selector: (s: AppState) => T): T {
  const store = useAppStoreApi()
  return useSyncExternalStore(useGateSubscribe(), () => selector(store.getState()))
}

/**
 * useState for values that arrive on their own schedule (a host's answer to an inspection): while
 * playing, a new value is rendered for the UI gate's next panel frame (uiGate.ts `defer`), never in
 * a frame that carries another panel's update or the live readouts; while paused, at once.
 */
export function useGatedState<T>(initial: T): [T, (value: T) => void] {
  const gate = uiGateOf(useAppStoreApi())
  const [value, setValue] = useState(initial)
  const set = useCallback(
    (next: T) => {
      // Rendered within the gate's panel task (flushSync), so it is drawn in the panel frame next.
      gate.defer(() => flushSync(() => setValue(() => next)))
    },
    [gate],
  )
  return [value, set]
}
