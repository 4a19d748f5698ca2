import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import type { Page, TestInfo } from '@playwright/test'
import type { MigrationReport } from '../src/sim/metrics'
import type { EventKind } from '../src/sim/events'
import { expect, test } from './fixtures'
import type { LabPage } from './pages/LabPage'
import { MigrationPanel } from './pages/MigrationPanel'

test.describe.configure({ timeout: 120_000 })

function presetJson(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(`public/scenarios/${name}.json`, 'utf8')) as Record<
    string,
    unknown
  >
}

/** The CLI's report for a scenario file (the same engine, headless). */
function cli(file: string): MigrationReport {
  const out = execFileSync('npx', ['tsx', 'src/cli/main.ts', file], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  })
  return JSON.parse(out) as MigrationReport
}

async function open(
  labPage: LabPage,
  page: Page,
  scenario: string | Record<string, unknown>,
): Promise<MigrationPanel> {
  await labPage.goto('?test=1')
  await labPage.waitReady()
  await page.evaluate((s) => window.migrationLab?.loadScenario(s as never), scenario)
  const mp = new MigrationPanel(page)
  await expect(mp.view).toBeVisible()
  return mp
}

async function step(page: Page, mp: MigrationPanel, n: number): Promise<void> {
  await page.evaluate((k) => window.migrationLab?.step(k), n)
  await mp.synced()
}

async function runUntil(page: Page, mp: MigrationPanel, kind: EventKind): Promise<void> {
  const stop = await page.evaluate(
    (k) => window.migrationLab?.runUntil({ type: 'eventKind', kind: k }),
    kind,
  )
  expect(stop?.reason, `run reached ${kind}`).toBe('breakpoint')
  await step(page, mp, 1)
}

async function shot(page: Page, info: TestInfo, name: string): Promise<void> {
  // Saved in the test's output folder (test-results/...) and attached to the report.
  const path = info.outputPath(`${name}.png`)
  await page.screenshot({ path, fullPage: true })
  await info.attach(name, { path, contentType: 'image/png' })
}

test('post-copy: migrate, restart on B with most pages remote, network faults, consulted index row, release with integrity verified', async ({
  page,
  labPage,
}, testInfo) => {
  const sc = presetJson('postcopy')
  delete (sc.migration as Record<string, unknown>).migrateAtTick
  const mp = await open(labPage, page, sc)
  await step(page, mp, 200)
  await expect(mp.process('hostA')).toHaveText('running')
  await expect(mp.partition('hostA')).toHaveText('active')
  await expect(mp.step('command')).toHaveAttribute('data-state', 'pending')
  await shot(page, testInfo, 'postcopy-before-migrate')

  await mp.migrate.click()
  await step(page, mp, 1)
  await expect(mp.step('command')).not.toHaveAttribute('data-state', 'pending')
  await expect(mp.migrate).toBeDisabled()

  await runUntil(page, mp, 'proc.resume')
  await expect(mp.process('hostB')).toContainText('running on remote paging')
  await expect(mp.process('hostA')).toHaveText('frozen')
  await expect(mp.partition('hostA')).toHaveText('frozen')
  const remote = Number(((await mp.remote().textContent()) ?? '').replace(/[^0-9]/g, ''))
  expect(remote, 'most pages still on host A when B resumes').toBeGreaterThan(4096 / 2)
  await expect(mp.step('pinnedTouch')).toHaveAttribute('data-state', 'done')
  await expect(mp.step('restart').getByTestId('sequence.step.restart.confidence')).toContainText(
    'verified',
  )

  await step(page, mp, 40)
  expect(await mp.numeric('faults.network')).toBeGreaterThan(0)
  await expect(mp.consultedRow).toHaveCount(1)
  await expect(mp.indexStatus).toContainText('last lookup: page')
  const consulted = await mp.consultedRow.getAttribute('data-testid')
  expect(await mp.indexStatus.textContent()).toContain(`page ${consulted?.split('.').pop()}`)
  // Charts: faults over time (network bars), latency histogram, transfer and progress lines.
  await expect(page.getByTestId('chart.faults.bars').first()).not.toHaveAttribute('data-bars', '0')
  await expect(page.getByTestId('chart.latency.bars')).not.toHaveAttribute('data-bars', '0')
  // Tooltips: pointing at a chart reads out the values under the pointer and marks the spot.
  for (const [id, readout] of [
    ['faults', /ms: \d+ faults \(network \d+, minor \d+/],
    ['transfer', /^tick [\d,]+: .+ \d/],
  ] as const) {
    const plot = page.getByTestId(`chart.${id}`).locator('.chart-pointer')
    await plot.scrollIntoViewIfNeeded()
    const box = await plot.boundingBox()
    if (!box) throw new Error(`chart ${id} is not on screen`)
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2)
    await expect(page.getByTestId(`chart.${id}.hover`)).toHaveText(readout)
    await expect(page.getByTestId(`chart.${id}.highlight`)).toBeAttached()
  }
  await page.mouse.move(0, 0)
  await expect(page.getByTestId('chart.faults.hover')).toHaveText(/^Point at the chart/)
  await expect(page.getByTestId('chart.transfer')).toContainText('on demand')
  await expect(page.getByTestId('chart.progress')).toContainText('no-migration reference')
  // Network lane: the link's use per direction (and the messages in flight at this tick).
  await expect(page.getByTestId('lane.AB')).toContainText('sent')
  await expect(page.getByTestId('lane.BA')).toContainText('sent')
  await shot(page, testInfo, 'postcopy-demand-paging')

  await runUntil(page, mp, 'mig.sourceReleased')
  await expect(mp.process('hostA')).toHaveText('released')
  await expect(mp.number('integrity')).toHaveAttribute('data-value', 'verified')
  await expect(mp.step('release')).toHaveAttribute('data-state', /current|done/)
  await shot(page, testInfo, 'postcopy-released')
})

for (const name of ['postcopy', 'precopy', 'stopcopy'] as const) {
  test(`${name}: the numbers the UI shows equal the CLI's`, async ({ page, labPage }, testInfo) => {
    const ref = cli(`public/scenarios/${name}.json`)
    const mp = await open(labPage, page, `${name}.json`)
    await page.evaluate((t) => window.migrationLab?.stepTo({ tick: t }), ref.ticks)
    await mp.synced()
    await expect(mp.view).toHaveAttribute('data-report-tick', String(ref.ticks))
    await expect(mp.process('hostA')).toHaveText('released')
    expect(await mp.integrityResult()).toEqual({
      value: ref.integrity.ok ? 'verified' : 'failed',
      checksum: ref.integrity.checksum,
    })
    const t = ref.transfer
    const expected: Record<string, number> = {
      downtime: ref.downtimeUs,
      totalTime: ref.totalMigrationUs,
      released: ref.sourceReleasedUs,
      eagerPages: t.pinned.pages + t.nonPrivate.pages + t.hot.pages + t.stopcopy.pages,
      precopyPages: t.precopy.pages,
      demandPages: t.demand.pages + t.proximal.pages,
      backgroundPages: t.background.pages + t.prefetch.pages,
      'faults.network': ref.faults.network,
      'faults.minor': ref.faults.minor,
      'faults.zeroFill': ref.faults.zeroFill,
      'faults.localCopy': ref.faults.localCopy,
      totalBytes: t.totalBytes,
    }
    const shown: Record<string, number> = {}
    for (const k of Object.keys(expected)) shown[k] = await mp.numeric(k)
    expect(shown).toEqual(expected)
    if (name !== 'postcopy') {
      await expect(mp.step('stopCopy')).toHaveAttribute('data-state', /done|current/)
    }
    if (name === 'precopy') await expect(mp.step('precopy')).toHaveAttribute('data-state', 'done')
    await shot(page, testInfo, `${name}-end`)
  })
}

test('index table: following keeps the consulted entry in the middle; arrow keys browse from it', async ({
  page,
  labPage,
}) => {
  const mp = await open(labPage, page, 'postcopy')
  // Before the index table arrives, the following view's 13 rows are laid out, blank and hidden;
  // the first entries fill those same elements (no new rows in a run's first second).
  const slots = mp.indexRows.locator(':scope > div')
  await expect(slots).toHaveCount(13)
  await expect(mp.indexRows.locator('.index-row-blank')).toHaveCount(13)
  for (const slot of await slots.all()) await expect(slot).toBeHidden()
  await slots.evaluateAll((els) => els.forEach((el) => el.setAttribute('data-from-start', '')))
  await runUntil(page, mp, 'proc.resume')
  await step(page, mp, 40)
  // Following: the consulted row is shown, in the middle of the rows (unless near either end).
  await expect(mp.consultedRow).toHaveCount(1)
  const rows = mp.indexRows.getByRole('row')
  await expect(rows).toHaveCount(13)
  await expect(mp.indexRows.locator('[role="row"][data-from-start]')).toHaveCount(13)
  const n = await rows.count()
  const testIds = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))
  const at = testIds.indexOf(await mp.consultedRow.getAttribute('data-testid'))
  const consulted = Number((await mp.consultedRow.getAttribute('data-testid'))?.split('.').pop())
  if (consulted > n && consulted < 4096 - n) expect(at).toBe(Math.floor(n / 2))
  // Every entry in the window is the next page number (sorted by page, all entries).
  const pages = testIds.map((t) => Number(t?.split('.').pop()))
  expect(pages).toEqual(pages.map((_, i) => (pages[0] as number) + i))

  // An arrow key in the following view leaves it for browsing, opened at the consulted row.
  await mp.indexRows.focus()
  await page.keyboard.press('ArrowDown')
  await expect(mp.indexFollow).not.toBeChecked()
  await expect(mp.indexRows).toBeFocused()
  await expect(mp.row(consulted)).toBeVisible()
  await expect(mp.row(consulted)).toHaveAttribute('data-consulted', 'true')
  // Browsing scrolls through every entry: the last one can be reached.
  await mp.indexRows.evaluate((el) => (el.scrollTop = el.scrollHeight))
  await expect(mp.row(4095)).toBeVisible()
  // Following again brings the consulted entry back.
  await mp.indexFollow.check()
  await expect(mp.consultedRow).toHaveCount(1)
  await expect(mp.row(consulted)).toBeVisible()
})

test('link outage: the process blocks on a page, then recovers and the migration completes', async ({
  page,
  labPage,
}, testInfo) => {
  const mp = await open(labPage, page, 'postcopy.json')
  await runUntil(page, mp, 'proc.resume')
  await page.getByLabel('Link outage (µs)').fill('30000')
  await mp.linkDown.click()
  let blocked = false
  let text = ''
  for (let i = 0; i < 60 && !blocked; i++) {
    await step(page, mp, 20)
    text = (await mp.process('hostB').textContent()) ?? ''
    blocked = text.includes('waiting for page')
  }
  expect(blocked, 'the process waits for a page while the link is down').toBe(true)
  await shot(page, testInfo, 'link-outage-blocked')
  // Still blocked on the same page while the link is down...
  await step(page, mp, 500)
  await expect(mp.process('hostB')).toHaveText(text)
  // ...and past the outage the page arrives: the process moves on.
  await step(page, mp, 3000)
  await expect(mp.process('hostB')).not.toHaveText(text)
  await runUntil(page, mp, 'mig.sourceReleased')
  await expect(mp.number('integrity')).toHaveAttribute('data-value', 'verified')
})

test('source crash: the loss is reported', async ({ page, labPage }, testInfo) => {
  const mp = await open(labPage, page, 'postcopy.json')
  await runUntil(page, mp, 'proc.resume')
  await step(page, mp, 20)
  await mp.sourceCrash.click()
  await step(page, mp, 2)
  await expect(mp.process('hostA')).toHaveText('crashed')
  await expect(mp.number('lost')).toHaveAttribute('data-value', '1')
  await expect(mp.number('lost')).toContainText('only on the crashed host')
  await shot(page, testInfo, 'source-crash')
})

test('changing parameters asks before discarding the run; keyboard reaches the controls', async ({
  page,
  labPage,
}) => {
  const mp = await open(labPage, page, 'postcopy.json')
  await step(page, mp, 100)
  await mp.strategy.selectOption('precopy')
  await mp.apply.click()
  await expect(mp.confirm).toBeVisible()
  await mp.confirmCancel.click()
  await expect(mp.confirm).toBeHidden()
  expect(await page.evaluate(() => window.migrationLab?.tick())).toBe(100)
  await mp.apply.click()
  await mp.confirmOk.click()
  await expect(mp.view).toHaveAttribute('data-tick', '0')
  await expect(mp.strategy).toHaveValue('precopy')
  // Keyboard: the Migrate button is reachable and labelled.
  await mp.migrate.focus()
  await expect(mp.migrate).toBeFocused()
  await expect(page.getByRole('button', { name: 'Migrate' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Zoom in on the Host B page map' })).toBeVisible()
})

test('page map: hover shows page details, zoom and pan', async ({ page, labPage }) => {
  const mp = await open(labPage, page, 'postcopy.json')
  await runUntil(page, mp, 'proc.resume')
  const map = page.getByTestId('hostB.pageMap')
  const box = await map.boundingBox()
  if (!box) throw new Error('no page map')
  await page.mouse.move(box.x + 5, box.y + 5)
  const tip = page.getByTestId('hostB.pageMap.tooltip')
  await expect(tip).toBeVisible()
  await expect(tip).toContainText('Segment')
  await expect(tip.getByTestId('page.number')).toHaveText('0')
  await page.getByTestId('hostB.pageMap.zoomIn').click()
  await expect(page.getByTestId('hostB.pageMap.zoom')).toHaveText('200 %')
  await page.getByTestId('hostB.pageMap.viewport').focus()
  await page.keyboard.press('0')
  await expect(page.getByTestId('hostB.pageMap.zoom')).toHaveText('100 %')
})

test("the committed Lackey trace loads in a worker and migrates, with the CLI's numbers", async ({
  page,
  labPage,
}, testInfo) => {
  const ref = cli('public/scenarios/trace-replay.json')
  // The trace preset names a file the browser cannot read by itself: the panel asks for it.
  const mp = await open(labPage, page, 'trace-replay.json')
  await expect(page.getByTestId('trace.missing')).toContainText('sortsum.lackey.gz')
  await mp.traceInput.setInputFiles('test/fixtures/sortsum.lackey.gz')
  await expect(mp.traceStatus).toHaveAttribute('data-state', 'loaded', { timeout: 60_000 })
  await expect(mp.traceStatus).toContainText('accesses parsed')
  await expect(page.getByTestId('trace.missing')).toBeHidden()
  await expect(mp.view).toHaveAttribute('data-tick', '0')
  await runUntil(page, mp, 'proc.resume')
  await expect(mp.process('hostB')).toContainText('running')
  await page.evaluate((t) => window.migrationLab?.stepTo({ tick: t }), ref.ticks)
  await mp.synced()
  await expect(mp.process('hostA')).toHaveText('released')
  const shown = {
    network: await mp.numeric('faults.network'),
    minor: await mp.numeric('faults.minor'),
    zeroFill: await mp.numeric('faults.zeroFill'),
    localCopy: await mp.numeric('faults.localCopy'),
    demand: await mp.numeric('demandPages'),
    totalBytes: await mp.numeric('totalBytes'),
  }
  expect(shown).toEqual({
    network: ref.faults.network,
    minor: ref.faults.minor,
    zeroFill: ref.faults.zeroFill,
    localCopy: ref.faults.localCopy,
    demand: ref.transfer.demand.pages + ref.transfer.proximal.pages,
    totalBytes: ref.transfer.totalBytes,
  })
  expect(shown.network).toBeGreaterThan(0)
  // The memory check replays the parsed trace in the verifier worker: the CLI's result and checksum.
  expect(ref.integrity.ok).toBe(true)
  expect(await mp.integrityResult()).toEqual({
    value: 'verified',
    checksum: ref.integrity.checksum,
  })
  await shot(page, testInfo, 'trace-migrated')
})

test("memory beyond 96 MB per host is verified off the main thread, with the CLI's checksum", async ({
  page,
  labPage,
}, testInfo) => {
  // 32,768 pages of 4 KiB: 128 MiB per host, over a fast link so the copy is over in ~1,100 ticks.
  const sc = presetJson('stopcopy')
  sc.name = 'Large memory (128 MiB) stop-and-copy'
  sc.link = { bandwidthMbps: 100_000 }
  ;(sc.migration as Record<string, unknown>).pages = 32_768
  const file = testInfo.outputPath('large-memory.json')
  writeFileSync(file, JSON.stringify(sc))
  const ref = cli(file)
  expect(ref.integrity.checked).toBe(true)
  const mp = await open(labPage, page, sc)
  await page.evaluate((t) => window.migrationLab?.stepTo({ tick: t }), ref.ticks)
  await mp.synced()
  await expect(mp.process('hostA')).toHaveText('released')
  expect(await mp.integrityResult()).toEqual({
    value: ref.integrity.ok ? 'verified' : 'failed',
    checksum: ref.integrity.checksum,
  })
  // A step invalidates the check; paused again with the migration over, it runs again.
  await step(page, mp, 1)
  expect((await mp.integrityResult()).value).toBe('verified')
})

test('a malformed trace shows an error naming the line and the app keeps working', async ({
  page,
  labPage,
}) => {
  const mp = await open(labPage, page, 'postcopy.json')
  await mp.traceInput.setInputFiles({
    name: 'bad.lackey',
    mimeType: 'text/plain',
    buffer: Buffer.from('I  0400d7d4,8\n S zz,4\n L 1ffefff000,8\n'),
  })
  await expect(page.getByTestId('trace.error')).toContainText('bad.lackey:2')
  await step(page, mp, 50)
  await expect(mp.process('hostA')).toHaveText('running')
})
