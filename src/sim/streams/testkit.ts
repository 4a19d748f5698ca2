/** Helpers for the STREAMS tests and the benchmark (pure: usable from Node and workers alike). */
import type { SimEvent } from '../events'
import type { UserInput } from '../inputs'
import { parseScenario } from '../scenario'
import { LocalWorld } from '../world'
import { streamsReport, type StreamsReport } from './metrics'

export interface RunOptions {
  readonly seed?: number
  readonly streams: Record<string, unknown>
  readonly inputs?: readonly { atTick: number; input: UserInput }[]
  readonly ticks: number
  readonly link?: Record<string, unknown>
}

export function streamsWorld(o: Omit<RunOptions, 'ticks'>): LocalWorld {
  return new LocalWorld(
    parseScenario({
      seed: o.seed ?? 1,
      streams: o.streams,
      inputs: o.inputs ?? [],
      ...(o.link ? { link: o.link } : {}),
    }),
  )
}

export function runStreams(o: RunOptions): { world: LocalWorld; report: StreamsReport } {
  const world = streamsWorld(o)
  world.runTo(o.ticks)
  return { world, report: streamsReport(world) }
}

export function kinds(events: readonly SimEvent[], host?: number): string[] {
  return events.filter((e) => host === undefined || e.host === host).map((e) => e.kind)
}

/** Events of `host` strictly between the first event of kind `from` and the next of a kind in `to`. */
export function between(
  events: readonly SimEvent[],
  host: number,
  from: string,
  to: readonly string[],
): SimEvent[] {
  const mine = events.filter((e) => e.host === host)
  const a = mine.findIndex((e) => e.kind === from)
  if (a < 0) return []
  let b = mine.findIndex((e, i) => i > a && to.includes(e.kind))
  if (b < 0) b = mine.length
  return mine.slice(a + 1, b)
}
