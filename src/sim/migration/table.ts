/**
 * Wire formats of the checkpoint package: the index table (P1-04/05/06/09) and the restart-type data
 * (P1-08). Both travel as real bytes inside the `mig.checkpoint` message and are parsed on host B,
 * which never reads host A's state.
 *
 * Index table: header, then runs of consecutive pages with the same segment and attributes
 * (segment, first page, count, attributes, offset of the run's first device page in the remote
 * paging device), then bitmaps: zero pages, and optionally pages sent eagerly and pages whose current
 * contents host B already holds (hybrid). Offsets are mapped sequentially over the device pages (not
 * zero, no local copy) in address order before anything is sent (US8245013). Run-length encoding
 * keeps the table's size independent of memory size for a given layout, except for the bitmaps.
 */
import { mix3 } from '../memory'
import type { WorkloadState } from '../workload/workload'

export const ATTR = { PINNED: 1, PRIVATE: 2, LOCAL: 4 } as const

const TABLE_MAGIC = 0x1d7ab1e0
const RESTART_MAGIC = 0x2e57a27d
const HEADER = 24
const RUN = 16

export interface TableInput {
  readonly pages: number
  readonly seg: Uint8Array
  readonly attr: Uint8Array
  readonly zero: Uint8Array
  /** Pages sent with the checkpoint (optional bitmap). */
  readonly eager: Uint8Array | undefined
  /** Pages whose current contents the target already holds (hybrid; optional bitmap). */
  readonly current: Uint8Array | undefined
}

export interface EncodedTable {
  readonly bytes: Uint8Array
  readonly runs: number
  readonly devicePages: number
  /** Offset (in pages) of each page in the remote paging device, -1 for none. */
  readonly offsets: Int32Array
}

function bitmapBytes(pages: number): number {
  return (pages + 7) >>> 3
}

function writeBitmap(dst: Uint8Array, at: number, src: Uint8Array, pages: number): void {
  for (let p = 0; p < pages; p++) {
    const i = at + (p >>> 3)
    if (src[p]) dst[i] = (dst[i] as number) | (1 << (p & 7))
  }
}

function readBitmap(src: Uint8Array, at: number, pages: number): Uint8Array {
  const out = new Uint8Array(pages)
  for (let p = 0; p < pages; p++) out[p] = ((src[at + (p >>> 3)] as number) >>> (p & 7)) & 1
  return out
}

export function encodeTable(t: TableInput): EncodedTable {
  const { pages, seg, attr, zero } = t
  const offsets = new Int32Array(pages).fill(-1)
  // Map offsets first (US8245013: offsets are preset before the checkpoint is sent).
  let dev = 0
  for (let p = 0; p < pages; p++) {
    if (!zero[p] && !((attr[p] as number) & ATTR.LOCAL)) offsets[p] = dev++
  }
  const runs: number[] = []
  let p = 0
  while (p < pages) {
    const s = seg[p] as number
    const a = attr[p] as number
    let q = p + 1
    while (q < pages && seg[q] === s && attr[q] === a) q++
    let off = -1
    for (let k = p; k < q && off < 0; k++) off = offsets[k] as number
    runs.push(p, q - p, s | (a << 8), off)
    p = q
  }
  const nRuns = runs.length / 4
  const bm = bitmapBytes(pages)
  const flags = (t.eager ? 1 : 0) | (t.current ? 2 : 0)
  const size = HEADER + nRuns * RUN + bm * (1 + (t.eager ? 1 : 0) + (t.current ? 1 : 0))
  const bytes = new Uint8Array(size)
  const dv = new DataView(bytes.buffer)
  dv.setUint32(0, TABLE_MAGIC, true)
  dv.setUint32(4, pages, true)
  dv.setUint32(8, nRuns, true)
  dv.setUint32(12, flags, true)
  dv.setUint32(16, dev, true)
  let at = HEADER
  for (let r = 0; r < nRuns; r++) {
    dv.setUint32(at, runs[r * 4] as number, true)
    dv.setUint32(at + 4, runs[r * 4 + 1] as number, true)
    dv.setUint16(at + 8, runs[r * 4 + 2] as number, true)
    dv.setInt32(at + 12, runs[r * 4 + 3] as number, true)
    at += RUN
  }
  writeBitmap(bytes, at, zero, pages)
  at += bm
  if (t.eager) {
    writeBitmap(bytes, at, t.eager, pages)
    at += bm
  }
  if (t.current) writeBitmap(bytes, at, t.current, pages)
  return { bytes, runs: nRuns, devicePages: dev, offsets }
}

export interface DecodedTable {
  readonly pages: number
  readonly runs: number
  readonly devicePages: number
  readonly seg: Uint8Array
  readonly attr: Uint8Array
  readonly zero: Uint8Array
  readonly eager: Uint8Array | undefined
  readonly current: Uint8Array | undefined
  readonly offsets: Int32Array
}

export function decodeTable(bytes: Uint8Array, at: number): DecodedTable {
  const dv = new DataView(bytes.buffer, bytes.byteOffset + at)
  if (dv.getUint32(0, true) !== TABLE_MAGIC) throw new Error('index table: bad magic')
  const pages = dv.getUint32(4, true)
  const nRuns = dv.getUint32(8, true)
  const flags = dv.getUint32(12, true)
  const devicePages = dv.getUint32(16, true)
  const seg = new Uint8Array(pages)
  const attr = new Uint8Array(pages)
  const runStart: number[] = []
  let o = HEADER
  for (let r = 0; r < nRuns; r++) {
    const start = dv.getUint32(o, true)
    const count = dv.getUint32(o + 4, true)
    const sa = dv.getUint16(o + 8, true)
    seg.fill(sa & 0xff, start, start + count)
    attr.fill(sa >>> 8, start, start + count)
    runStart.push(start, count, dv.getInt32(o + 12, true))
    o += RUN
  }
  const bm = bitmapBytes(pages)
  const zero = readBitmap(bytes, at + o, pages)
  o += bm
  let eager: Uint8Array | undefined
  let current: Uint8Array | undefined
  if (flags & 1) {
    eager = readBitmap(bytes, at + o, pages)
    o += bm
  }
  if (flags & 2) current = readBitmap(bytes, at + o, pages)
  const offsets = new Int32Array(pages).fill(-1)
  for (let r = 0; r < nRuns; r++) {
    const start = runStart[r * 3] as number
    const count = runStart[r * 3 + 1] as number
    let off = runStart[r * 3 + 2] as number
    if (off < 0) continue
    for (let p = start; p < start + count; p++) {
      if (!zero[p] && !((attr[p] as number) & ATTR.LOCAL)) offsets[p] = off++
    }
  }
  return { pages, runs: nRuns, devicePages, seg, attr, zero, eager, current, offsets }
}

export function tableByteLength(bytes: Uint8Array, at: number): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset + at)
  const pages = dv.getUint32(4, true)
  const flags = dv.getUint32(12, true)
  const bm = bitmapBytes(pages)
  return HEADER + dv.getUint32(8, true) * RUN + bm * (1 + (flags & 1) + ((flags >>> 1) & 1))
}

// ---------------------------------------------------------------------------------------------
// Restart-type data: process id, WPAR id, registers, the workload's RNG and unconsumed accesses, and
// for traces the process's virtual-page map (S9: these fields are inferred).

export function encodeRestart(w: WorkloadState, pid: number, wpar: number): Uint8Array {
  const rest = w.len - w.pos
  const size = 96 + rest * 9 + w.mapCount * 12
  const bytes = new Uint8Array(size)
  const dv = new DataView(bytes.buffer)
  let o = 0
  const u32 = (v: number) => {
    dv.setUint32(o, v >>> 0, true)
    o += 4
  }
  const f64 = (v: number) => {
    dv.setFloat64(o, v, true)
    o += 8
  }
  u32(RESTART_MAGIC)
  u32(pid)
  u32(wpar)
  f64(w.accesses)
  u32(w.acc)
  u32(w.pc)
  u32(w.sp)
  u32(w.cursor)
  u32(w.runLeft)
  u32(w.perPageLeft)
  for (let i = 0; i < 4; i++) u32(w.rng[i] as number)
  u32(w.eof ? 1 : 0)
  f64(w.fed)
  u32(w.nextPage)
  u32(rest)
  u32(w.mapCount)
  for (let i = w.pos; i < w.len; i++) {
    dv.setInt32(o, w.bufPage[i] as number, true)
    dv.setInt32(o + 4, w.bufOff[i] as number, true)
    dv.setUint8(o + 8, w.bufFlag[i] as number)
    o += 9
  }
  for (let i = 0; i < w.mapKeys.length; i++) {
    const k = w.mapKeys[i] as number
    if (k === 0) continue
    dv.setFloat64(o, k, true)
    dv.setInt32(o + 8, w.mapVals[i] as number, true)
    o += 12
  }
  return bytes.subarray(0, o)
}

export function restartByteLength(bytes: Uint8Array, at: number): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset + at)
  const rest = dv.getUint32(76, true)
  const mapCount = dv.getUint32(80, true)
  return 84 + rest * 9 + mapCount * 12
}

/** Restores the registers into `w` (a fresh process of the same workload). Returns pid and WPAR id. */
export function decodeRestart(
  bytes: Uint8Array,
  at: number,
  w: WorkloadState,
): { pid: number; wpar: number } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset + at)
  let o = 0
  const u32 = () => {
    const v = dv.getUint32(o, true)
    o += 4
    return v
  }
  const f64 = () => {
    const v = dv.getFloat64(o, true)
    o += 8
    return v
  }
  if (u32() !== RESTART_MAGIC) throw new Error('restart data: bad magic')
  const pid = u32()
  const wpar = u32()
  w.accesses = f64()
  w.acc = u32() | 0
  w.pc = u32()
  w.sp = u32()
  w.cursor = u32()
  w.runLeft = u32()
  w.perPageLeft = u32()
  for (let i = 0; i < 4; i++) w.rng[i] = u32()
  w.eof = u32() === 1
  w.fed = f64()
  w.nextPage = u32()
  const rest = u32()
  const mapCount = u32()
  for (let i = 0; i < rest; i++) {
    w.bufPage[i] = dv.getInt32(o, true)
    w.bufOff[i] = dv.getInt32(o + 4, true)
    w.bufFlag[i] = dv.getUint8(o + 8)
    o += 9
  }
  w.pos = 0
  w.len = rest
  w.mapKeys.fill(0)
  w.mapCount = 0
  const mask = w.mapKeys.length - 1
  for (let i = 0; i < mapCount; i++) {
    const key = dv.getFloat64(o, true)
    const val = dv.getInt32(o + 8, true)
    o += 12
    const vpage = key - 1
    let j = mixSlot(vpage) & mask
    while (w.mapKeys[j] !== 0) j = (j + 1) & mask
    w.mapKeys[j] = key
    w.mapVals[j] = val
    w.mapCount++
  }
  return { pid, wpar }
}

function mixSlot(vpage: number): number {
  return mix3(vpage >>> 0, Math.floor(vpage / 0x1_0000_0000), 0x5eed)
}
