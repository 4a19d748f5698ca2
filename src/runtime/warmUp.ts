/**
 * JIT warm-up of a host worker, run in the background right after start-up.
 *
 * A fresh worker's V8 compiles the host code as it gets hot, and it compiles it again each time
 * the run meets code or object shapes it had not met before: the migration's first messages
 * threw away (deoptimized) the optimized run loop, and its second compile took 170–180 ms of a
 * core per host. Those compile jobs run on the renderer's shared V8 thread pool, next to the page:
 * in the render benchmark they used 45–70 % of a core through the first 1.5 s after Play, on a
 * 2-core machine that also runs both hosts, the page and the compositor, and they stretched the
 * page's frames. Running small migrations here first moves that work to the moments after the app
 * loads, before anybody presses Play.
 *
 * The warm-up runs both hosts' runners (HostRunner, the code a real run uses) in this one thread,
 * over buffers of its own: it shares nothing with the loaded run and changes no result. It runs in
 * short chunks between the worker's tasks, so a load or an inspection waits a chunk at most, and it
 * stops for good once the real run starts ticking.
 */
import { parseScenario, type Scenario } from '../sim/scenario'
import type { SimEvent } from '../sim/events'
import { memoryLayout } from '../sim/memory'
import { linkParams } from '../sim/net'
import { HostRunner } from './hostLoop'
import { drainEvents } from './wire/codec'
import { createControlBuffer, createLoadBuffers, CTL } from './wire/layout'
import { openRing, type Ring } from './wire/ring'
import { RunAborted, waitForPeer } from './wire/sync'

/**
 * What the warm-up runs, in order: the migration paths of the presets, small. A whole-partition
 * migration with a STREAMS checkpoint and restart, iterative pre-copy into its stop-and-copy round,
 * then post-copy with the patent's pre-paging, eager hot pages and staged background touching to
 * the source's release.
 */
export const WARM_UP_SCENARIOS: readonly Scenario[] = [
  parseScenario(
    {
      name: 'warm-up: partition',
      seed: 3,
      durationTicks: 3_000,
      migration: { pages: 512 },
      streams: { preset: 'terminal', traffic: { stopTick: 2_000 } },
      inputs: [{ atTick: 200, input: { type: 'partition.migrate' } }],
    },
    'warm-up scenario',
  ),
  parseScenario(
    {
      name: 'warm-up: pre-copy',
      seed: 2,
      durationTicks: 6_000,
      migration: {
        pages: 1024,
        pageSize: 1024,
        strategy: 'precopy',
        migrateAtTick: 200,
        workload: { kind: 'hotcold', accessesPerTick: 100, writeFraction: 0.2 },
      },
    },
    'warm-up scenario',
  ),
  // Last and longest: the code's final optimized state is the one of the most common run.
  parseScenario(
    {
      name: 'warm-up: post-copy',
      seed: 1,
      durationTicks: 24_000,
      // A slow link, so that requests queue behind background batches as in a large memory's run.
      link: { bandwidthMbps: 100 },
      migration: {
        pages: 2048,
        pageSize: 1024,
        strategy: 'postcopy',
        migrateAtTick: 200,
        workload: { kind: 'hotcold', accessesPerTick: 400, writeFraction: 0.2 },
        postcopy: {
          prepaging: 'patent',
          eagerHotPages: 64,
          background: { waitUs: 5_000, latencyUs: 5_000 },
        },
      },
    },
    'warm-up scenario',
  ),
]

/**
 * The warm-up's rings: small, so that their writers and readers wrap around them over and over
 * as a long real run does (code that had never wrapped was thrown away at the first wrap). They
 * still hold the largest message of the warm-up scenarios (the index table of 2,048 pages) and
 * every event of a round (the warm-up drains them after each).
 */
const WARM_RING_BYTES = { link: 1 << 18, events: 1 << 18, inputs: 1 << 12 } as const

/**
 * Every this many rounds, the warm-up takes the runners through the paths of a real run that its
 * one thread never meets by itself (see `exerciseWaits`).
 */
const EXERCISE_EVERY_ROUNDS = 32
/** How long a warm-up runner gives way to the (simulated) busy page. */
const WARM_UI_YIELD_MS = 0.2

export interface WarmUpReport {
  /** 'done': every scenario ran to its end; 'stopped': the real run started first. */
  readonly outcome: 'done' | 'stopped'
  /** Ticks run, summed over both hosts and the scenarios. */
  readonly ticks: number
  /** Scenarios run to their end. */
  readonly scenarios: number
  /** Times the runners were taken through a wait for the peer and a busy page. */
  readonly exercises: number
  /** The runs' events by kind: what the warm-up went through. */
  readonly events: Readonly<Record<string, number>>
}

/** One host worker's warm-up as it reports it to the main thread. */
export type HostWarmUp =
  | (WarmUpReport & { readonly ms: number })
  | { readonly outcome: 'failed'; readonly message: string; readonly ms: number }

/** Wall time of one warm-up chunk: a load or an inspection arriving meanwhile waits this long. */
export const WARM_UP_CHUNK_MS = 8

interface Pair {
  readonly ctl: Int32Array
  readonly runners: readonly [HostRunner, HostRunner]
  readonly events: readonly [Ring, Ring]
  readonly end: number
  readonly lookahead: number
}

export class WarmUp {
  private readonly scenarios = WARM_UP_SCENARIOS
  private next = 0
  private pair: Pair | undefined
  /** Ticks reached per host in the open scenario. */
  private reached: [number, number] = [0, 0]
  private ticks = 0
  private finished = 0
  /** Drained events, counted by kind and dropped: a warm-up run is nobody's log. */
  private readonly drained: SimEvent[] = []
  private readonly eventCounts = new Map<string, number>()
  private rounds = 0
  private exercises = 0
  /** The warm-up's stand-in for the page's busy-stretch counter (CTL.UI_BUSY). */
  private busyStretches = 0

  get report(): WarmUpReport {
    return {
      outcome: this.finished === this.scenarios.length ? 'done' : 'stopped',
      ticks: this.ticks,
      scenarios: this.finished,
      exercises: this.exercises,
      events: Object.fromEntries(this.eventCounts),
    }
  }

  /**
   * Runs warm-up ticks for about `budgetMs` of wall time (at least one slice per host). Returns
   * false once every scenario has run to its end.
   */
  step(budgetMs: number): boolean {
    const until = performance.now() + budgetMs
    do {
      const pair = this.pair ?? this.open()
      if (!pair) return false
      const [a, b] = pair.runners
      // Lock step in one thread: a host may run to tick t once its peer has finished t - L, so
      // each may go L ticks past the slower one and never waits for the other.
      const [doneA, doneB] = this.reached
      const target = Math.min(pair.end, Math.min(doneA, doneB) + pair.lookahead)
      const exercise =
        ++this.rounds % EXERCISE_EVERY_ROUNDS === 0 && doneB + pair.lookahead < pair.end
      if (exercise) this.exerciseWaits(pair, doneB)
      const nowA = a.runTicks(target)
      const nowB = b.runTicks(target)
      if (exercise) Atomics.store(pair.ctl, CTL.UI_BUSY, 0)
      this.ticks += nowA - doneA + nowB - doneB
      this.reached = [nowA, nowB]
      for (const ring of pair.events) {
        drainEvents(ring, this.drained)
        for (const ev of this.drained)
          this.eventCounts.set(ev.kind, (this.eventCounts.get(ev.kind) ?? 0) + 1)
        this.drained.length = 0
      }
      if (nowA >= pair.end && nowB >= pair.end) {
        this.pair = undefined
        this.finished++
      }
    } while (performance.now() < until)
    return this.pair !== undefined || this.next < this.scenarios.length
  }

  /**
   * A real run's hosts wait for each other and give way to the page; in one thread neither ever
   * happens, and V8 compiled the run loop without those paths. The first wait or busy frame of the
   * real run then threw the optimized loop away, and compiling it again took 60-70 ms of a core in
   * the run's first seconds. So, now and then:
   * - host A is asked for a tick its peer has not made possible yet. It spins, announces its wait,
   *   and its abort check finds the epoch changed (as a new load does), which ends the wait;
   * - the page is marked busy for the round's slices, and each host gives way for a moment;
   * - the first time, a wait that sleeps and times out (`exerciseSleep`).
   */
  private exerciseWaits(pair: Pair, doneB: number): void {
    if (this.exercises === 0) exerciseSleep()
    const ctl = pair.ctl
    Atomics.store(ctl, CTL.EPOCH, 1)
    try {
      pair.runners[0].runTicks(doneB + pair.lookahead + 1)
      throw new Error('warm-up: host A ran past its peer')
    } catch (e) {
      if (!(e instanceof RunAborted)) throw e
    } finally {
      Atomics.store(ctl, CTL.EPOCH, 0)
    }
    this.exercises++
    this.busyStretches = (this.busyStretches % 0x3fffffff) + 1
    Atomics.store(ctl, CTL.UI_BUSY, this.busyStretches)
  }

  private open(): Pair | undefined {
    const parsed = this.scenarios[this.next]
    if (!parsed) return undefined
    this.next++
    // A load's scenario reaches the worker through postMessage's structured clone, so the warm-up
    // runs on objects built the same way. Before this (and the post-copy run moved last) the real
    // run's first ticks threw the warmed run loop away on "wrong map" checks; after, they did not.
    const scenario = structuredClone(parsed)
    const ctlBuffer = createControlBuffer()
    const layouts = [memoryLayout(scenario, 0), memoryLayout(scenario, 1)] as const
    const buffers = createLoadBuffers(
      [layouts[0].pageCount, layouts[1].pageCount],
      [new SharedArrayBuffer(layouts[0].frameBytes), new SharedArrayBuffer(layouts[1].frameBytes)],
      WARM_RING_BYTES,
    )
    const runners = [
      new HostRunner(0, ctlBuffer, WARM_UI_YIELD_MS),
      new HostRunner(1, ctlBuffer, WARM_UI_YIELD_MS),
    ] as const
    for (const r of runners) r.load(0, scenario, buffers, undefined, false)
    this.reached = [0, 0]
    this.pair = {
      ctl: new Int32Array(ctlBuffer),
      runners,
      events: [
        openRing(buffers.events[0], 'warm-up events A'),
        openRing(buffers.events[1], 'warm-up events B'),
      ],
      end: scenario.durationTicks,
      lookahead: linkParams(scenario.link, scenario.tickUs).latencyTicks,
    }
    return this.pair
  }
}

/**
 * The sleeping end of `waitForPeer`, which the runners' exercise never reaches (its abort check
 * ends the wait before the sleep): one sleep that times out (WAIT_SLICE_MS, 25 ms), then a wait
 * whose counter moves during the check, so the sleep returns at once, then the peer's arrival.
 */
function exerciseSleep(): void {
  const words = new Int32Array(new SharedArrayBuffer(8))
  let checks = 0
  waitForPeer(words, 0, 1, 2, 1, () => {
    checks++
    if (checks >= 2) Atomics.store(words, 0, checks - 1)
  })
}
