/**
 * The page maps' drawing logic, shared by the render worker (render.worker.ts, which draws) and the
 * main thread (which encodes fault flashes and hit-tests cells): grid geometry, the diff painter,
 * per-state counts, the flash encoding and the flash rings' animation. Typed arrays only, no canvas
 * and no DOM, so it runs and is tested in Node.
 */
import type { SimEvent } from '../../../sim/events'
import type { PageMapLayout } from '../pageMapLayout'
import { CATEGORY_OF_STATE, PAGE_CATEGORIES, PIXEL_OF_STATE } from '../palette'

/** Pixels beyond the last page (the last row may be short). */
export const BACKGROUND_PIXEL = 0xffffffff

/** A page map's backing pixels (one Uint32 RGBA word per canvas pixel), all background. */
export function createMapPixels(layout: PageMapLayout): Uint32Array<ArrayBuffer> {
  return new Uint32Array(layout.width * layout.height).fill(BACKGROUND_PIXEL)
}

function fillCell(pixels: Uint32Array, layout: PageMapLayout, page: number, color: number): void {
  const { cols, cell, width } = layout
  const x0 = (page % cols) * cell
  const y0 = ((page / cols) | 0) * cell
  if (cell === 1) {
    pixels[y0 * width + x0] = color
    return
  }
  for (let y = y0; y < y0 + cell; y++) pixels.fill(color, y * width + x0, y * width + x0 + cell)
}

/**
 * Paints into `pixels` the cells of the pages whose state in `states` differs from `drawn` (every
 * page when `all`), in PIXEL_OF_STATE colours, and records the painted states in `drawn`. Returns
 * how many cells it painted. Most pages keep their state from one frame to the next: where both
 * arrays are 4-byte aligned, unchanged pages are skipped four at a time.
 */
export function paintChanged(
  states: Uint8Array,
  drawn: Uint8Array,
  pixels: Uint32Array,
  layout: PageMapLayout,
  all = false,
): number {
  const n = Math.min(states.length, drawn.length, layout.pageCount)
  let painted = 0
  let p = 0
  if (!all && (states.byteOffset & 3) === 0 && (drawn.byteOffset & 3) === 0) {
    const words = n >> 2
    const cur32 = new Uint32Array(states.buffer, states.byteOffset, words)
    const prev32 = new Uint32Array(drawn.buffer, drawn.byteOffset, words)
    for (let w = 0; w < words; w++) {
      if (cur32[w] === prev32[w]) continue
      for (let q = w << 2; q < (w << 2) + 4; q++) {
        const s = states[q] as number
        if (s === drawn[q]) continue
        drawn[q] = s
        fillCell(pixels, layout, q, PIXEL_OF_STATE[s] as number)
        painted++
      }
    }
    p = words << 2
  }
  for (; p < n; p++) {
    const s = states[p] as number
    if (!all && s === drawn[p]) continue
    drawn[p] = s
    fillCell(pixels, layout, p, PIXEL_OF_STATE[s] as number)
    painted++
  }
  return painted
}

/** Pages per PAGE_CATEGORIES entry (the legend, the maps' text alternative). */
export function countByCategory(
  states: Uint8Array,
  out: Uint32Array = new Uint32Array(PAGE_CATEGORIES.length),
): Uint32Array {
  out.fill(0)
  for (let p = 0; p < states.length; p++) {
    const c = CATEGORY_OF_STATE[states[p] as number] as number
    out[c] = (out[c] as number) + 1
  }
  return out
}

export function sameCounts(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** The centre pixel of `page`'s cell (what tests sample). */
export function cellCentre(layout: PageMapLayout, page: number): { x: number; y: number } {
  const half = Math.floor(layout.cell / 2)
  return {
    x: (page % layout.cols) * layout.cell + half,
    y: Math.floor(page / layout.cols) * layout.cell + half,
  }
}

/**
 * The page under a point given as fractions (0..1) of the map's displayed box, or -1 outside the
 * pages. Hit-testing needs only the layout: the canvas itself belongs to the render worker.
 */
export function pageAtFraction(layout: PageMapLayout, fx: number, fy: number): number {
  const col = Math.floor((fx * layout.width) / layout.cell)
  const row = Math.floor((fy * layout.height) / layout.cell)
  const page = row * layout.cols + col
  return col >= 0 && col < layout.cols && row >= 0 && page < layout.pageCount ? page : -1
}

// ---------------------------------------------------------------------------------------------
// Fault flashes

/** Faults (arrival) and served page-ins (departure) flash their cell this long. */
export const FLASH_MS = 700
/** Rings shown at once per map (the newest). */
export const MAX_FLASHES = 96

/** Flash kinds by code, with their ring colours (Okabe–Ito, as the page states). */
export const FLASH_KINDS: readonly { readonly kind: string; readonly color: string }[] = [
  { kind: 'page.faultNetwork', color: '#D55E00' },
  { kind: 'page.faultInFlight', color: '#D55E00' },
  { kind: 'page.faultMinor', color: '#009E73' },
  { kind: 'page.faultZero', color: '#F0E442' },
  { kind: 'page.faultLocalCopy', color: '#009E73' },
  { kind: 'page.faultLocalPageIn', color: '#CC79A7' },
  { kind: 'page.serve', color: '#E69F00' },
  /** Any other fault kind. */
  { kind: 'page.fault', color: '#D55E00' },
]
const FLASH_CODE = new Map(FLASH_KINDS.map((k, i) => [k.kind, i]))
const OTHER_FAULT = FLASH_KINDS.length - 1

/** The flash code of an event, or -1: faults flash on host B's map, served pages on host A's. */
export function flashCodeOf(ev: SimEvent): number {
  if (ev.host === 1 && ev.kind.startsWith('page.fault'))
    return FLASH_CODE.get(ev.kind) ?? OTHER_FAULT
  if (ev.host === 0 && ev.kind === 'page.serve') return FLASH_CODE.get(ev.kind) ?? OTHER_FAULT
  return -1
}

/** Int32 words per flash in a packed batch: host, page, kind code. */
export const FLASH_STRIDE = 3

/**
 * The flashes of an event batch as (host, page, code) triples in event order, at most
 * `maxPerHost` per host (the newest: older ones would be pushed out at once). null when the batch
 * has none. At full speed a batch holds thousands of events, so it is scanned from the end.
 */
export function packFlashes(
  batch: readonly SimEvent[],
  maxPerHost = MAX_FLASHES,
): Int32Array | null {
  const picked: number[] = []
  const left = [maxPerHost, maxPerHost]
  for (
    let i = batch.length - 1;
    i >= 0 && ((left[0] as number) > 0 || (left[1] as number) > 0);
    i--
  ) {
    const ev = batch[i] as SimEvent
    if ((left[ev.host] ?? 0) <= 0) continue
    const code = flashCodeOf(ev)
    if (code < 0) continue
    left[ev.host] = (left[ev.host] as number) - 1
    picked.push(i)
  }
  if (!picked.length) return null
  const out = new Int32Array(picked.length * FLASH_STRIDE)
  for (let k = 0; k < picked.length; k++) {
    const ev = batch[picked[picked.length - 1 - k] as number] as SimEvent & { page: number }
    out[k * FLASH_STRIDE] = ev.host
    out[k * FLASH_STRIDE + 1] = ev.page
    out[k * FLASH_STRIDE + 2] = flashCodeOf(ev)
  }
  return out
}

export interface Flash {
  readonly page: number
  readonly code: number
  /** When it started (the animating thread's clock, ms). */
  readonly at: number
}

/** The live flashes of both maps: the newest MAX_FLASHES per host, dropped once FLASH_MS old. */
export class FlashQueue {
  private readonly hosts: [Flash[], Flash[]] = [[], []]

  /** Adds a packed batch (packFlashes) received at `now`. */
  add(packed: Int32Array, now: number): void {
    for (let i = 0; i + FLASH_STRIDE <= packed.length; i += FLASH_STRIDE) {
      const list = this.hosts[packed[i] === 1 ? 1 : 0]
      list.push({ page: packed[i + 1] as number, code: packed[i + 2] as number, at: now })
    }
    for (const list of this.hosts)
      if (list.length > MAX_FLASHES) list.splice(0, list.length - MAX_FLASHES)
  }

  /** Host `host`'s flashes still showing at `now`, oldest first. */
  live(host: 0 | 1, now: number): readonly Flash[] {
    const list = this.hosts[host]
    let old = 0
    while (old < list.length && now - (list[old] as Flash).at > FLASH_MS) old++
    if (old) list.splice(0, old)
    return list
  }

  clear(): void {
    for (const list of this.hosts) list.length = 0
  }
}

/** Where and how one flash ring is drawn on an overlay of `side`² pixels. */
export interface Ring {
  readonly x: number
  readonly y: number
  /** Radius in overlay pixels. */
  readonly r: number
  readonly alpha: number
  readonly color: string
}

/**
 * The ring of `flash` at `now`: centred on its cell, growing from its cell's size to twice that and
 * fading out over FLASH_MS.
 */
export function flashRing(layout: PageMapLayout, side: number, flash: Flash, now: number): Ring {
  const age = Math.min(1, Math.max(0, (now - flash.at) / FLASH_MS))
  const sx = side / layout.width
  const sy = side / layout.height
  const { cols, cell } = layout
  return {
    x: ((flash.page % cols) * cell + cell / 2) * sx,
    y: (Math.floor(flash.page / cols) * cell + cell / 2) * sy,
    r: Math.max(3, cell * sx * 0.8) * (1 + age),
    alpha: 1 - age,
    color: (FLASH_KINDS[flash.code] ?? (FLASH_KINDS[OTHER_FAULT] as { color: string })).color,
  }
}
