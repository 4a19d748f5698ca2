/**
 * One simulated host and its deterministic step. `stepHost` depends only on its arguments and
 * mutates nothing but `host`: no clock, no globals, nothing of the other host. Messages it sends
 * arrive at least one tick later, so both hosts can run tick t in parallel and meet at a barrier.
 */
import type { HostId, SimEvent } from './events'
import type { EmitFn, HostContext } from './hostTypes'
import type { AppliedInput, CoreInput, UserInput } from './inputs'
import { createHasher, digest, hashBytes, hashNumber, hashU32, type Hasher } from './hash'
import { createMemory, memoryLayout, type HostBuffers, type HostMemory } from './memory'
import type { NetMessage } from './messages'
import {
  createMigrationHostState,
  migrationHashState,
  migrationOnInput,
  migrationOnMessage,
  migrationStep,
  type MigrationHostState,
} from './migration/engine'
import { createLinkTx, linkParams, linkPump, linkSend, type LinkTxState } from './net'
import type { Scenario } from './scenario'
import {
  createStreamsHostState,
  streamsHashState,
  streamsOnInput,
  streamsOnMessage,
  streamsStep,
  type StreamsHostState,
} from './streams/engine'

/** Plain data (plus the caller's buffers): snapshotted with `structuredClone` minus the frames. */
export interface HostState {
  readonly id: HostId
  readonly seed: number
  readonly tickUs: number
  /** Next event sequence number of this host. */
  eventSeq: number
  link: LinkTxState
  mem: HostMemory
  mig: MigrationHostState
  str: StreamsHostState
}

export interface StepResult {
  /** Messages whose transmission completed this tick; `deliverAt >= tick + 1`. */
  readonly outbound: readonly NetMessage[]
  readonly events: readonly SimEvent[]
}

export function createHost(scenario: Scenario, id: HostId, buffers: HostBuffers): HostState {
  const mem = createMemory(memoryLayout(scenario, id), buffers)
  return {
    id,
    seed: scenario.seed,
    tickUs: scenario.tickUs,
    eventSeq: 0,
    link: createLinkTx(id, linkParams(scenario.link, scenario.tickUs), scenario.seed),
    mem,
    mig: createMigrationHostState(scenario, id, mem),
    str: createStreamsHostState(scenario, id),
  }
}

function applyCoreInput(ctx: HostContext, input: CoreInput): void {
  const { host, tick } = ctx
  switch (input.type) {
    case 'debug.setPageState':
      if (input.host === host.id && input.page < host.mem.pageCount) {
        host.mem.pageState[input.page] = input.state
      }
      return
    case 'fault.linkDown':
      host.link.outages.push({ fromTick: tick, toTick: tick + input.durationTicks })
      return
    case 'fault.loss':
      host.link.lossRate = input.rate
      return
    case 'debug.hang':
      // Deliberately never returns (test of the runtime watchdog); only the worker can be stopped.
      while (input.host === host.id) host.eventSeq += 0
      return
    case 'debug.throw':
      if (input.host === host.id) {
        throw new Error(`injected failure on host ${host.id === 0 ? 'A' : 'B'} at tick ${tick}`)
      }
      return
  }
}

function isCoreInput(input: UserInput): input is CoreInput {
  return (
    input.type === 'debug.setPageState' ||
    input.type === 'fault.linkDown' ||
    input.type === 'fault.loss' ||
    input.type === 'debug.throw' ||
    input.type === 'debug.hang'
  )
}

/**
 * Runs one tick of one host: inputs due now, then inbound messages in canonical order, then each
 * engine's per-tick work, then the link. Order inside a tick is fixed, so the result is too.
 */
export function stepHost(
  host: HostState,
  inbound: readonly NetMessage[],
  inputs: readonly AppliedInput[],
  tick: number,
): StepResult {
  const events: SimEvent[] = []
  const emit: EmitFn = (kind, fields) => {
    events.push(
      Object.assign({ kind, tick, host: host.id, seq: host.eventSeq++ }, fields) as SimEvent,
    )
  }
  const ctx: HostContext = {
    tick,
    host,
    emit,
    send: (kind, fields, opts) => linkSend(host.link, tick, kind, fields, opts),
  }
  for (const { seq, input } of inputs) {
    if (host.id === 0) emit('sim.input', { input: seq })
    if (isCoreInput(input)) applyCoreInput(ctx, input)
    else {
      migrationOnInput(ctx, input)
      streamsOnInput(ctx, input)
    }
  }
  for (const msg of inbound) {
    if (!migrationOnMessage(ctx, msg) && !streamsOnMessage(ctx, msg)) {
      throw new Error(`host ${host.id}: no engine handled message ${msg.kind} #${msg.seq}`)
    }
  }
  migrationStep(ctx)
  streamsStep(ctx)
  const outbound = linkPump(host.link, tick, emit)
  return { outbound, events }
}

/** Canonical state hash of one host (memory bytes included). */
export function hashHostState(h: Hasher, host: HostState): void {
  hashU32(h, host.id)
  hashNumber(h, host.eventSeq)
  const l = host.link
  hashNumber(h, l.nextSeq)
  hashNumber(h, l.credit)
  hashNumber(h, l.currentSent)
  for (let i = 0; i < 4; i++) hashU32(h, l.rng[i] as number)
  for (const q of [l.urgent, l.normal, l.retry]) {
    hashU32(h, q.length)
    for (const p of q) hashNumber(h, p.msg.seq)
  }
  hashBytes(h, host.mem.pageState)
  hashBytes(h, host.mem.frames)
  migrationHashState(h, host.mig)
  streamsHashState(h, host.str)
}

export function hostStateHash(host: HostState): string {
  const h = createHasher(0x5747)
  hashHostState(h, host)
  return digest(h)
}
