import { scaleSqrt, select } from 'd3'
import { useEffect, useRef } from 'react'
import { eventFieldAt, eventKindAt, eventTickAt, type SimEventOf } from '../../sim/events'
import { MESSAGE_KINDS, MESSAGES } from '../../sim/messages'
import { useAppStoreApi } from '../app/storeContext'
import { COUNTER_EVERY, isNthLiveFrame, onLiveFrame } from '../viz/frameLoop'
import { useMigration } from './store'
import { cutAt } from './timeline'

const W = 900
const H = 120
const X_A = 60
const X_B = W - 60
const Y_AB = 40
const Y_BA = 86
/** Messages drawn at most (the newest in flight). */
const MAX_SHOWN = 48
/** Messages are looked for among those sent at most this many ticks before the shown tick. */
const LOOKBACK_TICKS = 2000
/** Ticks between two draws beyond which the lane draws only with the counters (see below). */
const FAST_TICKS = 100

const KIND_COLOR: Record<string, string> = {
  'mig.checkpoint': '#000000',
  'page.reply': '#D55E00',
  'page.eager': '#009E73',
  'page.push': '#0072B2',
  'page.precopy': '#CC79A7',
  'page.request': '#E69F00',
  'mig.resumed': '#56B4E9',
  'mig.done': '#56B4E9',
}

interface InFlight {
  readonly key: string
  readonly from: 0 | 1
  readonly sent: number
  readonly deliverAt: number
  readonly kind: string
  readonly label: string
  readonly bytes: number
}

const size = scaleSqrt().domain([0, 65536]).range([3, 14]).clamp(true)
const kib = (b: number) => (b >= 1024 ? `${(b / 1024).toFixed(b >= 10240 ? 0 : 1)} KiB` : `${b} B`)

/**
 * The network lane: every message on the link drawn between the hosts as it travels (from the
 * `net.sent` events: sender, kind, bytes, delivery tick), sized by its bytes and labelled by kind,
 * moving each animation frame with the hosts' live tick; plus each direction's use and queue.
 */
export function NetworkLane() {
  const store = useAppStoreApi()
  const gRef = useRef<SVGGElement>(null)
  const links = useMigration((d) => d.links)

  useEffect(() => {
    const g = gRef.current
    if (!g) return
    const root = select(g)
    let cursor = 0
    let lastTick = -1
    let lastLen = 0
    let flying: InFlight[] = []
    // Playing, 30 updates a second are smooth enough for the lane and halve its layout and paint
    // work (on the live frames, not those that carry the panels' updates: frameLoop.ts); ten when
    // the run is too fast for any flight to be seen (below).
    const playing = () => store.getState().running
    return onLiveFrame(playing, (_now, frame) => {
      const world = store.getState().world
      const tick = world.frame().tick
      const events = world.events()
      if (tick === lastTick && events.length === lastLen) return
      // So fast that every message crosses the link between two frames: the lane shows a new
      // set of messages each time, not their flight. It then draws with the counters (ten times
      // a second, in their frames) rather than on every live frame.
      if (playing() && tick - lastTick > FAST_TICKS && !isNthLiveFrame(frame, COUNTER_EVERY)) return
      if (tick < lastTick || events.length < lastLen) {
        // Went back in time or a new run: start again from a little before the tick.
        flying = []
        cursor = cutAt(events, Math.max(0, tick - LOOKBACK_TICKS))
      } else if (cursor < events.length && eventTickAt(events, cursor) < tick - LOOKBACK_TICKS) {
        // A jump forward (travel, run to the end, full speed): skip to the same window instead of
        // reading every event in between (a binary search, not a scan of the jump).
        cursor = Math.max(cursor, cutAt(events, tick - LOOKBACK_TICKS))
      }
      lastTick = tick
      lastLen = events.length
      for (; cursor < events.length; cursor++) {
        if (eventTickAt(events, cursor) >= tick) break
        // Only messages still on the wire are drawn; already delivered ones (at full speed most
        // are) and other events are skipped on the log's columns, with no event made for them.
        if (eventKindAt(events, cursor) !== 'net.sent') continue
        if ((eventFieldAt(events, cursor, 'deliverAt') as number) <= tick) continue
        const ev = events.at(cursor) as SimEventOf<'net.sent'>
        const kind = MESSAGE_KINDS[ev.msgKind] ?? 'message'
        const spec = MESSAGES[kind as keyof typeof MESSAGES] as { label?: string } | undefined
        flying.push({
          // Everything drawn once per message is in the key, so a key always means the same look
          // (even across runs that reuse sequence numbers).
          key: `${ev.host}:${ev.msgSeq}:${ev.tick}:${ev.deliverAt}:${ev.msgKind}:${ev.wireBytes}`,
          from: ev.host,
          sent: ev.tick,
          deliverAt: ev.deliverAt,
          kind,
          label: spec?.label ?? kind,
          bytes: ev.wireBytes,
        })
      }
      flying = flying.filter((m) => m.deliverAt > tick)
      if (flying.length > 4 * MAX_SHOWN) flying = flying.slice(flying.length - MAX_SHOWN)
      const shown = flying.slice(Math.max(0, flying.length - MAX_SHOWN))
      const sel = root
        .selectAll<SVGGElement, InFlight>('g.msg')
        .data(shown, (d) => d.key)
        .join((enter) => {
          // What does not change while a message flies (kind, size, label, title) is set once, on
          // enter: re-setting a text replaces its text node and lays it out again.
          const e = enter
            .append('g')
            .attr('class', 'msg')
            .attr('data-testid', 'lane.message')
            .attr('data-kind', (d) => d.kind)
          // Drawn around the group's origin: each frame moves a message with one attribute
          // (the group's transform) instead of the circle's and the label's four coordinates.
          e.append('circle')
            .attr('r', (d) => size(d.bytes))
            .attr('fill', (d) => KIND_COLOR[d.kind] ?? '#777777')
            .attr('fill-opacity', 0.8)
          e.append('text')
            .attr('font-size', 9)
            .attr('text-anchor', 'middle')
            .attr('y', (d) => (d.from === 0 ? -size(d.bytes) - 2 : size(d.bytes) + 9))
            .text((d) => `${d.label} ${kib(d.bytes)}`)
          e.append('title').text(
            (d) =>
              `${d.label}: ${d.bytes} B, sent at tick ${d.sent}, arrives at tick ${d.deliverAt}`,
          )
          return e
        })
      // One SVG transform attribute per message (not a CSS transform, which would make Chromium
      // re-layerize the page): a repaint of the lane only.
      const xOf = (d: InFlight) => {
        const f = Math.min(1, Math.max(0, (tick - d.sent) / Math.max(1, d.deliverAt - d.sent)))
        return (d.from === 0 ? X_A + f * (X_B - X_A) : X_B - f * (X_B - X_A)).toFixed(1)
      }
      sel.attr('transform', (d) => `translate(${xOf(d)},${d.from === 0 ? Y_AB : Y_BA})`)
    })
  }, [store])

  const dir = (i: 0 | 1) => {
    const l = links?.[i]
    if (!l) return ''
    const use = l.bytesPerTick > 0 ? '' : ''
    return `${l.down ? 'DOWN · ' : ''}queue ${l.queuedMessages} msgs (${kib(l.queuedBytes)}) · sent ${l.messages} msgs, ${kib(l.bytes)}${l.retransmits ? ` · ${l.retransmits} retransmitted` : ''}${use}`
  }
  return (
    <section className="mig-panel network-lane" aria-label="Network lane" data-testid="lane">
      <h2>Network lane</h2>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Messages on the link. A to B: ${dir(0)}. B to A: ${dir(1)}.`}
      >
        <text x={X_A - 10} y={H / 2} textAnchor="end" fontWeight={600}>
          A
        </text>
        <text x={X_B + 10} y={H / 2} fontWeight={600}>
          B
        </text>
        <line
          x1={X_A}
          x2={X_B}
          y1={Y_AB}
          y2={Y_AB}
          stroke={links?.[0].down ? '#999' : '#bbb'}
          strokeDasharray={links?.[0].down ? '6 4' : undefined}
        />
        <line
          x1={X_A}
          x2={X_B}
          y1={Y_BA}
          y2={Y_BA}
          stroke={links?.[1].down ? '#999' : '#bbb'}
          strokeDasharray={links?.[1].down ? '6 4' : undefined}
        />
        <text x={X_A} y={Y_AB - 18} fontSize={10} fill="#555">
          A → B
        </text>
        <text x={X_A} y={Y_BA + 22} fontSize={10} fill="#555">
          B → A
        </text>
        <g ref={gRef} />
      </svg>
      <p className="muted" data-testid="lane.AB">
        A → B: {dir(0) || '—'}
      </p>
      <p className="muted" data-testid="lane.BA">
        B → A: {dir(1) || '—'}
      </p>
      <ul className="chart-legend">
        {Object.entries(KIND_COLOR).map(([k, c]) => (
          <li key={k}>
            <span className="swatch" style={{ background: c }} aria-hidden="true" />
            {(MESSAGES[k as keyof typeof MESSAGES] as { label?: string } | undefined)?.label ?? k}
          </li>
        ))}
      </ul>
    </section>
  )
}
