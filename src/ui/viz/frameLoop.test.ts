import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type * as FrameLoopModule from './frameLoop'

type FrameLoop = typeof FrameLoopModule

/** Animation frames requested and not yet run (a fake animation-frame clock). */
let requested: FrameRequestCallback[] = []
function frame(): void {
  const due = requested
  requested = []
  for (const cb of due) cb(performance.now())
}

/** A fresh copy of the loop's module state for each test. */
async function freshLoop(): Promise<FrameLoop> {
  vi.resetModules()
  return import('./frameLoop')
}

beforeEach(() => {
  requested = []
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
  vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => requested.push(cb))
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('frame loop', () => {
  it('runs every animation frame while a run plays, and never polls by timer', async () => {
    const loop = await freshLoop()
    loop.keepFramesWhile(() => true)
    let calls = 0
    loop.onFrame(() => calls++)
    for (let i = 0; i < 120; i++) {
      vi.advanceTimersByTime(16)
      frame()
    }
    expect(calls).toBe(120)
    expect(requested).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('drops to an idle poll a second after the last activity while paused', async () => {
    const loop = await freshLoop()
    loop.keepFramesWhile(() => false)
    let calls = 0
    loop.onFrame(() => calls++)
    // Awake for IDLE_AFTER_MS after registering: every animation frame.
    let frames = 0
    // (Bounded, so a loop that never idles fails here rather than hanging.)
    for (let i = 0; i < 1000 && requested.length; i++) {
      vi.advanceTimersByTime(16)
      frame()
      frames++
    }
    expect(frames).toBeGreaterThanOrEqual(Math.floor(loop.IDLE_AFTER_MS / 16))
    expect(frames).toBeLessThanOrEqual(Math.ceil(loop.IDLE_AFTER_MS / 16) + 1)
    // Then one pass per IDLE_POLL_MS, by timer, with no animation frame requested.
    const before = calls
    vi.advanceTimersByTime(loop.IDLE_POLL_MS * 8)
    expect(calls - before).toBe(8)
    expect(requested).toHaveLength(0)
  })

  it('wakes to every animation frame at once on activity, and stops polling', async () => {
    const loop = await freshLoop()
    loop.keepFramesWhile(() => false)
    let calls = 0
    loop.onFrame(() => calls++)
    vi.advanceTimersByTime(loop.IDLE_AFTER_MS + 16)
    frame()
    expect(requested).toHaveLength(0)
    expect(vi.getTimerCount()).toBe(1)
    loop.wakeFrames()
    expect(requested).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
    const before = calls
    frame()
    expect(calls).toBe(before + 1)
    expect(requested).toHaveLength(1)
  })

  it('a run that starts playing keeps the loop on animation frames past the idle delay', async () => {
    const loop = await freshLoop()
    let playing = false
    loop.keepFramesWhile(() => playing)
    loop.onFrame(() => {})
    vi.advanceTimersByTime(loop.IDLE_AFTER_MS + 16)
    frame()
    expect(requested).toHaveLength(0)
    playing = true
    loop.wakeFrames() // the store's change (running) wakes it
    for (let i = 0; i < 200; i++) {
      vi.advanceTimersByTime(16)
      frame()
      expect(requested).toHaveLength(1)
    }
  })

  it('stops altogether when no callback is left', async () => {
    const loop = await freshLoop()
    loop.keepFramesWhile(() => false)
    const off = loop.onFrame(() => {})
    off()
    frame()
    expect(requested).toHaveLength(0)
    expect(vi.getTimerCount()).toBe(0)
  })
})
