/**
 * The integrity check's progress for the sequence panel: the report (migrationStore) carries the
 * result once the verifier worker has answered; this store says what happens meanwhile.
 */
import { createStore } from 'zustand/vanilla'
import { useStore } from 'zustand'
import type { VerifierEndpoint } from '../../runtime/verifier'
import type { FromVerifier } from '../../runtime/verifyProtocol'

export type IntegrityStatus =
  | { readonly state: 'idle' }
  | {
      readonly state: 'verifying'
      readonly tick: number
      /** Share of the reference replay done, when known (trace workloads). */
      readonly fraction: number | null
    }
  | { readonly state: 'error'; readonly tick: number; readonly message: string }

export const integrityStore = createStore<IntegrityStatus>(() => ({ state: 'idle' }))

export function useIntegrity<T>(selector: (s: IntegrityStatus) => T): T {
  return useStore(integrityStore, selector)
}

/** Starts the verifier worker (src/runtime/verify.worker.ts). */
export function spawnVerifierWorker(): VerifierEndpoint {
  // Vite detects the worker only when `new URL(...)` sits directly inside `new Worker(...)`.
  const worker = new Worker(new URL('../../runtime/verify.worker.ts', import.meta.url), {
    type: 'module',
    name: 'integrity-verifier',
  })
  return {
    post: (m, transfer) => worker.postMessage(m, transfer),
    listen(onMessage, onFailure) {
      worker.onmessage = (e: MessageEvent<FromVerifier>) => onMessage(e.data)
      worker.onerror = (e: ErrorEvent) => {
        e.preventDefault()
        onFailure(e.message || 'the verifier worker failed to load or threw')
      }
      worker.onmessageerror = () => onFailure('a message from the verifier could not be decoded')
    },
    terminate: () => worker.terminate(),
  }
}
