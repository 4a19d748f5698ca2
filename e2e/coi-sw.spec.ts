import { expect, test } from './fixtures'

/**
 * Runs against the same build served WITHOUT COOP/COEP (a static host). coi-serviceworker registers
 * on the first visit, reloads once, and from then on adds the headers itself.
 */
test('a header-less static host reaches isolation through coi-serviceworker', async ({
  page,
  labPage,
}) => {
  const response = await page.goto('/?test=1')
  expect(response?.headers()['cross-origin-embedder-policy']).toBeUndefined()
  expect(response?.headers()['cross-origin-opener-policy']).toBeUndefined()

  // The service worker reloads the page once; evaluation may hit the navigation, so poll.
  await expect
    .poll(
      async () => {
        try {
          return await page.evaluate(() => crossOriginIsolated)
        } catch {
          return false
        }
      },
      { timeout: 30_000 },
    )
    .toBe(true)
  await page.waitForLoadState('load')
  expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function')
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true)

  await labPage.waitReady()
  await expect(labPage.runtimeStatus).toHaveText('2 workers ready')
  await expect(labPage.isolationBanner).toHaveCount(0)
  const t0 = await labPage.toolbar.tickValue()
  await labPage.toolbar.play.click()
  await expect.poll(() => labPage.toolbar.tickValue()).toBeGreaterThan(t0 + 5)
  await labPage.toolbar.pause.click()
})
