/**
 * Inspection: what the UI may ask a host about its state (low frequency: when paused, on hover, a
 * few times a second while running). The same function answers in the worker runtime (through the
 * control protocol) and in-process, so the UI shows the same numbers either way. Results are plain
 * data (structured-cloneable).
 */
import { hostStateHash, type HostState } from './host'
import {
  migrationPage,
  migrationPages,
  migrationReportFacts,
  migrationSummary,
  type MigrationQuery,
} from './migration/inspect'
import { linkQueuedBytes, linkQueuedMessages } from './net'
import { streamsView } from './streams/view'

export type InspectQuery =
  | { readonly kind: 'link' }
  /** Hash of this host's whole state (memory included; messages on the wire excluded). */
  | { readonly kind: 'stateHash' }
  /** The stream of this host as the UI draws it (components, queues, checkpoint blocks). */
  | { readonly kind: 'streams.view' }
  /** The STREAMS engine's whole state of this host (plain data), for reports computed on main. */
  | { readonly kind: 'streams.state' }
  /** Engine-specific: answered by the engine that owns `engine`. */
  | { readonly kind: 'engine'; readonly engine: 'migration' | 'streams'; readonly query: unknown }
  /** Migration view (src/sim/migration/inspect.ts): summary, index-table rows, one page, state,
   * the report's facts. */
  | MigrationQuery

export interface LinkInspection {
  readonly queuedBytes: number
  readonly queuedMessages: number
  readonly messages: number
  readonly bytes: number
  readonly retransmits: number
  readonly retransmitBytes: number
  readonly lost: number
  readonly down: boolean
  readonly lossRate: number
  readonly bytesPerTick: number
  readonly latencyTicks: number
}

export interface Inspection {
  /** The host's tick when it answered (it may run slightly ahead of the committed tick). */
  readonly tick: number
  readonly result: unknown
}

export type EngineInspector = (host: HostState, query: unknown) => unknown

const engines: Partial<Record<'migration' | 'streams', EngineInspector>> = {}

/** Engines register their inspector at module load (keeps this file free of engine imports). */
export function registerInspector(engine: 'migration' | 'streams', fn: EngineInspector): void {
  engines[engine] = fn
}

export function inspectHost(host: HostState, tick: number, q: InspectQuery): Inspection {
  switch (q.kind) {
    case 'link': {
      const l = host.link
      const r: LinkInspection = {
        queuedBytes: linkQueuedBytes(l),
        queuedMessages: linkQueuedMessages(l),
        messages: l.stats.messages,
        bytes: l.stats.bytes,
        retransmits: l.stats.retransmits,
        retransmitBytes: l.stats.retransmitBytes,
        lost: l.stats.lost,
        down: l.down,
        lossRate: l.lossRate,
        bytesPerTick: l.params.bytesPerTick,
        latencyTicks: l.params.latencyTicks,
      }
      return { tick, result: r }
    }
    case 'stateHash':
      return { tick, result: hostStateHash(host) }
    case 'streams.view':
      return { tick, result: streamsView(host.str) }
    case 'streams.state':
      return { tick, result: host.str }
    case 'migration.summary':
      return { tick, result: migrationSummary(host.mig) }
    case 'migration.pages':
      return { tick, result: migrationPages(host.mig, host.mem.pageState, q) }
    case 'migration.page':
      return { tick, result: migrationPage(host.mig, host.mem.pageState, q.page) }
    case 'migration.state':
      return { tick, result: host.mig }
    case 'migration.reportFacts':
      return { tick, result: migrationReportFacts(host.mig) }
    case 'engine': {
      const fn = engines[q.engine]
      if (!fn) throw new Error(`no inspector registered for the ${q.engine} engine`)
      return { tick, result: fn(host, q.query) }
    }
  }
}
