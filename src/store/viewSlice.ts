import type { SliceCreator } from './types'

export interface ViewSlice {
  /** The event log keeps the newest event in view while true. */
  followLog: boolean
  /** Case-insensitive substring matched against event kinds and text; empty shows everything. */
  logFilter: string
  setFollowLog(follow: boolean): void
  setLogFilter(filter: string): void
}

export const createViewSlice: SliceCreator<ViewSlice> = (set) => ({
  followLog: true,
  logFilter: '',
  setFollowLog: (followLog) => set({ followLog }),
  setLogFilter: (logFilter) => set({ logFilter }),
})
