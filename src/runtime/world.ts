/**
 * The one interface the UI and the store use to drive a simulation, whether both hosts run in two
 * Web Workers over SharedArrayBuffers (`WorkerWorld`) or in-process on the main thread
 * (`InProcessWorld`, the fallback when the page is not cross-origin isolated).
 *
 * Per-frame data (page-state maps, the committed tick) is read straight from memory through
 * `frame()`; it never goes through React state. With shared memory, `pageStateSources()` lets
 * another thread (the page maps' render worker) read the page states itself. Low-frequency changes
 * (status, errors, new events, a load's new buffers) are pushed to subscribers.
 */
import type { HostWarmUp } from './warmUp'
import type { EventSeq, HostId, SimEvent } from '../sim/events'
import type { InspectQuery, Inspection } from '../sim/inspect'
import type { AppliedInput, UserInput } from '../sim/inputs'
import type { Scenario } from '../sim/scenario'

export type WorldKind = 'workers' | 'in-process'

export interface HostFrame {
  /** One byte per page (PAGE flags). A live view: read it, never write it. */
  readonly pageState: Uint8Array
}

/**
 * Where another thread reads one host's published page states itself (the page-map render worker
 * does, every frame, so the page maps cost the main thread nothing). Read-only for that thread:
 * the host is the sole writer of both regions (wire/layout.ts). Read with wire/seqlock.ts.
 */
export interface SharedPageStates {
  /** The runtime's control block (Int32 words); `ctl[seqIndex]` is the host's PUB_SEQ seqlock. */
  readonly ctl: SharedArrayBuffer
  readonly seqIndex: number
  /** The host's published view; its page-state bytes start at `byteOffset`. */
  readonly buffer: SharedArrayBuffer
  readonly byteOffset: number
  readonly pageCount: number
}

/** Both hosts' page-state sources of one load (a new load allocates new buffers of new sizes). */
export type PageStateSources = readonly [SharedPageStates, SharedPageStates]

export interface WorldFrame {
  /** Ticks both hosts have completed. */
  readonly tick: number
  readonly hosts: readonly [HostFrame, HostFrame]
}

export type WorldStatus =
  | { readonly state: 'starting' }
  | { readonly state: 'ready'; readonly tick: number; readonly running: boolean }
  | { readonly state: 'error'; readonly host: 'A' | 'B' | 'runtime'; readonly message: string }

export interface WorldListener {
  status?(status: WorldStatus): void
  /** New events, in canonical order, as they are committed past the frontier. */
  events?(batch: readonly SimEvent[]): void
  /** The log was replaced (a new scenario) or cut (a fork): re-read `events()`. */
  reset?(): void
  /**
   * A load replaced the buffers the hosts publish their page states in (shared-memory runtimes
   * only): whoever reads them directly must switch to these before drawing again.
   */
  pageStateSources?(sources: PageStateSources): void
}

export interface World {
  readonly kind: WorldKind
  /** Resolves when both hosts are up (workers started and answered with the protocol version). */
  ready(): Promise<void>
  /** Replaces the running scenario (both hosts rebuilt at tick 0). */
  load(scenario: Scenario): Promise<void>
  /** Runs continuously at `ticksPerSecond` of simulated ticks per wall second. */
  play(ticksPerSecond: number): void
  pause(): void
  /**
   * The page is about to do visible work: an animation frame, or the handler of a click or a key.
   * Host workers give the page their cores until that task is over (at most a few ms each time): on
   * a machine with fewer cores than busy threads, the page otherwise waits behind the hosts and a
   * frame or an input turns into a long task. A no-op in-process. (The shared world also announces
   * the task that takes in each host's answer to `inspect`: the views' polls do their work there.)
   */
  pageBusy(): void
  /** Busy stretches announced so far (pageBusy calls that reached the hosts; 0 in-process). */
  pageBusyCount(): number
  /** Runs exactly `n` more ticks, then stops. */
  step(n?: number): Promise<void>
  /** Runs until `tick` ticks have completed (forward only). */
  runTo(tick: number): Promise<void>
  /** Time travel: puts both hosts exactly where a straight run has them after `tick` ticks. */
  seek(tick: number): Promise<void>
  /**
   * Hash of both hosts' states at the current tick (memory included; messages on the wire are not,
   * since their buffering differs between runtimes). Equal states give equal hashes in any runtime.
   */
  stateHash(): Promise<string>
  /** Asks one host about its state (index table rows, stream stack...); see src/sim/inspect.ts. */
  inspect(host: HostId, query: InspectQuery): Promise<Inspection>
  /** The furthest tick computed on the current timeline (events up to it are in `events()`). */
  frontier(): number
  /** Logs a user input; it applies at the next tick to run. */
  input(input: UserInput): void
  /**
   * Reads the current published frame. `tick` is live; a host's `pageState` is a consistent copy
   * made when it is read (so reading only the tick costs no copy).
   */
  frame(): WorldFrame
  /**
   * Shared-memory runtimes: the current load's page-state sources, for a thread that reads them
   * itself (see `WorldListener.pageStateSources` for later loads). Absent or `undefined` where
   * there is no shared memory (the in-process fallback): read `frame()` instead.
   */
  pageStateSources?(): PageStateSources | undefined
  /**
   * Host workers started with the JIT warm-up (warmUp.ts): resolves with both hosts' reports once
   * each has finished or stopped it. Undefined where no warm-up runs (in-process, or turned off).
   */
  warmUp?(): Promise<readonly [HostWarmUp, HostWarmUp]> | undefined
  status(): WorldStatus
  subscribe(listener: WorldListener): () => void
  /**
   * Every event up to the frontier, in canonical order (it stays whole while seeking back). A live
   * view that grows as the run goes on; with workers it is stored by columns and each `at(i)` makes
   * a new object, so read what you need rather than keeping events (or `slice()` a copy).
   */
  events(): EventSeq
  /** Rolling hash of the committed event log (equal across runtimes for equal inputs). */
  eventLogHash(): string
  /** The input log of the current timeline (scenario inputs first), for saving and replaying runs. */
  inputLog?(): readonly AppliedInput[]
  /** The scenario currently loaded. */
  scenario(): Scenario | undefined
  /** Tears the hosts down and loads the current scenario again from tick 0 (after a failure). */
  restart(): Promise<void>
  dispose(): void
}

/** Combines the two hosts' state hashes into the World's state hash. */
export async function combinedStateHash(world: Pick<World, 'inspect'>): Promise<string> {
  const [a, b] = await Promise.all([
    world.inspect(0, { kind: 'stateHash' }),
    world.inspect(1, { kind: 'stateHash' }),
  ])
  return `${String(a.result)}${String(b.result)}`
}
