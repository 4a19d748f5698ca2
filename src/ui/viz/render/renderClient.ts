/**
 * The main thread's side of the page-map render worker (protocol: protocol.ts). Created once in
 * main.tsx, outside React. It follows the store's world: hands the worker the hosts' shared
 * page-state buffers on every load (or, without shared memory, posts the states when they changed,
 * at most once per frame), forwards fault flashes in compact form, passes canvases over as
 * OffscreenCanvas and hands the worker's per-state counts to the legends. Nothing here draws.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { PageStateSources, World } from '../../../runtime/world'
import type { HostId } from '../../../sim/events'
import { onFrame } from '../frameLoop'
import { pageMapLayout, type PageMapLayout } from '../pageMapLayout'
import { createFlashFeed, FlashFeedWriter } from './flashFeed'
import { packFlashes } from './paint'
import {
  RENDER_PROTOCOL_VERSION,
  type CanvasRole,
  type FromRender,
  type PageSource,
  type RenderStats,
  type Rgba,
  type ToRender,
} from './protocol'

/** A started render worker (a Vite module worker in the browser). */
export interface RenderEndpoint {
  post(m: ToRender, transfer: Transferable[]): void
  /** `onFailure`: the worker failed to load, threw outside the renderer or sent garbage. */
  listen(onMessage: (m: FromRender) => void, onFailure: (message: string) => void): void
  terminate(): void
}

/** Starts the render worker (src/ui/viz/render/render.worker.ts). */
export function spawnRenderWorker(): RenderEndpoint {
  // Vite detects the worker only when `new URL(...)` sits directly inside `new Worker(...)`.
  const worker = new Worker(new URL('./render.worker.ts', import.meta.url), {
    type: 'module',
    name: 'page-map-renderer',
  })
  return {
    post: (m, transfer) => worker.postMessage(m, transfer),
    listen(onMessage, onFailure) {
      worker.onmessage = (e: MessageEvent<FromRender>) => onMessage(e.data)
      worker.onerror = (e: ErrorEvent) => {
        e.preventDefault()
        onFailure(e.message || 'the render worker failed to load or threw')
      }
      worker.onmessageerror = () =>
        onFailure('a message from the render worker could not be decoded')
    },
    terminate: () => worker.terminate(),
  }
}

export type RenderStatus =
  { readonly state: 'starting' | 'ready' } | { readonly state: 'error'; readonly message: string }

export interface RenderState {
  readonly status: RenderStatus
  /**
   * Bumped when the worker is replaced (restart after a failure): a canvas can be handed to one
   * worker only, so the page maps key their canvases by it and a new worker gets new elements.
   */
  readonly generation: number
}

/** What the client needs of the app store: the current world, and word when it is replaced. */
export interface WorldSource {
  getState(): { readonly world: World }
  subscribe(listener: (state: { readonly world: World }) => void): () => void
}

type CountsListener = (counts: readonly number[]) => void
type LayoutListener = (layout: PageMapLayout | null) => void

interface CanvasEntry {
  readonly id: number
  readonly generation: number
  dropTimer: ReturnType<typeof setTimeout> | undefined
  dropped: boolean
}

interface Pending<T> {
  readonly resolve: (v: T) => void
  readonly reject: (e: Error) => void
}

export class RenderClient {
  readonly state: StoreApi<RenderState> = createStore<RenderState>(() => ({
    status: { state: 'starting' },
    generation: 0,
  }))
  private readonly spawn: () => RenderEndpoint
  private endpoint: RenderEndpoint | null = null
  private world: World | null = null
  private detachWorld: (() => void) | null = null
  private stopPosting: (() => void) | null = null
  private sources: readonly [PageSource, PageSource] = [{ kind: 'none' }, { kind: 'none' }]
  private layouts: [PageMapLayout | null, PageMapLayout | null] = [null, null]
  /** The last counts per host (a legend mounted later starts from them). */
  private readonly counts: [readonly number[] | null, readonly number[] | null] = [null, null]
  private readonly countListeners = [new Set<CountsListener>(), new Set<CountsListener>()] as const
  private readonly layoutListeners = [new Set<LayoutListener>(), new Set<LayoutListener>()] as const
  private readonly canvases = new WeakMap<HTMLCanvasElement, CanvasEntry>()
  private ids = 0
  private requests = 0
  private readonly pixelWaiters = new Map<number, Pending<Rgba>>()
  private readonly statsWaiters = new Map<number, Pending<RenderStats>>()
  /** Posted mode: per host, the states posted last (compared each frame). */
  private posted: [Uint8Array | null, Uint8Array | null] = [null, null]
  /**
   * Fault flashes go to the worker through this shared ring when the page can share memory with
   * it (flashFeed.ts: no message, so no wake-up of the worker's thread, per event batch); without
   * cross-origin isolation they are posted.
   */
  private readonly feed: { buffer: SharedArrayBuffer; writer: FlashFeedWriter } | null =
    globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function'
      ? (() => {
          const buffer = createFlashFeed()
          return { buffer, writer: new FlashFeedWriter(buffer) }
        })()
      : null

  constructor(spawn: () => RenderEndpoint, worlds: WorldSource) {
    this.spawn = spawn
    this.start()
    this.follow(worlds.getState().world)
    worlds.subscribe((s) => {
      if (s.world !== this.world) this.follow(s.world)
    })
  }

  // -- canvases ----------------------------------------------------------------------------------

  /**
   * Hands `el` to the worker as host `host`'s map or flash overlay; returns the detach function.
   * The first attach of an element transfers its canvas (possible once per element); a detach
   * releases it only a task later, so React StrictMode's immediate re-attach of the same element
   * keeps it.
   */
  attach(host: HostId, role: CanvasRole, el: HTMLCanvasElement): () => void {
    const generation = this.state.getState().generation
    let entry = this.canvases.get(el)
    let canvas: OffscreenCanvas | undefined
    if (!entry) {
      try {
        canvas = el.transferControlToOffscreen()
      } catch (e) {
        this.fail(
          `the ${role} canvas of host ${host} cannot be drawn off the main thread: ${(e as Error).message}`,
        )
        return () => {}
      }
      entry = { id: ++this.ids, generation, dropTimer: undefined, dropped: false }
      this.canvases.set(el, entry)
    } else if (entry.dropped || entry.generation !== generation) {
      this.fail(`a ${role} canvas of host ${host} came back after it was released`)
      return () => {}
    }
    clearTimeout(entry.dropTimer)
    entry.dropTimer = undefined
    const e = entry
    this.post(
      { type: 'attach', id: e.id, host, role, ...(canvas ? { canvas } : {}) },
      canvas ? [canvas] : [],
    )
    return () => {
      clearTimeout(e.dropTimer)
      e.dropTimer = setTimeout(() => {
        e.dropped = true
        if (e.generation === this.state.getState().generation) this.post({ type: 'drop', id: e.id })
      }, 0)
    }
  }

  /** Host `host`'s grid as drawn (null: nothing loaded); `cb` now and on every change. */
  onLayout(host: HostId, cb: LayoutListener): () => void {
    const set = this.layoutListeners[host]
    set.add(cb)
    cb(this.layouts[host])
    return () => set.delete(cb)
  }

  /** Host `host`'s page counts per PAGE_CATEGORIES entry: the last known now, then on change. */
  onCounts(host: HostId, cb: CountsListener): () => void {
    const set = this.countListeners[host]
    set.add(cb)
    const last = this.counts[host]
    if (last) cb(last)
    return () => set.delete(cb)
  }

  // -- tests -------------------------------------------------------------------------------------

  /** The RGBA the worker drew at the centre of `page`'s cell on host `host`'s map canvas. */
  pixel(host: HostId, page: number): Promise<Rgba> {
    return this.request(this.pixelWaiters, (id) => ({ type: 'pixel', id, host, page }))
  }

  stats(): Promise<RenderStats> {
    return this.request(this.statsWaiters, (id) => ({ type: 'stats', id }))
  }

  /** Makes the worker's next frame throw (the failure banner's end-to-end test). */
  injectFailure(): void {
    this.post({ type: 'debug.throw' })
  }

  // -- life cycle --------------------------------------------------------------------------------

  /** Replaces a failed worker with a new one; the page maps re-create their canvases for it. */
  restart(): void {
    this.endpoint?.terminate()
    this.endpoint = null
    this.rejectAll('the render worker was restarted')
    this.state.setState((s) => ({ status: { state: 'starting' }, generation: s.generation + 1 }))
    this.start()
    this.post({ type: 'sources', hosts: this.sources })
    this.posted = [null, null]
  }

  dispose(): void {
    this.detachWorld?.()
    this.stopPosting?.()
    this.endpoint?.terminate()
    this.endpoint = null
    this.rejectAll('the render worker was disposed')
  }

  private start(): void {
    let ep: RenderEndpoint
    try {
      ep = this.spawn()
    } catch (e) {
      this.fail(`could not start the render worker: ${(e as Error).message}`)
      return
    }
    this.endpoint = ep
    ep.listen(
      (m) => {
        if (ep === this.endpoint) this.onMessage(m)
      },
      (message) => {
        if (ep === this.endpoint) this.fail(message)
      },
    )
    this.post({ type: 'init', version: RENDER_PROTOCOL_VERSION })
    if (this.feed) this.post({ type: 'flashFeed', buffer: this.feed.buffer })
  }

  private onMessage(m: FromRender): void {
    switch (m.type) {
      case 'ready':
        if (m.version !== RENDER_PROTOCOL_VERSION)
          this.fail(
            `the render worker speaks protocol ${m.version}, expected ${RENDER_PROTOCOL_VERSION}`,
          )
        else if (this.state.getState().status.state === 'starting')
          this.state.setState({ status: { state: 'ready' } })
        return
      case 'counts':
        this.counts[m.host] = m.counts
        for (const cb of this.countListeners[m.host]) cb(m.counts)
        return
      case 'pixel': {
        const w = this.pixelWaiters.get(m.id)
        this.pixelWaiters.delete(m.id)
        if (m.rgba) w?.resolve(m.rgba)
        else w?.reject(new Error(m.error ?? 'no pixel'))
        return
      }
      case 'stats':
        this.statsWaiters.get(m.id)?.resolve(m.stats)
        this.statsWaiters.delete(m.id)
        return
      case 'error':
        this.fail(m.message)
        return
    }
  }

  /** The worker stopped drawing: said on screen (Banners), never thrown at the app. */
  private fail(message: string): void {
    if (this.state.getState().status.state === 'error') return
    this.state.setState({ status: { state: 'error', message } })
    this.rejectAll(`the render worker failed: ${message}`)
  }

  private post(m: ToRender, transfer: Transferable[] = []): void {
    const ep = this.endpoint
    if (!ep) return
    try {
      ep.post(m, transfer)
    } catch (e) {
      this.fail(`a message to the render worker could not be sent: ${(e as Error).message}`)
    }
  }

  private request<T>(waiters: Map<number, Pending<T>>, make: (id: number) => ToRender): Promise<T> {
    const status = this.state.getState().status
    if (status.state === 'error' || !this.endpoint)
      return Promise.reject(
        new Error(
          `the render worker is not running${status.state === 'error' ? `: ${status.message}` : ''}`,
        ),
      )
    const id = ++this.requests
    return new Promise<T>((resolve, reject) => {
      waiters.set(id, { resolve, reject })
      this.post(make(id))
    })
  }

  private rejectAll(message: string): void {
    for (const w of this.pixelWaiters.values()) w.reject(new Error(message))
    for (const w of this.statsWaiters.values()) w.reject(new Error(message))
    this.pixelWaiters.clear()
    this.statsWaiters.clear()
  }

  // -- the world ---------------------------------------------------------------------------------

  private follow(world: World): void {
    this.detachWorld?.()
    this.stopPosting?.()
    this.stopPosting = null
    this.world = world
    this.detachWorld = world.subscribe({
      events: (batch) => {
        const packed = packFlashes(batch)
        if (!packed) return
        if (this.feed) this.feed.writer.write(packed)
        else this.post({ type: 'flashes', packed }, [packed.buffer])
      },
      reset: () => this.post({ type: 'flashes.clear' }),
      pageStateSources: (s) => this.setShared(s),
    })
    if (typeof world.pageStateSources === 'function') {
      // Shared memory: the worker reads the hosts' published views itself; nothing per frame here.
      this.setShared(world.pageStateSources())
    } else {
      this.sources = [{ kind: 'posted' }, { kind: 'posted' }]
      this.post({ type: 'sources', hosts: this.sources })
      this.posted = [null, null]
      this.stopPosting = onFrame(() => this.postChanged(world))
    }
  }

  private setShared(s: PageStateSources | undefined): void {
    this.sources = s
      ? [
          { kind: 'shared', ...s[0] },
          { kind: 'shared', ...s[1] },
        ]
      : [{ kind: 'none' }, { kind: 'none' }]
    this.post({ type: 'sources', hosts: this.sources })
    for (const h of [0, 1] as const) this.setLayout(h, s ? s[h].pageCount : 0)
  }

  /**
   * No shared memory: the hosts' states live on this thread. Posts a host's states when they
   * differ from those posted last (a word-wise compare, then one copy, transferred).
   */
  private postChanged(world: World): void {
    if (this.state.getState().status.state === 'error') return
    const frame = world.frame()
    for (const h of [0, 1] as const) {
      const ps = frame.hosts[h].pageState
      const last = this.posted[h]
      if (last && last.length === ps.length && sameBytes(last, ps)) continue
      if (!ps.length && !last) continue
      this.setLayout(h, ps.length)
      if (last && last.length === ps.length) last.set(ps)
      else this.posted[h] = ps.slice()
      const copy = ps.slice()
      this.post({ type: 'pages', host: h, states: copy }, [copy.buffer])
    }
  }

  private setLayout(h: HostId, pageCount: number): void {
    const cur = this.layouts[h]
    if ((cur?.pageCount ?? 0) === pageCount) return
    const layout = pageCount > 0 ? pageMapLayout(pageCount) : null
    this.layouts[h] = layout
    for (const cb of this.layoutListeners[h]) cb(layout)
  }
}

/** Byte equality, four bytes at a time where both views allow it. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  const n = a.length
  let i = 0
  if ((a.byteOffset & 3) === 0 && (b.byteOffset & 3) === 0) {
    const words = n >> 2
    const a32 = new Uint32Array(a.buffer, a.byteOffset, words)
    const b32 = new Uint32Array(b.buffer, b.byteOffset, words)
    for (let w = 0; w < words; w++) if (a32[w] !== b32[w]) return false
    i = words << 2
  }
  for (; i < n; i++) if (a[i] !== b[i]) return false
  return true
}
