import { scaleLinear } from 'd3'
import { useEffect, useId, useState } from 'react'
import { describeEvent, type SimEvent } from '../../sim/events'
import { selectEventVersion, selectTick } from '../../store/selectors'
import { useAppStoreSampled } from '../app/storeContext'
import { LinkIndex } from './networkEvents'

/** The newest network events shown are looked for among at most this many events before the tick. */
const SCAN = 20_000
const KEEP = 30
const W = 220
const H = 320
const X_A = 20
/** Room on the right for the time axis labels. */
const X_B = W - 48
const TOP = 96
const BOTTOM = H - 12

const KIND_COLOR: Record<string, string> = {
  'net.lost': '#D55E00',
  'net.retransmit': '#E69F00',
  'net.down': '#000000',
  'net.up': '#009E73',
}

function colorOf(ev: SimEvent): string {
  return KIND_COLOR[ev.kind] ?? '#0072B2'
}

type Scale = (tick: number) => number

/**
 * The marks of the recent events as one shaft path and one arrowhead path per colour: a handful of
 * elements whose `d` changes at each update, instead of an SVG line with a marker and a title per
 * event (30 elements re-laid out, their markers re-resolved and repainted at every update).
 */
function markPaths(
  recent: readonly SimEvent[],
  y: Scale,
): { color: string; shafts: string; heads: string }[] {
  const byColor = new Map<string, { shafts: string[]; heads: string[] }>()
  for (const ev of recent) {
    const color = colorOf(ev)
    let m = byColor.get(color)
    if (!m) byColor.set(color, (m = { shafts: [], heads: [] }))
    const yy = y(ev.tick).toFixed(1)
    const rightwards = ev.host === 0
    const from = rightwards ? X_A : X_B
    const to = rightwards ? X_B - 4 : X_A + 4
    m.shafts.push(`M${from},${yy}H${to}`)
    m.heads.push(`M${to},${yy}l${rightwards ? -6 : 6},-3v6z`)
  }
  return [...byColor].map(([color, m]) => ({
    color,
    shafts: m.shafts.join(''),
    heads: m.heads.join(''),
  }))
}

/** The recent event drawn nearest to height `py` (within 6 units), if any. */
function nearest(recent: readonly SimEvent[], y: Scale, py: number): SimEvent | undefined {
  let best: SimEvent | undefined
  let bestD = 6
  for (const ev of recent) {
    const d = Math.abs(y(ev.tick) - py)
    if (d <= bestD) {
      best = ev
      bestD = d
    }
  }
  return best
}

/**
 * The link between the hosts: one arrow per direction with the link's state, and a sequence strip of
 * the newest network events (time downwards; each mark points from the host that reported it).
 * d3 computes the scale; React renders the few SVG elements; pointing at a mark shows its event.
 * Updated at the store's sampling rate.
 */
export function LinkLane() {
  const tick = useAppStoreSampled(selectTick)
  const markerId = useId().replace(/:/g, '')

  // The log is mutable and outside React; this component re-renders when the sampled tick or the
  // log's version changes (at most every PLAYING_UI_MS while playing), and then reads the log again:
  // the index takes in only the events added since, and the summary is of the events before the
  // tick (after a step back, later events of the log are not shown).
  useAppStoreSampled(selectEventVersion)
  const world = useAppStoreSampled((s) => s.world)
  const [index] = useState(() => new LinkIndex())
  /** The pointer's height over the strip (viewBox units), for the hover readout; null: away. */
  const [pointerY, setPointerY] = useState<number | null>(null)
  useEffect(() => world.subscribe({ reset: () => index.reset() }), [world, index])
  const summary = index.summary(world.events(), tick, KEEP, SCAN)
  const { recent, downUntil } = summary
  const first = recent[0]?.tick ?? tick
  const y = scaleLinear()
    .domain([Math.min(first, tick), Math.max(tick, first + 1)])
    .range([TOP, BOTTOM])
    .clamp(true)
  const ticks = recent.length ? y.ticks(4).filter(Number.isInteger) : []
  const marks = markPaths(recent, y)
  const hovered = pointerY === null ? undefined : nearest(recent, y, pointerY)
  const linkText = downUntil === null ? 'link up' : `link down until tick ${downUntil}`
  const last = recent.at(-1)

  return (
    <section className="link-lane" aria-label="Network link" data-testid="link.lane">
      <h2>Link</h2>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Link between host A and host B: ${linkText}; ${recent.length} recent network events`}
        data-testid="link.svg"
        onPointerMove={(e) => {
          const box = e.currentTarget.getBoundingClientRect()
          setPointerY(box.height > 0 ? ((e.clientY - box.top) / box.height) * H : null)
        }}
        onPointerLeave={() => setPointerY(null)}
      >
        <defs>
          <marker
            id={`${markerId}-arrow`}
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="6"
            markerHeight="6"
            orient="auto-start-reverse"
          >
            <path d="M0,0 L10,5 L0,10 z" fill="context-stroke" />
          </marker>
        </defs>
        <g className={downUntil === null ? 'link-up' : 'link-down'}>
          <line
            x1={X_A}
            y1={24}
            x2={X_B}
            y2={24}
            stroke={downUntil === null ? '#0072B2' : '#999999'}
            strokeWidth={3}
            strokeDasharray={downUntil === null ? undefined : '6 4'}
            markerEnd={`url(#${markerId}-arrow)`}
            data-testid="link.arrow.AB"
          />
          <text x={(X_A + X_B) / 2} y={16} textAnchor="middle" className="lane-label">
            A → B
          </text>
          <line
            x1={X_B}
            y1={52}
            x2={X_A}
            y2={52}
            stroke={downUntil === null ? '#0072B2' : '#999999'}
            strokeWidth={3}
            strokeDasharray={downUntil === null ? undefined : '6 4'}
            markerEnd={`url(#${markerId}-arrow)`}
            data-testid="link.arrow.BA"
          />
          <text x={(X_A + X_B) / 2} y={70} textAnchor="middle" className="lane-label">
            B → A
          </text>
        </g>
        <text x={X_A} y={TOP - 10} textAnchor="middle" className="lane-label">
          A
        </text>
        <text x={X_B} y={TOP - 10} textAnchor="middle" className="lane-label">
          B
        </text>
        <line x1={X_A} y1={TOP} x2={X_A} y2={BOTTOM} stroke="#bbbbbb" />
        <line x1={X_B} y1={TOP} x2={X_B} y2={BOTTOM} stroke="#bbbbbb" />
        {ticks.map((t) => (
          <text key={t} x={W - 2} y={y(t) + 3} textAnchor="end" className="lane-tick">
            {t}
          </text>
        ))}
        <g data-testid="link.events" data-count={recent.length}>
          {marks.map((m) => (
            <g key={m.color}>
              <path
                d={m.shafts}
                stroke={m.color}
                strokeWidth={1.5}
                strokeOpacity={0.85}
                fill="none"
              />
              <path d={m.heads} fill={m.color} />
            </g>
          ))}
          {hovered ? (
            <line
              x1={X_A}
              x2={X_B}
              y1={y(hovered.tick)}
              y2={y(hovered.tick)}
              stroke="#000000"
              strokeOpacity={0.25}
              strokeWidth={7}
              data-testid="link.hovered"
            />
          ) : null}
        </g>
      </svg>
      <p className="lane-hover" data-testid="link.hover">
        {hovered
          ? `tick ${hovered.tick}, host ${hovered.host === 0 ? 'A' : 'B'}: ${describeEvent(hovered)}`
          : recent.length
            ? 'Point at a mark for its event.'
            : '\u00a0'}
      </p>
      <p className="lane-summary" data-testid="link.summary">
        {recent.length === 0
          ? `${linkText}; no network events yet`
          : `${linkText}; ${summary.lost} lost, ${summary.retransmits} retransmitted so far`}
        {last ? `. Latest: tick ${last.tick}, ${describeEvent(last)}` : ''}
      </p>
    </section>
  )
}
