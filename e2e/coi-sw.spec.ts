import { expect, test } from './fixtures'
import { hexToRgba } from './pages/HostPanel'

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

test('without isolation the app says why and runs both hosts in-process', async ({
  page,
  labPage,
}) => {
  // A browser where the service worker never takes over (blocked, or no secure context).
  await page.addInitScript(() => {
    ;(window as unknown as { coi: unknown }).coi = { shouldRegister: () => false }
  })
  await page.goto('/?test=1')
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false)
  expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('undefined')

  await expect(labPage.isolationBanner).toBeVisible()
  await expect(labPage.isolationBanner).toContainText('not cross-origin isolated')
  await expect(labPage.isolationBanner).toContainText('SharedArrayBuffer')
  await expect(labPage.isolationBanner).toContainText('in-process')
  await labPage.waitReady()
  await expect(labPage.runtimeStatus).toHaveText('in-process fallback ready')

  const t0 = await labPage.toolbar.tickValue()
  await labPage.toolbar.step.click()
  await expect.poll(() => labPage.toolbar.tickValue()).toBe(t0 + 1)
  await labPage.toolbar.play.click()
  await expect.poll(() => labPage.toolbar.tickValue()).toBeGreaterThan(t0 + 5)
  await labPage.toolbar.pause.click()

  // The same render worker draws the maps from the states this thread posts to it.
  const { hostA } = labPage
  const PINNED = 1 << 4 // PAGE.PINNED (e2e may import types only)
  const pinned = hexToRgba(await hostA.legendColor('pinned'))
  await labPage.setPageState(0, 11, PINNED)
  await expect.poll(() => hostA.cellColor(11)).toEqual(pinned)
  await expect(hostA.legendItem('pinned')).toContainText(/[1-9]/)
  expect(await labPage.hostB.cellColor(11)).not.toEqual(pinned)
})
