/**
 * The render worker's state and frame loop (protocol: protocol.ts; entry: render.worker.ts). Per
 * animation frame, for each host: read the page states (a seqlock copy from shared memory, or the
 * bytes main posted), repaint the changed cells into the host's pixels (paint.ts) and put them on
 * its map canvases; every other frame, draw the fault-flash rings; about twice a second, count the
 * pages by state and tell main when the counts changed.
 */
import type { HostId } from '../../../sim/events'
import { seqlockCopy } from '../../../runtime/wire/seqlock'
import { pageMapLayout, type PageMapLayout } from '../pageMapLayout'
import { FlashFeedReader } from './flashFeed'
import {
  cellCentre,
  countByCategory,
  createMapPixels,
  FlashQueue,
  flashRing,
  paintChanged,
  sameCounts,
} from './paint'
import {
  RENDER_PROTOCOL_VERSION,
  type CanvasRole,
  type FromRender,
  type HostRenderStats,
  type PageSource,
  type ToRender,
} from './protocol'

/** Counts for the legend (the maps' text alternative) at most this often. */
const COUNT_INTERVAL_MS = 500

/**
 * After this long with nothing to draw (no new page states, no live flash, no message from main),
 * the renderer looks for changes by timer (RenderHost.requestPoll) instead of animation frames: an
 * animation frame every 16.7 ms kept the compositor and the GPU process producing frames of a
 * paused app that showed nothing new.
 */
export const RENDER_IDLE_AFTER_MS = 1000

/** What the renderer needs of its thread (a worker's globals; fakes in tests). */
export interface RenderHost {
  post(m: FromRender): void
  requestFrame(cb: () => void): void
  /** Calls `cb` soon, without asking for an animation frame (the idle renderer's poll). */
  requestPoll(cb: () => void): void
  /** The clock flashes are timed by (their arrival and their age at each frame: one clock). */
  now(): number
}

/** One host's page states as drawn: the source, the grid, the states painted and their pixels. */
interface HostView {
  readonly source: PageSource
  readonly layout: PageMapLayout
  /** Shared source: the control words and the published page-state bytes. */
  readonly ctl: Int32Array | null
  readonly published: Uint8Array | null
  /** The last consistent copy of the published states. */
  readonly scratch: Uint8Array
  /** States posted by main and not painted yet. */
  posted: Uint8Array | null
  /** The publication (PUB_SEQ) painted last; -1: none. */
  seq: number
  /** The state of every page as painted into `pixels`. */
  readonly drawn: Uint8Array
  readonly pixels: Uint32Array<ArrayBuffer>
  readonly image: ImageData
  /** The next paint covers every cell (a new grid). */
  fresh: boolean
  /** `pixels` changed since they were put on the map canvases. */
  changed: boolean
  /** States painted since the last count. */
  countsStale: boolean
}

interface Surface {
  readonly id: number
  host: HostId
  role: CanvasRole
  readonly canvas: OffscreenCanvas
  readonly ctx: OffscreenCanvasRenderingContext2D
  /** Map: the whole image must be put (new canvas or new grid). Flash: rings are on it. */
  stale: boolean
}

interface Stats {
  mapPaints: number
  flashesDrawn: number
  flashesLive: number
}

function viewOf(source: PageSource, pageCount: number): HostView {
  const layout = pageMapLayout(pageCount)
  const pixels = createMapPixels(layout)
  return {
    source,
    layout,
    ctl: source.kind === 'shared' ? new Int32Array(source.ctl) : null,
    published:
      source.kind === 'shared'
        ? new Uint8Array(source.buffer, source.byteOffset, source.pageCount)
        : null,
    scratch: new Uint8Array(pageCount),
    posted: null,
    seq: -1,
    drawn: new Uint8Array(pageCount),
    pixels,
    image: new ImageData(new Uint8ClampedArray(pixels.buffer), layout.width, layout.height),
    fresh: true,
    changed: true,
    countsStale: true,
  }
}

/** Ring sprites by colour and radius (to the half pixel), drawn once each. */
const rings = new Map<string, ImageBitmap>()

/**
 * A `color` ring of radius `r` (2 px line) centred in a bitmap of even size. Blitting a pre-drawn
 * ring is much cheaper than stroking ~100 anti-aliased arcs per frame. The ring is kept as an
 * ImageBitmap, not the canvas it was drawn on: a canvas as drawImage's source is snapshotted at
 * every call (Chromium finalizes its frame and copies it), which was a quarter of this worker's
 * time at full speed, 5,000 rings a second (traced).
 */
function ringSprite(color: string, r: number): ImageBitmap {
  const rq = Math.round(r * 2) / 2
  const key = `${color}|${rq}`
  let ring = rings.get(key)
  if (!ring) {
    if (rings.size > 1024) {
      for (const old of rings.values()) old.close()
      rings.clear()
    }
    const size = 2 * Math.ceil(rq + 2)
    const canvas = new OffscreenCanvas(size, size)
    const g = canvas.getContext('2d')
    if (g) {
      g.lineWidth = 2
      g.strokeStyle = color
      g.beginPath()
      g.arc(size / 2, size / 2, rq, 0, Math.PI * 2)
      g.stroke()
    }
    ring = canvas.transferToImageBitmap()
    rings.set(key, ring)
  }
  return ring
}

/** Pixels not fully transparent on a canvas now (read back: for the stats tests ask for). */
function inkedPixels(s: Surface): number {
  const { width, height } = s.canvas
  if (!width || !height) return 0
  const data = s.ctx.getImageData(0, 0, width, height).data
  let n = 0
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++
  return n
}

export class Renderer {
  private readonly host: RenderHost
  private views: [HostView | null, HostView | null] = [null, null]
  /** Which hosts main posts states for (the in-process fallback). */
  private readonly postedSource: [boolean, boolean] = [false, false]
  private readonly surfaces = new Map<number, Surface>()
  private readonly flashes = new FlashQueue()
  /** Where main writes the fault flashes when it can share memory (else they come as messages). */
  private feed: FlashFeedReader | null = null
  private readonly stats: [Stats, Stats] = [
    { mapPaints: 0, flashesDrawn: 0, flashesLive: 0 },
    { mapPaints: 0, flashesDrawn: 0, flashesLive: 0 },
  ]
  private readonly counted: [Uint32Array | null, Uint32Array | null] = [null, null]
  private lastCount = -Infinity
  private frames = 0
  private looping = false
  /** host.now() of the last frame that drew something or of the last message from main. */
  private activeAt = 0
  /** Passes run from an animation frame / from an idle poll (reported in the stats). */
  private animationFrames = 0
  private idlePolls = 0
  private failed = false
  private throwNext = false

  constructor(host: RenderHost) {
    this.host = host
  }

  handle(m: ToRender): void {
    if (this.failed) return
    try {
      this.dispatch(m)
    } catch (e) {
      this.fail(e)
    }
  }

  private dispatch(m: ToRender): void {
    switch (m.type) {
      case 'init':
        if (m.version !== RENDER_PROTOCOL_VERSION)
          throw new Error(
            `the render worker speaks protocol ${RENDER_PROTOCOL_VERSION}, main sent ${m.version}`,
          )
        this.host.post({ type: 'ready', version: RENDER_PROTOCOL_VERSION })
        return
      case 'sources':
        // A load: drop the old buffers at once, so nothing stale is drawn from here on.
        for (const h of [0, 1] as const) {
          const s = m.hosts[h]
          this.setView(h, s.kind === 'shared' && s.pageCount > 0 ? viewOf(s, s.pageCount) : null)
          this.postedSource[h] = s.kind === 'posted'
        }
        break
      case 'pages': {
        if (!this.postedSource[m.host]) return
        const view = this.views[m.host]
        if (!view || view.drawn.length !== m.states.length)
          this.setView(m.host, m.states.length ? viewOf({ kind: 'posted' }, m.states.length) : null)
        const next = this.views[m.host]
        if (next) next.posted = m.states
        break
      }
      case 'attach':
        this.attach(m.id, m.host, m.role, m.canvas)
        break
      case 'drop':
        this.surfaces.delete(m.id)
        return
      case 'flashFeed':
        this.feed = new FlashFeedReader(m.buffer)
        break
      case 'flashes':
        this.flashes.add(m.packed, this.host.now())
        break
      case 'flashes.clear':
        this.feed?.skip()
        this.flashes.clear()
        break
      case 'pixel':
        this.host.post({ type: 'pixel', id: m.id, ...this.pixel(m.host, m.page) })
        return
      case 'stats':
        this.host.post({
          type: 'stats',
          id: m.id,
          stats: {
            hosts: [this.hostStats(0), this.hostStats(1)],
            animationFrames: this.animationFrames,
            idlePolls: this.idlePolls,
          },
        })
        return
      case 'debug.throw':
        this.throwNext = true
        break
    }
    this.activeAt = this.host.now()
    this.loop()
  }

  private setView(h: HostId, view: HostView | null): void {
    this.views[h] = view
    this.counted[h] = null
    for (const s of this.surfaces.values()) if (s.host === h) this.fit(s)
  }

  private attach(id: number, host: HostId, role: CanvasRole, canvas?: OffscreenCanvas): void {
    let s = this.surfaces.get(id)
    if (canvas) {
      const ctx = canvas.getContext('2d', role === 'map' ? { alpha: false } : undefined)
      if (!ctx) throw new Error(`no 2d context for the ${role} canvas of host ${host}`)
      s = { id, host, role, canvas, ctx, stale: true }
      this.surfaces.set(id, s)
    } else if (!s) {
      throw new Error(`canvas ${id} (${role} of host ${host}) was released before it came back`)
    }
    s.host = host
    s.role = role
    this.fit(s)
  }

  /** Sizes a map canvas to its host's grid (one canvas pixel per grid pixel) and marks it stale. */
  private fit(s: Surface): void {
    s.stale = true
    const view = this.views[s.host]
    if (s.role !== 'map' || !view) return
    if (s.canvas.width !== view.layout.width) s.canvas.width = view.layout.width
    if (s.canvas.height !== view.layout.height) s.canvas.height = view.layout.height
  }

  /** Asks for the next pass: an animation frame, or while nothing changes (`idle`) a timer. */
  private loop(idle = false): void {
    if (this.looping || this.failed) return
    this.looping = true
    if (idle)
      this.host.requestPoll(() => {
        this.idlePolls++
        this.frame()
      })
    else
      this.host.requestFrame(() => {
        this.animationFrames++
        this.frame()
      })
  }

  private frame(): void {
    this.looping = false
    if (this.failed) return
    const now = this.host.now()
    try {
      if (this.throwNext) {
        this.throwNext = false
        throw new Error('injected failure in the page-map renderer')
      }
      this.frames++
      const fresh = this.feed?.read()
      if (fresh) this.flashes.add(fresh, now)
      let drew = (fresh?.length ?? 0) > 0
      // The maps and the rings each 30 times a second, on alternate frames: smooth enough for
      // cells that change state and rings that expand and fade by time, at half the drawing and
      // compositing work (this thread shares two cores with both busy hosts and the main thread).
      if (this.frames % 2 === 1) for (const h of [0, 1] as const) drew = this.drawMap(h) || drew
      else for (const h of [0, 1] as const) drew = this.drawFlashes(h, now) || drew
      if (drew) this.activeAt = now
      if (now - this.lastCount >= COUNT_INTERVAL_MS) {
        this.lastCount = now
        for (const h of [0, 1] as const) this.postCounts(h)
      }
    } catch (e) {
      this.fail(e)
      return
    }
    if (!(this.views[0] || this.views[1] || this.surfaces.size)) return
    this.loop(now - this.activeAt >= RENDER_IDLE_AFTER_MS)
  }

  /**
   * Paints host `h`'s changed cells from its newest consistent states, then puts them on its maps.
   * Returns whether it painted or put anything.
   */
  private drawMap(h: HostId): boolean {
    const view = this.views[h]
    if (!view) return false
    let drew = false
    let states: Uint8Array | null = null
    if (view.ctl && view.published) {
      const seqIndex = view.source.kind === 'shared' ? view.source.seqIndex : -1
      const { scratch, published } = view
      const seq = seqlockCopy(view.ctl, seqIndex, view.seq, () => scratch.set(published))
      if (seq >= 0) {
        view.seq = seq
        states = scratch
      }
    } else if (view.posted) {
      states = view.posted
      view.posted = null
    }
    if (states) {
      if (paintChanged(states, view.drawn, view.pixels, view.layout, view.fresh) > 0) {
        view.changed = true
        view.countsStale = true
      }
      view.fresh = false
    }
    for (const s of this.surfaces.values()) {
      if (s.host !== h || s.role !== 'map' || !(s.stale || view.changed)) continue
      s.ctx.putImageData(view.image, 0, 0)
      s.stale = false
      this.stats[h].mapPaints++
      drew = true
    }
    view.changed = false
    return drew
  }

  /** Draws host `h`'s live flash rings; returns whether any was live or a canvas was cleared. */
  private drawFlashes(h: HostId, now: number): boolean {
    const list = this.flashes.live(h, now)
    const view = this.views[h]
    this.stats[h].flashesLive = list.length
    let drew = list.length > 0
    for (const s of this.surfaces.values()) {
      if (s.host !== h || s.role !== 'flash') continue
      const { ctx, canvas } = s
      if (!list.length || !view) {
        if (s.stale) {
          ctx.clearRect(0, 0, canvas.width, canvas.height)
          drew = true
        }
        s.stale = false
        continue
      }
      ctx.clearRect(0, 0, canvas.width, canvas.height)
      for (const f of list) {
        const ring = flashRing(view.layout, canvas.width, f, now)
        const sprite = ringSprite(ring.color, ring.r)
        ctx.globalAlpha = ring.alpha
        ctx.drawImage(
          sprite,
          Math.round(ring.x) - sprite.width / 2,
          Math.round(ring.y) - sprite.height / 2,
        )
      }
      ctx.globalAlpha = 1
      s.stale = true
      this.stats[h].flashesDrawn += list.length
    }
    return drew
  }

  private postCounts(h: HostId): void {
    const view = this.views[h]
    if (!view || !view.countsStale || view.fresh) return
    view.countsStale = false
    const counts = countByCategory(view.drawn)
    const last = this.counted[h]
    if (last && sameCounts(last, counts)) return
    this.counted[h] = counts
    this.host.post({ type: 'counts', host: h, counts: Array.from(counts) })
  }

  private pixel(
    h: HostId,
    page: number,
  ): { rgba: [number, number, number, number] } | { error: string } {
    const view = this.views[h]
    if (!view) return { error: `no page states for host ${h} yet` }
    if (!(page >= 0 && page < view.layout.pageCount))
      return { error: `page ${page} is not on host ${h}'s map (${view.layout.pageCount} pages)` }
    let map: Surface | undefined
    for (const s of this.surfaces.values()) if (s.host === h && s.role === 'map') map = s
    if (!map) return { error: `no page-map canvas for host ${h}` }
    const { x, y } = cellCentre(view.layout, page)
    const d = map.ctx.getImageData(x, y, 1, 1).data
    return { rgba: [d[0] ?? 0, d[1] ?? 0, d[2] ?? 0, d[3] ?? 0] }
  }

  private hostStats(h: HostId): HostRenderStats {
    let maps = 0
    let overlays = 0
    let overlayInk = 0
    for (const s of this.surfaces.values()) {
      if (s.host !== h) continue
      if (s.role === 'map') maps++
      else {
        overlays++
        overlayInk += inkedPixels(s)
      }
    }
    const pageCount = this.views[h]?.layout.pageCount ?? 0
    return { pageCount, maps, overlays, overlayInk, ...this.stats[h] }
  }

  /** Stops drawing for good and says why (main shows it and offers a restart: a new worker). */
  private fail(e: unknown): void {
    if (this.failed) return
    this.failed = true
    this.host.post({ type: 'error', message: e instanceof Error ? e.message : String(e) })
  }
}
