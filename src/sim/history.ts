/**
 * The time-travel history of one host: snapshots at tick boundaries that copy only the pages whose
 * frames were written since the previous snapshot (`HostMemory.written`), over a base — the host's
 * memory right after creation — which is rebuilt on demand from the scenario (creation is
 * deterministic) rather than copied. A snapshot then costs in proportion to the pages the run
 * changed, not to the size of memory: a 64 MiB host whose workload touched 300 pages copies 1.2 MiB.
 *
 * Invariants: an entry holds the bytes, at its tick, of a superset of the pages written since the
 * previous entry (the first: since creation); the host's memory is the memory at `origin` (the
 * entry last taken or restored; none = creation) plus the pages marked `written`. Dropping or
 * thinning entries folds their pages into the next entry or into the marks, so both invariants
 * survive forks and budget thinning.
 */
import { clonePlain } from './clone'
import type { HostState } from './host'

interface Entry<E> {
  readonly tick: number
  readonly state: Omit<HostState, 'mem'>
  readonly pageState: Uint8Array
  /** Pages whose frame bytes this entry holds, ascending. */
  pages: Uint32Array
  /** Their bytes at `tick`, one page after another in the order of `pages`. */
  bytes: Uint8Array
  readonly extra: E
}

/** Rough bytes of the plain state of one snapshot (page tables, queues), for memory budgets. */
const STATE_BYTES_ESTIMATE = 64 * 1024

export class HostHistory<E> {
  private readonly entries: Entry<E>[] = []
  private base: Uint8Array | undefined
  /** The entry the memory derives from (see the invariants); undefined = creation. */
  private origin: Entry<E> | undefined
  private readonly host: HostState
  private readonly createBase: () => Uint8Array

  /**
   * `host` must be freshly created; `createBase` returns the frames such a fresh host has (called
   * at most once, on the first restore that needs a page nobody snapshotted).
   */
  constructor(host: HostState, createBase: () => Uint8Array) {
    this.host = host
    this.createBase = createBase
    host.mem.written.fill(0)
  }

  get length(): number {
    return this.entries.length
  }

  ticks(): number[] {
    return this.entries.map((e) => e.tick)
  }

  lastTick(): number {
    return this.entries.length ? (this.entries[this.entries.length - 1] as Entry<E>).tick : -1
  }

  /**
   * Bytes held by the snapshots (frame pages and page-state maps, plus a state estimate): what
   * thinning can free. The base (one copy of the frames, built on the first restore) is not counted.
   */
  bytes(): number {
    let n = 0
    for (const e of this.entries) n += e.bytes.length + e.pageState.length + STATE_BYTES_ESTIMATE
    return n
  }

  /**
   * Snapshots the host as it stands at `tick` (a tick boundary). Does nothing when a snapshot at or
   * after `tick` exists (replaying a known stretch: the later snapshots are still valid, and the
   * written marks keep accumulating, which stays a superset).
   */
  take(tick: number, extra: E): boolean {
    if (this.lastTick() >= tick) return false
    const { mem, ...rest } = this.host
    const { written, frames, pageSize: ps } = mem
    let n = 0
    for (let p = 0; p < written.length; p++) if (written[p]) n++
    const pages = new Uint32Array(n)
    const bytes = new Uint8Array(n * ps)
    for (let p = 0, i = 0; p < written.length; p++) {
      if (!written[p]) continue
      pages[i] = p
      bytes.set(frames.subarray(p * ps, p * ps + ps), i * ps)
      i++
    }
    written.fill(0)
    const entry = {
      tick,
      state: clonePlain(rest),
      pageState: mem.pageState.slice(),
      pages,
      bytes,
      extra,
    }
    this.entries.push(entry)
    this.origin = entry
    return true
  }

  /** Puts the host back exactly as it was at the snapshot of `tick`; returns that snapshot's extra. */
  restore(tick: number): E {
    const k = this.entries.findIndex((e) => e.tick === tick)
    const entry = this.entries[k]
    if (!entry) {
      throw new Error(`no snapshot at tick ${tick} (snapshots at ${this.ticks().join(', ')})`)
    }
    const host = this.host
    const { written, frames, pageSize: ps, pageCount } = host.mem
    // Pages that may differ from the snapshot: marked since the origin, or written between the
    // origin and the snapshot (whichever comes first), i.e. held by an entry in between.
    const o = this.origin ? this.entries.indexOf(this.origin) : -1
    for (let j = Math.min(o, k) + 1; j <= Math.max(o, k); j++) {
      for (const p of (this.entries[j] as Entry<E>).pages) written[p] = 1
    }
    // Where each page's bytes at `tick` are: the latest entry up to k holding it, else the base.
    const from = new Int32Array(pageCount).fill(-1)
    const at = new Int32Array(pageCount)
    for (let j = 0; j <= k; j++) {
      const pages = (this.entries[j] as Entry<E>).pages
      for (let i = 0; i < pages.length; i++) {
        const p = pages[i] as number
        from[p] = j
        at[p] = i
      }
    }
    for (let p = 0; p < pageCount; p++) {
      if (!written[p]) continue
      const j = from[p] as number
      if (j < 0) {
        this.base ??= this.createBase()
        frames.set(this.base.subarray(p * ps, p * ps + ps), p * ps)
      } else {
        const src = (this.entries[j] as Entry<E>).bytes
        const o = (at[p] as number) * ps
        frames.set(src.subarray(o, o + ps), p * ps)
      }
    }
    written.fill(0)
    const target = host as unknown as Record<string, unknown>
    const source = entry.state as unknown as Record<string, unknown>
    for (const key of Object.keys(source)) target[key] = clonePlain(source[key])
    host.mem.pageState.set(entry.pageState)
    this.origin = entry
    return entry.extra
  }

  /** Drops the snapshots after `tick` (a fork discards that future). */
  dropAfter(tick: number): void {
    this.thin((t) => t <= tick)
  }

  /** Keeps only the snapshots whose tick passes `keep`, folding the others' pages forward. */
  thin(keep: (tick: number) => boolean): void {
    const written = this.host.mem.written
    const kept: Entry<E>[] = []
    let carry: Entry<E> | undefined
    let origin = this.origin
    for (const e of this.entries) {
      const merged = carry ? foldInto(carry, e, this.host.mem.pageSize) : e
      carry = undefined
      if (keep(e.tick)) {
        kept.push(merged)
        if (e === origin) origin = merged
        continue
      }
      carry = merged
      if (e === origin) {
        // The memory derived from this one: it now derives from the last kept entry, plus every
        // page written since then.
        for (const p of merged.pages) written[p] = 1
        origin = kept[kept.length - 1]
      }
    }
    // The last snapshots went: the pages they held count as written since the last one kept.
    if (carry) for (const p of carry.pages) written[p] = 1
    this.origin = origin
    this.entries.length = 0
    this.entries.push(...kept)
  }
}

/**
 * `later` plus the pages of `earlier` it does not hold. A page of `earlier` missing from `later` was
 * not written in between, so its bytes at `earlier.tick` are its bytes at `later.tick`.
 */
function foldInto<E>(earlier: Entry<E>, later: Entry<E>, pageSize: number): Entry<E> {
  const a = earlier.pages
  const b = later.pages
  const pages: number[] = []
  const sources: { bytes: Uint8Array; index: number }[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    const pa = i < a.length ? (a[i] as number) : Infinity
    const pb = j < b.length ? (b[j] as number) : Infinity
    if (pb <= pa) {
      pages.push(pb)
      sources.push({ bytes: later.bytes, index: j++ })
      if (pa === pb) i++
    } else {
      pages.push(pa)
      sources.push({ bytes: earlier.bytes, index: i++ })
    }
  }
  const bytes = new Uint8Array(pages.length * pageSize)
  sources.forEach((s, n) => {
    bytes.set(s.bytes.subarray(s.index * pageSize, s.index * pageSize + pageSize), n * pageSize)
  })
  return { ...later, pages: Uint32Array.from(pages), bytes }
}
