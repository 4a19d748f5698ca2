import type { AppState } from './types'

export const selectRuntimeState = (s: AppState) => s.runtimeState
export const selectKind = (s: AppState) => s.kind
export const selectRunning = (s: AppState) => s.running
export const selectSpeed = (s: AppState) => s.speed
/** Hosts up and a scenario loaded: the playback controls work. */
export const selectReady = (s: AppState) =>
  s.runtimeState === 'ready' && s.scenario !== null && !s.scenarioLoading
export const selectRuntimeError = (s: AppState) => s.runtimeError
export const selectNotices = (s: AppState) => s.notices
export const selectIsolation = (s: AppState) => s.isolated && s.sharedMemory
export const selectPresets = (s: AppState) => s.presets
export const selectPresetsError = (s: AppState) => s.presetsError
export const selectScenarioFile = (s: AppState) => s.scenarioFile
export const selectScenarioLabel = (s: AppState) => s.scenarioLabel
export const selectScenarioError = (s: AppState) => s.scenarioError
export const selectScenarioLoading = (s: AppState) => s.scenarioLoading
export const selectEventVersion = (s: AppState) => s.eventVersion
export const selectTick = (s: AppState) => s.tick
export const selectFollowLog = (s: AppState) => s.followLog
export const selectLogFilter = (s: AppState) => s.logFilter
