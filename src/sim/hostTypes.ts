/** The context an engine gets for one tick of one host. */
import type { EventFields, EventKind } from './events'
import type { HostState } from './host'
import type { MessageFields, MessageKind, NetMessageOf } from './messages'
import type { SendOptions } from './net'

export type EmitFn = <K extends EventKind>(kind: K, fields: EventFields<K>) => void

export interface HostContext {
  readonly tick: number
  readonly host: HostState
  /** Appends an event stamped (tick, host, seq). */
  readonly emit: EmitFn
  /** Queues a message on this host's outgoing link. */
  send<K extends MessageKind>(
    kind: K,
    fields: MessageFields<K>,
    opts?: SendOptions,
  ): NetMessageOf<K>
}
