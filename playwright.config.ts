import { existsSync } from 'node:fs'
import { defineConfig, devices } from '@playwright/test'

// Browser: CHROMIUM_PATH if set and non-empty, else Debian's /usr/bin/chromium when present, else
// Playwright's own browser (`npx playwright install chromium`). `||`, not `??`: an empty variable
// must count as unset.
const executablePath =
  process.env.CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined)
const PORT = Number(process.env.E2E_PORT || 4173)
// The same build served WITHOUT COOP/COEP: imitates a static host, for coi-serviceworker.
const STATIC_PORT = PORT + 1

const chromium = {
  ...devices['Desktop Chrome'],
  viewport: { width: 1400, height: 900 },
  deviceScaleFactor: 1,
  launchOptions: {
    // Spread: no `undefined` property under exactOptionalPropertyTypes.
    ...(executablePath ? { executablePath } : {}),
    args: [
      '--disable-gpu',
      '--disable-quic',
      '--force-device-scale-factor=1',
      '--font-render-hinting=none',
      '--disable-lcd-text',
    ],
  },
}

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  retries: 0,
  workers: 1,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? 'line' : 'list',
  use: { trace: 'off' },
  projects: [
    {
      name: 'chromium',
      testIgnore: /coi-sw\.spec\.ts/,
      use: { ...chromium, baseURL: `http://127.0.0.1:${PORT}` },
    },
    {
      name: 'static-coi-serviceworker',
      testMatch: /coi-sw\.spec\.ts/,
      use: { ...chromium, baseURL: `http://127.0.0.1:${STATIC_PORT}` },
    },
  ],
  webServer: [
    {
      // E2E_DEV=1: test against the dev server instead of the production build (then run
      // --project=chromium only: the static project serves dist/, which a dev run does not rebuild).
      command: process.env.E2E_DEV
        ? `npx vite --host 127.0.0.1 --port ${PORT} --strictPort`
        : `npx vite build && npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
      url: `http://127.0.0.1:${PORT}`,
      // Locally a running server is reused: stop stale previews first, or they serve an old dist/.
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      // Starts after the first entry is up, so dist/ exists.
      command: `npx vite preview --host 127.0.0.1 --port ${STATIC_PORT} --strictPort`,
      env: { NO_COI_HEADERS: '1' },
      url: `http://127.0.0.1:${STATIC_PORT}`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
})
