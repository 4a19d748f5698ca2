/**
 * LocalWorld: both hosts in one thread, in lock-step. This is the reference the worker runtime must
 * match event for event (parity tests), the engine of the CLI and of the non-isolated fallback, and
 * the time machine of the in-process runtime: snapshots every K ticks plus deterministic replay give
 * any earlier tick exactly as a straight run had it.
 *
 * The timeline: `tick` is where the hosts are now; `frontier` is the furthest tick ever computed.
 * Events up to the frontier stay in `events` while you travel back and forth (a replay re-derives
 * them and checks they match); an input added behind the frontier forks: the future is discarded.
 */
import { clonePlain } from './clone'
import { compareEvents, hashEvent, type SimEvent } from './events'
import { createHasher, digest, hashNumber, type Hasher } from './hash'
import { HostHistory } from './history'
import { createHost, hashHostState, stepHost, type HostState } from './host'
import type { AppliedInput, UserInput } from './inputs'
import { allocateBuffers, memoryLayout, type HostBuffers } from './memory'
import { deliver, takeDue, type NetMessage } from './messages'
import type { Scenario } from './scenario'

export interface LocalWorldOptions {
  /** Supplies each host's buffers (e.g. SharedArrayBuffer-backed); defaults to ArrayBuffers. */
  readonly buffers?: (host: 0 | 1) => HostBuffers
  /** Keep every event in memory (default true); the hash is kept either way. */
  readonly keepEvents?: boolean
  /** Take snapshots for seeking (default true). */
  readonly snapshots?: boolean
  /** Initial snapshot interval in ticks (it doubles when the memory budget is reached). */
  readonly snapshotEvery?: number
  /** Bytes all snapshots may hold together. */
  readonly snapshotBudgetBytes?: number
  /** Called before every tick (replays included), e.g. to feed a trace workload (src/runtime/trace.ts). */
  readonly beforeStep?: (hosts: readonly [HostState, HostState]) => void
}

/** What a snapshot holds besides the hosts (their memory and state are in `HostHistory`). */
interface WorldSnapshot {
  readonly tick: number
  readonly inboxes: readonly [NetMessage[], NetMessage[]]
  readonly eventCount: number
  readonly hasher: Hasher
}

export class LocalWorld {
  readonly scenario: Scenario
  readonly hosts: readonly [HostState, HostState]
  /** Per host: messages delivered to it, not yet due. */
  readonly inboxes: [NetMessage[], NetMessage[]]
  /** Every event up to the frontier, in canonical order. */
  readonly events: SimEvent[] = []
  /** The input log: every input in arrival order with the tick it applies at. */
  readonly inputs: AppliedInput[] = []
  /** Ticks completed; the next tick to run. */
  tick = 0
  /** The furthest tick ever computed on this timeline. */
  frontier = 0
  /** Events emitted up to `tick` (an index into `events`). */
  eventCount = 0
  private hasher: Hasher = createHasher(0xe7e7)
  private readonly keepEvents: boolean
  private readonly snapshotsOn: boolean
  private snapshotEvery: number
  private readonly snapshotBudget: number
  private readonly snaps: WorldSnapshot[] = []
  private readonly histories: readonly [HostHistory<undefined>, HostHistory<undefined>] | undefined
  private readonly beforeStep: ((hosts: readonly [HostState, HostState]) => void) | undefined

  constructor(scenario: Scenario, opts: LocalWorldOptions = {}) {
    this.scenario = scenario
    this.keepEvents = opts.keepEvents ?? true
    this.beforeStep = opts.beforeStep
    this.snapshotsOn = (opts.snapshots ?? true) && this.keepEvents
    this.snapshotEvery = Math.max(1, opts.snapshotEvery ?? 1024)
    this.snapshotBudget = opts.snapshotBudgetBytes ?? 384 * 1024 * 1024
    const buffers =
      opts.buffers ?? ((id: 0 | 1) => allocateBuffers(memoryLayout(scenario, id), false))
    this.hosts = [createHost(scenario, 0, buffers(0)), createHost(scenario, 1, buffers(1))]
    // The base of each history is a fresh host's memory: creation is deterministic.
    const freshFrames = (id: 0 | 1) => () =>
      createHost(scenario, id, allocateBuffers(memoryLayout(scenario, id), false)).mem.frames
    this.histories = this.snapshotsOn
      ? [
          new HostHistory(this.hosts[0], freshFrames(0)),
          new HostHistory(this.hosts[1], freshFrames(1)),
        ]
      : undefined
    this.inboxes = [[], []]
    for (const s of scenario.inputs) this.addInput(s.input, s.atTick)
  }

  /**
   * Logs an input; it applies at `atTick` or at the next tick to run, whichever is later. Behind
   * the frontier this forks the timeline: everything computed after that tick is discarded.
   */
  addInput(input: UserInput, atTick = this.tick): AppliedInput {
    const applyAt = Math.max(atTick, this.tick)
    if (applyAt < this.frontier) this.fork(applyAt)
    const applied: AppliedInput = { seq: this.inputs.length, applyAt, input }
    this.inputs.push(applied)
    return applied
  }

  private fork(at: number): void {
    this.frontier = this.tick
    if (this.keepEvents) this.events.length = this.eventCount
    while (
      this.snaps.length &&
      (this.snaps[this.snaps.length - 1] as WorldSnapshot).tick > this.tick
    ) {
      this.snaps.pop()
    }
    for (const h of this.histories ?? []) h.dropAfter(this.tick)
    // Inputs logged for the discarded future go with it (scenario inputs are re-applied as scheduled).
    for (let i = this.inputs.length - 1; i >= 0; i--) {
      const inp = this.inputs[i] as AppliedInput
      if (inp.applyAt >= at && inp.seq >= this.scenario.inputs.length) this.inputs.splice(i, 1)
    }
  }

  private inputsAt(tick: number): AppliedInput[] {
    return this.inputs.filter((i) => i.applyAt === tick)
  }

  private maybeSnapshot(): void {
    const histories = this.histories
    if (!histories || this.tick % this.snapshotEvery !== 0) return
    const last = this.snaps[this.snaps.length - 1]
    if (last && last.tick >= this.tick) return
    histories[0].take(this.tick, undefined)
    histories[1].take(this.tick, undefined)
    this.snaps.push({
      tick: this.tick,
      inboxes: [clonePlain(this.inboxes[0]), clonePlain(this.inboxes[1])],
      eventCount: this.eventCount,
      hasher: { ...this.hasher },
    })
    const held = histories[0].bytes() + histories[1].bytes()
    if (held > this.snapshotBudget && this.snaps.length > 2) {
      // Thin out: keep the snapshots on the doubled interval (tick 0 always stays).
      const every = (this.snapshotEvery *= 2)
      const keep = (tick: number) => tick % every === 0
      for (let i = this.snaps.length - 1; i >= 0; i--) {
        if (!keep((this.snaps[i] as WorldSnapshot).tick)) this.snaps.splice(i, 1)
      }
      histories[0].thin(keep)
      histories[1].thin(keep)
    }
  }

  /** Runs one lock-step tick of both hosts. Returns the tick's events in canonical order. */
  step(): readonly SimEvent[] {
    this.beforeStep?.(this.hosts)
    this.maybeSnapshot()
    const t = this.tick
    const inputs = this.inputsAt(t)
    const [a, b] = this.hosts
    const ra = stepHost(a, takeDue(this.inboxes[0], t), inputs, t)
    const rb = stepHost(b, takeDue(this.inboxes[1], t), inputs, t)
    // deliverAt >= t + 1, so the order of the two calls above cannot matter.
    deliver(this.inboxes[1], ra.outbound)
    deliver(this.inboxes[0], rb.outbound)
    const merged =
      ra.events.length && rb.events.length
        ? [...ra.events, ...rb.events].sort(compareEvents)
        : ra.events.length
          ? ra.events
          : rb.events
    const replaying = t < this.frontier
    for (const ev of merged) {
      hashEvent(this.hasher, ev)
      if (!this.keepEvents) continue
      if (replaying) {
        const known = this.events[this.eventCount]
        if (!known || known.kind !== ev.kind || known.seq !== ev.seq || known.tick !== ev.tick) {
          throw new Error(
            `replay diverged at tick ${t}: expected ${known?.kind ?? 'no event'}, got ${ev.kind} (non-deterministic engine state?)`,
          )
        }
      } else this.events.push(ev)
      this.eventCount++
    }
    if (!this.keepEvents) this.eventCount += merged.length
    this.tick = t + 1
    if (this.tick > this.frontier) this.frontier = this.tick
    return merged
  }

  /** Runs until `tick` ticks have completed. */
  runTo(tick: number): void {
    while (this.tick < tick) this.step()
  }

  /** Puts both hosts exactly where a straight run has them after `tick` ticks. */
  seek(tick: number): void {
    const target = Math.max(0, Math.floor(tick))
    let snap: WorldSnapshot | undefined
    for (const s of this.snaps) if (s.tick <= target) snap = s
    // Forward: run on from here unless a snapshot ahead of us is closer to the target.
    if (target >= this.tick && (!snap || snap.tick <= this.tick)) {
      this.runTo(target)
      return
    }
    if (!snap || !this.histories) {
      throw new Error('seek: no snapshot at or before the target (snapshots disabled?)')
    }
    this.histories[0].restore(snap.tick)
    this.histories[1].restore(snap.tick)
    this.inboxes[0] = clonePlain(snap.inboxes[0])
    this.inboxes[1] = clonePlain(snap.inboxes[1])
    this.eventCount = snap.eventCount
    this.hasher = { ...snap.hasher }
    this.tick = snap.tick
    this.runTo(target)
  }

  /** Ticks at which snapshots exist (for tests and the seek benchmark). */
  snapshotTicks(): number[] {
    return this.snaps.map((s) => s.tick)
  }

  /** Hash of the events up to the current tick. */
  eventLogHash(): string {
    return digest(this.hasher)
  }

  stateHash(): string {
    const h = createHasher(0x57a7)
    for (const host of this.hosts) hashHostState(h, host)
    // Messages on the wire at this boundary are part of the state too.
    for (const inbox of this.inboxes) {
      hashNumber(h, inbox.length)
      for (const m of inbox) {
        hashNumber(h, m.src)
        hashNumber(h, m.seq)
        hashNumber(h, m.deliverAt)
      }
    }
    return digest(h)
  }
}
