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
  await expect(lane.getByTestId('link.events')).not.toHaveAttribute('data-count', '0')
  // Pointing at the strip names the nearest event.
  const svg = lane.getByTestId('link.svg')
  const box = await svg.boundingBox()
  if (!box) throw new Error('the link lane is not on screen')
  const hover = lane.getByTestId('link.hover')
  await expect(hover).toHaveText('Point at a mark for its event.')
  const named = /^tick \d+, host [AB]: /
  for (let f = 0.25; f < 1; f += 0.01) {
    await page.mouse.move(box.x + box.width / 2, box.y + box.height * f)
    if (named.test((await hover.textContent()) ?? '')) break
  }
  await expect(hover).toHaveText(named)
  await expect(lane.getByTestId('link.hovered')).toBeAttached()
  await expect(labPage.eventRows.filter({ hasText: 'net.down' }).first()).toBeVisible()
})
