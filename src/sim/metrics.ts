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
