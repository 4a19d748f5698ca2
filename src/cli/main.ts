/**
 * Headless CLI: runs a scenario through the same core as the browser and prints ONE JSON object.
 *
 *   npm run sim -- <scenario.json> [--strategy postcopy|precopy|stopcopy|hybrid]
 *                  [--trace file.lackey[.gz]] [--events out.json] [--seed N] [--ticks N] [--no-verify]
 *
 * Exit codes: 0 ok, 1 unexpected error, 2 invalid arguments or scenario, 3 invalid trace,
 * 4 the run's integrity check failed.
 */
import { checksumBytes } from '../sim/hash'
import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { eventsForExport, runMigration, withOverrides } from '../sim/migration/run'
import type { Strategy } from '../sim/migration/scenario'
import { parseScenarioText, ScenarioError, type Scenario } from '../sim/scenario'
import { TraceError } from '../sim/trace/lackey'
import type { LocalWorld } from '../sim/world'

const STRATEGIES = ['postcopy', 'precopy', 'stopcopy', 'hybrid'] as const

class UsageError extends Error {}

interface Args {
  scenario: string
  strategy: Strategy | undefined
  trace: string | undefined
  events: string | undefined
  seed: number | undefined
  ticks: number | undefined
  verify: boolean
}

const USAGE =
  'usage: npm run sim -- <scenario.json> [--strategy postcopy|precopy|stopcopy|hybrid] [--trace file.lackey[.gz]] [--events out.json] [--seed N] [--ticks N] [--no-verify]'

function parseArgs(argv: readonly string[]): Args {
  const out: Args = {
    scenario: '',
    strategy: undefined,
    trace: undefined,
    events: undefined,
    seed: undefined,
    ticks: undefined,
    verify: true,
  }
  const int = (flag: string, v: string | undefined, max: number) => {
    const n = Number(v)
    if (v === undefined || !Number.isInteger(n) || n < 0 || n > max) {
      throw new UsageError(
        `${flag}: expected an integer between 0 and ${max}, got ${v ?? 'nothing'}`,
      )
    }
    return n
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string
    const next = () => {
      const v = argv[++i]
      if (v === undefined) throw new UsageError(`${a}: missing value`)
      return v
    }
    if (a === '--strategy') {
      const v = next()
      if (!(STRATEGIES as readonly string[]).includes(v)) {
        throw new UsageError(`--strategy: expected one of ${STRATEGIES.join(', ')}, got ${v}`)
      }
      out.strategy = v as Strategy
    } else if (a === '--trace') out.trace = next()
    else if (a === '--events') out.events = next()
    else if (a === '--seed') out.seed = int(a, next(), 2 ** 32 - 1)
    else if (a === '--ticks') out.ticks = int(a, next(), 100_000_000)
    else if (a === '--no-verify') out.verify = false
    else if (a === '--help' || a === '-h') throw new UsageError(USAGE)
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}\n${USAGE}`)
    else if (!out.scenario) out.scenario = a
    else throw new UsageError(`unexpected argument ${a}\n${USAGE}`)
  }
  if (!out.scenario) throw new UsageError(USAGE)
  return out
}

/** The STREAMS engineer's report, when that module exists. */
async function streamsSection(scenario: Scenario, world: LocalWorld): Promise<unknown> {
  if (!scenario.streams) return undefined
  const url = new URL('../sim/streams/metrics.ts', import.meta.url)
  if (!existsSync(url)) return undefined
  const mod = (await import(url.href)) as { streamsReport?: (w: LocalWorld) => unknown }
  return mod.streamsReport ? mod.streamsReport(world) : undefined
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2))
  let text: string
  try {
    text = readFileSync(args.scenario, 'utf8')
  } catch (e) {
    throw new UsageError(`${args.scenario}: cannot read (${(e as Error).message})`)
  }
  let scenario = parseScenarioText(text, args.scenario)
  scenario = withOverrides(scenario, {
    strategy: args.strategy,
    seed: args.seed,
    ticks: args.ticks,
  })
  const mig = scenario.migration
  let tracePath = args.trace
  if (mig && !tracePath && mig.workload.kind === 'trace' && mig.workload.trace) {
    tracePath = resolve(dirname(args.scenario), mig.workload.trace)
  }
  if (tracePath && mig) {
    if (!existsSync(tracePath)) throw new UsageError(`--trace: ${tracePath} does not exist`)
    scenario = { ...scenario, migration: { ...mig, workload: { ...mig.workload, kind: 'trace' } } }
  }
  const path = tracePath
  const { report, world } = await runMigration(scenario, {
    keepEvents: args.events !== undefined,
    verify: args.verify,
    ...(path
      ? {
          trace: () =>
            createReadStream(path, { highWaterMark: 1 << 16 }) as AsyncIterable<Uint8Array>,
          traceName: path,
        }
      : {}),
  })
  if (args.events) {
    const lines = eventsForExport(world.events).map((e) => JSON.stringify(e))
    writeFileSync(args.events, `[\n${lines.join(',\n')}\n]\n`)
  }
  const streams = await streamsSection(scenario, world)
  // Whole-memory checksums of both hosts' page frames: the browser runtime's parity test compares
  // them with the SharedArrayBuffers its workers filled.
  const memory = {
    framesChecksumA: checksumBytes(world.hosts[0].mem.frames),
    framesChecksumB: checksumBytes(world.hosts[1].mem.frames),
  }
  const out = streams === undefined ? { ...report, memory } : { ...report, memory, streams }
  process.stdout.write(JSON.stringify(out) + '\n')
  return report.integrity.checked && !report.integrity.ok ? 4 : 0
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href
if (isMain) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (e instanceof UsageError || e instanceof ScenarioError) {
        console.error(e.message)
        process.exit(2)
      }
      if (e instanceof TraceError) {
        console.error(`invalid trace: ${e.message}`)
        process.exit(3)
      }
      console.error(e instanceof Error ? (e.stack ?? e.message) : String(e))
      process.exit(1)
    },
  )
}
