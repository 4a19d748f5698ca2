import { expect, test } from './fixtures'

test.describe('scenario loading', () => {
  test('an invalid scenario file shows the field and the app keeps working', async ({
    page,
    labPage,
  }) => {
    await labPage.goto()
    await labPage.waitReady()
    await page.getByTestId('scenario.file').setInputFiles({
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ tickUs: -5, bogus: 1 })),
    })
    const banner = page.getByTestId('banner.scenario')
    await expect(banner).toContainText('broken.json: invalid scenario')
    await expect(banner).toContainText('tickUs')
    await expect(banner).toContainText('bogus')
    // Still the previous scenario, still running.
    await expect(labPage.scenarioSelect).toHaveValue('')
    const t0 = await labPage.toolbar.tickValue()
    await labPage.toolbar.step.click()
    await expect.poll(() => labPage.toolbar.tickValue()).toBe(t0 + 1)
    await banner.getByRole('button', { name: 'Dismiss' }).click()
    await expect(banner).toHaveCount(0)
  })

  test('a valid scenario file is loaded from tick 0 with its seed', async ({ page, labPage }) => {
    await labPage.goto()
    await labPage.waitReady()
    await labPage.toolbar.step.click()
    await expect.poll(() => labPage.toolbar.tickValue()).toBe(1)
    await page.getByTestId('scenario.file').setInputFiles({
      name: 'mine.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ name: 'mine', seed: 99 })),
    })
    // A tick was computed: opening the file asks before discarding the run.
    await page.getByTestId('scenario.confirm.ok').click()
    await expect(page.getByTestId('scenario.meta')).toHaveText('seed 99')
    await expect(labPage.scenarioSelect).toHaveValue('__opened__')
    await expect.poll(() => labPage.toolbar.tickValue()).toBe(0)
  })

  test('an unknown preset in the URL is reported and the default runs', async ({ labPage }) => {
    await labPage.goto('?test=1&scenario=nosuchpreset')
    await expect(labPage.urlBanners).toContainText("no preset 'nosuchpreset'")
    await labPage.waitReady()
    await expect(labPage.scenarioSelect).toHaveValue('')
  })
})

test.describe('presets', () => {
  test('?scenario= and ?seed= open a preset from scenarios/index.json', async ({ labPage }) => {
    await labPage.goto('?test=1&scenario=streams-terminal&seed=5')
    await labPage.waitReady()
    await expect(labPage.scenarioSelect).toHaveValue('streams-terminal.json')
    await expect(labPage.page.getByTestId('scenario.meta')).toHaveText('seed 5')
    await labPage.toolbar.play.click()
    await expect(labPage.eventRows.first()).toBeVisible()
    await labPage.toolbar.pause.click()
  })

  test('the picker lists the presets and loads the chosen one from tick 0', async ({ labPage }) => {
    await labPage.goto()
    await labPage.waitReady()
    await labPage.toolbar.step.click()
    await expect.poll(() => labPage.toolbar.tickValue()).toBe(1)
    await expect(labPage.scenarioSelect.getByRole('option')).not.toHaveCount(1)
    await labPage.scenarioSelect.selectOption('streams-network.json')
    // One tick was computed: the picker asks before discarding the run.
    const confirm = labPage.page.getByTestId('scenario.confirm')
    await expect(confirm).toBeVisible()
    await confirm.getByRole('button', { name: 'Keep the run' }).click()
    await expect(confirm).toBeHidden()
    expect(await labPage.toolbar.tickValue()).toBe(1)
    await labPage.scenarioSelect.selectOption('streams-network.json')
    await confirm.getByRole('button', { name: 'Discard the run and continue' }).click()
    await expect(labPage.scenarioSelect).toHaveValue('streams-network.json')
    await expect.poll(() => labPage.toolbar.tickValue()).toBe(0)
    await expect(labPage.page.getByTestId('banner.scenario')).toHaveCount(0)
  })
})
