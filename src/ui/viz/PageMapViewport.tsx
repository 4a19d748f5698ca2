import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react'
import {
  describeEvent,
  eventFieldAt,
  eventHostAt,
  eventTickAt,
  type HostId,
  type SimEvent,
} from '../../sim/events'
import type { PageDetails } from '../../sim/migration/inspect'
import { useAppStoreApi } from '../app/storeContext'
import { pageAtPoint } from './PageMapCanvas'
import { useRenderClient, useRenderState } from './render/RenderContext'

export interface PageMapViewportProps {
  readonly host: HostId
  readonly testId: string
  readonly hostName: string
  readonly children: ReactNode
}

/**
 * The flash overlay's pixels per side: the map's largest CSS size (384 px) at the screen's pixel
 * ratio, at most 512. The render worker redraws it and hands it to the compositor every other frame
 * while pages fault, so no larger than the screen shows it (at 1× that is 384², half of 512²).
 */
const OVERLAY = Math.min(512, Math.round(384 * (globalThis.devicePixelRatio || 1)))
const MAX_ZOOM = 32

interface Hover {
  readonly page: number
  readonly x: number
  readonly y: number
}

/**
 * Zoom and pan around a page map (wheel, drag, buttons, keys + - 0 and arrows), a flash on the cell
 * of each page fault, and hover details asked of the host (`migration.page`) when the hovered page
 * changes. The map canvas (a child) and the flash overlay are drawn by the render worker; this
 * thread only moves the stage (a CSS transform) and hit-tests from the grid the map publishes.
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
  const client = useRenderClient()
  // A new render worker (after a failure) needs a new overlay element: a canvas is transferred once.
  const generation = useRenderState((s) => s.generation)

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

  // The flash overlay: drawn by the render worker, from the fault events main forwards to it.
  useEffect(() => {
    const overlay = overlayRef.current
    if (!overlay) return
    return client.attach(host, 'flash', overlay)
  }, [client, host, generation])

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
          if (eventTickAt(evs, i) >= tickNow) continue
          if (eventHostAt(evs, i) === host && eventFieldAt(evs, i, 'page') === hoverPage) {
            const ev = evs.at(i) as SimEvent
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
    const canvas = stageRef.current?.querySelector('canvas.page-map')
    return canvas instanceof HTMLCanvasElement ? pageAtPoint(canvas, clientX, clientY) : -1
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
            key={generation}
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
