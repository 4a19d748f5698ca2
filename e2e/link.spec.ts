import { expect, test } from './fixtures'

test('the link lane shows an outage from the network events as it happens', async ({
  page,
  labPage,
}) => {
  await labPage.goto()
  await labPage.waitReady()
  const lane = labPage.linkLane
  await expect(lane.getByTestId('link.arrow.AB')).toBeAttached()
  await expect(lane.getByTestId('link.arrow.BA')).toBeAttached()
  await expect(lane.getByTestId('link.summary')).toContainText('link up')

  await page.evaluate(async () => {
    const api = window.migrationLab
    if (!api) throw new Error('window.migrationLab is missing')
    api.input({ type: 'fault.linkDown', durationTicks: 1000 })
    await api.step(3)
  })
  await expect(lane.getByTestId('link.summary')).toContainText(/link down until tick \d+/)
  await expect(lane.getByTestId('link.event').first()).toBeAttached()
  await expect(labPage.eventRows.filter({ hasText: 'net.down' }).first()).toBeVisible()
})
