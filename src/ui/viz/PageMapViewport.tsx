import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react'
import { describeEvent, type HostId, type SimEvent } from '../../sim/events'
import type { PageDetails } from '../../sim/migration/inspect'
import { useAppStoreApi } from '../app/storeContext'
import { onFrame } from './frameLoop'

export interface PageMapViewportProps {
  readonly host: HostId
  readonly testId: string
  readonly hostName: string
  readonly children: ReactNode
}

/** Faults (arrival) and served page-ins (departure) flash their cell this long. */
const FLASH_MS = 700
const MAX_FLASHES = 96
/** Ring sprites by colour and radius (to the half pixel), drawn once each. */
const rings = new Map<string, HTMLCanvasElement>()

/** A `color` ring of radius `r` (2 px line) centred in a canvas of even size. */
function ringSprite(color: string, r: number): HTMLCanvasElement {
  const rq = Math.round(r * 2) / 2
  const key = `${color}|${rq}`
  let ring = rings.get(key)
  if (!ring) {
    if (rings.size > 1024) rings.clear()
    ring = document.createElement('canvas')
    const size = 2 * Math.ceil(rq + 2)
    ring.width = ring.height = size
    const g = ring.getContext('2d')
    if (g) {
      g.lineWidth = 2
      g.strokeStyle = color
      g.beginPath()
      g.arc(size / 2, size / 2, rq, 0, Math.PI * 2)
      g.stroke()
    }
    rings.set(key, ring)
  }
  return ring
}

const offscreen = new WeakMap<HTMLCanvasElement, OffscreenCanvas>()

/**
 * The flash overlay's drawing context. Its rings change every frame while pages fault; drawn through
 * an OffscreenCanvas (transferControlToOffscreen, still on this thread) each frame goes straight to
 * the compositor instead of being copied in the main thread's commit (about 0.5 ms per overlay per
 * frame). A canvas can be transferred once, so the OffscreenCanvas is kept per element (effects run
 * twice in development).
 */
function flashContext(
  overlay: HTMLCanvasElement,
): CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null {
  if (typeof overlay.transferControlToOffscreen !== 'function') return overlay.getContext('2d')
  let off = offscreen.get(overlay)
  if (!off) {
    off = overlay.transferControlToOffscreen()
    offscreen.set(overlay, off)
  }
  return off.getContext('2d')
}

/**
 * The flash overlay's pixels per side: the map's largest CSS size (384 px) at the screen's pixel
 * ratio, at most 512. It is redrawn and handed to the compositor every frame while pages fault, so
 * no larger than the screen shows it (at 1× that is 384², half the pixels of 512²).
 */
const OVERLAY = Math.min(512, Math.round(384 * (globalThis.devicePixelRatio || 1)))
const MAX_ZOOM = 32

interface Flash {
  page: number
  at: number
  color: string
}

const FLASH_COLOR: Record<string, string> = {
  'page.faultNetwork': '#D55E00',
  'page.faultInFlight': '#D55E00',
  'page.faultMinor': '#009E73',
  'page.faultZero': '#F0E442',
  'page.faultLocalCopy': '#009E73',
  'page.faultLocalPageIn': '#CC79A7',
  'page.serve': '#E69F00',
}

function flashesFor(host: HostId, ev: SimEvent): number[] | null {
  if (ev.host !== host) return null
  if (ev.kind.startsWith('page.fault') && host === 1) return [(ev as { page: number }).page]
  if (ev.kind === 'page.serve' && host === 0) return [ev.page]
  return null
}

interface Hover {
  readonly page: number
  readonly x: number
  readonly y: number
}

/**
 * Zoom and pan around a page map (wheel, drag, buttons, keys + - 0 and arrows), a flash on the cell
 * of each page fault, and hover details asked of the host (`migration.page`) when the hovered page
 * changes. The map canvas itself (a child) keeps drawing straight from shared memory.
 */
export function PageMapViewport({ host, testId, hostName, children }: PageMapViewportProps) {
  const store = useAppStoreApi()
  const stageRef = useRef<HTMLDivElement>(null)
  const overlayRef = useRef<HTMLCanvasElement>(null)
  const [view, setView] = useState({ zoom: 1, x: 0, y: 0 })
  const drag = useRef<{ x: number; y: number; vx: number; vy: number; moved: boolean } | null>(null)
  const [hover, setHover] = useState<Hover | null>(null)
  const [details, setDetails] = useState<PageDetails | null>(null)
  const [lastEvent, setLastEvent] = useState<string>('')
  const flashes = useRef<Flash[]>([])

  const clamp = useCallback((z: number, x: number, y: number) => {
    const zoom = Math.min(MAX_ZOOM, Math.max(1, z))
    const box = stageRef.current?.parentElement?.getBoundingClientRect()
    const w = box?.width ?? 256
    const h = box?.height ?? 256
    const minX = w - w * zoom
    const minY = h - h * zoom
    return { zoom, x: Math.min(0, Math.max(minX, x)), y: Math.min(0, Math.max(minY, y)) }
  }, [])

  const zoomAt = useCallback(
    (factor: number, cx?: number, cy?: number) => {
      setView((v) => {
        const box = stageRef.current?.parentElement?.getBoundingClientRect()
        const px = cx ?? (box ? box.width / 2 : 128)
        const py = cy ?? (box ? box.height / 2 : 128)
        const z = Math.min(MAX_ZOOM, Math.max(1, v.zoom * factor))
        const k = z / v.zoom
        return clamp(z, px - (px - v.x) * k, py - (py - v.y) * k)
      })
    },
    [clamp],
  )

  // Flashes: from the committed events as they arrive.
  useEffect(() => {
    const world = store.getState().world
    return world.subscribe({
      events: (batch) => {
        const now = performance.now()
        for (const ev of batch) {
          const pages = flashesFor(host, ev)
          if (!pages) continue
          for (const p of pages)
            flashes.current.push({ page: p, at: now, color: FLASH_COLOR[ev.kind] ?? '#D55E00' })
        }
        if (flashes.current.length > MAX_FLASHES)
          flashes.current.splice(0, flashes.current.length - MAX_FLASHES)
      },
      reset: () => {
        flashes.current.length = 0
      },
    })
  }, [store, host])

  useEffect(() => {
    const overlay = overlayRef.current
    const ctx = overlay ? flashContext(overlay) : null
    if (!overlay || !ctx) return
    let drawn = false
    return onFrame((now, frame) => {
      // 30 redraws a second (on even frames; the network lane draws on odd ones): the rings expand
      // and fade by time, smoothly enough, at half the canvas work (about 0.5 ms a frame for both
      // maps at full fault rate).
      if (frame % 2 === 1) return
      const list = flashes.current
      while (list.length && now - (list[0] as Flash).at > FLASH_MS) list.shift()
      if (!list.length) {
        if (drawn) ctx.clearRect(0, 0, OVERLAY, OVERLAY)
        drawn = false
        return
      }
      const canvas = stageRef.current?.querySelector('canvas.page-map') as HTMLCanvasElement | null
      const cols = Number(canvas?.dataset.cols)
      const cell = Number(canvas?.dataset.cell)
      if (!canvas || !(cols > 0 && cell > 0)) return
      const scale = OVERLAY / canvas.width
      const sy = OVERLAY / canvas.height
      ctx.clearRect(0, 0, OVERLAY, OVERLAY)
      for (const f of list) {
        const age = (now - f.at) / FLASH_MS
        const x = ((f.page % cols) * cell + cell / 2) * scale
        const y = (Math.floor(f.page / cols) * cell + cell / 2) * sy
        const r = Math.max(3, cell * scale * 0.8) * (1 + age)
        // A pre-drawn ring, blitted: stroking ~100 anti-aliased arcs per frame cost about 0.4 ms of
        // rasterization per overlay at the end of every frame.
        const ring = ringSprite(f.color, r)
        ctx.globalAlpha = 1 - age
        ctx.drawImage(ring, Math.round(x) - ring.width / 2, Math.round(y) - ring.height / 2)
      }
      ctx.globalAlpha = 1
      drawn = true
    })
  }, [])

  // Hover details: asked when the hovered page changes (and again when the tick moves while paused).
  const hoverPage = hover?.page ?? -1
  useEffect(() => {
    if (hoverPage < 0) return
    let live = true
    store
      .getState()
      .world.inspect(host, { kind: 'migration.page', page: hoverPage })
      .then((r) => {
        if (!live) return
        // When: the newest event about this page on this host (bounded scan of the log's tail).
        const evs = store.getState().world.events()
        const tickNow = store.getState().tick
        let found = ''
        for (let i = evs.length - 1, n = 0; i >= 0 && n < 200_000; i--, n++) {
          const ev = evs[i] as SimEvent
          if (ev.tick >= tickNow) continue
          if (ev.host === host && (ev as { page?: number }).page === hoverPage) {
            found = `${describeEvent(ev)} (tick ${ev.tick})`
            break
          }
        }
        setDetails(r.result as PageDetails | null)
        setLastEvent(found)
      })
      .catch(() => {
        if (live) setDetails(null)
      })
    return () => {
      live = false
    }
  }, [store, host, hoverPage])

  const pageAt = (clientX: number, clientY: number): number => {
    const canvas = stageRef.current?.querySelector('canvas.page-map') as HTMLCanvasElement | null
    if (!canvas) return -1
    const cols = Number(canvas.dataset.cols)
    const cell = Number(canvas.dataset.cell)
    const count = Number(canvas.dataset.pageCount)
    const box = canvas.getBoundingClientRect()
    if (!(cols > 0 && cell > 0) || box.width <= 0) return -1
    const col = Math.floor((((clientX - box.left) / box.width) * canvas.width) / cell)
    const row = Math.floor((((clientY - box.top) / box.height) * canvas.height) / cell)
    const p = row * cols + col
    return col >= 0 && col < cols && row >= 0 && p < count ? p : -1
  }

  const pct = Math.round(view.zoom * 100)
  return (
    <div className="page-map-zoom">
      <div className="page-map-tools" role="toolbar" aria-label={`${hostName} page map zoom`}>
        <button
          type="button"
          aria-label={`Zoom in on the ${hostName} page map`}
          data-testid={`${testId}.zoomIn`}
          onClick={() => zoomAt(2)}
        >
          +
        </button>
        <button
          type="button"
          aria-label={`Zoom out of the ${hostName} page map`}
          data-testid={`${testId}.zoomOut`}
          onClick={() => zoomAt(0.5)}
        >
          −
        </button>
        <button
          type="button"
          aria-label={`Reset zoom of the ${hostName} page map`}
          data-testid={`${testId}.zoomReset`}
          onClick={() => setView({ zoom: 1, x: 0, y: 0 })}
        >
          1:1
        </button>
        <span className="muted" data-testid={`${testId}.zoom`}>
          {pct} %
        </span>
      </div>
      {/* The viewport takes keys (zoom, pan) and pointer gestures; the buttons above do the same. */}
      {/* oxlint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
      <div
        className="page-map-viewport"
        tabIndex={0}
        role="group"
        aria-label={`${hostName} page map: scroll to zoom, drag or arrow keys to pan, + and − to zoom, 0 to reset`}
        data-testid={`${testId}.viewport`}
        onWheel={(e) => {
          const box = e.currentTarget.getBoundingClientRect()
          zoomAt(e.deltaY < 0 ? 1.25 : 0.8, e.clientX - box.left, e.clientY - box.top)
        }}
        onKeyDown={(e) => {
          const step = 32
          if (e.key === '+' || e.key === '=') zoomAt(2)
          else if (e.key === '-') zoomAt(0.5)
          else if (e.key === '0') setView({ zoom: 1, x: 0, y: 0 })
          else if (e.key === 'ArrowLeft') setView((v) => clamp(v.zoom, v.x + step, v.y))
          else if (e.key === 'ArrowRight') setView((v) => clamp(v.zoom, v.x - step, v.y))
          else if (e.key === 'ArrowUp') setView((v) => clamp(v.zoom, v.x, v.y + step))
          else if (e.key === 'ArrowDown') setView((v) => clamp(v.zoom, v.x, v.y - step))
          else return
          e.preventDefault()
          e.stopPropagation()
        }}
        onPointerDown={(e) => {
          if (e.button !== 0) return
          drag.current = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y, moved: false }
        }}
        onPointerMove={(e) => {
          const d = drag.current
          if (d && (e.buttons & 1) === 1) {
            const dx = e.clientX - d.x
            const dy = e.clientY - d.y
            if (Math.abs(dx) + Math.abs(dy) > 3) d.moved = true
            if (d.moved) setView((v) => clamp(v.zoom, d.vx + dx, d.vy + dy))
          }
          const box = e.currentTarget.getBoundingClientRect()
          const p = pageAt(e.clientX, e.clientY)
          setHover(p < 0 ? null : { page: p, x: e.clientX - box.left, y: e.clientY - box.top })
        }}
        onPointerUp={(e) => {
          // A drag is not a click: swallow the click that follows it.
          if (drag.current?.moved) e.currentTarget.dataset.dragged = '1'
          drag.current = null
        }}
        onClickCapture={(e) => {
          if (e.currentTarget.dataset.dragged === '1') {
            delete e.currentTarget.dataset.dragged
            e.stopPropagation()
          }
        }}
        onPointerLeave={() => {
          drag.current = null
          setHover(null)
        }}
      >
        <div
          ref={stageRef}
          className="page-map-stage"
          style={{ transform: `translate(${view.x}px, ${view.y}px) scale(${view.zoom})` }}
        >
          {children}
          <canvas
            ref={overlayRef}
            className="page-map-flash"
            width={OVERLAY}
            height={OVERLAY}
            aria-hidden="true"
            data-testid={`${testId}.flash`}
          />
        </div>
        {hover && details && details.page === hover.page ? (
          <div
            className="page-tooltip"
            role="tooltip"
            data-testid={`${testId}.tooltip`}
            style={{ left: Math.min(hover.x + 12, 180), top: hover.y + 12 }}
          >
            <PageDetailsView d={details} />
            {lastEvent ? <p className="page-last-event">Last: {lastEvent}</p> : null}
          </div>
        ) : null}
      </div>
    </div>
  )
}

export function PageDetailsView({ d }: { readonly d: PageDetails }) {
  return (
    <dl className="page-details">
      <dt>Page</dt>
      <dd data-testid="page.number">{d.page}</dd>
      <dt>Segment</dt>
      <dd>{d.segment}</dd>
      <dt>State</dt>
      <dd>{d.state || 'absent'}</dd>
      <dt>Pinned</dt>
      <dd>{d.pinned ? 'yes' : 'no'}</dd>
      <dt>Private</dt>
      <dd>{d.private ? 'yes' : 'no'}</dd>
      <dt>Version</dt>
      <dd>{d.version}</dd>
      <dt>Last access</dt>
      <dd>{d.lastUse > 0 ? `tick ${d.lastUse}` : 'not yet seen'}</dd>
      {d.host === 1 ? (
        <>
          <dt>Location</dt>
          <dd>{d.location}</dd>
          <dt>Device offset</dt>
          <dd>{d.offset >= 0 ? d.offset : '—'}</dd>
          <dt>Arrived</dt>
          <dd>{d.arrival || '—'}</dd>
        </>
      ) : (
        <>
          <dt>Sent</dt>
          <dd>{d.sent ? 'yes (after the freeze)' : 'no'}</dd>
          <dt>Remote paging device</dt>
          <dd>{d.onDevice ? 'held for page-ins' : '—'}</dd>
        </>
      )}
    </dl>
  )
}
