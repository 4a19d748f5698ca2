import { expect, type Locator, type Page } from '@playwright/test'
import type { MigrationLabTestApi } from '../../src/ui/app/testApi'
import { HostPanel } from './HostPanel'
import { Toolbar } from './Toolbar'

export class LabPage {
  readonly page: Page
  readonly toolbar: Toolbar
  readonly hostA: HostPanel
  readonly hostB: HostPanel
  readonly runtimeStatus: Locator
  readonly isolationBanner: Locator
  readonly urlBanners: Locator
  readonly eventLog: Locator
  readonly eventRows: Locator
  readonly linkLane: Locator
  readonly scenarioSelect: Locator

  constructor(page: Page) {
    this.page = page
    this.toolbar = new Toolbar(page)
    this.hostA = new HostPanel(page, 'hostA', 'Host A (departure)')
    this.hostB = new HostPanel(page, 'hostB', 'Host B (arrival)')
    this.runtimeStatus = page.getByTestId('runtime.status')
    this.isolationBanner = page.getByTestId('banner.isolation')
    this.urlBanners = page.getByTestId('banner.url')
    this.eventLog = page.getByRole('region', { name: 'Event log' })
    this.eventRows = page.getByTestId('eventLog.row')
    this.linkLane = page.getByTestId('link.lane')
    this.scenarioSelect = page.getByRole('combobox', { name: 'Scenario' })
  }

  async goto(query = '?test=1'): Promise<void> {
    await this.page.goto(`/${query}`)
  }

  /** Waits until both hosts are up and a scenario is loaded (the controls are enabled). */
  async waitReady(): Promise<void> {
    await expect(this.runtimeStatus).toHaveAttribute('data-state', 'ready')
    await expect(this.toolbar.step).toBeEnabled()
    await this.page.waitForFunction(() => window.migrationLab !== undefined)
    await this.page.evaluate(() => window.migrationLab?.ready())
  }

  /**
   * Writes `state` into a page's state byte through a debug input (paused, one step), and waits
   * until the host has published it.
   */
  async setPageState(host: 0 | 1, page: number, state: number): Promise<void> {
    await this.page.evaluate(
      async ([h, p, s]) => {
        const api = window.migrationLab
        if (!api) throw new Error('window.migrationLab is missing')
        api.pause()
        api.input({ type: 'debug.setPageState', host: h, page: p, state: s })
        await api.step(1)
      },
      [host, page, state] as const,
    )
    await expect
      .poll(() =>
        this.page.evaluate(([h, p]) => window.migrationLab?.pageState(h, p), [host, page] as const),
      )
      .toBe(state)
  }

  /** The page's tick, read through the test API (live, from shared memory). */
  tick(): Promise<number> {
    return this.page.evaluate(() => {
      const api: LabApi | undefined = window.migrationLab
      if (!api) throw new Error('window.migrationLab is missing: open the page with ?test=1')
      return api.tick()
    })
  }
}

/**
 * The typed test API inside the page (installed with `?test=1`). Functions passed to page.evaluate
 * are serialized, so they reach it through `window.migrationLab` themselves.
 */
export type LabApi = MigrationLabTestApi
