/**
 * Grid geometry of a page map: one square cell per page, row-major, in canvas pixels. Cells shrink
 * to one pixel for large memories; beyond `maxSide`² pages the canvas grows and CSS scales it down.
 */
export interface PageMapLayout {
  readonly pageCount: number
  readonly cols: number
  readonly rows: number
  /** Cell side in canvas pixels. */
  readonly cell: number
  readonly width: number
  readonly height: number
}

export function pageMapLayout(pageCount: number, maxSide = 256): PageMapLayout {
  const n = Math.max(1, pageCount)
  const cols = Math.max(1, Math.ceil(Math.sqrt(n)))
  const rows = Math.ceil(n / cols)
  const cell = Math.max(1, Math.floor(maxSide / cols))
  return { pageCount, cols, rows, cell, width: cols * cell, height: rows * cell }
}

/** Top-left pixel of `page`'s cell. */
export function cellOrigin(layout: PageMapLayout, page: number): { x: number; y: number } {
  return { x: (page % layout.cols) * layout.cell, y: Math.floor(page / layout.cols) * layout.cell }
}
