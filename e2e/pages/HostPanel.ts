import type { Locator, Page } from '@playwright/test'

export type HostKey = 'hostA' | 'hostB'

/** RGBA of one pixel of a page's cell, read from the canvas backing store. */
export type Rgba = readonly [number, number, number, number]

export class HostPanel {
  readonly key: HostKey
  readonly panel: Locator
  readonly heading: Locator
  readonly pageMap: Locator
  readonly legend: Locator

  constructor(page: Page, key: HostKey, title: string) {
    this.key = key
    this.panel = page.getByRole('region', { name: title })
    this.heading = this.panel.getByRole('heading', { name: title })
    this.pageMap = page.getByTestId(`${key}.pageMap`)
    this.legend = page.getByTestId(`${key}.legend`)
  }

  legendItem(category: string): Locator {
    return this.legend.getByTestId(`${this.key}.legend.${category}`)
  }

  /** The colour the legend declares for a state category, as '#RRGGBB'. */
  async legendColor(category: string): Promise<string> {
    return (await this.legendItem(category).getAttribute('data-color')) ?? ''
  }

  /** The centre pixel of `pageNo`'s cell, using the grid geometry the canvas publishes. */
  async cellColor(pageNo: number): Promise<Rgba> {
    return this.pageMap.evaluate((el, p) => {
      const canvas = el as HTMLCanvasElement
      const cols = Number(canvas.dataset.cols)
      const cell = Number(canvas.dataset.cell)
      const x = (p % cols) * cell + Math.floor(cell / 2)
      const y = Math.floor(p / cols) * cell + Math.floor(cell / 2)
      const ctx = canvas.getContext('2d')
      if (!ctx) throw new Error('page map has no 2d context')
      const d = ctx.getImageData(x, y, 1, 1).data
      return [d[0] ?? 0, d[1] ?? 0, d[2] ?? 0, d[3] ?? 0] as const
    }, pageNo)
  }

  async pageCount(): Promise<number> {
    return Number(await this.pageMap.getAttribute('data-page-count'))
  }
}

export function hexToRgba(hex: string): Rgba {
  const n = Number.parseInt(hex.slice(1), 16)
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff, 255]
}
