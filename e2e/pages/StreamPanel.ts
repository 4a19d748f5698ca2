import { expect, type Locator, type Page } from '@playwright/test'

export type HostLetter = 'A' | 'B'

/** The STREAMS view: chains, commands, editor, failure toggles, checkpoint, restart, sequence. */
export class StreamPanel {
  readonly page: Page
  readonly root: Locator
  readonly checkpoint: Locator
  readonly restartMessage: Locator
  readonly inspector: Locator
  readonly verify: Locator
  readonly exactlyOnce: Locator
  readonly outcome: Locator
  readonly restart: Locator
  readonly sequence: Locator
  readonly cmdCheckpoint: Locator
  readonly cmdRestart: Locator
  readonly cmdMigrate: Locator

  constructor(page: Page) {
    this.page = page
    this.root = page.getByTestId('stream.view')
    this.checkpoint = page.getByTestId('stream.checkpoint')
    this.restartMessage = page.getByTestId('stream.restartMessage')
    this.inspector = page.getByTestId('stream.inspector')
    this.verify = page.getByTestId('stream.verify.result')
    this.exactlyOnce = page.getByTestId('stream.exactlyOnce')
    this.outcome = page.getByTestId('stream.outcome')
    this.restart = page.getByTestId('stream.restart')
    this.sequence = page.getByTestId('stream.sequence')
    this.cmdCheckpoint = page.getByRole('button', { name: "Checkpoint the partition's stream" })
    this.cmdRestart = page.getByRole('button', { name: 'Restart the stream on the arrival host' })
    this.cmdMigrate = page.getByRole('button', {
      name: 'Migrate the whole partition: streams and memory',
    })
  }

  host(h: HostLetter): Locator {
    return this.page.getByTestId(`stream.${h}`)
  }

  state(h: HostLetter): Locator {
    return this.page.getByTestId(`stream.${h}.state`)
  }

  summary(h: HostLetter): Locator {
    return this.page.getByTestId(`stream.${h}.summary`)
  }

  module(h: HostLetter, name: string): Locator {
    return this.page.getByTestId(`stream.${h}.module.${name}`)
  }

  head(h: HostLetter): Locator {
    return this.page.getByTestId(`stream.${h}.component.head`)
  }

  block(h: HostLetter, name: string): Locator {
    return this.page.getByTestId(`stream.block.${h}.${name}`)
  }

  count(id: string): Locator {
    return this.page.getByTestId(`stream.count.${id}`)
  }

  async countValue(id: string): Promise<number> {
    return Number(await this.count(id).getAttribute('data-value'))
  }

  step(key: string): Locator {
    return this.page.getByTestId(`stream.seq.${key}`)
  }

  faultToggle(module: string): Locator {
    return this.page.getByTestId(`stream.fault.${module}`)
  }

  get vetoToggle(): Locator {
    return this.page.getByTestId('stream.fault.veto')
  }

  get targetToggle(): Locator {
    return this.page.getByTestId('stream.fault.target')
  }

  preset(p: 'terminal' | 'network'): Locator {
    return this.page.getByTestId(`stream.preset.${p}`)
  }

  editor(part: string): Locator {
    return this.page.getByTestId(`stream.editor.${part}`)
  }

  /** Module names of host `h`'s chain, top to bottom (from the chain's test ids). */
  async moduleNames(h: HostLetter): Promise<string[]> {
    const ids = await this.host(h)
      .locator(`[data-testid^="stream.${h}.module."]`)
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''))
    return ids.map((id) => id.split('.').slice(3).join('.'))
  }

  /** Loads one of the view's interactive stacks (no scheduled commands) and waits for it. */
  async loadInteractive(p: 'terminal' | 'network'): Promise<void> {
    await this.preset(p).click()
    await expect(this.root).toHaveAttribute('data-scenario', `STREAMS interactive: ${p} stack`)
    await this.syncedAt(0)
  }

  /** Waits until the view shows the hosts' state at exactly `tick` ticks. */
  async syncedAt(tick: number): Promise<void> {
    await expect(this.root).toHaveAttribute('data-tick', String(tick))
  }
}
