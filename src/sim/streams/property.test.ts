import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import type { UserInput } from '../inputs'
import { between, runStreams } from './testkit'

const MODULES = ['ldterm', 'ptem', 'timod', 'tcp', 'ip', 'pass'] as const
const DRIVERS = ['pty', 'net', 'loop'] as const
const BRANCHES = [
  'ok',
  'ok',
  'ok',
  'noCheckpoint',
  'tooSmall',
  'deny',
  'tryClear',
  'tryTimeout',
  'missing',
  'extra',
  'swap',
  'noDevice',
] as const
const MOVES = ['str.moved', 'str.delivered', 'str.discarded', 'str.iocack']

const dirArb = fc.record({
  rate: fc.double({ min: 0, max: 2, noNaN: true }),
  minBytes: fc.integer({ min: 1, max: 32 }),
  extraBytes: fc.integer({ min: 0, max: 96 }),
  protoRate: fc.double({ min: 0, max: 0.4, noNaN: true }),
  hpRate: fc.double({ min: 0, max: 0.2, noNaN: true }),
})

const caseArb = fc.record({
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  modules: fc.array(fc.constantFrom(...MODULES), { maxLength: 5 }),
  driver: fc.constantFrom(...DRIVERS),
  down: dirArb,
  up: dirArb,
  hiwat: fc.integer({ min: 32, max: 2048 }),
  lowFrac: fc.double({ min: 0, max: 0.9, noNaN: true }),
  serviceBudget: fc.integer({ min: 1, max: 6 }),
  readRate: fc.integer({ min: 1, max: 4 }),
  txRate: fc.integer({ min: 1, max: 4 }),
  ioctlRate: fc.double({ min: 0, max: 0.1, noNaN: true }),
  ckptAt: fc.integer({ min: 0, max: 250 }),
  branch: fc.constantFrom(...BRANCHES),
  pick: fc.nat(),
  driverBlock: fc.boolean(),
  partition: fc.boolean(),
  latencyUs: fc.integer({ min: 10, max: 400 }),
  flushAt: fc.option(fc.integer({ min: 0, max: 280 }), { nil: undefined }),
})

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never

function build(c: Case) {
  const names = c.modules.map((m, i) => `${m}${i}`)
  const stack = [...c.modules.map((m, i) => ({ kind: m, name: names[i] })), c.driver]
  const target = names[c.pick % Math.max(1, names.length)]
  const faults: Record<string, unknown> = {}
  const inputs: { atTick: number; input: UserInput }[] = []
  let expected: string = 'restarted'
  switch (c.branch) {
    case 'noCheckpoint':
    case 'tooSmall':
      if (target) {
        inputs.push({
          atTick: 0,
          input: {
            type: 'streams.setFault',
            module: target,
            fault: c.branch === 'tooSmall' ? 'blockTooSmall' : 'noCheckpoint',
          },
        })
        expected = 'aborted'
      }
      break
    case 'deny':
      faults.veto = { mode: 'deny' }
      expected = 'denied'
      break
    case 'tryClear':
      faults.veto = { mode: 'try', waitTicks: 20, clearsAfterTicks: 7 }
      break
    case 'tryTimeout':
      faults.veto = { mode: 'try', waitTicks: 20 }
      expected = 'aborted'
      break
    case 'missing':
      if (target) {
        faults.target = { mode: 'missing', module: target }
        expected = 'verifyFailed'
      }
      break
    case 'extra':
      faults.target = { mode: 'extra' }
      expected = 'verifyFailed'
      break
    case 'swap':
      faults.target = { mode: 'swap', at: 0 }
      if (names.length >= 2) expected = 'verifyFailed'
      break
    case 'noDevice':
      faults.target = { mode: 'noDevice' }
      expected = 'verifyFailed'
      break
    default:
      break
  }
  inputs.push({
    atTick: c.ckptAt,
    input: { type: c.partition ? 'partition.migrate' : 'streams.checkpoint' },
  })
  if (c.flushAt !== undefined) {
    inputs.push({ atTick: c.flushAt, input: { type: 'streams.flush', which: 'rw' } })
  }
  const dir = (d: Case['down']) => ({
    rate: d.rate,
    minBytes: d.minBytes,
    maxBytes: d.minBytes + d.extraBytes,
    protoRate: d.protoRate,
    hpRate: d.hpRate,
  })
  const streams = {
    preset: 'custom',
    stack,
    queues: { hiwat: c.hiwat, lowat: Math.floor(c.hiwat * c.lowFrac) },
    serviceBudget: c.serviceBudget,
    processReadRate: c.readRate,
    deviceTxRate: c.txRate,
    traffic: { down: dir(c.down), up: dir(c.up), ioctlRate: c.ioctlRate, stopTick: 300 },
    checkpoint: { autoRestart: true, driverBlock: c.driverBlock },
    faults,
  }
  return { streams, inputs, expected, names }
}

describe('property: exactly-once across checkpoint and restart', () => {
  test('random stacks, traffic and branches: every message delivered once, in order; no loss', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { streams, inputs, expected, names } = build(c)
        const { world, report } = runStreams({
          seed: c.seed,
          streams,
          inputs,
          link: { latencyUs: c.latencyUs },
          ticks: 3500,
        })
        const ctx = JSON.stringify({ c, report: report.exactlyOnce, outcome: report.outcome })
        expect(report.exactlyOnce.ok, ctx).toBe(true)
        expect(report.exactlyOnce.inFlight, ctx).toBe(0)
        expect(report.exactlyOnce.lost, ctx).toBe(0)
        expect(report.outcome, ctx).toBe(expected)
        expect(report.ioctls.issued, ctx).toBe(report.ioctls.acked + report.ioctls.naked)
        // the stream ends up running on exactly one host
        const live = world.hosts.filter((h) => h.str.stream && !h.str.stream.frozen)
        expect(live.length, ctx).toBe(1)
        expect(live[0]?.id, ctx).toBe(expected === 'restarted' ? 1 : 0)
        // while frozen on the source nothing but the checkpoint message moves
        const frozen = between(world.events, 0, 'ckpt.frozen', ['ckpt.sourceClosed', 'ckpt.thawed'])
        expect(
          frozen.filter((e) => MOVES.includes(e.kind)),
          ctx,
        ).toEqual([])
        if (expected === 'restarted') {
          // module states after restart equal their states at freeze
          const a = world.hosts[0].str.record.states
          const b = world.hosts[1].str.record.states
          const upto = c.driverBlock ? a.length : a.length - 1
          expect(b.slice(0, upto), ctx).toEqual(a.slice(0, upto))
          expect(world.hosts[1].str.record.actual, ctx).toEqual(names)
        }
      }),
      { seed: 0x5eed, numRuns: 60 },
    )
  }, 120_000)
})
