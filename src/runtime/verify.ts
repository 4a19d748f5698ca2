/**
 * Memory integrity verification off the main thread (src/runtime/verify.worker.ts runs it in the
 * browser; tests run it in Node): the same `migrationReport(..., { verify: true })` as the CLI —
 * the reference replay of the workload without migration, then a page-by-page comparison and the
 * checksum of the process memory — over the hosts' frames and inspected migration states.
 *
 * Trace workloads: the browser holds the trace already parsed (src/runtime/trace.ts); the reference
 * replay reads those accesses directly (`RunOptions.traceChunks`) — the very accesses the CLI's
 * reference parses from the file.
 */
import type { MigrationReport } from '../sim/metrics'
import type { MigrationHostState } from '../sim/migration/engine'
import { migrationReport, type TraceChunks } from '../sim/migration/run'
import type { Scenario } from '../sim/scenario'
import type { ParsedTrace } from './trace'

export interface VerifyInput {
  readonly scenario: Scenario
  /** The tick both hosts are at. */
  readonly tick: number
  /** Both hosts' `migration.state` inspections at `tick`. */
  readonly states: readonly [MigrationHostState, MigrationHostState]
  /** Both hosts' page frames at `tick` (shared memory in the worker runtime, or copies). */
  readonly frames: readonly [Uint8Array, Uint8Array]
  /** Trace workloads: the parsed trace the hosts replay. */
  readonly trace?: ParsedTrace | undefined
}

export interface VerifyResult {
  readonly integrity: MigrationReport['integrity']
  readonly referenceAccesses: number
  readonly distinctPages: number
}

/**
 * The parsed trace as the reference replay reads it: consecutive chunks of its access arrays (views,
 * no copy). `onProgress` gets the number of accesses handed out so far.
 */
export function traceChunks(t: ParsedTrace, onProgress?: (accesses: number) => void): TraceChunks {
  let at = 0
  return {
    next(max) {
      const n = Math.max(0, Math.min(max, t.n - at))
      const chunk = {
        vpage: t.vpage.subarray(at, at + n),
        off: t.off.subarray(at, at + n),
        flag: t.flag.subarray(at, at + n),
        n,
      }
      at += n
      onProgress?.(at)
      return Promise.resolve(chunk)
    },
  }
}

/**
 * Verifies the process memory against the reference replay, as the CLI does; `onProgress` gets a
 * fraction of the reference replay done when it is known (trace workloads), else nothing.
 * Throws when a trace workload comes without its trace.
 */
export async function verifyIntegrity(
  input: VerifyInput,
  onProgress?: (fraction: number) => void,
): Promise<VerifyResult> {
  const [a, b] = input.states
  const trace = input.scenario.migration?.workload.kind === 'trace'
  if (trace && !input.trace)
    throw new Error('the trace this scenario replays is not loaded: open it to verify the memory')
  let opts = {}
  if (trace && input.trace) {
    const t = input.trace
    // The reference reads as far as the run did (`wl.fed`), at least the accesses executed.
    const target = Math.max(1, Math.min(t.n, Math.max(a.wl.fed, b.wl.fed, a.wl.accesses)))
    const progress = onProgress ? (n: number) => onProgress(Math.min(1, n / target)) : undefined
    opts = { traceChunks: () => traceChunks(t, progress), traceName: t.name }
  }
  const report = await migrationReport(
    {
      hosts: [
        { mig: a, mem: { frames: input.frames[0] } },
        { mig: b, mem: { frames: input.frames[1] } },
      ],
      events: [],
      tick: input.tick,
      scenario: input.scenario,
    },
    { ...opts, verify: true },
  )
  return {
    integrity: report.integrity,
    referenceAccesses: report.workload.referenceAccesses,
    distinctPages: report.workload.distinctPages,
  }
}
