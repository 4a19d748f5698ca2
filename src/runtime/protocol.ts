/**
 * The control protocol between the main thread and the host workers (browser Web Workers and Node
 * worker_threads alike). Per-tick traffic never goes through here: it uses the SharedArrayBuffer
 * rings and control words of wire/layout.ts. This carries start-up, scenario loads and failures.
 *
 * Sequence (documented where it starts, as Perfetto does):
 *   main → host  init {version, host, ctl, warmUp?}   host → main  ready {version}
 *   with warmUp: the host runs its JIT warm-up (warmUp.ts) in the background  → warmedUp {report}
 *   main: TARGET = 0, EPOCH++, notify                  (old loops abort)
 *   main → host  load {epoch, scenario, buffers}       host → main  loaded {epoch}
 *   main raises TARGET (play/step); hosts run ticks < TARGET in lock step, publish, park on WAKE.
 *   Time travel: main: TARGET = 0, EPOCH++; main → host seek {epoch, snapshotTick, fresh rings};
 *   each host restores its snapshot and re-sends its messages still in flight at that tick;
 *   host → main sought; main re-sends the logged inputs due from that tick and raises TARGET.
 *   host → main  error {message} at any time; main shows it and offers a restart.
 */
import type { HostId } from '../sim/events'
import type { InspectQuery, Inspection } from '../sim/inspect'
import type { Scenario } from '../sim/scenario'
import type { ParsedTrace } from './trace'
import type { HostWarmUp } from './warmUp'
import type { LoadBuffers } from './wire/layout'

export const PROTOCOL_VERSION = 1

export type ToHost =
  | {
      readonly type: 'init'
      readonly version: number
      readonly host: HostId
      readonly ctl: SharedArrayBuffer
      /** Run the JIT warm-up (warmUp.ts) in the background after `ready`. */
      readonly warmUp?: boolean
    }
  | {
      readonly type: 'load'
      readonly epoch: number
      readonly scenario: Scenario
      readonly buffers: LoadBuffers
      /** Trace workloads: the parsed trace, fed to the engine between ticks (src/runtime/trace.ts). */
      readonly trace?: ParsedTrace
    }
  | {
      /** Restore the snapshot at `snapshotTick` over fresh rings (same memory buffers). */
      readonly type: 'seek'
      readonly epoch: number
      readonly snapshotTick: number
      /** A fork at this tick: snapshots after it belong to a discarded future (Infinity: none). */
      readonly dropAfter: number
      readonly buffers: LoadBuffers
    }
  | {
      /** Benchmark: a bare Atomics wait/notify ping-pong between the two host workers, optionally
       * with a 4 KiB copy per round trip (what serving a remote fault costs at minimum). */
      readonly type: 'bench'
      readonly rounds: number
      readonly copyBytes: number
      /** false: pure Atomics.wait/notify hand-offs (no spin phase). */
      readonly spin: boolean
    }
  | { readonly type: 'inspect'; readonly id: number; readonly query: InspectQuery }
  | { readonly type: 'dispose' }

export type FromHost =
  | { readonly type: 'ready'; readonly version: number; readonly host: HostId }
  | { readonly type: 'loaded'; readonly epoch: number; readonly host: HostId }
  | {
      readonly type: 'sought'
      readonly epoch: number
      readonly host: HostId
      readonly tick: number
    }
  | { readonly type: 'benchDone'; readonly host: HostId; readonly ms: number }
  | {
      /** The JIT warm-up is over: run to its end, stopped by the real run, or failed. */
      readonly type: 'warmedUp'
      readonly host: HostId
      readonly warmUp: HostWarmUp
    }
  | {
      readonly type: 'inspected'
      readonly id: number
      readonly host: HostId
      readonly inspection?: Inspection
      readonly error?: string
    }
  | {
      readonly type: 'error'
      readonly host: HostId
      readonly message: string
      readonly tick: number
    }

export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(x)}`)
}
