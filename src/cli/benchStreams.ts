/**
 * STREAMS benchmark: messages per second through a 6-module stack (stream head, ldterm, ptem,
 * timod, tcp, ip, pass, loop driver), run by the real engine in a LocalWorld (events hashed, not
 * kept), next to a bare loop that passes the same messages (same count, same payload bytes) through
 * the same number of plain array queues in the same process.
 *
 *   npx tsx src/cli/benchStreams.ts      (last output line: a JSON object with the figures)
 */
import { pathToFileURL } from 'node:url'
import { payloadByte } from '../sim/streams/catalog'
import { parseScenario } from '../sim/scenario'
import { LocalWorld } from '../sim/world'

const STACK = ['ldterm', 'ptem', 'timod', 'tcp', 'ip', 'pass', 'loop']
const RATE = 8 // messages per tick and direction
const MIN_BYTES = 16
const MAX_BYTES = 128

function streamsWorld(ticks: number): LocalWorld {
  return new LocalWorld(
    parseScenario({
      seed: 7,
      durationTicks: ticks + 10,
      streams: {
        preset: 'custom',
        stack: STACK,
        queues: { hiwat: 1 << 20, lowat: 1 << 10 },
        serviceBudget: 1024,
        processReadRate: 1024,
        deviceTxRate: 1024,
        traffic: {
          down: { rate: RATE, minBytes: MIN_BYTES, maxBytes: MAX_BYTES },
          up: { rate: RATE, minBytes: MIN_BYTES, maxBytes: MAX_BYTES },
          ioctlRate: 0,
          eolProb: 0.5,
        },
      },
    }),
    { keepEvents: false },
  )
}

function delivered(w: LocalWorld): number {
  const c = w.hosts[0].str.counters
  return (c.delivered[0] ?? 0) + (c.delivered[1] ?? 0)
}

function runStreams(ticks: number): { msgs: number; ms: number; hops: number } {
  const w = streamsWorld(ticks)
  const t0 = performance.now()
  w.runTo(ticks)
  const ms = performance.now() - t0
  return { msgs: delivered(w), ms, hops: w.hosts[0].str.counters.hops }
}

interface BareMsg {
  dir: number
  seq: number
  data: Uint8Array
}

/** The same number of messages, with the same payload bytes, passed hop by hop through plain queues
 * (one hop per tick, like the engine), both directions. */
function runBare(ticks: number, perTick: number): { msgs: number; ms: number } {
  const hopsPerDir = STACK.length + 1 // head + modules + driver, as queues
  const qs: BareMsg[][][] = [0, 1].map(() => Array.from({ length: hopsPerDir }, () => []))
  let seq = 0
  let x = 12345
  let out = 0
  let sink = 0
  const t0 = performance.now()
  for (let t = 0; t < ticks; t++) {
    for (let dir = 0; dir < 2; dir++) {
      const q = qs[dir] as BareMsg[][]
      // deliver and advance, last hop first so each message moves one hop per tick
      const last = q[hopsPerDir - 1] as BareMsg[]
      while (last.length > 0) {
        const m = last.shift() as BareMsg
        sink += m.data[0] as number
        out++
      }
      for (let h = hopsPerDir - 2; h >= 0; h--) {
        const from = q[h] as BareMsg[]
        const to = q[h + 1] as BareMsg[]
        while (from.length > 0) to.push(from.shift() as BareMsg)
      }
      for (let k = 0; k < perTick; k++) {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0
        const len = MIN_BYTES + (x % (MAX_BYTES - MIN_BYTES + 1))
        const data = new Uint8Array(len)
        for (let j = 0; j < len; j++) data[j] = payloadByte(dir, seq, j)
        ;(q[0] as BareMsg[]).push({ dir, seq: seq++, data })
      }
    }
  }
  const ms = performance.now() - t0
  if (sink < 0) console.info('unreachable')
  return { msgs: out, ms }
}

export async function benchStreams(): Promise<Record<string, number>> {
  const ticks = 20_000
  runStreams(2_000) // warm-up (JIT)
  runBare(2_000, RATE)
  const s = runStreams(ticks)
  const b = runBare(ticks, RATE)
  const streamsMsgsPerSec = (s.msgs / s.ms) * 1000
  const bareMsgsPerSec = (b.msgs / b.ms) * 1000
  return {
    streamsModules: STACK.length - 1,
    streamsMessages: s.msgs,
    streamsMs: Math.round(s.ms),
    streamsMsgsPerSec: Math.round(streamsMsgsPerSec),
    streamsHopsPerSec: Math.round((s.hops / s.ms) * 1000),
    bareMessages: b.msgs,
    bareMs: Math.round(b.ms),
    bareMsgsPerSec: Math.round(bareMsgsPerSec),
    streamsRatio: Number((streamsMsgsPerSec / bareMsgsPerSec).toFixed(4)),
  }
}

const entry = process.argv[1]
if (entry && import.meta.url === pathToFileURL(entry).href) {
  const r = await benchStreams()
  console.info(JSON.stringify(r))
}
