/**
 * Scenario files: the documented JSON format of a run (see README "Scenario format"). Validated with
 * zod; every error names the field path and what is allowed, never a stack trace.
 */
import { z } from 'zod'
import { ScheduledInputSchema } from './inputs'
import { MigrationScenarioSchema } from './migration/scenario'
import { LinkSchema } from './net'
import { StreamsScenarioSchema } from './streams/scenario'

export const ScenarioSchema = z
  .object({
    name: z.string().min(1).max(200).default('untitled'),
    description: z.string().max(5000).default(''),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(1),
    /** Simulated duration of one tick. Link latency is rounded to whole ticks (at least one). */
    tickUs: z.number().min(1).max(1_000_000).default(10),
    /** Ticks a run lasts when played to the end. */
    durationTicks: z.number().int().min(1).max(100_000_000).default(200_000),
    link: LinkSchema.default(LinkSchema.parse({})),
    migration: MigrationScenarioSchema.optional(),
    streams: StreamsScenarioSchema.optional(),
    inputs: z.array(ScheduledInputSchema).max(100_000).default([]),
  })
  .strict()

export type Scenario = z.infer<typeof ScenarioSchema>
export type ScenarioInput = z.input<typeof ScenarioSchema>

export class ScenarioError extends Error {
  readonly issues: readonly string[]
  constructor(where: string, issues: readonly string[]) {
    super(`${where}: invalid scenario\n  - ${issues.join('\n  - ')}`)
    this.name = 'ScenarioError'
    this.issues = issues
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)'
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('')
}

/** Formats zod issues as `field.path: message` lines. */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`)
}

/** Validates unknown JSON; `where` names the source (a file, "URL parameter s") in the error. */
export function parseScenario(json: unknown, where = 'scenario'): Scenario {
  const r = ScenarioSchema.safeParse(json)
  if (!r.success) throw new ScenarioError(where, formatIssues(r.error))
  return r.data
}

/** Parses scenario text; JSON syntax errors name the position. */
export function parseScenarioText(text: string, where = 'scenario'): Scenario {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    throw new ScenarioError(where, [`not valid JSON: ${(e as Error).message}`])
  }
  return parseScenario(json, where)
}
