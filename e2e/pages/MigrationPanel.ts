import { expect, type Locator, type Page } from '@playwright/test'

export type HostKey = 'hostA' | 'hostB'

/** The migration view: host states, controls, sequence with key numbers, index table. */
export class MigrationPanel {
  readonly page: Page
  readonly view: Locator
  readonly migrate: Locator
  readonly linkDown: Locator
  readonly loss: Locator
  readonly sourceCrash: Locator
  readonly apply: Locator
  readonly confirm: Locator
  readonly confirmOk: Locator
  readonly confirmCancel: Locator
  readonly strategy: Locator
  readonly preset: Locator
  readonly current: Locator
  readonly indexStatus: Locator
  readonly indexFilter: Locator
  readonly consultedRow: Locator
  /** The index table's rows box: centred on the consulted entry while following, else scrollable. */
  readonly indexRows: Locator
  readonly indexFollow: Locator
  readonly traceInput: Locator
  readonly traceStatus: Locator

  constructor(page: Page) {
    this.page = page
    this.view = page.getByTestId('migration.view')
    this.migrate = page.getByTestId('migration.migrate')
    this.linkDown = page.getByTestId('migration.fault.linkDown')
    this.loss = page.getByTestId('migration.fault.loss')
    this.sourceCrash = page.getByTestId('migration.fault.sourceCrash')
    this.apply = page.getByTestId('migration.apply')
    this.confirm = page.getByTestId('migration.confirm')
    this.confirmOk = page.getByTestId('migration.confirm.ok')
    this.confirmCancel = page.getByTestId('migration.confirm.cancel')
    this.strategy = page.getByTestId('migration.strategy')
    this.preset = page.getByTestId('migration.preset')
    this.current = page.getByTestId('sequence.current')
    this.indexStatus = page.getByTestId('indexTable.status')
    this.indexFilter = page.getByTestId('indexTable.filter')
    this.consultedRow = page.locator('[data-testid^="indexTable.row."][data-consulted="true"]')
    this.indexRows = page.getByTestId('indexTable.scroll')
    this.indexFollow = page.getByTestId('indexTable.follow')
    this.traceInput = page.getByTestId('trace.file')
    this.traceStatus = page.getByTestId('trace.status')
  }

  process(host: HostKey): Locator {
    return this.page.getByTestId(`${host}.process`)
  }

  partition(host: HostKey): Locator {
    return this.page.getByTestId(`${host}.partition`)
  }

  remote(): Locator {
    return this.page.getByTestId('hostB.remote')
  }

  step(id: string): Locator {
    return this.page.getByTestId(`sequence.step.${id}`)
  }

  number(id: string): Locator {
    return this.page.getByTestId(`sequence.${id}`)
  }

  async value(id: string): Promise<string> {
    return (await this.number(id).getAttribute('data-value')) ?? ''
  }

  async numeric(id: string): Promise<number> {
    return Number(await this.value(id))
  }

  /** The memory integrity: data-value verified, failed, verifying, error or unchecked. */
  get integrity(): Locator {
    return this.number('integrity')
  }

  /** Waits until the memory check (run in the verifier worker) has its answer; returns it. */
  async integrityResult(timeout = 60_000): Promise<{ value: string; checksum: string }> {
    await expect(this.integrity).toHaveAttribute('data-value', /^(verified|failed|error)$/, {
      timeout,
    })
    const value = await this.value('integrity')
    const checked = value === 'verified' || value === 'failed'
    return { value, checksum: checked ? await this.value('integrity.checksum') : '' }
  }

  row(pageNo: number): Locator {
    return this.page.getByTestId(`indexTable.row.${pageNo}`)
  }

  /** Waits until the panels show the state at the hosts' current tick. */
  async synced(): Promise<void> {
    await this.page.evaluate(() => window.migrationLab?.waitForIdle())
    const tick = await this.page.evaluate(() => window.migrationLab?.tick() ?? 0)
    await expect(this.view).toHaveAttribute('data-tick', String(tick))
    await expect(this.view).toHaveAttribute('data-report-tick', String(tick))
  }
}
