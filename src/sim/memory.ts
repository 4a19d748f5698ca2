/**
 * A host's page memory: frames as real bytes in a caller-supplied `Uint8Array` (an `ArrayBuffer` in
 * Node and tests, a `SharedArrayBuffer` in the browser workers) and the published page-state map.
 * OWNED BY THE MIGRATION ENGINE (extend freely); the layout function is the contract with runtimes.
 */
import type { HostId } from './events'
import type { Scenario } from './scenario'

export interface HostBuffers {
  readonly frames: Uint8Array
  /** One byte per workload page: `PAGE` flags (src/sim/pageState.ts). */
  readonly pageState: Uint8Array
}

export interface MemoryLayout {
  readonly pageCount: number
  readonly pageSize: number
  readonly frameBytes: number
}

/** How big each host's buffers must be. Runtimes allocate them (SAB or not) from this. */
export function memoryLayout(scenario: Scenario, _host: HostId): MemoryLayout {
  const pageCount = scenario.migration?.pages ?? 4096
  const pageSize = scenario.migration?.pageSize ?? 4096
  return { pageCount, pageSize, frameBytes: pageCount * pageSize }
}

export function allocateBuffers(layout: MemoryLayout, shared: boolean): HostBuffers {
  const Buf = shared ? SharedArrayBuffer : ArrayBuffer
  return {
    frames: new Uint8Array(new Buf(layout.frameBytes)),
    pageState: new Uint8Array(new Buf(layout.pageCount)),
  }
}

export interface HostMemory {
  readonly pageCount: number
  readonly pageSize: number
  readonly frames: Uint8Array
  readonly pageState: Uint8Array
}

export function createMemory(layout: MemoryLayout, buffers: HostBuffers): HostMemory {
  if (buffers.frames.length < layout.frameBytes || buffers.pageState.length < layout.pageCount) {
    throw new Error(
      `host buffers too small: frames ${buffers.frames.length} < ${layout.frameBytes} or page states ${buffers.pageState.length} < ${layout.pageCount}`,
    )
  }
  return {
    pageCount: layout.pageCount,
    pageSize: layout.pageSize,
    frames: buffers.frames,
    pageState: buffers.pageState,
  }
}
