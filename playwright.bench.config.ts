import { existsSync } from 'node:fs'
import { defineConfig, devices } from '@playwright/test'

// Benchmarks (not tests): `npm run bench:runtime`. Same browser choice as playwright.config.ts.
const executablePath =
  process.env.CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined)
const PORT = Number(process.env.BENCH_PORT || 4183)

export default defineConfig({
  testDir: 'e2e/bench',
  testMatch: /.*\.bench\.ts/,
  timeout: 600_000,
  retries: 0,
  workers: 1,
  reporter: 'line',
  use: {
    ...devices['Desktop Chrome'],
    baseURL: `http://127.0.0.1:${PORT}`,
    launchOptions: {
      ...(executablePath ? { executablePath } : {}),
      args: [
        '--disable-gpu',
        '--disable-quic',
        ...(process.env.BENCH_JSFLAGS ? [`--js-flags=${process.env.BENCH_JSFLAGS}`] : []),
      ],
    },
  },
  webServer: {
    command: `npx vite build && npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}/src/bench/runtime.html`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
})
