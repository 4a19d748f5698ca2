/**
 * The protocol between the main thread and the integrity verifier worker (verify.worker.ts), in the
 * style of protocol.ts. One request at a time: a newer request terminates the worker (the reference
 * replay cannot be interrupted from inside) and starts a fresh one, so an answer always belongs to
 * the latest request; `id` lets the main thread drop anything stale anyway.
 *
 *   main → verifier  verify {version, id, scenario, tick, states, frames, trace?}
 *   verifier → main  progress {id, fraction}*   (trace workloads: share of the reference replay)
 *   verifier → main  verified {id, result, ms}  or  error {id, message}
 *
 * `frames` are views onto the hosts' SharedArrayBuffers in the worker runtime (shared, not copied:
 * the hosts are paused while verifying) or copies of the in-process world's memory (transferred).
 */
import type { MigrationHostState } from '../sim/migration/engine'
import type { Scenario } from '../sim/scenario'
import type { ParsedTrace } from './trace'
import type { VerifyResult } from './verify'

export const VERIFY_PROTOCOL_VERSION = 1

export interface VerifyRequest {
  readonly type: 'verify'
  readonly version: number
  readonly id: number
  readonly scenario: Scenario
  readonly tick: number
  readonly states: readonly [MigrationHostState, MigrationHostState]
  readonly frames: readonly [Uint8Array, Uint8Array]
  readonly trace?: ParsedTrace
}

export type ToVerifier = VerifyRequest

export type FromVerifier =
  | { readonly type: 'progress'; readonly id: number; readonly fraction: number }
  | {
      readonly type: 'verified'
      readonly id: number
      readonly result: VerifyResult
      /** Time the verification took in the worker. */
      readonly ms: number
    }
  | { readonly type: 'error'; readonly id: number; readonly message: string }
