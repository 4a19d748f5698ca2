/**
 * One host's stream drawn as a vertical chain (d3 scales and symbols, React SVG): the process at
 * the top, the stream head, the pushed modules, the driver, the device at the bottom. Each component
 * shows its write queue (downstream, left) and read queue (upstream, right) with their messages,
 * the high/low water marks under each queue, and the messages in transit between components. While
 * frozen the ordinary messages are drawn as held; only the checkpoint message moves. Messages are
 * keyed by identity, so a message put on the next queue slides there (CSS transition).
 */
import { scaleBand, scaleLinear } from 'd3'
import { useId } from 'react'
import type { ComponentView, MsgView, QueueView, StreamsHostView } from '../../sim/streams/view'
import { chainSummary, componentTestId, HOST_LETTER } from './chainText'
import { msgPath, msgStyle, msgTitle } from './msgStyle'

const W = 440
const ROW_H = 80
const BOX_X = 160
const BOX_W = 120
const WQ_RIGHT = 146
const RQ_LEFT = 294
const MSG_STEP = 14
const MAX_DRAWN = 9

interface Mark {
  key: string
  x: number
  y: number
  m: MsgView
  title: string
  held: boolean
  transit: boolean
}

export function StreamChain({ view }: { readonly view: StreamsHostView }) {
  const titleId = useId()
  const descId = useId()
  const h = HOST_LETTER[view.host] ?? String(view.host)
  const st = view.stream
  const summary = chainSummary(view)
  if (!st) {
    return (
      <div className="stream-chain-empty" data-testid={`stream.${h}.chain`} data-empty="true">
        <p id={descId} data-testid={`stream.${h}.summary`}>
          {summary}
        </p>
      </div>
    )
  }
  const comps = st.components
  const rows = ['process', ...comps.map((c) => `c${c.index}`), 'device']
  const height = rows.length * ROW_H + 24
  const y = scaleBand<string>().domain(rows).range([24, height]).paddingInner(0.32)
  const bw = y.bandwidth()
  const gap = ROW_H - bw
  const frozen = st.frozen

  const marks: Mark[] = []
  const seen = new Map<string, number>()
  const add = (m: MsgView, x: number, yy: number, where: string, transit: boolean) => {
    const base = m.seq >= 0 ? `${m.dir}.${m.type}.${m.seq}` : `ctl.${m.type}.${where}`
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    const held = frozen && !m.highPriority
    marks.push({
      key: n ? `${base}~${n}` : base,
      x,
      y: yy,
      m,
      title: msgTitle(m, where, held),
      held,
      transit,
    })
  }
  const overflow: { key: string; x: number; y: number; n: number }[] = []
  const lay = (
    msgs: readonly MsgView[],
    x0: number,
    dx: number,
    yy: number,
    where: string,
    transit: boolean,
  ) => {
    msgs.slice(0, MAX_DRAWN).forEach((m, i) => add(m, x0 + dx * i, yy, where, transit))
    if (msgs.length > MAX_DRAWN) {
      overflow.push({
        key: `${where}.more`,
        x: x0 + dx * MAX_DRAWN,
        y: yy,
        n: msgs.length - MAX_DRAWN,
      })
    }
  }

  const procY = (y('process') ?? 0) + bw / 2
  lay(st.processOutbox, WQ_RIGHT - 8, -MSG_STEP, procY, 'process writes waiting', false)
  const devY = (y('device') ?? 0) + bw / 2
  lay(st.deviceInbox, RQ_LEFT + 8, MSG_STEP, devY, 'device input waiting at the driver', false)
  for (const c of comps) {
    const top = y(`c${c.index}`) ?? 0
    const mid = top + bw / 2 - 4
    lay(c.wq.msgs, WQ_RIGHT - 8, -MSG_STEP, mid, `${c.name} write queue`, false)
    lay(c.rq.msgs, RQ_LEFT + 8, MSG_STEP, mid, `${c.name} read queue`, false)
    // In transit to this queue: from above on the write side, from below on the read side.
    lay(c.wq.transit, WQ_RIGHT - 30, -MSG_STEP, top - gap / 2, `in transit to ${c.name}`, true)
    lay(
      c.rq.transit,
      RQ_LEFT + 30,
      MSG_STEP,
      top + bw + gap / 2,
      `in transit up to ${c.name}`,
      true,
    )
  }

  const ck = view.checkpoint
  let ckX = 0
  let ckY = 0
  if (ck && ck.phase !== 'shipped' && ck.phase !== 'vetoWait') {
    ckX = BOX_X + BOX_W / 2
    ckY = (y(`c${ck.pos}`) ?? 0) + bw - 15
  }
  const ckVisible = ck !== undefined && ck.phase !== 'shipped' && ck.phase !== 'vetoWait'

  return (
    <div className="stream-chain" data-testid={`stream.${h}.chain`} data-frozen={String(frozen)}>
      <svg
        viewBox={`0 0 ${W} ${height}`}
        width={W}
        height={height}
        role="img"
        aria-labelledby={titleId}
        aria-describedby={descId}
      >
        <title id={titleId}>{`Host ${h} stream as a vertical chain`}</title>
        <text className="chain-col" x={WQ_RIGHT} y={14} textAnchor="end">
          write queue ↓ downstream
        </text>
        <text className="chain-col" x={RQ_LEFT} y={14}>
          read queue ↑ upstream
        </text>
        {/* links between rows */}
        <line
          className="chain-spine"
          x1={BOX_X + BOX_W / 2}
          x2={BOX_X + BOX_W / 2}
          y1={y('process') ?? 0}
          y2={(y('device') ?? 0) + bw}
        />
        <Row label="process" sub="user process in the WPAR" top={y('process') ?? 0} bw={bw} />
        {comps.map((c) => (
          <ComponentRow
            key={`${c.index}.${c.name}`}
            host={view.host}
            c={c}
            top={y(`c${c.index}`) ?? 0}
            bw={bw}
            frozen={frozen}
            ckptActive={ck !== undefined}
          />
        ))}
        <Row label="device" sub="the hardware the driver drives" top={y('device') ?? 0} bw={bw} />
        {marks.map((k) => {
          const s = msgStyle(k.m.type)
          return (
            <g
              key={k.key}
              className={`msg${k.held ? ' msg-held' : ''}${k.transit ? ' msg-transit' : ''}${k.m.highPriority ? ' msg-hp' : ''}`}
              style={{ transform: `translate(${k.x}px, ${k.y}px)` }}
              data-seq={k.m.seq}
              data-type={s.label}
            >
              <title>{k.title}</title>
              <path d={msgPath(k.m.type)} fill={k.held ? '#ffffff' : s.color} stroke={s.color} />
            </g>
          )
        })}
        {overflow.map((o) => (
          <text key={o.key} className="msg-more" x={o.x} y={o.y + 4} textAnchor="middle">
            +{o.n}
          </text>
        ))}
        {ckVisible ? (
          <g
            className="ckpt-marker"
            data-testid={`stream.${h}.ckptMarker`}
            data-pos={ck.pos}
            style={{ transform: `translate(${ckX}px, ${ckY}px)` }}
          >
            <title>{`Checkpoint message at ${comps[ck.pos]?.name ?? ck.pos}, going ${ck.dir === 0 ? 'down the write side' : 'back up'}: the only message allowed to move while frozen`}</title>
            <rect x={-34} y={-8} width={68} height={16} rx={4} />
            <text y={4} textAnchor="middle">
              {ck.dir === 0 ? 'CKPT ↓' : 'CKPT ↑'}
            </text>
          </g>
        ) : null}
      </svg>
      <p id={descId} className="visually-hidden" data-testid={`stream.${h}.summary`}>
        {summary}
      </p>
    </div>
  )
}

function Row({
  label,
  sub,
  top,
  bw,
}: {
  readonly label: string
  readonly sub: string
  readonly top: number
  readonly bw: number
}) {
  return (
    <g className="chain-row chain-row-outside">
      <rect className="chain-box" x={BOX_X} y={top} width={BOX_W} height={bw} rx={6} />
      <text x={BOX_X + BOX_W / 2} y={top + 17} textAnchor="middle" className="chain-name">
        {label}
      </text>
      <text x={BOX_X + BOX_W / 2} y={top + 31} textAnchor="middle" className="chain-sub">
        {sub.length > 22 ? `${sub.slice(0, 21)}…` : sub}
      </text>
    </g>
  )
}

function WaterMarks({ q, x0, x1, yy }: { q: QueueView; x0: number; x1: number; yy: number }) {
  const max = Math.max(q.hiwat * 1.25, q.count, 1)
  const sx = scaleLinear().domain([0, max]).range([x0, x1])
  const fillW = Math.max(0, sx(Math.min(q.count, max)) - x0)
  return (
    <g className={`watermarks${q.full ? ' wm-full' : ''}`}>
      <title>{`${q.count} B queued; high-water mark ${q.hiwat} B, low-water mark ${q.lowat} B${q.full ? ' — QFULL: writers wait' : ''}`}</title>
      <rect className="wm-track" x={x0} y={yy} width={x1 - x0} height={5} />
      <rect className="wm-fill" x={x0} y={yy} width={fillW} height={5} />
      <line className="wm-hi" x1={sx(q.hiwat)} x2={sx(q.hiwat)} y1={yy - 3} y2={yy + 8} />
      <line className="wm-lo" x1={sx(q.lowat)} x2={sx(q.lowat)} y1={yy - 2} y2={yy + 7} />
    </g>
  )
}

function ComponentRow({
  host,
  c,
  top,
  bw,
  frozen,
  ckptActive,
}: {
  readonly host: number
  readonly c: ComponentView
  readonly top: number
  readonly bw: number
  readonly frozen: boolean
  readonly ckptActive: boolean
}) {
  const block = !c.hasBlock || !ckptActive ? 'none' : c.block?.filled ? 'filled' : 'empty'
  const sub =
    c.role === 'head' ? 'stream head' : c.role === 'driver' ? 'driver' : `module ${c.index}`
  return (
    <g
      className={`chain-row chain-${c.role}${frozen ? ' chain-frozen' : ''}${c.fault !== 'none' || !c.checkpointSupport ? ' chain-fault' : ''}`}
      data-testid={componentTestId(host, c)}
      data-frozen={String(frozen)}
      data-block={block}
      data-fault={c.fault}
      data-checkpoint-support={String(c.checkpointSupport)}
      data-wq={c.wq.msgs.length}
      data-rq={c.rq.msgs.length}
    >
      <title>{`${c.name}: ${c.description}`}</title>
      <rect className="chain-box" x={BOX_X} y={top} width={BOX_W} height={bw} rx={6} />
      <text x={BOX_X + 8} y={top + 16} className="chain-name">
        {c.name}
      </text>
      <text x={BOX_X + 8} y={top + 29} className="chain-sub">
        {sub}
        {c.held.length ? ` · holds ${c.held.length}` : ''}
      </text>
      {frozen ? (
        <text x={BOX_X + BOX_W - 6} y={top + 16} textAnchor="end" className="chain-frozen-label">
          frozen
        </text>
      ) : null}
      {c.fault !== 'none' || !c.checkpointSupport ? (
        <text x={BOX_X + BOX_W - 6} y={top + 29} textAnchor="end" className="chain-fault-label">
          {c.fault === 'blockTooSmall' ? '⚠ small blk' : '⚠ no ckpt'}
        </text>
      ) : null}
      {block !== 'none' ? (
        <rect
          className={`chain-block chain-block-${block}`}
          x={BOX_X + BOX_W + 2}
          y={top + 2}
          width={10}
          height={bw - 4}
        >
          <title>{`${c.name}'s block in the checkpoint message: ${block}`}</title>
        </rect>
      ) : null}
      <WaterMarks q={c.wq} x0={10} x1={WQ_RIGHT} yy={top + bw - 6} />
      <WaterMarks q={c.rq} x0={RQ_LEFT} x1={W - 10} yy={top + bw - 6} />
    </g>
  )
}
