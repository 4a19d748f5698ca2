import type { World, WorldKind, WorldStatus } from '../runtime/world'
import { createFailedWorld } from './failedWorld'
import type { EventLog } from './eventLog'
import type { AppState, Notice, NoticeLevel, SliceCreator } from './types'

export type RuntimeState = WorldStatus['state']

export interface RuntimeDeps {
  readonly createWorld: () => World
  readonly eventLog: EventLog
  /** `crossOriginIsolated` at start-up. */
  readonly isolated: boolean
  /** `typeof SharedArrayBuffer === 'function'` at start-up. */
  readonly sharedMemory: boolean
}

export interface RuntimeSlice {
  /** The running world. Replaced only by `restart()`; components read it through getState(). */
  world: World
  kind: WorldKind
  isolated: boolean
  sharedMemory: boolean
  runtimeState: RuntimeState
  /** Set when runtimeState is 'error'. */
  runtimeError: { readonly host: 'A' | 'B' | 'runtime'; readonly message: string } | null
  /** Committed tick, sampled at about 10 Hz (the toolbar reads the live value per frame). */
  tick: number
  /** EventLog.version, sampled at the same rate: re-renders the log and the link lane. */
  eventVersion: number
  eventCount: number
  notices: readonly Notice[]
  /** Called by the frame loop at low frequency. */
  sample(): void
  notify(level: NoticeLevel, source: string, text: string): void
  dismissNotice(id: number): void
  /** Restarts the hosts with the current scenario from tick 0 (after a failure). */
  restart(): Promise<void>
}

let noticeId = 0

/** Builds a world and wires its listeners into the store; returns the world and its unsubscribe. */
function startWorld(
  deps: RuntimeDeps,
  onStatus: (s: WorldStatus) => void,
): { world: World; detach: () => void } {
  let world: World
  try {
    world = deps.createWorld()
  } catch (e) {
    world = createFailedWorld(`could not start the hosts: ${(e as Error).message}`)
  }
  const detach = world.subscribe({
    status: onStatus,
    events: (batch) => deps.eventLog.push(batch),
    reset: () => deps.eventLog.replace(world.events()),
  })
  // The list's window reads this world's log from now on (a reset hands it the log again).
  deps.eventLog.replace(world.events())
  return { world, detach }
}

export function createRuntimeSlice(deps: RuntimeDeps): SliceCreator<RuntimeSlice> {
  return (set, get) => {
    const onStatus = (s: WorldStatus): void => {
      // A world may report during subscribe(), before the store exists; the slice's initial
      // state reads world.status() instead.
      const cur = get() as AppState | undefined
      if (!cur) return
      if (s.state === 'error') {
        if (cur.runtimeState !== 'error' || cur.runtimeError?.message !== s.message) {
          set({
            runtimeState: 'error',
            runtimeError: { host: s.host, message: s.message },
            running: false,
          })
        }
        return
      }
      const patch: Partial<RuntimeSlice & { running: boolean }> = {}
      if (cur.runtimeState !== s.state) patch.runtimeState = s.state
      if (cur.runtimeError) patch.runtimeError = null
      if (s.state === 'ready' && cur.running !== s.running) patch.running = s.running
      if (Object.keys(patch).length) set(patch)
    }
    let { world, detach } = startWorld(deps, onStatus)
    const initial = world.status()

    return {
      world,
      kind: world.kind,
      isolated: deps.isolated,
      sharedMemory: deps.sharedMemory,
      runtimeState: initial.state,
      runtimeError:
        initial.state === 'error' ? { host: initial.host, message: initial.message } : null,
      tick: 0,
      eventVersion: deps.eventLog.version,
      eventCount: 0,
      notices: [],

      sample() {
        const s = get()
        const tick = s.world.frame().tick
        const log = deps.eventLog
        if (tick !== s.tick || log.version !== s.eventVersion) {
          set({ tick, eventVersion: log.version, eventCount: log.length })
        }
      },

      notify(level, source, text) {
        // The same text from the same source is shown once.
        if (get().notices.some((n) => n.source === source && n.text === text)) return
        set({ notices: [...get().notices, { id: ++noticeId, level, source, text }] })
      },

      dismissNotice(id) {
        set({ notices: get().notices.filter((n) => n.id !== id) })
      },

      async restart() {
        deps.eventLog.clear()
        set({ running: false, tick: 0 })
        const failed = get().world.status().state === 'error' && get().world.kind !== 'workers'
        try {
          if (failed && !get().scenario) {
            // The world could not even be created: build a new one.
            detach()
            get().world.dispose()
            ;({ world, detach } = startWorld(deps, onStatus))
            set({ world, kind: world.kind })
            await world.ready()
            await get().reloadScenario()
          } else {
            // Tears the hosts down and loads the current scenario again from tick 0.
            await get().world.restart()
            deps.eventLog.clear()
          }
        } catch (e) {
          onStatus({ state: 'error', host: 'runtime', message: (e as Error).message })
        }
        get().sample()
      },
    }
  }
}
