import { expect, test } from './fixtures'
import { LabPage } from './pages/LabPage'
import { TimelinePanel } from './pages/TimelinePanel'

test('a copied link opened in a new page shows the same moment and selection', async ({
  page,
  context,
  labPage,
}) => {
  const tl = new TimelinePanel(page)
  await labPage.goto('?test=1&scenario=partition-migrate')
  await labPage.waitReady()
  await tl.stepTo({ event: 1200 })
  await page.evaluate(() => window.migrationLab?.select({ type: 'page', host: 1, page: 730 }))
  await tl.waitForIdle()
  const hash = await tl.stateHash()
  const tick = await tl.tick()
  await tl.copyLink.click()
  const url = await tl.shareLink.inputValue()
  expect(url).toContain('scenario=partition-migrate')
  expect(url).toContain('ev=1200')
  expect(url).toContain('sel=page%3A1%3A730')

  const other = await context.newPage()
  const errors: string[] = []
  other.on('pageerror', (e) => errors.push(e.message))
  other.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  await other.goto(url)
  const lab2 = new LabPage(other)
  await lab2.waitReady()
  const tl2 = new TimelinePanel(other)
  await tl2.waitForIdle()
  expect(await tl2.cursorIndex()).toBe(1200)
  expect(await tl2.tick()).toBe(tick)
  expect(await tl2.stateHash()).toBe(hash)
  await expect(tl2.inspectorTitle).toHaveText('Page 730 (host B)')
  await expect(other.locator('[data-testid="eventLog.row"][data-index="1200"]')).toHaveAttribute(
    'data-current',
    'true',
  )
  expect(errors).toEqual([])
  await other.close()
})

test('hostile URLs are refused or clamped with a visible message, never run as HTML', async ({
  page,
  labPage,
}) => {
  const tl = new TimelinePanel(page)
  const evil = encodeURIComponent('<img src=x onerror="window.__pwned=1">')
  await labPage.goto(
    `?test=1&scenario=partition-migrate&ev=99999999&sel=${evil}&${evil}=1&seed=99999999999&speed=-5`,
  )
  await labPage.waitReady()
  await tl.waitForIdle()
  const banners = labPage.urlBanners
  await expect(
    banners.filter({ hasText: "URL parameter 'ev': event 99999999 lies beyond" }),
  ).toHaveCount(1)
  await expect(banners.filter({ hasText: "URL parameter 'sel' must name an entity" })).toHaveCount(
    1,
  )
  await expect(banners.filter({ hasText: 'Unknown URL parameter' })).toHaveCount(1)
  await expect(banners.filter({ hasText: "URL parameter 'seed' must be" })).toHaveCount(1)
  await expect(banners.filter({ hasText: "URL parameter 'speed' must be" })).toHaveCount(1)
  // Script text is shown as text.
  await expect(banners.filter({ hasText: '<img src=x' }).first()).toBeVisible()
  expect(await page.locator('img[src="x"]').count()).toBe(0)
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined()
  // The cursor beyond the end is clamped to the last event.
  const last = await page.evaluate(() => (window.migrationLab?.events().length ?? 0) - 1)
  expect(await tl.cursorIndex()).toBe(last)
})

test('a tick beyond the end is clamped with a message; out-of-range numbers are refused', async ({
  page,
  labPage,
}) => {
  const tl = new TimelinePanel(page)
  await labPage.goto('?test=1&scenario=partition-migrate&t=999999&sel=page:9:1')
  await labPage.waitReady()
  await tl.waitForIdle()
  await expect(
    labPage.urlBanners.filter({ hasText: "URL parameter 't': tick 999999 lies beyond the end" }),
  ).toHaveCount(1)
  await expect(labPage.urlBanners.filter({ hasText: "'sel' must name an entity" })).toHaveCount(1)
  expect(await tl.tick()).toBe(5000)
})
