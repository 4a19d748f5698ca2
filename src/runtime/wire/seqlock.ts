/**
 * The reader's side of a host's published view (wire/layout.ts): the host bumps its PUB_SEQ word to
 * odd, rewrites the view, and bumps it to even again. A reader never blocks and never writes: it
 * copies, then keeps the copy only if the word was even before and unchanged after. The main thread
 * (`SharedWorld.frame()`) and the page-map render worker read the same way, through this function.
 */

/**
 * Copies publication `PUB_SEQ` (read from `ctl[seqIndex]`) with `copy` unless it is the one held
 * already (`held`), a publication is being written, or one happened during the copy. Returns the
 * publication now copied, or -1 when nothing new was copied consistently (keep the previous copy;
 * the next frame tries again).
 */
export function seqlockCopy(
  ctl: Int32Array,
  seqIndex: number,
  held: number,
  copy: () => void,
): number {
  const s1 = Atomics.load(ctl, seqIndex)
  if ((s1 & 1) !== 0 || s1 === held) return -1
  copy()
  return Atomics.load(ctl, seqIndex) === s1 ? s1 : -1
}
