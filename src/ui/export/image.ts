/**
 * Chart export helpers for any SVG in the app (the timeline scrubber, the migration view's charts):
 * `exportSvg` saves the element as a standalone .svg, `exportPng` rasterizes it first.
 */
import { downloadBlob } from './download'

const SVG_NS = 'http://www.w3.org/2000/svg'
/** Presentation properties copied inline so the file looks like the page without its CSS. */
const STYLE_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
] as const

/** A standalone copy of `svg` (computed styles inlined, sizes explicit) as SVG text. */
export function svgToString(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement
  const src = [svg, ...svg.querySelectorAll('*')]
  const dst = [clone, ...clone.querySelectorAll('*')]
  src.forEach((el, i) => {
    const target = dst[i]
    if (!(target instanceof Element)) return
    const cs = getComputedStyle(el)
    const style = STYLE_PROPS.map((p) => `${p}:${cs.getPropertyValue(p)}`).join(';')
    target.setAttribute('style', style)
  })
  const box = svg.getBoundingClientRect()
  clone.setAttribute('xmlns', SVG_NS)
  clone.setAttribute('width', String(Math.round(box.width)))
  clone.setAttribute('height', String(Math.round(box.height)))
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`
}

export function exportSvg(svg: SVGSVGElement, fileName = 'chart.svg'): void {
  downloadBlob(new Blob([svgToString(svg)], { type: 'image/svg+xml' }), fileName)
}

/** Rasterizes `svg` at `scale` (device pixels per CSS pixel) and saves a PNG. */
export async function svgToPngBlob(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  const text = svgToString(svg)
  const box = svg.getBoundingClientRect()
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }))
  try {
    const img = new Image()
    img.decoding = 'async'
    img.src = url
    await img.decode()
    const canvas = document.createElement('canvas')
    canvas.width = Math.max(1, Math.round(box.width * scale))
    canvas.height = Math.max(1, Math.round(box.height * scale))
    const ctx = canvas.getContext('2d')
    if (!ctx) throw new Error('no 2d canvas context')
    ctx.fillStyle = '#ffffff'
    ctx.fillRect(0, 0, canvas.width, canvas.height)
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height)
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))),
        'image/png',
      ),
    )
  } finally {
    URL.revokeObjectURL(url)
  }
}

export async function exportPng(svg: SVGSVGElement, fileName = 'chart.png', scale = 2) {
  downloadBlob(await svgToPngBlob(svg, scale), fileName)
}
