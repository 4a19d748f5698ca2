import { createContext, useContext, type ReactNode } from 'react'
import { useStore } from 'zustand'
import type { AppState, AppStore } from '../../store'

const StoreContext = createContext<AppStore | null>(null)

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
