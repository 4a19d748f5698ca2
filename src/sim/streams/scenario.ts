import { z } from 'zod'
import { DRIVER_NAMES, kindByName, MODULE_NAMES, PRESET_STACKS, VETO_REASONS } from './catalog'

/**
 * The `streams` section of a scenario. OWNED BY THE STREAMS ENGINE.
 *
 * The stream head is implicit (always on top); `stack` lists what sits below it, top to bottom,
 * and must end with exactly one driver. Without `stack` the preset's stack is used.
 */
const StackEntrySchema = z.union([
  z.string().min(1).max(32),
  z
    .object({
      kind: z.string().min(1).max(32),
      /** Unique name in the stack; defaults to the kind. */
      name: z.string().min(1).max(32).optional(),
      /** False: the module has no checkpoint support (US7950019 cl.3 branch, P2-11). */
      checkpoint: z.boolean().default(true),
      /** Size of this module's message block in the checkpoint message (bytes). */
      blockBytes: z.number().int().min(8).max(16_777_216).optional(),
      hiwat: z.number().int().min(1).max(16_777_216).optional(),
      lowat: z.number().int().min(0).max(16_777_216).optional(),
    })
    .strict(),
])
export type StackEntry = z.infer<typeof StackEntrySchema>

const TrafficDirSchema = z
  .object({
    /** Messages per tick (fractional rates are drawn from the seeded RNG). */
    rate: z.number().min(0).max(64).default(0.2),
    minBytes: z.number().int().min(1).max(65_536).default(8),
    maxBytes: z.number().int().min(1).max(65_536).default(64),
    /** Fraction of messages sent as M_PROTO in band 1..maxBand (ordinary, priority bands). */
    protoRate: z.number().min(0).max(1).default(0),
    /** Fraction of messages sent as high-priority M_PCPROTO (bypass flow control). */
    hpRate: z.number().min(0).max(1).default(0),
    maxBand: z.number().int().min(1).max(255).default(2),
  })
  .strict()

const VetoSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('none') }).strict(),
  z
    .object({
      mode: z.literal('deny'),
      reason: z.enum(VETO_REASONS).default('device busy'),
    })
    .strict(),
  z
    .object({
      mode: z.literal('try'),
      /** How long the extension is willing to wait for its blocking condition to clear. */
      waitTicks: z.number().int().min(1).max(10_000_000),
      /** When the condition clears (ticks after the request); absent = never. */
      clearsAfterTicks: z.number().int().min(0).max(10_000_000).optional(),
    })
    .strict(),
])
export type VetoConfig = z.infer<typeof VetoSchema>

const TargetSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('none') }).strict(),
  /** The named module is not installed on host B: its I_PUSH fails. */
  z.object({ mode: z.literal('missing'), module: z.string().min(1).max(32) }).strict(),
  /** Host B's autopush configuration adds an extra module of this kind under the stream head. */
  z.object({ mode: z.literal('extra'), kind: z.string().min(1).max(32).default('pass') }).strict(),
  /** Host B pushes two adjacent modules (index `at` and `at + 1`, 0 = top) in swapped order. */
  z.object({ mode: z.literal('swap'), at: z.number().int().min(0).max(15).default(0) }).strict(),
  /** The device cannot be opened on host B: the stream cannot restart at all. */
  z.object({ mode: z.literal('noDevice') }).strict(),
])
export type TargetMismatch = z.infer<typeof TargetSchema>

export const StreamsScenarioSchema = z
  .object({
    preset: z.enum(['terminal', 'network', 'custom']).default('terminal'),
    stack: z.array(StackEntrySchema).max(16).optional(),
    queues: z
      .object({
        hiwat: z.number().int().min(1).max(16_777_216).default(1024),
        lowat: z.number().int().min(0).max(16_777_216).default(256),
      })
      .strict()
      .default({ hiwat: 1024, lowat: 256 }),
    /** Messages a service procedure handles per scheduling (then it is re-enabled). */
    serviceBudget: z.number().int().min(1).max(1_000_000).default(4),
    /** Messages the process reads from the stream head per tick. */
    processReadRate: z.number().int().min(0).max(1_000_000).default(2),
    /** Messages the device transmits from the driver's write queue per tick. */
    deviceTxRate: z.number().int().min(0).max(1_000_000).default(2),
    traffic: z
      .object({
        down: TrafficDirSchema.default(TrafficDirSchema.parse({})),
        up: TrafficDirSchema.default(TrafficDirSchema.parse({})),
        /** Chance per tick that the process issues an ioctl (one outstanding at a time). */
        ioctlRate: z.number().min(0).max(1).default(0.01),
        /** Chance that an upstream (device input) message ends a line (terminal input). */
        eolProb: z.number().min(0).max(1).default(0.35),
        startTick: z.number().int().min(0).default(0),
        /** No new traffic from this tick on (the last open input line is terminated). */
        stopTick: z.number().int().min(0).optional(),
      })
      .strict()
      .default({
        down: TrafficDirSchema.parse({}),
        up: TrafficDirSchema.parse({}),
        ioctlRate: 0.01,
        eolProb: 0.35,
        startTick: 0,
      }),
    checkpoint: z
      .object({
        /** Whether the driver gets a message block too (patent silent, S6). */
        driverBlock: z.boolean().default(true),
        /** Default size of each message block. */
        blockBytes: z.number().int().min(8).max(16_777_216).default(65_536),
        /** Remedy when a block is too small (S4): abort, or allocate a larger block and go on. */
        onBlockTooSmall: z.enum(['abort', 'grow']).default('abort'),
        /** Restart on host B as soon as the restart message arrives (else wait for streams.restart). */
        autoRestart: z.boolean().default(false),
      })
      .strict()
      .default({
        driverBlock: true,
        blockBytes: 65_536,
        onBlockTooSmall: 'abort',
        autoRestart: false,
      }),
    faults: z
      .object({
        veto: VetoSchema.default({ mode: 'none' }),
        target: TargetSchema.default({ mode: 'none' }),
      })
      .strict()
      .default({ veto: { mode: 'none' }, target: { mode: 'none' } }),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.queues.lowat >= s.queues.hiwat) {
      ctx.addIssue({
        code: 'custom',
        path: ['queues', 'lowat'],
        message: `low-water mark ${s.queues.lowat} must be below the high-water mark ${s.queues.hiwat}`,
      })
    }
    for (const d of ['down', 'up'] as const) {
      const t = s.traffic[d]
      if (t.minBytes > t.maxBytes) {
        ctx.addIssue({
          code: 'custom',
          path: ['traffic', d, 'minBytes'],
          message: `minBytes ${t.minBytes} is larger than maxBytes ${t.maxBytes}`,
        })
      }
      if (t.protoRate + t.hpRate > 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['traffic', d, 'hpRate'],
          message: `protoRate + hpRate must not exceed 1`,
        })
      }
      const hp = hpOverload(s, d, t.rate)
      if (hp) ctx.addIssue({ code: 'custom', path: ['traffic', d, 'hpRate'], message: hp })
    }
    const tr = s.traffic
    if (tr.stopTick !== undefined && tr.stopTick < tr.startTick) {
      ctx.addIssue({
        code: 'custom',
        path: ['traffic', 'stopTick'],
        message: `stopTick ${tr.stopTick} is before startTick ${tr.startTick}: traffic would stop before it starts`,
      })
    }
    if (s.preset === 'custom' && s.stack === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['stack'],
        message:
          'preset "custom" needs a stack: list the modules top to bottom, ending with a driver',
      })
    }
    const names = validateStack(
      s.stack ?? [...PRESET_STACKS[s.preset === 'custom' ? 'terminal' : s.preset]],
      ctx,
    )
    const tg = s.faults.target
    if (tg.mode === 'missing' && names && !names.includes(tg.module)) {
      ctx.addIssue({
        code: 'custom',
        path: ['faults', 'target', 'module'],
        message: `no module named "${tg.module}" in the stack (modules: ${names.join(', ') || 'none'})`,
      })
    }
    if (tg.mode === 'extra' && kindByName(tg.kind)?.role !== 'module') {
      ctx.addIssue({
        code: 'custom',
        path: ['faults', 'target', 'kind'],
        message: `unknown module "${tg.kind}" (known modules: ${MODULE_NAMES.join(', ')})`,
      })
    }
  })
export type StreamsScenario = z.infer<typeof StreamsScenarioSchema>

/**
 * High-priority messages (M_PCPROTO) bypass flow control, so their rate alone must not exceed what
 * the consumer at the end drains per tick (the device downstream, the process upstream): otherwise
 * the driver's write queue / the stream head's read queue grows without bound whatever the water
 * marks. Returns the complaint, or undefined when the rate is sustainable. Ordinary traffic may
 * exceed the drain rates: flow control blocks the writer and the device overruns.
 */
export function hpOverload(
  s: Pick<StreamsScenario, 'traffic' | 'deviceTxRate' | 'processReadRate'>,
  dir: 'down' | 'up',
  rate: number,
): string | undefined {
  const hpRate = s.traffic[dir].hpRate
  const drain = dir === 'down' ? s.deviceTxRate : s.processReadRate
  const load = rate * hpRate
  if (load <= drain) return undefined
  const who = dir === 'down' ? 'deviceTxRate (the device)' : 'processReadRate (the process)'
  return `high-priority traffic ${dir}: rate ${rate} × hpRate ${hpRate} = ${+load.toFixed(3)} message(s) per tick, more than ${who} drains (${drain}); high-priority messages bypass flow control, so the queue in front of the consumer would grow without bound`
}

export interface ResolvedEntry {
  readonly kind: string
  readonly name: string
  readonly checkpoint: boolean
  readonly blockBytes: number | undefined
  readonly hiwat: number | undefined
  readonly lowat: number | undefined
}

export function resolveEntry(e: StackEntry): ResolvedEntry {
  if (typeof e === 'string') {
    return {
      kind: e,
      name: e,
      checkpoint: true,
      blockBytes: undefined,
      hiwat: undefined,
      lowat: undefined,
    }
  }
  return {
    kind: e.kind,
    name: e.name ?? e.kind,
    checkpoint: e.checkpoint,
    blockBytes: e.blockBytes,
    hiwat: e.hiwat,
    lowat: e.lowat,
  }
}

/** Validates a stack; returns the module names (without the driver) when it is valid. */
function validateStack(stack: readonly StackEntry[], ctx: z.RefinementCtx): string[] | undefined {
  if (stack.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['stack'],
      message: `empty stream: a stream needs a driver at the bottom (one of ${DRIVER_NAMES.join(', ')})`,
    })
    return undefined
  }
  let ok = true
  const seen = new Map<string, number>()
  stack.forEach((raw, i) => {
    const e = resolveEntry(raw)
    const kindPath = typeof raw === 'string' ? ['stack', i] : ['stack', i, 'kind']
    const k = kindByName(e.kind)
    if (!k) {
      ok = false
      ctx.addIssue({
        code: 'custom',
        path: kindPath,
        message: `unknown module "${e.kind}" (modules: ${MODULE_NAMES.join(', ')}; drivers: ${DRIVER_NAMES.join(', ')})`,
      })
    } else if (k.role === 'driver' && i !== stack.length - 1) {
      ok = false
      ctx.addIssue({
        code: 'custom',
        path: kindPath,
        message: `driver "${e.kind}" in the middle of the stream: the driver must be the last element (modules go above it)`,
      })
    } else if (k.role === 'module' && i === stack.length - 1) {
      ok = false
      ctx.addIssue({
        code: 'custom',
        path: kindPath,
        message: `the stream must end with a driver (${DRIVER_NAMES.join(', ')}); "${e.kind}" is a module`,
      })
    }
    const prev = seen.get(e.name)
    if (prev !== undefined) {
      ok = false
      ctx.addIssue({
        code: 'custom',
        path: typeof raw === 'string' ? ['stack', i] : ['stack', i, 'name'],
        message: `duplicate module name "${e.name}" (already used by stack[${prev}]); give it a distinct "name"`,
      })
    } else seen.set(e.name, i)
    if (e.hiwat !== undefined && e.lowat !== undefined && e.lowat >= e.hiwat) {
      ok = false
      ctx.addIssue({
        code: 'custom',
        path: ['stack', i, 'lowat'],
        message: `low-water mark ${e.lowat} must be below the high-water mark ${e.hiwat}`,
      })
    }
  })
  if (!ok) return undefined
  return stack.slice(0, -1).map((e) => resolveEntry(e).name)
}

/** The stack a scenario opens with (top to bottom, driver last). */
export function scenarioStack(s: StreamsScenario): ResolvedEntry[] {
  const list = s.stack ?? [...PRESET_STACKS[s.preset === 'custom' ? 'terminal' : s.preset]]
  return list.map(resolveEntry)
}
