import type { Locator, Page } from '@playwright/test'
import type { Rgba } from '../../src/ui/viz/render/protocol'

export type HostKey = 'hostA' | 'hostB'

/** RGBA of one pixel of a page's cell, read from the canvas the render worker draws. */
export type { Rgba }

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

  /**
   * The centre pixel of `pageNo`'s cell as the render worker drew it: the canvas belongs to that
   * worker (OffscreenCanvas), so the test API asks it to read its own pixels back.
   */
  async cellColor(pageNo: number): Promise<Rgba> {
    const host = this.key === 'hostA' ? 0 : 1
    return this.pageMap.page().evaluate(
      ([h, p]) => {
        const api = window.migrationLab
        if (!api) throw new Error('window.migrationLab is missing: open the page with ?test=1')
        return api.pageMapPixel(h, p)
      },
      [host, pageNo] as const,
    )
  }

  async pageCount(): Promise<number> {
    return Number(await this.pageMap.getAttribute('data-page-count'))
  }
}

export function hexToRgba(hex: string): Rgba {
  const n = Number.parseInt(hex.slice(1), 16)
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff, 255]
}
