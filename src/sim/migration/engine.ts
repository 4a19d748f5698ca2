/**
 * The migration engine's side of one host. OWNED BY THE MIGRATION ENGINE.
 * Contract with src/sim/host.ts (keep these five exports and their signatures):
 *   createMigrationHostState, migrationOnInput, migrationOnMessage, migrationStep, migrationHashState
 */
import type { HostId } from '../events'
import type { HostContext } from '../hostTypes'
import type { UserInput } from '../inputs'
import type { HostMemory } from '../memory'
import type { NetMessage } from '../messages'
import type { Scenario } from '../scenario'
import type { Hasher } from '../hash'

/** Plain data only (structured-cloneable): it is snapshotted for time travel. */
export interface MigrationHostState {
  readonly enabled: boolean
}

export function createMigrationHostState(
  scenario: Scenario,
  _host: HostId,
  _mem: HostMemory,
): MigrationHostState {
  return { enabled: scenario.migration !== undefined }
}

export function migrationOnInput(_ctx: HostContext, _input: UserInput): void {}

/** Returns true when the message was the migration engine's. */
export function migrationOnMessage(_ctx: HostContext, _msg: NetMessage): boolean {
  return false
}

export function migrationStep(_ctx: HostContext): void {}

/** Feeds the engine's canonical state into a state hash. */
export function migrationHashState(_h: Hasher, _state: MigrationHostState): void {}
