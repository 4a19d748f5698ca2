import { expect, type Locator, type Page } from '@playwright/test'
import type { Breakpoint, StepTarget } from '../../src/ui/app/testApi'

/**
 * The timeline: transport buttons, the scrubber, breakpoints, share / export. An example page
 * object: locators by role or data-testid, actions that wait for the app to be idle, and typed
 * calls into `window.migrationLab` (e2e imports the API's types only).
 */
export class TimelinePanel {
  readonly page: Page
  readonly stepBack: Locator
  readonly stepEvent: Locator
  readonly prevPhase: Locator
  readonly nextPhase: Locator
  readonly runToEnd: Locator
  readonly speed: Locator
  readonly speedLabel: Locator
  readonly cursor: Locator
  readonly help: Locator
  readonly helpSheet: Locator
  readonly scrubber: Locator
  readonly stopReason: Locator
  readonly bpType: Locator
  readonly bpValue: Locator
  readonly bpKind: Locator
  readonly bpAdd: Locator
  readonly bpRun: Locator
  readonly copyLink: Locator
  readonly shareLink: Locator
  readonly inspectorTitle: Locator
  readonly historyRows: Locator

  constructor(page: Page) {
    this.page = page
    this.stepBack = page.getByRole('button', { name: 'Step back one event' })
    this.stepEvent = page.getByRole('button', { name: 'Step forward one event' })
    this.prevPhase = page.getByRole('button', { name: 'Previous phase' })
    this.nextPhase = page.getByRole('button', { name: 'Next phase' })
    this.runToEnd = page.getByRole('button', { name: 'Run to end' })
    this.speed = page.getByTestId('toolbar.speed')
    this.speedLabel = page.getByTestId('toolbar.speedLabel')
    this.cursor = page.getByTestId('toolbar.cursor')
    this.help = page.getByRole('button', { name: 'Keyboard shortcuts' })
    this.helpSheet = page.getByTestId('help.sheet')
    this.scrubber = page.getByTestId('timeline.scrubber')
    this.stopReason = page.getByTestId('timeline.stopReason')
    this.bpType = page.getByTestId('bp.type')
    this.bpValue = page.getByTestId('bp.value')
    this.bpKind = page.getByTestId('bp.kind')
    this.bpAdd = page.getByTestId('bp.add')
    this.bpRun = page.getByTestId('bp.run')
    this.copyLink = page.getByTestId('share.copy')
    this.shareLink = page.getByTestId('share.link')
    this.inspectorTitle = page.getByTestId('inspector.title')
    this.historyRows = page.getByTestId('inspector.history.row')
  }

  waitForIdle(): Promise<void> {
    return this.page.evaluate(() => window.migrationLab?.waitForIdle())
  }

  loadScenario(name: string): Promise<void> {
    return this.page.evaluate((n) => window.migrationLab?.loadScenario(n), name)
  }

  stepTo(target: StepTarget): Promise<void> {
    return this.page.evaluate((t) => window.migrationLab?.stepTo(t), target)
  }

  /** The page of the first network page fault in the log so far (-1: none yet). */
  firstNetworkFaultPage(): Promise<number> {
    return this.page.evaluate(() => {
      const f = (window.migrationLab?.events() ?? []).find((e) => e.kind === 'page.faultNetwork')
      return f && 'page' in f ? f.page : -1
    })
  }

  async stateHash(): Promise<string> {
    await this.waitForIdle()
    return this.page.evaluate(() => window.migrationLab?.stateHash() ?? Promise.resolve(''))
  }

  tick(): Promise<number> {
    return this.page.evaluate(() => window.migrationLab?.tick() ?? -1)
  }

  cursorIndex(): Promise<number> {
    return this.page.evaluate(() => window.migrationLab?.cursor() ?? -2)
  }

  runUntil(bp: Breakpoint) {
    return this.page.evaluate((b) => window.migrationLab?.runUntil(b), bp)
  }

  /** Clicks the scrubber at `tick` (using the x range the scrubber publishes). */
  async scrubTo(tick: number): Promise<void> {
    const box = await this.scrubber.boundingBox()
    if (!box) throw new Error('scrubber not visible')
    const x0 = Number(await this.scrubber.getAttribute('data-x0'))
    const x1 = Number(await this.scrubber.getAttribute('data-x1'))
    const duration = Number(await this.scrubber.getAttribute('data-duration'))
    await this.scrubber.click({ position: { x: x0 + ((x1 - x0) * tick) / duration, y: 30 } })
    await this.waitForIdle()
  }

  async addPageFaultBreakpoint(page: number): Promise<void> {
    await this.bpType.selectOption('pageFault')
    await this.bpValue.fill(String(page))
    await this.bpAdd.click()
    await expect(
      this.page.getByTestId('bp.item').filter({ hasText: `fault on page ${page}` }),
    ).toHaveCount(1)
  }
}
