/**
 * The migration view's data, outside React state of the app store: both hosts' summaries (asked of
 * the hosts with `world.inspect` at low frequency), the link, the report (the CLI's numbers,
 * computed on the main thread from the hosts' report facts and the event log), the event timeline and
 * samples for the charts. One pump (MigrationPump) fills it; panels subscribe with selectors.
 */
import { createStore } from 'zustand/vanilla'
import { useSyncExternalStore } from 'react'
import { uiGateOf } from '../app/uiGate'
import { useAppStoreApi, useGateSubscribe } from '../app/storeContext'
import type { LinkInspection } from '../../sim/inspect'
import type { MigrationReport } from '../../sim/metrics'
import type { MigrationSummary } from '../../sim/migration/inspect'
import { emptyTimeline, type MigrationTimeline } from './timeline'

export interface Sample {
  readonly tick: number
  /** Pages sent per transfer category so far (CAT_NAMES order, departure host's counters). */
  readonly catPages: readonly number[]
  /** Accesses the process has executed (wherever it runs). */
  readonly accesses: number
}

export interface MigrationData {
  /** Scenario the data belongs to (its name + a load counter). */
  readonly runKey: string
  readonly tick: number
  readonly summaries: readonly [MigrationSummary, MigrationSummary] | null
  readonly links: readonly [LinkInspection, LinkInspection] | null
  readonly report: MigrationReport | null
  readonly timeline: MigrationTimeline
  /** Bumped whenever `timeline` (mutable) grew. */
  readonly timelineVersion: number
  readonly samples: readonly Sample[]
  readonly error: string | null
}

export const initialMigrationData: MigrationData = {
  runKey: '',
  tick: 0,
  summaries: null,
  links: null,
  report: null,
  timeline: emptyTimeline(),
  timelineVersion: 0,
  samples: [],
  error: null,
}

export const migrationStore = createStore<MigrationData>(() => initialMigrationData)

/**
 * One selected value of the migration data. Its changes pass through the app's UI gate: while
 * playing, each migration panel re-renders at most every PLAYING_UI_MS, in its GatePhase's frame;
 * while paused, at once.
 */
export function useMigration<T>(selector: (d: MigrationData) => T): T {
  uiGateOf(useAppStoreApi()).watch(migrationStore)
  return useSyncExternalStore(useGateSubscribe(), () => selector(migrationStore.getState()))
}

/** The process is finished with the migration: released, lost or crashed. */
export function migrationOver(s: readonly [MigrationSummary, MigrationSummary] | null): boolean {
  if (!s) return false
  const [a, b] = s
  return (
    a.process === 'released' ||
    a.process === 'crashed' ||
    b.process === 'lost' ||
    (b.completeTick >= 0 && a.releaseTick >= 0)
  )
}
