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

const SPIN_LIMIT = 256
const WAIT_SLICE_MS = 25

/** Blocks until `ctl[index] >= value`. `check` is called between slices and may throw RunAborted. */
export function waitAtLeast(
  ctl: Int32Array,
  index: number,
  value: number,
  check: () => void,
): void {
  for (let i = 0; i < SPIN_LIMIT; i++) {
    if (Atomics.load(ctl, index) >= value) return
  }
  for (;;) {
    const seen = Atomics.load(ctl, index)
    if (seen >= value) return
    check()
    Atomics.wait(ctl, index, seen, WAIT_SLICE_MS)
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
