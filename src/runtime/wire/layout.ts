/**
 * Every SharedArrayBuffer region of the runtime, declared once. Nobody computes an offset elsewhere.
 *
 * | region                     | writer (sole)         | readers                         |
 * |----------------------------|-----------------------|---------------------------------|
 * | ctl: TARGET, WAKE, EPOCH,  | main (coordinator)    | both hosts                      |
 * |      UI_BUSY               |                       |                                 |
 * | ctl: DONE[X], PUB_SEQ[X],  | host X                | main, the peer host (DONE,      |
 * |      ERR[X], BEAT[X],      |                       | WAKE_AT), render worker         |
 * |      WAKE_AT[X]            |                       | (PUB_SEQ)                       |
 * | link ring X→Y              | host X                | host Y                          |
 * | event ring X→main          | host X                | main                            |
 * | input ring main→X          | main                  | host X                          |
 * | frames X                   | host X                | main (inspection only)          |
 * | published view X           | host X (seqlock)      | main, render worker (page map)  |
 * | flash feed (ui/viz/render) | main (render client)  | render worker                   |
 *
 * Hot control words sit 64 bytes (16 Int32) apart so the two hosts never share a cache line.
 */
import type { HostId } from '../../sim/events'
import { createRingBuffer } from './ring'

const LINE = 16
export const CTL = {
  /** Hosts may run ticks t < TARGET. Main raises it (play, step), and sets it to 0 on load. */
  TARGET: 0,
  /** Bumped by main whenever TARGET or EPOCH changes, so parked hosts wake up. */
  WAKE: 1 * LINE,
  /** Generation of the loaded scenario; a change aborts every loop of the old one. */
  EPOCH: 2 * LINE,
  /** DONE[X]: ticks completed by host X. */
  DONE: [3 * LINE, 4 * LINE] as const,
  /** PUB_SEQ[X]: seqlock of host X's published view (odd while writing). */
  PUB_SEQ: [5 * LINE, 6 * LINE] as const,
  /** ERR[X]: 1 once host X failed. */
  ERR: [7 * LINE, 8 * LINE] as const,
  /** BEAT[X]: heartbeat, bumped by host X while it works (watchdog). */
  BEAT: [9 * LINE, 10 * LINE] as const,
  /** BENCH[X]: host X's counter in the bare ping-pong benchmark (same workers, same block). */
  BENCH: [11 * LINE, 12 * LINE] as const,
  /**
   * WAKE_AT[X]: while host X sleeps on the peer's DONE, the DONE value it waits for. The peer
   * notifies only once its DONE reaches it (see hostLoop's lock step).
   */
  WAKE_AT: [13 * LINE, 14 * LINE] as const,
  /**
   * UI_BUSY: non-zero (a running number) while the page draws an animation frame, handles an input
   * or takes in a host's answer to an inspection, 0 once that task is over. The hosts give up their
   * cores meanwhile, up to UI_YIELD_MS each time (hostLoop.ts).
   */
  UI_BUSY: 15 * LINE,
} as const
export const CTL_INTS = 16 * LINE

export function createControlBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(CTL_INTS * 4)
}

/** Ring sizes (bytes, powers of two). Link rings hold at most lookahead × bandwidth + the largest
 * message (a serialized index table of 65,536 pages is ≈ 1 MiB); event rings are drained by main
 * every frame and producers wait for room; input rings carry rare control inputs. */
export const RING_BYTES = {
  link: 1 << 24,
  events: 1 << 22,
  inputs: 1 << 16,
} as const

/** Published view of one host: a header of Int32 counters, then the page-state map copy. */
export const PUB = {
  TICK: 0,
  EVENT_SEQ: 1,
  LINK_QUEUED_BYTES: 2,
  LINK_QUEUED_MESSAGES: 3,
  LINK_MESSAGES: 4,
  LINK_BYTES_LO: 5,
  LINK_BYTES_HI: 6,
  LINK_DOWN: 7,
  /** Rolling hash of the ticks this host ran (tests compare the two hosts). */
  TICK_TRACE: 8,
} as const
export const PUB_HEADER_INTS = 64
/** Byte offset of the page-state map in a published view (after the header). */
export const PUB_PAGES_OFFSET = PUB_HEADER_INTS * 4

export function publishedBytes(pageCount: number): number {
  return PUB_PAGES_OFFSET + pageCount
}

export interface PublishedViews {
  readonly header: Int32Array
  readonly pageState: Uint8Array
}

export function openPublished(sab: SharedArrayBuffer, pageCount: number): PublishedViews {
  return {
    header: new Int32Array(sab, 0, PUB_HEADER_INTS),
    pageState: new Uint8Array(sab, PUB_PAGES_OFFSET, pageCount),
  }
}

/** Everything one scenario load allocates (fresh per load, so no stale record survives a reload). */
export interface LoadBuffers {
  readonly linkAB: SharedArrayBuffer
  readonly linkBA: SharedArrayBuffer
  readonly events: readonly [SharedArrayBuffer, SharedArrayBuffer]
  readonly inputs: readonly [SharedArrayBuffer, SharedArrayBuffer]
  readonly frames: readonly [SharedArrayBuffer, SharedArrayBuffer]
  readonly published: readonly [SharedArrayBuffer, SharedArrayBuffer]
}

/**
 * A load's buffers: fresh rings of the given sizes and published views for both hosts' page
 * counts, over the given frames (a reused buffer is already backed by the OS).
 */
export function createLoadBuffers(
  pageCounts: readonly [number, number],
  frames: readonly [SharedArrayBuffer, SharedArrayBuffer],
  ringBytes: {
    readonly link: number
    readonly events: number
    readonly inputs: number
  } = RING_BYTES,
): LoadBuffers {
  return {
    linkAB: createRingBuffer(ringBytes.link),
    linkBA: createRingBuffer(ringBytes.link),
    events: [createRingBuffer(ringBytes.events), createRingBuffer(ringBytes.events)],
    inputs: [createRingBuffer(ringBytes.inputs), createRingBuffer(ringBytes.inputs)],
    frames,
    published: [
      new SharedArrayBuffer(publishedBytes(pageCounts[0])),
      new SharedArrayBuffer(publishedBytes(pageCounts[1])),
    ],
  }
}

/**
 * Ticks between host snapshots (time travel). Both hosts and the coordinator derive it from the
 * scenario alone, so they always agree which snapshot a seek restores. Chosen so that snapshots over
 * the whole run fit a memory budget (each holds a copy of the host's frames).
 */
export function snapshotInterval(
  frameBytes: readonly [number, number],
  durationTicks: number,
): number {
  const budget = 384 * 1024 * 1024
  const perSnapshot = frameBytes[0] + frameBytes[1] + 2 * 65536
  const count = Math.max(2, Math.min(2048, Math.floor(budget / perSnapshot)))
  let every = 256
  while (every * count < durationTicks) every *= 2
  return every
}

export function peerOf(host: HostId): HostId {
  return host === 0 ? 1 : 0
}
