import { expect, test } from 'vitest'
import { streamsWorld } from '../../sim/streams/testkit'
import { streamsView } from '../../sim/streams/view'
import { currentAttempt, STREAMS_STEPS } from './sequenceSteps'
import { chainSummary, componentTestId } from './chainText'

const world = () =>
  streamsWorld({
    seed: 11,
    streams: { preset: 'terminal', checkpoint: { autoRestart: true } },
    inputs: [{ atTick: 40, input: { type: 'streams.checkpoint' } }],
  })

test('the text alternative lists every component with its queue counts and the checkpoint message', () => {
  const w = world()
  w.runTo(43)
  const v = streamsView(w.hosts[0].str)
  const text = chainSummary(v)
  expect(text).toContain('Host A stream FROZEN')
  for (const c of ['head (head)', 'ldterm (module)', 'ptem (module)', 'pty (driver)']) {
    expect(text).toContain(c)
  }
  expect(text).toMatch(/write queue \d+ queued/)
  expect(text).toContain('Checkpoint message at')
  expect(chainSummary(streamsView(w.hosts[1].str))).toContain('Host B: no stream')
  const ids = v.stream?.components.map((c) => componentTestId(0, c))
  expect(ids).toEqual([
    'stream.A.component.head',
    'stream.A.module.ldterm',
    'stream.A.module.ptem',
    'stream.A.driver.pty',
  ])
})

test('every event of a successful run maps to a sequence step, in order', () => {
  const w = world()
  w.runTo(200)
  const attempt = currentAttempt(w.events.filter((e) => /^(ckpt|rst)\./.test(e.kind)))
  expect(attempt[0]?.kind).toBe('ckpt.initiated')
  const stepOf = (k: string) => STREAMS_STEPS.findIndex((s) => s.kinds.includes(k as never))
  const order = attempt.map((e) => stepOf(e.kind)).filter((i) => i >= 0)
  const main = STREAMS_STEPS.map((s, i) => (s.failure ? -1 : i)).filter((i) => i >= 0)
  for (const i of main) expect(order).toContain(i)
  // Steps never go back, except the travel/fill interleave and the source closing at the end.
  const firsts = main.map((i) => order.indexOf(i))
  expect([...firsts].sort((a, b) => a - b)).toEqual(firsts)
})
