import { createReadStream, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gzipSync, gunzipSync } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import { parseScenario } from '../scenario'
import { runMigration } from '../migration/run'
import { ACC } from '../workload/workload'
import { LackeyParser, TraceError, TraceFeed } from './lackey'

const FIXTURE = fileURLToPath(new URL('../../../test/fixtures/sortsum.lackey.gz', import.meta.url))

const enc = new TextEncoder()

async function* bytesOf(text: string, chunk = 7): AsyncIterable<Uint8Array> {
  const b = enc.encode(text)
  for (let i = 0; i < b.length; i += chunk) yield b.subarray(i, i + chunk)
}

async function readAll(src: AsyncIterable<Uint8Array>, pageSize = 4096) {
  const feed = new TraceFeed(src, pageSize, 't.lackey')
  const out: { vpage: number; off: number; flag: number }[] = []
  for (;;) {
    const c = await feed.next(3)
    for (let i = 0; i < c.n; i++)
      out.push({ vpage: c.vpage[i] as number, off: c.off[i] as number, flag: c.flag[i] as number })
    if (feed.eof) break
  }
  return out
}

const SAMPLE = [
  '==123== Lackey, an example Valgrind tool',
  'I  04000000,3',
  ' L 04000010,8',
  ' S 04001ffe,4', // straddles into the next page
  ' M 04002000,4',
  'I  04000003,2',
  '',
  '==123== done',
].join('\n')

describe('Lackey parser', () => {
  test('collapses consecutive accesses to one page and splits straddling accesses', async () => {
    const acc = await readAll(bytesOf(SAMPLE))
    expect(acc).toEqual([
      { vpage: 0x4000, off: 0, flag: ACC.READ | ACC.INSTR },
      { vpage: 0x4001, off: 0xffe, flag: ACC.WRITE },
      { vpage: 0x4002, off: 0, flag: ACC.WRITE | ACC.READ },
      { vpage: 0x4000, off: 3, flag: ACC.READ | ACC.INSTR },
    ])
  })

  test('the result does not depend on how the bytes are chunked; CRLF is accepted', async () => {
    const whole = await readAll(bytesOf(SAMPLE, 1 << 20))
    const bytewise = await readAll(bytesOf(SAMPLE, 1))
    const crlf = await readAll(bytesOf(SAMPLE.replaceAll('\n', '\r\n'), 5))
    expect(bytewise).toEqual(whole)
    expect(crlf).toEqual(whole)
  })

  test('gzip input goes through DecompressionStream', async () => {
    const gz = gzipSync(enc.encode(SAMPLE))
    async function* src() {
      for (let i = 0; i < gz.length; i += 10) yield gz.subarray(i, i + 10)
    }
    expect(await readAll(src())).toEqual(await readAll(bytesOf(SAMPLE)))
  })

  test('a bad line is named by its number', async () => {
    const bad = 'I  04000000,3\n L 04000010,8\n X 1234,4\n'
    await expect(readAll(bytesOf(bad))).rejects.toThrow(TraceError)
    await expect(readAll(bytesOf(bad))).rejects.toThrow('t.lackey:3:')
    const p = new LackeyParser(4096, 'x')
    expect(() => p.push(enc.encode('I  zz,3\n'))).toThrow('x:1: expected "hexaddress,size"')
  })

  test('an endless trace is streamed: the run reads only what it executes', async () => {
    let bytesRead = 0
    async function* endless() {
      let addr = 0x5000000
      const lines: string[] = []
      for (;;) {
        lines.length = 0
        for (let i = 0; i < 256; i++) {
          lines.push(`I  04000000,4\n L ${(addr += 4096 * 3).toString(16)},8\n`)
          if (addr > 0x5000000 + 4096 * 3 * 900) addr = 0x5000000
        }
        const b = enc.encode(lines.join(''))
        bytesRead += b.length
        yield b
      }
    }
    const sc = parseScenario({
      seed: 1,
      migration: { pages: 2048, workload: { kind: 'trace', accessesPerTick: 50 } },
    })
    const { report } = await runMigration(sc, {
      trace: () => endless(),
      maxTicks: 2000,
      verify: false,
    })
    expect(report.workload.accesses).toBe(100_000)
    // About 25 bytes per access read: bounded by what ran plus a few read-ahead chunks.
    expect(bytesRead).toBeLessThan(100_000 * 30 + 200_000)
  })
})

/** Independent count: plain string parsing of the gunzipped fixture, collapsed the same way. */
function independentPages(pageSize: number): number[] {
  const text = gunzipSync(readFileSync(FIXTURE)).toString('latin1')
  const seq: number[] = []
  let last = -1
  for (const line of text.split('\n')) {
    const m = /^(?:I |\s[LSM])\s+([0-9a-fA-F]+),(\d+)/.exec(line)
    if (!m) continue
    const addr = parseInt(m[1] as string, 16)
    const size = Number(m[2])
    for (let v = Math.floor(addr / pageSize); v <= Math.floor((addr + size - 1) / pageSize); v++) {
      if (v !== last) seq.push(v)
      last = v
    }
  }
  return seq
}

describe('a real trace (sortsum.c under Valgrind Lackey)', () => {
  test('replays through post-copy; the target ends with exactly the pages touched after the migration point plus the eager ones', async () => {
    const sc = parseScenario({
      seed: 5,
      durationTicks: 100_000,
      migration: {
        pages: 4096,
        migrateAtTick: 300,
        workload: { kind: 'trace', accessesPerTick: 100 },
        postcopy: { prepaging: 'none' },
      },
    })
    const { report } = await runMigration(sc, {
      trace: () => createReadStream(FIXTURE) as AsyncIterable<Uint8Array>,
      traceName: 'sortsum.lackey.gz',
    })
    expect(report.integrity.notes).toEqual([])
    expect(report.integrity.ok).toBe(true)
    const seq = independentPages(4096)
    expect(report.workload.accesses).toBe(seq.length)
    expect(report.workload.distinctPages).toBe(new Set(seq).size)
    const k = report.workload.accessesAtInterrupt
    expect(k).toBe(30_000)
    const after = new Set(seq.slice(k)).size
    expect(report.target.mappedPages).toBe(after + report.target.eagerPages)
    expect(report.faults.network).toBeGreaterThan(0)
    expect(report.faults.localCopy).toBeGreaterThan(0)
  })

  for (const variant of [
    { prepaging: 'patent' as const, app: true, frameLimit: 0, strategy: 'postcopy' as const },
    { prepaging: 'bubbling' as const, app: false, frameLimit: 40, strategy: 'postcopy' as const },
    { prepaging: 'patent' as const, app: true, frameLimit: 0, strategy: 'hybrid' as const },
    { prepaging: 'patent' as const, app: true, frameLimit: 0, strategy: 'precopy' as const },
  ]) {
    test(`replays byte for byte: ${JSON.stringify(variant)}`, async () => {
      const sc = parseScenario({
        seed: 9,
        durationTicks: 100_000,
        migration: {
          pages: 1024,
          migrateAtTick: 200,
          strategy: variant.strategy,
          appInstalledOnTarget: variant.app,
          workload: { kind: 'trace', accessesPerTick: 100 },
          postcopy: { prepaging: variant.prepaging, frameLimit: variant.frameLimit },
        },
      })
      const { report } = await runMigration(sc, {
        trace: () => createReadStream(FIXTURE) as AsyncIterable<Uint8Array>,
      })
      expect(report.integrity.notes).toEqual([])
      expect(report.integrity.ok).toBe(true)
    })
  }
})
