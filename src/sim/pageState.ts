/**
 * The per-page state byte both hosts publish (one byte per workload page, in departure-page units).
 * The UI reads these straight from shared memory, so the encoding is a fixed set of bit flags.
 */
export const PAGE = {
  /** The page's bytes are in this host's frames and mapped. */
  RESIDENT: 1 << 0,
  /** Written since it was last sent (pre-copy) or since migration started. */
  DIRTY: 1 << 1,
  /** Lives on the other host: not here yet (arrival) or already handed over (departure). */
  REMOTE: 1 << 2,
  /** Requested or pushed, on the wire now. */
  IN_FLIGHT: 1 << 3,
  PINNED: 1 << 4,
  /** Never touched: all zeros, generated locally on arrival. */
  ZERO: 1 << 5,
  /** A copy exists on this host already (same software installed): never sent. */
  LOCAL_COPY: 1 << 6,
  /** Paged out to this host's local paging device. */
  PAGED_OUT: 1 << 7,
} as const

export type PageFlag = (typeof PAGE)[keyof typeof PAGE]

export const PAGE_FLAG_NAMES: readonly (readonly [PageFlag, string])[] = [
  [PAGE.RESIDENT, 'resident'],
  [PAGE.DIRTY, 'dirty'],
  [PAGE.REMOTE, 'remote'],
  [PAGE.IN_FLIGHT, 'in flight'],
  [PAGE.PINNED, 'pinned'],
  [PAGE.ZERO, 'zero'],
  [PAGE.LOCAL_COPY, 'local copy'],
  [PAGE.PAGED_OUT, 'paged out'],
]

export function describePageState(state: number): string {
  const names = PAGE_FLAG_NAMES.filter(([f]) => (state & f) !== 0).map(([, n]) => n)
  return names.length ? names.join(', ') : 'absent'
}
