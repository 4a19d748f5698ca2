import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { InProcessWorld } from '../inProcessWorld'
import { parseScenario } from '../../sim/scenario'
import { LocalWorld } from '../../sim/world'
import type { SharedWorld } from '../coordinator'
import { PUB } from '../wire/layout'
import { seqlockCopy } from '../wire/seqlock'
import type { PageStateSources, SharedPageStates } from '../world'
import { createThreadWorld } from './threadWorld'

let world: SharedWorld | undefined
afterEach(() => {
  world?.dispose()
  world = undefined
})

function tickTraceOf(n: number): number {
  let h = 0
  for (let t = 0; t < n; t++) h = (Math.imul(h ^ t, 0x01000193) + 1) | 0
  return h
}

describe('two host threads in lock step', () => {
  test('100,000 ticks with a barrier every tick: no deadlock, both hosts run the same tick sequence', async () => {
    world = createThreadWorld()
    // 10 µs latency at 10 µs ticks: lookahead 1, so the hosts meet at the barrier on every tick.
    await world.load(
      parseScenario({
        seed: 5,
        tickUs: 10,
        link: { latencyUs: 10 },
        durationTicks: 100_000,
        migration: { pages: 64 },
      }),
    )
    await world.runTo(100_000)
    // runTo resolves once both hosts have completed the tick; each publishes its view after its
    // slice, and a read during a publication keeps the previous copy: wait for the final views.
    const w = world
    await vi.waitFor(
      () => {
        expect(w.publishedHeader(0)?.[PUB.TICK]).toBe(100_000)
        expect(w.publishedHeader(1)?.[PUB.TICK]).toBe(100_000)
      },
      { timeout: 10_000, interval: 5 },
    )
    const a = world.publishedHeader(0)
    const b = world.publishedHeader(1)
    expect(a?.[PUB.TICK_TRACE]).toBe(tickTraceOf(100_000))
    expect(b?.[PUB.TICK_TRACE]).toBe(a?.[PUB.TICK_TRACE])
  })

  test('inputs apply at the same tick as in-process, with the same event-log hash', async () => {
    const scenario = parseScenario({
      seed: 11,
      migration: { pages: 128 },
      link: { lossRate: 0.2, latencyUs: 30 },
      inputs: [
        { atTick: 3, input: { type: 'debug.setPageState', host: 1, page: 5, state: 9 } },
        { atTick: 10, input: { type: 'fault.linkDown', durationTicks: 20 } },
      ],
    })
    world = createThreadWorld()
    await world.load(scenario)
    await world.runTo(500)
    const local = new LocalWorld(scenario)
    local.runTo(500)
    expect(world.events().length).toBe(local.events.length)
    expect(world.eventLogHash()).toBe(local.eventLogHash())
    const frame = world.frame()
    expect(frame.hosts[1].pageState[5]).toBe(9)
    expect(Array.from(frame.hosts[0].pageState)).toEqual(Array.from(local.hosts[0].mem.pageState))
    expect(Array.from(frame.hosts[1].pageState)).toEqual(Array.from(local.hosts[1].mem.pageState))
  })

  test('hosts giving way to the page frames: the same event log, and a frame that never ends holds them only briefly', async () => {
    const scenario = parseScenario({
      seed: 12,
      migration: { pages: 256 },
      link: { lossRate: 0.1, latencyUs: 40 },
      durationTicks: 200_000,
    })
    world = createThreadWorld()
    await world.load(scenario)
    // Frames announced all the time while running: only when ticks run changes, never a result.
    const w = world
    const frames = setInterval(() => w.pageBusy(), 1)
    try {
      await world.runTo(3_000)
    } finally {
      clearInterval(frames)
    }
    const local = new LocalWorld(scenario)
    local.runTo(3_000)
    expect(world.eventLogHash()).toBe(local.eventLogHash())

    // A page stuck inside one frame (this thread spins, so the frame is never marked drawn): the
    // hosts give it UI_YIELD_MS, then run on.
    world.runTo(200_000).catch(() => {})
    await vi.waitFor(() => expect(w.frontier()).toBeGreaterThan(3_100), { timeout: 10_000 })
    // The hosts' own counters (what they published after their last slice), not the event pump's
    // frontier: the pump runs on this thread, which is busy.
    const ticks = () => world?.publishedHeader(1)?.[PUB.TICK] ?? 0
    const before = ticks()
    world.pageBusy()
    const until = performance.now() + 300
    while (performance.now() < until) {
      // the page's long frame
    }
    expect(ticks()).toBeGreaterThan(before)
  })

  test("the hosts give way to the task that takes a host's answer, as to a frame", async () => {
    // The views' polls do a frame's worth of work when an answer arrives (timeline, report).
    world = createThreadWorld()
    await world.load(parseScenario({ seed: 4, migration: { pages: 64 } }))
    const before = world.pageBusyCount()
    await world.inspect(0, { kind: 'stateHash' })
    await world.inspect(1, { kind: 'stateHash' })
    expect(world.pageBusyCount()).toBe(before + 2)
  })

  test('a host that throws is reported with its error, and restart brings the run back', async () => {
    world = createThreadWorld()
    await world.load(
      parseScenario({
        seed: 2,
        migration: { pages: 16 },
        inputs: [{ atTick: 50, input: { type: 'debug.throw', host: 1 } }],
      }),
    )
    await expect(world.runTo(1000)).rejects.toThrow(/host B/)
    const st = world.status()
    expect(st.state).toBe('error')
    if (st.state === 'error') {
      expect(st.host).toBe('B')
      expect(st.message).toContain('injected failure on host B at tick 50')
    }
    const fresh = parseScenario({ seed: 2, migration: { pages: 16 } })
    await world.restart()
    await world.load(fresh)
    await world.runTo(200)
    expect(world.status()).toMatchObject({ state: 'ready' })
    expect(world.frame().tick).toBe(200)
  })
})

describe('loading again after a run', () => {
  test('a pump while the hosts take the new load does not read the old run as the new frontier', async () => {
    const scenario = parseScenario({ seed: 3, migration: { pages: 128, migrateAtTick: 100 } })
    world = createThreadWorld()
    await world.load(scenario)
    await world.runTo(2_000)
    // The same scenario again; the page's frame pump runs before both hosts have taken it, while
    // their DONE words still say 2,000 (a run in the browser pumps every animation frame).
    const loading = world.load(scenario)
    await Promise.resolve()
    await Promise.resolve()
    world.pump()
    await loading
    await world.runTo(2_500)
    expect(world.status()).toMatchObject({ state: 'ready' })
    const local = new LocalWorld(scenario)
    local.runTo(2_500)
    expect(local.events.length).toBeGreaterThan(0)
    expect(world.events().length).toBe(local.events.length)
    expect(world.eventLogHash()).toBe(local.eventLogHash())
  })
})

describe('JIT warm-up in the host threads', () => {
  const scenario = parseScenario({
    seed: 9,
    durationTicks: 4_000,
    migration: { pages: 256, migrateAtTick: 100 },
  })
  const expectSameAsInProcess = (w: SharedWorld) => {
    const local = new LocalWorld(scenario)
    local.runTo(4_000)
    expect(local.events.length).toBeGreaterThan(0)
    expect(w.events().length).toBe(local.events.length)
    expect(w.eventLogHash()).toBe(local.eventLogHash())
  }

  test('each host runs it to its end after start-up, and a run after it gives the same results', async () => {
    world = createThreadWorld(undefined, true)
    await world.ready()
    const reports = await world.warmUp()
    expect(reports?.map((r) => r.outcome)).toEqual(['done', 'done'])
    await world.load(scenario)
    await world.runTo(4_000)
    expectSameAsInProcess(world)
  })

  test('a run started meanwhile stops it and is not changed by it', async () => {
    world = createThreadWorld(undefined, true)
    await world.load(scenario)
    await world.runTo(4_000)
    const reports = await world.warmUp()
    // The warm-up takes dozens of 8 ms chunks (about half a second); the run starts a chunk or two in.
    expect(reports?.map((r) => r.outcome)).toEqual(['stopped', 'stopped'])
    expectSameAsInProcess(world)
  })

  test('is off unless asked for', () => {
    world = createThreadWorld()
    expect(world.warmUp()).toBeUndefined()
  })
})

describe('page-state sources for another thread', () => {
  /** What the render worker does: a seqlock read of the published bytes straight from the SABs. */
  function readSource(src: SharedPageStates): Uint8Array | null {
    const out = new Uint8Array(src.pageCount)
    const view = new Uint8Array(src.buffer, src.byteOffset, src.pageCount)
    const seq = seqlockCopy(new Int32Array(src.ctl), src.seqIndex, -1, () => out.set(view))
    return seq < 0 ? null : out
  }

  test('each load announces new buffers of its sizes; reading them gives what frame() gives', async () => {
    world = createThreadWorld()
    const announced: PageStateSources[] = []
    world.subscribe({ pageStateSources: (s) => announced.push(s) })
    const first = parseScenario({
      seed: 3,
      migration: { pages: 96 },
      inputs: [{ atTick: 5, input: { type: 'debug.setPageState', host: 1, page: 7, state: 9 } }],
    })
    await world.load(first)
    await world.runTo(300)
    expect(announced).toHaveLength(1)
    const sources = world.pageStateSources()
    expect(sources).toBe(announced[0])
    for (const h of [0, 1] as const) {
      const src = sources?.[h]
      if (!src) throw new Error('no source')
      expect(src.buffer).toBeInstanceOf(SharedArrayBuffer)
      const read = readSource(src)
      expect(read && Array.from(read)).toEqual(Array.from(world.frame().hosts[h].pageState))
    }
    expect(readSource(sources?.[1] as SharedPageStates)?.[7]).toBe(9)

    await world.load(parseScenario({ seed: 3, migration: { pages: 40 } }))
    expect(announced).toHaveLength(2)
    const next = announced[1] as PageStateSources
    expect(next[1].buffer).not.toBe(sources?.[1].buffer)
    expect(next[1].pageCount).toBe(world.frame().hosts[1].pageState.length)
    // A seek keeps the load's buffers: nothing new to announce.
    await world.runTo(100)
    await world.seek(20)
    expect(announced).toHaveLength(2)
  })
})

describe('time travel in the threads', () => {
  const scenario = () =>
    parseScenario({
      seed: 21,
      durationTicks: 6000,
      migration: { pages: 64 },
      link: { lossRate: 0.1 },
      inputs: [
        { atTick: 100, input: { type: 'debug.setPageState', host: 0, page: 3, state: 7 } },
        { atTick: 2500, input: { type: 'debug.setPageState', host: 1, page: 4, state: 2 } },
        { atTick: 3000, input: { type: 'fault.linkDown', durationTicks: 300 } },
      ],
    })

  test('seeking back replays to exactly the straight run, and forward again to the frontier', async () => {
    world = createThreadWorld()
    await world.load(scenario())
    await world.runTo(5000)
    const full = world.events().length
    for (const t of [4000, 1500, 2600, 10, 5000]) {
      await world.seek(t)
      const ref = new LocalWorld(scenario(), { snapshots: false })
      ref.runTo(t)
      expect(world.frame().tick).toBe(t)
      expect(world.eventLogHash()).toBe(ref.eventLogHash())
      expect(Array.from(world.frame().hosts[1].pageState)).toEqual(
        Array.from(ref.hosts[1].mem.pageState),
      )
      expect(world.events().length).toBe(full)
    }
  })

  test('an input behind the frontier forks: same result as in-process', async () => {
    world = createThreadWorld()
    await world.load(scenario())
    await world.runTo(4000)
    // The hash is folded in lazily: asked for here, it covers the events the fork then cuts.
    const straight = new LocalWorld(scenario(), { snapshots: false })
    straight.runTo(4000)
    expect(world.eventLogHash()).toBe(straight.eventLogHash())
    await world.seek(1200)
    world.input({ type: 'debug.setPageState', host: 1, page: 9, state: 1 })
    await world.seek(1200) // waits for the fork's replay to settle
    await world.runTo(4000)
    const ref = new LocalWorld(scenario(), { snapshots: false })
    ref.runTo(1200)
    ref.addInput({ type: 'debug.setPageState', host: 1, page: 9, state: 1 })
    ref.runTo(4000)
    expect(world.eventLogHash()).toBe(ref.eventLogHash())
    expect(world.frame().hosts[1].pageState[9]).toBe(1)
    // Snapshots of the discarded future are gone: seeking back and forth stays on the new timeline.
    await world.seek(300)
    await world.seek(3500)
    const ref2 = new LocalWorld(scenario(), { snapshots: false })
    ref2.runTo(1200)
    ref2.addInput({ type: 'debug.setPageState', host: 1, page: 9, state: 1 })
    ref2.runTo(3500)
    expect(world.eventLogHash()).toBe(ref2.eventLogHash())
    expect(await world.stateHash()).toBe(
      (await import('../../sim/host')).hostStateHash(ref2.hosts[0]) +
        (await import('../../sim/host')).hostStateHash(ref2.hosts[1]),
    )
  })

  test('a step and a second input issued while a fork is replaying apply on the new timeline', async () => {
    world = createThreadWorld()
    await world.load(scenario())
    await world.runTo(4000)
    await world.seek(1200)
    // Not awaited in between, as a user clicking fast (or a test) does: the fork is still replaying.
    world.input({ type: 'debug.setPageState', host: 1, page: 9, state: 1 })
    const stepped = world.step(2)
    world.input({ type: 'debug.setPageState', host: 0, page: 4, state: 2 })
    await stepped
    await world.step(1)
    const ref = new LocalWorld(scenario(), { snapshots: false })
    ref.runTo(1200)
    ref.addInput({ type: 'debug.setPageState', host: 1, page: 9, state: 1 })
    ref.runTo(1202)
    ref.addInput({ type: 'debug.setPageState', host: 0, page: 4, state: 2 })
    ref.runTo(1203)
    expect(world.frame().tick).toBe(1203)
    expect(world.eventLogHash()).toBe(ref.eventLogHash())
    expect(world.frame().hosts[1].pageState[9]).toBe(1)
    expect(world.frame().hosts[0].pageState[4]).toBe(2)
  })
})

describe('benchmark baseline', () => {
  test('the bare ping-pong between the two host threads completes and reports a time', async () => {
    world = createThreadWorld()
    await world.ready()
    const ms = await world.benchPingPong(2000, 4096)
    expect(ms).toBeGreaterThan(0)
    const again = await world.benchPingPong(1000)
    expect(again).toBeGreaterThan(0)
  })
})

describe('inspection', () => {
  test('a host answers about its link with the same numbers as in-process', async () => {
    const s = parseScenario({
      seed: 4,
      migration: { pages: 16 },
      inputs: [{ atTick: 5, input: { type: 'fault.loss', rate: 0.5 } }],
    })
    world = createThreadWorld()
    await world.load(s)
    await world.runTo(50)
    const remote = await world.inspect(1, { kind: 'link' })
    const local = new LocalWorld(s)
    local.runTo(50)
    const { inspectHost } = await import('../../sim/inspect')
    expect(remote.result).toEqual(inspectHost(local.hosts[1], 50, { kind: 'link' }).result)
    expect((remote.result as { lossRate: number }).lossRate).toBe(0.5)
  })
})

describe('state hash', () => {
  test('equal in threads and in-process, and unchanged by a seek there and back', async () => {
    const s = parseScenario(
      JSON.parse(readFileSync('public/scenarios/streams-terminal.json', 'utf8')),
    )
    world = createThreadWorld()
    await world.load(s)
    await world.runTo(3000)
    const h1 = await world.stateHash()
    const local = new InProcessWorld({
      schedule: (f) => void setTimeout(f, 0),
      now: () => performance.now(),
    })
    await local.load(s)
    await local.runTo(3000)
    expect(await local.stateHash()).toBe(h1)
    await world.seek(1000)
    expect(await world.stateHash()).not.toBe(h1)
    await world.seek(3000)
    expect(await world.stateHash()).toBe(h1)
  })
})

describe('watchdog', () => {
  test('a host that stops responding is reported, and restart recovers', async () => {
    world = createThreadWorld(1500)
    await world.load(
      parseScenario({
        seed: 2,
        migration: { pages: 16 },
        inputs: [{ atTick: 30, input: { type: 'debug.hang', host: 0 } }],
      }),
    )
    await expect(world.runTo(1000)).rejects.toThrow(/host A/)
    const st = world.status()
    expect(st.state).toBe('error')
    if (st.state === 'error') expect(st.message).toMatch(/not responding.*tick 30/)
    await world.restart()
    await world.load(parseScenario({ seed: 2, migration: { pages: 16 } }))
    await world.runTo(100)
    expect(world.frame().tick).toBe(100)
  })
})
