/**
 * Seeded pseudo-random numbers for the pure core (sfc32: small, fast, good statistical quality).
 * The state is a plain `Uint32Array` so it can live inside `HostState`, be snapshotted with
 * `structuredClone`, and be hashed. `Math.random` is banned in `src/sim` (lint rule).
 */
export type RngState = Uint32Array

/** Mixes a seed and a stream name into an independent stream, so adding randomness to one subsystem
 * (say, link loss) never shifts another (the workload's access pattern). */
export function createRng(seed: number, ...stream: readonly (string | number)[]): RngState {
  let h = 0x811c9dc5 ^ (seed >>> 0)
  const mixIn = (v: number) => {
    h = Math.imul(h ^ (v >>> 0), 0x01000193) >>> 0
    h ^= h >>> 13
  }
  mixIn(Math.floor(seed / 0x1_0000_0000))
  for (const part of stream) {
    if (typeof part === 'number') mixIn(part)
    else for (let i = 0; i < part.length; i++) mixIn(part.charCodeAt(i))
  }
  const s = new Uint32Array([h, h ^ 0x9e3779b9, (h * 0x85ebca6b) >>> 0, seed >>> 0 || 1])
  for (let i = 0; i < 16; i++) nextU32(s) // warm up
  return s
}

/** Next uniform 32-bit unsigned integer. */
export function nextU32(s: RngState): number {
  const a = s[0] as number
  const b = s[1] as number
  const c = s[2] as number
  const d = s[3] as number
  const t = (((a + b) | 0) + d) | 0
  s[3] = (d + 1) | 0
  s[0] = b ^ (b >>> 9)
  s[1] = (c + (c << 3)) | 0
  const r = (c << 21) | (c >>> 11)
  s[2] = (r + t) | 0
  return t >>> 0
}

/** Uniform float in [0, 1). */
export function nextFloat(s: RngState): number {
  return nextU32(s) / 0x1_0000_0000
}

/** Uniform integer in [0, n). `n` must be a positive integer below 2^32. */
export function nextInt(s: RngState, n: number): number {
  return Math.floor(nextFloat(s) * n)
}

/** True with probability `p`. */
export function chance(s: RngState, p: number): boolean {
  return p > 0 && nextFloat(s) < p
}
