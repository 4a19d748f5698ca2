/**
 * The page maps are drawn by the render worker (src/ui/viz/render/): its fault flashes, the
 * per-state counts it reports (the maps' text alternative), a new load with another memory size,
 * and a failure of the worker, which must be shown and must not stop the app.
 */
import type { Page } from '@playwright/test'
import type { RenderStats } from '../src/ui/app/testApi'
import { expect, test } from './fixtures'
import { hexToRgba, type HostPanel } from './pages/HostPanel'

// PAGE flags of src/sim/pageState.ts and the legend's categories in priority order (a page shows
// the first that applies), restated because e2e may import types only.
const PINNED = 1 << 4
const CATEGORIES: readonly (readonly [string, number])[] = [
  ['inFlight', 1 << 3],
  ['dirty', 1 << 1],
  ['pinned', 1 << 4],
  ['pagedOut', 1 << 7],
  ['remote', 1 << 2],
  ['localCopy', 1 << 6],
  ['zero', 1 << 5],
  ['resident', 1 << 0],
  ['absent', 0],
]

function renderStats(page: Page): Promise<RenderStats> {
  return page.evaluate(async () => {
    const api = window.migrationLab
    if (!api) throw new Error('window.migrationLab is missing')
    return api.renderStats()
  })
}

/** The legend's counts by category key, as the page shows them. */
async function legendCounts(panel: HostPanel): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const [key] of CATEGORIES) {
    const text = (await panel.legendItem(key).locator('.legend-count').textContent()) ?? ''
    out[key] = Number(text.replace(/,/g, ''))
  }
  return out
}

/** Counts by category computed from the host's published state bytes (the test API). */
function stateCounts(page: Page, host: 0 | 1): Promise<Record<string, number>> {
  return page.evaluate(
    ([h, categories]) => {
      const api = window.migrationLab
      if (!api) throw new Error('window.migrationLab is missing')
      const out: Record<string, number> = Object.fromEntries(categories.map(([k]) => [k, 0]))
      for (let p = 0; ; p++) {
        const s = api.pageState(h, p)
        if (s < 0) break
        const hit = categories.find(([, flag]) => flag !== 0 && (s & flag) !== 0)
        const key = hit ? hit[0] : 'absent'
        out[key] = (out[key] ?? 0) + 1
      }
      return out
    },
    [host, CATEGORIES] as const,
  )
}

test('the render worker draws fault flashes, and the counts text alternative follows the run', async ({
  page,
  labPage,
}) => {
  const { hostA, hostB } = labPage
  await labPage.goto('?test=1&scenario=postcopy')
  await labPage.waitReady()
  const start = await renderStats(page)
  expect(start.hosts.map((h) => [h.maps, h.overlays])).toEqual([
    [1, 1],
    [1, 1],
  ])
  const remoteBefore = (await legendCounts(hostB)).remote

  // Past the migrate command, then playing: host B faults, host A serves page-ins.
  await page.evaluate(() => window.migrationLab?.step(600))
  await labPage.toolbar.play.click()
  await expect.poll(async () => (await renderStats(page)).hosts[1].flashesDrawn).toBeGreaterThan(0)
  await expect.poll(async () => (await renderStats(page)).hosts[0].flashesDrawn).toBeGreaterThan(0)
  // The rings are on the overlay, not only counted (they are blitted from cached bitmaps).
  await expect.poll(async () => (await renderStats(page)).hosts[1].overlayInk).toBeGreaterThan(0)
  await expect.poll(async () => (await legendCounts(hostB)).remote).not.toBe(remoteBefore)
  await labPage.toolbar.pause.click()
  await page.evaluate(() => window.migrationLab?.waitForIdle())

  // Paused: the rings fade out, and the legends settle on exactly the published states.
  await expect.poll(async () => (await renderStats(page)).hosts[1].flashesLive).toBe(0)
  expect((await renderStats(page)).hosts[1].overlayInk).toBe(0)
  for (const [panel, host] of [
    [hostA, 0],
    [hostB, 1],
  ] as const) {
    const expected = await stateCounts(page, host)
    await expect.poll(() => legendCounts(panel)).toEqual(expected)
  }
})

test('a new load with another memory size: the maps follow its buffers', async ({
  page,
  labPage,
}) => {
  const { hostA } = labPage
  await labPage.goto('?test=1&scenario=postcopy')
  await labPage.waitReady()
  const before = await hostA.pageCount()
  await page.evaluate(() =>
    window.migrationLab?.loadScenario({ name: 'small', seed: 3, migration: { pages: 300 } }),
  )
  await expect(hostA.pageMap).toHaveAttribute('data-page-count', '300')
  expect(before).not.toBe(300)
  await expect.poll(async () => (await renderStats(page)).hosts[0].pageCount).toBe(300)
  // The last page of the new memory is drawn from the new load's shared buffer.
  await labPage.setPageState(0, 299, PINNED)
  await expect
    .poll(() => hostA.cellColor(299))
    .toEqual(hexToRgba(await hostA.legendColor('pinned')))
  await expect(hostA.legendItem('pinned')).toContainText(/[1-9]/)
})

test('a failing render worker is shown, the simulation keeps running, and Restart brings the maps back', async ({
  page,
  labPage,
}) => {
  const { hostA, toolbar } = labPage
  await labPage.goto('?test=1&scenario=postcopy')
  await labPage.waitReady()
  await page.evaluate(() => window.migrationLab?.failRenderer())
  const banner = page.getByTestId('banner.renderError')
  await expect(banner).toBeVisible()
  await expect(banner).toContainText('The page-map renderer failed')
  await expect(banner).toContainText('injected failure in the page-map renderer')

  // The app did not crash: the hosts still run.
  const t0 = await toolbar.tickValue()
  await toolbar.step.click()
  await expect.poll(() => toolbar.tickValue()).toBe(t0 + 1)
  await expect(hostA.pageMap).toBeVisible()

  await banner.getByRole('button', { name: 'Restart the page maps' }).click()
  await expect(banner).toBeHidden()
  // New canvases for the new worker (the old ones were transferred to the old worker).
  await expect
    .poll(async () => (await renderStats(page)).hosts.map((h) => [h.maps, h.overlays]))
    .toEqual([
      [1, 1],
      [1, 1],
    ])
  await expect(hostA.pageMap).toHaveAttribute('data-page-count', /^[1-9]/)
  await labPage.setPageState(0, 5, PINNED)
  await expect.poll(() => hostA.cellColor(5)).toEqual(hexToRgba(await hostA.legendColor('pinned')))
})
