import type { EventSpec, MessageSpec } from './spec'

/** Events of the simulator itself (inputs, link model). Engine events live with their engines. */
export const CORE_EVENTS = {
  'sim.input': {
    fields: ['input'],
    confidence: 'sim',
    text: 'User input #{input} applied',
  },
  'net.sent': {
    fields: ['msgSeq', 'msgKind', 'wireBytes', 'sentAt', 'deliverAt'],
    confidence: 'sim',
    feature: 'F-01',
    text: 'Message #{msgSeq} ({wireBytes} B) left the wire; it arrives at tick {deliverAt}',
  },
  'net.lost': {
    fields: ['msgSeq', 'wireBytes'],
    confidence: 'sim',
    feature: 'P1-30',
    text: 'Message #{msgSeq} ({wireBytes} B) lost on the link; it will be retransmitted',
  },
  'net.retransmit': {
    fields: ['msgSeq', 'wireBytes', 'attempt'],
    confidence: 'sim',
    feature: 'P1-30',
    text: 'Message #{msgSeq} retransmitted (attempt {attempt})',
  },
  'net.down': {
    fields: ['untilTick'],
    confidence: 'sim',
    feature: 'P1-30',
    text: 'Link down until tick {untilTick}: transmissions wait in the queue',
  },
  'net.up': {
    fields: ['queued'],
    confidence: 'sim',
    feature: 'P1-30',
    text: 'Link up again; {queued} queued messages resume',
  },
} as const satisfies Record<string, EventSpec>

export const CORE_MESSAGES = {} as const satisfies Record<string, MessageSpec>
