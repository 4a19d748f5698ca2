/**
 * Issue 5 parity: the two browser host workers (real Chromium, SharedArrayBuffers) produce the same
 * event-log hash as the pure core in Node, and fill host B's memory with the same bytes. The Node
 * side is the CLI (`npm run sim`), run here as a child process on the same scenario file.
 */
import { execFileSync } from 'node:child_process'
import { expect, test } from './fixtures'

interface CliReport {
  readonly ticks: number
  readonly eventLogHash: string
  readonly memory: { readonly framesChecksumA: number; readonly framesChecksumB: number }
}

function cli(file: string): CliReport {
  const out = execFileSync(
    'npx',
    ['tsx', 'src/cli/main.ts', `public/scenarios/${file}`, '--no-verify'],
    {
      encoding: 'utf8',
      timeout: 120_000,
    },
  )
  return JSON.parse(out) as CliReport
}

const PRESETS = [
  'postcopy.json',
  'precopy.json',
  'hybrid.json',
  'streams-terminal.json',
  'partition-migrate.json',
]

for (const file of PRESETS) {
  test(`browser workers match the CLI on ${file}`, async ({ labPage, page }) => {
    const ref = cli(file)
    await labPage.goto('?test=1')
    await labPage.waitReady()
    const got = await page.evaluate(
      async ({ file, ticks }) => {
        const lab = window.migrationLab
        if (!lab) throw new Error('test API missing')
        await lab.loadScenario(file)
        await lab.stepTo({ tick: ticks })
        await lab.waitForIdle()
        return {
          kind: lab.kind,
          tick: lab.tick(),
          eventLogHash: lab.eventLogHash(),
          framesA: lab.framesChecksum(0),
          framesB: lab.framesChecksum(1),
        }
      },
      { file, ticks: ref.ticks },
    )
    expect(got.kind).toBe('workers')
    expect(got.tick).toBe(ref.ticks)
    expect(got.eventLogHash).toBe(ref.eventLogHash)
    expect(got.framesB).toBe(ref.memory.framesChecksumB)
    expect(got.framesA).toBe(ref.memory.framesChecksumA)
  })
}
