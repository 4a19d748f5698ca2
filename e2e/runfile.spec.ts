import { readFileSync } from 'node:fs'
import type { TraceEvent } from '../src/ui/app/testApi'
import { expect, test } from './fixtures'
import { TimelinePanel } from './pages/TimelinePanel'

test('a saved run loads and verifies; a tampered one is rejected with a clear message', async ({
  page,
  labPage,
}) => {
  const tl = new TimelinePanel(page)
  await labPage.goto('?test=1&scenario=partition-migrate')
  await labPage.waitReady()
  // A live input, then more ticks: the input log is part of the run.
  await tl.stepTo({ tick: 1000 })
  await page.evaluate(() =>
    window.migrationLab?.input({ type: 'fault.linkDown', durationTicks: 50 }),
  )
  await tl.stepTo({ tick: 2500 })
  await tl.stepTo({ event: 2000 })

  const download = page.waitForEvent('download')
  await page.getByTestId('export.saveRun').click()
  const file = await (await download).path()
  const text = readFileSync(file, 'utf8')
  const saved = JSON.parse(text) as { inputs: unknown[]; eventLogHash: string; frontier: number }
  expect(saved.inputs).toHaveLength(1)
  expect(saved.frontier).toBe(2500)

  // Load it back through the file picker: replayed, verified, opened at the saved event.
  await tl.loadScenario('streams-terminal')
  await page.getByTestId('export.loadRunFile').setInputFiles({
    name: 'good.run.json',
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  })
  await expect(page.getByTestId('export.status')).toHaveText('good.run.json: loaded and verified.')
  await expect(
    page.getByTestId('banner.run').filter({ hasText: 'loaded and verified' }),
  ).toBeVisible()
  await tl.waitForIdle()
  expect(await tl.cursorIndex()).toBe(2000)
  expect(await page.evaluate(() => window.migrationLab?.frontier())).toBe(2500)

  // Tampered: the input moved by one tick. The replay differs and the file is rejected.
  const tampered = JSON.parse(text) as { inputs: { applyAt: number }[] }
  ;(tampered.inputs[0] as { applyAt: number }).applyAt += 1
  await page.getByTestId('export.loadRunFile').setInputFiles({
    name: 'tampered.run.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(tampered)),
  })
  await expect(page.getByTestId('export.status')).toContainText('Saved run rejected')
  await expect(
    page.getByTestId('banner.run').filter({ hasText: 'Saved run rejected' }),
  ).toBeVisible()

  // Malformed: names the field.
  const bad = { ...JSON.parse(text), eventLogHash: '<script>x</script>' }
  const msg = await page.evaluate(
    (t) =>
      window.migrationLab?.loadRun(t).then(
        () => 'loaded',
        (e: Error) => e.message,
      ),
    JSON.stringify(bad),
  )
  expect(msg).toContain('eventLogHash')
  expect(await page.locator('script', { hasText: 'x' }).count()).toBe(0)
})

test('the exported trace is valid trace-event JSON with tracks and matched flows', async ({
  page,
  labPage,
}) => {
  const tl = new TimelinePanel(page)
  await labPage.goto('?test=1&scenario=partition-migrate')
  await labPage.waitReady()
  await tl.stepTo({ tick: 5000 })
  const download = page.waitForEvent('download')
  await page.getByTestId('export.trace').click()
  const trace = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as {
    traceEvents: TraceEvent[]
  }
  expect(Array.isArray(trace.traceEvents)).toBe(true)
  expect(trace.traceEvents.length).toBeGreaterThan(1000)
  // Shape of every event (checked in plain JS: one expect per event would be slow).
  const bad = trace.traceEvents.filter(
    (ev) =>
      typeof ev.name !== 'string' ||
      !['M', 'i', 'X', 's', 'f'].includes(ev.ph) ||
      !Number.isFinite(ev.ts) ||
      !Number.isInteger(ev.pid) ||
      !Number.isInteger(ev.tid) ||
      (ev.ph === 'X' && !((ev.dur ?? 0) > 0)),
  )
  expect(bad).toEqual([])
  const procs = trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'process_name')
  expect(procs.map((e) => e.pid).sort()).toEqual([1, 2])
  const threads = trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name')
  expect(threads.some((e) => String(e.args?.name).startsWith('STREAMS component'))).toBe(true)
  expect(threads.some((e) => String(e.args?.name).startsWith('link'))).toBe(true)
  const starts = trace.traceEvents.filter((e) => e.ph === 's')
  const ends = trace.traceEvents.filter((e) => e.ph === 'f')
  expect(starts.length).toBeGreaterThan(10)
  expect(new Set(starts.map((e) => e.id))).toEqual(new Set(ends.map((e) => e.id)))
  expect(new Set(starts.map((e) => e.id)).size).toBe(starts.length)
  // A request flow goes from host B (pid 2) to host A (pid 1).
  const req = starts.find((e) => e.name === 'page-in request')
  const reqEnd = ends.find((e) => e.id === req?.id)
  expect(req?.pid).toBe(2)
  expect(reqEnd?.pid).toBe(1)
  expect(reqEnd && req ? reqEnd.ts >= req.ts : false).toBe(true)

  // Metrics CSV.
  const csvDl = page.waitForEvent('download')
  await page.getByTestId('export.csv').click()
  const csv = readFileSync(await (await csvDl).path(), 'utf8')
    .trim()
    .split('\n')
  expect(csv[0]).toBe(
    'tickStart,tickEnd,timeUsStart,events,faults,networkFaults,pagesServed,messagesA,messagesB,wireBytesA,wireBytesB,phaseChanges',
  )
  expect(csv.length).toBeGreaterThan(10)

  // Chart exports.
  const svgDl = page.waitForEvent('download')
  await page.getByTestId('export.svg').click()
  expect(readFileSync(await (await svgDl).path(), 'utf8')).toContain('<svg')
  const pngDl = page.waitForEvent('download')
  await page.getByTestId('export.png').click()
  const png = readFileSync(await (await pngDl).path())
  expect(png.subarray(1, 4).toString()).toBe('PNG')
})
