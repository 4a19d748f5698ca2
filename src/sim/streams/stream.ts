/**
 * SVR4 STREAMS mechanics over plain data: queue pairs, put and service procedures, putnext / putq /
 * getq, flow control with high/low water marks and back-enabling, priority bands and high-priority
 * messages, M_FLUSH, M_IOCTL, I_PUSH / I_POP, and the modules' own state.
 *
 * Time: a message passed with `putnext` lands in the next queue's `transit` list and is taken by
 * that queue's put procedure on the next tick, so each message moves at most one hop per tick and
 * can be seen moving. "In transit" messages are exactly the patent's "sent but not yet received by
 * their intended recipient".
 */
import type { EmitFn } from '../hostTypes'
import { chance, nextFloat, nextInt } from '../rng'
import {
  DOWN,
  EOL,
  FLUSHR,
  FLUSHW,
  HP_CLASS,
  IOC,
  isDataType,
  isHighPri,
  K,
  kindSpec,
  msgClass,
  MT,
  payloadByte,
  RQ,
  UP,
  WQ,
} from './catalog'
import type { ResolvedEntry, StreamsScenario } from './scenario'
import type { StreamsHostState, StrComponent, StrMsg, StrQueue, StrStream } from './types'

/** Per-tick working context (not stored in state). */
export interface Sx {
  readonly s: StreamsHostState
  readonly st: StrStream
  readonly cfg: StreamsScenario
  readonly emit: EmitFn
  readonly tick: number
  hops: number
}

export function newQueue(hiwat: number, lowat: number, service: boolean): StrQueue {
  return {
    msgs: [],
    transit: [],
    count: 0,
    tcount: 0,
    hiwat,
    lowat,
    full: false,
    wantw: false,
    enabled: false,
    service,
  }
}

export interface CompConfig {
  readonly ckpt: boolean
  readonly blockBytes: number
  readonly hiwat: number
  readonly lowat: number
}

export function entryConfig(cfg: StreamsScenario, e: ResolvedEntry | undefined): CompConfig {
  const hiwat = e?.hiwat ?? cfg.queues.hiwat
  let lowat = e?.lowat ?? cfg.queues.lowat
  if (lowat >= hiwat) lowat = Math.floor(hiwat / 4)
  return {
    ckpt: e?.checkpoint ?? true,
    blockBytes: e?.blockBytes ?? cfg.checkpoint.blockBytes,
    hiwat,
    lowat,
  }
}

/** A freshly opened component (its open routine: state fields at their initial values). */
export function newComponent(kind: number, name: string, c: CompConfig): StrComponent {
  const k = kindSpec(kind)
  return {
    kind,
    name,
    st: [...k.init],
    held: [],
    wq: newQueue(c.hiwat, c.lowat, k.wsrv),
    rq: newQueue(c.hiwat, c.lowat, k.rsrv),
    ckpt: c.ckpt,
    blockBytes: c.blockBytes,
  }
}

export function compConfig(c: StrComponent): CompConfig {
  return { ckpt: c.ckpt, blockBytes: c.blockBytes, hiwat: c.wq.hiwat, lowat: c.wq.lowat }
}

/** Opens the device: stream head + driver. Modules are pushed afterwards. */
export function openDevice(cfg: StreamsScenario, driver: ResolvedEntry, tick: number): StrStream {
  const dk = kindByNameStrict(driver.kind)
  return {
    comps: [
      newComponent(K.head, 'head', entryConfig(cfg, undefined)),
      newComponent(dk, driver.name, entryConfig(cfg, driver)),
    ],
    frozen: false,
    runq: [],
    outbox: [],
    inbox: [],
    inboxBytes: 0,
    openedAt: tick,
  }
}

function kindByNameStrict(name: string): number {
  const code = (K as Record<string, number>)[name]
  if (code === undefined || code === K.head) throw new Error(`unknown STREAMS kind ${name}`)
  return code
}

export function kindCode(name: string): number | undefined {
  const code = (K as Record<string, number>)[name]
  return code === undefined || code === K.head ? undefined : code
}

/** I_PUSH: inserts a component immediately beneath the stream head. */
export function pushModule(st: StrStream, comp: StrComponent): void {
  st.comps.splice(1, 0, comp)
  st.runq = st.runq.map((c) => (c >> 1 >= 1 ? c + 2 : c))
}

/** I_POP: removes the module beneath the stream head; returns it (its queues still hold what it had). */
export function popModule(st: StrStream): StrComponent | undefined {
  if (st.comps.length <= 2) return undefined
  const [m] = st.comps.splice(1, 1)
  st.runq = st.runq.filter((c) => c >> 1 !== 1).map((c) => (c >> 1 > 1 ? c - 2 : c))
  return m
}

export function lastIndex(st: StrStream): number {
  return st.comps.length - 1
}

function comp(st: StrStream, i: number): StrComponent {
  const c = st.comps[i]
  if (!c) throw new Error(`no STREAMS component ${i}`)
  return c
}

export function queueOf(st: StrStream, i: number, side: number): StrQueue {
  const c = comp(st, i)
  return side === WQ ? c.wq : c.rq
}

/** Queues serviced by a consumer rather than the scheduler: the stream head's read queue (the
 * process reads it) and the driver's write queue (the device transmits it). */
function isConsumerQueue(st: StrStream, i: number, side: number): boolean {
  return (i === 0 && side === RQ) || (i === lastIndex(st) && side === WQ)
}

export function qenable(st: StrStream, i: number, side: number): void {
  const q = queueOf(st, i, side)
  if (!q.service || q.enabled || isConsumerQueue(st, i, side)) return
  q.enabled = true
  st.runq.push(i * 2 + side)
}

function rank(m: StrMsg): number {
  return isHighPri(m.type) ? HP_CLASS : m.band
}

/** putq: inserts by priority (high priority first, then bands high to low, FIFO within a class). */
export function putq(x: Sx, i: number, side: number, m: StrMsg): void {
  const q = queueOf(x.st, i, side)
  const r = rank(m)
  let at = q.msgs.length
  while (at > 0 && rank(q.msgs[at - 1] as StrMsg) < r) at--
  if (at === q.msgs.length) q.msgs.push(m)
  else q.msgs.splice(at, 0, m)
  q.count += m.data.length
  if (!q.full && q.count >= q.hiwat) {
    q.full = true
    x.emit('str.qfull', { comp: i, side, count: q.count })
  }
  qenable(x.st, i, side)
}

function afterRemove(x: Sx, i: number, side: number, q: StrQueue): void {
  if (q.full && q.count <= q.lowat) {
    q.full = false
    if (q.wantw) {
      q.wantw = false
      backenable(x, i, side)
    }
  }
}

/** getq: removes the first message; clears QFULL below lowat and back-enables the waiting writer. */
export function getq(x: Sx, i: number, side: number): StrMsg | undefined {
  const q = queueOf(x.st, i, side)
  const m = q.msgs.shift()
  if (!m) return undefined
  q.count -= m.data.length
  afterRemove(x, i, side, q)
  return m
}

function backenable(x: Sx, i: number, side: number): void {
  x.emit('str.backenable', { comp: i, side })
  const st = x.st
  if (side === WQ) {
    for (let j = i - 1; j >= 0; j--) {
      if (comp(st, j).wq.service) {
        qenable(st, j, WQ)
        return
      }
    }
  } else {
    for (let j = i + 1; j <= lastIndex(st); j++) {
      if (comp(st, j).rq.service) {
        qenable(st, j, RQ)
        return
      }
    }
  }
  // Nobody to enable: the process / device retries its blocked write every tick.
}

/** `flow` results: the message may go; the next service queue is QFULL (the caller is
 * back-enabled when it drains below lowat); or it is not QFULL yet but the messages already sent
 * to it and still in transit fill it (the caller retries next tick, nobody back-enables it). */
export const FLOW_OK = 0
export const FLOW_FULL = 1
export const FLOW_BUSY = 2

/**
 * canputnext, with the one-hop-per-tick model: looks for the nearest queue beyond `i` with a
 * service procedure and compares its q_count plus the bytes in transit to it (on its own transit
 * list and those of the service-less modules in between) with its high-water mark. A real putnext
 * is synchronous, so those bytes would already be counted; without them a writer could pour any
 * number of messages into a queue in one tick. O(stack depth) per call.
 */
export function flow(st: StrStream, i: number, side: number): number {
  let inTransit = 0
  if (side === WQ) {
    for (let j = i + 1; j <= lastIndex(st); j++) {
      const q = comp(st, j).wq
      inTransit += q.tcount
      if (q.service) return flowOf(q, inTransit)
    }
  } else {
    for (let j = i - 1; j >= 0; j--) {
      const q = comp(st, j).rq
      inTransit += q.tcount
      if (q.service) return flowOf(q, inTransit)
    }
  }
  return FLOW_OK
}

function flowOf(q: StrQueue, inTransit: number): number {
  if (q.full) {
    q.wantw = true
    return FLOW_FULL
  }
  return q.count + inTransit >= q.hiwat ? FLOW_BUSY : FLOW_OK
}

/** canputnext: may an ordinary message be passed on from `i` (see `flow`)? */
export function canputnext(st: StrStream, i: number, side: number): boolean {
  return flow(st, i, side) === FLOW_OK
}

/** putnext: hands the message to the next queue in its direction (taken by its put procedure next tick). */
export function putnext(x: Sx, i: number, side: number, m: StrMsg): void {
  const next = side === WQ ? i + 1 : i - 1
  const q = queueOf(x.st, next, side)
  q.transit.push(m)
  q.tcount += m.data.length
}

/** qreply: sends a message back the other way from component `i`'s queue `side`. */
function qreply(x: Sx, i: number, side: number, m: StrMsg): void {
  putnext(x, i, side === WQ ? RQ : WQ, m)
}

function hasOrdinary(q: StrQueue): boolean {
  const last = q.msgs[q.msgs.length - 1]
  return last !== undefined && !isHighPri(last.type)
}

/** The usual put logic: high priority passes at once; ordinary messages queue behind queued ones or
 * when the next service queue is full (modules without a service procedure always pass). */
function passOrQueue(x: Sx, i: number, side: number, m: StrMsg): void {
  const q = queueOf(x.st, i, side)
  if (isHighPri(m.type) || !q.service) {
    putnext(x, i, side, m)
  } else if (hasOrdinary(q) || !canputnext(x.st, i, side)) {
    putq(x, i, side, m)
  } else {
    putnext(x, i, side, m)
  }
}

// ---- delivery and accounting --------------------------------------------------------------

function discard(x: Sx, m: StrMsg, cause: number): void {
  if (m.seq >= 0 && isDataType(m.type)) {
    x.s.counters.discarded[m.dir] = (x.s.counters.discarded[m.dir] ?? 0) + 1
    x.emit('str.discarded', { dir: m.dir, msgSeq: m.seq, cause })
  } else if (m.type === MT.M_IOCTL || m.type === MT.M_IOCACK || m.type === MT.M_IOCNAK) {
    // The stream head would time the ioctl out: the process is told it failed.
    const g = x.s.gen
    if (g && g.ioctlOut === m.seq) g.ioctlOut = -1
  }
}

/** Frees a list of messages (pop, flush); returns how many were freed. */
export function freeAll(x: Sx, msgs: readonly StrMsg[], cause: number): number {
  for (const m of msgs) discard(x, m, cause)
  return msgs.length
}

/** flushq(q, FLUSHDATA): frees the data messages on a queue (M_IOCTL and replies stay). */
function flushq(x: Sx, i: number, side: number): void {
  const q = queueOf(x.st, i, side)
  if (q.msgs.length === 0) return
  const keep: StrMsg[] = []
  for (const m of q.msgs) {
    if (isDataType(m.type)) discard(x, m, 0)
    else keep.push(m)
  }
  q.msgs = keep
  q.count = keep.reduce((n, m) => n + m.data.length, 0)
  afterRemove(x, i, side, q)
}

export function expectedPayloadOk(m: StrMsg): boolean {
  const d = m.data
  const n = d.length
  for (let j = 0; j < n; j++) {
    const b = d[j] as number
    if (b !== payloadByte(m.dir, m.seq, j) && !(j === n - 1 && b === EOL)) return false
  }
  return true
}

function deliver(x: Sx, dir: number, m: StrMsg): void {
  if (m.seq < 0 || !isDataType(m.type)) return
  const c = x.s.counters
  c.delivered[dir] = (c.delivered[dir] ?? 0) + 1
  if (!expectedPayloadOk(m)) c.corrupt++
  const cls = msgClass(m.type, m.band)
  const last = x.s.lastSeq[dir] as number[]
  if (m.seq <= (last[cls] ?? -1)) c.outOfOrder++
  last[cls] = m.seq
  x.emit('str.delivered', { dir, msgSeq: m.seq, cls })
}

// ---- put procedures -------------------------------------------------------------------------

function inc(c: StrComponent, f: number, by = 1): void {
  c.st[f] = (c.st[f] ?? 0) + by
}

/** Put procedure of component `i`'s queue `side` for a message arriving from its neighbour. */
export function put(x: Sx, i: number, side: number, m: StrMsg): void {
  const st = x.st
  const c = comp(st, i)
  if (i === 0) return headReadPut(x, c, m) // only the read side receives from a neighbour
  if (i === lastIndex(st)) return driverWritePut(x, c, i, m) // likewise, the write side
  moduleput(x, c, i, side, m)
}

function headReadPut(x: Sx, head: StrComponent, m: StrMsg): void {
  switch (m.type) {
    case MT.M_IOCACK:
    case MT.M_IOCNAK: {
      const g = x.s.gen
      if (g && g.ioctlOut === m.seq) g.ioctlOut = -1
      if (m.type === MT.M_IOCACK) x.s.counters.iocacks++
      else x.s.counters.iocnaks++
      inc(head, 4)
      x.emit('str.iocack', { id: m.seq, ok: m.type === MT.M_IOCACK ? 1 : 0, comp: m.cmd })
      return
    }
    case MT.M_FLUSH:
      if (m.cmd & FLUSHR) flushq(x, 0, RQ)
      return
    default:
      if (isDataType(m.type)) putq(x, 0, RQ, m)
  }
}

function driverWritePut(x: Sx, d: StrComponent, i: number, m: StrMsg): void {
  switch (m.type) {
    case MT.M_IOCTL:
      inc(d, 4)
      qreply(x, i, WQ, { ...m, type: MT.M_IOCNAK, dir: UP, cmd: i, data: new Uint8Array(0) })
      return
    case MT.M_FLUSH:
      if (m.cmd & FLUSHW) flushq(x, i, WQ)
      if (m.cmd & FLUSHR) {
        flushq(x, i, RQ)
        qreply(x, i, WQ, { ...m, dir: UP, cmd: m.cmd & ~FLUSHW })
      }
      return
    default:
      if (isDataType(m.type)) putq(x, i, WQ, m)
  }
}

function moduleput(x: Sx, c: StrComponent, i: number, side: number, m: StrMsg): void {
  if (m.type === MT.M_FLUSH) {
    const own = side === WQ ? FLUSHW : FLUSHR
    const other = side === WQ ? FLUSHR : FLUSHW
    if (m.cmd & own) flushq(x, i, side)
    if (m.cmd & other) flushq(x, i, side === WQ ? RQ : WQ)
    if (m.cmd & FLUSHR && c.held.length > 0) {
      freeAll(x, c.held, 0)
      c.held = []
    }
    putnext(x, i, side, m)
    return
  }
  if (m.type === MT.M_IOCTL && side === WQ) {
    if (kindSpec(c.kind).ioctls.includes(m.cmd)) {
      const arg = ioctl(x, c, i, m)
      qreply(x, i, WQ, { ...m, type: MT.M_IOCACK, dir: UP, cmd: i, arg, data: new Uint8Array(0) })
      return
    }
    passOrQueue(x, i, side, m)
    return
  }
  if (isDataType(m.type)) {
    if (dataHook(x, c, i, side, m)) return
  }
  passOrQueue(x, i, side, m)
}

/** Module-specific ioctl handling; returns the reply value. */
function ioctl(x: Sx, c: StrComponent, i: number, m: StrMsg): number {
  switch (c.kind) {
    case K.ldterm: {
      const canon = m.arg ? 1 : 0
      if (c.st[0] !== canon) {
        c.st[0] = canon
        inc(c, 5)
        if (!canon) releaseLine(x, c, i) // raw mode: the partial line goes up as it is
      }
      return canon
    }
    case K.ptem:
      c.st[0] = Math.floor(m.arg / 1000) % 1000
      c.st[1] = m.arg % 1000
      inc(c, 6)
      return 0
    case K.tcp:
      c.st[2] = m.arg
      return m.arg
    case K.ip:
      c.st[0] = m.arg % 256
      return c.st[0] as number
    case K.timod:
      return c.st[0] as number
    default:
      return 0
  }
}

function releaseLine(x: Sx, c: StrComponent, i: number): void {
  const line = c.held
  c.held = []
  for (const h of line) passOrQueue(x, i, RQ, h)
}

/** Module work on a data message; returns true when the module kept the message (held). */
function dataHook(x: Sx, c: StrComponent, i: number, side: number, m: StrMsg): boolean {
  const n = m.data.length
  const hp = isHighPri(m.type)
  switch (c.kind) {
    case K.ldterm:
      if (side === WQ) {
        inc(c, 3, n)
        let col = c.st[1] as number
        const d = m.data
        for (let j = 0; j < n; j++) col = d[j] === EOL ? 0 : col + 1
        c.st[1] = col
        return false
      }
      inc(c, 2, n)
      if (c.st[0] && m.type === MT.M_DATA && m.band === 0) {
        c.held.push(m)
        if (m.data[n - 1] === EOL) {
          inc(c, 4)
          releaseLine(x, c, i)
        }
        return true
      }
      return false
    case K.ptem:
      if (side === WQ) {
        inc(c, 2)
        inc(c, 4, n)
      } else {
        inc(c, 3)
        inc(c, 5, n)
      }
      return false
    case K.timod:
      if (side === WQ) inc(c, m.type === MT.M_DATA ? 1 : 3)
      else inc(c, m.type === MT.M_DATA ? 2 : 4)
      return false
    case K.tcp:
      if (side === WQ) {
        c.st[0] = ((c.st[0] as number) + n) % 0x1_0000_0000
        inc(c, 4)
        if (hp) inc(c, 6)
      } else {
        c.st[1] = ((c.st[1] as number) + n) % 0x1_0000_0000
        inc(c, 5)
        if (hp) inc(c, 7)
      }
      return false
    case K.ip:
      if (side === WQ) {
        c.st[1] = ((c.st[1] as number) + 1) & 0xffff
        inc(c, 2)
        inc(c, 4, n)
      } else {
        inc(c, 3)
        inc(c, 5, n)
      }
      return false
    case K.pass:
      if (side === WQ) {
        inc(c, 0)
        inc(c, 2, n)
      } else {
        inc(c, 1)
        inc(c, 3, n)
      }
      return false
    default:
      return false
  }
}

/** Service procedure: a getq loop that stops when the next service queue is full. */
function service(x: Sx, i: number, side: number): void {
  const st = x.st
  const q = queueOf(st, i, side)
  let budget = x.cfg.serviceBudget
  while (q.msgs.length > 0) {
    if (budget-- <= 0) {
      qenable(st, i, side)
      return
    }
    const m = q.msgs[0] as StrMsg
    if (!isHighPri(m.type)) {
      const f = flow(st, i, side)
      if (f === FLOW_FULL) return // back-enabled when the next queue drains below lowat
      if (f === FLOW_BUSY) {
        qenable(st, i, side) // what is in transit lands next tick: look again then
        return
      }
    }
    getq(x, i, side)
    putnext(x, i, side, m)
  }
}

// ---- boundaries: the process and the device ----------------------------------------------

/** The stream head's write side (strwrite / I_STR / I_FLUSH): false when flow control blocks. */
function headWrite(x: Sx, m: StrMsg): boolean {
  const st = x.st
  const head = comp(st, 0)
  if (m.type === MT.M_FLUSH) {
    inc(head, 5)
    if (m.cmd & FLUSHR) flushq(x, 0, RQ)
    putnext(x, 0, WQ, m)
    return true
  }
  if (!isHighPri(m.type) && !canputnext(st, 0, WQ)) return false
  if (isDataType(m.type)) {
    inc(head, 0)
    inc(head, 2, m.data.length)
  }
  putnext(x, 0, WQ, m)
  return true
}

/** The driver's read side taking device input: false when flow control blocks (the device keeps it). */
function driverInput(x: Sx, m: StrMsg): boolean {
  const st = x.st
  const i = lastIndex(st)
  if (!isHighPri(m.type) && !canputnext(st, i, RQ)) return false
  const d = comp(st, i)
  inc(d, 1)
  inc(d, 3, m.data.length)
  putnext(x, i, RQ, m)
  return true
}

function processRead(x: Sx): void {
  const head = comp(x.st, 0)
  for (let n = 0; n < x.cfg.processReadRate; n++) {
    const m = getq(x, 0, RQ)
    if (!m) break
    inc(head, 1)
    inc(head, 3, m.data.length)
    deliver(x, UP, m)
  }
}

function deviceTransmit(x: Sx): void {
  const i = lastIndex(x.st)
  const d = comp(x.st, i)
  for (let n = 0; n < x.cfg.deviceTxRate; n++) {
    const m = getq(x, i, WQ)
    if (!m) break
    inc(d, 0)
    inc(d, 2, m.data.length)
    deliver(x, DOWN, m)
  }
}

// ---- traffic --------------------------------------------------------------------------------

function drawCount(x: Sx, rate: number): number {
  const g = x.s.gen
  if (!g || rate <= 0) return 0
  const whole = Math.floor(rate)
  return whole + (chance(g.rng, rate - whole) ? 1 : 0)
}

function makeData(x: Sx, dir: number, forceEol: boolean): StrMsg {
  const g = x.s.gen
  if (!g) throw new Error('no traffic generator')
  const t = dir === DOWN ? x.cfg.traffic.down : x.cfg.traffic.up
  const u = nextFloat(g.rng)
  let type: number = MT.M_DATA
  let band = 0
  if (!forceEol && u < t.hpRate) type = MT.M_PCPROTO
  else if (!forceEol && u < t.hpRate + t.protoRate) {
    type = MT.M_PROTO
    band = 1 + nextInt(g.rng, t.maxBand)
  }
  const len = t.minBytes + nextInt(g.rng, t.maxBytes - t.minBytes + 1)
  const seq = g.nextSeq[dir] as number
  g.nextSeq[dir] = seq + 1
  const data = new Uint8Array(len)
  for (let j = 0; j < len; j++) data[j] = payloadByte(dir, seq, j)
  if (dir === UP && type === MT.M_DATA) {
    const eol = forceEol || chance(g.rng, x.cfg.traffic.eolProb)
    if (eol) data[len - 1] = EOL
    g.lineOpen = !eol
  }
  x.s.counters.sent[dir] = (x.s.counters.sent[dir] ?? 0) + 1
  x.emit('str.sent', { dir, msgSeq: seq, type, cls: msgClass(type, band) })
  return { type, band, dir, seq, cmd: 0, arg: 0, data }
}

function boundary(x: Sx, m: StrMsg): void {
  if (m.dir === DOWN) x.st.outbox.push(m)
  else {
    x.st.inbox.push(m)
    x.st.inboxBytes += m.data.length
  }
  if (x.st.frozen) {
    x.s.counters.heldDuringFreeze++
    x.emit('str.held', { dir: m.dir, msgSeq: m.seq })
  }
}

/** Issues an ioctl from the process (one outstanding at a time). */
export function issueIoctl(x: Sx, cmd: number, arg: number): boolean {
  const g = x.s.gen
  if (!g || g.ioctlOut >= 0) return false
  const id = g.nextIoctl++
  g.ioctlOut = id
  x.s.counters.ioctls++
  x.emit('str.ioctl', { id, cmd })
  boundary(x, { type: MT.M_IOCTL, band: 0, dir: DOWN, seq: id, cmd, arg, data: new Uint8Array(0) })
  return true
}

export function issueFlush(x: Sx, flags: number): void {
  x.emit('str.flush', { flags })
  boundary(x, {
    type: MT.M_FLUSH,
    band: 0,
    dir: DOWN,
    seq: -1,
    cmd: flags,
    arg: 0,
    data: new Uint8Array(0),
  })
}

/** Bytes the device's receive FIFO holds while the driver's read side is flow-controlled (or the
 * stream is frozen): the driver read queue's high-water mark. Input arriving at a full FIFO is an
 * overrun. */
export function deviceFifoBytes(st: StrStream): number {
  return comp(st, lastIndex(st)).rq.hiwat
}

/** The stream head takes pending process writes, oldest first, while flow control allows. */
function drainOutbox(x: Sx): void {
  const st = x.st
  while (st.outbox.length > 0 && headWrite(x, st.outbox[0] as StrMsg)) st.outbox.shift()
}

/** The driver's read side takes device input from the device's FIFO while flow control allows. */
function drainInbox(x: Sx): void {
  const st = x.st
  while (st.inbox.length > 0) {
    const m = st.inbox[0] as StrMsg
    if (!driverInput(x, m)) return
    st.inbox.shift()
    st.inboxBytes -= m.data.length
  }
}

/** The process just issued a write (or ioctl) at the boundary: strwrite hands it to the stream
 * head at once; if canputnext fails the process sleeps in write() with it pending (retried every
 * tick) and issues nothing else until the stream head takes it. A frozen stream just holds it. */
function processWrite(x: Sx): void {
  const st = x.st
  if (st.frozen) return
  drainOutbox(x)
  const m = st.outbox[0]
  if (m) {
    x.s.counters.blockedWrites++
    x.emit('str.blocked', { dir: DOWN, msgSeq: m.seq, type: m.type })
  }
}

/** Device input arrives: into the device's FIFO, then into the driver's read side if it can take
 * it (FIFO order: behind any input still waiting there). */
function deviceInput(x: Sx, m: StrMsg): void {
  boundary(x, m)
  if (!x.st.frozen) drainInbox(x)
}

function generate(x: Sx): void {
  const g = x.s.gen
  const tr = x.cfg.traffic
  const st = x.st
  if (!g || x.tick < tr.startTick) return
  const fifo = deviceFifoBytes(st)
  const stopped = tr.stopTick !== undefined && x.tick >= tr.stopTick
  if (stopped) {
    // The device's last input ends its line (a canonical line discipline would otherwise hold a
    // partial line forever). Sent once, even if the line looks closed: a flush may have eaten an
    // earlier terminator. A full device FIFO delays it to a later tick.
    if (!g.finished) {
      if (g.upRate > 0 || g.lineOpen) {
        if (st.inboxBytes >= fifo) return
        deviceInput(x, makeData(x, UP, true))
      }
      g.finished = true
    }
    return
  }
  // The process writes one message after the other; a blocked write puts it to sleep.
  for (let n = drawCount(x, g.downRate); n > 0 && st.outbox.length === 0; n--) {
    boundary(x, makeData(x, DOWN, false))
    processWrite(x)
  }
  // The device receives input whether or not the stream can take it: beyond its FIFO it overruns.
  let overrun = 0
  for (let n = drawCount(x, g.upRate); n > 0; n--) {
    if (st.inboxBytes >= fifo) overrun++
    else deviceInput(x, makeData(x, UP, false))
  }
  if (overrun > 0) {
    x.s.counters.overruns += overrun
    x.emit('str.overrun', { dir: UP, count: overrun, fifoBytes: st.inboxBytes })
  }
  if (st.outbox.length === 0 && g.ioctlOut < 0 && chance(g.rng, tr.ioctlRate)) {
    const cmds: number[] = [IOC.UNKNOWN]
    for (const c of x.st.comps) for (const k of kindSpec(c.kind).ioctls) cmds.push(k)
    const cmd = cmds[nextInt(g.rng, cmds.length)] as number
    const arg =
      cmd === IOC.TCSETS
        ? nextInt(g.rng, 2)
        : cmd === IOC.TIOCSWINSZ
          ? (20 + nextInt(g.rng, 60)) * 1000 + 60 + nextInt(g.rng, 140)
          : cmd === IOC.SIOCSTTL
            ? 16 + nextInt(g.rng, 240)
            : 4096 + nextInt(g.rng, 60000)
    issueIoctl(x, cmd, arg)
    processWrite(x)
  }
}

// ---- one tick -------------------------------------------------------------------------------

/** Runs one tick of a stream: consumers, boundaries, traffic, put procedures, service procedures.
 * Every step is bounded: flow control (with in-transit bytes) bounds the queues, a blocked writer
 * writes nothing more, and the device's FIFO overruns instead of growing.
 * A frozen stream only accumulates outside traffic at its boundary. `traffic` is false while the
 * partition's traffic is suspended (restart message shipped). */
export function runStream(x: Sx, traffic: boolean): void {
  const st = x.st
  if (!st.frozen) {
    processRead(x)
    deviceTransmit(x)
    // Retry what waits at the boundaries (a sleeping writer, device input in the FIFO).
    drainOutbox(x)
    drainInbox(x)
  }
  if (traffic) generate(x)
  if (st.frozen) return
  // Put procedures: detach every transit list first, so a message moves one hop per tick. A
  // detached message stays counted in its queue's `tcount` until its put procedure has taken it,
  // so flow control sees it while the put procedures upstream of it run.
  const n = st.comps.length
  const taken: { i: number; side: number; q: StrQueue; msgs: StrMsg[] }[] = []
  for (let i = 1; i < n; i++) {
    const q = comp(st, i).wq
    if (q.transit.length > 0) {
      taken.push({ i, side: WQ, q, msgs: q.transit })
      q.transit = []
    }
  }
  for (let i = n - 2; i >= 0; i--) {
    const q = comp(st, i).rq
    if (q.transit.length > 0) {
      taken.push({ i, side: RQ, q, msgs: q.transit })
      q.transit = []
    }
  }
  for (const t of taken) {
    for (const m of t.msgs) {
      x.hops++
      t.q.tcount -= m.data.length
      put(x, t.i, t.side, m)
    }
  }
  // Service procedures in FIFO order of enabling (AIX); those enabled now run next tick.
  const run = st.runq
  st.runq = []
  for (const code of run) {
    const i = code >> 1
    const side = code & 1
    if (i >= st.comps.length) continue
    queueOf(st, i, side).enabled = false
    service(x, i, side)
  }
}

/** Re-derives flow-control flags and enables service queues holding messages (after restore / thaw). */
export function reschedule(st: StrStream): void {
  st.runq = []
  st.inboxBytes = st.inbox.reduce((s, m) => s + m.data.length, 0)
  st.comps.forEach((c, i) => {
    for (const side of [WQ, RQ]) {
      const q = side === WQ ? c.wq : c.rq
      q.count = q.msgs.reduce((s, m) => s + m.data.length, 0)
      q.tcount = q.transit.reduce((s, m) => s + m.data.length, 0)
      q.full = q.count >= q.hiwat
      q.wantw = q.full
      q.enabled = false
      if (q.msgs.length > 0) qenable(st, i, side)
    }
  })
}

/** Messages present in a stream (queues, transit, held by modules, boundaries). */
export function streamMessageCount(st: StrStream): {
  queued: number
  transit: number
  held: number
  boundary: number
} {
  let queued = 0
  let transit = 0
  let held = 0
  for (const c of st.comps) {
    queued += c.wq.msgs.length + c.rq.msgs.length
    transit += c.wq.transit.length + c.rq.transit.length
    held += c.held.length
  }
  return { queued, transit, held, boundary: st.outbox.length + st.inbox.length }
}

/** Traffic data messages (seq >= 0) present anywhere in the stream, per direction. */
export function liveTraffic(st: StrStream): number[] {
  const live = [0, 0]
  const add = (ms: readonly StrMsg[]) => {
    for (const m of ms) if (m.seq >= 0 && isDataType(m.type)) live[m.dir] = (live[m.dir] ?? 0) + 1
  }
  for (const c of st.comps) {
    add(c.wq.msgs)
    add(c.wq.transit)
    add(c.rq.msgs)
    add(c.rq.transit)
    add(c.held)
  }
  add(st.outbox)
  add(st.inbox)
  return live
}
