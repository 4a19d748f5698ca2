import { z } from 'zod'

/** Inputs of the STREAMS engine. OWNED BY THE STREAMS ENGINE. */
export const StreamsInputSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('streams.checkpoint') }).strict(),
])
export type StreamsInput = z.infer<typeof StreamsInputSchema>
