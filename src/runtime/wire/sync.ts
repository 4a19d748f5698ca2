/**
 * Waiting on control words. Only workers block (Atomics.wait throws on the page's main thread).
 * Every blocking wait spins briefly first (a hand-off is 0.2–1 µs when the peer is on the other
 * core), then falls back to Atomics.wait in short slices so aborts (a new epoch, a failed peer) are
 * noticed: on 2 vCPUs an unbounded spin starves the peer (toolchain P11).
 */

export class RunAborted extends Error {
  constructor(reason: string) {
    super(reason)
    this.name = 'RunAborted'
  }
}

/**
 * About 1 µs of polling. Longer windows were measured (fixed 50 µs; steered by a moving average of
 * the waits; doubled on late catches and halved on misses) on the project's 2-vCPU VM with the
 * remote-fault benchmark: never faster, and up to 5× slower under load, because the vCPUs share
 * physical cores and a spinning host steals the time its peer needs to answer.
 */
const SPIN_LIMIT = 1024
const WAIT_SLICE_MS = 25

/** Polls `ctl[index]` about 1 µs (SPIN_LIMIT loads); true once it is >= `value`. */
function spinUntil(ctl: Int32Array, index: number, value: number): boolean {
  for (let i = 0; i < SPIN_LIMIT; i++) if (Atomics.load(ctl, index) >= value) return true
  return false
}

/** Blocks until `ctl[index] >= value`. `check` is called between slices and may throw RunAborted.
 * `spin` = false skips the spin phase (the pure wait/notify hand-off, a benchmark baseline). */
export function waitAtLeast(
  ctl: Int32Array,
  index: number,
  value: number,
  check: () => void,
  spin = true,
): void {
  if (spin && spinUntil(ctl, index, value)) return
  for (;;) {
    const seen = Atomics.load(ctl, index)
    if (seen >= value) return
    check()
    Atomics.wait(ctl, index, seen, WAIT_SLICE_MS)
  }
}

/**
 * The lock step's wait for the peer: spins until `ctl[index] >= need` like `waitAtLeast`; if it
 * has to sleep, it sleeps until `ctl[index] >= wakeAt` (>= need), announced in `ctl[wakeAtIndex]`
 * so the peer notifies once, when its counter reaches it, rather than on each of its ticks. After a
 * wait slice times out, `need` is enough.
 */
export function waitForPeer(
  ctl: Int32Array,
  index: number,
  need: number,
  wakeAt: number,
  wakeAtIndex: number,
  check: () => void,
): void {
  if (spinUntil(ctl, index, need)) return
  // Announce first, then read: a peer that stores its counter after this read sees the announcement.
  Atomics.store(ctl, wakeAtIndex, wakeAt)
  for (;;) {
    const seen = Atomics.load(ctl, index)
    if (seen >= wakeAt) return
    check()
    if (Atomics.wait(ctl, index, seen, WAIT_SLICE_MS) === 'timed-out' && seen >= need) return
  }
}

/** Parks asynchronously until `ctl[index]` differs from `seen` (or `timeoutMs` passes), so the
 * worker's message handler still runs meanwhile. */
export async function parkUntilChanged(
  ctl: Int32Array,
  index: number,
  seen: number,
  timeoutMs: number,
): Promise<void> {
  const r = Atomics.waitAsync(ctl, index, seen, timeoutMs)
  if (r.async) await r.value
}

/**
 * Yields to the worker's event loop so control messages get handled between run slices. A
 * MessageChannel task instead of `setTimeout(0)`: nested timers are clamped to 4 ms, which cost a
 * third of the lock-step throughput when measured with 12 ms slices.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => {
    const ch = new MessageChannel()
    // `onmessage` works on both the browser's and Node's MessagePort; Node's types only declare `on`.
    const port = ch.port1 as unknown as { onmessage: (() => void) | null; close(): void }
    port.onmessage = () => {
      port.close()
      resolve()
    }
    ch.port2.postMessage(0)
  })
}
