import { z } from 'zod'

/** Inputs of the migration engine. OWNED BY THE MIGRATION ENGINE. */
export const MigrationInputSchema = z.discriminatedUnion('type', [
  /** P1-01: the migration command; starts the scenario's strategy now. */
  z.object({ type: z.literal('migrate') }).strict(),
  /** P1-30 / S2: host A crashes (all its memory is gone). */
  z.object({ type: z.literal('fault.sourceCrash') }).strict(),
])
export type MigrationInput = z.infer<typeof MigrationInputSchema>

/** The STREAMS engine's whole-partition migration input also triggers the memory migration. */
export const PARTITION_MIGRATE = 'partition.migrate'
