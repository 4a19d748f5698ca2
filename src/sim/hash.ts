/**
 * Fast non-cryptographic hashing for determinism checks: event-log hashes, state hashes, page
 * checksums. Two independent 32-bit lanes give a 64-bit digest printed as 16 hex digits.
 */

const f64 = new Float64Array(1)
const u32 = new Uint32Array(f64.buffer)

/** A rolling 64-bit (two-lane) hash. Plain data so it can be snapshotted. */
export interface Hasher {
  h1: number
  h2: number
}

export function createHasher(seed = 0): Hasher {
  return { h1: (0x9747b28c ^ seed) >>> 0, h2: (0x85ebca6b ^ Math.imul(seed, 0x27d4eb2f)) >>> 0 }
}

function mixLane(h: number, k: number, c1: number, c2: number): number {
  k = Math.imul(k, c1)
  k = (k << 15) | (k >>> 17)
  k = Math.imul(k, c2)
  h ^= k
  h = (h << 13) | (h >>> 19)
  return (Math.imul(h, 5) + 0xe6546b64) >>> 0
}

/** Feeds one 32-bit integer. */
export function hashU32(h: Hasher, v: number): void {
  h.h1 = mixLane(h.h1, v >>> 0, 0xcc9e2d51, 0x1b873593)
  h.h2 = mixLane(h.h2, v >>> 0, 0x85ebca6b, 0xc2b2ae35)
}

/** Feeds any finite number exactly (its IEEE-754 bits), so 0.1 + 0.2 and 0.3 differ as they should. */
export function hashNumber(h: Hasher, v: number): void {
  if (Number.isInteger(v) && v >= -0x8000_0000 && v <= 0x7fff_ffff) {
    hashU32(h, 0x1)
    hashU32(h, v | 0)
    return
  }
  f64[0] = v
  hashU32(h, 0x2)
  hashU32(h, u32[0] as number)
  hashU32(h, u32[1] as number)
}

export function hashString(h: Hasher, s: string): void {
  hashU32(h, s.length)
  for (let i = 0; i < s.length; i++) hashU32(h, s.charCodeAt(i))
}

/** Feeds bytes, four at a time where possible. */
export function hashBytes(h: Hasher, bytes: Uint8Array, from = 0, to = bytes.length): void {
  hashU32(h, to - from)
  let i = from
  for (; i + 4 <= to; i += 4) {
    hashU32(
      h,
      (bytes[i] as number) |
        ((bytes[i + 1] as number) << 8) |
        ((bytes[i + 2] as number) << 16) |
        ((bytes[i + 3] as number) << 24),
    )
  }
  for (; i < to; i++) hashU32(h, bytes[i] as number)
}

function fmix(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** The digest as 16 lowercase hex digits. Does not change the hasher. */
export function digest(h: Hasher): string {
  const a = fmix(h.h1 ^ h.h2)
  const b = fmix(h.h2 ^ Math.imul(h.h1, 0x9e3779b1))
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0')
}

/** A 32-bit checksum of a byte range (used per page). */
export function checksumBytes(bytes: Uint8Array, from = 0, to = bytes.length): number {
  const h = createHasher(0x5eed)
  hashBytes(h, bytes, from, to)
  return fmix(h.h1 ^ Math.imul(h.h2, 31))
}
