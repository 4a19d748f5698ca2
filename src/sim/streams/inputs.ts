import { z } from 'zod'
import { VETO_REASONS } from './catalog'

const name = z.string().min(1).max(32)

/** Inputs of the STREAMS engine. OWNED BY THE STREAMS ENGINE. */
export const StreamsInputSchema = z.discriminatedUnion('type', [
  /** Checkpoint the partition's stream and restart it on the other host (P2-01). */
  z.object({ type: z.literal('streams.checkpoint') }).strict(),
  /** Restart the stream on the host holding a restart message (P2-13). */
  z.object({ type: z.literal('streams.restart') }).strict(),
  /** Whole-partition migration: checkpoint the streams AND migrate the memory (migration engine). */
  z.object({ type: z.literal('partition.migrate') }).strict(),
  /** I_PUSH a module beneath the stream head. */
  z.object({ type: z.literal('streams.push'), kind: name, name: name.optional() }).strict(),
  /** I_POP the module beneath the stream head (its queued messages are freed). */
  z.object({ type: z.literal('streams.pop') }).strict(),
  /** Re-stack the modules in this order (top to bottom), by I_POP and I_PUSH as needed. */
  z.object({ type: z.literal('streams.reorder'), order: z.array(name).max(16) }).strict(),
  /** I_FLUSH from the process. */
  z.object({ type: z.literal('streams.flush'), which: z.enum(['r', 'w', 'rw']) }).strict(),
  /** The process issues an ioctl (I_STR); it waits if one is outstanding. */
  z
    .object({
      type: z.literal('streams.ioctl'),
      cmd: z.number().int().min(0).max(255),
      arg: z.number().int().min(0).max(1_000_000),
    })
    .strict(),
  /** Per-module failure toggle (P2-11). */
  z
    .object({
      type: z.literal('streams.setFault'),
      module: name,
      fault: z.enum(['none', 'noCheckpoint', 'blockTooSmall']),
    })
    .strict(),
  /** kwpar_checkpoint_status-like veto (F-03). */
  z
    .object({
      type: z.literal('streams.setVeto'),
      mode: z.enum(['none', 'deny', 'try']),
      reason: z.enum(VETO_REASONS).optional(),
      waitTicks: z.number().int().min(1).max(10_000_000).optional(),
      clearsAfterTicks: z.number().int().min(0).max(10_000_000).optional(),
    })
    .strict(),
  /** Make host B's module set differ (P2-14 failure). */
  z
    .object({
      type: z.literal('streams.setTarget'),
      mode: z.enum(['none', 'missing', 'extra', 'swap', 'noDevice']),
      module: name.optional(),
      at: z.number().int().min(0).max(15).optional(),
    })
    .strict(),
  /** Change the traffic rates (messages per tick). */
  z
    .object({
      type: z.literal('streams.traffic'),
      down: z.number().min(0).max(64).optional(),
      up: z.number().min(0).max(64).optional(),
    })
    .strict(),
])
export type StreamsInput = z.infer<typeof StreamsInputSchema>
