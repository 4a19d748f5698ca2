/**
 * Benchmark (not a test): simulated accesses per second of a post-copy run of 65,536 pages, next to
 * a bare typed-array replay of the same access stream in the same process. The last output line is
 * one JSON object (`simAccessesPerSec`, `bareAccessesPerSec`, `ratio`, plus the STREAMS engine's
 * figures when src/cli/benchStreams.ts provides them).
 *
 *   npm run bench [-- --pages N --ticks N]
 */
import { existsSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { PROC } from '../sim/migration/engine'
import { migrationFinished } from '../sim/migration/run'
import { parseScenario, type Scenario } from '../sim/scenario'
import { LocalWorld } from '../sim/world'
import {
  CHUNK,
  createWorkload,
  execBare,
  pageKinds,
  refill,
  segmentLayout,
  workloadParams,
} from '../sim/workload/workload'
import { INIT, initPage } from '../sim/memory'

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name)
  const v = i >= 0 ? Number(process.argv[i + 1]) : dflt
  return Number.isFinite(v) && v > 0 ? v : dflt
}

interface Measured {
  accesses: number
  simMs: number
  ticks: number
  bareAccessesPerSec: number
  simAccessesPerSec: number
  ratio: number
  networkFaults: number
  totalMigrationUs: number
  downtimeUs: number
}

/** Runs one post-copy scenario (timing the lock-step loop only) and its bare replay. */
function measure(scenario: Scenario): Measured {
  const mig = scenario.migration
  if (!mig) throw new Error('no migration section')
  const pages = mig.pages
  // 1. The simulator: both hosts, the link, post-copy, page bytes copied through messages.
  const world = new LocalWorld(scenario, { keepEvents: false })
  const t0 = performance.now()
  while (world.tick < scenario.durationTicks && !migrationFinished(world)) world.step()
  const simMs = performance.now() - t0
  const a = world.hosts[0].mig
  const b = world.hosts[1].mig
  const accesses = b.proc.status !== PROC.NONE ? b.wl.accesses : a.wl.accesses
  const simAccessesPerSec = accesses / (simMs / 1000)

  // 2. The bare replay: the same access stream (generated beforehand, not timed) applied to one
  //    typed array with the same per-access work (a read folds a byte, a write stamps a word).
  const layout = segmentLayout(mig)
  const P = workloadParams(mig, layout)
  const w = createWorkload(mig, scenario.seed, P)
  const n = Math.min(accesses, 16_000_000)
  const page = new Int32Array(n)
  const off = new Int32Array(n)
  const flag = new Uint8Array(n)
  for (let done = 0; done < n;) {
    refill(w, P)
    const k = Math.min(CHUNK, n - done)
    page.set(w.bufPage.subarray(0, k), done)
    off.set(w.bufOff.subarray(0, k), done)
    flag.set(w.bufFlag.subarray(0, k), done)
    done += k
  }
  const frames = new Uint8Array(pages * mig.pageSize)
  const kinds = pageKinds(mig, layout, false)
  for (let p = 0; p < pages; p++) {
    const k = kinds.init[p] as number
    if (k !== INIT.ZERO) initPage(frames, p * mig.pageSize, mig.pageSize, scenario.seed, p, k)
  }
  const ver = new Uint32Array(pages)
  let acc = 0
  let bareMs = 0
  let bareAccesses = 0
  // Repeat until at least 0.5 s of bare work was measured, for a stable figure.
  while (bareMs < 500) {
    const t1 = performance.now()
    acc = execBare(frames, ver, scenario.seed, mig.pageSize, page, off, flag, 0, n, acc)
    bareMs += performance.now() - t1
    bareAccesses += n
  }
  const bareAccessesPerSec = bareAccesses / (bareMs / 1000)
  return {
    accesses,
    simMs,
    ticks: world.tick,
    bareAccessesPerSec,
    simAccessesPerSec,
    ratio: simAccessesPerSec / bareAccessesPerSec,
    networkFaults: b.c.faultsNetwork,
    totalMigrationUs: b.completeTick >= 0 ? (b.completeTick - a.commandTick) * scenario.tickUs : -1,
    downtimeUs: b.resumeTick >= 0 ? (b.resumeTick - a.interruptTick) * scenario.tickUs : -1,
  }
}

function describe(name: string, r: Measured): void {
  console.info(
    `${name}: ${r.accesses} accesses in ${r.simMs.toFixed(0)} ms over ${r.ticks} ticks ` +
      `(downtime ${r.downtimeUs} µs, migration ${r.totalMigrationUs} µs, ${r.networkFaults} network faults); ` +
      `sim ${(r.simAccessesPerSec / 1e6).toFixed(2)} M/s, bare ${(r.bareAccessesPerSec / 1e6).toFixed(2)} M/s, ratio ${(r.ratio * 100).toFixed(1)} %`,
  )
}

async function main(): Promise<void> {
  const pages = arg('--pages', 65_536)
  // The main figure: a post-copy of 64 Ki pages over 1 Gbit/s; the process's hot set travels with
  // the checkpoint (the patent's "small portion"), the rest is paged in on demand and by the staged
  // background touching. The process keeps running on B while most pages are still on A.
  const hot = Math.round(0.02 * pages * 0.76)
  const main = parseScenario({
    name: 'bench-postcopy-64k',
    seed: 42,
    durationTicks: arg('--ticks', 600_000),
    link: { bandwidthMbps: 1000, latencyUs: 50 },
    migration: {
      pages,
      migrateAtTick: 2000,
      workload: {
        kind: 'hotcold',
        accessesPerTick: 2000,
        writeFraction: 0.2,
        hotFraction: 0.02,
        hotProbability: 0.999,
      },
      postcopy: { prepaging: 'patent', eagerHotPages: hot },
    },
  })
  // A fault-bound variant for contrast: 5 % of accesses go to cold pages, so the process is blocked
  // on the network most of the time and simulated time passes with few accesses.
  const faulty = parseScenario({
    name: 'bench-postcopy-64k-faulty',
    seed: 42,
    durationTicks: arg('--ticks', 600_000),
    link: { bandwidthMbps: 10_000, latencyUs: 50 },
    migration: {
      pages,
      migrateAtTick: 2000,
      workload: {
        kind: 'hotcold',
        accessesPerTick: 2000,
        writeFraction: 0.2,
        hotFraction: 0.05,
        hotProbability: 0.95,
      },
    },
  })
  const r = measure(main)
  describe('post-copy, hot set in the checkpoint', r)
  const f = measure(faulty)
  describe('post-copy, fault-bound (contrast)', f)
  console.info(`ratio ${(r.ratio * 100).toFixed(1)} % (goal >= 25 %)`)

  let extra: Record<string, number> = {}
  const streamsUrl = new URL('./benchStreams.ts', import.meta.url)
  if (existsSync(streamsUrl)) {
    const mod = (await import(streamsUrl.href)) as {
      benchStreams?: () => Promise<Record<string, number>>
    }
    if (mod.benchStreams) extra = await mod.benchStreams()
  }
  console.info(
    JSON.stringify({
      simAccessesPerSec: Math.round(r.simAccessesPerSec),
      bareAccessesPerSec: Math.round(r.bareAccessesPerSec),
      ratio: Number(r.ratio.toFixed(4)),
      pages,
      accesses: r.accesses,
      simMs: Math.round(r.simMs),
      ticks: r.ticks,
      faultBoundRatio: Number(f.ratio.toFixed(4)),
      ...extra,
    }),
  )
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e))
  process.exit(1)
})
