/**
 * Short-lived byte buffers (page messages) carved out of slabs. A typed-array view is a cheap
 * object, while every fresh ArrayBuffer costs an allocation of its backing store and pressure on the
 * garbage collector: ≈ 2 µs for a 4 KiB page on the project's VM, paid twice per remote page fault
 * in the worker runtime (the sender's message, the receiver's copy out of the link ring). Views never
 * overlap and start zeroed like a fresh buffer; the collector frees a slab once no view into it is
 * alive (messages live until delivered; snapshots copy theirs).
 */
const SLAB_BYTES = 1 << 20
/** Larger buffers get their own ArrayBuffer (a slab would waste most of its tail). */
const MAX_CARVED = SLAB_BYTES >>> 4

let slab = new Uint8Array(0)
let used = 0

export function allocBytes(n: number): Uint8Array {
  if (n > MAX_CARVED) return new Uint8Array(n)
  if (used + n > slab.length) {
    slab = new Uint8Array(SLAB_BYTES)
    used = 0
  }
  const view = slab.subarray(used, used + n)
  // 8-byte alignment keeps typed views over the bytes possible.
  used += (n + 7) & ~7
  return view
}
