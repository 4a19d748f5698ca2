import { test as base, expect } from '@playwright/test'
import { LabPage } from './pages/LabPage'

interface Fixtures {
  /** Page problems collected during the test; any of them fails it. */
  pageErrors: string[]
  labPage: LabPage
}

/**
 * Every test fails on any `console.error` or uncaught page error. Tests that expect one (none yet)
 * must say so explicitly by clearing `pageErrors` for that message.
 */
export const test = base.extend<Fixtures>({
  pageErrors: [
    async ({ page }, provide) => {
      const errors: string[] = []
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`)
      })
      page.on('pageerror', (err) => errors.push(`uncaught: ${err.message}`))
      await provide(errors)
      expect(errors, 'console errors or uncaught page errors').toEqual([])
    },
    { auto: true },
  ],
  labPage: async ({ page }, provide) => {
    await provide(new LabPage(page))
  },
})

export { expect }
