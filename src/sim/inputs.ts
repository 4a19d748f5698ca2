/**
 * User inputs: everything a person (or a test) does to a running scenario. Inputs are part of the
 * run's definition (scenario + seed + input log = the same events), stamped with the tick at which
 * they apply, and delivered to both hosts; each host acts on what concerns it.
 */
import { z } from 'zod'
import { MigrationInputSchema } from './migration/inputs'
import { StreamsInputSchema } from './streams/inputs'

export const CoreInputSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('debug.setPageState'),
      host: z.union([z.literal(0), z.literal(1)]),
      page: z.number().int().min(0),
      state: z.number().int().min(0).max(255),
    })
    .strict(),
  z
    .object({
      type: z.literal('fault.linkDown'),
      durationTicks: z.number().int().min(1).max(100_000_000),
    })
    .strict(),
  z.object({ type: z.literal('fault.loss'), rate: z.number().min(0).max(0.9) }).strict(),
  /** Makes one host's step throw: exercises the worker watchdog and the restart path. */
  z
    .object({ type: z.literal('debug.throw'), host: z.union([z.literal(0), z.literal(1)]) })
    .strict(),
  /** Makes one host's step never return: exercises the watchdog's "not responding" path. */
  z.object({ type: z.literal('debug.hang'), host: z.union([z.literal(0), z.literal(1)]) }).strict(),
])

export const UserInputSchema = z.union([CoreInputSchema, MigrationInputSchema, StreamsInputSchema])
export type UserInput = z.infer<typeof UserInputSchema>
export type CoreInput = z.infer<typeof CoreInputSchema>

export const ScheduledInputSchema = z
  .object({ atTick: z.number().int().min(0), input: UserInputSchema })
  .strict()
export type ScheduledInput = z.infer<typeof ScheduledInputSchema>

/** An input in the log: its order of arrival and the tick at which both hosts apply it. */
export interface AppliedInput {
  readonly seq: number
  readonly applyAt: number
  readonly input: UserInput
}
