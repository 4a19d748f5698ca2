import { z } from 'zod'

/** Inputs of the migration engine. OWNED BY THE MIGRATION ENGINE. */
export const MigrationInputSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('migrate') }).strict(),
])
export type MigrationInput = z.infer<typeof MigrationInputSchema>
