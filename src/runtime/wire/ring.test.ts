import { describe, expect, test } from 'vitest'
import { EVENT_KINDS, EVENTS, type SimEvent } from '../../sim/events'
import { blankMessage, type NetMessage } from '../../sim/messages'
import { createRng, nextInt, nextU32 } from '../../sim/rng'
import {
  decodeGeneric,
  drainEvents,
  drainInputs,
  drainMessages,
  writeEvent,
  writeInput,
  writeMessage,
} from './codec'
import { createRingBuffer, openRing, ringCommit, ringDrain, ringReserve, ringUsed } from './ring'

describe('SPSC ring', () => {
  test('records of random sizes survive wrap-around in order (seeded fuzz)', () => {
    const ring = openRing(createRingBuffer(1024), 'fuzz')
    const rng = createRng(42, 'ring')
    const inFlight: number[][] = []
    let written = 0
    let read = 0
    for (let round = 0; round < 20_000; round++) {
      if (nextInt(rng, 3) > 0) {
        const len = nextInt(rng, 200)
        const off = ringReserve(ring, len)
        if (off >= 0) {
          const rec: number[] = []
          for (let i = 0; i < len; i++) {
            const b = nextU32(rng) & 0xff
            ring.bytes[off + i] = b
            rec.push(b)
          }
          ringCommit(ring, len)
          inFlight.push(rec)
          written++
        }
      } else {
        // Everything published so far comes out, in order, and the ring is empty after.
        const got: number[][] = []
        const n = ringDrain(ring, (offset, length) => {
          got.push(Array.from(ring.bytes.subarray(offset, offset + length)))
        })
        expect(n).toBe(got.length)
        expect(got).toEqual(inFlight.splice(0))
        expect(ringUsed(ring)).toBe(0)
        read += n
      }
    }
    expect(written).toBeGreaterThan(1000)
    expect(read).toBeGreaterThan(1000)
  })

  test('a drain that fails on a record frees the records before it, and the rest stay', () => {
    const ring = openRing(createRingBuffer(1024), 'fail')
    for (const len of [8, 12, 16]) {
      const off = ringReserve(ring, len)
      ring.bytes[off] = len
      ringCommit(ring, len)
    }
    expect(() =>
      ringDrain(ring, (offset) => {
        if (ring.bytes[offset] === 12) throw new Error('bad record')
      }),
    ).toThrow('bad record')
    const left: number[] = []
    ringDrain(ring, (offset) => left.push(ring.bytes[offset] as number))
    expect(left).toEqual([12, 16])
  })

  test('a record larger than half the ring is refused loudly', () => {
    const ring = openRing(createRingBuffer(256), 'small')
    expect(() => ringReserve(ring, 200)).toThrow(/cannot fit/)
  })
})

describe('codec', () => {
  test('events, messages with payload bytes and inputs round-trip exactly', () => {
    const ring = openRing(createRingBuffer(1 << 16), 'codec')
    const ev = {
      kind: 'net.retransmit',
      tick: 12,
      host: 1,
      seq: 7,
      msgSeq: 3,
      wireBytes: 4160,
      attempt: 2,
    } as SimEvent
    expect(writeEvent(ring, ev)).toBe(true)
    const evs: SimEvent[] = []
    drainEvents(ring, evs)
    expect(evs).toEqual([ev])

    const data = new Uint8Array(4096).map((_, i) => (i * 7) & 0xff)
    // Built as the link builds messages: one shape with every kind's fields (see blankMessage).
    const msg = Object.assign(blankMessage('page.reply'), {
      src: 0,
      seq: 9,
      sentAt: 100,
      deliverAt: 0.5 + 105,
      wireBytes: 4160,
      data,
      page: 77,
    }) as unknown as NetMessage
    expect(writeMessage(ring, msg)).toBe(true)
    const msgs: NetMessage[] = []
    drainMessages(ring, msgs)
    expect(msgs).toHaveLength(1)
    expect(msgs[0]).toEqual(msg)
    expect(msgs[0]?.data).not.toBe(data) // a real copy, not the sender's buffer
    // The kind's fields and the header travel; the other kinds' fields stay 0.
    const other = { ...msg, page: 0, seq: 0 } as unknown as NetMessage
    expect(writeMessage(ring, other)).toBe(true)
    msgs.length = 0
    drainMessages(ring, msgs)
    expect(msgs[0]).toEqual(other)
    expect(Object.keys(msgs[0] ?? {})).toEqual(Object.keys(blankMessage('page.reply')))

    const input = {
      seq: 4,
      applyAt: 99,
      input: { type: 'fault.linkDown', durationTicks: 50 },
    } as const
    expect(writeInput(ring, input)).toBe(true)
    const inputs: (typeof input)[] = []
    drainInputs(ring, inputs as never)
    expect(inputs).toEqual([input])
  })

  test('every event kind round-trips, and the generated decoders equal the generic one', () => {
    const ring = openRing(createRingBuffer(1 << 20), 'kinds')
    const rng = createRng(7, 'kinds')
    const written: SimEvent[] = []
    for (const kind of EVENT_KINDS) {
      const ev: Record<string, number | string> = { kind, tick: nextInt(rng, 1e6), host: 1, seq: 3 }
      for (const f of EVENTS[kind].fields) ev[f] = nextInt(rng, 1e9) / 8
      written.push(ev as unknown as SimEvent)
      expect(writeEvent(ring, ev as unknown as SimEvent)).toBe(true)
    }
    // The generic decoder over the same bytes, before the drain frees them.
    const generic: SimEvent[] = []
    const v = ring.view
    let off = 4
    for (const ev of written) {
      generic.push(decodeGeneric(ev.kind)(v, off))
      off += 4 + ((20 + 8 * EVENTS[ev.kind].fields.length + 3) & ~3)
    }
    const drained: SimEvent[] = []
    drainEvents(ring, drained)
    expect(drained).toEqual(written)
    expect(generic).toEqual(written)
    // The same keys (no field missing or extra).
    expect(drained.map((e) => Object.keys(e).sort())).toEqual(
      written.map((e) => Object.keys(e).sort()),
    )
  })
})
