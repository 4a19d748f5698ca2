import { max, scaleBand, scaleLinear } from 'd3'
import { memo, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react'
import { createStore, type StoreApi } from 'zustand/vanilla'
import { selectRunning } from '../../store/selectors'
import {
  GatePhase,
  useAppStore,
  useAppStoreApi,
  useAppStoreSampled,
  useGateSubscribe,
} from '../app/storeContext'
import { PHASE, uiGateOf } from '../app/uiGate'
import { migrationStore, useMigration, type MigrationData, type Sample } from './store'
import { faultBars, latencyBins, type FaultBar } from './histogram'
import { FAULT_KINDS } from './timeline'

const CHART_INTERVAL_MS = 1000
const W = 300
const H = 150
const M = { top: 8, right: 8, bottom: 30, left: 46 }
const IW = W - M.left - M.right
const IH = H - M.top - M.bottom

const FAULT_COLORS = ['#D55E00', '#009E73', '#F0E442', '#56B4E9']
const FAULT_LABELS = ['network', 'minor', 'zero-fill', 'local copy']

const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 })
const short = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 })

interface Series {
  readonly label: string
  readonly color: string
  readonly dash?: string
  readonly points: readonly (readonly [number, number])[]
}

/** The chart's readout for the pointer's position, and the plot band it is about. */
interface Hover {
  readonly text: string
  readonly x0: number
  readonly x1: number
}

/** At most this many points per drawn line (the plot is IW = 246 units wide). */
const MAX_LINE_POINTS = 2 * IW

/** Every n-th point (and the last) when there are more than `limit`: the polyline the plot can show. */
function thinned<T>(points: readonly T[], limit = MAX_LINE_POINTS): readonly T[] {
  if (points.length <= limit) return points
  const step = Math.ceil(points.length / limit)
  const out: T[] = []
  for (let i = 0; i < points.length; i += step) out.push(points[i] as T)
  if ((points.length - 1) % step !== 0) out.push(points[points.length - 1] as T)
  return out
}

/** Index of the last entry of the ascending `xs` at or before `x` (0 if none). */
function indexAtOrBefore(xs: readonly (readonly [number, number])[], x: number): number {
  let lo = 0
  let hi = xs.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((xs[mid] as readonly [number, number])[0] <= x) lo = mid + 1
    else hi = mid
  }
  return Math.max(0, lo - 1)
}

/** Bars of one colour as one path (a rectangle subpath each). */
function barsPath(bars: readonly { x: number; y: number; w: number; h: number }[]): string {
  return bars
    .map(
      (b) =>
        `M${b.x.toFixed(1)},${b.y.toFixed(1)}h${b.w.toFixed(1)}v${b.h.toFixed(1)}h${(-b.w).toFixed(1)}z`,
    )
    .join('')
}

function Frame({
  id,
  title,
  xLabel,
  yLabel,
  x,
  y,
  legend,
  children,
  summary,
  hover,
}: {
  id: string
  title: string
  xLabel: string
  yLabel: string
  x: { ticks: number[]; pos: (v: number) => number; fmt?: (v: number) => string }
  y: { ticks: number[]; pos: (v: number) => number }
  legend: readonly { label: string; color: string }[]
  children: ReactNode
  summary: string
  /** What is under the pointer at plot x (0..IW): the readout's text and the band to highlight. */
  hover?: (plotX: number) => Hover | null
}) {
  // The pointer's x over the plot (plot units), for the readout under the chart: one tooltip for the
  // whole chart instead of an SVG title per bar (hundreds of elements rebuilt at every redraw).
  const [pointerX, setPointerX] = useState<number | null>(null)
  const hovered = pointerX === null || !hover ? null : hover(pointerX)
  return (
    <figure className="chart" data-testid={`chart.${id}`}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title}. ${summary}`}>
        <g transform={`translate(${M.left},${M.top})`}>
          {y.ticks.map((t) => (
            <g key={`y${t}`} transform={`translate(0,${y.pos(t)})`}>
              <line x2={IW} stroke="#e4e4e0" />
              <text x={-4} dy="0.32em" textAnchor="end" fontSize={9}>
                {short.format(t)}
              </text>
            </g>
          ))}
          {children}
          {hovered ? (
            <rect
              x={hovered.x0}
              width={Math.max(1, hovered.x1 - hovered.x0)}
              height={IH}
              fill="#000000"
              fillOpacity={0.1}
              pointerEvents="none"
              data-testid={`chart.${id}.highlight`}
            />
          ) : null}
          <line y1={IH} y2={IH} x2={IW} stroke="#888" />
          {x.ticks.map((t) => (
            <text key={`x${t}`} x={x.pos(t)} y={IH + 11} textAnchor="middle" fontSize={9}>
              {x.fmt ? x.fmt(t) : short.format(t)}
            </text>
          ))}
          <text x={IW / 2} y={IH + 24} textAnchor="middle" fontSize={9} fill="#555">
            {xLabel}
          </text>
          <text
            transform={`translate(${-36},${IH / 2}) rotate(-90)`}
            textAnchor="middle"
            fontSize={9}
            fill="#555"
          >
            {yLabel}
          </text>
          {hover ? (
            <rect
              className="chart-pointer"
              width={IW}
              height={IH}
              fill="transparent"
              onPointerMove={(e) => {
                const box = e.currentTarget.getBoundingClientRect()
                setPointerX(box.width > 0 ? ((e.clientX - box.left) / box.width) * IW : null)
              }}
              onPointerLeave={() => setPointerX(null)}
            />
          ) : null}
        </g>
      </svg>
      {hover ? (
        <p className="chart-hover" data-testid={`chart.${id}.hover`}>
          {hovered?.text ?? 'Point at the chart for its values.'}
        </p>
      ) : null}
      <ul className="chart-legend">
        {legend.map((l, i) => (
          // By position: labels carry live totals, and a new key would replace the item each redraw.
          <li key={i}>
            <span className="swatch" style={{ background: l.color }} aria-hidden="true" />
            {l.label}
          </li>
        ))}
      </ul>
    </figure>
  )
}

function LineChart({
  id,
  title,
  xLabel,
  yLabel,
  series,
  xMax,
}: {
  id: string
  title: string
  xLabel: string
  yLabel: string
  series: readonly Series[]
  xMax: number
}) {
  const yMax = Math.max(1, max(series.flatMap((s) => s.points.map((p) => p[1]))) ?? 1)
  const xs = scaleLinear()
    .domain([0, Math.max(1, xMax)])
    .range([0, IW])
  const ys = scaleLinear().domain([0, yMax]).nice().range([IH, 0])
  const last = series
    .map((s) => `${s.label} ${fmt.format(s.points[s.points.length - 1]?.[1] ?? 0)}`)
    .join(', ')
  const hover = (px: number): Hover | null => {
    const drawn = series.filter((s) => s.points.length)
    const first = drawn[0]
    if (!first) return null
    // The sample nearest the pointer on the first line; every line's value at that sample's x.
    const at = first.points[indexAtOrBefore(first.points, xs.invert(px))] as readonly [
      number,
      number,
    ]
    const values = drawn.map((s) => {
      const p = s.points[indexAtOrBefore(s.points, at[0])] as readonly [number, number]
      return `${s.label} ${fmt.format(p[1])}`
    })
    const x = xs(at[0])
    return { text: `${xLabel} ${fmt.format(at[0])}: ${values.join(', ')}`, x0: x - 1, x1: x + 1 }
  }
  return (
    <Frame
      id={id}
      title={title}
      xLabel={xLabel}
      yLabel={yLabel}
      x={{ ticks: xs.ticks(4), pos: xs }}
      y={{ ticks: ys.ticks(4), pos: ys }}
      legend={series}
      summary={`Latest: ${last}.`}
      hover={hover}
    >
      {series.map((s) => (
        <polyline
          key={s.label}
          fill="none"
          stroke={s.color}
          strokeWidth={1.5}
          strokeDasharray={s.dash}
          points={thinned(s.points)
            .map(([px, py]) => `${xs(px).toFixed(1)},${ys(py).toFixed(1)}`)
            .join(' ')}
        >
          <title>{`${s.label}: ${fmt.format(s.points[s.points.length - 1]?.[1] ?? 0)}`}</title>
        </polyline>
      ))}
    </Frame>
  )
}

function FaultsChart({ tickUs, d }: { tickUs: number; d: MigrationData }) {
  const tl = d.timeline
  // Bars re-binned from the timeline's counts: O(bars), whatever the number of faults.
  const { bars: bins, width } = faultBars(tl.faults, tl.upTo)
  const widthUs = width * tickUs
  const total = (b: FaultBar) => b.counts.reduce((a, c) => a + c, 0)
  const yMax = Math.max(1, max(bins, total) ?? 1)
  const xs = scaleLinear()
    .domain([0, bins.length * width])
    .range([0, IW])
  const ys = scaleLinear().domain([0, yMax]).nice().range([IH, 0])
  const bw = Math.max(1, xs(width) - xs(0) - 1)
  const totals = tl.faults.totals
  return (
    <Frame
      id="faults"
      title={`Page faults per ${fmt.format(widthUs / 1000)} ms`}
      xLabel="simulated time (ms)"
      yLabel="faults"
      x={{ ticks: xs.ticks(4), pos: xs, fmt: (t) => fmt.format((t * tickUs) / 1000) }}
      y={{ ticks: ys.ticks(4), pos: ys }}
      legend={FAULT_LABELS.map((l, i) => ({
        label: `${l} (${totals[i] ?? 0})`,
        color: FAULT_COLORS[i] ?? '#000',
      }))}
      summary={FAULT_KINDS.map((k, i) => `${k} ${totals[i] ?? 0}`).join(', ')}
      hover={(px) => {
        const b = bins.find((bar) => px >= xs(bar.x0) && px < xs(bar.x0) + bw + 1)
        if (!b) return null
        const from = fmt.format((b.x0 * tickUs) / 1000)
        const to = fmt.format(((b.x0 + width) * tickUs) / 1000)
        const parts = FAULT_LABELS.map((l, k) => `${l} ${b.counts[k] ?? 0}`).join(', ')
        return {
          text: `${from}–${to} ms: ${total(b)} faults (${parts})`,
          x0: xs(b.x0),
          x1: xs(b.x0) + bw,
        }
      }}
    >
      {FAULT_COLORS.map((color, k) => {
        // One path per kind of fault: the bars' stacked segments of that kind.
        const segments = []
        for (const b of bins) {
          let below = 0
          for (let j = 0; j < k; j++) below += b.counts[j] ?? 0
          const c = b.counts[k] ?? 0
          if (!c) continue
          const y0 = ys(below)
          const y1 = ys(below + c)
          segments.push({ x: xs(b.x0), y: y1, w: bw, h: Math.max(0.5, y0 - y1) })
        }
        return (
          <path
            key={color}
            d={barsPath(segments)}
            fill={color}
            data-testid="chart.faults.bars"
            data-bars={segments.length}
          />
        )
      })}
    </Frame>
  )
}

function LatencyChart({ d }: { d: MigrationData }) {
  const lat = d.timeline.latency
  // The bins d3 would give over every latency, from the timeline's counts (O(buckets)).
  const { domain, bins } = latencyBins(lat)
  const filled = bins.filter((b) => b.length > 0)
  const xs = scaleLinear()
    .domain([...domain])
    .range([0, IW])
  const ys = scaleLinear()
    .domain([0, Math.max(1, max(bins, (b) => b.length) ?? 1)])
    .nice()
    .range([IH, 0])
  return (
    <Frame
      id="latency"
      title="Demand fault latency"
      xLabel="latency (µs)"
      yLabel="faults"
      x={{ ticks: xs.ticks(4), pos: xs }}
      y={{ ticks: ys.ticks(4), pos: ys }}
      legend={[{ label: `network faults served (${lat.count})`, color: '#D55E00' }]}
      summary={`${lat.count} demand faults served.`}
      hover={(px) => {
        const b = bins.find((bin) => px >= xs(bin.x0) && px < xs(bin.x1))
        return b
          ? { text: `${b.x0}–${b.x1} µs: ${b.length} faults`, x0: xs(b.x0), x1: xs(b.x1) }
          : null
      }}
    >
      <path
        d={barsPath(
          filled.map((b) => ({
            x: xs(b.x0),
            y: ys(b.length),
            w: Math.max(0.5, xs(b.x1) - xs(b.x0) - 1),
            h: IH - ys(b.length),
          })),
        )}
        fill="#D55E00"
        data-testid="chart.latency.bars"
        data-bars={filled.length}
      />
    </Frame>
  )
}

const CAT_GROUPS: readonly { label: string; color: string; cats: readonly number[] }[] = [
  { label: 'eager (pinned, non-private, hot)', color: '#000000', cats: [1, 2, 3] },
  { label: 'on demand', color: '#D55E00', cats: [4, 5] },
  { label: 'background / prefetch', color: '#0072B2', cats: [6, 7] },
  { label: 'pre-copy', color: '#CC79A7', cats: [8] },
  { label: 'stop-and-copy', color: '#E69F00', cats: [9] },
]

function series(samples: readonly Sample[], f: (s: Sample) => number): [number, number][] {
  return samples.map((s) => [s.tick, f(s)])
}

const NO_ROUNDS: readonly number[] = []

function PrecopyChart({ d }: { d: MigrationData }) {
  const rounds = d.summaries?.[0].roundPages ?? NO_ROUNDS
  if (!rounds.length) return null
  const xs = scaleBand<number>()
    .domain(rounds.map((_, i) => i))
    .range([0, IW])
    .padding(0.2)
  const ys = scaleLinear()
    .domain([0, Math.max(1, max(rounds) ?? 1)])
    .nice()
    .range([IH, 0])
  return (
    <Frame
      id="precopy"
      title="Pre-copy: pages sent per round"
      xLabel="round"
      yLabel="pages"
      x={{
        ticks: rounds.map((_, i) => i).filter((i) => rounds.length < 12 || i % 5 === 0),
        pos: (i) => (xs(i) ?? 0) + xs.bandwidth() / 2,
        fmt: String,
      }}
      y={{ ticks: ys.ticks(4), pos: ys }}
      legend={[{ label: 'pages per round', color: '#CC79A7' }]}
      summary={rounds.map((r, i) => `round ${i}: ${r}`).join(', ')}
      hover={(px) => {
        const i = Math.floor(px / xs.step())
        const r = rounds[i]
        if (r === undefined) return null
        const x0 = xs(i) ?? 0
        return { text: `round ${i}: ${r} pages`, x0, x1: x0 + xs.bandwidth() }
      }}
    >
      {rounds.map((r, i) => (
        <rect
          key={i}
          x={xs(i)}
          y={ys(r)}
          width={xs.bandwidth()}
          height={IH - ys(r)}
          fill="#CC79A7"
        />
      ))}
    </Frame>
  )
}

/** The migration data the charts show: a snapshot taken at most once a second while playing. */
type ChartData = StoreApi<MigrationData>

function useChartData(snap: ChartData): MigrationData {
  return useSyncExternalStore(useGateSubscribe(), snap.getState)
}

// Memoized: each re-renders for a new snapshot in its own gate phase, not with the panel.
const Faults = memo(function Faults({ snap }: { snap: ChartData }) {
  const d = useChartData(snap)
  const tickUs = useAppStore((s) => s.scenario?.tickUs ?? 10)
  return <FaultsChart tickUs={tickUs} d={d} />
})

const Transfer = memo(function Transfer({ snap }: { snap: ChartData }) {
  const d = useChartData(snap)
  const cats = CAT_GROUPS.map((g) => ({
    label: g.label,
    color: g.color,
    points: series(d.samples, (s) => g.cats.reduce((a, c) => a + (s.catPages[c] ?? 0), 0)),
  })).filter((s) => s.points.some((p) => p[1] > 0))
  return (
    <LineChart
      id="transfer"
      title="Pages transferred (cumulative)"
      xLabel="tick"
      yLabel="pages"
      xMax={d.tick}
      series={cats.length ? cats : [{ label: 'nothing sent yet', color: '#999', points: [] }]}
    />
  )
})

const Latency = memo(function Latency({ snap }: { snap: ChartData }) {
  return <LatencyChart d={useChartData(snap)} />
})

const Progress = memo(function Progress({ snap }: { snap: ChartData }) {
  const d = useChartData(snap)
  const apt = useAppStore((s) => s.scenario?.migration?.workload.accessesPerTick ?? 0)
  return (
    <>
      <LineChart
        id="progress"
        title="Workload progress vs no migration"
        xLabel="tick"
        yLabel="accesses"
        xMax={d.tick}
        series={[
          {
            label: 'with migration',
            color: '#0072B2',
            points: series(d.samples, (s) => s.accesses),
          },
          {
            label: 'no-migration reference',
            color: '#999999',
            dash: '4 3',
            points: series(d.samples, (s) => s.tick * apt),
          },
        ]}
      />
      <PrecopyChart d={d} />
    </>
  )
})

/**
 * Charts of the run (d3 scales, SVG), updated at the pump's rate. While playing they redraw once a
 * second (their SVG is costly to compute, lay out and paint), each chart in its own UI gate phase
 * (four frames); paused or stepping, at every update.
 */
export function Charts() {
  const store = useAppStoreApi()
  // Through the UI gate: the switch to paused is handled in a panel frame, not in the Pause click.
  const running = useAppStoreSampled(selectRunning)
  const version = useMigration((m) => m.timelineVersion)
  const [snap] = useState<ChartData>(() => createStore(() => migrationStore.getState()))
  uiGateOf(store).watch(snap)
  const last = useRef(0)
  useEffect(() => {
    const wait = running ? Math.max(0, CHART_INTERVAL_MS - (performance.now() - last.current)) : 0
    const t = setTimeout(() => {
      last.current = performance.now()
      snap.setState(migrationStore.getState(), true)
    }, wait)
    return () => clearTimeout(t)
  }, [version, running, snap])
  return (
    <section className="mig-panel charts" aria-label="Migration charts" data-testid="charts">
      <h2>Charts</h2>
      <div className="chart-grid">
        <GatePhase phase={PHASE.chartFaults}>
          <Faults snap={snap} />
        </GatePhase>
        <GatePhase phase={PHASE.chartTransfer}>
          <Transfer snap={snap} />
        </GatePhase>
        <GatePhase phase={PHASE.chartLatency}>
          <Latency snap={snap} />
        </GatePhase>
        <GatePhase phase={PHASE.chartProgress}>
          <Progress snap={snap} />
        </GatePhase>
      </div>
    </section>
  )
}
