/**
 * The app store: one zustand store built from slices, holding low-frequency state only (status,
 * playback, scenario, view). Per-frame data (page maps, the live tick) is read from the world by the
 * frame loop and never passes through here. Created once in main.tsx, outside React.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import { EventLog } from './eventLog'
import { createPlaybackSlice, DEFAULT_SPEED } from './playbackSlice'
import { createRuntimeSlice, type RuntimeDeps } from './runtimeSlice'
import { createScenarioSlice, type ScenarioDeps } from './scenarioSlice'
import type { AppState } from './types'
import { createViewSlice } from './viewSlice'
import { createBreakpointSlice } from './breakpointSlice'
import { createSelectionSlice } from './selectionSlice'
import { createTimelineSlice } from './timelineSlice'

export type { AppState, Notice, NoticeLevel } from './types'
export { DEFAULT_LABEL, type Preset } from './scenarioSlice'
export { EventLog } from './eventLog'
export { SPEEDS, DEFAULT_SPEED } from './playbackSlice'
export type { Breakpoint } from './breakpointSlice'
export type { Selection } from './selectionSlice'
export type { StopInfo } from './timelineSlice'

export interface AppDeps extends Omit<RuntimeDeps, 'eventLog'>, Omit<ScenarioDeps, 'eventLog'> {
  readonly initialSpeed?: number
  readonly eventLog?: EventLog
}

export type AppStore = StoreApi<AppState> & { readonly eventLog: EventLog }

export function createAppStore(deps: AppDeps): AppStore {
  const eventLog = deps.eventLog ?? new EventLog()
  const store = createStore<AppState>()((...a) => ({
    ...createRuntimeSlice({ ...deps, eventLog })(...a),
    ...createPlaybackSlice(deps.initialSpeed ?? DEFAULT_SPEED)(...a),
    ...createScenarioSlice({ ...deps, eventLog })(...a),
    ...createViewSlice(...a),
    ...createTimelineSlice(...a),
    ...createBreakpointSlice(...a),
    ...createSelectionSlice(...a),
  }))
  return Object.assign(store, { eventLog })
}
