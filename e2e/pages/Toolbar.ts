import { expect, type Locator, type Page } from '@playwright/test'

export class Toolbar {
  readonly play: Locator
  readonly pause: Locator
  readonly step: Locator
  readonly speed: Locator
  readonly tick: Locator

  constructor(page: Page) {
    this.play = page.getByRole('button', { name: 'Play', exact: true })
    this.pause = page.getByRole('button', { name: 'Pause', exact: true })
    this.step = page.getByRole('button', { name: 'Step', exact: true })
    this.speed = page.getByTestId('toolbar.speed')
    this.tick = page.getByTestId('toolbar.tick')
  }

  async tickValue(): Promise<number> {
    const text = (await this.tick.textContent()) ?? ''
    const n = Number(text.trim())
    expect(Number.isInteger(n), `tick counter shows an integer, got '${text}'`).toBe(true)
    return n
  }
}
