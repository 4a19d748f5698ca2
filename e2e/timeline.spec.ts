import { expect, test } from './fixtures'
import { TimelinePanel } from './pages/TimelinePanel'

const MIGRATION = 'partition-migrate'

test.describe('time travel', () => {
  test('ten events forward and ten back give the state hash of before', async ({
    page,
    labPage,
  }) => {
    const tl = new TimelinePanel(page)
    await labPage.goto()
    await labPage.waitReady()
    await tl.loadScenario(MIGRATION)
    // Start in the middle of the migration's busy part, on an event.
    await tl.stepTo({ tick: 230 })
    await tl.stepTo({ event: await tl.cursorIndex() })
    const start = await tl.cursorIndex()
    const before = await tl.stateHash()
    const tick0 = await tl.tick()
    for (let i = 0; i < 10; i++) await tl.stepEvent.click()
    await tl.waitForIdle()
    expect(await tl.cursorIndex()).toBe(start + 10)
    expect(await tl.stateHash()).not.toBe('')
    for (let i = 0; i < 10; i++) await tl.stepBack.click()
    await tl.waitForIdle()
    expect(await tl.cursorIndex()).toBe(start)
    expect(await tl.tick()).toBe(tick0)
    expect(await tl.stateHash()).toBe(before)
    // The event log highlights the cursor's event.
    await expect(
      page.locator(`[data-testid="eventLog.row"][data-index="${start}"]`),
    ).toHaveAttribute('data-current', 'true')
  })

  test('scrubbing to the middle of a migration equals a straight run stopped there', async ({
    page,
    labPage,
  }) => {
    const tl = new TimelinePanel(page)
    await labPage.goto()
    await labPage.waitReady()
    await tl.loadScenario(MIGRATION)
    // Compute the run past the middle first, so the scrub travels BACK (snapshot + replay).
    await tl.stepTo({ tick: 4000 })
    await tl.scrubTo(1500)
    const tick = await tl.tick()
    expect(Math.abs(tick - 1500)).toBeLessThan(40)
    const scrubbed = await tl.stateHash()
    const phases = await page.getByTestId('timeline.phaseMarker').count()
    expect(phases).toBeGreaterThan(3)

    // A straight run from a fresh load, stopped at the same tick.
    await tl.loadScenario(MIGRATION)
    await page.evaluate((t) => window.migrationLab?.step(t), tick)
    await tl.waitForIdle()
    expect(await tl.tick()).toBe(tick)
    expect(await tl.stateHash()).toBe(scrubbed)
  })

  test('next / previous phase and run to end', async ({ page, labPage }) => {
    const tl = new TimelinePanel(page)
    await labPage.goto()
    await labPage.waitReady()
    await tl.loadScenario(MIGRATION)
    await tl.nextPhase.click()
    await tl.waitForIdle()
    const events = await page.evaluate(() => window.migrationLab?.events() ?? [])
    const first = await tl.cursorIndex()
    expect(events[first]?.kind).toMatch(/^(mig|ckpt|rst|proc)\./)
    await tl.nextPhase.click()
    await tl.waitForIdle()
    const second = await tl.cursorIndex()
    expect(second).toBeGreaterThan(first)
    await tl.prevPhase.click()
    await tl.waitForIdle()
    expect(await tl.cursorIndex()).toBe(first)
    await tl.runToEnd.click()
    await tl.waitForIdle()
    expect(await tl.tick()).toBe(5000)
  })

  test("a page-fault breakpoint stops on that page's fault and says why", async ({
    page,
    labPage,
  }) => {
    const tl = new TimelinePanel(page)
    await labPage.goto()
    await labPage.waitReady()
    await tl.loadScenario(MIGRATION)
    // Find a page that faults in this run (straight run to the end, then back to the start).
    await tl.stepTo({ tick: 5000 })
    const target = await page.evaluate(() => {
      const evs = window.migrationLab?.events() ?? []
      const f = evs.filter((e) => e.kind === 'page.faultNetwork')[5]
      return f && 'page' in f ? f.page : -1
    })
    expect(target).toBeGreaterThanOrEqual(0)
    await tl.stepTo({ tick: 0 })

    await tl.addPageFaultBreakpoint(target)
    await tl.bpRun.click()
    await expect(tl.stopReason).toHaveAttribute('data-reason', 'breakpoint')
    await expect(tl.stopReason).toContainText(`fault on page ${target}`)
    await tl.waitForIdle()
    const idx = await tl.cursorIndex()
    const ev = await page.evaluate((i) => window.migrationLab?.events()[i], idx)
    expect(ev?.kind.startsWith('page.fault')).toBe(true)
    expect(ev && 'page' in ev ? ev.page : -1).toBe(target)
    expect(await tl.tick()).toBe((ev?.tick ?? 0) + 1)
    expect(Number(await tl.stopReason.getAttribute('data-event-index'))).toBe(idx)
  })

  test('inspector: selecting a page shows its history; a history row travels there', async ({
    page,
    labPage,
  }) => {
    const tl = new TimelinePanel(page)
    await labPage.goto()
    await labPage.waitReady()
    await tl.loadScenario(MIGRATION)
    await tl.stepTo({ tick: 5000 })
    const p = await tl.firstNetworkFaultPage()
    await page.evaluate((pg) => window.migrationLab?.select({ type: 'page', host: 1, page: pg }), p)
    await expect(tl.inspectorTitle).toHaveText(`Page ${p} (host B)`)
    await expect(tl.historyRows.first()).toBeVisible()
    await tl.historyRows.first().click()
    await tl.waitForIdle()
    const idx = Number(await tl.historyRows.first().getAttribute('data-index'))
    expect(await tl.cursorIndex()).toBe(idx)
  })
})
