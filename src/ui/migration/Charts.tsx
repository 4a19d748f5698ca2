import { max, scaleBand, scaleLinear } from 'd3'
import { memo, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react'
import { createStore, type StoreApi } from 'zustand/vanilla'
import { selectRunning } from '../../store/selectors'
import { GatePhase, useAppStore, useAppStoreApi, useGateSubscribe } from '../app/storeContext'
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
}) {
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
        </g>
      </svg>
      <ul className="chart-legend">
        {legend.map((l) => (
          <li key={l.label}>
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
    >
      {series.map((s) => (
        <polyline
          key={s.label}
          fill="none"
          stroke={s.color}
          strokeWidth={1.5}
          strokeDasharray={s.dash}
          points={s.points.map(([px, py]) => `${xs(px).toFixed(1)},${ys(py).toFixed(1)}`).join(' ')}
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
    >
      {bins.map((b) => {
        let acc = 0
        return (
          <g key={b.x0}>
            {b.counts.map((c, k) => {
              if (!c) return null
              const y0 = ys(acc)
              acc += c
              const y1 = ys(acc)
              return (
                <rect
                  key={k}
                  x={xs(b.x0)}
                  y={y1}
                  width={bw}
                  height={Math.max(0.5, y0 - y1)}
                  fill={FAULT_COLORS[k]}
                >
                  <title>{`${FAULT_LABELS[k]}: ${c} faults from ${fmt.format((b.x0 * tickUs) / 1000)} ms`}</title>
                </rect>
              )
            })}
          </g>
        )
      })}
    </Frame>
  )
}

function LatencyChart({ d }: { d: MigrationData }) {
  const lat = d.timeline.latency
  // The bins d3 would give over every latency, from the timeline's counts (O(buckets)).
  const { domain, bins } = latencyBins(lat)
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
    >
      {bins.map((b) => (
        <rect
          key={b.x0}
          x={xs(b.x0)}
          y={ys(b.length)}
          width={Math.max(0.5, xs(b.x1) - xs(b.x0) - 1)}
          height={IH - ys(b.length)}
          fill="#D55E00"
        >
          <title>{`${b.length} faults between ${b.x0} and ${b.x1} µs`}</title>
        </rect>
      ))}
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
    >
      {rounds.map((r, i) => (
        <rect key={i} x={xs(i)} y={ys(r)} width={xs.bandwidth()} height={IH - ys(r)} fill="#CC79A7">
          <title>{`round ${i}: ${r} pages`}</title>
        </rect>
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
  const running = useAppStore(selectRunning)
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
