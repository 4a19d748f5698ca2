import { expect, test } from 'vitest'
import { hostStateHash } from '../host'
import { streamsWorld } from './testkit'
import { streamsView } from './view'

test('view shows queues, frozen flag, checkpoint message position and blocks', () => {
  const w = streamsWorld({
    streams: { preset: 'network', processReadRate: 0, traffic: { up: { rate: 1 } } },
    inputs: [{ atTick: 40, input: { type: 'streams.checkpoint' } }],
  })
  w.runTo(43)
  const v = streamsView(w.hosts[0].str)
  expect(v.stream?.frozen).toBe(true)
  expect(v.stream?.components.map((c) => c.name)).toEqual(['head', 'timod', 'tcp', 'ip', 'net'])
  expect(v.checkpoint).toMatchObject({ phase: 'travelDown', pos: 2, dir: 0 })
  const blocks = v.stream?.components.map((c) => c.block?.filled)
  expect(blocks).toEqual([false, true, true, false, false])
  expect(v.stream?.components[0]?.rq.msgs.length).toBeGreaterThan(0)
  expect(v.stream?.components[2]?.fields.find((f) => f.name === 'rcvNxt')?.value).toBeGreaterThan(
    5000,
  )
})

test('state is plain data: a structuredClone snapshot resumes identically', () => {
  const w = streamsWorld({
    streams: { preset: 'terminal', checkpoint: { autoRestart: true } },
    inputs: [{ atTick: 30, input: { type: 'streams.checkpoint' } }],
  })
  w.runTo(35)
  const snap = structuredClone(w.hosts[0].str)
  expect(snap).toEqual(w.hosts[0].str)
  const h = hostStateHash(w.hosts[0])
  ;(w.hosts[0] as { str: unknown }).str = snap
  expect(hostStateHash(w.hosts[0])).toBe(h)
  w.runTo(200)
  expect(w.hosts[1].str.record.result).toBe('restarted')
})
