/**
 * The typed test API installed on `window.migrationLab` when the URL has `?test=1`. End-to-end tests
 * import this file type-only (see README "Test API" and e2e/pages/ for examples).
 *
 * Conventions: every navigation resolves once the hosts stand at the requested point; call
 * `waitForIdle()` before reading state after driving the UI by clicks or keys.
 */
import type { HostWarmUp } from '../../runtime/warmUp'
import type { WorldKind, WorldStatus } from '../../runtime/world'
import type { HostId, SimEvent } from '../../sim/events'
import type { UserInput } from '../../sim/inputs'
import type { ScenarioInput } from '../../sim/scenario'
import type { Breakpoint } from '../../store/breakpointSlice'
import type { Selection } from '../../store/selectionSlice'
import type { StopInfo } from '../../store/timelineSlice'
import type { TraceFile } from '../export/trace'
import type { RenderStats, Rgba } from '../viz/render/protocol'

export type { Breakpoint, Selection, StopInfo, RenderStats, Rgba }

export interface PageMapGeometry {
  readonly pageCount: number
  readonly cols: number
  /** Cell side in canvas pixels. */
  readonly cell: number
}

/** `{ tick }`: the state after that many ticks; `{ event }`: the state after that event's tick. */
export type StepTarget = { readonly tick: number } | { readonly event: number }

/** A trace-event JSON object (Chrome / Perfetto), as exported by the app. */
export type { TraceFile as TraceJson, TraceEvent } from '../export/trace'

export interface MigrationLabTestApi {
  /** Resolves when both hosts are up and the first scenario is loaded. */
  ready(): Promise<void>
  /**
   * Both host workers' JIT warm-up reports (runtime/warmUp.ts), once each has finished or stopped
   * it; null where no warm-up runs (the in-process runtime, or `?warmup=0`).
   */
  warmUp(): Promise<readonly [HostWarmUp, HostWarmUp] | null>
  readonly kind: WorldKind
  status(): WorldStatus
  /** Ticks both hosts have completed (live, from shared memory). */
  tick(): number
  /** The furthest tick computed on this timeline. */
  frontier(): number
  /** Logs a user input; it applies at the next tick to run (behind the frontier it forks). */
  input(input: UserInput): void
  /** Runs exactly `n` more ticks (default 1), pausing first if playing. */
  step(n?: number): Promise<void>
  pause(): void
  /** The state byte of `page` on host 0 (A) or 1 (B), read from the published view. */
  pageState(host: 0 | 1, page: number): number
  /** Number of events in the log window. */
  eventCount(): number

  /**
   * Loads a preset by name (`'partition-migrate'` or `'partition-migrate.json'`) or a scenario
   * object / JSON text. Resolves when loaded at tick 0; rejects with the validation message.
   */
  loadScenario(nameOrJson: string | ScenarioInput): Promise<void>
  /** Time travel to a tick or an event index (running forward past the frontier if needed). */
  stepTo(target: StepTarget): Promise<void>
  /** Moves the event cursor by `delta` events (negative: back). */
  stepEvents(delta: number): Promise<void>
  /** The event index of the cursor (-1: before the first event). */
  cursor(): number
  /** Runs until an event hits `breakpoint` (or any of the UI's breakpoints when omitted). */
  runUntil(breakpoint?: Breakpoint | readonly Breakpoint[]): Promise<StopInfo>
  /** Hash of both hosts' whole state at the current tick. */
  stateHash(): Promise<string>
  /** Hash of the events before the current tick. */
  eventLogHash(): string
  /** Every event of the run up to the frontier (plain objects). */
  events(): readonly SimEvent[]
  /**
   * Resolves when nothing is moving: no navigation pending, not playing, the hosts at the requested
   * tick, no inspector request pending, stable over a short hysteresis.
   */
  waitForIdle(timeoutMs?: number): Promise<void>
  /** 32-bit checksum of a host's page frames (memory contents). */
  framesChecksum(host: HostId): number
  /** Selects an entity for the inspector (null clears). */
  select(selection: Selection | null): void
  /** The shareable URL of the current moment (scenario, seed, cursor, selection). */
  shareUrl(): string
  /** The saved-run JSON text of the current run (see src/ui/export/runFile.ts). */
  saveRun(): string
  /** Loads a saved run: replays it and verifies its event-log hash; rejects with the message. */
  loadRun(text: string): Promise<void>
  /** The run as Chrome / Perfetto trace-event JSON. */
  traceJson(): TraceFile

  /**
   * The RGBA the render worker drew at the centre of `page`'s cell on host 0 (A) or 1 (B)'s page
   * map (read back from its OffscreenCanvas). Rejects when there is no map or no such page.
   */
  pageMapPixel(host: HostId, page: number): Promise<Rgba>
  /** What the render worker draws: per host, page count, canvases, map paints, flash rings. */
  renderStats(): Promise<RenderStats>
  /** How many times the page has told the host workers it is busy (frames, inputs): World.pageBusy. */
  pageBusyCount(): number
  /**
   * The main thread's frame loop passes so far: on animation frames, and by timer while the app is
   * paused and idle (frameLoop.ts).
   */
  framePasses(): { animationFrames: number; idlePolls: number }
  /** Makes the render worker's next frame throw (its failure must be shown, never crash the app). */
  failRenderer(): void
}

declare global {
  interface Window {
    migrationLab?: MigrationLabTestApi
  }
}
