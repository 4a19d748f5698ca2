import type { EventSpec, MessageSpec } from '../spec'

/**
 * Events of the STREAMS checkpoint/restart engine (patent US7950019 and siblings).
 * OWNED BY THE STREAMS ENGINE. Add kinds freely; keep names `str.*` / `ckpt.*` / `rst.*`.
 */
export const STREAMS_EVENTS = {
  'ckpt.initiated': {
    fields: ['stream'],
    confidence: 'V',
    feature: 'P2-01',
    source: 'US7950019 cl.1',
    text: 'Checkpoint initiated for the software partition (stream {stream})',
  },
} as const satisfies Record<string, EventSpec>

export const STREAMS_MESSAGES = {
  'rst.message': {
    fields: ['stream', 'modules'],
    label: 'restart message',
    confidence: 'V',
    feature: 'P2-13',
  },
} as const satisfies Record<string, MessageSpec>
