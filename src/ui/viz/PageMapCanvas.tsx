import { useEffect, useRef } from 'react'
import type { HostId } from '../../sim/events'
import { pageMapLayout, type PageMapLayout } from './pageMapLayout'
import { pageAtFraction } from './render/paint'
import { useRenderClient, useRenderState } from './render/RenderContext'

export interface PageMapCanvasProps {
  readonly host: HostId
  readonly testId: string
  readonly label: string
  readonly describedBy: string
  /** Page counts per PAGE_CATEGORIES entry, reported about twice a second when they change. */
  readonly onCounts: (counts: readonly number[]) => void
}

/** Publishes the grid on the element (hit-testing here, and tests, read it; the pixels are the worker's). */
function setGrid(canvas: HTMLCanvasElement, layout: PageMapLayout | null): void {
  if (!layout) {
    delete canvas.dataset.pageCount
    delete canvas.dataset.cols
    delete canvas.dataset.cell
    return
  }
  canvas.dataset.pageCount = String(layout.pageCount)
  canvas.dataset.cols = String(layout.cols)
  canvas.dataset.cell = String(layout.cell)
}

/** The page under a client point on a page-map canvas, or -1 (from the grid it publishes). */
export function pageAtPoint(canvas: HTMLCanvasElement, clientX: number, clientY: number): number {
  const count = Number(canvas.dataset.pageCount)
  if (!(count > 0)) return -1
  const box = canvas.getBoundingClientRect()
  if (box.width <= 0 || box.height <= 0) return -1
  return pageAtFraction(
    pageMapLayout(count),
    (clientX - box.left) / box.width,
    (clientY - box.top) / box.height,
  )
}

/**
 * One cell per page. The canvas is handed to the page-map render worker (render/), which draws it
 * 30 times a second straight from the host's published page states and counts the pages by state;
 * this thread only publishes the grid on the element and passes the counts on.
 */
export function PageMapCanvas({ host, testId, label, describedBy, onCounts }: PageMapCanvasProps) {
  const client = useRenderClient()
  // A new render worker (after a failure) needs a new element: a canvas is transferred once.
  const generation = useRenderState((s) => s.generation)
  const ref = useRef<HTMLCanvasElement>(null)
  const onCountsRef = useRef(onCounts)
  useEffect(() => {
    onCountsRef.current = onCounts
  }, [onCounts])

  useEffect(() => {
    const canvas = ref.current
    if (!canvas) return
    const detach = client.attach(host, 'map', canvas)
    const stopLayout = client.onLayout(host, (layout) => setGrid(canvas, layout))
    const stopCounts = client.onCounts(host, (counts) => onCountsRef.current(counts))
    return () => {
      stopCounts()
      stopLayout()
      detach()
    }
  }, [client, host, generation])

  return (
    <canvas
      key={generation}
      ref={ref}
      className="page-map"
      data-testid={testId}
      role="img"
      aria-label={label}
      aria-describedby={describedBy}
    />
  )
}
