import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { PAUSE_DRAIN_MS, UiGate } from './uiGate'

/** A fake animation-frame clock: frame() runs the callbacks requested so far, as the browser would. */
let requested: FrameRequestCallback[] = []
let inFrame = false
function frame(): void {
  const due = requested
  requested = []
  inFrame = true
  try {
    for (const cb of due) cb(performance.now())
  } finally {
    inFrame = false
  }
}
/** Lets queued tasks (the gate's message-channel tasks) run. */
const tasks = () => new Promise((resolve) => setTimeout(resolve, 5))

beforeEach(() => {
  vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => requested.push(cb))
})
afterEach(() => {
  // The frame loop (frameLoop.ts) is module state: let it run down so the next test starts it anew.
  for (let i = 0; i < 10 && requested.length; i++) frame()
  vi.unstubAllGlobals()
})

describe('UiGate while playing', () => {
  it('renders each phase in a task of its own between frames, never inside a frame callback, announcing it busy', async () => {
    let busy = 0
    const gate = new UiGate(
      () => true,
      () => busy++,
    )
    const told: { phase: number; inFrame: boolean; busy: number; frames: number }[] = []
    let frames = 0
    for (const phase of [1, 2, 4]) {
      gate.subscribeAt(phase)(() => told.push({ phase, inFrame, busy, frames }))
    }
    gate.changed()
    expect(told).toEqual([]) // playing: nothing at once
    for (let i = 0; i < 10 && told.length < 3; i++) {
      frame()
      frames++
      await tasks()
    }
    expect(told.map((t) => t.phase)).toEqual([1, 2, 4])
    for (const t of told) expect(t.inFrame).toBe(false)
    // One phase per panel frame: two animation frames apart.
    const at = told.map((t) => t.frames)
    expect(at.slice(1).map((f, i) => f - (at[i] as number))).toEqual([2, 2])
    // Each task told the hosts the page was busy before rendering.
    expect(told.map((t) => t.busy)).toEqual([1, 2, 3])
  })

  it('runs a deferred update (a host answer) in the next panel task, outside frame callbacks', async () => {
    const gate = new UiGate(() => true)
    const ran: boolean[] = []
    gate.defer(() => ran.push(inFrame))
    expect(ran).toEqual([])
    for (let i = 0; i < 4 && ran.length === 0; i++) {
      frame()
      await tasks()
    }
    expect(ran).toEqual([false])
  })
})

describe('UiGate while paused', () => {
  it('tells every phase and runs deferred updates at once', () => {
    const gate = new UiGate(() => false)
    const told: number[] = []
    for (const phase of [0, 3]) gate.subscribeAt(phase)(() => told.push(phase))
    gate.changed()
    gate.defer(() => told.push(-1))
    expect(told).toEqual([0, 3, -1])
  })
})

describe('UiGate on a pause', () => {
  it('catches up with a pause phase by phase in panel tasks, every phase once, not in the pausing task', async () => {
    let playing = true
    const gate = new UiGate(() => playing)
    const told: { phase: number; inFrame: boolean }[] = []
    // Phase 10 (the event log) is told only every other flush while playing; a pause tells it too.
    for (const phase of [0, 3, 10]) gate.subscribeAt(phase)(() => told.push({ phase, inFrame }))
    gate.changed() // playing: the gate sees the run play
    for (let i = 0; i < 10; i++) {
      frame()
      await tasks()
    }
    told.length = 0
    playing = false
    gate.changed() // the pause's own store change
    expect(told).toEqual([])
    for (let i = 0; i < 12 && told.length < 3; i++) {
      frame()
      await tasks()
    }
    // Round robin from the phase told last: each phase once, in some rotation.
    expect(told.map((t) => t.phase).sort((a, b) => a - b)).toEqual([0, 3, 10])
    for (const t of told) expect(t.inFrame).toBe(false)
  })

  it('tells changes at once again once the pause has been caught up with', () => {
    vi.useFakeTimers({ toFake: ['performance'] })
    try {
      let playing = true
      const gate = new UiGate(() => playing)
      const told: number[] = []
      gate.subscribeAt(2)(() => told.push(2))
      gate.changed()
      playing = false
      vi.advanceTimersByTime(PAUSE_DRAIN_MS + 1)
      told.length = 0
      gate.changed() // a step, well after the pause
      expect(told).toEqual([2])
    } finally {
      vi.useRealTimers()
    }
  })
})
