/**
 * Saved runs: the scenario, the user inputs (with the tick each applied at) and the event-log hash
 * of the run up to its frontier. Loading replays the scenario with those inputs and compares the
 * hash; a file whose hash does not match (edited by hand, or from an incompatible version) is
 * rejected with a message saying what differs. Validated with zod; never rendered as HTML.
 */
import { z } from 'zod'
import { eventLogHash, type EventSeq } from '../../sim/events'
import { UserInputSchema, type AppliedInput } from '../../sim/inputs'
import { formatIssues, ScenarioSchema, type Scenario } from '../../sim/scenario'

export const RUN_FORMAT = 'migration-lab-run'

export const RunFileSchema = z
  .object({
    format: z.literal(RUN_FORMAT),
    version: z.literal(1),
    /** The scenario as loaded (its own scheduled inputs included). */
    scenario: ScenarioSchema,
    /** Inputs given while the run was live, in order, with the tick each applied at. */
    inputs: z
      .array(
        z
          .object({ applyAt: z.number().int().min(0).max(100_000_000), input: UserInputSchema })
          .strict(),
      )
      .max(100_000),
    /** Ticks the run had computed when saved; the hash covers every event before it. */
    frontier: z.number().int().min(0).max(100_000_000),
    eventCount: z.number().int().min(0),
    eventLogHash: z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 lowercase hex digits'),
    /** Where the user was (optional): the tick and event cursor. */
    tick: z.number().int().min(0).max(100_000_000).optional(),
    cursor: z.number().int().min(-1).optional(),
  })
  .strict()
export type RunFile = z.infer<typeof RunFileSchema>

export class RunFileError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RunFileError'
  }
}

export interface RunSource {
  readonly scenario: Scenario
  readonly inputLog: readonly AppliedInput[]
  readonly events: EventSeq
  readonly frontier: number
  readonly tick: number
  readonly cursor: number | null
}

export function buildRunFile(src: RunSource): RunFile {
  const base = src.scenario.inputs.length
  return {
    format: RUN_FORMAT,
    version: 1,
    scenario: src.scenario,
    inputs: src.inputLog
      .filter((i) => i.seq >= base)
      .map((i) => ({ applyAt: i.applyAt, input: i.input })),
    frontier: src.frontier,
    eventCount: src.events.length,
    eventLogHash: eventLogHash(src.events),
    tick: src.tick,
    ...(src.cursor !== null ? { cursor: src.cursor } : {}),
  }
}

export function runFileText(src: RunSource): string {
  return JSON.stringify(buildRunFile(src), null, 2)
}

/** Parses and validates a run file; throws RunFileError naming the field. */
export function parseRunFile(text: string, where = 'run file'): RunFile {
  if (text.length > 50_000_000) throw new RunFileError(`${where}: file too large`)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    throw new RunFileError(`${where}: not valid JSON (${(e as Error).message})`)
  }
  const r = RunFileSchema.safeParse(json)
  if (!r.success) {
    const issues = formatIssues(r.error).slice(0, 5)
    throw new RunFileError(`${where} is not a valid saved run:\n  - ${issues.join('\n  - ')}`)
  }
  const f = r.data
  for (const [i, inp] of f.inputs.entries()) {
    if (inp.applyAt > f.frontier)
      throw new RunFileError(
        `${where}: inputs[${i}].applyAt ${inp.applyAt} lies beyond the saved frontier ${f.frontier}`,
      )
  }
  if (f.frontier > f.scenario.durationTicks)
    throw new RunFileError(
      `${where}: frontier ${f.frontier} lies beyond the scenario's durationTicks ${f.scenario.durationTicks}`,
    )
  return f
}

/** The scenario to replay: the saved inputs become scheduled inputs after the scenario's own. */
export function replayScenario(f: RunFile): Scenario {
  return {
    ...f.scenario,
    inputs: [...f.scenario.inputs, ...f.inputs.map((i) => ({ atTick: i.applyAt, input: i.input }))],
  }
}

/** Compares the replayed log with the file; throws RunFileError when they differ. */
export function verifyReplay(f: RunFile, events: EventSeq): void {
  const hash = eventLogHash(events)
  if (hash !== f.eventLogHash || events.length !== f.eventCount) {
    throw new RunFileError(
      `Saved run rejected: replaying it gives ${events.length} events with hash ${hash}, but the file says ${f.eventCount} events with hash ${f.eventLogHash}. The file was modified or comes from an incompatible version.`,
    )
  }
}
