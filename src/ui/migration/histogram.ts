/**
 * The charts' histograms, kept up to date from only the events added since the last update
 * (timeline.ts feeds each event once) in bounded memory, so a redraw costs O(buckets) however many
 * faults the run has had: a 65,536-page run at full speed records tens of thousands, and the charts
 * used to bin every one of them again each second.
 *
 * Counts are kept at a fixed resolution (a power of ten, coarsened tenfold as the range grows) that
 * always divides the display's bin width, so re-binning them for display gives exactly what binning
 * every value would.
 */
import { bisectRight, scaleLinear } from 'd3'

// ---- demand-fault latency (µs) ------------------------------------------------------------------

export interface LatencyHistogram {
  count: number
  /** Largest latency seen (0 when none). */
  max: number
  /**
   * Bucket width (µs): 0 while every latency is below COARSE_FROM (each distinct value is its own
   * bucket), else the largest power of ten with res * COARSE_FROM <= max.
   */
  res: number
  /** Bucket lower bound (the value itself while res is 0) -> count. */
  readonly counts: Map<number, number>
}

/**
 * Coarse buckets only from this maximum on: the chart's thresholds (`ticks(20)` over the niced
 * domain [0, >= max]) are a 1-2-5 step of at least max / 31.7, so a power of ten at most max / 50
 * divides it, and no bucket straddles a threshold. At most about 500 buckets; below it, latencies
 * are multiples of a tick of at least 1 µs, so at most 50 distinct values.
 */
const COARSE_FROM = 50

export function emptyLatencyHistogram(): LatencyHistogram {
  return { count: 0, max: 0, res: 0, counts: new Map() }
}

/** The lower bound of the bucket of width `res` (a whole number) holding `v`. */
function bucketOf(v: number, res: number): number {
  if (res === 0) return v
  let c = Math.floor(v / res)
  // The division may round across a bucket boundary; the products of whole numbers are exact.
  if (c * res > v) c--
  else if ((c + 1) * res <= v) c++
  return c * res
}

export function addLatency(h: LatencyHistogram, v: number): void {
  h.count++
  if (v > h.max) {
    h.max = v
    let res = h.res
    if (v >= COARSE_FROM) {
      res = Math.max(res, 1)
      while (res * 10 * COARSE_FROM <= v) res *= 10
    }
    if (res !== h.res) {
      // Coarser buckets: merge (each old bucket lies inside one new one).
      const old = [...h.counts]
      h.counts.clear()
      for (const [k, n] of old) {
        const b = bucketOf(k, res)
        h.counts.set(b, (h.counts.get(b) ?? 0) + n)
      }
      h.res = res
    }
  }
  const b = bucketOf(v, h.res)
  h.counts.set(b, (h.counts.get(b) ?? 0) + 1)
}

export interface HistogramBin {
  readonly x0: number
  readonly x1: number
  readonly length: number
}

/**
 * The latency chart's domain and bins: what d3 gives for every latency with
 * `scaleLinear().domain([0, max(1, max)]).nice()` and `bin().domain(that).thresholds(ticks(20))`
 * (bins [x0, x1), the last one closed; a value on a threshold goes to the bin it starts).
 */
export function latencyBins(h: LatencyHistogram): {
  readonly domain: readonly [number, number]
  readonly bins: readonly HistogramBin[]
} {
  const xs = scaleLinear()
    .domain([0, Math.max(1, h.count ? h.max : 1)])
    .nice()
  const [x0, x1] = xs.domain() as [number, number]
  // The thresholds inside the domain, as d3's bin keeps them.
  const tz = xs.ticks(20).filter((t) => t > x0 && t <= x1)
  const lengths = Array.from({ length: tz.length + 1 }, () => 0)
  for (const [k, n] of h.counts) {
    if (k < x0 || k > x1) continue
    const i = bisectRight(tz, k)
    lengths[i] = (lengths[i] as number) + n
  }
  const bins = lengths.map((length, i) => ({
    x0: i > 0 ? (tz[i - 1] as number) : x0,
    x1: i < tz.length ? (tz[i] as number) : x1,
    length,
  }))
  return { domain: [x0, x1], bins }
}

// ---- faults over time (ticks) -------------------------------------------------------------------

/** Bars of the faults chart: at most this many, each a 1-2-5 number of ticks wide. */
export const FAULT_BARS = 40
/** Buckets per kind at most (the resolution grows tenfold when the run outgrows them). */
const FAULT_BUCKETS = 10 * FAULT_BARS

export interface FaultHistogram {
  /** Ticks per bucket: a power of ten, at most the display's bar width. */
  res: number
  /** Per fault kind: counts per bucket of `res` ticks from tick 0. */
  readonly counts: number[][]
  /** Per fault kind: every fault counted. */
  readonly totals: number[]
}

export function emptyFaultHistogram(kinds: number): FaultHistogram {
  return {
    res: 1,
    counts: Array.from({ length: kinds }, () => []),
    totals: Array.from({ length: kinds }, () => 0),
  }
}

/**
 * Makes room for ticks before `upTo` (call before adding faults up to it, with the chart's upTo):
 * keeps upTo <= FAULT_BUCKETS * res, so a bar (upTo / FAULT_BARS wide or more, 1-2-5) is a whole
 * number of buckets.
 */
export function spanFaults(h: FaultHistogram, upTo: number): void {
  while (upTo > FAULT_BUCKETS * h.res) {
    for (const list of h.counts) {
      const merged: number[] = []
      for (let i = 0; i < list.length; i++) {
        const j = Math.floor(i / 10)
        merged[j] = (merged[j] ?? 0) + (list[i] ?? 0)
      }
      list.length = 0
      list.push(...merged)
    }
    h.res *= 10
  }
}

export function addFault(h: FaultHistogram, kind: number, tick: number): void {
  const list = h.counts[kind]
  if (!list) return
  const i = Math.floor(tick / h.res)
  // Fill the gap with zeros (no holes: the array stays packed).
  while (list.length <= i) list.push(0)
  list[i] = (list[i] as number) + 1
  h.totals[kind] = (h.totals[kind] ?? 0) + 1
}

/** The smallest 1-2-5 number of ticks at least `ticks` (the bar width: a round number of ms). */
export function niceBarTicks(ticks: number): number {
  let p = 1
  for (;;) {
    for (const f of [1, 2, 5]) if (f * p >= ticks) return f * p
    p *= 10
  }
}

export interface FaultBar {
  /** First tick of the bar. */
  readonly x0: number
  /** Faults per kind in [x0, x0 + width). */
  readonly counts: readonly number[]
}

/**
 * The faults chart's bars over [0, upTo): `width` ticks each (the smallest 1-2-5 number with at
 * most FAULT_BARS bars), as many as cover upTo.
 */
export function faultBars(
  h: FaultHistogram,
  upTo: number,
): { readonly width: number; readonly bars: readonly FaultBar[] } {
  const span = Math.max(1, upTo)
  const width = Math.max(niceBarTicks(Math.ceil(span / FAULT_BARS)), h.res)
  const n = Math.ceil(span / width)
  const per = width / h.res
  const bars = Array.from({ length: n }, (_, i) => ({
    x0: i * width,
    counts: h.counts.map((list) => {
      let c = 0
      const end = Math.min(list.length, (i + 1) * per)
      for (let j = i * per; j < end; j++) c += list[j] as number
      return c
    }),
  }))
  return { width, bars }
}
