/**
 * The contents of one block of the checkpoint message, decoded from its bytes: module identity,
 * position, state fields (internal data) and the captured in-flight messages (external data); and
 * the assembled restart message with its size.
 */
import { kindSpec, MT_NAMES } from '../../sim/streams/catalog'
import { decodeBlock, decodeHeadSection, type DecodedBlock } from '../../sim/streams/checkpoint'
import type { StreamsHostState, StrMsg } from '../../sim/streams/types'
import { HOST_LETTER } from './chainText'

export interface BlockRef {
  readonly host: number
  readonly comp: number
}

function msgText(m: StrMsg): string {
  const seq = m.seq >= 0 ? `#${m.seq}` : ''
  return `${MT_NAMES[m.type] ?? m.type}${seq ? ` ${seq}` : ''} (band ${m.band}, ${m.data.length} B)`
}

function decode(
  comp: number,
  bytes: Uint8Array,
): { block: DecodedBlock; boundary: number } | { error: string } {
  try {
    if (comp === 0) {
      const h = decodeHeadSection(bytes)
      return { block: h.block, boundary: h.outbox.length + h.inbox.length }
    }
    return { block: decodeBlock(bytes), boundary: 0 }
  } catch (e) {
    return { error: (e as Error).message }
  }
}

export function BlockInspector({
  sel,
  state,
}: {
  readonly sel: BlockRef | null
  readonly state: StreamsHostState | undefined
}) {
  if (!sel || !state) {
    return (
      <div className="streams-inspector" data-testid="stream.inspector" data-empty="true">
        <p className="muted">Choose a block of the checkpoint message to see what it holds.</p>
      </div>
    )
  }
  const h = HOST_LETTER[sel.host] ?? sel.host
  const b = state.ckpt?.blocks.find((x) => x.comp === sel.comp)
  if (!b) {
    return (
      <div className="streams-inspector" data-testid="stream.inspector" data-empty="true">
        <p className="muted">
          Host {h} has no such block now (the checkpoint message is gone: restarted or aborted).
        </p>
      </div>
    )
  }
  const k = kindSpec(b.kind)
  const decoded = b.filled && b.bytes ? decode(b.comp, b.bytes) : null
  return (
    <div
      className="streams-inspector"
      data-testid="stream.inspector"
      data-block={b.name}
      data-filled={String(b.filled)}
      aria-live="polite"
    >
      <h4>
        Block of <code data-testid="stream.inspector.module">{b.name}</code> ({k.name}, {k.role}) on
        host {h}
      </h4>
      <dl>
        <dt>Position</dt>
        <dd data-testid="stream.inspector.position">
          component {b.comp} {b.comp === 0 ? '(stream head section)' : `(from the top)`}
        </dd>
        <dt>Block</dt>
        <dd>
          {b.filled
            ? `filled: ${b.bytes?.length ?? 0} B of ${b.capacity} B (internal ${b.internalBytes} B, external ${b.externalMsgs} message(s))`
            : `allocated, ${b.capacity} B, not filled yet`}
        </dd>
      </dl>
      {decoded && 'error' in decoded ? (
        <p className="error">Could not decode the block: {decoded.error}</p>
      ) : null}
      {decoded && 'block' in decoded ? (
        <>
          <h5>Internal data: state fields</h5>
          <table className="streams-fields" data-testid="stream.inspector.fields">
            <tbody>
              {decoded.block.st.map((v, i) => (
                <tr key={k.fields[i] ?? i}>
                  <th scope="row">{k.fields[i] ?? `field ${i}`}</th>
                  <td>{v}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {decoded.block.held.length ? (
            <p>Held by the module itself: {decoded.block.held.map(msgText).join(', ')}</p>
          ) : null}
          <h5>External data: captured in-flight messages</h5>
          <ul data-testid="stream.inspector.messages">
            {decoded.block.queues.map((q) => {
              const list = [...q.msgs, ...q.transit]
              return (
                <li key={`${q.comp}.${q.side}`}>
                  component {q.comp} {q.side === 0 ? 'write' : 'read'} queue:{' '}
                  {list.length ? list.map(msgText).join(', ') : 'empty'}
                </li>
              )
            })}
            {decoded.boundary ? (
              <li>stream boundary (held process writes and device input): {decoded.boundary}</li>
            ) : null}
          </ul>
        </>
      ) : null}
    </div>
  )
}
