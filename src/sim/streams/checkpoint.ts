/**
 * Checkpoint message blocks and the restart message (US7950019 cl.1–2; identity/order record from
 * US8527650). Each block holds a component's internal data (its state) and external data (the
 * in-flight messages addressed to it: queued on its queues, or in transit to them).
 */
import {
  createReader,
  createWriter,
  finish,
  readBytes,
  readF64,
  readI32,
  readMsgs,
  readNums,
  readStr,
  readU16,
  readU32,
  readU8,
  writeBytes,
  writeF64,
  writeI32,
  writeMsgs,
  writeNums,
  writeStr,
  writeU16,
  writeU32,
  writeU8,
  type ByteReader,
  type ByteWriter,
} from './codec'
import { RQ, WQ } from './catalog'
import type { StrComponent, StrMsg, StrStream, TrafficGen } from './types'

export const RESTART_MAGIC = 0x5354524d // 'STRM'
export const RESTART_VERSION = 1

/** Does component `i` get its own block? Stream head section and modules always; driver optionally (S6). */
export function hasBlock(st: StrStream, i: number, driverBlock: boolean): boolean {
  return i < st.comps.length - 1 || driverBlock
}

/** Components whose in-flight messages a block records: itself and any block-less ones below it. */
export function ownedComps(st: StrStream, i: number, driverBlock: boolean): number[] {
  const out = [i]
  for (let j = i + 1; j < st.comps.length && !hasBlock(st, j, driverBlock); j++) out.push(j)
  return out
}

export interface BlockData {
  bytes: Uint8Array
  internalBytes: number
  externalMsgs: number
}

function writeInternal(w: ByteWriter, c: StrComponent): void {
  writeNums(w, c.st)
  writeMsgs(w, c.held)
}

function writeExternal(w: ByteWriter, st: StrStream, owned: readonly number[]): number {
  let n = 0
  writeU8(w, owned.length * 2)
  for (const j of owned) {
    const c = st.comps[j] as StrComponent
    for (const side of [WQ, RQ]) {
      const q = side === WQ ? c.wq : c.rq
      writeU16(w, j)
      writeU8(w, side)
      writeMsgs(w, q.msgs)
      writeMsgs(w, q.transit)
      n += q.msgs.length + q.transit.length
    }
  }
  return n
}

/** Serializes component `i`'s block (internal data, then external data). */
export function fillBlock(st: StrStream, i: number, driverBlock: boolean): BlockData {
  const c = st.comps[i] as StrComponent
  const w = createWriter(128)
  writeU16(w, i)
  writeU8(w, c.kind)
  writeStr(w, c.name)
  writeInternal(w, c)
  const internalBytes = w.len
  const externalMsgs = writeExternal(w, st, ownedComps(st, i, driverBlock))
  return { bytes: finish(w), internalBytes, externalMsgs: externalMsgs + c.held.length }
}

/** The stream head section also records the partition's boundary (S8) and its traffic source. */
export function fillHeadSection(
  st: StrStream,
  driverBlock: boolean,
  gen: TrafficGen | undefined,
  lastSeq: readonly (readonly number[])[],
): BlockData {
  const head = fillBlock(st, 0, driverBlock)
  const w = createWriter(head.bytes.length + 256)
  writeBytes(w, head.bytes)
  writeMsgs(w, st.outbox)
  writeMsgs(w, st.inbox)
  writeU8(w, gen ? 1 : 0)
  if (gen) {
    for (let k = 0; k < 4; k++) writeU32(w, gen.rng[k] as number)
    writeF64(w, gen.nextSeq[0] as number)
    writeF64(w, gen.nextSeq[1] as number)
    writeU8(w, (gen.lineOpen ? 1 : 0) | (gen.finished ? 2 : 0))
    writeI32(w, gen.ioctlOut)
    writeF64(w, gen.nextIoctl)
    writeF64(w, gen.downRate)
    writeF64(w, gen.upRate)
  }
  for (const dir of [0, 1]) {
    const ls = lastSeq[dir] ?? []
    const set: number[] = []
    ls.forEach((v, cls) => {
      if (v >= 0) set.push(cls)
    })
    writeU16(w, set.length)
    for (const cls of set) {
      writeU16(w, cls)
      writeF64(w, ls[cls] as number)
    }
  }
  return {
    bytes: finish(w),
    internalBytes: head.internalBytes,
    externalMsgs: head.externalMsgs + st.outbox.length + st.inbox.length,
  }
}

export interface Identity {
  kind: number
  name: string
  ckpt: boolean
  blockBytes: number
  hiwat: number
  lowat: number
}

export function identityOf(c: StrComponent): Identity {
  return {
    kind: c.kind,
    name: c.name,
    ckpt: c.ckpt,
    blockBytes: c.blockBytes,
    hiwat: c.wq.hiwat,
    lowat: c.wq.lowat,
  }
}

function writeIdentity(w: ByteWriter, id: Identity): void {
  writeU8(w, id.kind)
  writeStr(w, id.name)
  writeU8(w, id.ckpt ? 1 : 0)
  writeU32(w, id.blockBytes)
  writeU32(w, id.hiwat)
  writeU32(w, id.lowat)
}

function readIdentity(r: ByteReader): Identity {
  return {
    kind: readU8(r),
    name: readStr(r),
    ckpt: readU8(r) === 1,
    blockBytes: readU32(r),
    hiwat: readU32(r),
    lowat: readU32(r),
  }
}

export interface RestartMessage {
  frozenAt: number
  partition: boolean
  /** Module identities in stack order, top to bottom (P2-12). */
  modules: Identity[]
  driver: Identity
  driverBlock: boolean
  blocks: { comp: number; bytes: Uint8Array }[]
}

export function encodeRestartMessage(rm: RestartMessage): Uint8Array {
  const w = createWriter(1024)
  writeU32(w, RESTART_MAGIC)
  writeU8(w, RESTART_VERSION)
  writeF64(w, rm.frozenAt)
  writeU8(w, rm.partition ? 1 : 0)
  writeU16(w, rm.modules.length)
  for (const m of rm.modules) writeIdentity(w, m)
  writeIdentity(w, rm.driver)
  writeU8(w, rm.driverBlock ? 1 : 0)
  writeU16(w, rm.blocks.length)
  for (const b of rm.blocks) {
    writeU16(w, b.comp)
    writeBytes(w, b.bytes)
  }
  return finish(w)
}

export function decodeRestartMessage(data: Uint8Array): RestartMessage {
  const r = createReader(data)
  if (readU32(r) !== RESTART_MAGIC) throw new RangeError('not a restart message (bad magic)')
  const v = readU8(r)
  if (v !== RESTART_VERSION) throw new RangeError(`unsupported restart message version ${v}`)
  const frozenAt = readF64(r)
  const partition = readU8(r) === 1
  const n = readU16(r)
  const modules: Identity[] = []
  for (let i = 0; i < n; i++) modules.push(readIdentity(r))
  const driver = readIdentity(r)
  const driverBlock = readU8(r) === 1
  const nb = readU16(r)
  const blocks: { comp: number; bytes: Uint8Array }[] = []
  for (let i = 0; i < nb; i++) blocks.push({ comp: readU16(r), bytes: readBytes(r) })
  return { frozenAt, partition, modules, driver, driverBlock, blocks }
}

export interface DecodedBlock {
  comp: number
  kind: number
  name: string
  st: number[]
  held: StrMsg[]
  queues: { comp: number; side: number; msgs: StrMsg[]; transit: StrMsg[] }[]
}

export function decodeBlock(bytes: Uint8Array): DecodedBlock {
  const r = createReader(bytes)
  const comp = readU16(r)
  const kind = readU8(r)
  const name = readStr(r)
  const st = readNums(r)
  const held = readMsgs(r)
  const nq = readU8(r)
  const queues: DecodedBlock['queues'] = []
  for (let k = 0; k < nq; k++) {
    const c = readU16(r)
    const side = readU8(r)
    const msgs = readMsgs(r)
    const transit = readMsgs(r)
    queues.push({ comp: c, side, msgs, transit })
  }
  return { comp, kind, name, st, held, queues }
}

export interface DecodedHead {
  block: DecodedBlock
  outbox: StrMsg[]
  inbox: StrMsg[]
  gen: TrafficGen | undefined
  lastSeq: number[][]
}

export function decodeHeadSection(bytes: Uint8Array): DecodedHead {
  const r = createReader(bytes)
  const block = decodeBlock(readBytes(r))
  const outbox = readMsgs(r)
  const inbox = readMsgs(r)
  let gen: TrafficGen | undefined
  if (readU8(r) === 1) {
    const rng = new Uint32Array(4)
    for (let k = 0; k < 4; k++) rng[k] = readU32(r)
    const nextSeq = [readF64(r), readF64(r)]
    const lf = readU8(r)
    const lineOpen = (lf & 1) !== 0
    const finished = (lf & 2) !== 0
    const ioctlOut = readI32(r)
    const nextIoctl = readF64(r)
    const downRate = readF64(r)
    const upRate = readF64(r)
    gen = { rng, nextSeq, lineOpen, finished, ioctlOut, nextIoctl, downRate, upRate }
  }
  const lastSeq: number[][] = []
  for (let dir = 0; dir < 2; dir++) {
    const ls = emptyLastSeq()
    const n = readU16(r)
    for (let k = 0; k < n; k++) {
      const cls = readU16(r)
      ls[cls] = readF64(r)
    }
    lastSeq.push(ls)
  }
  return { block, outbox, inbox, gen, lastSeq }
}

export function emptyLastSeq(): number[] {
  return Array.from({ length: 257 }, () => -1)
}
