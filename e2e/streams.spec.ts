import { execFileSync } from 'node:child_process'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import type { LabPage } from './pages/LabPage'
import { StreamPanel } from './pages/StreamPanel'

/** Runs `n` ticks through the test API and waits until the STREAMS view shows the result. */
async function step(page: Page, sp: StreamPanel, n = 1): Promise<number> {
  const tick = await page.evaluate(async (k) => {
    const api = window.migrationLab
    if (!api) throw new Error('window.migrationLab is missing')
    await api.step(k)
    return api.tick()
  }, n)
  await sp.syncedAt(tick)
  return tick
}

/** Steps one tick at a time (at most `max`) until `done()` holds. */
async function stepUntil(
  page: Page,
  sp: StreamPanel,
  done: () => Promise<boolean>,
  max = 60,
  n = 1,
): Promise<void> {
  for (let i = 0; i < max && !(await done()); i++) await step(page, sp, n)
}

async function open(labPage: LabPage, page: Page, query: string): Promise<StreamPanel> {
  await labPage.goto(query)
  await labPage.waitReady()
  const sp = new StreamPanel(page)
  await expect(sp.root).toBeVisible()
  return sp
}

test('terminal stack: checkpoint, freeze, the checkpoint message reaches every module, inspect a block, restart on B, exactly once', async ({
  page,
  labPage,
}) => {
  const sp = await open(labPage, page, '?test=1&scenario=streams-terminal.json')
  await sp.loadInteractive('terminal')
  await expect(sp.summary('A')).toContainText('ldterm')
  await expect(sp.state('A')).toHaveText('running')
  await expect(sp.state('B')).toHaveText('no stream')
  await step(page, sp, 60)
  expect(await sp.countValue('sent')).toBeGreaterThan(0)

  await sp.cmdCheckpoint.click()
  await step(page, sp, 1)
  await expect(sp.state('A')).toHaveText('frozen')
  await expect(sp.module('A', 'ldterm')).toHaveAttribute('data-frozen', 'true')
  await expect(sp.module('A', 'ptem')).toHaveAttribute('data-frozen', 'true')
  await expect(sp.step('freeze')).not.toHaveAttribute('data-state', 'pending')

  // Step tick by tick while the checkpoint message travels; it reaches every component.
  const seen = new Set<string>()
  for (let i = 0; i < 30; i++) {
    const at = await sp.checkpoint.getAttribute('data-at')
    if (at) seen.add(at)
    if ((await sp.checkpoint.getAttribute('data-phase')) === 'shipped') break
    // Only the checkpoint message moves: the held messages do not.
    await step(page, sp, 1)
  }
  await expect(sp.checkpoint).toHaveAttribute('data-phase', 'shipped')
  expect([...seen]).toEqual(expect.arrayContaining(['head', 'ldterm', 'ptem', 'pty']))
  const visited = (await sp.checkpoint.getAttribute('data-visited')) ?? ''
  for (const c of ['head', 'ldterm', 'ptem', 'pty']) expect(visited.split(',')).toContain(c)
  await expect(sp.module('A', 'ldterm')).toHaveAttribute('data-block', 'filled')
  await expect(sp.module('A', 'ptem')).toHaveAttribute('data-block', 'filled')
  await expect(sp.step('restartMessage')).toHaveAttribute('data-state', /done|current/)
  expect(Number(await sp.restartMessage.getAttribute('data-bytes'))).toBeGreaterThan(0)

  // Inspect a block: identity, position, state fields, captured messages.
  await sp.block('A', 'ldterm').click()
  await expect(sp.inspector).toHaveAttribute('data-block', 'ldterm')
  await expect(sp.inspector.getByTestId('stream.inspector.module')).toHaveText('ldterm')
  await expect(sp.inspector.getByTestId('stream.inspector.position')).toContainText('component 1')
  await expect(sp.inspector.getByTestId('stream.inspector.fields')).toContainText('canon')
  await expect(sp.inspector.getByTestId('stream.inspector.messages')).toBeVisible()

  // Restart on the arrival host.
  await stepUntil(page, sp, async () => (await sp.restart.getAttribute('data-phase')) === 'waiting')
  await expect(sp.restart).toHaveAttribute('data-phase', 'waiting')
  const detail = page.getByTestId('stream.restartMessage.detail')
  await expect(detail).toContainText(/ldterm[\s\S]*ptem[\s\S]*driver pty/)
  await expect(detail).toContainText(`${await sp.restartMessage.getAttribute('data-bytes')} B`)
  await sp.cmdRestart.click()
  // Every step of the restart (open, push, verify, restore, thaw) keeps the exactly-once check true.
  const phases = new Set<string>()
  await stepUntil(page, sp, async () => {
    phases.add((await sp.restart.getAttribute('data-phase')) ?? '')
    expect(await sp.exactlyOnce.getAttribute('data-ok')).toBe('true')
    return (await sp.state('B').textContent()) === 'running'
  })
  expect([...phases]).toEqual(expect.arrayContaining(['push', 'restore']))
  await expect(sp.state('B')).toHaveText('running')
  await expect(sp.verify).toHaveAttribute('data-result', 'passed')
  await expect(page.getByTestId('stream.verify.expected')).toHaveText('ldterm, ptem')
  await expect(page.getByTestId('stream.verify.actual')).toHaveText('ldterm, ptem')
  await expect(sp.step('thaw')).toHaveAttribute('data-state', /done|current/)
  await expect(sp.outcome).toHaveAttribute('data-outcome', 'restarted')
  await expect(sp.exactlyOnce).toHaveAttribute('data-ok', 'true')

  // Traffic resumes on B.
  const delivered = await sp.countValue('delivered')
  await step(page, sp, 100)
  expect(await sp.countValue('delivered')).toBeGreaterThan(delivered)
  await expect(sp.state('A')).toHaveText('no stream')
  await expect(sp.exactlyOnce).toHaveAttribute('data-ok', 'true')
  expect(await sp.countValue('lost')).toBe(0)
})

test('failure toggles: cannot fill block, veto deny, wrong order on the target, veto retried — each shows its outcome and loses nothing', async ({
  page,
  labPage,
}) => {
  const sp = await open(labPage, page, '?test=1&scenario=streams-terminal.json')
  await sp.loadInteractive('terminal')
  await step(page, sp, 30)
  const outcome = () => sp.outcome.getAttribute('data-outcome')
  const lossless = async () => {
    await expect(sp.exactlyOnce).toHaveAttribute('data-ok', 'true')
    expect(await sp.countValue('lost')).toBe(0)
  }

  // 1. A module cannot fill its block (P2-11): abort, module and reason named, thaw on A.
  await sp.faultToggle('ptem').selectOption('noCheckpoint')
  await step(page, sp, 1)
  await expect(sp.module('A', 'ptem')).toHaveAttribute('data-fault', 'noCheckpoint')
  await sp.cmdCheckpoint.click()
  await stepUntil(page, sp, async () => (await outcome()) === 'aborted')
  await expect(sp.outcome).toHaveAttribute('data-outcome', 'aborted')
  await expect(sp.outcome).toContainText('ptem')
  await expect(sp.outcome).toContainText('no checkpoint support')
  await expect(sp.outcome.getByText('inferred — not from patent text')).toBeVisible()
  await expect(sp.step('cannotFill')).toBeVisible()
  await expect(sp.step('aborted')).toBeVisible()
  await expect(sp.step('sourceThaw')).toBeVisible()
  await step(page, sp, 20)
  await expect(sp.state('A')).toHaveText('running')
  await expect(sp.state('B')).toHaveText('no stream')
  await lossless()
  await sp.faultToggle('ptem').selectOption('none')

  // 2. Veto DENY (F-03): no freeze, the reason is shown, the stream keeps running.
  await sp.vetoToggle.selectOption('deny')
  await step(page, sp, 1)
  await sp.cmdCheckpoint.click()
  await stepUntil(page, sp, async () => (await outcome()) === 'denied')
  await expect(sp.outcome).toContainText('denied')
  await expect(sp.step('veto')).toBeVisible()
  await expect(sp.state('A')).toHaveText('running')
  await step(page, sp, 10)
  await lossless()
  await sp.vetoToggle.selectOption('none')

  // 3. Target modules in the wrong order (P2-14): verification fails, target torn down, A thaws.
  await sp.targetToggle.selectOption('swap')
  await step(page, sp, 1)
  await sp.cmdCheckpoint.click()
  await stepUntil(page, sp, async () => (await sp.restart.getAttribute('data-phase')) === 'waiting')
  await sp.cmdRestart.click()
  await stepUntil(page, sp, async () => (await outcome()) === 'verifyFailed')
  await expect(sp.verify).toHaveAttribute('data-result', 'failed')
  await expect(page.getByTestId('stream.verify.expected')).toHaveText('ldterm, ptem')
  await expect(page.getByTestId('stream.verify.actual')).toHaveText('ptem, ldterm')
  await expect(sp.step('tornDown')).toBeVisible()
  await stepUntil(page, sp, async () => (await sp.state('A').textContent()) === 'running')
  await expect(sp.state('A')).toHaveText('running')
  await expect(sp.state('B')).toHaveText('no stream')
  await step(page, sp, 20)
  await lossless()
  await sp.targetToggle.selectOption('none')

  // 4. Veto TRY whose condition clears: the checkpoint waits, then proceeds and restarts on B.
  await sp.vetoToggle.selectOption('tryClears')
  await step(page, sp, 1)
  await sp.cmdCheckpoint.click()
  await step(page, sp, 2)
  await expect(sp.checkpoint).toHaveAttribute('data-phase', 'vetoWait')
  await expect(sp.step('veto')).toBeVisible()
  await stepUntil(page, sp, async () => (await sp.restart.getAttribute('data-phase')) === 'waiting')
  await sp.cmdRestart.click()
  await stepUntil(page, sp, async () => (await sp.state('B').textContent()) === 'running')
  await expect(sp.verify).toHaveAttribute('data-result', 'passed')
  await expect(sp.outcome).toHaveAttribute('data-outcome', 'restarted')
  await lossless()
})

test('a custom stack built in the editor (push, reorder, pop) checkpoints and restarts', async ({
  page,
  labPage,
}) => {
  const sp = await open(labPage, page, '?test=1&scenario=streams-terminal.json')
  await sp.loadInteractive('terminal')
  await step(page, sp, 10)
  expect(await sp.moduleNames('A')).toEqual(['ldterm', 'ptem'])

  await sp.editor('kind').selectOption('pass')
  await sp.editor('name').fill('tap')
  await sp.editor('push').click()
  await step(page, sp, 2)
  expect(await sp.moduleNames('A')).toEqual(['tap', 'ldterm', 'ptem'])
  // The engine refuses a second module with the same name, and the editor says why.
  await sp.editor('push').click()
  await step(page, sp, 1)
  await expect(sp.editor('refused')).toContainText('duplicate module name')
  expect(await sp.moduleNames('A')).toEqual(['tap', 'ldterm', 'ptem'])
  await sp.editor('name').fill('')
  await sp.editor('kind').selectOption('timod')
  await sp.editor('push').click()
  await step(page, sp, 2)
  expect(await sp.moduleNames('A')).toEqual(['timod', 'tap', 'ldterm', 'ptem'])
  // Reorder from the keyboard: focus "move timod down" and press Enter.
  await sp.editor('down.timod').focus()
  await page.keyboard.press('Enter')
  await step(page, sp, 3)
  expect(await sp.moduleNames('A')).toEqual(['tap', 'timod', 'ldterm', 'ptem'])
  await sp.editor('pop').click()
  await step(page, sp, 2)
  expect(await sp.moduleNames('A')).toEqual(['timod', 'ldterm', 'ptem'])
  await step(page, sp, 20)

  await sp.cmdCheckpoint.click()
  await stepUntil(page, sp, async () => (await sp.restart.getAttribute('data-phase')) === 'waiting')
  const visited = ((await sp.checkpoint.getAttribute('data-visited')) ?? '').split(',')
  for (const m of ['head', 'timod', 'ldterm', 'ptem', 'pty']) expect(visited).toContain(m)
  await sp.cmdRestart.click()
  await stepUntil(page, sp, async () => (await sp.state('B').textContent()) === 'running')
  await expect(sp.verify).toHaveAttribute('data-result', 'passed')
  expect(await sp.moduleNames('B')).toEqual(['timod', 'ldterm', 'ptem'])
  await expect(page.getByTestId('stream.verify.actual')).toHaveText('timod, ldterm, ptem')
  await step(page, sp, 30)
  await expect(sp.exactlyOnce).toHaveAttribute('data-ok', 'true')
})

test('migrate a whole partition (streams + memory) in one command', async ({ page, labPage }) => {
  const sp = await open(labPage, page, '?test=1&scenario=streams-terminal.json')
  await sp.loadInteractive('terminal')
  await step(page, sp, 20)
  await expect(sp.cmdMigrate).toBeEnabled()
  await sp.cmdMigrate.click()
  await stepUntil(page, sp, async () => (await sp.state('B').textContent()) === 'running', 100, 5)
  await expect(sp.state('B')).toHaveText('running')
  await expect(sp.verify).toHaveAttribute('data-result', 'passed')
  await expect(sp.outcome).toHaveAttribute('data-outcome', 'restarted')
  await expect(sp.exactlyOnce).toHaveAttribute('data-ok', 'true')
  // The memory side ran in the same command.
  await page.getByTestId('eventLog.filter').fill('mig.command')
  await expect(labPage.eventRows.first()).toBeVisible()
})

const CLI_CASES = [
  'streams-terminal.json',
  'streams-network.json',
  'streams-fail-target.json',
  'streams-fail-nockpt.json',
] as const

for (const file of CLI_CASES) {
  test(`the counts the UI shows equal the CLI's for ${file}`, async ({ page, labPage }) => {
    const out = execFileSync('npx', ['tsx', 'src/cli/main.ts', `public/scenarios/${file}`], {
      encoding: 'utf8',
      cwd: process.cwd(),
    })
    const cli = (JSON.parse(out) as { ticks: number; streams: CliStreams }).streams
    const ticks = (JSON.parse(out) as { ticks: number }).ticks
    const sp = await open(labPage, page, `?test=1&scenario=${file}`)
    await sp.syncedAt(0)
    if (file === 'streams-fail-target.json') {
      // The failure toggles follow the engine: the preset's target fault shows.
      await expect(sp.targetToggle).toHaveValue('swap')
    }
    if (file === 'streams-fail-nockpt.json') {
      await expect(sp.module('A', 'ptem')).toHaveAttribute('data-checkpoint-support', 'false')
      await expect(page.getByTestId('stream.fault.ptem.unsupported')).toBeVisible()
    }
    await step(page, sp, ticks)
    expect(await sp.countValue('sent')).toBe(cli.messagesSent.total)
    expect(await sp.countValue('delivered')).toBe(cli.delivered.total)
    expect(await sp.countValue('held')).toBe(cli.heldDuringFreeze)
    expect(await sp.countValue('carried')).toBe(cli.carriedInRestartMessage)
    expect(await sp.countValue('discarded')).toBe(cli.discarded)
    expect(await sp.countValue('freezeTicks')).toBe(cli.freezeTicks)
    expect(await sp.countValue('lost')).toBe(cli.exactlyOnce.lost)
    expect(Number(await sp.restartMessage.getAttribute('data-bytes'))).toBe(cli.checkpointBytes)
    await expect(sp.verify).toHaveAttribute('data-result', cli.verification)
    await expect(sp.outcome).toHaveAttribute('data-outcome', cli.outcome)
    await expect(sp.exactlyOnce).toHaveAttribute('data-ok', String(cli.exactlyOnce.ok))
  })
}

interface CliStreams {
  messagesSent: { total: number }
  delivered: { total: number }
  heldDuringFreeze: number
  carriedInRestartMessage: number
  discarded: number
  freezeTicks: number
  checkpointBytes: number
  verification: string
  outcome: string
  exactlyOnce: { ok: boolean; lost: number }
}

test('keyboard and screen reader: named controls, visible focus, text alternative for the chains', async ({
  page,
  labPage,
}) => {
  const sp = await open(labPage, page, '?test=1&scenario=streams-terminal.json')
  // The network preset from the keyboard.
  await sp.preset('network').focus()
  await page.keyboard.press('Enter')
  await expect(sp.root).toHaveAttribute('data-scenario', 'STREAMS interactive: network stack')
  await sp.syncedAt(0)
  expect(await sp.moduleNames('A')).toEqual(['timod', 'tcp', 'ip'])
  await expect(page.getByTestId('stream.A.driver.net')).toBeAttached()

  // Every control in the view has an accessible name.
  const unnamed = await sp.root.locator('button, select, input').evaluateAll((els) =>
    els
      .filter((el) => {
        const e = el as HTMLInputElement
        const label = e.getAttribute('aria-label') || (e.labels?.length ? 'label' : '')
        return !label && !(el.tagName === 'BUTTON' && el.textContent?.trim())
      })
      .map((el) => el.outerHTML.slice(0, 80)),
  )
  expect(unnamed).toEqual([])

  // The chains are images with a name and a text description (components and queue counts).
  const chain = sp.host('A').getByRole('img', { name: 'Host A stream as a vertical chain' })
  await expect(chain).toBeVisible()
  await expect(sp.summary('A')).toContainText('timod (module): write queue')
  await expect(sp.summary('A')).toContainText('read queue')
  await expect(chain).toHaveAttribute('aria-describedby', /.+/)

  // Tab reaches the Checkpoint button, its focus is visible, Enter runs it.
  await sp.preset('network').focus()
  for (let i = 0; i < 10; i++) {
    if (await sp.cmdCheckpoint.evaluate((el) => el === document.activeElement)) break
    await page.keyboard.press('Shift+Tab')
  }
  await expect(sp.cmdCheckpoint).toBeFocused()
  const outline = await sp.cmdCheckpoint.evaluate((el) => getComputedStyle(el).outlineStyle)
  expect(outline).not.toBe('none')
  await page.keyboard.press('Enter')
  await step(page, sp, 2)
  await expect(sp.state('A')).toHaveText('frozen')
  await expect(sp.summary('A')).toContainText('FROZEN')
  await expect(sp.summary('A')).toContainText('Checkpoint message at')
})

test('while playing, the view follows the run at low frequency without errors', async ({
  page,
  labPage,
}) => {
  const sp = await open(labPage, page, '?test=1&scenario=streams-network.json')
  await labPage.toolbar.play.click()
  await expect
    .poll(async () => Number(await sp.root.getAttribute('data-tick')), { timeout: 15_000 })
    .toBeGreaterThan(350)
  await labPage.toolbar.pause.click()
  const tick = await labPage.tick()
  await sp.syncedAt(tick)
  await expect(sp.outcome).toHaveAttribute('data-outcome', /inProgress|restarted/)
  await expect(sp.exactlyOnce).toHaveAttribute('data-ok', 'true')
})
