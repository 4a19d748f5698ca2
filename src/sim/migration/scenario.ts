import { z } from 'zod'

/**
 * The `migration` section of a scenario: memory, segments, workload, strategy and its options.
 * OWNED BY THE MIGRATION ENGINE. Every field has a default, so `{}` is a valid section.
 *
 * Sizes are in departure (host A) pages unless a name says otherwise; times are in simulated µs.
 */

const isPow2 = (n: number) => n > 0 && (n & (n - 1)) === 0

export const SegmentsSchema = z
  .object({
    /** Program text: non-private; host B has a local copy when the application is installed (P1-21/22). */
    text: z.number().int().min(0).optional(),
    /** Initialized data: private. */
    data: z.number().int().min(0).optional(),
    /** Heap: private. Pages past `heapInitFraction` are never-touched zero pages at start. */
    heap: z.number().int().min(0).optional(),
    /** Shared memory: non-private, sent with the checkpoint (P1-11). */
    shared: z.number().int().min(0).optional(),
    /** Pinned pages (I/O buffers): touched before resume (P1-09/10/20). */
    pinned: z.number().int().min(0).optional(),
    /** Stack: private, zero until used. */
    stack: z.number().int().min(0).optional(),
  })
  .strict()

export const WorkloadSchema = z
  .object({
    kind: z.enum(['uniform', 'sequential', 'hotcold', 'stack', 'trace']).default('hotcold'),
    /** Memory accesses the process executes per tick while it runs. */
    accessesPerTick: z.number().int().min(1).max(100_000).default(200),
    /** Share of data accesses that write (the dirty rate in pages = accessesPerTick × this). */
    writeFraction: z.number().min(0).max(1).default(0.2),
    /** Share of accesses that are instruction fetches from the text segment. */
    textFraction: z.number().min(0).max(1).default(0.05),
    /** hotcold: size of the hot set as a share of the data pages, and the probability of hitting it. */
    hotFraction: z.number().min(0).max(1).default(0.1),
    hotProbability: z.number().min(0).max(1).default(0.9),
    /** sequential: accesses per page before moving to the next, pages per run before a random jump (0 = never jump). */
    accessesPerPage: z.number().int().min(1).max(100_000).default(16),
    runLength: z.number().int().min(0).default(0),
    /** trace: path of a Valgrind Lackey trace (CLI `--trace` overrides); plain or .gz. */
    trace: z.string().optional(),
  })
  .strict()

export const BackgroundSchema = z
  .object({
    /** Predetermined wait after resume before the first fraction (US8244954 cl.2). */
    waitUs: z.number().min(0).default(2000),
    firstFraction: z.number().min(0).max(1).default(0.25),
    /** Latency period between the first and the second fraction. */
    latencyUs: z.number().min(0).default(2000),
    secondFraction: z.number().min(0).max(1).default(0.25),
    /** The final fraction must be touched within this time of resume (one minute, US8244954 cl.1). */
    deadlineUs: z.number().positive().default(60_000_000),
    /** Pages per background page-in request. */
    batchPages: z.number().int().min(1).max(4096).default(16),
  })
  .strict()

export const PostcopySchema = z
  .object({
    /** Pre-paging after resume: patent staged touching, none (demand only), push, bubbling, CRIU window. */
    prepaging: z.enum(['patent', 'none', 'push', 'bubbling', 'criu']).default('patent'),
    /** P1-10: pinned-page contents inside the checkpoint, or paged in right after restart (both readings). */
    pinnedData: z.enum(['checkpoint', 'fetch']).default('checkpoint'),
    /** S10: extra most-recently-used private pages sent with the checkpoint (the "small portion"). */
    eagerHotPages: z.number().int().min(0).default(0),
    /** P1-24: request three proximal pages; `auto` = when B's page size is a multiple of A's. */
    proximal: z.enum(['auto', 'on', 'off']).default('auto'),
    proximalDirection: z.enum(['after', 'before', 'around']).default('after'),
    background: BackgroundSchema.default(BackgroundSchema.parse({})),
    /** P1-25: frames available to the process on host B (0 = unlimited); LRU page-out to B's local paging device. */
    frameLimit: z.number().int().min(0).default(0),
    /** Time to read a page back from B's local paging device. */
    localPageInUs: z.number().min(0).default(100),
    /** A demand request unanswered for this long is sent again (0 = 50 × round trip). */
    requestTimeoutUs: z.number().min(0).default(0),
    /** S1: release host A at the deadline even if pages remain (they are then lost). */
    releaseAtDeadline: z.boolean().default(false),
  })
  .strict()

export const PrecopySchema = z
  .object({
    /** Stop iterating when the remaining dirty bytes fit in this downtime (QEMU default 300 ms). */
    downtimeLimitUs: z.number().min(0).default(300_000),
    /** Cap on pre-copy rounds (round 0 is the full copy). */
    maxRounds: z.number().int().min(1).max(1000).default(30),
  })
  .strict()

export const CostsSchema = z
  .object({
    /** Building the index table and checkpoint on host A after the freeze (S17). */
    checkpointUs: z.number().min(0).default(200),
    /** Restarting the process on host B once its eager data is in. */
    restartUs: z.number().min(0).default(300),
    /** CPU time of a minor fault (page arrived but not mapped). */
    minorFaultUs: z.number().min(0).default(1),
    /** CPU time of generating a zero page or copying a local page. */
    localFaultUs: z.number().min(0).default(2),
  })
  .strict()

export const MigrationScenarioSchema = z
  .object({
    pages: z
      .number()
      .int()
      .min(1)
      .max(1 << 20)
      .default(4096),
    /** Departure (host A) native page size; the workload's page unit. */
    pageSize: z
      .number()
      .int()
      .min(512)
      .max(1 << 20)
      .refine(isPow2, 'must be a power of two')
      .default(4096),
    /** Arrival (host B) native page size; a multiple of `pageSize` enables proximal requests (P1-24). */
    arrivalPageSize: z
      .number()
      .int()
      .min(512)
      .max(1 << 24)
      .refine(isPow2, 'must be a power of two')
      .optional(),
    segments: SegmentsSchema.default({}),
    heapInitFraction: z.number().min(0).max(1).default(0.5),
    /** P1-22: the same application software is installed on host B (text pages have a local copy). */
    appInstalledOnTarget: z.boolean().default(true),
    workload: WorkloadSchema.default(WorkloadSchema.parse({})),
    strategy: z.enum(['postcopy', 'precopy', 'stopcopy', 'hybrid']).default('postcopy'),
    /** Convenience: a `migrate` input at this tick. */
    migrateAtTick: z.number().int().min(0).optional(),
    postcopy: PostcopySchema.default(PostcopySchema.parse({})),
    precopy: PrecopySchema.default(PrecopySchema.parse({})),
    costs: CostsSchema.default(CostsSchema.parse({})),
    /** Source crash: at most this many per-page "still on host A" events (the full list is in the metrics). */
    lostPageEvents: z.number().int().min(0).default(4096),
  })
  .strict()
  .superRefine((m, ctx) => {
    const s = m.segments
    const sum =
      (s.text ?? 0) +
      (s.data ?? 0) +
      (s.heap ?? 0) +
      (s.shared ?? 0) +
      (s.pinned ?? 0) +
      (s.stack ?? 0)
    if (sum > m.pages) {
      ctx.addIssue({
        code: 'custom',
        path: ['segments'],
        message: `segments add up to ${sum} pages, more than pages = ${m.pages}`,
      })
    }
    if (m.arrivalPageSize !== undefined && m.arrivalPageSize < m.pageSize) {
      ctx.addIssue({
        code: 'custom',
        path: ['arrivalPageSize'],
        message: `must be at least pageSize (${m.pageSize})`,
      })
    }
    const bg = m.postcopy.background
    if (bg.firstFraction + bg.secondFraction > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['postcopy', 'background'],
        message: 'firstFraction + secondFraction must not exceed 1',
      })
    }
  })
export type MigrationScenario = z.infer<typeof MigrationScenarioSchema>
export type Strategy = MigrationScenario['strategy']
export type Prepaging = MigrationScenario['postcopy']['prepaging']
