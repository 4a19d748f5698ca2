/**
 * The typed test API installed on `window.migrationLab` when the URL has `?test=1`. End-to-end tests
 * import this file type-only. Later issues extend it (loadScenario, stepTo, stateHash, events…).
 */
import type { WorldKind, WorldStatus } from '../../runtime/world'
import type { UserInput } from '../../sim/inputs'

export interface PageMapGeometry {
  readonly pageCount: number
  readonly cols: number
  /** Cell side in canvas pixels. */
  readonly cell: number
}

export interface MigrationLabTestApi {
  /** Resolves when both hosts are up and the first scenario is loaded. */
  ready(): Promise<void>
  readonly kind: WorldKind
  status(): WorldStatus
  /** Ticks both hosts have completed (live, from shared memory). */
  tick(): number
  /** Logs a user input; it applies at the next tick to run. */
  input(input: UserInput): void
  /** Runs exactly `n` more ticks (default 1), pausing first if playing. */
  step(n?: number): Promise<void>
  pause(): void
  /** The state byte of `page` on host 0 (A) or 1 (B), read from the published view. */
  pageState(host: 0 | 1, page: number): number
  /** Number of events in the log window. */
  eventCount(): number
}

declare global {
  interface Window {
    migrationLab?: MigrationLabTestApi
  }
}
