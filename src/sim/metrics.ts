/**
 * Per-run metrics of a migration, computed from the two hosts' final states (read by the runner,
 * outside the hosts) plus the reference run. The report is plain JSON: the CLI prints it, the UI
 * shows it, parity tests compare it.
 */

export interface Amount {
  pages: number
  bytes: number
}

export interface MigrationReport {
  scenario: string
  seed: number
  strategy: string
  prepaging: string
  pages: number
  pageSize: number
  arrivalPageSize: number
  tickUs: number
  ticks: number
  /** Interrupt on A -> resume on B; -1 when the process never resumed on B. */
  downtimeUs: number
  /** Command -> every page resident on B; -1 when not complete. */
  totalMigrationUs: number
  /** Command -> host A released; -1 when not released. */
  sourceReleasedUs: number
  commandTick: number
  transfer: {
    checkpoint: Amount
    pinned: Amount
    nonPrivate: Amount
    hot: Amount
    demand: Amount
    proximal: Amount
    prefetch: Amount
    background: Amount
    precopy: Amount
    stopcopy: Amount
    requests: { messages: number; bytes: number }
    duplicates: Amount
    retransmits: { messages: number; bytes: number }
    /** Every byte on the wire, both directions, retransmissions included. */
    totalBytes: number
  }
  precopy: { rounds: number; roundPages: number[]; stopReason: number } | undefined
  faults: {
    network: number
    minor: number
    zeroFill: number
    localCopy: number
    localPageIn: number
    /** Hines's pre-paging score: minor / (minor + network). */
    prepagingScore: number
  }
  faultLatencyUs: { p50: number; p95: number; max: number; count: number }
  workload: {
    kind: string
    accesses: number
    accessesAtInterrupt: number
    referenceAccesses: number
    distinctPages: number
    progressVsReference: number
  }
  target: {
    mappedPages: number
    eagerPages: number
    pageOuts: number
    complete: boolean
  }
  integrity: {
    ok: boolean
    checked: boolean
    checksum: string
    referenceChecksum: string
    mismatchedPages: number
    accumulatorMatches: boolean
    noPageMappedTwice: boolean
    noPageSentTwice: boolean
    notes: string[]
  }
  lost: { workloadLost: boolean; pagesOnSource: number; pages: number[] }
  warnings: { deadline: number; deadlineMissed: number; diverging: number }
  eventCount: number
  eventLogHash: string
  stateHash: string
}

/** Nearest-rank percentile of unsorted values (0 for none). */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0
  const s = [...values].sort((a, b) => a - b)
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))
  return s[i] as number
}

/** Count, nearest-rank p50 and p95, and maximum of a list of latencies (zeros for none). */
export interface LatencySummary {
  readonly count: number
  readonly p50: number
  readonly p95: number
  readonly max: number
}

/**
 * `percentile(values, 0.5)`, `percentile(values, 0.95)`, the maximum and the count, in one pass
 * plus a counting sort when the values are small non-negative integers (fault latencies in ticks:
 * the host answers this once a second over every fault of the run, so no copy-and-sort of tens of
 * thousands of values), else one sorted typed copy. No `Math.max(...values)`: spreading a long
 * array overflows the stack.
 */
export function latencySummary(values: readonly number[]): LatencySummary {
  const n = values.length
  if (n === 0) return { count: 0, p50: 0, p95: 0, max: 0 }
  let max = -Infinity
  let small = true
  for (let i = 0; i < n; i++) {
    const v = values[i] as number
    if (v > max) max = v
    if (small && !(Number.isInteger(v) && v >= 0)) small = false
  }
  const rank = (q: number) => Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))
  const r50 = rank(0.5)
  const r95 = rank(0.95)
  // A counting sort costs O(n + max): only when max is not much larger than n.
  if (small && max <= 4 * n + 4096) {
    const counts = new Uint32Array(max + 1)
    for (let i = 0; i < n; i++) {
      const v = values[i] as number
      counts[v] = (counts[v] as number) + 1
    }
    let p50 = -1
    let p95 = -1
    let seen = 0
    for (let v = 0; v <= max && p95 < 0; v++) {
      seen += counts[v] as number
      if (p50 < 0 && seen > r50) p50 = v
      if (seen > r95) p95 = v
    }
    return { count: n, p50, p95, max }
  }
  const s = Float64Array.from(values).sort()
  return { count: n, p50: s[r50] as number, p95: s[r95] as number, max }
}
