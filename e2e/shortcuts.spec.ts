import { expect, test } from './fixtures'
import { TimelinePanel } from './pages/TimelinePanel'

test('every keyboard shortcut works, and none fires while typing', async ({ page, labPage }) => {
  const tl = new TimelinePanel(page)
  const kb = page.keyboard
  await labPage.goto('?test=1&scenario=partition-migrate')
  await labPage.waitReady()
  await page.locator('body').click({ position: { x: 5, y: 5 } })

  // ? opens the help sheet listing every shortcut; ? again closes it.
  await kb.press('?')
  await expect(tl.helpSheet).toBeVisible()
  await expect(tl.helpSheet.getByTestId('help.row')).toHaveCount(12)
  await kb.press('?')
  await expect(tl.helpSheet).toBeHidden()

  // → / ← one event.
  await kb.press('ArrowRight')
  await kb.press('ArrowRight')
  await kb.press('ArrowRight')
  await tl.waitForIdle()
  expect(await tl.cursorIndex()).toBe(2)
  await kb.press('ArrowLeft')
  await tl.waitForIdle()
  expect(await tl.cursorIndex()).toBe(1)

  // Shift+→ / Shift+← one phase.
  await kb.press('Shift+ArrowRight')
  await tl.waitForIdle()
  const p1 = await tl.cursorIndex()
  await kb.press('Shift+ArrowRight')
  await tl.waitForIdle()
  const p2 = await tl.cursorIndex()
  expect(p2).toBeGreaterThan(p1)
  const kinds = await page.evaluate(
    (idx) => idx.map((i) => window.migrationLab?.events()[i]?.kind),
    [p1, p2],
  )
  for (const k of kinds) expect(k).toMatch(/^(mig|ckpt|rst|proc)\./)
  await kb.press('Shift+ArrowLeft')
  await tl.waitForIdle()
  expect(await tl.cursorIndex()).toBe(p1)

  // . one tick.
  const t0 = await tl.tick()
  await kb.press('.')
  await expect.poll(() => tl.tick()).toBe(t0 + 1)

  // + / − speed (logarithmic steps).
  const speed = async () => Number(await tl.speedLabel.getAttribute('data-ticks-per-second'))
  const s0 = await speed()
  await kb.press('+')
  await expect.poll(speed).toBeGreaterThan(s0)
  await kb.press('-')
  await kb.press('-')
  await expect.poll(speed).toBeLessThan(s0)

  // Space plays and pauses.
  await kb.press(' ')
  await expect(labPage.toolbar.pause).toBeEnabled()
  await kb.press(' ')
  await expect(labPage.toolbar.play).toBeEnabled()

  // End / Home.
  await kb.press('End')
  await tl.waitForIdle()
  expect(await tl.tick()).toBe(5000)
  await kb.press('Home')
  await tl.waitForIdle()
  expect(await tl.tick()).toBe(0)

  // B runs until a breakpoint.
  await tl.bpType.selectOption('phase')
  await tl.bpAdd.click()
  await page.locator('body').click({ position: { x: 5, y: 5 } })
  await kb.press('b')
  await expect(tl.stopReason).toHaveAttribute('data-reason', 'breakpoint')
  await expect(tl.stopReason).toContainText('phase change')

  // Not while typing: arrows and space in a field stay in the field.
  await tl.waitForIdle()
  const before = await tl.cursorIndex()
  await page.getByTestId('eventLog.filter').focus()
  await kb.press('ArrowRight')
  await kb.press('ArrowLeft')
  await kb.type(' ?')
  await tl.waitForIdle()
  expect(await tl.cursorIndex()).toBe(before)
  await expect(tl.helpSheet).toBeHidden()
  await expect(labPage.toolbar.play).toBeEnabled()
})
