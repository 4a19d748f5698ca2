import { scaleLinear } from 'd3'
import { forwardRef, memo, useEffect, useImperativeHandle, useRef, useState } from 'react'
import { eventKindAt, eventTickAt, type EventSeq, type SimEvent } from '../../sim/events'
import { FAULT_KINDS, PHASE_KINDS } from '../../store/breakpointSlice'
import { selectEventVersion, selectReady } from '../../store/selectors'
import { useAppStore, useAppStoreApi, useAppStoreSampled } from '../app/storeContext'
import { COUNTER_EVERY, onLiveFrame } from '../viz/frameLoop'

const HEIGHT = 64
const MARGIN = 12
const BINS = 400
const MAX_MARKERS = 400

/** The cursor's head, a small triangle above the track at x. */
const cursorPath = (x: string) => `M${x},14 m-5,0 l10,0 l-5,6 Z`

/** Shades of the fault strip (a bin's opacity is quantized to one of these). */
const SHADES = 16

const shadeOf = (count: number, max: number) => Math.ceil((SHADES * count) / max)

/** The largest bin (at least 1). */
function maxBin(bins: Uint32Array): number {
  let max = 1
  for (const c of bins) if (c > max) max = c
  return max
}

/** The strip's look as a string, one character per bin: equal strings draw the same strip. */
function levels(bins: Uint32Array): string {
  const max = maxBin(bins)
  return String.fromCharCode(...Array.from(bins, (c) => 48 + shadeOf(c, max)))
}

/**
 * The fault-density strip: one rect per non-empty bin, its shade by its count. `version` says when
 * to draw again (the bins are updated in place).
 */
const FaultStrip = memo(
  function FaultStrip({
    bins,
    binW,
  }: {
    readonly bins: Uint32Array
    readonly binW: number
    readonly version: string
  }) {
    const max = maxBin(bins)
    return (
      <g className="scrubber-faults" data-testid="timeline.faultStrip">
        {Array.from(bins, (c, i) =>
          c ? (
            <rect
              key={i}
              x={MARGIN + i * binW}
              y={44}
              width={Math.max(1, binW)}
              height={10}
              fillOpacity={0.15 + (0.85 * shadeOf(c, max)) / SHADES}
            >
              <title>{`${c} page faults`}</title>
            </rect>
          ) : null,
        )}
      </g>
    )
  },
  (a, b) => a.version === b.version && a.bins === b.bins && a.binW === b.binW,
)

/** Incremental summary of the log: fault counts per bin and the phase events (capped). */
interface Summary {
  events: EventSeq | null
  processed: number
  duration: number
  bins: Uint32Array
  phases: SimEvent[]
}

function freshSummary(duration: number): Summary {
  return { events: null, processed: 0, duration, bins: new Uint32Array(BINS), phases: [] }
}

function update(sum: Summary, events: EventSeq, duration: number): Summary {
  let s = sum
  if (s.events !== events || s.duration !== duration || events.length < s.processed)
    s = freshSummary(duration)
  s.events = events
  for (let i = s.processed; i < events.length; i++) {
    const kind = eventKindAt(events, i)
    if (FAULT_KINDS.has(kind)) {
      const at = eventTickAt(events, i)
      const b = Math.min(BINS - 1, Math.floor((at / Math.max(1, duration)) * BINS))
      s.bins[b] = (s.bins[b] ?? 0) + 1
    } else if (PHASE_KINDS.has(kind) && s.phases.length < MAX_MARKERS)
      s.phases.push(events.at(i) as SimEvent)
  }
  s.processed = events.length
  return s
}

/**
 * The timeline scrubber: the run's ticks [0, durationTicks] on a d3 linear scale; the computed part
 * (up to the frontier) shaded, phase markers, a fault-density strip and the cursor. Click or drag
 * to travel; the arrow keys work as on any slider when it has the focus.
 */
export const Scrubber = forwardRef<SVGSVGElement | null>(function Scrubber(_props, outerRef) {
  const store = useAppStoreApi()
  useAppStoreSampled(selectEventVersion)
  const ready = useAppStore(selectReady)
  const duration = useAppStore((s) => s.scenario?.durationTicks ?? 1)
  const navPending = useAppStore((s) => s.navPending)
  const running = useAppStore((s) => s.running)
  const svgRef = useRef<SVGSVGElement>(null)
  useImperativeHandle(outerRef, () => svgRef.current as SVGSVGElement, [])
  const cursorRef = useRef<SVGGElement>(null)
  const frontierRef = useRef<SVGRectElement>(null)
  const [width, setWidth] = useState(800)
  const summaryRef = useRef<Summary | null>(null)
  const dragging = useRef(false)

  useEffect(() => {
    const el = svgRef.current
    if (!el) return
    const ro = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(200, Math.round(entry.contentRect.width)))
    })
    ro.observe(el)
    return () => ro.disconnect()
  }, [])

  // Re-summarize on every sampled change of the log or navigation (incremental: only new events are
  // scanned), in this render: no second render (and layout) in a later task.
  void navPending
  const summary = (summaryRef.current = update(
    summaryRef.current ?? freshSummary(duration),
    store.getState().world.events(),
    duration,
  ))

  const x = scaleLinear()
    .domain([0, Math.max(1, duration)])
    .range([MARGIN, width - MARGIN])
    .clamp(true)

  // Cursor and frontier follow the live tick outside React.
  useEffect(() => {
    let last = ''
    // Playing, ten moves a second, in the live frames that also rewrite the toolbar's counters
    // (frameLoop.ts): each move costs a style, layout, paint and commit pass of its own (render
    // bench: about 1 ms of every live frame at 30 moves a second). Paused, at once.
    return onLiveFrame(
      () => store.getState().running,
      () => {
        const s = store.getState()
        const tick = s.world.frame().tick
        const frontier = s.world.frontier()
        const key = `${tick}:${frontier}:${width}:${duration}`
        if (key === last) return
        last = key
        // Geometry attributes, not a transform: a changed transform (even a composited one) makes
        // Chromium re-layerize the whole page every frame; new coordinates are only a repaint.
        const cx = x(tick).toFixed(1)
        const cursor = cursorRef.current
        if (cursor) {
          cursor.firstElementChild?.setAttribute('x1', cx)
          cursor.firstElementChild?.setAttribute('x2', cx)
          cursor.lastElementChild?.setAttribute('d', cursorPath(cx))
        }
        frontierRef.current?.setAttribute('width', String(Math.max(0, x(frontier) - MARGIN)))
        const svg = svgRef.current
        if (svg) {
          svg.setAttribute('aria-valuenow', String(tick))
          svg.setAttribute('aria-valuetext', `tick ${tick} of ${duration}`)
          svg.dataset.tick = String(tick)
          svg.dataset.frontier = String(frontier)
        }
      },
      COUNTER_EVERY,
    )
  }, [store, x, width, duration])

  const tickAt = (clientX: number): number => {
    const box = svgRef.current?.getBoundingClientRect()
    if (!box) return 0
    return Math.round(x.invert(clientX - box.left))
  }
  const seek = (tick: number, force: boolean) => {
    const s = store.getState()
    // While dragging, only one seek at a time; the release always seeks.
    if (!force && s.navPending > 0) return
    void s.seekTick(tick)
  }

  const binW = (width - 2 * MARGIN) / BINS

  return (
    <svg
      ref={svgRef}
      className="scrubber"
      data-testid="timeline.scrubber"
      data-duration={duration}
      data-x0={MARGIN}
      data-x1={width - MARGIN}
      width="100%"
      height={HEIGHT}
      role="slider"
      tabIndex={0}
      aria-label="Timeline: click or drag to travel"
      aria-valuemin={0}
      aria-valuemax={duration}
      aria-disabled={!ready}
      onPointerDown={(e) => {
        if (!ready) return
        dragging.current = true
        e.currentTarget.setPointerCapture(e.pointerId)
        seek(tickAt(e.clientX), true)
      }}
      onPointerMove={(e) => {
        if (dragging.current) seek(tickAt(e.clientX), false)
      }}
      onPointerUp={(e) => {
        if (!dragging.current) return
        dragging.current = false
        seek(tickAt(e.clientX), true)
      }}
      onKeyDown={(e) => {
        const s = store.getState()
        const tick = s.world.frame().tick
        const big = Math.max(1, Math.round(duration / 20))
        const to =
          e.key === 'ArrowRight' || e.key === 'ArrowUp'
            ? tick + 1
            : e.key === 'ArrowLeft' || e.key === 'ArrowDown'
              ? tick - 1
              : e.key === 'PageUp'
                ? tick + big
                : e.key === 'PageDown'
                  ? tick - big
                  : null
        if (to === null) return
        e.preventDefault()
        e.stopPropagation()
        void s.seekTick(Math.max(0, to))
      }}
    >
      <title>Timeline</title>
      <rect className="scrubber-track" x={MARGIN} y={18} width={width - 2 * MARGIN} height={22} />
      <rect
        ref={frontierRef}
        className="scrubber-frontier"
        x={MARGIN}
        y={18}
        width={0}
        height={22}
      />
      <FaultStrip
        bins={summary.bins}
        binW={binW}
        // While playing the strip is drawn again only when a bin's shade changes (the bins grow
        // with every fault; their exact counts in the tooltips catch up at each shade change and
        // at once when paused).
        version={`${width}|${running ? levels(summary.bins) : summary.processed}`}
      />
      <g className="scrubber-phases">
        {summary.phases.map((ev) => (
          <line
            key={`${ev.host}-${ev.seq}`}
            data-testid="timeline.phaseMarker"
            data-kind={ev.kind}
            x1={x(ev.tick)}
            x2={x(ev.tick)}
            y1={14}
            y2={42}
          >
            <title>{`${ev.kind} at tick ${ev.tick}`}</title>
          </line>
        ))}
      </g>
      <text className="scrubber-label" x={MARGIN} y={11}>
        0
      </text>
      <text className="scrubber-label" x={width - MARGIN} y={11} textAnchor="end">
        {duration} ticks
      </text>
      <g ref={cursorRef} className="scrubber-cursor">
        <line x1={MARGIN} x2={MARGIN} y1={14} y2={58} />
        <path d={cursorPath(String(MARGIN))} />
      </g>
    </svg>
  )
})
