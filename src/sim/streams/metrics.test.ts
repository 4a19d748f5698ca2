import { expect, test } from 'vitest'
import { inspectHost } from '../inspect'
import { LocalWorld } from '../world'
import { ExactlyOnceTally, streamsReport, type StreamsReportInput } from './metrics'
import { streamsWorld } from './testkit'
import type { StreamsHostState } from './types'

/**
 * The report as the UI computes it: from inspected (structured-cloned) states and the event list,
 * or (`tally`) the event-log check kept up to date piece by piece as the log grows.
 */
function reportFromInspection(w: LocalWorld, tally?: ExactlyOnceTally) {
  const state = (h: 0 | 1) =>
    structuredClone(
      inspectHost(w.hosts[h], w.tick, { kind: 'streams.state' }).result,
    ) as StreamsHostState
  const input: StreamsReportInput = {
    hosts: [{ str: state(0) }, { str: state(1) }],
    events: tally ? [] : w.events.slice(0, w.eventCount),
    eventCount: w.eventCount,
    tick: w.tick,
    scenario: { tickUs: w.scenario.tickUs },
    ...(tally ? { exactlyOnce: tally.add(w.events, w.eventCount) } : {}),
  }
  return streamsReport(input)
}

const CKPT = [{ atTick: 200, input: { type: 'streams.checkpoint' } }] as const
const traffic = { down: { rate: 0.4 }, up: { rate: 0.6 }, ioctlRate: 0.02, stopTick: 1000 }
const CASES: Record<string, Record<string, unknown>> = {
  terminal: { preset: 'terminal', traffic, checkpoint: { autoRestart: true } },
  network: { preset: 'network', traffic, checkpoint: { autoRestart: true } },
  noCheckpoint: {
    preset: 'custom',
    stack: ['ldterm', { kind: 'ptem', checkpoint: false }, 'pty'],
    traffic,
  },
  vetoTry: { preset: 'terminal', traffic, faults: { veto: { mode: 'try', waitTicks: 40 } } },
  targetSwap: {
    preset: 'terminal',
    traffic,
    checkpoint: { autoRestart: true },
    faults: { target: { mode: 'swap', at: 0 } },
  },
}

test.each(Object.keys(CASES))(
  '%s: the report from inspected states + the event list equals streamsReport(world)',
  (name) => {
    const w = streamsWorld({
      seed: 11,
      streams: CASES[name] as Record<string, unknown>,
      inputs: CKPT,
    })
    const tally = new ExactlyOnceTally()
    for (const t of [150, 205, 230, 1500]) {
      w.runTo(t)
      expect(reportFromInspection(w)).toEqual(streamsReport(w))
      expect(reportFromInspection(w, tally)).toEqual(streamsReport(w))
    }
    expect(reportFromInspection(w).exactlyOnce.ok).toBe(true)
  },
)

test('without kept events both fall back to the counters and still agree', () => {
  const scenario = streamsWorld({
    seed: 11,
    streams: CASES.terminal as Record<string, unknown>,
    inputs: CKPT,
  }).scenario
  const w = new LocalWorld(scenario, { keepEvents: false })
  w.runTo(1500)
  const withEvents = new LocalWorld(scenario)
  withEvents.runTo(1500)
  const a = streamsReport(w)
  const b = streamsReport(withEvents)
  expect(a.exactlyOnce.checkedFrom).toBe('counters')
  expect(b.exactlyOnce.checkedFrom).toBe('events')
  const { exactlyOnce: ea, ...restA } = a
  const { exactlyOnce: eb, ...restB } = b
  expect(restA).toEqual(restB)
  expect([ea.ok, ea.sent, ea.delivered, ea.lost]).toEqual([eb.ok, eb.sent, eb.delivered, eb.lost])
})

test.each(Object.keys(CASES))(
  '%s: nothing counts as lost or duplicated at any tick, mid-checkpoint and mid-restart included',
  (name) => {
    const w = streamsWorld({
      seed: 11,
      streams: CASES[name] as Record<string, unknown>,
      inputs: CKPT,
    })
    const bad: string[] = []
    for (let t = 190; t < 320; t++) {
      w.runTo(t)
      const eo = streamsReport(w).exactlyOnce
      if (!eo.ok) bad.push(`tick ${t}: lost ${eo.lost}, in flight ${eo.inFlight}`)
    }
    expect(bad).toEqual([])
  },
)
