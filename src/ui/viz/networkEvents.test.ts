import fc from 'fast-check'
import { expect, test } from 'vitest'
import type { SimEvent } from '../../sim/events'
import { isNetworkEvent, LinkIndex, type LinkSummary } from './networkEvents'

/** A few kinds the link panel reads, and some it must skip. */
const KINDS = ['net.down', 'net.up', 'net.lost', 'net.retransmit', 'net.sent', 'sim.input'] as const

function event(
  kind: (typeof KINDS)[number],
  tick: number,
  seq: number,
  untilTick: number,
): SimEvent {
  const base = { tick, seq, host: (seq % 2) as 0 | 1 }
  switch (kind) {
    case 'net.down':
      return { ...base, kind, untilTick } as unknown as SimEvent
    case 'net.up':
      return { ...base, kind, queued: 0 } as unknown as SimEvent
    default:
      return { ...base, kind, msgSeq: seq, wireBytes: 100 } as unknown as SimEvent
  }
}

/** The summary as the panel defines it, straight from the whole log. */
function reference(
  log: readonly SimEvent[],
  tick: number,
  keep: number,
  scan: number,
): LinkSummary {
  const before = log.filter((ev) => ev.tick < tick)
  let downUntil: number | null = null
  for (const ev of before) {
    if (ev.kind === 'net.down') downUntil = ev.untilTick
    else if (ev.kind === 'net.up') downUntil = null
  }
  if (downUntil !== null && downUntil <= tick) downUntil = null
  const window = before.slice(Math.max(0, before.length - scan))
  const net = window.filter((ev) => isNetworkEvent(ev.kind))
  return {
    recent: net.slice(Math.max(0, net.length - keep)),
    downUntil,
    lost: before.filter((ev) => ev.kind === 'net.lost').length,
    retransmits: before.filter((ev) => ev.kind === 'net.retransmit').length,
  }
}

const logArb = fc
  .array(
    fc.record({
      kind: fc.constantFrom(...KINDS),
      dt: fc.integer({ min: 0, max: 3 }),
      until: fc.integer({ min: 0, max: 40 }),
    }),
    { maxLength: 300 },
  )
  .map((xs) => {
    let tick = 0
    return xs.map((x, i) => {
      tick += x.dt
      return event(x.kind, tick, i, tick + x.until)
    })
  })

test('the link index, fed the log in pieces, gives the straightforward summary at any tick', () => {
  fc.assert(
    fc.property(
      logArb,
      fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 6 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 60 }),
      (full, cuts, keep, scan) => {
        const index = new LinkIndex()
        const log: SimEvent[] = []
        // The log grows in pieces; after each piece the summary is asked at a tick inside it.
        for (const c of [...cuts].sort((a, b) => a - b)) {
          const upTo = Math.min(full.length, Math.floor((c / 1000) * full.length))
          while (log.length < upTo) log.push(full[log.length] as SimEvent)
          const last = log.at(-1)?.tick ?? 0
          for (const tick of [last + 1, Math.floor(last / 2), 0]) {
            expect(index.summary(log, tick, keep, scan)).toEqual(reference(log, tick, keep, scan))
          }
        }
      },
    ),
  )
})

test('after a cut log and a reset, the index forgets the old timeline', () => {
  const index = new LinkIndex()
  const log = [event('net.down', 1, 0, 50), event('net.lost', 2, 1, 0), event('net.lost', 3, 2, 0)]
  expect(index.summary(log, 10, 5, 100)).toMatchObject({ downUntil: 50, lost: 2 })
  // A fork cuts the log after its first event and continues another way.
  log.length = 1
  index.reset()
  log.push(event('net.up', 2, 1, 0), event('net.retransmit', 3, 2, 0))
  expect(index.summary(log, 10, 5, 100)).toEqual(reference(log, 10, 5, 100))
  expect(index.summary(log, 10, 5, 100)).toMatchObject({ downUntil: null, lost: 0, retransmits: 1 })
})
