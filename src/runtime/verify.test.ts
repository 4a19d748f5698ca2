/**
 * The browser's integrity check (verify.ts, run by the verifier worker) gives the CLI's integrity
 * result and checksum: for a Lackey trace replayed from its parsed form (as the browser holds it)
 * and for a synthetic workload. And the verifier client settles stale requests as superseded.
 */
import { createReadStream, readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { runMigration } from '../sim/migration/run'
import { parseScenario, type Scenario } from '../sim/scenario'
import { LocalWorld } from '../sim/world'
import { feedTrace, parseTrace, type ParsedTrace } from './trace'
import { verifyIntegrity, type VerifyInput, type VerifyResult } from './verify'
import { IntegrityVerifier, type VerifierEndpoint } from './verifier'
import type { FromVerifier, ToVerifier } from './verifyProtocol'

const FIXTURE = 'test/fixtures/sortsum.lackey.gz'
const source = () => createReadStream(FIXTURE) as AsyncIterable<Uint8Array>

function preset(name: string, edit?: (j: Record<string, unknown>) => void): Scenario {
  const json = JSON.parse(readFileSync(`public/scenarios/${name}.json`, 'utf8')) as Record<
    string,
    unknown
  >
  edit?.(json)
  return parseScenario(json)
}

function inputOf(world: LocalWorld, scenario: Scenario, trace?: ParsedTrace): VerifyInput {
  const [a, b] = world.hosts
  return {
    scenario,
    tick: world.tick,
    states: [a.mig, b.mig],
    frames: [a.mem.frames, b.mem.frames],
    trace,
  }
}

describe('verifyIntegrity', () => {
  test("a trace replayed from its parsed form verifies with the CLI's checksum", async () => {
    const s = preset('trace-replay', (j) => {
      ;(j.migration as { workload: Record<string, unknown> }).workload.trace = 'sortsum (verify)'
    })
    const cli = await runMigration(s, { trace: source, traceName: FIXTURE })
    expect(cli.report.integrity.ok).toBe(true)
    // The browser's way: the parsed trace fed between ticks, then the check on the hosts' state.
    const trace = await parseTrace(source(), s.migration?.pageSize ?? 4096, 'sortsum (verify)')
    const world = new LocalWorld(s, {
      beforeStep: (hosts) => hosts.forEach((h) => feedTrace(h, trace)),
    })
    world.runTo(cli.report.ticks)
    const fractions: number[] = []
    const v = await verifyIntegrity(inputOf(world, s, trace), (f) => fractions.push(f))
    expect(v.integrity).toEqual(cli.report.integrity)
    expect(v.referenceAccesses).toBe(cli.report.workload.referenceAccesses)
    expect(v.distinctPages).toBe(cli.report.workload.distinctPages)
    expect(fractions.length).toBeGreaterThan(0)
    expect(fractions.at(-1)).toBe(1)
  })

  test("a synthetic workload verifies with the CLI's checksum; changed memory fails", async () => {
    const s = preset('postcopy')
    const cli = await runMigration(s)
    expect(cli.report.integrity.ok).toBe(true)
    const world = new LocalWorld(s)
    world.runTo(cli.report.ticks)
    const v = await verifyIntegrity(inputOf(world, s))
    expect(v.integrity).toEqual(cli.report.integrity)
    // One flipped byte in the arrival host's memory: the check says so.
    const frames = world.hosts[1].mem.frames
    frames[0] = (frames[0] as number) ^ 0xff
    const bad = await verifyIntegrity(inputOf(world, s))
    expect(bad.integrity.ok).toBe(false)
    expect(bad.integrity.checksum).not.toBe(cli.report.integrity.checksum)
    expect(bad.integrity.notes.join(' ')).toContain('differ from the reference')
  })

  test('a trace workload without its trace is an error, not a silent pass', async () => {
    const s = preset('trace-replay')
    const world = new LocalWorld(s)
    await expect(verifyIntegrity(inputOf(world, s))).rejects.toThrow('not loaded')
  })
})

/** A verifier "worker" that answers only when told to. */
function fakeEndpoint() {
  const sent: { m: ToVerifier; transfer: ArrayBuffer[] }[] = []
  let onMessage: (m: FromVerifier) => void = () => {}
  let onFailure: (message: string) => void = () => {}
  let terminated = 0
  const ep: VerifierEndpoint = {
    post: (m, transfer) => sent.push({ m, transfer }),
    listen(msg, fail) {
      onMessage = msg
      onFailure = fail
    },
    terminate: () => terminated++,
  }
  return {
    ep,
    sent,
    answer: (m: FromVerifier) => onMessage(m),
    fail: (message: string) => onFailure(message),
    terminated: () => terminated,
  }
}

const RESULT = {
  integrity: { ok: true, checksum: 'c' },
  referenceAccesses: 1,
  distinctPages: 1,
} as unknown as VerifyResult

describe('IntegrityVerifier', () => {
  // The client never looks into the input: small stand-ins do.
  const input: VerifyInput = {
    scenario: preset('postcopy'),
    tick: 0,
    states: [{}, {}] as unknown as VerifyInput['states'],
    frames: [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5, 6])],
  }

  test('a newer request supersedes the one in flight; stale answers are ignored', async () => {
    const workers: ReturnType<typeof fakeEndpoint>[] = []
    const v = new IntegrityVerifier(() => {
      const f = fakeEndpoint()
      workers.push(f)
      return f.ep
    })
    const progress: number[] = []
    const first = v.verify(input, (f) => progress.push(f))
    const w1 = workers[0]
    if (!w1) throw new Error('no worker started')
    const id1 = w1.sent[0]?.m.id ?? -1
    w1.answer({ type: 'progress', id: id1, fraction: 0.5 })
    expect(progress).toEqual([0.5])
    const second = v.verify(input)
    await expect(first).resolves.toEqual({ status: 'superseded' })
    // The first worker was stopped mid-replay; a fresh one got the new request.
    expect(w1.terminated()).toBe(1)
    const w2 = workers[1]
    if (!w2) throw new Error('no second worker')
    w1.answer({ type: 'verified', id: id1, result: RESULT, ms: 1 })
    const id2 = w2.sent[0]?.m.id ?? -1
    expect(id2).not.toBe(id1)
    w2.answer({ type: 'verified', id: id1, result: RESULT, ms: 1 })
    expect(v.busy).toBe(true)
    w2.answer({ type: 'verified', id: id2, result: RESULT, ms: 2 })
    await expect(second).resolves.toEqual({ status: 'verified', result: RESULT, ms: 2 })
    // Idle: the next request reuses the worker.
    void v.verify(input)
    expect(workers).toHaveLength(2)
    v.dispose()
  })

  test('plain memory is copied and transferred, shared memory is shared', () => {
    const f = fakeEndpoint()
    const v = new IntegrityVerifier(() => f.ep)
    void v.verify(input)
    const plain = f.sent[0]
    expect(plain?.transfer).toHaveLength(2)
    expect(plain?.m.frames[0]).not.toBe(input.frames[0])
    expect(plain?.m.frames[0]).toEqual(input.frames[0])
    const shared = new Uint8Array(new SharedArrayBuffer(8))
    void v.verify({ ...input, frames: [shared, shared] })
    const last = f.sent.at(-1)
    expect(last?.transfer).toHaveLength(0)
    expect(last?.m.frames[0]).toBe(shared)
    v.dispose()
  })

  test("the worker's error and a failed worker reject the request", async () => {
    const f = fakeEndpoint()
    const v = new IntegrityVerifier(() => f.ep)
    const p = v.verify(input)
    f.answer({ type: 'error', id: f.sent[0]?.m.id ?? -1, message: 'no trace' })
    await expect(p).rejects.toThrow('no trace')
    const q = v.verify(input)
    f.fail('the verifier worker failed to load')
    await expect(q).rejects.toThrow('failed to load')
    expect(v.busy).toBe(false)
  })
})
