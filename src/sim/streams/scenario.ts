import { z } from 'zod'

/** The `streams` section of a scenario. OWNED BY THE STREAMS ENGINE. */
export const StreamsScenarioSchema = z.object({}).strict()
export type StreamsScenario = z.infer<typeof StreamsScenarioSchema>
