import fc from 'fast-check'
import { expect, test } from 'vitest'
import { createFlashFeed, FLASH_FEED_CAPACITY, FlashFeedReader, FlashFeedWriter } from './flashFeed'
import { FLASH_STRIDE } from './paint'

/** `n` packed flashes numbered from `first` (host, page, kind all derived from the number). */
function flashes(first: number, n: number): Int32Array {
  const out = new Int32Array(n * FLASH_STRIDE)
  for (let k = 0; k < n; k++)
    out.set([(first + k) & 1, first + k, (first + k) % 7], k * FLASH_STRIDE)
  return out
}

test('the reader gets every flash written since its last read, in order, the newest ring-full (less one) at most', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(
          fc.record({ write: fc.integer({ min: 0, max: 1500 }) }),
          fc.record({ read: fc.constant(true) }),
          fc.record({ skip: fc.constant(true) }),
        ),
        { maxLength: 40 },
      ),
      (ops) => {
        const buffer = createFlashFeed()
        const writer = new FlashFeedWriter(buffer)
        const reader = new FlashFeedReader(buffer)
        let written = 0
        let read = 0
        for (const op of ops) {
          if ('write' in op) {
            writer.write(flashes(written, op.write))
            written += op.write
          } else if ('skip' in op) {
            reader.skip()
            read = written
          } else {
            const got = reader.read()
            const n = Math.min(FLASH_FEED_CAPACITY - 1, written - read)
            if (n === 0) expect(got).toBeNull()
            else expect(got).toEqual(flashes(written - n, n))
            read = written
          }
        }
      },
    ),
  )
})

test('a reader that starts late sees only what is written after it starts', () => {
  const buffer = createFlashFeed()
  const writer = new FlashFeedWriter(buffer)
  writer.write(flashes(0, 5))
  const reader = new FlashFeedReader(buffer)
  expect(reader.read()).toBeNull()
  writer.write(flashes(5, 2))
  expect(reader.read()).toEqual(flashes(5, 2))
  // A second writer on the same feed (a restarted client) continues from the published head.
  new FlashFeedWriter(buffer).write(flashes(7, 1))
  expect(reader.read()).toEqual(flashes(7, 1))
})
