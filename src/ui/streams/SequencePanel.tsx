/**
 * The STREAMS steps in order, each with a one-sentence explanation, its patent source and
 * confidence (from the event registry), and its state in the current run from the event log:
 * done, current (the newest step seen) or pending. Failure outcomes appear as extra steps.
 */
import { eventSpec, type EventKind, type SimEvent } from '../../sim/events'
import { currentAttempt, STEP_OF, STREAMS_STEPS } from './sequenceSteps'
import { isInferred } from '../../sim/spec'

export function SequencePanel({ steps }: { readonly steps: readonly SimEvent[] }) {
  const attempt = currentAttempt(steps)
  const seen = new Set<string>()
  let current: string | undefined
  for (const ev of attempt) {
    const k = STEP_OF.get(ev.kind)
    if (k) {
      seen.add(k)
      current = k
    }
  }
  return (
    <section className="streams-seq" aria-label="STREAMS sequence" data-testid="stream.sequence">
      <h3>Sequence</h3>
      <ol>
        {STREAMS_STEPS.filter((s) => !s.failure || seen.has(s.key)).map((s) => {
          const spec = eventSpec(s.kinds[0] as EventKind)
          const state = s.key === current ? 'current' : seen.has(s.key) ? 'done' : 'pending'
          const inferred = s.kinds.some((k) => isInferred(eventSpec(k).confidence))
          return (
            <li
              key={s.key}
              className={`seq-step seq-${state}${s.failure ? ' seq-failure' : ''}`}
              data-testid={`stream.seq.${s.key}`}
              data-state={state}
              aria-current={state === 'current' ? 'step' : undefined}
            >
              <span className="seq-title">{s.title}</span>
              <span className="seq-text">{s.text}</span>
              <span className="seq-source">
                {[spec.feature, spec.source].filter(Boolean).join(' · ')} · confidence{' '}
                {spec.confidence}
                {inferred ? (
                  <span
                    className="badge badge-inferred"
                    title="Inferred: not stated in the patent text that was read"
                  >
                    inferred — not from patent text
                  </span>
                ) : null}
              </span>
            </li>
          )
        })}
      </ol>
    </section>
  )
}
