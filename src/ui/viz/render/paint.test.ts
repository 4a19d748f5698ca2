import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import type { SimEvent } from '../../../sim/events'
import { pageMapLayout, type PageMapLayout } from '../pageMapLayout'
import { categoryOf, PAGE_CATEGORIES, PIXEL_OF_STATE } from '../palette'
import {
  BACKGROUND_PIXEL,
  cellCentre,
  countByCategory,
  createMapPixels,
  FLASH_KINDS,
  FLASH_MS,
  FLASH_STRIDE,
  FlashQueue,
  flashRing,
  MAX_FLASHES,
  packFlashes,
  pageAtFraction,
  paintChanged,
} from './paint'

/** The map as it should look, pixel by pixel, computed the slow and obvious way. */
function reference(states: Uint8Array, layout: PageMapLayout): Uint32Array {
  const out = new Uint32Array(layout.width * layout.height)
  for (let y = 0; y < layout.height; y++) {
    for (let x = 0; x < layout.width; x++) {
      const col = Math.floor(x / layout.cell)
      const row = Math.floor(y / layout.cell)
      const page = row * layout.cols + col
      out[y * layout.width + x] =
        col < layout.cols && page < states.length
          ? (PIXEL_OF_STATE[states[page] as number] as number)
          : BACKGROUND_PIXEL
    }
  }
  return out
}

/** The pixel indices of one page's cell. */
function cellPixels(layout: PageMapLayout, page: number): number[] {
  const x0 = (page % layout.cols) * layout.cell
  const y0 = Math.floor(page / layout.cols) * layout.cell
  const out: number[] = []
  for (let y = y0; y < y0 + layout.cell; y++)
    for (let x = x0; x < x0 + layout.cell; x++) out.push(y * layout.width + x)
  return out
}

const POISON = 0x12345678

/** Index of the first element where two arrays differ (-1: equal). Deep equality of 65,536-word
 * arrays in expect() takes seconds; this takes microseconds and still names the pixel. */
function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length)
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i
  return -1
}

describe('paintChanged', () => {
  const pageCounts = fc.constantFrom(1, 3, 7, 37, 100, 1000, 4099, 65_536)

  test('a first paint of every cell gives the reference map', () => {
    fc.assert(
      fc.property(pageCounts, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (n, seed) => {
        const layout = pageMapLayout(n)
        const states = new Uint8Array(n)
        let x = seed | 1
        for (let p = 0; p < n; p++) states[p] = (x = Math.imul(x, 0x2c9277b5) + 1) >>> 24
        const pixels = createMapPixels(layout)
        const painted = paintChanged(states, new Uint8Array(n), pixels, layout, true)
        expect(painted).toBe(n)
        expect(firstDiff(pixels, reference(states, layout))).toBe(-1)
      }),
      { numRuns: 24 },
    )
  })

  test('a diff paints exactly the changed cells, in PIXEL_OF_STATE colours', () => {
    fc.assert(
      fc.property(
        pageCounts,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 300 }),
        fc.boolean(),
        (n, changes, unaligned) => {
          const layout = pageMapLayout(n)
          // The states as the worker holds them (a fresh copy), or an unaligned view of them.
          const backing = new Uint8Array(n + 1)
          const before = unaligned ? backing.subarray(1) : backing.subarray(0, n)
          for (let p = 0; p < n; p++) before[p] = (p * 37) & 0xff
          const drawn = new Uint8Array(n)
          const pixels = createMapPixels(layout)
          paintChanged(before, drawn, pixels, layout, true)
          expect(firstDiff(drawn, before)).toBe(-1)

          const after = before.slice()
          for (const [p, s] of changes) after[p % n] = s
          before.set(after)
          const changed = new Set<number>()
          for (let p = 0; p < n; p++) if (after[p] !== drawn[p]) changed.add(p)

          // Every pixel poisoned: whatever the diff does not paint keeps the poison.
          pixels.fill(POISON)
          const painted = paintChanged(before, drawn, pixels, layout)
          expect(painted).toBe(changed.size)
          expect(firstDiff(drawn, after)).toBe(-1)
          const expected = new Uint32Array(pixels.length).fill(POISON)
          for (const p of changed) {
            for (const i of cellPixels(layout, p))
              expected[i] = PIXEL_OF_STATE[after[p] as number] as number
          }
          expect(firstDiff(pixels, expected)).toBe(-1)
        },
      ),
      { numRuns: 60 },
    )
  })

  test('nothing changed, nothing painted', () => {
    const layout = pageMapLayout(4096)
    const states = new Uint8Array(4096).fill(5)
    const drawn = states.slice()
    const pixels = createMapPixels(layout)
    expect(paintChanged(states, drawn, pixels, layout)).toBe(0)
    expect(pixels.every((v) => v === BACKGROUND_PIXEL)).toBe(true)
  })
})

describe('countByCategory', () => {
  test('equals a straightforward count by category', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), (states) => {
        const expected = PAGE_CATEGORIES.map(
          (c) => Array.from(states).filter((s) => categoryOf(s).key === c.key).length,
        )
        expect(Array.from(countByCategory(states))).toEqual(expected)
      }),
      { numRuns: 50 },
    )
  })

  test('reuses the output array, starting from zero', () => {
    const out = new Uint32Array(PAGE_CATEGORIES.length).fill(99)
    const counts = countByCategory(new Uint8Array([0, 0, 1]), out)
    expect(counts).toBe(out)
    expect(counts.reduce((a, b) => a + b, 0)).toBe(3)
  })
})

describe('cell geometry', () => {
  test('the page under a cell centre is that page; outside the pages there is none', () => {
    for (const n of [1, 5, 37, 1000, 65_536]) {
      const layout = pageMapLayout(n)
      for (const p of [0, Math.floor(n / 2), n - 1]) {
        const { x, y } = cellCentre(layout, p)
        expect(pageAtFraction(layout, (x + 0.5) / layout.width, (y + 0.5) / layout.height)).toBe(p)
      }
      expect(pageAtFraction(layout, -0.01, 0.5)).toBe(-1)
      expect(pageAtFraction(layout, 1, 0.5)).toBe(-1)
    }
    // 5 pages in a 3 × 2 grid: the sixth cell is empty.
    const five = pageMapLayout(5)
    expect(pageAtFraction(five, 0.99, 0.99)).toBe(-1)
  })
})

describe('fault flashes', () => {
  let seq = 0
  const ev = (kind: string, host: 0 | 1, page: number): SimEvent =>
    ({ kind, host, page, tick: 1, seq: seq++ }) as unknown as SimEvent

  test('faults flash on host B, served pages on host A, nothing else', () => {
    const packed = packFlashes([
      ev('page.faultNetwork', 1, 5),
      ev('page.faultNetwork', 0, 6), // a fault on the departure host: not shown
      ev('page.serve', 0, 7),
      ev('page.serve', 1, 8),
      ev('page.demandMapped', 1, 9),
      ev('page.faultZero', 1, 10),
    ])
    expect(Array.from(packed ?? [])).toEqual([
      1,
      5,
      FLASH_KINDS.findIndex((k) => k.kind === 'page.faultNetwork'),
      0,
      7,
      FLASH_KINDS.findIndex((k) => k.kind === 'page.serve'),
      1,
      10,
      FLASH_KINDS.findIndex((k) => k.kind === 'page.faultZero'),
    ])
    expect(packFlashes([ev('page.demandMapped', 1, 1)])).toBeNull()
  })

  test('a large batch keeps the newest flashes per host, in order', () => {
    const batch: SimEvent[] = []
    for (let i = 0; i < 1000; i++) batch.push(ev('page.faultMinor', 1, i))
    batch.push(ev('page.serve', 0, 4242))
    const packed = packFlashes(batch) ?? new Int32Array(0)
    expect(packed.length / FLASH_STRIDE).toBe(MAX_FLASHES + 1)
    const pagesB: number[] = []
    for (let i = 0; i < packed.length; i += FLASH_STRIDE)
      if (packed[i] === 1) pagesB.push(packed[i + 1] as number)
    expect(pagesB).toEqual(Array.from({ length: MAX_FLASHES }, (_, k) => 1000 - MAX_FLASHES + k))
    expect(packed[packed.length - 2]).toBe(4242)
  })

  test('the queue keeps at most MAX_FLASHES per host and drops flashes after FLASH_MS', () => {
    const q = new FlashQueue()
    const batch: SimEvent[] = []
    for (let i = 0; i < 200; i++) batch.push(ev('page.faultNetwork', 1, i))
    q.add(packFlashes(batch, 200) ?? new Int32Array(0), 1000)
    q.add(packFlashes([ev('page.serve', 0, 3)]) ?? new Int32Array(0), 1200)
    expect(q.live(1, 1000)).toHaveLength(MAX_FLASHES)
    expect(q.live(1, 1000)[0]?.page).toBe(200 - MAX_FLASHES)
    expect(q.live(0, 1300)).toHaveLength(1)
    expect(q.live(1, 1000 + FLASH_MS + 1)).toHaveLength(0)
    expect(q.live(0, 1000 + FLASH_MS + 1)).toHaveLength(1)
    q.clear()
    expect(q.live(0, 1300)).toHaveLength(0)
  })

  test('a ring starts on its cell at full opacity and ends twice as large, transparent', () => {
    const layout = pageMapLayout(4096) // 64 × 64 cells of 4 px
    const flash = { page: 65, code: 0, at: 100 }
    const start = flashRing(layout, 512, flash, 100)
    expect(start).toMatchObject({ x: (4 + 2) * 2, y: (4 + 2) * 2, alpha: 1, color: '#D55E00' })
    const end = flashRing(layout, 512, flash, 100 + FLASH_MS)
    expect(end.alpha).toBe(0)
    expect(end.r).toBeCloseTo(start.r * 2)
  })
})
