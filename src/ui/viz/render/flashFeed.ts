/**
 * Fault flashes from the main thread to the render worker through shared memory, without a message
 * per event batch. A postMessage to the render worker wakes its thread, and on a two-core machine
 * with both host workers busy the woken thread takes the main thread's core: each of those posts
 * (one per animation frame) held the main thread about 0.4 ms. The worker polls this feed once per
 * frame instead.
 *
 * One writer (the render client on the main thread), one reader (the render worker). A ring of the
 * newest FLASH_FEED_CAPACITY flashes, each FLASH_STRIDE Int32 words as packed by `packFlashes`;
 * HEAD counts the flashes written (wrapping Int32). The writer fills the slots, then publishes with
 * an atomic store of HEAD; the reader loads HEAD atomically, copies the new slots, and drops any the
 * writer may have overwritten meanwhile (a reader more than a ring behind loses the oldest flashes,
 * which are long faded anyway).
 */
import { FLASH_STRIDE } from './paint'

export const FLASH_FEED_CAPACITY = 1024
/** Flashes written so far (Int32, wrapping). Alone on its cache line. */
const HEAD = 0
const DATA = 16

export function createFlashFeed(): SharedArrayBuffer {
  return new SharedArrayBuffer((DATA + FLASH_FEED_CAPACITY * FLASH_STRIDE) * 4)
}

const slotOf = (flash: number) => DATA + ((flash >>> 0) % FLASH_FEED_CAPACITY) * FLASH_STRIDE

/** The main thread's end: the feed's sole writer. */
export class FlashFeedWriter {
  private readonly words: Int32Array
  private head: number

  constructor(buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer)
    this.head = Atomics.load(this.words, HEAD)
  }

  /** Appends packed flashes (FLASH_STRIDE words each) and publishes them. */
  write(packed: Int32Array): void {
    const w = this.words
    let head = this.head
    for (let i = 0; i + FLASH_STRIDE <= packed.length; i += FLASH_STRIDE) {
      const at = slotOf(head)
      for (let k = 0; k < FLASH_STRIDE; k++) w[at + k] = packed[i + k] as number
      head = (head + 1) | 0
    }
    this.head = head
    Atomics.store(w, HEAD, head)
  }
}

/** The render worker's end: the feed's sole reader. */
export class FlashFeedReader {
  private readonly words: Int32Array
  /** Flashes read so far (the writer's HEAD when they were read). */
  private seen: number

  constructor(buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer)
    this.seen = Atomics.load(this.words, HEAD)
  }

  /** Forgets every flash written so far (a new run or a cut timeline: they belong to the old one). */
  skip(): void {
    this.seen = Atomics.load(this.words, HEAD)
  }

  /**
   * The flashes written since the last read (the newest CAPACITY - 1 at most), oldest first,
   * packed; null when there are none.
   */
  read(): Int32Array | null {
    const w = this.words
    const head = Atomics.load(w, HEAD)
    // One slot short of the ring: the slot after the newest flash may be the one being written.
    const n = Math.min(FLASH_FEED_CAPACITY - 1, (head - this.seen) | 0)
    this.seen = head
    if (n <= 0) return null
    const from = (head - n) | 0
    const out = new Int32Array(n * FLASH_STRIDE)
    for (let k = 0; k < n; k++) {
      const at = slotOf((from + k) | 0)
      out.set(w.subarray(at, at + FLASH_STRIDE), k * FLASH_STRIDE)
    }
    // The writer may have moved on while the slots were copied: flash `e` is safe only while the
    // writer has not started on flash e + CAPACITY (which reuses its slot).
    const after = Atomics.load(w, HEAD)
    const unsafe = Math.min(n, ((after - from) | 0) - FLASH_FEED_CAPACITY + 1)
    return unsafe > 0 ? (unsafe < n ? out.subarray(unsafe * FLASH_STRIDE) : null) : out
  }
}
