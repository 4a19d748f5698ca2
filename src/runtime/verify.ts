/**
 * Memory integrity verification off the main thread (src/runtime/verify.worker.ts runs it in the
 * browser; tests run it in Node): the same `migrationReport(..., { verify: true })` as the CLI —
 * the reference replay of the workload without migration, then a page-by-page comparison and the
 * checksum of the process memory — over the hosts' frames and inspected migration states.
 *
 * Trace workloads: the reference replay reads its trace as Lackey bytes (`RunOptions.trace`), while
 * the browser holds the trace already parsed (src/runtime/trace.ts). `lackeyBytes` writes the parsed
 * accesses back as Lackey lines that parse to exactly the same accesses (see there), so the
 * reference executes the very accesses the CLI's reference reads from the file.
 */
import type { MigrationReport } from '../sim/metrics'
import type { MigrationHostState } from '../sim/migration/engine'
import { migrationReport, type ByteSource } from '../sim/migration/run'
import type { Scenario } from '../sim/scenario'
import { ACC } from '../sim/workload/workload'
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

/** Lines are written into chunks of this size (a line is at most 2 × 20 bytes per access). */
const CHUNK_BYTES = 1 << 16

const HEX = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]

/** Writes one Lackey line `<head>addr,1\n` at `at`; returns the new end. */
function line(buf: Uint8Array, at: number, head: readonly number[], addr: number): number {
  for (const c of head) buf[at++] = c
  // Hex digits of addr (< 2^52: at most 13, as the parser accepts), most significant first.
  let digits = 1
  for (let v = addr; v >= 16; v = Math.floor(v / 16)) digits++
  let v = addr
  for (let k = digits - 1; k >= 0; k--) {
    buf[at + k] = HEX[v % 16] as number
    v = Math.floor(v / 16)
  }
  at += digits
  buf[at++] = 44 // ,
  buf[at++] = 49 // 1
  buf[at++] = 10 // \n
  return at
}

const INSTR_LINE = [73, 32, 32] // "I  "
const LOAD_LINE = [32, 76, 32] // " L "
const STORE_LINE = [32, 83, 32] // " S "
const MODIFY_LINE = [32, 77, 32] // " M "

/**
 * A parsed trace as Lackey bytes that parse (src/sim/trace/lackey.ts) back to the same accesses:
 * each access `i` becomes one-byte accesses at `vpage[i] × pageSize + off[i]` (so none straddles a
 * page), one line per flag group (`I` for an instruction fetch, then ` S` if it also wrote; else
 * ` M`, ` L` or ` S`). The parser collapses consecutive accesses to one page (flags OR-ed, first
 * offset kept) — exactly what makes the lines of one access one access again — and a parsed trace
 * never has two consecutive accesses to one page, so neighbours stay apart.
 * `onProgress` gets the number of accesses written so far.
 */
export function lackeyBytes(t: ParsedTrace, onProgress?: (accesses: number) => void): ByteSource {
  return () => ({
    async *[Symbol.asyncIterator]() {
      const ps = t.pageSize
      let i = 0
      while (i < t.n) {
        const buf = new Uint8Array(CHUNK_BYTES)
        let at = 0
        for (; i < t.n && at < CHUNK_BYTES - 64; i++) {
          const addr = (t.vpage[i] as number) * ps + (t.off[i] as number)
          const f = t.flag[i] as number
          if (f & ACC.INSTR) {
            at = line(buf, at, INSTR_LINE, addr)
            if (f & ACC.WRITE) at = line(buf, at, STORE_LINE, addr)
          } else if (f & ACC.READ && f & ACC.WRITE) at = line(buf, at, MODIFY_LINE, addr)
          else if (f & ACC.WRITE) at = line(buf, at, STORE_LINE, addr)
          else at = line(buf, at, LOAD_LINE, addr)
        }
        onProgress?.(i)
        yield buf.subarray(0, at)
      }
    },
  })
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
    opts = { trace: lackeyBytes(t, progress), traceName: t.name }
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
