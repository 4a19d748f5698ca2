import { expect, test } from './fixtures'

test('the event log lists real events, follows the newest and can be browsed', async ({
  page,
  labPage,
}) => {
  await labPage.goto()
  await labPage.waitReady()
  // 40 inputs: each is applied at the next tick and logged as a `sim.input` event.
  await page.evaluate(async () => {
    const api = window.migrationLab
    if (!api) throw new Error('window.migrationLab is missing')
    for (let i = 0; i < 40; i++) {
      api.input({ type: 'debug.setPageState', host: 0, page: i, state: 1 })
    }
    await api.step(1)
  })
  const log = page.getByTestId('eventLog')
  await expect(page.getByTestId('eventLog.count')).toHaveText(/^40 events/)
  const rows = labPage.eventRows
  // Following: the newest event is the last row shown.
  await expect(rows.last()).toContainText('User input #39 applied')
  await expect(rows.last()).toContainText('sim.input')

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
