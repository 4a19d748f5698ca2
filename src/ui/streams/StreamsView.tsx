/**
 * The STREAMS view (issue 7): both hosts' streams as vertical chains, the commands (Checkpoint,
 * Restart on arrival host, Migrate partition), interactive stack presets and a stack editor, the
 * failure toggles, the checkpoint message with a block inspector, the restart on host B with its
 * verification and counters, and the sequence panel. Mounted when the scenario has a `streams`
 * section. Everything comes from the engine (inspected states, the report, the event log).
 */
import { useId, useState } from 'react'
import type { UserInput } from '../../sim/inputs'
import { kindSpec, MODULE_NAMES, REASON_TEXT, WPAR_TEXT } from '../../sim/streams/catalog'
import { decodeRestartMessage, type RestartMessage } from '../../sim/streams/checkpoint'
import type { SimEvent } from '../../sim/events'
import type { TargetMismatch, VetoConfig } from '../../sim/streams/scenario'
import { isInferred } from '../../sim/spec'
import { eventSpec } from '../../sim/events'
import { selectReady } from '../../store/selectors'
import { useAppStore, useAppStoreApi } from '../app/storeContext'
import { BlockInspector, type BlockRef } from './BlockInspector'
import { INTERACTIVE_LABEL, interactiveScenario, type StackPreset } from './interactive'
import { MSG_LEGEND, msgPath } from './msgStyle'
import { SequencePanel } from './SequencePanel'
import { currentAttempt } from './sequenceSteps'
import { HOST_LETTER } from './chainText'
import { StreamChain } from './StreamChain'
import { useStreamsData, type StreamsData } from './useStreamsData'
import './streams.css'

/** Worded so that they never contain the host panels' names ("Host A (departure)"). */
const HOST_TITLE = ['Stream on A, the departure host', 'Stream on B, the arrival host'] as const

function InferredBadge({ what }: { readonly what?: string }) {
  return (
    <span
      className="badge badge-inferred"
      title={`Inferred: not stated in the patent text that was read${what ? ` (${what})` : ''}`}
    >
      inferred — not from patent text
    </span>
  )
}

function wparState(steps: readonly SimEvent[], host: number): string | undefined {
  for (let i = steps.length - 1; i >= 0; i--) {
    const ev = steps[i] as SimEvent
    if (ev.kind === 'ckpt.wpar' && ev.host === host) return WPAR_TEXT[ev.state]
  }
  return undefined
}

export function StreamsView() {
  const data = useStreamsData()
  const scenario = useAppStore((s) => s.scenario)
  if (!scenario?.streams) return null
  return (
    <section
      className="streams-view"
      aria-label="STREAMS checkpoint and restart"
      data-testid="stream.view"
      data-tick={data?.tick ?? -1}
      data-scenario={data?.scenarioName ?? ''}
    >
      <h2>STREAMS: checkpoint and restart of a stream (US7950019)</h2>
      {data ? <StreamsBody data={data} /> : <p className="muted">Reading the hosts’ streams…</p>}
    </section>
  )
}

function StreamsBody({ data }: { readonly data: StreamsData }) {
  const store = useAppStoreApi()
  const ready = useAppStore(selectReady)
  const running = useAppStore((s) => s.running)
  const hasMigration = useAppStore((s) => s.scenario?.migration !== undefined)
  const [sel, setSel] = useState<BlockRef | null>(null)
  const send = (input: UserInput) => store.getState().world.input(input)
  const { views, states, steps } = data
  const liveView = views.find((v) => v.stream !== undefined)
  const live = liveView?.host ?? -1
  const frozen = liveView?.stream?.frozen ?? false
  const busy = views.some((v) => v.checkpoint !== undefined || v.restart !== undefined)

  return (
    <>
      <div className="streams-controls">
        <div role="group" aria-label="STREAMS commands" className="streams-group">
          <h3>Commands</h3>
          <button
            type="button"
            data-testid="stream.cmd.checkpoint"
            aria-label="Checkpoint the partition's stream"
            disabled={!ready}
            onClick={() => send({ type: 'streams.checkpoint' })}
          >
            Checkpoint
          </button>
          <button
            type="button"
            data-testid="stream.cmd.restart"
            aria-label="Restart the stream on the arrival host"
            disabled={!ready}
            onClick={() => send({ type: 'streams.restart' })}
          >
            Restart on arrival host
          </button>
          <button
            type="button"
            data-testid="stream.cmd.migrate"
            aria-label="Migrate the whole partition: streams and memory"
            disabled={!ready || !hasMigration}
            title={
              hasMigration
                ? 'Checkpoint the stream and migrate the memory in one command'
                : 'This scenario has no memory side (no migration section)'
            }
            onClick={() => send({ type: 'partition.migrate' })}
          >
            Migrate partition
          </button>
          {!running ? (
            <p className="muted streams-hint">
              Commands apply at the next tick: press Play or Step.
            </p>
          ) : null}
        </div>
        <div role="group" aria-label="Stack presets" className="streams-group">
          <h3>Stack presets</h3>
          {(['terminal', 'network'] as const satisfies readonly StackPreset[]).map((p) => (
            <button
              key={p}
              type="button"
              data-testid={`stream.preset.${p}`}
              aria-label={`Load the interactive ${p} stack`}
              disabled={!ready}
              onClick={() =>
                void store
                  .getState()
                  .loadScenarioText(
                    JSON.stringify(interactiveScenario(p)),
                    INTERACTIVE_LABEL[p],
                    undefined,
                    null,
                    INTERACTIVE_LABEL[p],
                  )
              }
            >
              {p === 'terminal' ? 'Terminal stack' : 'Network stack'}
            </button>
          ))}
        </div>
        <StackEditor
          refused={lastRefusal(steps)}
          modules={
            liveView?.stream?.components.filter((c) => c.role === 'module').map((c) => c.name) ?? []
          }
          disabled={!ready || live < 0 || frozen || busy}
          send={send}
        />
        <FailureToggles
          modules={
            liveView?.stream?.components.filter((c) => c.role === 'module').map((c) => c.name) ?? []
          }
          faults={states[0].faults.concat(states[1].faults)}
          unsupported={
            liveView?.stream?.components
              .filter((c) => c.role === 'module' && !c.checkpointSupport)
              .map((c) => c.name) ?? []
          }
          veto={vetoChoice(states[0].veto)}
          target={states[1].target.mode}
          disabled={!ready}
          send={send}
        />
      </div>

      <Outcome data={data} />

      <div className="streams-hosts">
        {views.map((v) => {
          const h = HOST_LETTER[v.host] ?? v.host
          const wpar = wparState(steps, v.host)
          return (
            <section
              key={v.host}
              className="streams-host"
              aria-label={HOST_TITLE[v.host]}
              data-testid={`stream.${h}`}
            >
              <h3>
                {HOST_TITLE[v.host]}{' '}
                <span
                  className={`streams-state ${v.stream?.frozen ? 'is-frozen' : ''}`}
                  data-testid={`stream.${h}.state`}
                  data-frozen={String(v.stream?.frozen ?? false)}
                >
                  {v.stream ? (v.stream.frozen ? 'frozen' : 'running') : 'no stream'}
                </span>
                {wpar ? (
                  <span className="streams-wpar" data-testid={`stream.${h}.wpar`}>
                    WPAR {wpar}
                  </span>
                ) : null}
              </h3>
              <StreamChain view={v} />
            </section>
          )
        })}
        <div className="streams-side">
          <CheckpointPanel data={data} sel={sel} onSelect={setSel} />
          <RestartPanel data={data} />
        </div>
      </div>
      <BlockInspector sel={sel} state={sel ? states.find((s) => s.host === sel.host) : undefined} />
      <SequencePanel steps={steps} />
      <Legend />
    </>
  )
}

/** The reason of the newest stack edit, when the engine refused it. */
function lastRefusal(steps: readonly SimEvent[]): string | null {
  for (let i = steps.length - 1; i >= 0; i--) {
    const ev = steps[i] as SimEvent
    if (ev.kind === 'str.editRefused') return REASON_TEXT[ev.reason] ?? String(ev.reason)
    if (ev.kind === 'str.pushed' || ev.kind === 'str.popped') return null
  }
  return null
}

function StackEditor({
  refused,
  modules,
  disabled,
  send,
}: {
  readonly refused: string | null
  readonly modules: readonly string[]
  readonly disabled: boolean
  readonly send: (i: UserInput) => void
}) {
  const kindId = useId()
  const nameId = useId()
  const [kind, setKind] = useState<string>(MODULE_NAMES[0] ?? 'pass')
  const [name, setName] = useState('')
  const move = (i: number, d: number) => {
    const order = [...modules]
    const j = i + d
    if (j < 0 || j >= order.length) return
    ;[order[i], order[j]] = [order[j] as string, order[i] as string]
    send({ type: 'streams.reorder', order })
  }
  return (
    <div
      role="group"
      aria-label="Stack editor"
      className="streams-group"
      data-testid="stream.editor"
    >
      <h3>Stack editor</h3>
      <label htmlFor={kindId}>Module</label>
      <select
        id={kindId}
        data-testid="stream.editor.kind"
        value={kind}
        onChange={(e) => setKind(e.target.value)}
      >
        {MODULE_NAMES.map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </select>
      <label htmlFor={nameId}>Name</label>
      <input
        id={nameId}
        data-testid="stream.editor.name"
        value={name}
        placeholder="(kind)"
        maxLength={32}
        size={8}
        onChange={(e) => setName(e.target.value.trim())}
      />
      <button
        type="button"
        data-testid="stream.editor.push"
        aria-label="Push the module beneath the stream head (I_PUSH)"
        disabled={disabled}
        onClick={() =>
          send(name ? { type: 'streams.push', kind, name } : { type: 'streams.push', kind })
        }
      >
        Push
      </button>
      <button
        type="button"
        data-testid="stream.editor.pop"
        aria-label="Pop the module beneath the stream head (I_POP)"
        disabled={disabled || modules.length === 0}
        onClick={() => send({ type: 'streams.pop' })}
      >
        Pop
      </button>
      <ol className="streams-order" aria-label="Modules, top to bottom">
        {modules.map((m, i) => (
          <li key={m} data-testid={`stream.editor.module.${m}`}>
            <span>{m}</span>
            <button
              type="button"
              data-testid={`stream.editor.up.${m}`}
              aria-label={`Move ${m} up`}
              disabled={disabled || i === 0}
              onClick={() => move(i, -1)}
            >
              ↑
            </button>
            <button
              type="button"
              data-testid={`stream.editor.down.${m}`}
              aria-label={`Move ${m} down`}
              disabled={disabled || i === modules.length - 1}
              onClick={() => move(i, 1)}
            >
              ↓
            </button>
          </li>
        ))}
      </ol>
      {disabled ? (
        <p className="muted streams-hint">Stack edits are refused while a checkpoint runs.</p>
      ) : null}
      {refused ? (
        <p className="streams-hint" role="status" data-testid="stream.editor.refused">
          Last edit refused: {refused}
        </p>
      ) : null}
    </div>
  )
}

type VetoChoice = 'none' | 'deny' | 'tryClears' | 'tryTimeout'
type TargetChoice = TargetMismatch['mode']

/**
 * A control that follows the engine's setting but shows the user's choice until the engine has
 * applied it (inputs apply at the next tick; while paused that may be a while).
 */
function usePending<T>(engine: T): readonly [T, (v: T) => void] {
  const [pending, setPending] = useState<{ readonly v: T; readonly from: T } | null>(null)
  const shown = pending && pending.from === engine ? pending.v : engine
  return [shown, (v: T) => setPending({ v, from: engine })] as const
}

/** The select's value for the engine's current veto setting. */
function vetoChoice(v: VetoConfig): VetoChoice {
  if (v.mode === 'none' || v.mode === 'deny') return v.mode
  return 'clearsAfterTicks' in v && v.clearsAfterTicks !== undefined ? 'tryClears' : 'tryTimeout'
}

function FailureToggles({
  modules,
  faults,
  unsupported,
  veto,
  target,
  disabled,
  send,
}: {
  readonly modules: readonly string[]
  readonly faults: readonly { name: string; fault: number }[]
  /** Modules the scenario configured without checkpoint support (they cannot fill a block). */
  readonly unsupported: readonly string[]
  /** The engine's current settings (a preset may set them; the selects follow the engine). */
  readonly veto: VetoChoice
  readonly target: TargetChoice
  readonly disabled: boolean
  readonly send: (i: UserInput) => void
}) {
  const vetoId = useId()
  const targetId = useId()
  const [vetoShown, setVeto] = usePending(veto)
  const [targetShown, setTarget] = usePending(target)
  const faultOf = (m: string): FaultChoice => {
    const f = faults.find((x) => x.name === m)?.fault ?? 0
    return f === 1 ? 'noCheckpoint' : f === 2 ? 'blockTooSmall' : 'none'
  }
  return (
    <div
      role="group"
      aria-label="Failure toggles"
      className="streams-group"
      data-testid="stream.faults"
    >
      <h3>
        Failure toggles <InferredBadge what="remedies S4, S5; veto is AIX background S3" />
      </h3>
      {modules.map((m) => (
        <ModuleFault
          key={m}
          module={m}
          engine={faultOf(m)}
          unsupported={unsupported.includes(m)}
          disabled={disabled}
          send={send}
        />
      ))}
      <label htmlFor={vetoId} className="streams-field streams-field-break">
        Veto
      </label>
      <select
        id={vetoId}
        data-testid="stream.fault.veto"
        disabled={disabled}
        value={vetoShown}
        onChange={(e) => {
          const v = e.target.value as VetoChoice
          setVeto(v)
          send(
            v === 'none'
              ? { type: 'streams.setVeto', mode: 'none' }
              : v === 'deny'
                ? { type: 'streams.setVeto', mode: 'deny', reason: 'device busy' }
                : v === 'tryClears'
                  ? { type: 'streams.setVeto', mode: 'try', waitTicks: 40, clearsAfterTicks: 10 }
                  : { type: 'streams.setVeto', mode: 'try', waitTicks: 20 },
          )
        }}
      >
        <option value="none">none</option>
        <option value="deny">deny (device busy)</option>
        <option value="tryClears">try: wait, condition clears</option>
        <option value="tryTimeout">try: wait, times out</option>
      </select>
      <label htmlFor={targetId} className="streams-field streams-field-break">
        Target host B
      </label>
      <select
        id={targetId}
        data-testid="stream.fault.target"
        disabled={disabled}
        value={targetShown}
        onChange={(e) => {
          const t = e.target.value as TargetChoice
          setTarget(t)
          send(
            t === 'missing'
              ? {
                  type: 'streams.setTarget',
                  mode: 'missing',
                  module: modules[modules.length - 1] ?? '',
                }
              : t === 'swap'
                ? { type: 'streams.setTarget', mode: 'swap', at: 0 }
                : t === 'extra'
                  ? { type: 'streams.setTarget', mode: 'extra', module: 'pass' }
                  : { type: 'streams.setTarget', mode: t },
          )
        }}
      >
        <option value="none">same modules</option>
        <option value="missing">a module is missing</option>
        <option value="swap">two modules in the wrong order</option>
        <option value="extra">autopush adds a module</option>
        <option value="noDevice">device cannot be opened</option>
      </select>
    </div>
  )
}

type FaultChoice = 'none' | 'noCheckpoint' | 'blockTooSmall'

function ModuleFault({
  module: m,
  engine,
  unsupported,
  disabled,
  send,
}: {
  readonly module: string
  readonly engine: FaultChoice
  readonly unsupported: boolean
  readonly disabled: boolean
  readonly send: (i: UserInput) => void
}) {
  const [shown, setShown] = usePending(engine)
  return (
    <label className="streams-field">
      {m}
      <select
        data-testid={`stream.fault.${m}`}
        aria-label={`Failure toggle for module ${m}`}
        disabled={disabled}
        value={shown}
        onChange={(e) => {
          const fault = e.target.value as FaultChoice
          setShown(fault)
          send({ type: 'streams.setFault', module: m, fault })
        }}
      >
        <option value="none">fills its block</option>
        <option value="noCheckpoint">cannot fill block (no support)</option>
        <option value="blockTooSmall">block too small</option>
      </select>
      {unsupported ? (
        <span className="streams-hint-inline" data-testid={`stream.fault.${m}.unsupported`}>
          configured without checkpoint support
        </span>
      ) : null}
    </label>
  )
}

function Outcome({ data }: { readonly data: StreamsData }) {
  const { report, views, steps } = data
  const attempt = currentAttempt(steps)
  const aborted = attempt.find((e) => e.kind === 'ckpt.aborted')
  let detail = ''
  if (aborted && aborted.kind === 'ckpt.aborted') {
    const src = views.find((v) => v.stream)?.stream
    const name =
      aborted.comp >= 0 ? (src?.components[aborted.comp]?.name ?? `component ${aborted.comp}`) : ''
    detail = name ? `module ${name}: ` : ''
  }
  const words: Record<string, string> = {
    none: 'no checkpoint yet',
    inProgress: 'checkpoint in progress',
    restarted: 'restarted on host B',
    aborted: 'checkpoint aborted; the stream thawed on host A',
    verifyFailed: 'restart failed verification; target torn down, host A keeps the stream',
    denied: 'checkpoint denied; the stream keeps running on host A',
  }
  const failed =
    report.outcome === 'aborted' || report.outcome === 'verifyFailed' || report.outcome === 'denied'
  return (
    <p
      className={`streams-outcome${failed ? ' is-failed' : ''}`}
      data-testid="stream.outcome"
      data-outcome={report.outcome}
      role="status"
    >
      <strong>Outcome:</strong> {words[report.outcome] ?? report.outcome}
      {failed ? ` — ${detail}${report.reason}` : ''}
      {failed && report.outcome !== 'denied' ? (
        <InferredBadge what="consequence not in the patent text (S4/S5)" />
      ) : null}
    </p>
  )
}

function CheckpointPanel({
  data,
  sel,
  onSelect,
}: {
  readonly data: StreamsData
  readonly sel: BlockRef | null
  readonly onSelect: (b: BlockRef) => void
}) {
  const { states, views, steps, report } = data
  const srcState = states.find((s) => s.ckpt !== undefined)
  const src = srcState?.host ?? -1
  const srcView = views.find((v) => v.host === src)
  const ck = srcView?.checkpoint
  // Names of the components: the checkpointing stream, or after an abort the stream that thawed.
  const comps = srcView?.stream?.components ?? views.find((v) => v.stream)?.stream?.components ?? []
  const attempt = currentAttempt(steps)
  const visited: string[] = []
  for (const ev of attempt) {
    if (ev.kind === 'ckpt.msgAt') {
      const name = comps[ev.comp]?.name ?? String(ev.comp)
      visited.push(`${name}${ev.dir === 0 ? '↓' : '↑'}`)
    }
  }
  const filled = new Set<number>()
  for (const ev of attempt) if (ev.kind === 'ckpt.blockFilled') filled.add(ev.comp)
  const blocks = srcState?.ckpt?.blocks ?? []
  const where = ck
    ? ck.phase === 'vetoWait'
      ? 'waiting for the veto to clear'
      : ck.phase === 'shipped'
        ? 'sent to host B as the restart message'
        : `at ${comps[ck.pos]?.name ?? ck.pos}, going ${ck.dir === 0 ? 'down' : 'up'}`
    : 'none'
  const msgSpec = eventSpec('ckpt.msgAt')
  // The identity/order record (P2-12): the target's copy once it ran, else the source's modules.
  const order = report.expectedModules.length
    ? report.expectedModules
    : comps.filter((c) => c.role === 'module').map((c) => c.name)
  return (
    <section className="streams-ckpt" aria-label="Checkpoint message">
      <h3>Checkpoint message</h3>
      <p
        data-testid="stream.checkpoint"
        data-phase={ck?.phase ?? 'none'}
        data-pos={ck?.pos ?? -1}
        data-at={ck && comps[ck.pos] ? comps[ck.pos]?.name : ''}
        data-visited={attempt
          .filter((e) => e.kind === 'ckpt.msgAt')
          .map((e) => (e.kind === 'ckpt.msgAt' ? (comps[e.comp]?.name ?? e.comp) : ''))
          .join(',')}
        data-filled={[...filled].map((c) => comps[c]?.name ?? c).join(',')}
      >
        {ck ? `Host ${HOST_LETTER[src] ?? src}: ${where}.` : 'No checkpoint message.'}
        {visited.length ? ` Route so far: ${visited.join(' → ')}.` : ''}
        {isInferred(msgSpec.confidence) ? <InferredBadge what="route S6" /> : null}
      </p>
      {blocks.length ? (
        <ul className="streams-blocks" aria-label="Blocks of the checkpoint message">
          {blocks.map((b) => {
            const selected = sel?.host === src && sel.comp === b.comp
            return (
              <li key={b.comp}>
                <button
                  type="button"
                  className={`streams-block${b.filled ? ' is-filled' : ''}`}
                  data-testid={`stream.block.${HOST_LETTER[src] ?? src}.${b.name}`}
                  data-filled={String(b.filled)}
                  aria-pressed={selected}
                  aria-label={`Inspect the block of ${b.name} (${b.filled ? 'filled' : 'empty'})`}
                  onClick={() => onSelect({ host: src, comp: b.comp })}
                >
                  {b.name}: {b.filled ? `${b.bytes?.length ?? 0} B` : 'empty'}
                </button>
              </li>
            )
          })}
        </ul>
      ) : null}
      <p data-testid="stream.restartMessage" data-bytes={report.checkpointBytes}>
        Restart message:{' '}
        {report.checkpointBytes
          ? `${report.checkpointBytes} B, modules in stack order ${order.join(' → ') || '(none)'}, ${report.carriedInRestartMessage} message(s) carried`
          : 'not assembled yet'}
      </p>
      <RestartMessageDetail states={states} />
    </section>
  )
}

/** The restart message as host B received it, decoded: identities in order and block sizes. */
function RestartMessageDetail({ states }: { readonly states: StreamsData['states'] }) {
  const rst = states.find((s) => s.rst !== undefined)?.rst
  if (!rst) return null
  let rm: RestartMessage
  try {
    rm = decodeRestartMessage(rst.data)
  } catch (e) {
    return <p className="error">Restart message could not be decoded: {(e as Error).message}</p>
  }
  return (
    <details className="streams-rm" data-testid="stream.restartMessage.detail" open>
      <summary>
        Received on host {HOST_LETTER[states.findIndex((s) => s.rst !== undefined)] ?? '?'}:{' '}
        {rst.data.length} B
      </summary>
      <ol aria-label="Module identities in stack order">
        {rm.modules.map((m) => (
          <li key={m.name}>
            {m.name} ({kindSpec(m.kind).name}
            {m.ckpt ? '' : ', no checkpoint support'})
          </li>
        ))}
        <li>
          driver {rm.driver.name} ({kindSpec(rm.driver.kind).name})
        </li>
      </ol>
      <p>
        {rm.blocks.length} block(s):{' '}
        {rm.blocks.map((b) => `component ${b.comp} ${b.bytes.length} B`).join(', ')}
      </p>
    </details>
  )
}

const RST_PHASES = ['waiting', 'open', 'push', 'verify', 'restore', 'thaw'] as const

function Counter({
  id,
  label,
  value,
}: {
  readonly id: string
  readonly label: string
  readonly value: number | string
}) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={`stream.count.${id}`} data-value={value}>
        {value}
      </dd>
    </>
  )
}

function RestartPanel({ data }: { readonly data: StreamsData }) {
  const { views, report } = data
  const r = views[1].restart ?? views[0].restart
  // The report settles the verdict when the restart ends; the event shows it as soon as it happens.
  const attempt = currentAttempt(data.steps)
  let verification = report.verification
  if (verification === 'not run') {
    if (attempt.some((e) => e.kind === 'rst.verifyFailed')) verification = 'failed'
    else if (attempt.some((e) => e.kind === 'rst.verified')) verification = 'passed'
  }
  const eo = report.exactlyOnce
  return (
    <section className="streams-restart" aria-label="Restart on the arrival host">
      <h3>Restart on the arrival host</h3>
      <ol
        className="streams-rst-phases"
        data-testid="stream.restart"
        data-phase={r?.phase ?? 'none'}
      >
        {RST_PHASES.map((p) => (
          <li
            key={p}
            className={r?.phase === p ? 'is-current' : ''}
            aria-current={r?.phase === p ? 'step' : undefined}
          >
            {p}
            {p === 'push' && r?.phase === 'push' ? ` (${r.cursor}/${r.plan.length})` : ''}
          </li>
        ))}
      </ol>
      {r ? (
        <p>
          Recorded order (pushed bottom first):{' '}
          {(r.plan.length ? r.plan : report.expectedModules).join(' → ') || '(no modules)'}
          {r.phase === 'waiting' && !r.requested ? ' — waiting for “Restart on arrival host”.' : ''}
        </p>
      ) : null}
      <p
        className={`streams-verify is-${verification.replace(' ', '-')}`}
        data-testid="stream.verify.result"
        data-result={verification}
      >
        <strong>Verification (count and order):</strong> {verification}
        {verification !== 'not run' &&
        report.expectedModules.length + report.actualModules.length ? (
          <>
            {' '}
            — expected{' '}
            <code data-testid="stream.verify.expected">
              {report.expectedModules.join(', ') || '∅'}
            </code>
            , actual{' '}
            <code data-testid="stream.verify.actual">{report.actualModules.join(', ') || '∅'}</code>
          </>
        ) : null}
      </p>
      <dl className="streams-counters">
        <Counter id="sent" label="sent" value={report.messagesSent.total} />
        <Counter id="delivered" label="delivered" value={report.delivered.total} />
        <Counter id="held" label="held during freeze" value={report.heldDuringFreeze} />
        <Counter
          id="carried"
          label="carried in restart message"
          value={report.carriedInRestartMessage}
        />
        <Counter id="discarded" label="discarded (flush/pop)" value={report.discarded} />
        <Counter id="inFlight" label="in flight now" value={eo.inFlight} />
        <Counter id="lost" label="lost" value={eo.lost} />
        <Counter id="freezeTicks" label="frozen (ticks)" value={report.freezeTicks} />
      </dl>
      <p
        className={`streams-eo ${eo.ok ? 'is-ok' : 'is-bad'}`}
        data-testid="stream.exactlyOnce"
        data-ok={String(eo.ok)}
        title={`Checked from the ${eo.checkedFrom}: duplicates ${eo.duplicates}, out of order ${eo.outOfOrder}, phantom ${eo.phantom}, corrupt ${eo.corrupt}, lost ${eo.lost}`}
      >
        <span aria-hidden="true">{eo.ok ? '✔' : '✘'}</span> Exactly once: {eo.ok ? 'true' : 'false'}{' '}
        ({eo.duplicates} duplicates, {eo.outOfOrder} out of order, {eo.lost} lost; from the{' '}
        {eo.checkedFrom})
        <InferredBadge what="F-06 invariant" />
      </p>
    </section>
  )
}

function Legend() {
  return (
    <div className="streams-legend" aria-label="Message legend" role="group">
      {MSG_LEGEND.map((s) => (
        <span key={s.type} className="streams-legend-item">
          <svg width={16} height={16} viewBox="-8 -8 16 16" aria-hidden="true">
            <path d={msgPath(s.type, 50)} fill={s.color} stroke={s.hp ? '#000' : s.color} />
          </svg>
          {s.label} ({s.shapeName}
          {s.hp ? ', high priority' : ''})
        </span>
      ))}
      <span className="streams-legend-item">
        <svg width={16} height={16} viewBox="-8 -8 16 16" aria-hidden="true">
          <path d={msgPath(0, 50)} fill="#fff" stroke="#0072B2" strokeDasharray="2 1" />
        </svg>
        held while frozen (hollow)
      </span>
    </div>
  )
}
