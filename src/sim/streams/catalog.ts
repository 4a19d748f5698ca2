/**
 * The STREAMS vocabulary of the simulator: message types and their priority classes (SVR4, see
 * ../shared/spec/models-and-numbers.md section 11), the catalogue of pushable modules and drivers
 * with their state fields, ioctl commands, and the numeric codes events carry.
 */

/** Message types (codes are the simulator's, names are SVR4's). */
export const MT = {
  M_DATA: 0,
  M_PROTO: 1,
  M_IOCTL: 2,
  M_CTL: 3,
  // high priority (code >= HIPRI): never flow-controlled, queued ahead of ordinary messages
  M_PCPROTO: 8,
  M_FLUSH: 9,
  M_IOCACK: 10,
  M_IOCNAK: 11,
} as const
export const HIPRI = 8
export const MT_NAMES: Readonly<Record<number, string>> = {
  0: 'M_DATA',
  1: 'M_PROTO',
  2: 'M_IOCTL',
  3: 'M_CTL',
  8: 'M_PCPROTO',
  9: 'M_FLUSH',
  10: 'M_IOCACK',
  11: 'M_IOCNAK',
}
export function isHighPri(type: number): boolean {
  return type >= HIPRI
}
/** Data-type messages: what `flushq(q, FLUSHDATA)` removes (M_IOCTL and replies survive a flush). */
export function isDataType(type: number): boolean {
  return type === MT.M_DATA || type === MT.M_PROTO || type === MT.M_PCPROTO
}

/** M_FLUSH flags. */
export const FLUSHR = 1
export const FLUSHW = 2
export const FLUSHRW = 3

/** Directions: downstream (write side, toward the device) and upstream (read side, toward the process). */
export const DOWN = 0
export const UP = 1
/** Queue sides of a component. */
export const WQ = 0
export const RQ = 1

/** Ordering class of a message: its band for ordinary messages, 256 for high priority. */
export const HP_CLASS = 256
export function msgClass(type: number, band: number): number {
  return isHighPri(type) ? HP_CLASS : band
}

/** ioctl commands (I_STR payloads) the catalogue's modules understand. */
export const IOC = {
  TCSETS: 1, // ldterm: arg 1 = canonical (ICANON) mode, 0 = raw
  TIOCSWINSZ: 2, // ptem: arg = rows * 1000 + cols
  SO_SNDBUF: 3, // tcp: arg = send window bytes
  SIOCSTTL: 4, // ip: arg = ttl
  TI_GETINFO: 5, // timod: replies with the TPI state
  UNKNOWN: 99, // nobody understands it: the driver NAKs
} as const

export type Role = 'head' | 'module' | 'driver'
export const ROLE_CODE: Readonly<Record<Role, number>> = { head: 0, module: 1, driver: 2 }

export interface KindSpec {
  readonly code: number
  readonly name: string
  readonly role: Role
  readonly description: string
  /** Has a write-side / read-side service procedure (so it can `putq` and flow-control). */
  readonly wsrv: boolean
  readonly rsrv: boolean
  /** Names of the numeric internal-state fields, in serialization order. */
  readonly fields: readonly string[]
  /** Initial values of the fields (on open). */
  readonly init: readonly number[]
  /** ioctl commands handled here (acknowledged with M_IOCACK). */
  readonly ioctls: readonly number[]
}

/** Code 0 is the stream head; modules and drivers follow. Codes are stable (they go into events). */
export const KINDS: readonly KindSpec[] = [
  {
    code: 0,
    name: 'head',
    role: 'head',
    description: 'stream head: turns the process’s write/read/ioctl calls into messages and back',
    wsrv: false,
    rsrv: true,
    fields: ['writes', 'reads', 'bytesWritten', 'bytesRead', 'ioctlsDone', 'flushes'],
    init: [0, 0, 0, 0, 0, 0],
    ioctls: [],
  },
  {
    code: 1,
    name: 'ldterm',
    role: 'module',
    description: 'line discipline: canonical mode holds input until end of line; tracks the column',
    wsrv: true,
    rsrv: true,
    fields: ['canon', 'column', 'rxChars', 'txChars', 'lines', 'modeChanges'],
    init: [1, 0, 0, 0, 0, 0],
    ioctls: [IOC.TCSETS],
  },
  {
    code: 2,
    name: 'ptem',
    role: 'module',
    description: 'pseudo-terminal emulation: window size, message counters',
    wsrv: false,
    rsrv: false,
    fields: ['rows', 'cols', 'msgsDown', 'msgsUp', 'bytesDown', 'bytesUp', 'winch'],
    init: [24, 80, 0, 0, 0, 0, 0],
    ioctls: [IOC.TIOCSWINSZ],
  },
  {
    code: 3,
    name: 'timod',
    role: 'module',
    description: 'transport interface module (TPI): connection state, data requests/indications',
    wsrv: true,
    rsrv: true,
    fields: ['tiState', 'dataReqs', 'dataInds', 'protoDown', 'protoUp'],
    init: [9, 0, 0, 0, 0],
    ioctls: [IOC.TI_GETINFO],
  },
  {
    code: 4,
    name: 'tcp',
    role: 'module',
    description: 'transport layer: send/receive sequence numbers and windows',
    wsrv: true,
    rsrv: true,
    fields: ['sndNxt', 'rcvNxt', 'sndWnd', 'rcvWnd', 'segsOut', 'segsIn', 'urgOut', 'urgIn'],
    init: [1000, 5000, 65535, 65535, 0, 0, 0, 0],
    ioctls: [IOC.SO_SNDBUF],
  },
  {
    code: 5,
    name: 'ip',
    role: 'module',
    description: 'network layer: ttl, datagram ids, packet counters',
    wsrv: false,
    rsrv: false,
    fields: ['ttl', 'ipId', 'pktsOut', 'pktsIn', 'bytesOut', 'bytesIn'],
    init: [64, 1, 0, 0, 0, 0],
    ioctls: [IOC.SIOCSTTL],
  },
  {
    code: 6,
    name: 'pass',
    role: 'module',
    description: 'generic pass-through module with service procedures and counters',
    wsrv: true,
    rsrv: true,
    fields: ['msgsDown', 'msgsUp', 'bytesDown', 'bytesUp'],
    init: [0, 0, 0, 0],
    ioctls: [],
  },
  {
    code: 7,
    name: 'pty',
    role: 'driver',
    description: 'pseudo-terminal (slave) driver',
    wsrv: true,
    rsrv: false,
    fields: ['txMsgs', 'rxMsgs', 'txBytes', 'rxBytes', 'naks'],
    init: [0, 0, 0, 0, 0],
    ioctls: [],
  },
  {
    code: 8,
    name: 'net',
    role: 'driver',
    description: 'network interface driver',
    wsrv: true,
    rsrv: false,
    fields: ['txPkts', 'rxPkts', 'txBytes', 'rxBytes', 'naks', 'mtu'],
    init: [0, 0, 0, 0, 0, 1500],
    ioctls: [],
  },
  {
    code: 9,
    name: 'loop',
    role: 'driver',
    description: 'loop-back style test driver',
    wsrv: true,
    rsrv: false,
    fields: ['txMsgs', 'rxMsgs', 'txBytes', 'rxBytes', 'naks'],
    init: [0, 0, 0, 0, 0],
    ioctls: [],
  },
]

export const K = {
  head: 0,
  ldterm: 1,
  ptem: 2,
  timod: 3,
  tcp: 4,
  ip: 5,
  pass: 6,
  pty: 7,
  net: 8,
  loop: 9,
} as const

export const MODULE_NAMES = KINDS.filter((k) => k.role === 'module').map((k) => k.name)
export const DRIVER_NAMES = KINDS.filter((k) => k.role === 'driver').map((k) => k.name)

export function kindSpec(code: number): KindSpec {
  const k = KINDS[code]
  if (!k) throw new Error(`unknown STREAMS kind code ${code}`)
  return k
}

export function kindByName(name: string): KindSpec | undefined {
  return KINDS.find((k) => k.name === name && k.role !== 'head')
}

/** Preset stacks below the stream head (top to bottom, driver last). */
export const PRESET_STACKS = {
  terminal: ['ldterm', 'ptem', 'pty'],
  network: ['timod', 'tcp', 'ip', 'net'],
} as const

/** Reason codes carried by events (words for the UI in `REASON_TEXT`). */
export const REASON = {
  NONE: 0,
  NO_CKPT_SUPPORT: 1,
  BLOCK_TOO_SMALL: 2,
  VETO_DENY: 3,
  VETO_TIMEOUT: 4,
  DEVICE_OPEN_FAILED: 5,
  COUNT_MISMATCH: 6,
  ORDER_MISMATCH: 7,
  ALREADY_IN_PROGRESS: 8,
  FROZEN: 9,
  NO_STREAM: 10,
  NO_MODULE: 11,
  UNKNOWN_MODULE: 12,
  DUPLICATE_NAME: 13,
  BAD_ORDER: 14,
  CORRUPT_RESTART_MESSAGE: 15,
  HP_OVERLOAD: 16,
} as const
export const REASON_TEXT: Readonly<Record<number, string>> = {
  0: 'none',
  1: 'module has no checkpoint support',
  2: 'message block too small for the module’s data',
  3: 'checkpoint denied by a kernel extension (WPAR_CHECKPOINT_DENY)',
  4: 'blocking condition did not clear within the TRY wait (WPAR_CHECKPOINT_TRY)',
  5: 'device could not be opened on the target',
  6: 'wrong number of modules on the target',
  7: 'modules in the wrong order on the target',
  8: 'a checkpoint or restart is already in progress',
  9: 'the stream is frozen',
  10: 'no active stream on this host',
  11: 'no module to pop',
  12: 'unknown module',
  13: 'duplicate module name',
  14: 'order does not name the current modules',
  15: 'restart message could not be decoded',
  16: 'high-priority traffic would exceed what its consumer drains (it bypasses flow control)',
}

/** Veto reasons a kernel extension may give (`kwpar_checkpoint_status` DENY's reason string). */
export const VETO_REASONS = ['device busy', 'pending I/O', 'unsupported ioctl in progress'] as const

/** WPAR states (lswpar), for `ckpt.wpar` events (F-02). */
export const WPAR = { ACTIVE: 0, FROZEN: 1, BROKEN: 2, MOVED: 3, DEFINED: 4 } as const
export const WPAR_TEXT: Readonly<Record<number, string>> = {
  0: 'Active',
  1: 'Frozen',
  2: 'Broken',
  3: 'Moved (torn down here)',
  4: 'Defined',
}

/** Deterministic payload byte `j` of traffic message `seq` in direction `dir` (printable). */
export function payloadByte(dir: number, seq: number, j: number): number {
  return 97 + ((seq * 7 + j * 13 + dir * 3) % 26)
}
export const EOL = 10
