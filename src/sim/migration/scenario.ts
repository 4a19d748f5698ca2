import { z } from 'zod'

/**
 * The `migration` section of a scenario: memory, segments, workload, strategy and its options.
 * OWNED BY THE MIGRATION ENGINE.
 */
export const MigrationScenarioSchema = z
  .object({
    pages: z
      .number()
      .int()
      .min(1)
      .max(1 << 20)
      .default(4096),
    pageSize: z
      .number()
      .int()
      .min(512)
      .max(1 << 20)
      .default(4096),
  })
  .strict()
export type MigrationScenario = z.infer<typeof MigrationScenarioSchema>
