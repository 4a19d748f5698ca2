/**
 * The protocol between the main thread (renderClient.ts) and the page-map render worker
 * (render.worker.ts), in the style of src/runtime/protocol.ts. The worker owns both hosts' page-map
 * canvases and fault-flash overlays (OffscreenCanvas) and draws them on its own animation frames;
 * the main thread only tells it where the page states are, which canvases to draw and which pages
 * faulted.
 *
 * Sequence:
 *   main → render  init {version}                         render → main  ready {version}
 *   main → render  sources {hosts}        on start-up, on every load and after a world change
 *     shared: the worker reads each host's published view itself, every frame, under the seqlock
 *             (src/runtime/wire/seqlock.ts); it only reads, the host is the sole writer.
 *     posted: no shared memory (the in-process fallback): main posts `pages` when a host's states
 *             changed, at most once per frame (a transferred copy).
 *   main → render  attach {id, host, role, canvas?}       canvas transferred on an element's first attach
 *   main → render  drop {id}                               the element is gone: forget its canvas
 *   main → render  flashFeed {buffer}    once per worker, when the page can share memory: fault
 *                  flashes arrive through this ring (flashFeed.ts; main writes, the worker reads it
 *                  every frame) instead of as messages
 *   main → render  flashes {packed} (transferred Int32Array of host, page, kind), without a feed
 *   main → render  flashes.clear                          a new run or a cut timeline
 *   render → main  counts {host, counts}                   about twice a second, only when changed
 *   main → render  pixel {id, host, page} | stats {id}     render → main  the answer (tests)
 *   render → main  error {message}                         the worker stopped drawing; main says so
 */
import type { HostId } from '../../../sim/events'
import type { SharedPageStates } from '../../../runtime/world'

export const RENDER_PROTOCOL_VERSION = 2

/** Where the worker gets one host's page states from. */
export type PageSource =
  | ({ readonly kind: 'shared' } & SharedPageStates)
  | { readonly kind: 'posted' }
  /** Nothing loaded yet. */
  | { readonly kind: 'none' }

/** A map canvas (one cell per page) or the flash overlay above it. */
export type CanvasRole = 'map' | 'flash'

export type Rgba = readonly [number, number, number, number]

export interface HostRenderStats {
  readonly pageCount: number
  /** Map canvases / flash overlays the worker draws for this host now. */
  readonly maps: number
  readonly overlays: number
  /** putImageData calls on this host's map canvases so far. */
  readonly mapPaints: number
  /** Flash rings drawn on this host's overlays so far, and rings showing now. */
  readonly flashesDrawn: number
  readonly flashesLive: number
  /** Pixels the rings cover on this host's flash overlays now (read back when asked). */
  readonly overlayInk: number
}

export interface RenderStats {
  readonly hosts: readonly [HostRenderStats, HostRenderStats]
  /** The renderer's passes so far: on animation frames, and by timer while idle (nothing to draw). */
  readonly animationFrames: number
  readonly idlePolls: number
}

export type ToRender =
  | { readonly type: 'init'; readonly version: number }
  | { readonly type: 'sources'; readonly hosts: readonly [PageSource, PageSource] }
  /** A `posted` host's current page states (its length gives the page count). */
  | { readonly type: 'pages'; readonly host: HostId; readonly states: Uint8Array }
  | {
      readonly type: 'attach'
      /** Chosen by main, one per canvas element; `canvas` comes with the element's first attach. */
      readonly id: number
      readonly host: HostId
      readonly role: CanvasRole
      readonly canvas?: OffscreenCanvas
    }
  | { readonly type: 'drop'; readonly id: number }
  /** The shared ring fault flashes arrive through (flashFeed.ts); the worker only reads it. */
  | { readonly type: 'flashFeed'; readonly buffer: SharedArrayBuffer }
  /** FLASH_STRIDE Int32 words per flash (paint.ts packFlashes). */
  | { readonly type: 'flashes'; readonly packed: Int32Array }
  | { readonly type: 'flashes.clear' }
  /** The RGBA the worker drew at the centre of `page`'s cell on `host`'s map canvas. */
  | { readonly type: 'pixel'; readonly id: number; readonly host: HostId; readonly page: number }
  | { readonly type: 'stats'; readonly id: number }
  /** Tests: the next frame throws, as a bug in the drawing code would. */
  | { readonly type: 'debug.throw' }

export type FromRender =
  | { readonly type: 'ready'; readonly version: number }
  | { readonly type: 'counts'; readonly host: HostId; readonly counts: readonly number[] }
  | {
      readonly type: 'pixel'
      readonly id: number
      readonly rgba?: Rgba
      readonly error?: string
    }
  | { readonly type: 'stats'; readonly id: number; readonly stats: RenderStats }
  | { readonly type: 'error'; readonly message: string }
