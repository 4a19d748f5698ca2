/**
 * How STREAMS messages are drawn: colour AND shape per message type (Okabe–Ito colours, so the
 * common colour-vision deficiencies still tell them apart; the shape carries the type on its own).
 * High-priority messages get a heavy black outline as well.
 */
import {
  symbol,
  symbolCircle,
  symbolCross,
  symbolDiamond,
  symbolSquare,
  symbolStar,
  symbolTriangle,
  symbolWye,
  type SymbolType,
} from 'd3'
import type { MsgView } from '../../sim/streams/view'

export interface MsgStyle {
  readonly label: string
  readonly color: string
  readonly shape: SymbolType
  readonly shapeName: string
}

const STYLES: Readonly<Record<number, MsgStyle>> = {
  0: { label: 'M_DATA', color: '#0072B2', shape: symbolCircle, shapeName: 'circle' },
  1: { label: 'M_PROTO', color: '#009E73', shape: symbolSquare, shapeName: 'square' },
  2: { label: 'M_IOCTL', color: '#E69F00', shape: symbolDiamond, shapeName: 'diamond' },
  3: { label: 'M_CTL', color: '#56B4E9', shape: symbolTriangle, shapeName: 'triangle' },
  8: { label: 'M_PCPROTO', color: '#D55E00', shape: symbolStar, shapeName: 'star' },
  9: { label: 'M_FLUSH', color: '#CC79A7', shape: symbolWye, shapeName: 'wye' },
  10: { label: 'M_IOCACK', color: '#000000', shape: symbolCross, shapeName: 'cross' },
  11: { label: 'M_IOCNAK', color: '#777777', shape: symbolCross, shapeName: 'cross' },
}

const FALLBACK: MsgStyle = {
  label: 'other',
  color: '#999999',
  shape: symbolCircle,
  shapeName: 'circle',
}

export function msgStyle(type: number): MsgStyle {
  return STYLES[type] ?? FALLBACK
}

/** Legend entries, in type-code order. */
export const MSG_LEGEND: readonly (MsgStyle & { readonly type: number; readonly hp: boolean })[] =
  Object.entries(STYLES).map(([t, s]) => ({ ...s, type: Number(t), hp: Number(t) >= 8 }))

const pathCache = new Map<string, string>()

/** SVG path of a message mark of `size` square pixels. */
export function msgPath(type: number, size = 56): string {
  const key = `${type}:${size}`
  let p = pathCache.get(key)
  if (p === undefined) {
    p = symbol(msgStyle(type).shape, size)() ?? ''
    pathCache.set(key, p)
  }
  return p
}

/** The hover text of one message (its sequence number, type, band and size). */
export function msgTitle(m: MsgView, where: string, held: boolean): string {
  const seq = m.seq >= 0 ? `#${m.seq}` : '(control)'
  const pri = m.highPriority ? 'high priority' : `band ${m.band}`
  const dir = m.dir === 0 ? 'downstream' : 'upstream'
  return `${m.typeName} ${seq}, ${pri}, ${dir}, ${m.bytes} B, ${where}${held ? ' — held (stream frozen)' : ''}`
}
