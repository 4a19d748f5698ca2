import { useEffect, useRef } from 'react'
import type { HostId } from '../../sim/events'
import { useAppStoreApi } from '../app/storeContext'
import { onFrame } from './frameLoop'
import { pageMapLayout } from './pageMapLayout'
import { CATEGORY_OF_STATE, PAGE_CATEGORIES, PIXEL_OF_STATE } from './palette'

export interface PageMapCanvasProps {
  readonly host: HostId
  readonly testId: string
  readonly label: string
  readonly describedBy: string
  /** Page counts per PAGE_CATEGORIES entry, reported about twice a second. */
  readonly onCounts: (counts: readonly number[]) => void
}

const COUNT_INTERVAL_MS = 500

/**
 * One cell per page, drawn every animation frame straight from the host's published page-state view
 * (shared memory). Only changed cells are repainted into an ImageData, then put in one call, so a
 * 65,536-page map costs one pass over 64 KiB per frame.
 */
export function PageMapCanvas({ host, testId, label, describedBy, onCounts }: PageMapCanvasProps) {
  const store = useAppStoreApi()
  const ref = useRef<HTMLCanvasElement>(null)
  const onCountsRef = useRef(onCounts)
  useEffect(() => {
    onCountsRef.current = onCounts
  }, [onCounts])

  useEffect(() => {
    const canvas = ref.current
    const ctx = canvas?.getContext('2d', { alpha: false })
    if (!canvas || !ctx) return
    let view: Uint8Array | null = null
    let image: ImageData | null = null
    let pixels = new Uint32Array(0)
    /** The states drawn last (byte and 4-byte views); `fresh` forces a first paint of every cell. */
    let prev = new Uint8Array(0)
    let prev32 = new Uint32Array(0)
    let cur32: Uint32Array<ArrayBufferLike> = new Uint32Array(0)
    let fresh = true
    let cols = 1
    let cell = 1
    let width = 1
    let lastCount = -Infinity

    const setup = (ps: Uint8Array): void => {
      const layout = pageMapLayout(ps.length)
      cols = layout.cols
      cell = layout.cell
      width = layout.width
      canvas.width = layout.width
      canvas.height = layout.height
      canvas.dataset.pageCount = String(ps.length)
      canvas.dataset.cols = String(layout.cols)
      canvas.dataset.cell = String(layout.cell)
      image = ctx.createImageData(layout.width, layout.height)
      pixels = new Uint32Array(image.data.buffer)
      pixels.fill(0xffffffff) // white beyond the last page
      prev = new Uint8Array(ps.length)
      // Compare four pages at a time where the view is 4-byte aligned (it is: a fresh copy).
      const words = (ps.byteOffset & 3) === 0 ? ps.length >> 2 : 0
      prev32 = new Uint32Array(prev.buffer, 0, words)
      cur32 = new Uint32Array(ps.buffer, ps.byteOffset, words)
      fresh = true
      lastCount = -Infinity
    }

    return onFrame((now) => {
      const ps = store.getState().world.frame().hosts[host].pageState
      if (
        !view ||
        ps.buffer !== view.buffer ||
        ps.byteOffset !== view.byteOffset ||
        ps.length !== view.length
      ) {
        view = ps
        setup(ps)
      }
      if (!image) return
      let changed = false
      const n = ps.length
      const paint = (p: number) => {
        const s = ps[p] as number
        prev[p] = s
        const color = PIXEL_OF_STATE[s] as number
        const x0 = (p % cols) * cell
        const y0 = ((p / cols) | 0) * cell
        if (cell === 1) {
          pixels[y0 * width + x0] = color
        } else {
          for (let y = y0; y < y0 + cell; y++)
            pixels.fill(color, y * width + x0, y * width + x0 + cell)
        }
      }
      // Most pages keep their state from one frame to the next: skip them four at a time.
      const words = cur32.length
      for (let w = 0; w < words; w++) {
        if (!fresh && cur32[w] === prev32[w]) continue
        changed = true
        for (let p = w << 2; p < (w << 2) + 4; p++) if (fresh || ps[p] !== prev[p]) paint(p)
      }
      for (let p = words << 2; p < n; p++) {
        if (!fresh && ps[p] === prev[p]) continue
        changed = true
        paint(p)
      }
      fresh = false
      if (changed) ctx.putImageData(image, 0, 0)

      if (now - lastCount >= COUNT_INTERVAL_MS) {
        lastCount = now
        const counts = new Uint32Array(PAGE_CATEGORIES.length)
        for (let p = 0; p < n; p++) {
          const c = CATEGORY_OF_STATE[ps[p] as number] as number
          counts[c] = (counts[c] ?? 0) + 1
        }
        onCountsRef.current(Array.from(counts))
      }
    })
  }, [store, host])

  return (
    <canvas
      ref={ref}
      className="page-map"
      data-testid={testId}
      role="img"
      aria-label={label}
      aria-describedby={describedBy}
      width={1}
      height={1}
    />
  )
}
