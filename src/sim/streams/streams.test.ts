import { describe, expect, test } from 'vitest'
import { parseScenario, ScenarioError } from '../scenario'
import { K, REASON } from './catalog'
import { decodeRestartMessage } from './checkpoint'
import { streamsAllowProcessResume } from './engine'
import { streamsReport } from './metrics'
import { between, kinds, runStreams, streamsWorld } from './testkit'
import { streamsView } from './view'

const MOVES = ['str.moved', 'str.delivered', 'str.discarded', 'str.iocack']
const ck = (atTick: number) => ({ atTick, input: { type: 'streams.checkpoint' as const } })

describe('STREAMS model', () => {
  test('terminal traffic flows end to end, exactly once, with real module state', () => {
    const { world, report } = runStreams({
      streams: { preset: 'terminal', traffic: { stopTick: 400, ioctlRate: 0.05 } },
      ticks: 600,
    })
    expect(report.exactlyOnce).toMatchObject({ ok: true, lost: 0, inFlight: 0, duplicates: 0 })
    expect(report.messagesSent.total).toBeGreaterThan(100)
    expect(report.delivered.total).toBe(report.messagesSent.total)
    const v = streamsView(world.hosts[0].str)
    const ldterm = v.stream?.components[1]
    expect(ldterm?.kindName).toBe('ldterm')
    expect(ldterm?.fields.find((f) => f.name === 'lines')?.value).toBeGreaterThan(5)
    expect(report.ioctls.issued).toBe(report.ioctls.acked + report.ioctls.naked)
  })

  test('flow control: a slow reader fills queues, back-enables, and still loses nothing', () => {
    const { world, report } = runStreams({
      streams: {
        preset: 'network',
        processReadRate: 1,
        queues: { hiwat: 128, lowat: 32 },
        traffic: {
          up: { rate: 2, minBytes: 32, maxBytes: 64 },
          down: { rate: 0.5 },
          stopTick: 300,
        },
      },
      ticks: 1500,
    })
    const ks = kinds(world.events)
    expect(ks).toContain('str.qfull')
    expect(ks).toContain('str.backenable')
    expect(report.exactlyOnce).toMatchObject({ ok: true, lost: 0, inFlight: 0 })
  })

  test('bands and high-priority messages: in order per class', () => {
    const { report } = runStreams({
      streams: {
        preset: 'network',
        queues: { hiwat: 256, lowat: 64 },
        traffic: {
          down: { rate: 1.5, protoRate: 0.3, hpRate: 0.1, maxBand: 3 },
          up: { rate: 1.5, protoRate: 0.3, hpRate: 0.1 },
          stopTick: 300,
        },
      },
      ticks: 1500,
    })
    expect(report.exactlyOnce).toMatchObject({ ok: true, outOfOrder: 0, lost: 0 })
  })

  test('I_FLUSH frees data deliberately (counted), I_POP frees the module queues', () => {
    const { world, report } = runStreams({
      streams: {
        preset: 'custom',
        stack: ['pass', { kind: 'pass', name: 'p2' }, 'loop'],
        processReadRate: 0,
        deviceTxRate: 0,
        traffic: { down: { rate: 1 }, up: { rate: 1 }, stopTick: 100 },
      },
      inputs: [
        { atTick: 50, input: { type: 'streams.flush', which: 'rw' } },
        { atTick: 60, input: { type: 'streams.pop' } },
        { atTick: 120, input: { type: 'streams.traffic', down: 0, up: 0 } },
      ],
      ticks: 100,
    })
    expect(kinds(world.events)).toContain('str.popped')
    expect(report.discarded).toBeGreaterThan(0)
    expect(report.exactlyOnce.lost).toBe(0)
    expect(report.exactlyOnce.ok).toBe(true)
    expect(world.hosts[0].str.stream?.comps.map((c) => c.name)).toEqual(['head', 'p2', 'loop'])
  })

  test('push and reorder by I_POP/I_PUSH; edits refused while frozen', () => {
    const { world } = runStreams({
      streams: { preset: 'network' },
      inputs: [
        { atTick: 5, input: { type: 'streams.push', kind: 'pass' } },
        { atTick: 10, input: { type: 'streams.reorder', order: ['timod', 'pass', 'tcp', 'ip'] } },
        ck(20),
        { atTick: 21, input: { type: 'streams.pop' } },
      ],
      ticks: 22,
    })
    expect(world.hosts[0].str.stream?.comps.map((c) => c.name)).toEqual([
      'head',
      'timod',
      'pass',
      'tcp',
      'ip',
      'net',
    ])
    const refused = world.events.find((e) => e.kind === 'str.editRefused')
    expect(refused).toMatchObject({ reason: REASON.FROZEN })
  })

  test('deterministic: same scenario, same hashes', () => {
    const run = () => {
      const { world } = runStreams({
        seed: 9,
        streams: { preset: 'network', checkpoint: { autoRestart: true } },
        inputs: [ck(80)],
        ticks: 300,
      })
      return [world.eventLogHash(), world.stateHash()]
    }
    expect(run()).toEqual(run())
  })
})

describe('checkpoint and restart (US7950019)', () => {
  test('success: frozen, blocks filled in order, restart message crosses, verified, restored, exactly once', () => {
    const { world, report } = runStreams({
      streams: {
        preset: 'terminal',
        checkpoint: { autoRestart: true },
        traffic: { stopTick: 400, up: { rate: 0.5 }, down: { rate: 0.5 } },
      },
      inputs: [ck(150)],
      ticks: 900,
    })
    const a = kinds(world.events, 0)
    const seq = [
      'ckpt.initiated',
      'ckpt.frozen',
      'ckpt.allocated',
      'ckpt.blockFilled',
      'ckpt.restartMessage',
      'ckpt.sourceClosed',
    ]
    let at = -1
    for (const k of seq) {
      const i = a.indexOf(k, at + 1)
      expect(i, k).toBeGreaterThan(at)
      at = i
    }
    const b = kinds(world.events, 1)
    for (const k of [
      'rst.received',
      'rst.deviceOpened',
      'rst.pushed',
      'rst.verified',
      'rst.restored',
      'rst.thawed',
    ]) {
      expect(b).toContain(k)
    }
    // blocks filled one component per tick, top to bottom (P2-06)
    const filled = world.events.filter((e) => e.kind === 'ckpt.blockFilled')
    expect(filled.map((e) => (e.kind === 'ckpt.blockFilled' ? e.comp : -1))).toEqual([1, 2, 3, 0])
    expect(new Set(filled.map((e) => e.tick)).size).toBe(4)
    expect(report).toMatchObject({ outcome: 'restarted', verification: 'passed' })
    expect(report.checkpointBytes).toBeGreaterThan(100)
    expect(report.freezeTicks).toBeGreaterThan(5)
    expect(report.exactlyOnce).toMatchObject({ ok: true, lost: 0, inFlight: 0 })
    // traffic continued on B
    expect(world.hosts[1].str.counters.delivered[1]).toBeGreaterThan(10)
    expect(world.hosts[0].str.stream).toBeUndefined()
  })

  test('the restart message is real bytes on the link; its size is what the wire charged', () => {
    const w = streamsWorld({ streams: { preset: 'network' }, inputs: [ck(40)] })
    let seen: Uint8Array | undefined
    let wire = 0
    for (let t = 0; t < 120 && !seen; t++) {
      w.step()
      const m = w.inboxes[1].find((x) => x.kind === 'rst.message')
      if (m) {
        seen = m.data
        wire = m.wireBytes
      }
    }
    expect(seen).toBeDefined()
    const rm = decodeRestartMessage(seen as Uint8Array)
    expect(rm.modules.map((m) => m.name)).toEqual(['timod', 'tcp', 'ip']) // identity and order, P2-12
    expect(rm.driver.kind).toBe(K.net)
    expect(rm.blocks.length).toBe(5) // head section + 3 modules + driver block
    expect(wire).toBe((seen as Uint8Array).length + w.scenario.link.headerBytes)
  })

  test('states and in-flight messages on B equal those frozen on A', () => {
    const w = streamsWorld({
      seed: 5,
      streams: {
        preset: 'network',
        checkpoint: { autoRestart: true },
        processReadRate: 1,
        queues: { hiwat: 96, lowat: 16 },
        traffic: {
          down: { rate: 2, protoRate: 0.2, hpRate: 0.1 },
          up: { rate: 2, protoRate: 0.2 },
        },
      },
      inputs: [ck(60)],
    })
    let compared = false
    for (let t = 0; t < 400 && !compared; t++) {
      w.step()
      const r = w.hosts[1].str.rst
      if (r?.phase === 'thaw') {
        const a = w.hosts[0].str.stream
        const b = w.hosts[1].str.stream
        expect(a?.frozen && b?.frozen).toBe(true)
        expect(b?.comps.length).toBe(a?.comps.length)
        a?.comps.forEach((ca, i) => {
          const cb = b?.comps[i]
          expect(cb?.st).toEqual(ca.st)
          expect(cb?.held).toEqual(ca.held)
          expect(cb?.wq.msgs).toEqual(ca.wq.msgs)
          expect(cb?.wq.transit).toEqual(ca.wq.transit)
          expect(cb?.rq.msgs).toEqual(ca.rq.msgs)
          expect(cb?.rq.transit).toEqual(ca.rq.transit)
        })
        expect(b?.outbox).toEqual(a?.outbox)
        expect(b?.inbox).toEqual(a?.inbox)
        expect(w.hosts[1].str.gen).toEqual(w.hosts[0].str.gen)
        const inflight = a?.comps.reduce(
          (n, c) =>
            n + c.wq.msgs.length + c.rq.msgs.length + c.rq.transit.length + c.wq.transit.length,
          0,
        )
        expect(inflight).toBeGreaterThan(0)
        compared = true
      }
    }
    expect(compared).toBe(true)
    w.runTo(1200)
    expect(w.hosts[0].str.record.states).toEqual(w.hosts[1].str.record.states)
  })

  test('while frozen no message other than the checkpoint message moves (event log)', () => {
    const { world } = runStreams({
      streams: {
        preset: 'network',
        checkpoint: { autoRestart: true },
        traffic: { down: { rate: 2 }, up: { rate: 2 } },
      },
      inputs: [ck(50)],
      link: { latencyUs: 200 },
      ticks: 300,
    })
    const frozenA = between(world.events, 0, 'ckpt.frozen', ['ckpt.sourceClosed', 'ckpt.thawed'])
    expect(frozenA.length).toBeGreaterThan(5)
    expect(frozenA.filter((e) => MOVES.includes(e.kind))).toEqual([])
    expect(frozenA.filter((e) => e.kind === 'ckpt.msgAt').length).toBeGreaterThan(4)
    expect(frozenA.some((e) => e.kind === 'str.held')).toBe(true) // S8
    const frozenB = between(world.events, 1, 'rst.received', ['rst.thawed'])
    expect(frozenB.filter((e) => MOVES.includes(e.kind))).toEqual([])
    // and traffic moves again afterwards
    const afterB = between(world.events, 1, 'rst.thawed', [])
    expect(afterB.some((e) => e.kind === 'str.moved')).toBe(true)
  })

  test('manual restart waits for streams.restart on host B', () => {
    const w = streamsWorld({ streams: { preset: 'terminal' }, inputs: [ck(20)] })
    w.runTo(200)
    expect(w.hosts[1].str.rst?.phase).toBe('waiting')
    expect(w.hosts[0].str.stream?.frozen).toBe(true)
    w.addInput({ type: 'streams.restart' })
    w.runTo(260)
    expect(w.hosts[1].str.stream?.frozen).toBe(false)
    expect(w.hosts[0].str.stream).toBeUndefined()
  })

  test('whole-partition migration: the process may resume on B only after the stream restarted', () => {
    const w = streamsWorld({
      streams: { preset: 'network' },
      inputs: [{ atTick: 30, input: { type: 'partition.migrate' } }],
    })
    w.runTo(31)
    expect(streamsAllowProcessResume(w.hosts[1].str)).toBe(false)
    expect(streamsAllowProcessResume(w.hosts[0].str)).toBe(true)
    w.runTo(300)
    expect(streamsAllowProcessResume(w.hosts[1].str)).toBe(true)
    expect(w.hosts[1].str.record.result).toBe('restarted') // automatic restart in a partition migration
  })

  test('migrating back and forth keeps exactly-once', () => {
    const { report, world } = runStreams({
      streams: {
        preset: 'terminal',
        checkpoint: { autoRestart: true },
        traffic: { stopTick: 700 },
      },
      inputs: [ck(100), ck(400)],
      ticks: 1200,
    })
    expect(world.hosts[0].str.stream?.frozen).toBe(false)
    expect(world.hosts[1].str.stream).toBeUndefined()
    expect(report.exactlyOnce).toMatchObject({ ok: true, lost: 0, inFlight: 0 })
  })
})

describe('failure branches (labelled inferred / unconfirmed)', () => {
  const base = { preset: 'terminal', checkpoint: { autoRestart: true }, traffic: { stopTick: 500 } }

  test('a module without checkpoint support aborts; stream thaws on A; nothing lost (P2-11, S4)', () => {
    const { world, report } = runStreams({
      streams: { ...base, stack: ['ldterm', { kind: 'ptem', checkpoint: false }, 'pty'] },
      inputs: [ck(100)],
      ticks: 900,
    })
    const no = world.events.find((e) => e.kind === 'ckpt.noSupport')
    expect(no).toMatchObject({ comp: 2, modKind: K.ptem })
    expect(world.events.find((e) => e.kind === 'ckpt.aborted')).toMatchObject({
      comp: 2,
      reason: REASON.NO_CKPT_SUPPORT,
    })
    expect(kinds(world.events)).toContain('ckpt.thawed')
    expect(kinds(world.events)).not.toContain('ckpt.restartMessage')
    expect(report).toMatchObject({ outcome: 'aborted', reason: 'module has no checkpoint support' })
    expect(world.hosts[0].str.stream?.frozen).toBe(false)
    expect(world.hosts[0].str.counters.delivered[1]).toBeGreaterThan(50)
    expect(report.exactlyOnce).toMatchObject({ ok: true, lost: 0, inFlight: 0 })
  })

  test('toggle "block too small" aborts naming the module; "grow" remedy succeeds', () => {
    const inputs = [
      {
        atTick: 10,
        input: {
          type: 'streams.setFault' as const,
          module: 'ldterm',
          fault: 'blockTooSmall' as const,
        },
      },
      ck(100),
    ]
    const bad = runStreams({ streams: base, inputs, ticks: 900 })
    expect(bad.world.events.find((e) => e.kind === 'ckpt.blockTooSmall')).toMatchObject({
      comp: 1,
      have: 16,
    })
    expect(bad.report).toMatchObject({ outcome: 'aborted', verification: 'not run' })
    expect(bad.report.exactlyOnce).toMatchObject({ ok: true, lost: 0, inFlight: 0 })
    const grow = runStreams({
      streams: { ...base, checkpoint: { autoRestart: true, onBlockTooSmall: 'grow' } },
      inputs,
      ticks: 900,
    })
    expect(kinds(grow.world.events)).toContain('ckpt.blockGrown')
    expect(grow.report).toMatchObject({ outcome: 'restarted', verification: 'passed' })
    expect(grow.report.exactlyOnce.ok).toBe(true)
  })

  test('veto DENY: no freeze, reason reported, traffic goes on (F-03, S3)', () => {
    const { world, report } = runStreams({
      streams: { ...base, faults: { veto: { mode: 'deny', reason: 'pending I/O' } } },
      inputs: [ck(100)],
      ticks: 900,
    })
    expect(world.events.find((e) => e.kind === 'ckpt.vetoDenied')).toMatchObject({ reason: 1 })
    expect(kinds(world.events)).not.toContain('ckpt.frozen')
    expect(report.outcome).toBe('denied')
    expect(report.exactlyOnce).toMatchObject({ ok: true, lost: 0, inFlight: 0 })
  })

  test('veto TRY: proceeds when the condition clears, aborts when it does not', () => {
    const ok = runStreams({
      streams: { ...base, faults: { veto: { mode: 'try', waitTicks: 30, clearsAfterTicks: 12 } } },
      inputs: [ck(100)],
      ticks: 900,
    })
    const cleared = ok.world.events.find((e) => e.kind === 'ckpt.vetoCleared')
    expect(cleared).toMatchObject({ tick: 112, waited: 12 })
    expect(ok.report.outcome).toBe('restarted')
    const late = runStreams({
      streams: { ...base, faults: { veto: { mode: 'try', waitTicks: 30 } } },
      inputs: [ck(100)],
      ticks: 900,
    })
    expect(late.world.events.find((e) => e.kind === 'ckpt.aborted')).toMatchObject({
      tick: 130,
      reason: REASON.VETO_TIMEOUT,
    })
    expect(kinds(late.world.events)).not.toContain('ckpt.frozen')
    expect(late.report.exactlyOnce).toMatchObject({ ok: true, lost: 0, inFlight: 0 })
  })

  const mismatch = [
    ['missing', { mode: 'missing', module: 'ptem' }, REASON.COUNT_MISMATCH],
    ['extra', { mode: 'extra', kind: 'pass' }, REASON.COUNT_MISMATCH],
    ['swap', { mode: 'swap', at: 0 }, REASON.ORDER_MISMATCH],
    ['noDevice', { mode: 'noDevice' }, REASON.DEVICE_OPEN_FAILED],
  ] as const
  for (const [label, target, reason] of mismatch) {
    test(`target ${label}: verification fails, target torn down, source resumes, nothing lost (P2-14, S5)`, () => {
      const { world, report } = runStreams({
        streams: { ...base, faults: { target } },
        inputs: [ck(100)],
        ticks: 900,
      })
      const torn = world.events.find((e) => e.kind === 'rst.tornDown')
      expect(torn).toMatchObject({ host: 1, reason })
      expect(world.hosts[1].str.stream).toBeUndefined()
      expect(world.hosts[0].str.stream?.frozen).toBe(false)
      expect(kinds(world.events, 0)).toContain('ckpt.thawed')
      expect(report.verification).toBe(label === 'noDevice' ? 'failed' : 'failed')
      expect(report.outcome).toBe('verifyFailed')
      if (label !== 'noDevice') {
        expect(report.expectedModules).toEqual(['ldterm', 'ptem'])
        expect(report.actualModules).not.toEqual(['ldterm', 'ptem'])
      }
      expect(report.exactlyOnce).toMatchObject({ ok: true, lost: 0, inFlight: 0 })
      expect(world.hosts[0].str.counters.delivered[1]).toBeGreaterThan(50)
    })
  }

  test('target mismatch set by input', () => {
    const { report } = runStreams({
      streams: base,
      inputs: [{ atTick: 1, input: { type: 'streams.setTarget', mode: 'swap', at: 0 } }, ck(100)],
      ticks: 900,
    })
    expect(report.outcome).toBe('verifyFailed')
    expect(report.reason).toBe('modules in the wrong order on the target')
  })

  test('partition migration aborted on the source clears the pending restart on B', () => {
    const w = streamsWorld({
      streams: { ...base, faults: { veto: { mode: 'deny' } } },
      inputs: [{ atTick: 30, input: { type: 'partition.migrate' } }],
    })
    w.runTo(100)
    expect(streamsAllowProcessResume(w.hosts[1].str)).toBe(true)
    expect(kinds(w.events, 1)).toContain('rst.partitionAborted')
    expect(streamsReport(w).outcome).toBe('denied')
  })
})

describe('scenario validation', () => {
  const bad = (streams: unknown): string => {
    try {
      parseScenario({ streams }, 'case.json')
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError)
      return (e as Error).message
    }
    throw new Error('accepted')
  }
  test('unknown module', () => {
    const m = bad({ preset: 'custom', stack: ['ldterm', 'bogus', 'pty'] })
    expect(m).toContain('streams.stack[1]')
    expect(m).toContain('unknown module "bogus"')
  })
  test('driver in the middle', () => {
    const m = bad({ preset: 'custom', stack: ['ldterm', 'pty', 'ptem', 'net'] })
    expect(m).toContain('streams.stack[1]')
    expect(m).toContain('driver "pty" in the middle')
  })
  test('duplicate names', () => {
    const m = bad({ preset: 'custom', stack: ['pass', 'pass', 'loop'] })
    expect(m).toContain('streams.stack[1]')
    expect(m).toContain('duplicate module name "pass"')
    expect(
      bad({
        preset: 'custom',
        stack: [{ kind: 'pass', name: 'x' }, { kind: 'tcp', name: 'x' }, 'loop'],
      }),
    ).toContain('streams.stack[1].name')
  })
  test('empty stream, missing stack, stack without a driver', () => {
    expect(bad({ preset: 'custom', stack: [] })).toContain('streams.stack: empty stream')
    expect(bad({ preset: 'custom' })).toContain('preset "custom" needs a stack')
    expect(bad({ preset: 'custom', stack: ['ldterm', 'ptem'] })).toContain('must end with a driver')
  })
  test('water marks and target faults', () => {
    expect(bad({ queues: { hiwat: 10, lowat: 10 } })).toContain('streams.queues.lowat')
    expect(bad({ faults: { target: { mode: 'missing', module: 'tcp' } } })).toContain(
      'no module named "tcp"',
    )
  })
  test('a scenario without streams still runs', () => {
    const w = streamsWorld({ streams: { preset: 'terminal' } })
    w.runTo(3)
    expect(w.hosts[0].str.enabled).toBe(true)
  })
})
