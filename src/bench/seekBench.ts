/**
 * The seek benchmark (`npm run bench:seek` drives it with Playwright): one run of about a million
 * events in the worker runtime, then
 *  - seek latency to random ticks (forward and backward, in random order),
 *  - step-back latency: from a random event to the previous one, as the UI does it (the hosts move
 *    only when the previous event is on an earlier tick; several events often share a tick),
 *  - beside them, the time to compute the run from the start (what a seek would cost without
 *    snapshots).
 */
import { SharedWorld } from '../runtime/coordinator'
import { spawnHostWorker } from '../runtime/createWorld'
import { median } from './stats'
import type { SimEvent } from '../sim/events'
import { parseScenario } from '../sim/scenario'

const now = () => performance.now()

/** A small deterministic PRNG so every run measures the same points. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 2 ** 32
  }
}

export interface SeekBenchOptions {
  readonly targetEvents: number
  readonly seeks: number
  readonly stepBacks: number
}

async function runSeekBench(opts: SeekBenchOptions): Promise<Record<string, number | string>> {
  const world = new SharedWorld({
    spawn: spawnHostWorker,
    schedule: (pump) => void setTimeout(pump, 0),
    now,
  })
  await world.ready()
  // STREAMS traffic on both directions (about 4.5 events per tick) with a stream checkpoint and
  // restart half-way. Higher rates saturate the stream's queues, and then single ticks take seconds
  // in the STREAMS engine (reported separately), which would measure that instead of seeking.
  const durationTicks = Math.max(1000, Math.round(opts.targetEvents / 4.5))
  const scenario = parseScenario({
    name: 'seek benchmark',
    seed: 3,
    durationTicks,
    streams: { preset: 'terminal', traffic: { down: { rate: 2 }, up: { rate: 2 } } },
    inputs: [{ atTick: Math.floor(durationTicks / 2), input: { type: 'streams.checkpoint' } }],
  })
  await world.load(scenario)
  const t0 = now()
  await world.runTo(durationTicks)
  const replayFromStartMs = now() - t0
  const events = world.events()
  const eventCount = events.length

  const r = rng(7)
  const seekMs: number[] = []
  const seekBackMs: number[] = []
  const seekForwardMs: number[] = []
  let at = durationTicks
  for (let i = 0; i < opts.seeks; i++) {
    const tick = Math.floor(r() * durationTicks)
    const s = now()
    await world.seek(tick)
    const ms = now() - s
    seekMs.push(ms)
    // Backward: snapshot + replay; forward: the runtime runs on from where the hosts stand.
    ;(tick < at ? seekBackMs : seekForwardMs).push(ms)
    at = tick
  }

  const stepBackMs: number[] = []
  const stepBackTickMs: number[] = []
  for (let i = 0; i < opts.stepBacks; i++) {
    const idx = 1 + Math.floor(r() * (eventCount - 1))
    const cur = events.at(idx) as SimEvent
    const prev = events.at(idx - 1) as SimEvent
    await world.seek(cur.tick + 1) // stand on event idx (not timed)
    const s = now()
    if (prev.tick !== cur.tick) await world.seek(prev.tick + 1)
    const ms = now() - s
    stepBackMs.push(ms)
    if (prev.tick !== cur.tick) stepBackTickMs.push(ms)
  }
  world.dispose()
  return {
    events: eventCount,
    ticks: durationTicks,
    seeks: seekMs.length,
    stepBacks: stepBackMs.length,
    stepBacksChangingTick: stepBackTickMs.length,
    seekMsP90: [...seekMs].sort((a, b) => a - b)[Math.floor(seekMs.length * 0.9)] ?? 0,
    seekMsMax: Math.max(...seekMs),
    seekBackMsMedian: seekBackMs.length ? median(seekBackMs) : 0,
    seekForwardMsMedian: seekForwardMs.length ? median(seekForwardMs) : 0,
    stepBackTickChangeMsMedian: stepBackTickMs.length ? median(stepBackTickMs) : 0,
    seekMsMedian: median(seekMs),
    stepBackMsMedian: median(stepBackMs),
    replayFromStartMs,
  }
}

;(window as Window & { runSeekBench?: typeof runSeekBench }).runSeekBench = runSeekBench
