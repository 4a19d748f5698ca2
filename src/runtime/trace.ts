/**
 * Trace workloads in the runtimes (browser workers, Node threads, in-process): the trace is parsed
 * once on the main side (src/ui/migration/traceParse.worker.ts in the browser) into flat arrays,
 * registered under the scenario's `workload.trace` name, handed to both hosts with the load
 * message, and fed to the engine between ticks exactly as `runMigration`'s runner does (same chunk
 * sizes, same end-of-trace flag), so a run equals the CLI's. The feed position is the engine's own
 * `wl.fed`, part of host state: seeking back and replaying feeds the same accesses again.
 */
import type { HostMemory } from '../sim/memory'
import {
  migrationFeedTrace,
  migrationWantsTrace,
  type MigrationHostState,
} from '../sim/migration/engine'
import type { Scenario } from '../sim/scenario'
import { TraceError, TraceFeed } from '../sim/trace/lackey'
import { TraceTooLargeError } from '../sim/workload/workload'

/** Every access of a trace, parsed for a page size (structured-cloneable). */
export interface ParsedTrace {
  readonly name: string
  readonly pageSize: number
  readonly n: number
  readonly vpage: Float64Array
  readonly off: Int32Array
  readonly flag: Uint8Array
}

const registry = new Map<string, ParsedTrace>()

/** Makes a parsed trace available to scenarios whose `migration.workload.trace` is `key` (default: its name). */
export function registerTrace(trace: ParsedTrace, key = trace.name): void {
  registry.set(key, trace)
}

/** The registered trace a scenario replays, if any (undefined for synthetic workloads). */
export function traceFor(scenario: Scenario): ParsedTrace | undefined {
  const w = scenario.migration?.workload
  if (w?.kind !== 'trace' || !w.trace) return undefined
  return registry.get(w.trace)
}

/** The same chunk size as the CLI runner's top-up (src/sim/migration/run.ts). */
const FEED_MAX = 2048

/**
 * Tops up the host's trace buffer while its process wants accesses, like `topUp` in run.ts: chunks
 * of min(room, 2048) accesses; the end flag is set once a read finds fewer than it asked for.
 */
export function feedTrace(
  host: { mem: HostMemory; mig: MigrationHostState },
  t: ParsedTrace,
): void {
  const m = host.mig
  while (migrationWantsTrace(m)) {
    const room = m.wl.bufPage.length - (m.wl.len - m.wl.pos)
    const max = Math.min(room, FEED_MAX)
    const from = m.wl.fed
    const n = Math.max(0, Math.min(max, t.n - from))
    const chunk = {
      vpage: t.vpage.subarray(from, from + n),
      off: t.off.subarray(from, from + n),
      flag: t.flag.subarray(from, from + n),
      n,
    }
    try {
      migrationFeedTrace(host.mem, m, chunk, n < max)
    } catch (e) {
      if (e instanceof TraceTooLargeError) throw new Error(`${t.name}: ${e.message}`)
      throw e
    }
  }
}

/** Reads a whole Lackey trace (plain or gzip) into a ParsedTrace; `onProgress` gets accesses read. */
export async function parseTrace(
  source: AsyncIterable<Uint8Array>,
  pageSize: number,
  name: string,
  onProgress?: (accesses: number) => void,
): Promise<ParsedTrace> {
  const feed = new TraceFeed(source, pageSize, name)
  let cap = 1 << 16
  let vpage = new Float64Array(cap)
  let off = new Int32Array(cap)
  let flag = new Uint8Array(cap)
  let n = 0
  for (;;) {
    const c = await feed.next(FEED_MAX)
    if (n + c.n > cap) {
      cap = Math.max(cap * 2, n + c.n)
      const v2 = new Float64Array(cap)
      v2.set(vpage)
      const o2 = new Int32Array(cap)
      o2.set(off)
      const f2 = new Uint8Array(cap)
      f2.set(flag)
      vpage = v2
      off = o2
      flag = f2
    }
    vpage.set(c.vpage.subarray(0, c.n), n)
    off.set(c.off.subarray(0, c.n), n)
    flag.set(c.flag.subarray(0, c.n), n)
    n += c.n
    onProgress?.(n)
    if (c.n < FEED_MAX || feed.eof) break
  }
  if (n === 0) throw new TraceError(name, feed.parser.line, 'no memory accesses in the trace')
  return {
    name,
    pageSize,
    n,
    vpage: vpage.slice(0, n),
    off: off.slice(0, n),
    flag: flag.slice(0, n),
  }
}
