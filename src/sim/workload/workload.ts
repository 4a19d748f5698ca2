/**
 * The process that really computes: segments, registers and the access stream of a workload.
 *
 * A workload produces page accesses (page, byte offset, read/write/instruction) in chunks into
 * typed arrays held by the process state; the engine executes them against real frames. Synthetic
 * workloads generate chunks from a seeded RNG that is part of the process registers, so the stream
 * depends only on (seed, access index): a reference run without migration replays the same stream.
 * Trace workloads get their chunks fed from a Lackey trace (src/sim/trace).
 */
import type { MigrationScenario } from '../migration/scenario'
import { createRng } from '../rng'
import { INIT, mix3, stampWrite } from '../memory'

/** Segment kinds, in address order. */
export const SEG = {
  TEXT: 0,
  DATA: 1,
  HEAP: 2,
  SHARED: 3,
  PINNED: 4,
  STACK: 5,
  /** Not allocated yet (trace workloads allocate pages on first touch). */
  NONE: 255,
} as const
export const SEG_NAMES = ['text', 'data', 'heap', 'shared', 'pinned', 'stack'] as const

/** Access flags. */
export const ACC = { READ: 1, WRITE: 2, INSTR: 4 } as const

export const WL = { UNIFORM: 0, SEQUENTIAL: 1, HOTCOLD: 2, STACK: 3, TRACE: 4 } as const
const WL_CODES = { uniform: 0, sequential: 1, hotcold: 2, stack: 3, trace: 4 } as const

/** Synthetic chunk size; trace chunks are fed by the runner up to `TRACE_BUF`. */
export const CHUNK = 256
export const TRACE_BUF = 4096

export interface SegmentLayout {
  /** Start page and size of each segment, indexed by SEG code (0..5). */
  readonly start: readonly number[]
  readonly size: readonly number[]
}

const DEFAULT_FRACTIONS = { text: 0.08, data: 0.08, shared: 0.04, pinned: 0.01, stack: 0.08 }

/**
 * Segment sizes: with no `segments` given, defaults (text 8 %, data 8 %, shared 4 %, pinned 1 %,
 * stack 8 %, heap the rest); otherwise omitted segments are empty and the heap takes the remainder.
 */
export function segmentLayout(m: MigrationScenario): SegmentLayout {
  const s = m.segments
  const given = Object.values(s).some((v) => v !== undefined)
  const pick = (k: keyof typeof DEFAULT_FRACTIONS) =>
    s[k] ?? (given ? 0 : Math.floor(DEFAULT_FRACTIONS[k] * m.pages))
  const text = pick('text')
  const data = pick('data')
  const shared = pick('shared')
  const pinned = pick('pinned')
  const stack = pick('stack')
  const heap = Math.max(0, m.pages - text - data - shared - pinned - stack)
  const size = [text, data, heap, shared, pinned, stack]
  const start: number[] = []
  let at = 0
  for (const n of size) {
    start.push(at)
    at += n
  }
  return { start, size }
}

/** Immutable numbers of a workload (derived from the scenario; identical on both hosts). */
export interface WorkloadParams {
  readonly kind: number
  readonly pages: number
  readonly pageSize: number
  readonly textStart: number
  readonly textSize: number
  readonly workStart: number
  readonly workSize: number
  readonly hotStart: number
  readonly hotSize: number
  readonly stackStart: number
  readonly stackSize: number
  readonly writeFraction: number
  readonly textFraction: number
  readonly hotProbability: number
  readonly accessesPerPage: number
  readonly runLength: number
}

export function workloadParams(m: MigrationScenario, layout: SegmentLayout): WorkloadParams {
  const w = m.workload
  const textStart = layout.start[0] as number
  const textSize = layout.size[0] as number
  const workStart = textStart + textSize
  const workSize = Math.max(1, m.pages - workStart)
  const hotStart = workStart + (layout.size[1] as number) // start of the heap
  const hotSize = Math.max(1, Math.min(m.pages - hotStart, Math.round(w.hotFraction * workSize)))
  return {
    kind: WL_CODES[w.kind],
    pages: m.pages,
    pageSize: m.pageSize,
    textStart,
    textSize,
    workStart: Math.min(workStart, m.pages - 1),
    workSize: Math.min(workSize, m.pages),
    hotStart: Math.min(hotStart, m.pages - 1),
    hotSize,
    stackStart: layout.start[5] as number,
    stackSize: layout.size[5] as number,
    writeFraction: w.writeFraction,
    textFraction: w.textFraction,
    hotProbability: w.hotProbability,
    accessesPerPage: w.accessesPerPage,
    runLength: w.runLength,
  }
}

/** Per-page segment and initial-content kind of a synthetic layout. */
export function pageKinds(
  m: MigrationScenario,
  layout: SegmentLayout,
  trace: boolean,
): { seg: Uint8Array; init: Uint8Array } {
  const seg = new Uint8Array(m.pages).fill(SEG.NONE)
  const init = new Uint8Array(m.pages)
  if (trace) return { seg, init }
  for (let k = 0; k < 6; k++) {
    const from = layout.start[k] as number
    const n = layout.size[k] as number
    seg.fill(k, from, from + n)
    const kind =
      k === SEG.TEXT ? INIT.TEXT : k === SEG.STACK ? INIT.ZERO : k === SEG.HEAP ? -1 : INIT.DATA
    if (kind >= 0) init.fill(kind, from, from + n)
    else {
      const initialized = Math.round(n * m.heapInitFraction)
      init.fill(INIT.DATA, from, from + initialized)
      init.fill(INIT.ZERO, from + initialized, from + n)
    }
  }
  return { seg, init }
}

/** The process: registers and its access stream position. Plain data. */
export interface WorkloadState {
  readonly kind: number
  /** Workload RNG (part of the registers: it moves with the process). */
  rng: Uint32Array
  /** Program counter (text page index), stack pointer (stack page index), scan cursor. */
  pc: number
  sp: number
  cursor: number
  runLeft: number
  perPageLeft: number
  /** Accumulator: every read folds the byte it reads, so a wrong byte changes process state. */
  acc: number
  /** Accesses executed. */
  accesses: number
  bufPage: Int32Array
  bufOff: Int32Array
  bufFlag: Uint8Array
  pos: number
  len: number
  /** Trace workloads: the trace has no more accesses after the buffer. */
  eof: boolean
  /** Trace workloads: accesses fed so far (the position in the trace stream). */
  fed: number
  /** Trace workloads: virtual page -> page index (open addressing; key = vpage + 1, 0 = empty). */
  mapKeys: Float64Array
  mapVals: Int32Array
  mapCount: number
  nextPage: number
}

function pow2AtLeast(n: number): number {
  let p = 16
  while (p < n) p *= 2
  return p
}

export function createWorkload(
  m: MigrationScenario,
  seed: number,
  P: WorkloadParams,
): WorkloadState {
  const trace = P.kind === WL.TRACE
  const cap = trace ? TRACE_BUF : CHUNK
  const mapCap = trace ? pow2AtLeast(m.pages * 2) : 0
  return {
    kind: P.kind,
    rng: createRng(seed, 'workload'),
    pc: 0,
    sp: Math.max(0, P.stackSize - 1),
    cursor: P.workStart,
    runLeft: P.runLength,
    perPageLeft: P.accessesPerPage,
    acc: 0x811c9dc5,
    accesses: 0,
    bufPage: new Int32Array(cap),
    bufOff: new Int32Array(cap),
    bufFlag: new Uint8Array(cap),
    pos: 0,
    len: 0,
    eof: false,
    fed: 0,
    mapKeys: new Float64Array(mapCap),
    mapVals: new Int32Array(mapCap),
    mapCount: 0,
    nextPage: 0,
  }
}

/**
 * Generates the next chunk of a synthetic workload into the (empty) buffer. The RNG (sfc32) runs on
 * local variables, written out inline, and each access draws two 32-bit numbers: bits of the first
 * decide text/data and read/write, the second picks the page (high bits) and the offset (low bits);
 * a third is drawn only where a workload needs one more decision.
 */
export function refill(w: WorkloadState, P: WorkloadParams): void {
  const s = w.rng
  let a = s[0] as number
  let b = s[1] as number
  let c = s[2] as number
  let d = s[3] as number
  let t = 0
  const bp = w.bufPage
  const bo = w.bufOff
  const bf = w.bufFlag
  const offMask = P.pageSize - 1
  const workEnd = P.workStart + P.workSize
  const text16 = P.textSize > 0 ? Math.round(P.textFraction * 65536) : 0
  const write16 = Math.round(P.writeFraction * 65536)
  const hot32 = P.hotProbability * 0x1_0000_0000
  const TWO32 = 0x1_0000_0000
  const kind = P.kind
  const hotStart = P.hotStart
  const hotScale = P.hotSize / TWO32
  const workStart = P.workStart
  const workScale = P.workSize / TWO32
  for (let i = 0; i < CHUNK; i++) {
    t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (((c << 21) | (c >>> 11)) + t) | 0
    const r1 = t >>> 0
    t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (((c << 21) | (c >>> 11)) + t) | 0
    const r2 = t >>> 0
    let page: number
    let flag: number
    if ((r1 & 0xffff) < text16) {
      page = P.textStart + w.pc
      const u = r2 >>> 16
      if (u < 1311)
        w.pc = (r2 & 0xffff) % P.textSize // ~2 %: a jump
      else if (u < 19661 && ++w.pc >= P.textSize) w.pc = 0 // ~28 %: next page
      flag = ACC.READ | ACC.INSTR
    } else {
      flag = r1 >>> 16 < write16 ? ACC.WRITE : ACC.READ
      switch (kind) {
        case WL.SEQUENTIAL:
          page = w.cursor
          if (--w.perPageLeft <= 0) {
            w.perPageLeft = P.accessesPerPage
            if (++w.cursor >= workEnd) w.cursor = P.workStart
            if (P.runLength > 0 && --w.runLeft <= 0) {
              w.runLeft = P.runLength
              w.cursor = P.workStart + Math.floor((r2 / TWO32) * P.workSize)
            }
          }
          break
        case WL.HOTCOLD: {
          t = (((a + b) | 0) + d) | 0
          d = (d + 1) | 0
          a = b ^ (b >>> 9)
          b = (c + (c << 3)) | 0
          c = (((c << 21) | (c >>> 11)) + t) | 0
          page =
            t >>> 0 < hot32
              ? hotStart + Math.floor(r2 * hotScale)
              : workStart + Math.floor(r2 * workScale)
          break
        }
        case WL.STACK:
          if (P.stackSize > 0 && (r1 & 0xffff) < 52429 + text16) {
            page = P.stackStart + Math.max(0, w.sp - (r2 & 3))
            const u = (r2 >>> 2) & 0xff
            if (u < 13 && w.sp < P.stackSize - 1) w.sp++
            else if (u >= 13 && u < 26 && w.sp > 0) w.sp--
          } else page = P.workStart + Math.floor((r2 / TWO32) * P.workSize)
          break
        default:
          page = workStart + Math.floor(r2 * workScale)
      }
    }
    bp[i] = page
    bo[i] = r2 & offMask
    bf[i] = flag
  }
  w.pos = 0
  w.len = CHUNK
  s[0] = a
  s[1] = b
  s[2] = c
  s[3] = d
}

// ---------------------------------------------------------------------------------------------
// Trace workloads: virtual pages are given page indices on first touch.

/** Virtual addresses at or above this are stack (Valgrind places the client stack near 0x1ffefff000). */
export const STACK_VADDR = 0x10_0000_0000

/** A decoded chunk of trace accesses (virtual page numbers, offsets, flags). */
export interface TraceChunk {
  readonly vpage: Float64Array
  readonly off: Int32Array
  readonly flag: Uint8Array
  readonly n: number
}

export class TraceTooLargeError extends Error {}

/**
 * Looks up (or allocates) the page index of a virtual page. A new page's segment comes from its
 * first touch: an instruction fetch makes it text, a stack address stack, anything else heap; its
 * initial contents are the text pattern for text and zeros otherwise. Returns the page and whether
 * it is new; throws TraceTooLargeError when the trace touches more distinct pages than `pages`.
 */
export function mapVpage(
  w: WorkloadState,
  pages: number,
  pageSize: number,
  vpage: number,
  flag: number,
  seg: Uint8Array,
  init: Uint8Array,
): number {
  const keys = w.mapKeys
  const mask = keys.length - 1
  const key = vpage + 1
  let i = mix3(vpage >>> 0, Math.floor(vpage / 0x1_0000_0000), 0x5eed) & mask
  for (;;) {
    const k = keys[i] as number
    if (k === key) return w.mapVals[i] as number
    if (k === 0) break
    i = (i + 1) & mask
  }
  if (w.nextPage >= pages) {
    throw new TraceTooLargeError(
      `the trace touches more than ${pages} distinct pages of ${pageSize} B; raise migration.pages`,
    )
  }
  const p = w.nextPage++
  keys[i] = key
  w.mapVals[i] = p
  w.mapCount++
  const isText = (flag & ACC.INSTR) !== 0
  seg[p] = isText ? SEG.TEXT : vpage * pageSize >= STACK_VADDR ? SEG.STACK : SEG.HEAP
  init[p] = isText ? INIT.TEXT : INIT.ZERO
  return -1 - p
}

// ---------------------------------------------------------------------------------------------
// Bare execution (the reference run and the benchmark's baseline): the same per-access semantics
// as the engine's process loop, without residency checks.

export interface BareResult {
  acc: number
  accesses: number
}

export function execBare(
  frames: Uint8Array,
  ver: Uint32Array,
  seed: number,
  pageSize: number,
  page: Int32Array,
  off: Int32Array,
  flag: Uint8Array,
  from: number,
  to: number,
  acc: number,
): number {
  const shift = Math.log2(pageSize)
  const wordMask = (pageSize >>> 2) - 1
  for (let i = from; i < to; i++) {
    const p = page[i] as number
    const f = flag[i] as number
    const base = p << shift
    if (f & ACC.READ)
      acc = Math.imul(acc ^ (frames[base + (off[i] as number)] as number), 0x01000193)
    if (f & ACC.WRITE) {
      const v = ((ver[p] as number) + 1) >>> 0
      ver[p] = v
      stampWrite(frames, base, seed, p, v, wordMask)
    }
  }
  return acc
}
