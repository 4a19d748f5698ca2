/**
 * `npm run bench:runtime`: the runtime benchmark of issue 5 in real Chromium. Writes its figures to
 * bench-results/runtime.json; the npm script prints that file last, so the final output line is the
 * JSON object (tickRatio, faultRatio, workerVsInProcessRatio, and the raw figures behind them).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { expect, test } from '@playwright/test'

/** The function src/bench/runtimeBench.ts installs on the page. */
type BenchWindow = Window & {
  runRuntimeBench?: (opts: { reps: number }) => Promise<Record<string, number | string>>
}

test('runtime benchmark', async ({ page, browser }) => {
  await page.goto('/src/bench/runtime.html')
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true)
  await page.waitForFunction(() => typeof (window as BenchWindow).runRuntimeBench === 'function')
  const reps = Number(process.env.BENCH_REPS || 5)
  const result = await page.evaluate(
    (opts) => {
      const run = (window as BenchWindow).runRuntimeBench
      if (!run) throw new Error('benchmark page did not load')
      return run(opts)
    },
    { reps },
  )
  const out = { ...result, browserVersion: browser.version(), reps }
  mkdirSync('bench-results', { recursive: true })
  writeFileSync('bench-results/runtime.json', JSON.stringify(out) + '\n')
})
