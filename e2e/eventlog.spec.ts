import { expect, test } from './fixtures'
import type { Page } from '@playwright/test'
import type { LabPage } from './pages/LabPage'
import { TimelinePanel } from './pages/TimelinePanel'

/** A scenario whose log has pages, modules and messages to inspect. */
const MIGRATION = 'partition-migrate'

/** Opens the app with MIGRATION loaded and stepped to tick 1,500 (mid-migration, paused). */
async function openMigrationAt1500(page: Page, labPage: LabPage): Promise<TimelinePanel> {
  const tl = new TimelinePanel(page)
  await labPage.goto()
  await labPage.waitReady()
  await tl.loadScenario(MIGRATION)
  await tl.stepTo({ tick: 1500 })
  return tl
}

test('the event log lists real events, follows the newest and can be browsed', async ({
  page,
  labPage,
}) => {
  await labPage.goto()
  await labPage.waitReady()
  // The kind column's monospace face is in use before the first event, by the column's header: the
  // log's first rows then load no font in the middle of a run's busiest second (render bench).
  const fontOf = (el: Element) => getComputedStyle(el).fontFamily
  const headFont = await page.getByTestId('eventLog').locator('.ev-kind-head').evaluate(fontOf)
  expect(headFont).toContain('monospace')
  // Before the first event the follow view's rows are already laid out, blank and hidden, under the
  // empty message; the first events fill those same elements (no new rows in a run's first second).
  const log = page.getByTestId('eventLog')
  await expect(log.getByText('No events yet: press Play or Step.')).toBeVisible()
  await expect(labPage.eventRows).toHaveCount(0)
  const blanks = log.locator('.event-row-blank')
  await expect(blanks).toHaveCount(10)
  for (const blank of await blanks.all()) await expect(blank).toBeHidden()
  await blanks.evaluateAll((els) => els.forEach((el) => el.setAttribute('data-from-start', '')))
  // 40 inputs: each is applied at the next tick and logged as a `sim.input` event.
  await page.evaluate(async () => {
    const api = window.migrationLab
    if (!api) throw new Error('window.migrationLab is missing')
    for (let i = 0; i < 40; i++) {
      api.input({ type: 'debug.setPageState', host: 0, page: i, state: 1 })
    }
    await api.step(1)
  })
  await expect(page.getByTestId('eventLog.count')).toHaveText(/^40 events/)
  const rows = labPage.eventRows
  // Following: the newest event is the last row shown.
  await expect(rows.last()).toContainText('User input #39 applied')
  await expect(rows.last()).toContainText('sim.input')
  expect(await rows.last().locator('.ev-kind').evaluate(fontOf)).toBe(headFont)
  await expect(rows).toHaveCount(10)
  // Paused, the upper half (a gate phase of its own while playing) shows the same step's events.
  await expect(rows.first()).toContainText('User input #30 applied')
  await expect(log.locator('[data-testid="eventLog.row"][data-from-start]')).toHaveCount(10)
  await expect(blanks).toHaveCount(0)

  // Browsing: the virtualized list opens at its end and renders only a window of rows.
  await page.getByTestId('eventLog.follow').uncheck()
  await log.scrollIntoViewIfNeeded()
  const list = log.getByRole('list')
  await expect
    .poll(() => list.evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 1))
    .toBe(true)
  await expect(rows.filter({ hasText: 'User input #39 applied' })).toBeInViewport()
  expect(await rows.count()).toBeLessThan(40)
  await list.evaluate((el) => el.scrollTo(0, 0))
  await expect(rows.filter({ hasText: 'User input #0 applied' })).toBeInViewport()

  // Filtering by text.
  await page.getByTestId('eventLog.filter').fill('#17 ')
  await expect(page.getByTestId('eventLog.count')).toHaveText(/^1 of 40 events/)
  await expect(rows).toHaveCount(1)
})

test('an event row opens its entities in the inspector; while a followed log plays the buttons wait for the pause', async ({
  page,
  labPage,
}) => {
  const tl = await openMigrationAt1500(page, labPage)
  // Paused and following: the newest rows offer their pages, modules, blocks or messages.
  const buttons = labPage.eventLog.getByTestId('eventLog.entity')
  const pageButton = buttons.filter({ hasText: /^page \d+$/ }).last()
  await expect(pageButton).toBeAttached()
  const label = (await pageButton.textContent()) ?? ''
  await expect(pageButton).toBeVisible()
  await pageButton.click()
  await expect(tl.inspectorTitle).toHaveText(
    new RegExp(`^Page ${label.split(' ')[1]} \\(host [AB]\\)$`),
  )

  // Playing and following: the rows are replaced several times a second and carry no buttons.
  await page.getByTestId('eventLog.follow').check()
  await labPage.toolbar.play.click()
  await expect(labPage.eventLog).toContainText('pause to inspect its entities')
  await expect(buttons).toHaveCount(0)
  await labPage.toolbar.pause.click()
  await expect(buttons.first()).toBeAttached()
  await expect(labPage.eventLog).not.toContainText('pause to inspect its entities')
})

test('Play and Pause clicks do not re-render the event log in their own task: it switches modes in its panel frame', async ({
  page,
  labPage,
}) => {
  await openMigrationAt1500(page, labPage)
  await page.getByTestId('eventLog.follow').check()
  const buttons = labPage.eventLog.getByTestId('eventLog.entity')
  await expect(buttons.first()).toBeAttached()
  await labPage.toolbar.play.click()
  const hint = 'pause to inspect its entities'
  await expect(labPage.eventLog).toContainText(hint)
  // Playing: no row offers inspect buttons, the upper half of the followed rows included.
  expect(await buttons.count()).toBe(0)
  // The click and the microtasks React flushes its update in, all in one task: the log still
  // shows its playing mode when that task ends.
  const hintInClickTask = await page.evaluate(async (text) => {
    const pause = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Pause')
    if (!pause) throw new Error('no Pause button')
    pause.click()
    await new Promise<void>((resolve) => queueMicrotask(resolve))
    return document.querySelector('[data-testid="eventLog"]')?.textContent?.includes(text)
  }, hint)
  expect(hintInClickTask).toBe(true)
  // Then, in its panel frame, the paused mode.
  await expect(buttons.first()).toBeAttached()
  await expect(labPage.eventLog).not.toContainText(hint)
})

test('the page and module filters keep only the events naming that page or module', async ({
  page,
  labPage,
}) => {
  const tl = await openMigrationAt1500(page, labPage)
  const pg = await tl.firstNetworkFaultPage()
  expect(pg).toBeGreaterThanOrEqual(0)
  const count = page.getByTestId('eventLog.count')
  // Letters are dropped as typed: the field keeps the digits.
  await page.getByTestId('eventLog.filter.page').fill(`p${pg}`)
  await expect(page.getByTestId('eventLog.filter.page')).toHaveValue(String(pg))
  await expect(count).toHaveText(/^[\d,]+ of [\d,]+ events/)
  const rows = labPage.eventRows
  await expect(rows.first()).toBeVisible()
  for (const text of await rows.allTextContents()) expect(text).toContain(`page ${pg}`)

  await page.getByTestId('eventLog.filter.page').fill('')
  await page.getByTestId('eventLog.filter.module').fill('999999')
  await expect(count).toHaveText(/^0 of [\d,]+ events/)
  await expect(page.getByText('No event matches the filter.')).toBeVisible()
})
