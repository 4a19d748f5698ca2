/**
 * Breakpoints and the event classes the timeline navigates by (phase changes, page faults).
 *
 * A breakpoint matches one EVENT of the log; "run until" stops with the cursor on that event (the
 * hosts then show the state after that event's tick, see timelineSlice.ts).
 */
import { z } from 'zod'
import { EVENT_KINDS, type EventKind, type SimEvent } from '../sim/events'
import type { SliceCreator } from './types'

/**
 * Events that mark a phase change of a migration or a checkpoint/restart (not the many per-page or
 * per-message steps in between). Used by "next / previous phase", the scrubber's phase markers and
 * the phase-change breakpoint.
 */
export const PHASE_KINDS: ReadonlySet<string> = new Set<EventKind>([
  'mig.command',
  'mig.freeze',
  'mig.checkpoint',
  'mig.checkpointSent',
  'proc.restart',
  'proc.resume',
  'mig.bgStage',
  'mig.pushStart',
  'mig.precopyRound',
  'mig.stopCopy',
  'mig.deadlineMissed',
  'mig.complete',
  'mig.sourceReleased',
  'mig.sourceCrash',
  'mig.workloadLost',
  'ckpt.initiated',
  'ckpt.frozen',
  'ckpt.restartMessage',
  'ckpt.aborted',
  'ckpt.thawed',
  'ckpt.sourceClosed',
  'rst.received',
  'rst.verified',
  'rst.verifyFailed',
  'rst.thawed',
  'rst.tornDown',
  'rst.partitionAborted',
])

/** Page faults of the arrival host (every way a fault is resolved). */
export const FAULT_KINDS: ReadonlySet<string> = new Set<EventKind>([
  'page.faultNetwork',
  'page.faultInFlight',
  'page.faultMinor',
  'page.faultZero',
  'page.faultLocalCopy',
  'page.faultLocalPageIn',
])

export const isPhaseEvent = (ev: SimEvent): boolean => PHASE_KINDS.has(ev.kind)
export const isFaultEvent = (ev: SimEvent): boolean => FAULT_KINDS.has(ev.kind)

const field = (ev: SimEvent, name: string): number | undefined =>
  (ev as unknown as Record<string, number | undefined>)[name]

export const BreakpointSchema = z.discriminatedUnion('type', [
  /** Any event of this kind. */
  z
    .object({
      type: z.literal('eventKind'),
      kind: z.string().refine((k) => (EVENT_KINDS as readonly string[]).includes(k), {
        message: 'unknown event kind',
      }),
    })
    .strict(),
  /** A page fault (any FAULT_KINDS event) on this page. */
  z.object({ type: z.literal('pageFault'), page: z.number().int().min(0) }).strict(),
  /**
   * A message reaching STREAMS component `module` (0 = stream head, then modules top to bottom,
   * the driver last): the events that name a component (`comp`), e.g. the checkpoint message
   * arriving there (ckpt.msgAt), its block filled, a queue filling, an ioctl answered.
   */
  z.object({ type: z.literal('moduleMessage'), module: z.number().int().min(0) }).strict(),
  /** Any phase change (PHASE_KINDS). */
  z.object({ type: z.literal('phase') }).strict(),
])
export type Breakpoint = z.infer<typeof BreakpointSchema>

export function matchesBreakpoint(bp: Breakpoint, ev: SimEvent): boolean {
  switch (bp.type) {
    case 'eventKind':
      return ev.kind === bp.kind
    case 'pageFault':
      return FAULT_KINDS.has(ev.kind) && field(ev, 'page') === bp.page
    case 'moduleMessage':
      return field(ev, 'comp') === bp.module
    case 'phase':
      return PHASE_KINDS.has(ev.kind)
  }
}

/** The first breakpoint `ev` hits, if any. */
export function hitBreakpoint(bps: readonly Breakpoint[], ev: SimEvent): Breakpoint | undefined {
  for (const bp of bps) if (matchesBreakpoint(bp, ev)) return bp
  return undefined
}

export function describeBreakpoint(bp: Breakpoint): string {
  switch (bp.type) {
    case 'eventKind':
      return `event ${bp.kind}`
    case 'pageFault':
      return `fault on page ${bp.page}`
    case 'moduleMessage':
      return `message at module ${bp.module}`
    case 'phase':
      return 'phase change'
  }
}

export const breakpointKey = (bp: Breakpoint): string => JSON.stringify(bp)

export interface BreakpointSlice {
  breakpoints: readonly Breakpoint[]
  addBreakpoint(bp: Breakpoint): void
  removeBreakpoint(bp: Breakpoint): void
  clearBreakpoints(): void
}

export const createBreakpointSlice: SliceCreator<BreakpointSlice> = (set, get) => ({
  breakpoints: [],
  addBreakpoint(bp) {
    const key = breakpointKey(bp)
    if (get().breakpoints.some((b) => breakpointKey(b) === key)) return
    set({ breakpoints: [...get().breakpoints, bp] })
  },
  removeBreakpoint(bp) {
    const key = breakpointKey(bp)
    set({ breakpoints: get().breakpoints.filter((b) => breakpointKey(b) !== key) })
  },
  clearBreakpoints: () => set({ breakpoints: [] }),
})
