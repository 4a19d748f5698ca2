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
