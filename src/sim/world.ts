/**
 * LocalWorld: both hosts in one thread, in lock-step. This is the reference the worker runtime must
 * match event for event (parity tests), the engine of the CLI and of the non-isolated fallback.
 */
import { compareEvents, type SimEvent } from './events'
import { createHasher, digest, type Hasher } from './hash'
import { hashEvent } from './events'
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
}

export class LocalWorld {
  readonly scenario: Scenario
  readonly hosts: readonly [HostState, HostState]
  /** Per host: messages delivered to it, not yet due. */
  readonly inboxes: readonly [NetMessage[], NetMessage[]]
  readonly events: SimEvent[] = []
  /** The input log: every input in arrival order with the tick it applies at. */
  readonly inputs: AppliedInput[] = []
  /** Ticks completed; the next tick to run. */
  tick = 0
  eventCount = 0
  private readonly hasher: Hasher = createHasher(0xe7e7)
  private readonly keepEvents: boolean

  constructor(scenario: Scenario, opts: LocalWorldOptions = {}) {
    this.scenario = scenario
    this.keepEvents = opts.keepEvents ?? true
    const buffers =
      opts.buffers ?? ((id: 0 | 1) => allocateBuffers(memoryLayout(scenario, id), false))
    this.hosts = [createHost(scenario, 0, buffers(0)), createHost(scenario, 1, buffers(1))]
    this.inboxes = [[], []]
    for (const s of scenario.inputs) this.addInput(s.input, s.atTick)
  }

  /** Logs an input; it applies at `atTick` or at the next tick to run, whichever is later. */
  addInput(input: UserInput, atTick = this.tick): AppliedInput {
    const applied: AppliedInput = {
      seq: this.inputs.length,
      applyAt: Math.max(atTick, this.tick),
      input,
    }
    this.inputs.push(applied)
    return applied
  }

  private inputsAt(tick: number): AppliedInput[] {
    return this.inputs.filter((i) => i.applyAt === tick)
  }

  /** Runs one lock-step tick of both hosts. Returns the tick's events in canonical order. */
  step(): readonly SimEvent[] {
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
    for (const ev of merged) {
      hashEvent(this.hasher, ev)
      if (this.keepEvents) this.events.push(ev)
    }
    this.eventCount += merged.length
    this.tick = t + 1
    return merged
  }

  /** Runs until `tick` ticks have completed. */
  runTo(tick: number): void {
    while (this.tick < tick) this.step()
  }

  eventLogHash(): string {
    return digest(this.hasher)
  }

  stateHash(): string {
    const h = createHasher(0x57a7)
    for (const host of this.hosts) hashHostState(h, host)
    return digest(h)
  }
}
