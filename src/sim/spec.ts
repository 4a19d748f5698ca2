/**
 * Vocabulary shared by the event and message registries: where a behaviour comes from and how sure
 * we are of it (the confidence tags of ../shared/spec/patents.md section 0.1).
 */

/**
 * - `V`: verified in the patent's own text; `V-sib`: verified in a sibling patent;
 * - `I`: inferred (not stated in the text read); `U`: unconfirmed;
 * - `B`: background from non-patent documentation (AIX, STREAMS guides);
 * - `lit`: a baseline from the literature (pre-copy, bubbling...), not from the patents;
 * - `sim`: simulator mechanics (ticks, link model), no claim about the patents at all.
 */
export type Confidence = 'V' | 'V-sib' | 'I' | 'U' | 'B' | 'lit' | 'sim'

/** True when the UI must show the "inferred — not from patent text" label. */
export function isInferred(c: Confidence): boolean {
  return c === 'I' || c === 'U'
}

export interface EventSpec {
  /** Numeric fields, in canonical (hashing and encoding) order. */
  readonly fields: readonly string[]
  readonly confidence: Confidence
  /** Feature id of patents.md section 13 (`P1-16`, `P2-05`, `F-06`), when the event shows one. */
  readonly feature?: string
  /** Source in words, e.g. `US8200771 cl.1`. */
  readonly source?: string
  /** One-sentence explanation with `{field}` placeholders, shown in the event log and sequence panel. */
  readonly text: string
}

export interface MessageSpec {
  /** Numeric header fields, in canonical order. */
  readonly fields: readonly string[]
  /** Label on the network lane. */
  readonly label: string
  readonly confidence: Confidence
  readonly feature?: string
}
