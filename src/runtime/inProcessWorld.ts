/**
 * InProcessWorld: both hosts on the calling thread through the reference LocalWorld. It is the
 * fallback when the page is not cross-origin isolated (no SharedArrayBuffer), and it gives the same
 * events as the worker runtime. Work is sliced by a wall-clock budget per pump so the page stays
 * responsive.
 */
import type { HostId, SimEvent } from '../sim/events'
import { inspectHost, type InspectQuery, type Inspection } from '../sim/inspect'
import type { AppliedInput, UserInput } from '../sim/inputs'
import type { Scenario } from '../sim/scenario'
import { LocalWorld } from '../sim/world'
import { feedTrace, traceFor } from './trace'
import type { World, WorldFrame, WorldListener, WorldStatus } from './world'
import { combinedStateHash } from './world'

export interface InProcessOptions {
  readonly schedule: (pump: () => void) => void
  readonly now: () => number
  /** Wall-clock milliseconds of simulation per pump. */
  readonly budgetMs?: number
}

export class InProcessWorld implements World {
  readonly kind = 'in-process' as const
  private readonly opts: InProcessOptions
  private world: LocalWorld | undefined
  private st: WorldStatus = { state: 'starting' }
  private readonly listeners = new Set<WorldListener>()
  private playing = false
  private ticksPerSecond = 0
  private targetF = 0
  private target = 0
  private lastPump = 0
  private pumpScheduled = false
  private waiters: { tick: number; resolve: () => void; reject: (e: Error) => void }[] = []
  private readonly empty: WorldFrame = {
    tick: 0,
    hosts: [{ pageState: new Uint8Array(0) }, { pageState: new Uint8Array(0) }],
  }

  constructor(opts: InProcessOptions) {
    this.opts = opts
  }

  ready(): Promise<void> {
    if (this.st.state === 'starting') this.setStatus({ state: 'ready', tick: 0, running: false })
    return Promise.resolve()
  }

  private setStatus(s: WorldStatus): void {
    this.st = s
    for (const l of this.listeners) l.status?.(s)
  }

  load(scenario: Scenario): Promise<void> {
    this.playing = false
    const trace = traceFor(scenario)
    this.world = new LocalWorld(
      scenario,
      trace ? { beforeStep: (hosts) => hosts.forEach((h) => feedTrace(h, trace)) } : {},
    )
    for (const l of this.listeners) l.reset?.()
    this.target = 0
    this.targetF = 0
    this.setStatus({ state: 'ready', tick: 0, running: false })
    return Promise.resolve()
  }

  play(ticksPerSecond: number): void {
    if (!this.world || this.st.state === 'error') return
    this.ticksPerSecond = Math.max(0, ticksPerSecond)
    this.targetF = Math.max(this.targetF, this.target)
    this.lastPump = this.opts.now()
    this.playing = true
    this.setStatus({ state: 'ready', tick: this.world.tick, running: true })
    this.requestPump()
  }

  pageBusy(): void {
    // The hosts run on this thread, between frames: nothing to give way.
  }
  pageBusyCount(): number {
    return 0
  }

  pause(): void {
    this.playing = false
    if (this.world && this.st.state === 'ready') {
      this.setStatus({ state: 'ready', tick: this.world.tick, running: false })
    }
  }

  step(n = 1): Promise<void> {
    return this.runTo(Math.max(this.target, this.world?.tick ?? 0) + Math.max(1, Math.floor(n)))
  }

  runTo(tick: number): Promise<void> {
    if (this.st.state === 'error') return Promise.reject(new Error('runtime failed; restart it'))
    if (!this.world) return Promise.reject(new Error('no scenario loaded'))
    const p = new Promise<void>((resolve, reject) => this.waiters.push({ tick, resolve, reject }))
    this.target = Math.max(this.target, tick)
    this.targetF = Math.max(this.targetF, this.target)
    this.requestPump()
    return p
  }

  seek(tick: number): Promise<void> {
    const w = this.world
    if (!w) return Promise.reject(new Error('no scenario loaded'))
    const target = Math.max(0, Math.floor(tick))
    if (target >= w.tick) return this.runTo(target)
    this.playing = false
    try {
      w.seek(target)
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)))
    }
    this.target = target
    this.targetF = target
    if (this.st.state === 'ready') this.setStatus({ state: 'ready', tick: w.tick, running: false })
    return Promise.resolve()
  }

  inspect(host: HostId, query: InspectQuery): Promise<Inspection> {
    const w = this.world
    if (!w) return Promise.reject(new Error('no scenario loaded'))
    try {
      return Promise.resolve(inspectHost(w.hosts[host], w.tick, query))
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)))
    }
  }

  stateHash(): Promise<string> {
    return combinedStateHash(this)
  }

  frontier(): number {
    return this.world?.frontier ?? 0
  }

  input(input: UserInput): void {
    // Same rule as the worker runtime: an input applies at the first tick not yet allowed to run.
    const w = this.world
    if (!w) return
    const before = w.frontier
    w.addInput(input, Math.max(this.target, w.tick))
    if (w.frontier < before) for (const l of this.listeners) l.reset?.()
  }

  private requestPump(): void {
    if (this.pumpScheduled) return
    this.pumpScheduled = true
    this.opts.schedule(() => {
      this.pumpScheduled = false
      this.pump()
    })
  }

  /** Runs simulation for at most the budget, commits events, resolves waiters. */
  pump(): void {
    const w = this.world
    if (!w || this.st.state === 'error') return
    if (this.playing) {
      const now = this.opts.now()
      const dt = Math.min(0.25, Math.max(0, (now - this.lastPump) / 1000))
      this.lastPump = now
      this.targetF = Math.min(this.targetF + this.ticksPerSecond * dt, w.scenario.durationTicks)
      this.target = Math.max(this.target, Math.floor(this.targetF))
    }
    const started = this.opts.now()
    const budget = this.opts.budgetMs ?? 10
    const batch: SimEvent[] = []
    try {
      while (w.tick < this.target) {
        const replaying = w.tick < w.frontier
        const evs = w.step()
        if (!replaying) for (const ev of evs) batch.push(ev)
        if ((w.tick & 31) === 0 && this.opts.now() - started > budget) break
      }
    } catch (e) {
      this.playing = false
      this.setStatus({
        state: 'error',
        host: 'runtime',
        message: e instanceof Error ? e.message : String(e),
      })
      for (const waiter of this.waiters) waiter.reject(new Error('runtime failed'))
      this.waiters = []
      return
    }
    if (batch.length) for (const l of this.listeners) l.events?.(batch)
    if (this.playing && w.tick >= w.scenario.durationTicks) this.pause()
    const still: typeof this.waiters = []
    for (const waiter of this.waiters)
      (w.tick >= waiter.tick ? waiter.resolve : () => still.push(waiter))()
    this.waiters = still
    if (this.st.state === 'ready') this.st = { state: 'ready', tick: w.tick, running: this.playing }
    if (this.playing || w.tick < this.target) this.requestPump()
  }

  frame(): WorldFrame {
    const w = this.world
    if (!w) return this.empty
    return {
      tick: w.tick,
      hosts: [{ pageState: w.hosts[0].mem.pageState }, { pageState: w.hosts[1].mem.pageState }],
    }
  }

  status(): WorldStatus {
    return this.st
  }

  subscribe(listener: WorldListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  events(): readonly SimEvent[] {
    return this.world?.events ?? []
  }

  eventLogHash(): string {
    return this.world?.eventLogHash() ?? ''
  }

  scenario(): Scenario | undefined {
    return this.world?.scenario
  }

  inputLog(): readonly AppliedInput[] {
    return this.world?.inputs ?? []
  }

  /** The reference world (in-process only): state hashes, host state for inspectors. */
  local(): LocalWorld | undefined {
    return this.world
  }

  async restart(): Promise<void> {
    const s = this.world?.scenario
    this.st = { state: 'starting' }
    if (s) await this.load(s)
    else this.setStatus({ state: 'ready', tick: 0, running: false })
  }

  dispose(): void {
    this.playing = false
    this.world = undefined
  }
}
