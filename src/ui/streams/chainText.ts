/** Words and ids of the stream chain (pure: the text alternative and the test ids). */
import type { ComponentView, QueueView, StreamsHostView } from '../../sim/streams/view'

export const HOST_LETTER = ['A', 'B'] as const

export function componentTestId(host: number, c: ComponentView): string {
  const h = HOST_LETTER[host] ?? String(host)
  if (c.role === 'head') return `stream.${h}.component.head`
  if (c.role === 'driver') return `stream.${h}.driver.${c.name}`
  return `stream.${h}.module.${c.name}`
}

function queueSummary(q: QueueView): string {
  const t = q.transit.length ? ` + ${q.transit.length} in transit` : ''
  return `${q.msgs.length} queued${t}`
}

/** Text alternative: the components top to bottom with their queue counts. */
export function chainSummary(v: StreamsHostView): string {
  const h = HOST_LETTER[v.host] ?? String(v.host)
  const st = v.stream
  if (!st) {
    const r = v.restart
    return r
      ? `Host ${h}: restart in progress (${r.phase}); no live stream yet.`
      : `Host ${h}: no stream on this host.`
  }
  const parts = st.components.map(
    (c) =>
      `${c.name} (${c.role}): write queue ${queueSummary(c.wq)}, read queue ${queueSummary(c.rq)}${c.block ? (c.block.filled ? ', block filled' : ', block empty') : ''}`,
  )
  const ck = v.checkpoint
  const where = ck
    ? ` Checkpoint message ${ck.phase === 'shipped' ? 'sent as the restart message' : `at ${st.components[ck.pos]?.name ?? ck.pos}, going ${ck.dir === 0 ? 'down' : 'up'}`}.`
    : ''
  return `Host ${h} stream ${st.frozen ? 'FROZEN' : 'running'}: ${parts.join('; ')}. Process writes waiting: ${st.processOutbox.length}; device input waiting: ${st.deviceInbox.length}.${where}`
}
