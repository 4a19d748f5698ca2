/**
 * SharedWorld: the main-thread side of the two-worker runtime. It never blocks: it stores TARGET,
 * bumps WAKE, reads DONE words and drains the event rings from a scheduled pump (requestAnimationFrame
 * in the browser, timers in Node). The same class drives browser Web Workers and Node worker_threads;
 * only `spawn` and `schedule` differ.
 */
import {
  compareEvents,
  firstEventAt,
  type EventSeq,
  type HostId,
  type SimEvent,
} from '../sim/events'
import { EventColumns } from '../sim/eventColumns'
import { createHasher, digest, type Hasher } from '../sim/hash'
import type { AppliedInput, UserInput } from '../sim/inputs'
import { traceFor } from './trace'
import type { InspectQuery, Inspection } from '../sim/inspect'
import { memoryLayout } from '../sim/memory'
import type { Scenario } from '../sim/scenario'
import { PROTOCOL_VERSION, type FromHost, type ToHost } from './protocol'
import type { HostWarmUp } from './warmUp'
import { drainEvents, writeInput } from './wire/codec'
import {
  createControlBuffer,
  createLoadBuffers,
  CTL,
  openPublished,
  PUB_HEADER_INTS,
  PUB_PAGES_OFFSET,
  RING_BYTES,
  snapshotInterval,
  type LoadBuffers,
  type PublishedViews,
} from './wire/layout'
import { createRingBuffer, openRing, type Ring } from './wire/ring'
import { seqlockCopy } from './wire/seqlock'
import type {
  HostFrame,
  PageStateSources,
  SharedPageStates,
  World,
  WorldFrame,
  WorldListener,
  WorldStatus,
} from './world'
import { combinedStateHash } from './world'

/** A host worker as the coordinator sees it (a Web Worker or a Node worker_thread). */
export interface HostEndpoint {
  post(message: ToHost): void
  /** Registers the message handler (called once). */
  listen(onMessage: (m: FromHost) => void, onFailure: (message: string) => void): void
  terminate(): void
}

export interface SharedWorldOptions {
  readonly spawn: (host: HostId) => HostEndpoint
  /** Schedules the next pump (rAF in the browser). */
  readonly schedule: (pump: () => void) => void
  readonly now: () => number
  /** Watchdog: a run with no progress for this long is reported as a hung host. */
  readonly stallMs?: number
  /** Each host worker runs the JIT warm-up (warmUp.ts) in the background once it is up. */
  readonly warmUp?: boolean
}

interface LoadState {
  epoch: number
  readonly scenario: Scenario
  buffers: LoadBuffers
  eventRings: readonly [Ring, Ring]
  inputRings: readonly [Ring, Ring]
  readonly snapshotEvery: number
  /**
   * Both hosts have taken this load (answered `loaded`). Until then their DONE words may still hold
   * the previous run's ticks (see committed()).
   */
  acknowledged: boolean
  /** The furthest tick computed on this timeline; events below it are in the log already. */
  frontier: number
  /** While replaying behind the frontier: index of the next log event the hosts must re-emit. */
  replayIdx: number
  readonly published: readonly [PublishedViews, PublishedViews]
  readonly frames: readonly [Uint8Array, Uint8Array]
  /** Per host: drained events not yet committed (tick >= committed). */
  pending: [SimEvent[], SimEvent[]]
  inputs: AppliedInput[]
  /** Last consistent copies of the published page-state maps. */
  readonly pageCopies: readonly [Uint8Array, Uint8Array]
  readonly headerCopies: readonly [Int32Array, Int32Array]
  readonly scratchPages: readonly [Uint8Array, Uint8Array]
  readonly scratchHeaders: readonly [Int32Array, Int32Array]
  /** The published views as other threads read them (the page-map render worker). */
  readonly sources: PageStateSources
}

/** Simulated ticks the runtime may run ahead of what the UI has drained, per pump. */
const MAX_AHEAD = 50_000

/** Log events folded into the running hash per pump, at most (about half a millisecond). */
const HASH_FOLD_PER_PUMP = 4096

export class SharedWorld implements World {
  readonly kind = 'workers' as const
  private readonly opts: SharedWorldOptions
  private readonly ctlBuffer = createControlBuffer()
  private readonly ctl = new Int32Array(this.ctlBuffer)
  private endpoints: [HostEndpoint, HostEndpoint] | undefined
  private readyPromise: Promise<void> | undefined
  private st: WorldStatus = { state: 'starting' }
  private load_: LoadState | undefined
  private readonly listeners = new Set<WorldListener>()
  /** Every committed event of the timeline, by columns (see sim/eventColumns.ts for why). */
  private readonly log = new EventColumns()
  /**
   * The running hash of the log's first `hashed` events. Each pump folds in at most
   * HASH_FOLD_PER_PUMP more (what a frame commits at full speed is a few hundred, from the columns:
   * tens of microseconds); a hash asked for folds the rest. Folded only when asked, the report's
   * hash, once a second while playing, was a second's events in one task (4 to 22 ms, measured),
   * and a pause after minutes of play would fold millions. The cap keeps the refold after a fork
   * (from the start of the log) off any one frame.
   */
  private hasher: Hasher = createHasher(0xe7e7)
  private hashed = 0
  private playing = false
  private ticksPerSecond = 0
  private targetF = 0
  private lastPump = 0
  private pumpScheduled = false
  private disposed = false
  private waiters: { tick: number; resolve: () => void; reject: (e: Error) => void }[] = []
  private loadWaiters = new Map<HostId, { resolve: () => void; reject: (e: Error) => void }>()
  private watch = { committed: 0, beats: 0, since: 0 }
  private readonly watchdogTimer: ReturnType<typeof setInterval>
  /** The page's busy stretches announced so far (CTL.UI_BUSY holds a non-zero number from it). */
  private uiBusyCount = 0
  /**
   * Clears CTL.UI_BUSY in a task queued from the busy one: it runs once that task is over (for a
   * frame, after its rendering: style, layout, paint, commit).
   */
  private readonly uiBusyDone = new MessageChannel()
  private uiClearQueued = false

  constructor(opts: SharedWorldOptions) {
    this.opts = opts
    this.watchdogTimer = setInterval(() => this.watchdog(), 500)
    const port = this.uiBusyDone.port1 as unknown as {
      onmessage: (() => void) | null
      unref?: () => void
    }
    port.onmessage = () => {
      this.uiClearQueued = false
      Atomics.store(this.ctl, CTL.UI_BUSY, 0)
    }
    // Node: an idle port must not keep the process alive.
    port.unref?.()
  }

  pageBusy(): void {
    if (this.disposed) return
    this.uiBusyCount++
    Atomics.store(this.ctl, CTL.UI_BUSY, (this.uiBusyCount % 0x3fffffff) + 1)
    if (!this.uiClearQueued) {
      this.uiClearQueued = true
      this.uiBusyDone.port2.postMessage(0)
    }
  }

  pageBusyCount(): number {
    return this.uiBusyCount
  }

  ready(): Promise<void> {
    this.readyPromise ??= this.start()
    return this.readyPromise
  }

  /** The hosts' JIT warm-ups of the current workers (see WarmUps). */
  private warmUps = new WarmUps()

  warmUp(): Promise<readonly [HostWarmUp, HostWarmUp]> | undefined {
    return this.opts.warmUp ? this.warmUps.both : undefined
  }

  private start(): Promise<void> {
    this.warmUps = new WarmUps()
    const endpoints: [HostEndpoint, HostEndpoint] = [this.opts.spawn(0), this.opts.spawn(1)]
    this.endpoints = endpoints
    const ready = endpoints.map(
      (ep, i) =>
        new Promise<void>((resolve, reject) => {
          ep.listen(
            (m) => {
              if (m.type === 'ready') {
                if (m.version !== PROTOCOL_VERSION) {
                  reject(
                    new Error(
                      `host worker speaks protocol ${m.version}, expected ${PROTOCOL_VERSION}`,
                    ),
                  )
                } else resolve()
              } else this.onHostMessage(m)
            },
            (message) => {
              this.fail(i === 0 ? 'A' : 'B', message)
              reject(new Error(message))
            },
          )
          ep.post({
            type: 'init',
            version: PROTOCOL_VERSION,
            host: i as HostId,
            ctl: this.ctlBuffer,
            ...(this.opts.warmUp ? { warmUp: true } : {}),
          })
        }),
    )
    return Promise.all(ready).then(() => {
      if (this.st.state === 'starting') this.setStatus({ state: 'ready', tick: 0, running: false })
    })
  }

  private onHostMessage(m: FromHost): void {
    switch (m.type) {
      case 'ready':
        return
      case 'inspected': {
        const w = this.inspectWaiters.get(m.id)
        this.inspectWaiters.delete(m.id)
        if (w) {
          // What waits for an answer (the views' polls: timeline, report, charts) runs in this
          // task, and its work can be a frame's worth: the hosts give way to it as to a frame.
          this.pageBusy()
          if (m.inspection) w.resolve(m.inspection)
          else w.reject(new Error(m.error ?? 'inspection failed'))
        }
        return
      }
      case 'benchDone':
        if (m.host === 0) this.benchWaiter?.(m.ms)
        return
      case 'warmedUp':
        this.warmUps.report(m.host, m.warmUp)
        return
      case 'loaded':
      case 'sought':
        if (this.load_ && m.epoch === this.load_.epoch) this.loadWaiters.get(m.host)?.resolve()
        return
      case 'error':
        this.fail(
          m.host === 0 ? 'A' : 'B',
          m.tick >= 0 ? `${m.message} (tick ${m.tick})` : m.message,
        )
        return
    }
  }

  private fail(host: 'A' | 'B' | 'runtime', message: string): void {
    if (this.st.state === 'error') return
    this.playing = false
    this.setStatus({ state: 'error', host, message })
    for (const w of this.waiters) w.reject(new Error(`host ${host}: ${message}`))
    this.waiters = []
    // A load or seek waiting for the hosts' answer must not hang either.
    for (const w of this.loadWaiters.values()) w.reject(new Error(`host ${host}: ${message}`))
    this.loadWaiters.clear()
  }

  private setStatus(s: WorldStatus): void {
    this.st = s
    for (const l of this.listeners) l.status?.(s)
  }

  /**
   * Host X's frames for a new load: the previous load's buffer when the size matches. Its memory
   * is already backed by the OS, so page copies into it do not pay first-touch faults (≈ 4 µs a page
   * here); the host zeroes it before building its memory.
   */
  private framesFor(host: HostId, bytes: number): SharedArrayBuffer {
    const previous = this.load_?.buffers.frames[host]
    return previous?.byteLength === bytes ? previous : new SharedArrayBuffer(bytes)
  }

  async load(scenario: Scenario): Promise<void> {
    await this.ready()
    const endpoints = this.endpoints
    if (!endpoints) throw new Error('runtime not started')
    // Stop everything of the previous epoch first: TARGET 0, new epoch, wake every waiter.
    this.playing = false
    Atomics.store(this.ctl, CTL.TARGET, 0)
    const epoch = Atomics.add(this.ctl, CTL.EPOCH, 1) + 1
    this.bumpWake()
    const sizes = [memoryLayout(scenario, 0), memoryLayout(scenario, 1)] as const
    const buffers = createLoadBuffers(
      [sizes[0].pageCount, sizes[1].pageCount],
      [this.framesFor(0, sizes[0].frameBytes), this.framesFor(1, sizes[1].frameBytes)],
    )
    const published = [
      openPublished(buffers.published[0], sizes[0].pageCount),
      openPublished(buffers.published[1], sizes[1].pageCount),
    ] as const
    this.load_ = {
      epoch,
      scenario,
      buffers,
      snapshotEvery: snapshotInterval(
        [sizes[0].frameBytes, sizes[1].frameBytes],
        scenario.durationTicks,
      ),
      acknowledged: false,
      frontier: 0,
      replayIdx: 0,
      eventRings: [
        openRing(buffers.events[0], 'events A'),
        openRing(buffers.events[1], 'events B'),
      ],
      inputRings: [
        openRing(buffers.inputs[0], 'inputs A'),
        openRing(buffers.inputs[1], 'inputs B'),
      ],
      published,
      frames: [new Uint8Array(buffers.frames[0]), new Uint8Array(buffers.frames[1])],
      pending: [[], []],
      inputs: scenario.inputs.map((s, seq) => ({ seq, applyAt: s.atTick, input: s.input })),
      pageCopies: [new Uint8Array(sizes[0].pageCount), new Uint8Array(sizes[1].pageCount)],
      headerCopies: [new Int32Array(PUB_HEADER_INTS), new Int32Array(PUB_HEADER_INTS)],
      scratchPages: [new Uint8Array(sizes[0].pageCount), new Uint8Array(sizes[1].pageCount)],
      scratchHeaders: [new Int32Array(PUB_HEADER_INTS), new Int32Array(PUB_HEADER_INTS)],
      sources: [
        this.sourceOf(0, buffers.published[0], sizes[0].pageCount),
        this.sourceOf(1, buffers.published[1], sizes[1].pageCount),
      ],
    }
    this.log.clear()
    this.hasher = createHasher(0xe7e7)
    this.hashed = 0
    for (const listener of this.listeners) {
      listener.reset?.()
      listener.pageStateSources?.(this.load_.sources)
    }
    this.targetF = 0
    const loaded = [0, 1].map(
      (h) =>
        new Promise<void>((resolve, reject) =>
          this.loadWaiters.set(h as HostId, { resolve, reject }),
        ),
    )
    const trace = traceFor(scenario)
    for (const ep of endpoints)
      ep.post({ type: 'load', epoch, scenario, buffers, ...(trace ? { trace } : {}) })
    await Promise.all(loaded)
    this.loadWaiters.clear()
    if (this.load_?.epoch === epoch) this.load_.acknowledged = true
    if (this.st.state !== 'error') this.setStatus({ state: 'ready', tick: 0, running: false })
    this.watch = { committed: 0, beats: 0, since: this.opts.now() }
    this.requestPump()
  }

  private sourceOf(h: HostId, buffer: SharedArrayBuffer, pageCount: number): SharedPageStates {
    return {
      ctl: this.ctlBuffer,
      seqIndex: CTL.PUB_SEQ[h],
      buffer,
      byteOffset: PUB_PAGES_OFFSET,
      pageCount,
    }
  }

  private bumpWake(): void {
    Atomics.add(this.ctl, CTL.WAKE, 1)
    Atomics.notify(this.ctl, CTL.WAKE)
  }

  private committed(): number {
    // A load not yet taken by both hosts has run nothing: their DONE words may still hold the
    // previous run's ticks, and a pump in between took them for the new run's frontier. Every
    // event of the new run then looked like a replay, and the run failed as "replay diverged" at
    // its first event (loading a scenario after playing another; runtime.test.ts).
    if (this.load_ && !this.load_.acknowledged) return 0
    return Math.min(Atomics.load(this.ctl, CTL.DONE[0]), Atomics.load(this.ctl, CTL.DONE[1]))
  }

  private setTarget(target: number): void {
    const cur = Atomics.load(this.ctl, CTL.TARGET)
    if (target > cur) {
      Atomics.store(this.ctl, CTL.TARGET, target)
      this.bumpWake()
    }
  }

  play(ticksPerSecond: number): void {
    if (!this.load_ || this.st.state === 'error') return
    this.ticksPerSecond = Math.max(0, ticksPerSecond)
    this.targetF = Math.max(this.targetF, Atomics.load(this.ctl, CTL.TARGET))
    this.lastPump = this.opts.now()
    this.playing = true
    this.setStatus({ state: 'ready', tick: this.committed(), running: true })
    this.requestPump()
  }

  pause(): void {
    this.playing = false
    if (this.st.state === 'ready')
      this.setStatus({ state: 'ready', tick: this.committed(), running: false })
  }

  /**
   * Steps and runs wait for a seek or fork in progress (`busy`): started meanwhile, they would raise
   * TARGET on the old timeline's hosts, be answered from it, and then be undone by the seek.
   */
  step(n = 1): Promise<void> {
    return this.afterBusy(() => {
      const base = Math.max(Atomics.load(this.ctl, CTL.TARGET), this.committed())
      return this.runToNow(base + Math.max(1, Math.floor(n)))
    })
  }

  runTo(tick: number): Promise<void> {
    return this.afterBusy(() => this.runToNow(tick))
  }

  /** Seeks and forks not finished yet (see `busy`). */
  private pendingSeeks = 0

  private afterBusy(run: () => Promise<void>): Promise<void> {
    return this.pendingSeeks > 0 ? this.busy.then(run) : run()
  }

  private runToNow(tick: number): Promise<void> {
    if (this.st.state === 'error') return Promise.reject(new Error('runtime failed; restart it'))
    if (!this.load_) return Promise.reject(new Error('no scenario loaded'))
    const p = new Promise<void>((resolve, reject) => this.waiters.push({ tick, resolve, reject }))
    this.setTarget(tick)
    this.targetF = Math.max(this.targetF, tick)
    this.requestPump()
    return p
  }

  input(input: UserInput): void {
    // During a seek or fork TARGET is not the tick the user sees: apply it once that is done.
    if (this.pendingSeeks > 0) {
      void this.busy.then(() => this.input(input))
      return
    }
    const l = this.load_
    if (!l) return
    // Ticks below TARGET may already be running: the earliest safe tick is TARGET itself. The input
    // reaches both rings before TARGET can be raised past it, because this thread does both.
    const applyAt = Atomics.load(this.ctl, CTL.TARGET)
    if (applyAt < l.frontier) {
      this.fork(l, applyAt, input)
      return
    }
    const applied: AppliedInput = { seq: l.inputs.length, applyAt, input }
    l.inputs.push(applied)
    for (const ring of l.inputRings) {
      if (!writeInput(ring, applied)) this.fail('runtime', 'input ring full')
    }
  }

  /**
   * An input behind the frontier rewrites the future: the log after `at` and the user inputs of the
   * discarded future go, and the hosts restart from their last snapshot with the new input log (they
   * may hold inputs of the old future, so patching them in place would not be safe).
   */
  private fork(l: LoadState, at: number, input: UserInput): void {
    const base = l.scenario.inputs.length
    l.inputs = l.inputs.filter((i) => i.seq < base || i.applyAt < at)
    l.inputs.push({ seq: l.inputs.length, applyAt: at, input })
    this.log.truncate(firstEventAt(this.log, at))
    this.hasher = createHasher(0xe7e7)
    this.hashed = 0
    l.frontier = at
    for (const listener of this.listeners) listener.reset?.()
    const committed = this.committed()
    // A failed replay is reported through the status (the hosts' error); nobody awaits the fork.
    this.queue(async () => {
      await this.reseek(l, Math.floor(committed / l.snapshotEvery) * l.snapshotEvery, at)
      await this.runToNow(committed)
    }).catch(() => undefined)
  }

  /** Serializes seeks and forks (each replaces rings and epochs). */
  private busy: Promise<void> = Promise.resolve()

  /** Runs `run` after the seeks and forks queued before it; counted in `pendingSeeks` meanwhile. */
  private queue(run: () => Promise<void>): Promise<void> {
    this.pendingSeeks++
    const p = this.busy.then(run).finally(() => this.pendingSeeks--)
    this.busy = p.catch(() => undefined)
    return p
  }

  /**
   * Puts both hosts exactly where a straight run has them after `tick` ticks: forward by running,
   * backward by restoring the snapshot at or before `tick` and replaying deterministically.
   */
  seek(tick: number): Promise<void> {
    const run = async () => {
      const l = this.load_
      if (!l) throw new Error('no scenario loaded')
      const target = Math.max(0, Math.floor(tick))
      const committed = this.committed()
      // The latest snapshot at or before the target. Both hosts took it if the timeline reached
      // it (they snapshot every `snapshotEvery` ticks they pass). Going forward, restoring it beats
      // replaying from here when it lies ahead of us.
      const snap = Math.floor(target / l.snapshotEvery) * l.snapshotEvery
      if (target < committed || (snap > committed && snap <= l.frontier)) {
        await this.reseek(l, snap, Infinity)
      }
      await this.runToNow(target)
    }
    return this.queue(run)
  }

  private async reseek(l: LoadState, snapshotTick: number, dropAfter: number): Promise<void> {
    const endpoints = this.endpoints
    if (!endpoints) throw new Error('runtime not started')
    this.playing = false
    Atomics.store(this.ctl, CTL.TARGET, 0)
    const epoch = Atomics.add(this.ctl, CTL.EPOCH, 1) + 1
    this.bumpWake()
    const buffers: LoadBuffers = {
      ...l.buffers,
      linkAB: createRingBuffer(RING_BYTES.link),
      linkBA: createRingBuffer(RING_BYTES.link),
      events: [createRingBuffer(RING_BYTES.events), createRingBuffer(RING_BYTES.events)],
      inputs: [createRingBuffer(RING_BYTES.inputs), createRingBuffer(RING_BYTES.inputs)],
    }
    l.buffers = buffers
    l.epoch = epoch
    l.eventRings = [
      openRing(buffers.events[0], 'events A'),
      openRing(buffers.events[1], 'events B'),
    ]
    l.inputRings = [
      openRing(buffers.inputs[0], 'inputs A'),
      openRing(buffers.inputs[1], 'inputs B'),
    ]
    l.pending = [[], []]
    const sought = [0, 1].map(
      (h) =>
        new Promise<void>((resolve, reject) =>
          this.loadWaiters.set(h as HostId, { resolve, reject }),
        ),
    )
    for (const ep of endpoints) ep.post({ type: 'seek', epoch, snapshotTick, dropAfter, buffers })
    await Promise.all(sought)
    this.loadWaiters.clear()
    // Replay: the hosts re-emit the log from the snapshot on; commitEvents checks them against it.
    l.replayIdx = firstEventAt(this.log, snapshotTick)
    for (const inp of l.inputs) {
      if (inp.applyAt < snapshotTick) continue
      for (const ring of l.inputRings) {
        if (!writeInput(ring, inp)) this.fail('runtime', 'input ring full')
      }
    }
    this.targetF = snapshotTick
    this.watch = { committed: snapshotTick, beats: 0, since: this.opts.now() }
  }

  private benchWaiter: ((ms: number) => void) | undefined
  private inspectSeq = 0
  private readonly inspectWaiters = new Map<
    number,
    { resolve: (i: Inspection) => void; reject: (e: Error) => void }
  >()

  inspect(host: HostId, query: InspectQuery): Promise<Inspection> {
    const ep = this.endpoints?.[host]
    if (!ep || !this.load_) return Promise.reject(new Error('no scenario loaded'))
    const id = ++this.inspectSeq
    return new Promise<Inspection>((resolve, reject) => {
      this.inspectWaiters.set(id, { resolve, reject })
      ep.post({ type: 'inspect', id, query })
    })
  }

  /**
   * Benchmark baseline: a bare wait/notify ping-pong of `rounds` round trips between the two host
   * workers (optionally with a `copyBytes` copy per round). Resolves with host A's wall time in ms.
   * Pauses the run first; the hosts are parked while it runs.
   */
  async benchPingPong(rounds: number, copyBytes = 0, spin = true): Promise<number> {
    await this.ready()
    const endpoints = this.endpoints
    if (!endpoints) throw new Error('runtime not started')
    this.pause()
    const done = new Promise<number>((resolve) => (this.benchWaiter = resolve))
    // The one exception to single-writer: both hosts are idle between benchmark runs, so main
    // zeroes their counters before starting the next one.
    Atomics.store(this.ctl, CTL.BENCH[0], 0)
    Atomics.store(this.ctl, CTL.BENCH[1], 0)
    for (const ep of endpoints) ep.post({ type: 'bench', rounds, copyBytes, spin })
    const ms = await done
    this.benchWaiter = undefined
    return ms
  }

  /** The furthest tick computed on the current timeline. */
  stateHash(): Promise<string> {
    return combinedStateHash(this)
  }

  frontier(): number {
    return this.load_?.frontier ?? 0
  }

  /** The input log of the current load (scenario inputs first), for saving and replaying runs. */
  inputLog(): readonly AppliedInput[] {
    return this.load_?.inputs ?? []
  }

  private requestPump(): void {
    if (this.pumpScheduled || this.disposed) return
    this.pumpScheduled = true
    this.opts.schedule(() => {
      this.pumpScheduled = false
      this.pump()
    })
  }

  /** Drains and commits events, advances TARGET in play mode, resolves waiters. Never blocks. */
  pump(): void {
    const l = this.load_
    if (!l || this.disposed) return
    const committed = this.committed()
    for (const h of [0, 1] as const) drainEvents(l.eventRings[h], l.pending[h])
    this.commitEvents(l, committed)
    this.foldHash(HASH_FOLD_PER_PUMP)
    if (this.playing) {
      const now = this.opts.now()
      const dt = Math.min(0.25, Math.max(0, (now - this.lastPump) / 1000))
      this.lastPump = now
      this.targetF = Math.min(this.targetF + this.ticksPerSecond * dt, committed + MAX_AHEAD)
      this.targetF = Math.min(this.targetF, l.scenario.durationTicks)
      this.setTarget(Math.floor(this.targetF))
      if (committed >= l.scenario.durationTicks) this.pause()
    }
    if (this.waiters.length) {
      const still: typeof this.waiters = []
      for (const w of this.waiters) (committed >= w.tick ? w.resolve : () => still.push(w))()
      this.waiters = still
    }
    if (this.st.state === 'ready' && this.st.tick !== committed) {
      this.st = { state: 'ready', tick: committed, running: this.playing }
    }
    const target = Atomics.load(this.ctl, CTL.TARGET)
    if (this.playing || this.waiters.length || committed < target) this.requestPump()
    else if (l.pending[0].length || l.pending[1].length) this.requestPump()
  }

  private commitEvents(l: LoadState, committed: number): void {
    const [a, b] = l.pending
    let i = 0
    let j = 0
    const batch: SimEvent[] = []
    for (;;) {
      const ea = a[i]
      const eb = b[j]
      const okA = ea !== undefined && ea.tick < committed
      const okB = eb !== undefined && eb.tick < committed
      if (!okA && !okB) break
      const takeA = okA && (!okB || compareEvents(ea, eb as SimEvent) <= 0)
      const ev = takeA ? (ea as SimEvent) : (eb as SimEvent)
      if (takeA) i++
      else j++
      if (ev.tick < l.frontier) {
        const r = l.replayIdx
        const log = this.log
        if (
          r >= log.length ||
          log.kindAt(r) !== ev.kind ||
          log.tickAt(r) !== ev.tick ||
          log.seqAt(r) !== ev.seq
        ) {
          const expected = r < log.length ? log.kindAt(r) : 'no event'
          this.fail(
            ev.host === 0 ? 'A' : 'B',
            `replay diverged at tick ${ev.tick}: expected ${expected}, got ${ev.kind}`,
          )
          return
        }
        l.replayIdx++
        continue
      }
      batch.push(ev)
    }
    if (i) a.splice(0, i)
    if (j) b.splice(0, j)
    if (committed > l.frontier) l.frontier = committed
    if (batch.length) {
      for (const ev of batch) this.log.push(ev)
      for (const listener of this.listeners) listener.events?.(batch)
    }
  }

  /** Per host: the publication (PUB_SEQ value) the load's page copies hold (-1: none yet). */
  private copied: { load: LoadState | undefined; seq: [number, number] } = {
    load: undefined,
    seq: [-1, -1],
  }

  /**
   * Brings host `h`'s copies of the current load up to its latest consistent publication. Seqlock
   * read: copy into scratch, keep it only if no publication was in progress or happened meanwhile;
   * otherwise keep the previous consistent copy (the next read tries again). A publication copied
   * before is not copied again (several readers may ask within one animation frame).
   */
  private copyPublished(l: LoadState, h: HostId): void {
    if (this.copied.load !== l) this.copied = { load: l, seq: [-1, -1] }
    const copiedSeq = this.copied.seq
    const pub = l.published[h]
    const seq = seqlockCopy(this.ctl, CTL.PUB_SEQ[h], copiedSeq[h], () => {
      l.scratchPages[h].set(pub.pageState)
      l.scratchHeaders[h].set(pub.header)
    })
    if (seq < 0) return
    l.pageCopies[h].set(l.scratchPages[h])
    l.headerCopies[h].set(l.scratchHeaders[h])
    copiedSeq[h] = seq
  }

  private readonly emptyFrame: readonly [HostFrame, HostFrame] = [
    { pageState: new Uint8Array(0) },
    { pageState: new Uint8Array(0) },
  ]

  /**
   * The current load's host frames. `pageState` copies on read: most frame() callers (the toolbar's
   * tick every animation frame) want only the tick, and the page maps read shared memory in the
   * render worker, so the main thread pays for a copy only when something reads the states.
   */
  private hostFrames: { load: LoadState | undefined; hosts: readonly [HostFrame, HostFrame] } = {
    load: undefined,
    hosts: this.emptyFrame,
  }

  frame(): WorldFrame {
    const l = this.load_
    const tick = this.committed()
    if (!l) return { tick, hosts: this.emptyFrame }
    if (this.hostFrames.load !== l) {
      const read = (h: HostId): HostFrame => {
        const copy = () => {
          this.copyPublished(l, h)
          return l.pageCopies[h]
        }
        return {
          get pageState() {
            return copy()
          },
        }
      }
      this.hostFrames = { load: l, hosts: [read(0), read(1)] }
    }
    return { tick, hosts: this.hostFrames.hosts }
  }

  pageStateSources(): PageStateSources | undefined {
    return this.load_?.sources
  }

  /** Header counters of the last consistent published view of a host (see PUB). */
  publishedHeader(host: HostId): Int32Array | undefined {
    const l = this.load_
    if (!l) return undefined
    this.copyPublished(l, host)
    return l.headerCopies[host]
  }

  /** Host X's page frames (read-only view onto its SharedArrayBuffer). */
  frames(host: HostId): Uint8Array | undefined {
    return this.load_?.frames[host]
  }

  status(): WorldStatus {
    return this.st
  }

  subscribe(listener: WorldListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  events(): EventSeq {
    return this.log
  }

  /** Hash of the events before the current tick (the whole log when at the frontier). */
  eventLogHash(): string {
    const l = this.load_
    const committed = this.committed()
    if (!l || committed >= l.frontier) {
      this.foldHash(Infinity)
      return digest(this.hasher)
    }
    const h = createHasher(0xe7e7)
    const end = firstEventAt(this.log, committed)
    for (let i = 0; i < end; i++) this.log.hashInto(h, i)
    return digest(h)
  }

  /** Folds up to `max` more of the log's events into the running hash. */
  private foldHash(max: number): void {
    const end = Math.min(this.log.length, this.hashed + max)
    for (; this.hashed < end; this.hashed++) this.log.hashInto(this.hasher, this.hashed)
  }

  scenario(): Scenario | undefined {
    return this.load_?.scenario
  }

  private watchdog(): void {
    const l = this.load_
    if (!l || this.st.state !== 'ready' || this.disposed) return
    const committed = this.committed()
    const beats = Atomics.load(this.ctl, CTL.BEAT[0]) + Atomics.load(this.ctl, CTL.BEAT[1])
    const now = this.opts.now()
    const target = Atomics.load(this.ctl, CTL.TARGET)
    if (committed !== this.watch.committed || beats !== this.watch.beats || committed >= target) {
      this.watch = { committed, beats, since: now }
      return
    }
    if (now - this.watch.since > (this.opts.stallMs ?? 5000)) {
      const a = Atomics.load(this.ctl, CTL.DONE[0])
      const b = Atomics.load(this.ctl, CTL.DONE[1])
      const stuck = a <= b ? 'A' : 'B'
      this.fail(
        stuck,
        `host ${stuck} is not responding: no progress for ${Math.round((now - this.watch.since) / 1000)} s at tick ${Math.min(a, b)} (target ${target})`,
      )
    }
  }

  async restart(): Promise<void> {
    const scenario = this.load_?.scenario
    for (const ep of this.endpoints ?? []) ep.terminate()
    this.endpoints = undefined
    this.readyPromise = undefined
    this.load_ = undefined
    // A fresh control block: the old workers may still hold the old one.
    this.ctl.fill(0)
    this.st = { state: 'starting' }
    this.setStatus(this.st)
    await this.ready()
    if (scenario) await this.load(scenario)
  }

  dispose(): void {
    this.disposed = true
    clearInterval(this.watchdogTimer)
    Atomics.store(this.ctl, CTL.UI_BUSY, 0)
    Atomics.notify(this.ctl, CTL.UI_BUSY)
    this.uiBusyDone.port1.close()
    for (const ep of this.endpoints ?? []) {
      ep.post({ type: 'dispose' })
      ep.terminate()
    }
    this.endpoints = undefined
  }
}

/** Collects both hosts' warm-up reports: `both` resolves once each host has sent its own. */
class WarmUps {
  private readonly got: [HostWarmUp | undefined, HostWarmUp | undefined] = [undefined, undefined]
  private resolve: (both: readonly [HostWarmUp, HostWarmUp]) => void = () => {}
  readonly both = new Promise<readonly [HostWarmUp, HostWarmUp]>((r) => (this.resolve = r))

  report(host: HostId, warmUp: HostWarmUp): void {
    this.got[host] = warmUp
    const [a, b] = this.got
    if (a && b) this.resolve([a, b])
  }
}
