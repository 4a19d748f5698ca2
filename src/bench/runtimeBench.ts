/**
 * The runtime benchmark, run in a real browser page (`npm run bench:runtime` drives it with
 * Playwright). Everything is measured on this page, in this run, against baselines of the same run:
 *  (a) one empty lock-step tick vs a bare Atomics wait/notify round trip between the same workers;
 *  (b) one remote page fault served at the minimum link latency vs a bare round trip + 4 KiB copy;
 *  (c) simulated accesses per second in the workers vs the same scenario in-process.
 */
import { SharedWorld } from '../runtime/coordinator'
import { spawnHostWorker } from '../runtime/createWorld'
import { median } from './stats'
import { InProcessWorld } from '../runtime/inProcessWorld'
import type { World } from '../runtime/world'
import { parseScenario, type ScenarioInput } from '../sim/scenario'

const schedule = (pump: () => void) => void setTimeout(pump, 0)
const now = () => performance.now()

async function timeRun(world: World, ticks: number): Promise<number> {
  const t0 = now()
  await world.runTo(ticks)
  return now() - t0
}

export interface RuntimeBenchResult {
  readonly [k: string]: number | string
}

/** (a) Empty lock-step tick vs bare ping-pong, `reps` alternating repetitions, medians. */
async function benchTick(world: SharedWorld, reps: number): Promise<Record<string, number>> {
  const ticks = 40_000
  const tickUs: number[] = []
  const rtUs: number[] = []
  const spinRtUs: number[] = []
  for (let r = 0; r < reps; r++) {
    // latency = one tick: lookahead 1, a barrier on every tick.
    await world.load(
      parseScenario({ seed: r + 1, tickUs: 10, durationTicks: ticks + 1, link: { latencyUs: 10 } }),
    )
    tickUs.push(((await timeRun(world, ticks)) * 1000) / ticks)
    rtUs.push(((await world.benchPingPong(ticks, 0, false)) * 1000) / ticks)
    spinRtUs.push(((await world.benchPingPong(ticks, 0, true)) * 1000) / ticks)
  }
  const tick = median(tickUs)
  const rt = median(rtUs)
  const spinRt = median(spinRtUs)
  // tickRatio is against the bare Atomics wait/notify round trip (the guide's baseline); the ratio
  // against a spinning hand-off is reported beside it.
  return {
    emptyTickUs: tick,
    bareRoundTripUs: rt,
    bareSpinRoundTripUs: spinRt,
    tickRatio: tick / rt,
    tickRatioVsSpin: tick / spinRt,
  }
}

/**
 * (b) Remote faults at the minimum latency. A network fault spans `faultTicks` lock-step ticks from
 * the fault to the mapped page (request out, reply back); its real cost is those ticks' wall time.
 * The baseline is the same number of bare round trips between the same workers plus one 4 KiB
 * copy per fault.
 */
async function benchFault(
  world: SharedWorld,
  scenario: ScenarioInput,
  reps: number,
): Promise<Record<string, number>> {
  const perFault: number[] = []
  const bare: number[] = []
  const bareSpin: number[] = []
  let faultTicks = 0
  for (let r = 0; r < reps; r++) {
    const s = parseScenario(scenario)
    await world.load(s)
    const ms = await timeRun(world, s.durationTicks)
    const evs = world.events()
    const faultAt = new Map<number, number>()
    let sum = 0
    let n = 0
    for (const e of evs) {
      if (e.kind === 'page.faultNetwork') faultAt.set(e.page, e.tick)
      else if (e.kind === 'page.demandMapped') {
        const t0 = faultAt.get(e.page)
        if (t0 !== undefined) {
          sum += e.tick - t0
          n++
          faultAt.delete(e.page)
        }
      }
    }
    if (n === 0) throw new Error('fault benchmark scenario produced no network faults')
    faultTicks = sum / n
    const tickUs = (ms * 1000) / s.durationTicks
    perFault.push(tickUs * faultTicks)
    const rounds = 20_000
    const rtCopyUs = ((await world.benchPingPong(rounds, 4096, false)) * 1000) / rounds
    const rtUs = ((await world.benchPingPong(rounds, 0, false)) * 1000) / rounds
    // faultTicks round trips, one of which carries the page copy.
    bare.push(rtUs * (faultTicks - 1) + rtCopyUs)
    // The same with the spinning hand-off the lock step itself uses first (reported beside it: on
    // an idle VM a futex wake costs tens of µs, a spin hand-off well under one).
    const spinCopyUs = ((await world.benchPingPong(rounds, 4096, true)) * 1000) / rounds
    const spinUs = ((await world.benchPingPong(rounds, 0, true)) * 1000) / rounds
    bareSpin.push(spinUs * (faultTicks - 1) + spinCopyUs)
  }
  const f = median(perFault)
  const b = median(bare)
  const bs = median(bareSpin)
  return {
    faultTicks,
    faultUs: f,
    bareFaultUs: b,
    faultRatio: f / b,
    bareSpinFaultUs: bs,
    faultRatioVsSpin: f / bs,
  }
}

/** (c) Accesses per second: workers vs in-process, same scenario. Both runtimes execute exactly the
 * same accesses (parity is tested), so the count is read from the in-process world's process. */
async function benchThroughput(
  world: SharedWorld,
  scenario: ScenarioInput,
): Promise<Record<string, number>> {
  const s = parseScenario(scenario)
  await world.load(s)
  const wMs = await timeRun(world, s.durationTicks)
  const workerHash = world.eventLogHash()
  const local = new InProcessWorld({ schedule, now, budgetMs: 1e9 })
  await local.load(s)
  const lMs = await timeRun(local, s.durationTicks)
  if (local.eventLogHash() !== workerHash) throw new Error('throughput run: runtimes disagree')
  const lw = local.local()
  const accesses = lw ? lw.hosts[0].mig.wl.accesses + lw.hosts[1].mig.wl.accesses : 0
  return {
    simulatedAccesses: accesses,
    workerAccessesPerSec: accesses / (wMs / 1000),
    inProcessAccessesPerSec: accesses / (lMs / 1000),
    workerVsInProcessRatio: lMs / wMs,
  }
}

/** Remote faults at the minimum latency: demand paging only, every access a likely fault. */
const FAULT_SCENARIO: ScenarioInput = {
  name: 'bench: remote faults at minimum latency',
  seed: 7,
  tickUs: 10,
  durationTicks: 12_000,
  link: { latencyUs: 10, bandwidthMbps: 10_000 },
  migration: {
    pages: 16_384,
    strategy: 'postcopy',
    migrateAtTick: 10,
    segments: { text: 64, data: 16_000, heap: 0, shared: 0, pinned: 0, stack: 64 },
    heapInitFraction: 1,
    workload: { kind: 'uniform', accessesPerTick: 1, writeFraction: 0.1, textFraction: 0 },
    postcopy: { prepaging: 'none' },
    costs: { checkpointUs: 0, restartUs: 0 },
  },
}

/** A post-copy migration with a running workload, for throughput. */
const THROUGHPUT_SCENARIO: ScenarioInput = {
  name: 'bench: post-copy throughput',
  seed: 3,
  durationTicks: 30_000,
  migration: {
    pages: 16_384,
    strategy: 'postcopy',
    migrateAtTick: 2_000,
    workload: { kind: 'hotcold', accessesPerTick: 400 },
    postcopy: { prepaging: 'patent', eagerHotPages: 256 },
  },
}

declare global {
  interface Window {
    runRuntimeBench?: (opts: { reps: number }) => Promise<Record<string, number | string>>
  }
}

window.runRuntimeBench = async (opts) => {
  const world = new SharedWorld({ spawn: spawnHostWorker, schedule, now, stallMs: 60_000 })
  await world.ready()
  const out: Record<string, number | string> = {
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
  }
  Object.assign(out, await benchTick(world, opts.reps))
  Object.assign(out, await benchFault(world, FAULT_SCENARIO, opts.reps))
  Object.assign(out, await benchThroughput(world, THROUGHPUT_SCENARIO))
  world.dispose()
  return out
}
