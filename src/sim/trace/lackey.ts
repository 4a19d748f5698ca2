/**
 * Valgrind Lackey memory traces (`valgrind --tool=lackey --trace-mem=yes`), streamed.
 *
 * Lines look like `I  0400d7d4,3`, ` L 1ffefff8a0,8`, ` S 04222cac,4`, ` M 0421b170,4`; Valgrind's
 * own `==pid==` / `--pid--` lines are skipped. The parser works on raw bytes pushed in chunks (a
 * file read stream, a browser `File` stream, a decompressor), never holds more than one line plus
 * the decoded accesses of the current chunk, and collapses consecutive accesses to one page into one
 * access (flags OR-ed, the first offset kept). An access that straddles a page boundary becomes two.
 * Plain or gzip input; gzip goes through the web-standard `DecompressionStream`.
 */
import { ACC, type TraceChunk } from '../workload/workload'

export class TraceError extends Error {
  readonly where: string
  readonly line: number
  constructor(where: string, line: number, detail: string) {
    super(`${where}:${line}: ${detail}`)
    this.name = 'TraceError'
    this.where = where
    this.line = line
  }
}

const MAX_LINE = 4096

/** Incremental byte -> access parser. Accesses come out of `take()`. */
export class LackeyParser {
  readonly where: string
  readonly pageSize: number
  /** Lines seen so far (1-based number of the line being parsed). */
  line = 0
  /** Raw (uncollapsed) accesses parsed. */
  rawAccesses = 0
  private carry = new Uint8Array(256)
  private carryLen = 0
  private outVpage = new Float64Array(1024)
  private outOff = new Int32Array(1024)
  private outFlag = new Uint8Array(1024)
  private outLen = 0
  private outPos = 0
  private pendVpage = -1
  private pendOff = 0
  private pendFlag = 0
  private ended = false

  constructor(pageSize: number, where = 'trace') {
    this.pageSize = pageSize
    this.where = where
  }

  /** Feeds a chunk of bytes. */
  push(bytes: Uint8Array): void {
    let s = 0
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] !== 10) continue
      if (this.carryLen > 0) {
        this.appendCarry(bytes, s, i)
        this.parseLine(this.carry, 0, this.carryLen)
        this.carryLen = 0
      } else this.parseLine(bytes, s, i)
      s = i + 1
    }
    if (s < bytes.length) this.appendCarry(bytes, s, bytes.length)
  }

  /** Ends the input: parses a last unterminated line and releases the pending access. */
  end(): void {
    if (this.ended) return
    if (this.carryLen > 0) {
      this.parseLine(this.carry, 0, this.carryLen)
      this.carryLen = 0
    }
    this.flushPending()
    this.ended = true
  }

  get isEnded(): boolean {
    return this.ended
  }

  /** Accesses ready to take. */
  get available(): number {
    return this.outLen - this.outPos
  }

  /** Moves up to `max` ready accesses into `dst` starting at `at`; returns how many. */
  take(
    dst: { vpage: Float64Array; off: Int32Array; flag: Uint8Array },
    at: number,
    max: number,
  ): number {
    const n = Math.min(max, this.outLen - this.outPos)
    for (let k = 0; k < n; k++) {
      dst.vpage[at + k] = this.outVpage[this.outPos + k] as number
      dst.off[at + k] = this.outOff[this.outPos + k] as number
      dst.flag[at + k] = this.outFlag[this.outPos + k] as number
    }
    this.outPos += n
    if (this.outPos === this.outLen) this.outPos = this.outLen = 0
    return n
  }

  private appendCarry(bytes: Uint8Array, from: number, to: number): void {
    const n = to - from
    if (this.carryLen + n > MAX_LINE) {
      throw new TraceError(this.where, this.line + 1, `line longer than ${MAX_LINE} bytes`)
    }
    if (this.carryLen + n > this.carry.length) {
      const next = new Uint8Array(
        Math.min(MAX_LINE, Math.max(this.carry.length * 2, this.carryLen + n)),
      )
      next.set(this.carry.subarray(0, this.carryLen))
      this.carry = next
    }
    this.carry.set(bytes.subarray(from, to), this.carryLen)
    this.carryLen += n
  }

  private fail(b: Uint8Array, s: number, e: number, why: string): never {
    let text = ''
    for (let i = s; i < Math.min(e, s + 80); i++) text += String.fromCharCode(b[i] as number)
    throw new TraceError(this.where, this.line, `${why}: "${text}"`)
  }

  private parseLine(b: Uint8Array, s: number, e: number): void {
    this.line++
    if (e > s && b[e - 1] === 13) e-- // CRLF
    if (e === s) return
    const c0 = b[s] as number
    if (c0 === 61 /* = */ || c0 === 45 /* - */) return // Valgrind's own messages
    let i = s
    let flag: number
    if (c0 === 73 /* I */) {
      flag = ACC.READ | ACC.INSTR
      i++
    } else if (c0 === 32 && e - s > 2) {
      const c1 = b[s + 1] as number
      if (c1 === 76 /* L */) flag = ACC.READ
      else if (c1 === 83 /* S */) flag = ACC.WRITE
      else if (c1 === 77 /* M */) flag = ACC.READ | ACC.WRITE
      else this.fail(b, s, e, 'expected "I", " L", " S" or " M"')
      i += 2
    } else this.fail(b, s, e, 'expected "I", " L", " S" or " M"')
    while (i < e && b[i] === 32) i++
    let addr = 0
    let digits = 0
    for (; i < e; i++) {
      const c = b[i] as number
      const d =
        c >= 48 && c <= 57
          ? c - 48
          : c >= 97 && c <= 102
            ? c - 87
            : c >= 65 && c <= 70
              ? c - 55
              : -1
      if (d < 0) break
      addr = addr * 16 + d
      digits++
    }
    if (digits === 0 || digits > 13 || b[i] !== 44 /* , */)
      this.fail(b, s, e, 'expected "hexaddress,size"')
    i++
    let size = 0
    let sd = 0
    for (; i < e; i++) {
      const c = b[i] as number
      if (c < 48 || c > 57) break
      size = size * 10 + (c - 48)
      sd++
    }
    while (i < e && b[i] === 32) i++
    if (sd === 0 || i !== e || size === 0 || size > 4096) this.fail(b, s, e, 'bad access size')
    this.rawAccesses++
    const ps = this.pageSize
    const vpage = Math.floor(addr / ps)
    this.access(vpage, addr - vpage * ps, flag)
    const last = Math.floor((addr + size - 1) / ps)
    for (let v = vpage + 1; v <= last; v++) this.access(v, 0, flag)
  }

  private access(vpage: number, off: number, flag: number): void {
    if (vpage === this.pendVpage) {
      this.pendFlag |= flag
      return
    }
    this.flushPending()
    this.pendVpage = vpage
    this.pendOff = off
    this.pendFlag = flag
  }

  private flushPending(): void {
    if (this.pendVpage < 0) return
    if (this.outLen === this.outVpage.length) {
      const n = this.outVpage.length * 2
      const v = new Float64Array(n)
      v.set(this.outVpage)
      const o = new Int32Array(n)
      o.set(this.outOff)
      const f = new Uint8Array(n)
      f.set(this.outFlag)
      this.outVpage = v
      this.outOff = o
      this.outFlag = f
    }
    this.outVpage[this.outLen] = this.pendVpage
    this.outOff[this.outLen] = this.pendOff
    this.outFlag[this.outLen] = this.pendFlag
    this.outLen++
    this.pendVpage = -1
  }
}

interface WebReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>
  cancel(reason?: unknown): Promise<void>
}
interface WebWriter {
  write(chunk: Uint8Array): Promise<void>
  close(): Promise<void>
  abort(reason?: unknown): Promise<void>
}
interface DecompressionStreamLike {
  readonly writable: { getWriter(): WebWriter }
  readonly readable: { getReader(): WebReader }
}

/** Gunzips a byte stream with the web-standard DecompressionStream (Node ≥ 18 and browsers). */
export function gunzip(src: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const g = globalThis as unknown as {
    DecompressionStream?: new (format: string) => DecompressionStreamLike
  }
  if (!g.DecompressionStream)
    throw new Error('this runtime has no DecompressionStream for gzip traces')
  const ds = new g.DecompressionStream('gzip')
  const writer = ds.writable.getWriter()
  const reader = ds.readable.getReader()
  const pump = (async () => {
    try {
      for await (const chunk of src) await writer.write(chunk)
      await writer.close()
    } catch (e) {
      await writer.abort(e).catch(() => {})
    }
  })()
  return {
    async *[Symbol.asyncIterator]() {
      try {
        for (;;) {
          const r = await reader.read()
          if (r.done) break
          if (r.value) yield r.value
        }
      } finally {
        await pump
      }
    },
  }
}

/** Peeks at the first chunk: gzip streams start with 1f 8b. */
export function maybeGunzip(src: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  return {
    async *[Symbol.asyncIterator]() {
      const it = src[Symbol.asyncIterator]()
      const first = await it.next()
      if (first.done) return
      const head = first.value
      const rest: AsyncIterable<Uint8Array> = {
        async *[Symbol.asyncIterator]() {
          yield head
          for (;;) {
            const r = await it.next()
            if (r.done) return
            yield r.value
          }
        },
      }
      if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) yield* gunzip(rest)
      else yield* rest
    },
  }
}

/**
 * The runner's view of a trace: decoded, collapsed accesses on demand, pulled from a byte stream as
 * needed. Not host state: it is the "disk" the running process reads its instruction stream from.
 */
export class TraceFeed {
  readonly parser: LackeyParser
  private readonly it: AsyncIterator<Uint8Array>
  private done = false

  constructor(source: AsyncIterable<Uint8Array>, pageSize: number, where = 'trace') {
    this.parser = new LackeyParser(pageSize, where)
    this.it = maybeGunzip(source)[Symbol.asyncIterator]()
  }

  /** True when no access is left. */
  get eof(): boolean {
    return this.done && this.parser.available === 0
  }

  /** Reads up to `max` accesses (fewer only at the end of the trace). */
  async next(max: number): Promise<TraceChunk> {
    while (this.parser.available < max && !this.done) {
      const r = await this.it.next()
      if (r.done) {
        this.parser.end()
        this.done = true
      } else this.parser.push(r.value)
    }
    const dst = {
      vpage: new Float64Array(max),
      off: new Int32Array(max),
      flag: new Uint8Array(max),
    }
    const n = this.parser.take(dst, 0, max)
    return { vpage: dst.vpage, off: dst.off, flag: dst.flag, n }
  }
}
