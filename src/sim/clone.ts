/**
 * Deep copy of plain data (objects, arrays, typed arrays, primitives) for snapshots. The pure core
 * has no `structuredClone` (not an ECMAScript global), and host state is plain data by rule, so a
 * small explicit copier is enough — and it refuses what it does not understand instead of sharing.
 */
export function clonePlain<T>(value: T): T {
  return cloneValue(value, 0) as T
}

function cloneValue(v: unknown, depth: number): unknown {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'function') throw new Error('clonePlain: functions are not plain data')
    return v
  }
  if (depth > 64) throw new Error('clonePlain: nesting deeper than 64 (a cycle?)')
  if (ArrayBuffer.isView(v)) {
    const ta = v as unknown as { slice(): unknown }
    // slice() copies into a fresh ArrayBuffer even when the source is a SharedArrayBuffer view.
    return ta.slice()
  }
  if (Array.isArray(v)) {
    return v.map((x: unknown) => cloneValue(x, depth + 1))
  }
  const proto = Object.getPrototypeOf(v) as unknown
  if (proto !== Object.prototype && proto !== null) {
    throw new Error(`clonePlain: ${String((v as object).constructor?.name)} is not plain data`)
  }
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(v)) out[k] = cloneValue((v as Record<string, unknown>)[k], depth + 1)
  return out
}
