import { describe, expect, it } from 'vitest'
import { InProcessWorld } from '../runtime/inProcessWorld'
import type { World, WorldListener } from '../runtime/world'
import type { SimEvent } from '../sim/events'
import { createAppStore, EventLog, type AppStore } from './index'
import { parsePresetIndex } from './scenarioSlice'

function makeStore(files: Record<string, string> = {}): AppStore {
  return createAppStore({
    // Pumps run synchronously: the store's behaviour, not timing, is under test.
    createWorld: () =>
      new InProcessWorld({ schedule: (pump) => queueMicrotask(pump), now: () => 0 }),
    isolated: false,
    sharedMemory: true,
    baseUrl: '/',
    fetchText: async (url) => {
      const text = files[url]
      return text === undefined
        ? { ok: false, status: 404, text: '' }
        : { ok: true, status: 200, text }
    },
  })
}

describe('app store', () => {
  it('loads the built-in default and steps exactly one tick', async () => {
    const store = makeStore()
    await store.getState().world.ready()
    expect(await store.getState().loadDefault(7)).toBe(true)
    expect(store.getState().scenario?.seed).toBe(7)
    await store.getState().step()
    store.getState().sample()
    expect(store.getState().tick).toBe(1)
  })

  it('shows a scenario error naming the field and keeps the old scenario', async () => {
    const store = makeStore({ '/scenarios/bad.json': '{"tickUs": -5}' })
    await store.getState().world.ready()
    await store.getState().loadDefault()
    store.setState({ presets: [{ file: 'bad.json', title: 'Bad' }] })
    expect(await store.getState().loadPreset('bad.json')).toBe(false)
    expect(store.getState().scenarioError).toContain('tickUs')
    expect(store.getState().scenarioLabel).toBe('Built-in default')
  })

  it('says clearly when a listed preset file is missing', async () => {
    const store = makeStore({ '/scenarios/index.json': '[{"file":"gone.json","title":"Gone"}]' })
    await store.getState().loadPresetIndex()
    expect(store.getState().presets).toEqual([{ file: 'gone.json', title: 'Gone' }])
    expect(await store.getState().loadPreset('gone.json')).toBe(false)
    expect(store.getState().scenarioError).toContain('missing (HTTP 404)')
  })

  it('reports a broken index.json', () => {
    expect(() => parsePresetIndex('{}')).toThrow('must be an array')
    expect(() => parsePresetIndex('[{"file":"x","title":"X"}]')).toThrow('[0].file')
  })
})

describe('runtime errors', () => {
  it('a worker error sets the error state; Restart restarts the world and clears it', async () => {
    const inner = new InProcessWorld({ schedule: (pump) => queueMicrotask(pump), now: () => 0 })
    const listeners = new Set<WorldListener>()
    let restarts = 0
    const world: World = Object.assign(Object.create(inner) as World, {
      subscribe(l: WorldListener) {
        listeners.add(l)
        return inner.subscribe(l)
      },
      async restart() {
        restarts++
        for (const l of listeners) l.status?.({ state: 'ready', tick: 0, running: false })
      },
    })
    const store = createAppStore({
      createWorld: () => world,
      isolated: true,
      sharedMemory: true,
      baseUrl: '/',
      fetchText: async () => ({ ok: false, status: 404, text: '' }),
    })
    await inner.ready()
    await store.getState().loadDefault()
    for (const l of listeners) l.status?.({ state: 'error', host: 'B', message: 'boom' })
    expect(store.getState().runtimeState).toBe('error')
    expect(store.getState().runtimeError).toEqual({ host: 'B', message: 'boom' })
    expect(store.getState().running).toBe(false)
    await store.getState().restart()
    expect(restarts).toBe(1)
    expect(store.getState().runtimeState).toBe('ready')
    expect(store.getState().runtimeError).toBeNull()
  })

  it('a world that cannot be created is an error, not a crash', () => {
    const store = createAppStore({
      createWorld: () => {
        throw new Error('Worker is not defined')
      },
      isolated: true,
      sharedMemory: true,
      baseUrl: '/',
      fetchText: async () => ({ ok: false, status: 404, text: '' }),
    })
    expect(store.getState().runtimeState).toBe('error')
    expect(store.getState().runtimeError?.message).toContain('Worker is not defined')
  })
})

describe('EventLog', () => {
  const ev = (seq: number): SimEvent => ({ kind: 'sim.input', tick: seq, host: 0, seq, input: seq })

  it("is a bounded window onto the world's log and counts what it leaves out", () => {
    const log = new EventLog(10)
    const world: SimEvent[] = []
    log.replace(world)
    // The world appends a batch, then tells its listeners (as both runtimes do).
    for (let b = 0; b < 5; b++) {
      const batch = Array.from({ length: 5 }, (_, i) => ev(world.length + i))
      world.push(...batch)
      const before = log.version
      log.push(batch)
      expect(log.version).toBeGreaterThan(before)
      expect(log.length).toBeLessThanOrEqual(10)
      expect(log.dropped + log.length).toBe(world.length)
      expect(log.at(log.length - 1)?.seq).toBe(world.length - 1)
      expect(log.at(0)?.seq).toBe(log.dropped)
    }
    expect(log.at(-1)).toBeUndefined()
    expect(log.at(log.length)).toBeUndefined()
  })

  it('replace shows a new log from its newest window; clear after the log was emptied shows it all', () => {
    const log = new EventLog(10)
    log.replace(Array.from({ length: 25 }, (_, i) => ev(i)))
    expect([log.dropped, log.length, log.at(0)?.seq]).toEqual([15, 10, 15])
    const world = Array.from({ length: 25 }, (_, i) => ev(i))
    log.replace(world)
    world.length = 3 // a new run empties the log in place (the shared world's columns do)
    log.clear()
    expect([log.dropped, log.length, log.at(2)?.seq]).toEqual([0, 3, 2])
  })
})
