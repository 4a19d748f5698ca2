import type { StateCreator } from 'zustand'
import type { PlaybackSlice } from './playbackSlice'
import type { RuntimeSlice } from './runtimeSlice'
import type { ScenarioSlice } from './scenarioSlice'
import type { ViewSlice } from './viewSlice'
import type { BreakpointSlice } from './breakpointSlice'
import type { SelectionSlice } from './selectionSlice'
import type { TimelineSlice } from './timelineSlice'

export type AppState = RuntimeSlice &
  PlaybackSlice &
  ScenarioSlice &
  ViewSlice &
  TimelineSlice &
  BreakpointSlice &
  SelectionSlice

/** Each slice sees the whole store; middleware (if any) wraps only the combined store. */
export type SliceCreator<Slice> = StateCreator<AppState, [], [], Slice>

export type NoticeLevel = 'info' | 'warning' | 'error'

export interface Notice {
  readonly id: number
  readonly level: NoticeLevel
  /** Plain text, rendered as text (never as HTML): it may quote URL parameters. */
  readonly text: string
  /** Groups notices for tests and dismissal ("url", "scenario", "app"). */
  readonly source: string
}
