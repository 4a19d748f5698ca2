import { createContext, useContext, type ReactNode } from 'react'
import { useStore } from 'zustand'
import type { RenderClient, RenderState } from './renderClient'

const RenderContext = createContext<RenderClient | null>(null)

/** Makes the page-map render worker's client (created once in main.tsx) available below. */
export function RenderProvider({
  client,
  children,
}: {
  client: RenderClient
  children: ReactNode
}) {
  return <RenderContext value={client}>{children}</RenderContext>
}

export function useRenderClient(): RenderClient {
  const client = useContext(RenderContext)
  if (!client) throw new Error('useRenderClient: no <RenderProvider> above this component')
  return client
}

/** Subscribes to the render worker's status or generation (low frequency). */
export function useRenderState<T>(selector: (s: RenderState) => T): T {
  return useStore(useRenderClient().state, selector)
}
