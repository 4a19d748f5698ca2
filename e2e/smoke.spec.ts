import { expect, test } from './fixtures'

// PAGE flags of src/sim/pageState.ts (e2e may import types only, so the two values are restated).
const PINNED = 1 << 4
const PAGED_OUT = 1 << 7

test.describe('foundation smoke', () => {
  test('the page is cross-origin isolated with shared memory', async ({ page, labPage }) => {
    const response = await page.goto('/?test=1')
    expect(response?.headers()['cross-origin-opener-policy']).toBe('same-origin')
    expect(response?.headers()['cross-origin-embedder-policy']).toBe('require-corp')
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true)
    expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function')
    await labPage.waitReady()
    await expect(labPage.isolationBanner).toHaveCount(0)
  })

  test('the page tells the host workers when it is busy: each animation frame and each input', async ({
    page,
    labPage,
  }) => {
    await labPage.goto()
    await labPage.waitReady()
    const count = () => page.evaluate(() => window.migrationLab?.pageBusyCount() ?? -1)
    // Frames: the count grows on its own.
    const before = await count()
    await expect.poll(count).toBeGreaterThan(before + 3)
    // Inputs: dispatched synchronously inside one task (no frame in between), each click and key
    // is announced once, before any handler of the page.
    const perInput = await page.evaluate(() => {
      const api = window.migrationLab
      if (!api) throw new Error('window.migrationLab is missing')
      const a = api.pageBusyCount()
      document.body.dispatchEvent(new MouseEvent('click', { bubbles: true }))
      document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'x', bubbles: true }))
      return api.pageBusyCount() - a
    })
    expect(perInput).toBe(2)
  })

  test('the host workers warm up in the background after start-up, and a run is unchanged by it', async ({
    page,
    labPage,
  }) => {
    const runOf = async (query: string) => {
      await labPage.goto(query)
      await labPage.waitReady()
      return page.evaluate(async () => {
        const api = window.migrationLab
        if (!api) throw new Error('window.migrationLab is missing')
        const warmUp = await api.warmUp()
        await api.loadScenario('postcopy')
        await api.stepTo({ tick: 3_000 })
        return {
          warmUp,
          hash: await api.stateHash(),
          log: api.eventLogHash(),
          events: api.eventCount(),
        }
      })
    }
    const warm = await runOf('?test=1')
    // Each worker ran the warm-up scenarios to their end, through the wait paths.
    expect(warm.warmUp?.map((w) => w.outcome)).toEqual(['done', 'done'])
    for (const w of warm.warmUp ?? []) {
      expect(w.outcome === 'done' && w.scenarios).toBe(3)
      expect(w.outcome === 'done' && w.exercises).toBeGreaterThan(100)
    }
    const cold = await runOf('?test=1&warmup=0')
    expect(cold.warmUp).toBeNull()
    expect(cold.events).toBeGreaterThan(0)
    expect(warm.events).toBe(cold.events)
    expect(warm.log).toBe(cold.log)
    expect(warm.hash).toBe(cold.hash)
  })

  test('a paused app idles: its frame loop and the map renderer poll instead of drawing each frame, and wake at once', async ({
    page,
    labPage,
  }) => {
    await labPage.goto()
    await labPage.waitReady()
    const passes = () =>
      page.evaluate(async () => {
        const api = window.migrationLab
        if (!api) throw new Error('window.migrationLab is missing')
        const { animationFrames, idlePolls } = await api.renderStats()
        return { main: api.framePasses(), render: { animationFrames, idlePolls } }
      })
    // No input, nothing playing: within a few seconds neither loop asks for animation frames.
    await expect
      .poll(
        async () => {
          const a = await passes()
          await page.waitForTimeout(600)
          const b = await passes()
          return [
            b.main.animationFrames - a.main.animationFrames,
            b.render.animationFrames - a.render.animationFrames,
            b.main.idlePolls > a.main.idlePolls && b.render.idlePolls > a.render.idlePolls,
          ]
        },
        { timeout: 10_000 },
      )
      .toEqual([0, 0, true])
    // A pointer move wakes the main loop to animation frames.
    const before = await passes()
    await page.mouse.move(400, 300)
    await page.mouse.move(420, 320)
    await expect
      .poll(async () => (await passes()).main.animationFrames)
      .toBeGreaterThan(before.main.animationFrames + 5)
    // A step shows at once: the tick readout advances.
    const tick = await labPage.toolbar.tickValue()
    await labPage.toolbar.step.click()
    await expect(labPage.toolbar.tick).not.toHaveText(String(tick))
    // A page state the idle renderer finds in shared memory is drawn, on animation frames again.
    const pinned = await labPage.hostA.legendColor('pinned')
    const n = Number.parseInt(pinned.slice(1), 16)
    const beforeState = await passes()
    await labPage.setPageState(0, 7, 1 << 4)
    await expect
      .poll(() => labPage.hostA.cellColor(7))
      .toEqual([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff, 255])
    await expect
      .poll(async () => (await passes()).render.animationFrames)
      .toBeGreaterThan(beforeState.render.animationFrames)
  })

  test('both host workers report ready', async ({ page, labPage }) => {
    await labPage.goto()
    await labPage.waitReady()
    await expect(labPage.runtimeStatus).toHaveText('2 workers ready')
    await expect(labPage.runtimeStatus).toHaveAttribute('data-kind', 'workers')
    expect(await page.evaluate(() => window.migrationLab?.kind)).toBe('workers')
    await expect(labPage.hostA.heading).toBeVisible()
    await expect(labPage.hostB.heading).toBeVisible()
    await expect(labPage.hostA.pageMap).toBeVisible()
    await expect(labPage.hostB.pageMap).toBeVisible()
    expect(await labPage.hostA.pageCount()).toBeGreaterThan(0)
  })

  test('tick counter: advances on Play, stops on Pause, +1 on Step', async ({ page, labPage }) => {
    const { toolbar } = labPage
    await labPage.goto()
    await labPage.waitReady()
    const start = await toolbar.tickValue()

    await toolbar.play.click()
    await expect.poll(() => toolbar.tickValue()).toBeGreaterThan(start + 5)

    await toolbar.pause.click()
    await expect(toolbar.play).toBeEnabled()
    // Let the last frame land, then the value must hold still.
    await page.waitForTimeout(150)
    const paused = await toolbar.tickValue()
    await page.waitForTimeout(300)
    expect(await toolbar.tickValue()).toBe(paused)
    expect(await labPage.tick()).toBe(paused)

    await toolbar.step.click()
    await expect.poll(() => toolbar.tickValue()).toBe(paused + 1)
    await page.waitForTimeout(300)
    expect(await toolbar.tickValue()).toBe(paused + 1)
    expect(await labPage.tick()).toBe(paused + 1)
  })

  test('keyboard: controls are reachable and Space / "." drive playback', async ({
    page,
    labPage,
  }) => {
    const { toolbar } = labPage
    await labPage.goto()
    await labPage.waitReady()
    await toolbar.play.focus()
    await expect(toolbar.play).toBeFocused()
    await page.locator('body').click({ position: { x: 5, y: 5 } })
    const t0 = await toolbar.tickValue()
    await page.keyboard.press('.')
    await expect.poll(() => toolbar.tickValue()).toBe(t0 + 1)
    await page.keyboard.press(' ')
    await expect.poll(() => toolbar.tickValue()).toBeGreaterThan(t0 + 2)
    await page.keyboard.press(' ')
    await expect(toolbar.play).toBeEnabled()
  })

  test('each page map shows the state its worker wrote into shared memory', async ({ labPage }) => {
    const { hostA, hostB } = labPage
    await labPage.goto()
    await labPage.waitReady()
    const pages = await hostA.pageCount()
    const pageNo = Math.min(37, pages - 1)
    const pinned = await hostA.legendColor('pinned')
    const pagedOut = await hostB.legendColor('pagedOut')
    expect(pinned).toMatch(/^#[0-9A-F]{6}$/i)
    const rgba = (hex: string) => {
      const n = Number.parseInt(hex.slice(1), 16)
      return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff, 255]
    }

    // Host A only: its map shows the pinned colour at that cell, host B's does not.
    await labPage.setPageState(0, pageNo, PINNED)
    await expect.poll(() => hostA.cellColor(pageNo)).toEqual(rgba(pinned))
    expect(await hostB.cellColor(pageNo)).not.toEqual(rgba(pinned))

    // Host B only, with another state: the maps are not swapped.
    await labPage.setPageState(1, pageNo, PAGED_OUT)
    await expect.poll(() => hostB.cellColor(pageNo)).toEqual(rgba(pagedOut))
    expect(await hostA.cellColor(pageNo)).toEqual(rgba(pinned))

    // The legend counts (the maps' text alternative) include the new states.
    await expect(hostA.legendItem('pinned')).toContainText(/[1-9]/)
    await expect(hostB.legendItem('pagedOut')).toContainText(/[1-9]/)

    // The inputs are real events in the log.
    await expect(labPage.eventRows.filter({ hasText: 'sim.input' }).first()).toBeVisible()
  })

  test('an unknown URL parameter shows a specific message and the app still runs', async ({
    labPage,
  }) => {
    await labPage.goto('?test=1&foo=bar&seed=abc')
    await expect(labPage.urlBanners.filter({ hasText: "Unknown URL parameter 'foo'" })).toHaveText(
      /Unknown URL parameter 'foo' ignored \(known: scenario, seed, speed, test, warmup\)\./,
    )
    await expect(labPage.urlBanners.filter({ hasText: "'seed'" })).toContainText(
      "URL parameter 'seed' must be a whole number",
    )
    await labPage.waitReady()
    await labPage.toolbar.step.click()
    await expect.poll(() => labPage.toolbar.tickValue()).toBe(1)
  })

  test('URL values are shown as text, never as HTML', async ({ page, labPage }) => {
    await labPage.goto('?test=1&%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E=1')
    await expect(labPage.urlBanners.first()).toContainText("Unknown URL parameter '<img")
    expect(await page.locator('.banners img').count()).toBe(0)
  })
})
