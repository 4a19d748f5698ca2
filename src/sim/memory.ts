/**
 * A host's page memory: frames as real bytes in a caller-supplied `Uint8Array` (an `ArrayBuffer` in
 * Node and tests, a `SharedArrayBuffer` in the browser workers) and the published page-state map.
 * OWNED BY THE MIGRATION ENGINE (extend freely); the layout function is the contract with runtimes.
 *
 * Page contents are a deterministic function of (seed, page, version), so any copy can be checked:
 * - a page's initial contents depend on its kind: all zeros (never touched), a seeded "initialized
 *   data" word, or the text pattern of the installed software (the same on both hosts: P1-22);
 * - write number v of page p stamps one 32-bit word, at an offset derived from (p, v), with a value
 *   derived from (seed, p, v). Replaying stamps 1..v over the initial contents gives the page's bytes.
 */
import type { HostId } from './events'
import type { Scenario } from './scenario'

export interface HostBuffers {
  readonly frames: Uint8Array
  /** One byte per workload page: `PAGE` flags (src/sim/pageState.ts). */
  readonly pageState: Uint8Array
}

export interface MemoryLayout {
  readonly pageCount: number
  /** Frame unit of the buffers: the departure page size (the workload's page unit) on both hosts. */
  readonly pageSize: number
  readonly frameBytes: number
  /** This host's native page size (host B may use a multiple of host A's: P1-24). */
  readonly nativePageSize: number
}

/** How big each host's buffers must be. Runtimes allocate them (SAB or not) from this. */
export function memoryLayout(scenario: Scenario, host: HostId): MemoryLayout {
  // Without a migration section the memory only hosts the page maps: keep it small, so snapshots
  // (which copy the frames) stay cheap and time travel can keep many of them.
  const pageCount = scenario.migration?.pages ?? 64
  const pageSize = scenario.migration?.pageSize ?? 4096
  const nativePageSize = host === 1 ? (scenario.migration?.arrivalPageSize ?? pageSize) : pageSize
  return { pageCount, pageSize, frameBytes: pageCount * pageSize, nativePageSize }
}

export function allocateBuffers(layout: MemoryLayout, shared: boolean): HostBuffers {
  const Buf = shared ? SharedArrayBuffer : ArrayBuffer
  return {
    frames: new Uint8Array(new Buf(layout.frameBytes)),
    pageState: new Uint8Array(new Buf(layout.pageCount)),
  }
}

export interface HostMemory {
  readonly pageCount: number
  readonly pageSize: number
  readonly frames: Uint8Array
  readonly pageState: Uint8Array
  /**
   * 1 for each page whose frame bytes may have changed since the last time-travel snapshot
   * (src/sim/history.ts copies only those). Every write to `frames` after the host is created must
   * set it: `markWritten`.
   */
  readonly written: Uint8Array
}

/** Records that page `p`'s frame bytes change (see `HostMemory.written`). */
export function markWritten(mem: HostMemory, p: number): void {
  mem.written[p] = 1
}

export function createMemory(layout: MemoryLayout, buffers: HostBuffers): HostMemory {
  if (buffers.frames.length < layout.frameBytes || buffers.pageState.length < layout.pageCount) {
    throw new Error(
      `host buffers too small: frames ${buffers.frames.length} < ${layout.frameBytes} or page states ${buffers.pageState.length} < ${layout.pageCount}`,
    )
  }
  return {
    pageCount: layout.pageCount,
    pageSize: layout.pageSize,
    frames: buffers.frames,
    pageState: buffers.pageState,
    written: new Uint8Array(layout.pageCount),
  }
}

// ---------------------------------------------------------------------------------------------
// Page contents

/** Initial contents of a page. */
export const INIT = {
  /** Never touched: all zeros. */
  ZERO: 0,
  /** Initialized data (seeded word). */
  DATA: 1,
  /** Program text: a pattern of the installed software, independent of the seed. */
  TEXT: 2,
} as const

/** A 32-bit mix of three integers (murmur3-style finalizer). */
export function mix3(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b
  h = Math.imul(h ^ (h >>> 15), 0xc2b2ae35) ^ c
  h = Math.imul(h ^ (h >>> 13), 0x27d4eb2f)
  return (h ^ (h >>> 16)) >>> 0
}

/** Byte offset of the word stamped by write `v` of page `p`. `wordMask` = pageSize / 4 - 1. */
export function stampOffset(p: number, v: number, wordMask: number): number {
  return (mix3(p, v, 0x0ff5e7) & wordMask) << 2
}

/** Applies write `v` of page `p` to the frame at `base`. */
export function stampWrite(
  frames: Uint8Array,
  base: number,
  seed: number,
  p: number,
  v: number,
  wordMask: number,
): void {
  const o = base + ((mix3(p, v, 0x0ff5e7) & wordMask) << 2)
  const val = mix3(seed, p, v)
  frames[o] = val
  frames[o + 1] = val >>> 8
  frames[o + 2] = val >>> 16
  frames[o + 3] = val >>> 24
}

/** Writes a page's initial contents (the frame must hold zeros or be overwritten entirely). */
export function initPage(
  frames: Uint8Array,
  base: number,
  pageSize: number,
  seed: number,
  p: number,
  kind: number,
): void {
  if (kind === INIT.ZERO) {
    frames.fill(0, base, base + pageSize)
  } else if (kind === INIT.TEXT) {
    fillText(frames, base, pageSize, p)
  } else {
    frames.fill(0, base, base + pageSize)
    stampWrite(frames, base, seed, p, 0, (pageSize >>> 2) - 1)
  }
}

/** The installed software's text: every word a function of (page, word index); no seed. */
export function fillText(frames: Uint8Array, base: number, pageSize: number, p: number): void {
  if (((frames.byteOffset + base) & 3) === 0) {
    // Little-endian words through an aligned view: the same bytes as the byte loop below.
    const words = new Int32Array(frames.buffer, frames.byteOffset + base, pageSize >>> 2)
    if (LITTLE_ENDIAN) {
      for (let i = 0; i < words.length; i++) words[i] = mix3(0x7e47, p, i << 2)
      return
    }
  }
  for (let w = 0; w < pageSize; w += 4) {
    const val = mix3(0x7e47, p, w)
    frames[base + w] = val
    frames[base + w + 1] = val >>> 8
    frames[base + w + 2] = val >>> 16
    frames[base + w + 3] = val >>> 24
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

/** The bytes page `p` must hold after `version` writes, computed from scratch into `out` at `base`. */
export function expectedPage(
  out: Uint8Array,
  base: number,
  pageSize: number,
  seed: number,
  p: number,
  kind: number,
  version: number,
): void {
  initPage(out, base, pageSize, seed, p, kind)
  const mask = (pageSize >>> 2) - 1
  for (let v = 1; v <= version; v++) stampWrite(out, base, seed, p, v, mask)
}

/** True when two byte ranges of equal length are equal (compares words where aligned). */
export function rangesEqual(
  a: Uint8Array,
  ao: number,
  b: Uint8Array,
  bo: number,
  n: number,
): boolean {
  let i = 0
  if (((a.byteOffset + ao) & 3) === 0 && ((b.byteOffset + bo) & 3) === 0 && (n & 3) === 0) {
    const wa = new Int32Array(a.buffer, a.byteOffset + ao, n >>> 2)
    const wb = new Int32Array(b.buffer, b.byteOffset + bo, n >>> 2)
    for (let k = 0; k < wa.length; k++) if (wa[k] !== wb[k]) return false
    return true
  }
  for (; i < n; i++) if (a[ao + i] !== b[bo + i]) return false
  return true
}
