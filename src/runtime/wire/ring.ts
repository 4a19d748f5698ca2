/**
 * A single-producer single-consumer byte ring over a SharedArrayBuffer (after padenot/ringbuf.js).
 *
 * Layout: a 128-byte header (write position at byte 0, read position at byte 64: separate cache
 * lines, no false sharing), then `capacity` bytes of storage (a power of two). Positions are
 * monotonically increasing unsigned 32-bit byte counters; the offset is `pos & (capacity - 1)`,
 * which stays consistent across 2^32 wrap-around because the capacity divides 2^32.
 *
 * Records are `u32 length` + payload, 4-byte aligned, and never wrap: when one does not fit before
 * the end of storage, the producer writes a wrap marker and continues at offset 0. The producer
 * writes the payload first and publishes the new write position last (Atomics.store), so a consumer
 * that sees the position sees the bytes.
 */

const HEADER_BYTES = 128
const W = 0 // Int32 index of the write position
const R = 16 // Int32 index of the read position (byte 64)
const WRAP = 0xffffffff

export interface Ring {
  readonly sab: SharedArrayBuffer
  readonly capacity: number
  readonly ctl: Int32Array
  readonly bytes: Uint8Array
  readonly view: DataView
  readonly name: string
}

export function ringBytesFor(capacity: number): number {
  return HEADER_BYTES + capacity
}

export function createRingBuffer(capacity: number): SharedArrayBuffer {
  if (capacity < 64 || (capacity & (capacity - 1)) !== 0) {
    throw new Error(`ring capacity must be a power of two >= 64, got ${capacity}`)
  }
  return new SharedArrayBuffer(ringBytesFor(capacity))
}

export function openRing(sab: SharedArrayBuffer, name: string): Ring {
  const capacity = sab.byteLength - HEADER_BYTES
  return {
    sab,
    capacity,
    name,
    ctl: new Int32Array(sab, 0, 32),
    bytes: new Uint8Array(sab, HEADER_BYTES, capacity),
    view: new DataView(sab, HEADER_BYTES, capacity),
  }
}

function align4(n: number): number {
  return (n + 3) & ~3
}

export function ringUsed(ring: Ring): number {
  return (Atomics.load(ring.ctl, W) - Atomics.load(ring.ctl, R)) >>> 0
}

/**
 * Reserves room for a record of `length` payload bytes. Returns the payload's byte offset in
 * `ring.bytes`/`ring.view`, or -1 when the ring has no room now (the caller decides whether that
 * means wait or fail). Call `ringCommit` after writing the payload.
 */
export function ringReserve(ring: Ring, length: number): number {
  const need = 4 + align4(length)
  if (need > ring.capacity / 2) {
    throw new Error(
      `ring ${ring.name}: a ${length}-byte record cannot fit (capacity ${ring.capacity} bytes)`,
    )
  }
  const w = Atomics.load(ring.ctl, W) >>> 0
  const r = Atomics.load(ring.ctl, R) >>> 0
  const free = ring.capacity - ((w - r) >>> 0)
  const off = w & (ring.capacity - 1)
  const skip = off + need > ring.capacity ? ring.capacity - off : 0
  if (skip + need > free) return -1
  if (skip > 0) {
    ring.view.setUint32(off, WRAP, true)
    // Publish the skip now; the record itself is published by ringCommit.
    Atomics.store(ring.ctl, W, (w + skip) | 0)
    ring.view.setUint32(0, length, true)
    return 4
  }
  ring.view.setUint32(off, length, true)
  return off + 4
}

/**
 * Publishes the record reserved last. Consumers poll (the main thread every frame, a host between
 * ticks): nobody waits on the write position, so there is no notify here (one per event and per
 * link message was pure overhead on the hosts).
 */
export function ringCommit(ring: Ring, length: number): void {
  const w = Atomics.load(ring.ctl, W) >>> 0
  Atomics.store(ring.ctl, W, (w + 4 + align4(length)) | 0)
}

/**
 * Hands every record published so far to `visit` (payload offset and length in `ring.bytes`, in
 * order), then frees them all at once: one store of the read position and one notify for a
 * producer waiting for room, instead of one per record. The payload bytes are valid only during
 * `visit`. If `visit` throws, the records before the failing one are freed and the error passes.
 */
export function ringDrain(ring: Ring, visit: (offset: number, length: number) => void): number {
  const start = Atomics.load(ring.ctl, R) >>> 0
  const w = Atomics.load(ring.ctl, W) >>> 0
  let r = start
  let n = 0
  try {
    while (r !== w) {
      const off = r & (ring.capacity - 1)
      const length = ring.view.getUint32(off, true)
      if (length === WRAP) {
        r = (r + ring.capacity - off) >>> 0
        continue
      }
      visit(off + 4, length)
      r = (r + 4 + align4(length)) >>> 0
      n++
    }
  } finally {
    if (r !== start) {
      Atomics.store(ring.ctl, R, r | 0)
      Atomics.notify(ring.ctl, R)
    }
  }
  return n
}

/** Resets both positions (only while neither side is using the ring). */
export function ringReset(ring: Ring): void {
  Atomics.store(ring.ctl, W, 0)
  Atomics.store(ring.ctl, R, 0)
}

/** The read-position word, for a producer that waits for room (`Atomics.wait(ring.ctl, ...)`). */
export const RING_READ_INDEX = R
export const RING_WRITE_INDEX = W
