/**
 * Issue 5: a host worker that throws is reported in the UI with its host and error, nothing hangs,
 * and Restart brings a working run back.
 */
import { expect, test } from './fixtures'

test('a failing host worker is shown with its error and the run restarts', async ({
  labPage,
  page,
}) => {
  await labPage.goto('?test=1&scenario=postcopy')
  await labPage.waitReady()
  await page.evaluate(async () => {
    const lab = window.migrationLab
    if (!lab) throw new Error('test API missing')
    await lab.step(20)
    lab.input({ type: 'debug.throw', host: 1 })
    // The run fails at the next tick; step() rejects instead of hanging.
    await lab.step(5).catch(() => undefined)
  })
  const banner = page.getByTestId('banner.workerError')
  await expect(banner).toBeVisible()
  await expect(banner).toContainText('Host B (arrival) failed')
  await expect(banner).toContainText('injected failure on host B')
  await expect(labPage.runtimeStatus).not.toHaveAttribute('data-state', 'ready')

  await banner.getByRole('button', { name: 'Restart' }).click()
  await expect(banner).toBeHidden()
  await labPage.waitReady()
  const before = await labPage.tick()
  await labPage.toolbar.step.click()
  await expect.poll(() => labPage.tick()).toBe(before + 1)
})
