/**
 * A tiny byte writer/reader (the pure core has no TextEncoder) and the STREAMS records that go into
 * message blocks and the restart message. Little-endian; strings are UTF-16 code units (u16 each).
 */
import type { StrMsg } from './types'

export interface ByteWriter {
  buf: Uint8Array
  len: number
}

export function createWriter(initial = 256): ByteWriter {
  return { buf: new Uint8Array(initial), len: 0 }
}

function ensure(w: ByteWriter, n: number): void {
  if (w.len + n <= w.buf.length) return
  let cap = w.buf.length * 2
  while (cap < w.len + n) cap *= 2
  const b = new Uint8Array(cap)
  b.set(w.buf.subarray(0, w.len))
  w.buf = b
}

export function writeU8(w: ByteWriter, v: number): void {
  ensure(w, 1)
  w.buf[w.len++] = v & 0xff
}

export function writeU16(w: ByteWriter, v: number): void {
  ensure(w, 2)
  w.buf[w.len++] = v & 0xff
  w.buf[w.len++] = (v >>> 8) & 0xff
}

export function writeU32(w: ByteWriter, v: number): void {
  ensure(w, 4)
  w.buf[w.len++] = v & 0xff
  w.buf[w.len++] = (v >>> 8) & 0xff
  w.buf[w.len++] = (v >>> 16) & 0xff
  w.buf[w.len++] = (v >>> 24) & 0xff
}

export function writeI32(w: ByteWriter, v: number): void {
  writeU32(w, v | 0)
}

const f64 = new Float64Array(1)
const f64b = new Uint8Array(f64.buffer)

export function writeF64(w: ByteWriter, v: number): void {
  ensure(w, 8)
  f64[0] = v
  w.buf.set(f64b, w.len)
  w.len += 8
}

export function writeBytes(w: ByteWriter, b: Uint8Array): void {
  writeU32(w, b.length)
  ensure(w, b.length)
  w.buf.set(b, w.len)
  w.len += b.length
}

export function writeStr(w: ByteWriter, s: string): void {
  writeU16(w, s.length)
  for (let i = 0; i < s.length; i++) writeU16(w, s.charCodeAt(i))
}

export function finish(w: ByteWriter): Uint8Array {
  return w.buf.slice(0, w.len)
}

export interface ByteReader {
  buf: Uint8Array
  pos: number
}

export function createReader(buf: Uint8Array): ByteReader {
  return { buf, pos: 0 }
}

function need(r: ByteReader, n: number): void {
  if (r.pos + n > r.buf.length) {
    throw new RangeError(`restart message truncated at byte ${r.pos} (needs ${n} more)`)
  }
}

export function readU8(r: ByteReader): number {
  need(r, 1)
  return r.buf[r.pos++] as number
}

export function readU16(r: ByteReader): number {
  need(r, 2)
  const v = (r.buf[r.pos] as number) | ((r.buf[r.pos + 1] as number) << 8)
  r.pos += 2
  return v
}

export function readU32(r: ByteReader): number {
  need(r, 4)
  const b = r.buf
  const p = r.pos
  r.pos += 4
  return (
    ((b[p] as number) |
      ((b[p + 1] as number) << 8) |
      ((b[p + 2] as number) << 16) |
      ((b[p + 3] as number) << 24)) >>>
    0
  )
}

export function readI32(r: ByteReader): number {
  return readU32(r) | 0
}

export function readF64(r: ByteReader): number {
  need(r, 8)
  f64b.set(r.buf.subarray(r.pos, r.pos + 8))
  r.pos += 8
  return f64[0] as number
}

export function readBytes(r: ByteReader): Uint8Array {
  const n = readU32(r)
  need(r, n)
  const b = r.buf.slice(r.pos, r.pos + n)
  r.pos += n
  return b
}

export function readStr(r: ByteReader): string {
  const n = readU16(r)
  let s = ''
  for (let i = 0; i < n; i++) s += String.fromCharCode(readU16(r))
  return s
}

// ---- STREAMS records ------------------------------------------------------------------------

export function writeMsg(w: ByteWriter, m: StrMsg): void {
  writeU8(w, m.type)
  writeU8(w, m.band)
  writeU8(w, m.dir)
  writeI32(w, m.seq)
  writeI32(w, m.cmd)
  writeI32(w, m.arg)
  writeBytes(w, m.data)
}

export function readMsg(r: ByteReader): StrMsg {
  const type = readU8(r)
  const band = readU8(r)
  const dir = readU8(r)
  const seq = readI32(r)
  const cmd = readI32(r)
  const arg = readI32(r)
  const data = readBytes(r)
  return { type, band, dir, seq, cmd, arg, data }
}

export function writeMsgs(w: ByteWriter, ms: readonly StrMsg[]): void {
  writeU32(w, ms.length)
  for (const m of ms) writeMsg(w, m)
}

export function readMsgs(r: ByteReader): StrMsg[] {
  const n = readU32(r)
  const out: StrMsg[] = []
  for (let i = 0; i < n; i++) out.push(readMsg(r))
  return out
}

export function writeNums(w: ByteWriter, xs: readonly number[]): void {
  writeU16(w, xs.length)
  for (const v of xs) writeF64(w, v)
}

export function readNums(r: ByteReader): number[] {
  const n = readU16(r)
  const out: number[] = []
  for (let i = 0; i < n; i++) out.push(readF64(r))
  return out
}
