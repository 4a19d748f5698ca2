/**
 * Export / import actions over the store's current run, shared by the Export panel and the test
 * API: save and load a run (hash verified), the Perfetto trace and the metrics CSV.
 */
import type { World } from '../../runtime/world'
import type { HostId } from '../../sim/events'
import type { AppStore } from '../../store'
import { checksumBytes } from '../../sim/hash'
import { metricsCsv } from './metricsCsv'
import { parseRunFile, replayScenario, RunFileError, runFileText, verifyReplay } from './runFile'
import { buildTrace, type TraceFile } from './trace'

export function saveRunText(store: AppStore): string {
  const s = store.getState()
  const scenario = s.world.scenario() ?? s.scenario
  if (!scenario) throw new RunFileError('No scenario is loaded: nothing to save.')
  return runFileText({
    scenario,
    inputLog: s.world.inputLog?.() ?? [],
    events: s.world.events(),
    frontier: s.world.frontier(),
    tick: s.world.frame().tick,
    cursor: s.cursor,
  })
}

/**
 * Loads a saved run: validates it, replays the scenario with its inputs up to the saved frontier,
 * compares the event-log hash, then travels to the saved moment. Throws RunFileError (also shown
 * as an error notice) when the file is malformed or the replay does not match.
 */
export async function loadRunText(
  store: AppStore,
  text: string,
  where = 'Saved run',
): Promise<void> {
  const s = store.getState()
  try {
    const f = parseRunFile(text, where)
    const ok = await s.loadScenarioText(
      JSON.stringify(replayScenario(f)),
      where,
      undefined,
      null,
      `${where}: ${f.scenario.name}`,
    )
    if (!ok) throw new RunFileError(store.getState().scenarioError ?? `${where}: could not load`)
    await store.getState().seekTick(f.frontier)
    verifyReplay(f, store.getState().world.events())
    if (f.cursor !== undefined) await store.getState().stepToEvent(f.cursor)
    else if (f.tick !== undefined) await store.getState().seekTick(f.tick)
    store
      .getState()
      .notify(
        'info',
        'run',
        `${where} loaded and verified: ${f.eventCount} events, hash ${f.eventLogHash}.`,
      )
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e)
    store.getState().notify('error', 'run', message)
    throw e instanceof RunFileError ? e : new RunFileError(message)
  }
}

export function traceFor(store: AppStore): TraceFile {
  const s = store.getState()
  const sc = s.world.scenario() ?? s.scenario
  return buildTrace(s.world.events(), {
    tickUs: sc?.tickUs ?? 10,
    name: sc?.name ?? 'run',
    durationTicks: s.world.frontier(),
  })
}

export function csvFor(store: AppStore): string {
  const s = store.getState()
  const sc = s.world.scenario() ?? s.scenario
  return metricsCsv(s.world.events(), {
    tickUs: sc?.tickUs ?? 10,
    durationTicks: Math.max(1, s.world.frontier()),
  })
}

/** Checksum of a host's page frames, in either runtime. */
export function framesChecksum(world: World, host: HostId): number {
  const w = world as World & {
    frames?: (h: HostId) => Uint8Array | undefined
    local?: () => { hosts: readonly { mem: { frames: Uint8Array } }[] } | undefined
  }
  const bytes = w.frames?.(host) ?? w.local?.()?.hosts[host]?.mem.frames
  return bytes ? checksumBytes(bytes) : 0
}
