/**
 * `npm run bench:seek`: seek and step-back latency over a ~1,000,000-event run in real Chromium
 * (src/bench/seekBench.ts). Writes bench-results/seek.json; the npm script prints it last, so the
 * final output line is the JSON object (seekMsMedian, stepBackMsMedian, replayFromStartMs, ...).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { expect, test } from '@playwright/test'

interface Opts {
  targetEvents: number
  seeks: number
  stepBacks: number
}
type BenchWindow = Window & {
  runSeekBench?: (opts: Opts) => Promise<Record<string, number | string>>
}

test('seek benchmark', async ({ page, browser }) => {
  await page.goto('/src/bench/seek.html')
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true)
  await page.waitForFunction(() => typeof (window as BenchWindow).runSeekBench === 'function')
  const opts: Opts = {
    targetEvents: Number(process.env.BENCH_EVENTS || 1_000_000),
    seeks: Number(process.env.BENCH_SEEKS || 40),
    stepBacks: Number(process.env.BENCH_STEPBACKS || 60),
  }
  const result = await page.evaluate((o) => {
    const run = (window as BenchWindow).runSeekBench
    if (!run) throw new Error('benchmark page did not load')
    return run(o)
  }, opts)
  const out = { ...result, browserVersion: browser.version() }
  mkdirSync('bench-results', { recursive: true })
  writeFileSync('bench-results/seek.json', JSON.stringify(out) + '\n')
})
