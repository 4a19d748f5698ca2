/**
 * The runtime benchmark, run in a real browser page (`npm run bench:runtime` drives it with
 * Playwright). Everything is measured on this page, in this run, against baselines of the same run:
 *  (a) one empty lock-step tick vs a bare Atomics wait/notify round trip between the same workers;
 *  (b) one remote page fault served at the minimum link latency vs a bare round trip + 4 KiB copy;
 *  (c) simulated accesses per second in the workers vs the same scenario in-process.
 */
import { SharedWorld, type HostEndpoint } from '../runtime/coordinator'
import { InProcessWorld } from '../runtime/inProcessWorld'
import type { FromHost } from '../runtime/protocol'
import type { World } from '../runtime/world'
import type { HostId } from '../sim/events'
import { parseScenario, type ScenarioInput } from '../sim/scenario'

function spawn(host: HostId): HostEndpoint {
  const worker = new Worker(new URL('../runtime/host.worker.ts', import.meta.url), {
    type: 'module',
    name: host === 0 ? 'host-A' : 'host-B',
  })
  return {
    post: (m) => worker.postMessage(m),
    listen(onMessage, onFailure) {
      worker.onmessage = (e: MessageEvent<FromHost>) => onMessage(e.data)
      worker.onerror = (e) => onFailure(e.message)
    },
    terminate: () => worker.terminate(),
  }
}

const schedule = (pump: () => void) => void setTimeout(pump, 0)
const now = () => performance.now()

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

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

/** (b) Remote faults at minimum latency: wall time per network fault vs bare round trip + copy. */
async function benchFault(
  world: SharedWorld,
  scenario: ScenarioInput,
  reps: number,
): Promise<Record<string, number>> {
  const perFault: number[] = []
  const bare: number[] = []
  for (let r = 0; r < reps; r++) {
    const s = parseScenario(scenario)
    await world.load(s)
    const ms = await timeRun(world, s.durationTicks)
    const faults = world.events().filter((e) => e.kind === ('page.fault' as never)).length
    if (faults === 0) throw new Error('fault benchmark scenario produced no page faults')
    perFault.push((ms * 1000) / faults)
    bare.push(((await world.benchPingPong(faults, 4096, false)) * 1000) / faults)
  }
  const f = median(perFault)
  const b = median(bare)
  return { faultUs: f, bareFaultUs: b, faultRatio: f / b }
}

/** (c) Accesses per second: workers vs in-process, same scenario. */
async function benchThroughput(
  world: SharedWorld,
  scenario: ScenarioInput,
  accessesOf: (w: World) => number,
): Promise<Record<string, number>> {
  const s = parseScenario(scenario)
  await world.load(s)
  const wMs = await timeRun(world, s.durationTicks)
  const workerRate = accessesOf(world) / (wMs / 1000)
  const local = new InProcessWorld({ schedule, now, budgetMs: 1e9 })
  await local.load(s)
  const lMs = await timeRun(local, s.durationTicks)
  const localRate = accessesOf(local) / (lMs / 1000)
  return {
    workerAccessesPerSec: workerRate,
    inProcessAccessesPerSec: localRate,
    workerVsInProcessRatio: workerRate / localRate,
  }
}

declare global {
  interface Window {
    runRuntimeBench?: (opts: {
      reps: number
      faultScenario?: ScenarioInput
      throughputScenario?: ScenarioInput
      accessesEvent?: string
    }) => Promise<Record<string, number | string>>
  }
}

window.runRuntimeBench = async (opts) => {
  const world = new SharedWorld({ spawn, schedule, now, stallMs: 60_000 })
  await world.ready()
  const out: Record<string, number | string> = {
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
  }
  Object.assign(out, await benchTick(world, opts.reps))
  if (opts.faultScenario) Object.assign(out, await benchFault(world, opts.faultScenario, opts.reps))
  if (opts.throughputScenario) {
    const kind = opts.accessesEvent
    const accessesOf = (w: World) => {
      // The workload reports its access count in its events; the last such event carries the total.
      const evs = w.events().filter((e) => e.kind === kind)
      const last = evs[evs.length - 1] as unknown as Record<string, number> | undefined
      return last?.accesses ?? 0
    }
    Object.assign(out, await benchThroughput(world, opts.throughputScenario, accessesOf))
  }
  world.dispose()
  return out
}
