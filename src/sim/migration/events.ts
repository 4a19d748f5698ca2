import type { EventSpec, MessageSpec } from '../spec'

/**
 * Events of the migration engine (patent US8200771 and siblings, plus literature baselines).
 * OWNED BY THE MIGRATION ENGINE. Add kinds freely; keep names `mig.*` / `page.*` / `proc.*`.
 */
export const MIGRATION_EVENTS = {
  'mig.command': {
    fields: ['strategy'],
    confidence: 'V',
    feature: 'P1-01',
    source: 'US8200771 cl.1',
    text: 'Migration command received (strategy {strategy})',
  },
} as const satisfies Record<string, EventSpec>

/** Messages of the migration engine on the link. */
export const MIGRATION_MESSAGES = {
  'page.reply': {
    fields: ['page'],
    label: 'page',
    confidence: 'V',
    feature: 'P1-16',
  },
} as const satisfies Record<string, MessageSpec>
