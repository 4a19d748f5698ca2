import { memo } from 'react'
import { eventSpec, type EventKind } from '../../sim/events'
import type { MigrationReport } from '../../sim/metrics'
import { isInferred } from '../../sim/spec'
import { useIntegrity } from './integrity'
import { useMigration } from './store'

interface Step {
  readonly id: string
  readonly title: string
  /** The event that marks the step (its registry entry gives source and confidence). */
  readonly kind: EventKind
  readonly text: string
  /** Shown only for these strategies (default: every strategy). */
  readonly only?: readonly string[]
}

const PRE = ['precopy', 'hybrid', 'stopcopy']

export const STEPS: readonly Step[] = [
  {
    id: 'command',
    title: 'Migrate command',
    kind: 'mig.command',
    text: 'A command to migrate the workload from the departure host to the arrival host is received.',
  },
  {
    id: 'precopy',
    title: 'Pre-copy rounds',
    kind: 'mig.precopyRound',
    text: 'Baseline: memory is copied while the process keeps running; pages dirtied meanwhile are sent again in the next round.',
    only: ['precopy', 'hybrid'],
  },
  {
    id: 'interrupt',
    title: 'Interrupt',
    kind: 'proc.interrupt',
    text: 'The process is interrupted on the departure host while it is using its memory.',
  },
  {
    id: 'freeze',
    title: 'Freeze',
    kind: 'mig.freeze',
    text: 'Activity on the process memory is frozen, so no page changes from now on.',
  },
  {
    id: 'stopCopy',
    title: 'Stop-and-copy',
    kind: 'mig.stopCopy',
    text: 'Baseline: the remaining (or all) pages are sent while the process is stopped.',
    only: PRE,
  },
  {
    id: 'indexTable',
    title: 'Index table',
    kind: 'mig.indexTable',
    text: 'An index table records, for every page in use, its segment, page number and offset in the remote paging device.',
  },
  {
    id: 'checkpoint',
    title: 'Checkpoint send',
    kind: 'mig.checkpointSent',
    text: 'The checkpoint, the table, the pinned-page indicator and only a small portion of the memory are sent.',
  },
  {
    id: 'restart',
    title: 'Restart',
    kind: 'proc.restart',
    text: 'The arrival host restarts the process from the checkpoint and fills its page table from the index table.',
  },
  {
    id: 'pinnedTouch',
    title: 'Pinned touch',
    kind: 'page.pinnedTouch',
    text: 'Each pinned page is associated with the remote paging device and touched before the process resumes.',
  },
  {
    id: 'resume',
    title: 'Resume',
    kind: 'proc.resume',
    text: 'The process resumes on the arrival host with most of its pages still on the departure host.',
  },
  {
    id: 'demandPaging',
    title: 'Demand paging',
    kind: 'page.faultNetwork',
    text: 'A touch of an absent page faults; the index table gives its offset and a page-in request fetches it.',
  },
  {
    id: 'background',
    title: 'Background touching',
    kind: 'mig.bgStage',
    text: 'After a wait, fractions of the remaining pages are touched in the background, the last within one minute.',
  },
  {
    id: 'complete',
    title: 'All pages here',
    kind: 'mig.complete',
    text: 'Every page is resident on the arrival host (or in its local paging device).',
  },
  {
    id: 'release',
    title: 'Release',
    kind: 'mig.sourceReleased',
    text: 'Nothing is left to page from the departure host, so its frozen memory is released.',
  },
]

const CONF_LABEL: Record<string, string> = {
  V: 'verified (patent text)',
  'V-sib': 'verified (sibling patent)',
  I: 'inferred — not from patent text',
  U: 'inferred — not from patent text',
  B: 'background documentation',
  lit: 'literature baseline',
  sim: 'simulator mechanics',
}

const fmt = new Intl.NumberFormat('en-US')

function us(v: number): string {
  if (v < 0) return '—'
  return v >= 10_000 ? `${fmt.format(Math.round(v / 1000))} ms` : `${fmt.format(v)} µs`
}

export function eagerPages(r: MigrationReport): number {
  const t = r.transfer
  return t.pinned.pages + t.nonPrivate.pages + t.hot.pages + t.stopcopy.pages
}
export function demandPages(r: MigrationReport): number {
  return r.transfer.demand.pages + r.transfer.proximal.pages
}
export function backgroundPages(r: MigrationReport): number {
  return r.transfer.background.pages + r.transfer.prefetch.pages
}

function Num({
  id,
  label,
  value,
  text,
}: {
  id: string
  label: string
  value: number | string
  text: string
}) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={`sequence.${id}`} data-value={String(value)}>
        {text}
      </dd>
    </>
  )
}

/**
 * Memory integrity: verified or failed (the CLI's check and checksum, from the verifier worker),
 * verifying while the worker runs, the worker's error, or unchecked (while the run goes on).
 */
function IntegrityNumbers({ report }: { report: MigrationReport }) {
  const status = useIntegrity((s) => s)
  const i = report.integrity
  if (i.checked) {
    return (
      <>
        <Num
          id="integrity"
          label="Integrity"
          value={i.ok ? 'verified' : 'failed'}
          text={
            i.ok
              ? 'verified: memory equals the no-migration reference'
              : `FAILED: ${i.notes.join('; ')}`
          }
        />
        <Num
          id="integrity.checksum"
          label="Memory checksum"
          value={i.checksum}
          text={
            i.checksum === i.referenceChecksum
              ? i.checksum
              : `${i.checksum} (reference ${i.referenceChecksum})`
          }
        />
      </>
    )
  }
  const mine = status.state !== 'idle' && status.tick === report.ticks
  if (mine && status.state === 'verifying') {
    return (
      <>
        <dt>Integrity</dt>
        <dd data-testid="sequence.integrity" data-value="verifying" aria-busy="true">
          verifying… (replaying the workload without migration){' '}
          <progress
            max={1}
            {...(status.fraction === null ? {} : { value: status.fraction })}
            aria-label="Verifying the memory"
            data-testid="sequence.integrity.progress"
          />
        </dd>
      </>
    )
  }
  if (mine && status.state === 'error') {
    return (
      <Num
        id="integrity"
        label="Integrity"
        value="error"
        text={`could not verify: ${status.message}`}
      />
    )
  }
  return (
    <Num
      id="integrity"
      label="Integrity"
      value="unchecked"
      text={
        report.lost.workloadLost
          ? 'not checked: the workload was lost'
          : 'checked when the migration is over and the run is paused'
      }
    />
  )
}

/**
 * One step of the sequence. Memoized: while a run plays the panel re-renders a few times a second,
 * and only the current step's count (and a step that starts or ends) changes.
 */
const StepItem = memo(function StepItem({
  step: s,
  state,
  at,
  n,
}: {
  readonly step: Step
  readonly state: 'current' | 'done' | 'pending'
  /** First tick of the step's event, if it happened. */
  readonly at: number | undefined
  /** How many times its event happened. */
  readonly n: number
}) {
  const spec = eventSpec(s.kind)
  return (
    <li
      className={`step step-${state}`}
      data-testid={`sequence.step.${s.id}`}
      data-state={state}
      aria-current={state === 'current' ? 'step' : undefined}
    >
      <div className="step-head">
        <strong>{s.title}</strong>
        <span className="muted">
          {at !== undefined ? ` tick ${fmt.format(at)}${n > 1 ? ` · ${fmt.format(n)}×` : ''}` : ''}
        </span>
      </div>
      <p>{s.text}</p>
      <p className="step-source">
        {spec.source ?? (spec.feature ? `feature ${spec.feature}` : 'no patent source')}
        {spec.feature && spec.source ? ` · ${spec.feature}` : ''} ·{' '}
        <span
          className={isInferred(spec.confidence) ? 'conf-inferred' : 'conf'}
          data-testid={`sequence.step.${s.id}.confidence`}
        >
          {CONF_LABEL[spec.confidence] ?? spec.confidence}
        </span>
      </p>
    </li>
  )
})

/**
 * The migration step by step: which step the run is at, one sentence per step, its source in the
 * patents and its confidence, and the key numbers (the CLI's report, computed from the hosts).
 */
export function SequencePanel() {
  useMigration((d) => d.timelineVersion)
  const tl = useMigration((d) => d.timeline)
  const report = useMigration((d) => d.report)
  const strategy = useMigration((d) => d.summaries?.[0].strategy ?? 'postcopy')
  const steps = STEPS.filter((s) => !s.only || s.only.includes(strategy))
  let current = ''
  let best = -1
  for (const s of steps) {
    const t = tl.lastTick.get(s.kind)
    if (t !== undefined && t >= best) {
      best = t
      current = s.id
    }
  }
  return (
    <section className="mig-panel sequence" aria-label="Migration sequence" data-testid="sequence">
      <h2>Sequence</h2>
      <p className="muted" data-testid="sequence.current" data-step={current} aria-live="polite">
        {current
          ? `Now: ${steps.find((s) => s.id === current)?.title ?? ''}`
          : 'Waiting for the migrate command.'}
      </p>
      <ol className="steps">
        {steps.map((s) => {
          const at = tl.firstTick.get(s.kind)
          const state = s.id === current ? 'current' : at !== undefined ? 'done' : 'pending'
          return (
            <StepItem key={s.id} step={s} state={state} at={at} n={tl.kindCount.get(s.kind) ?? 0} />
          )
        })}
      </ol>
      <h3>Key numbers</h3>
      {report ? (
        <dl className="key-numbers" data-testid="sequence.numbers">
          <Num
            id="downtime"
            label="Downtime"
            value={report.downtimeUs}
            text={us(report.downtimeUs)}
          />
          <Num
            id="totalTime"
            label="Total migration time"
            value={report.totalMigrationUs}
            text={us(report.totalMigrationUs)}
          />
          <Num
            id="released"
            label="Source released after"
            value={report.sourceReleasedUs}
            text={us(report.sourceReleasedUs)}
          />
          <Num
            id="eagerPages"
            label="Pages sent eagerly"
            value={eagerPages(report)}
            text={fmt.format(eagerPages(report))}
          />
          <Num
            id="precopyPages"
            label="Pages sent by pre-copy"
            value={report.transfer.precopy.pages}
            text={fmt.format(report.transfer.precopy.pages)}
          />
          <Num
            id="demandPages"
            label="Pages sent on demand"
            value={demandPages(report)}
            text={fmt.format(demandPages(report))}
          />
          <Num
            id="backgroundPages"
            label="Pages sent in the background"
            value={backgroundPages(report)}
            text={fmt.format(backgroundPages(report))}
          />
          <Num
            id="faults.network"
            label="Network faults"
            value={report.faults.network}
            text={fmt.format(report.faults.network)}
          />
          <Num
            id="faults.minor"
            label="Minor faults"
            value={report.faults.minor}
            text={fmt.format(report.faults.minor)}
          />
          <Num
            id="faults.zeroFill"
            label="Zero-fill faults"
            value={report.faults.zeroFill}
            text={fmt.format(report.faults.zeroFill)}
          />
          <Num
            id="faults.localCopy"
            label="Local-copy faults"
            value={report.faults.localCopy}
            text={fmt.format(report.faults.localCopy)}
          />
          <Num
            id="totalBytes"
            label="Bytes on the wire"
            value={report.transfer.totalBytes}
            text={`${fmt.format(report.transfer.totalBytes)} B`}
          />
          <Num
            id="lost"
            label="Workload lost"
            value={report.lost.workloadLost ? 1 : 0}
            text={
              report.lost.workloadLost
                ? `yes: ${fmt.format(report.lost.pagesOnSource)} pages were only on the crashed host`
                : 'no'
            }
          />
          <IntegrityNumbers report={report} />
        </dl>
      ) : (
        <p className="muted">No numbers yet.</p>
      )}
    </section>
  )
}
