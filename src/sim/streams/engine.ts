/**
 * The STREAMS engine's side of one host. OWNED BY THE STREAMS ENGINE.
 * Contract with src/sim/host.ts (keep these five exports and their signatures):
 *   createStreamsHostState, streamsOnInput, streamsOnMessage, streamsStep, streamsHashState
 */
import type { HostId } from '../events'
import type { Hasher } from '../hash'
import type { HostContext } from '../hostTypes'
import type { UserInput } from '../inputs'
import type { NetMessage } from '../messages'
import type { Scenario } from '../scenario'

/** Plain data only (structured-cloneable): it is snapshotted for time travel. */
export interface StreamsHostState {
  readonly enabled: boolean
}

export function createStreamsHostState(scenario: Scenario, _host: HostId): StreamsHostState {
  return { enabled: scenario.streams !== undefined }
}

export function streamsOnInput(_ctx: HostContext, _input: UserInput): void {}

/** Returns true when the message was the STREAMS engine's. */
export function streamsOnMessage(_ctx: HostContext, _msg: NetMessage): boolean {
  return false
}

export function streamsStep(_ctx: HostContext): void {}

export function streamsHashState(_h: Hasher, _state: StreamsHostState): void {}
