/**
 * Page-state colours. A page's byte holds several PAGE flags; the map shows ONE category per page,
 * the first that applies in priority order (what is happening to it now beats where it lives).
 * Colours are the Okabe–Ito palette (distinguishable with the common colour-vision deficiencies),
 * plus a light grey for pages this host does not hold.
 */
import { PAGE } from '../../sim/pageState'

export interface PageCategory {
  readonly key: string
  readonly label: string
  /** Flag that selects this category; 0 for "absent" (no flag set). */
  readonly flag: number
  readonly color: string
  readonly description: string
}

/** In priority order; the last entry is the fallback for a zero byte. */
export const PAGE_CATEGORIES: readonly PageCategory[] = [
  {
    key: 'inFlight',
    label: 'in flight',
    flag: PAGE.IN_FLIGHT,
    color: '#E69F00',
    description: 'requested or pushed, on the wire now',
  },
  {
    key: 'dirty',
    label: 'dirty',
    flag: PAGE.DIRTY,
    color: '#D55E00',
    description: 'written since it was last sent',
  },
  {
    key: 'pinned',
    label: 'pinned',
    flag: PAGE.PINNED,
    color: '#000000',
    description: 'pinned in memory',
  },
  {
    key: 'pagedOut',
    label: 'paged out',
    flag: PAGE.PAGED_OUT,
    color: '#CC79A7',
    description: "on this host's local paging device",
  },
  {
    key: 'remote',
    label: 'remote',
    flag: PAGE.REMOTE,
    color: '#56B4E9',
    description: 'lives on the other host',
  },
  {
    key: 'localCopy',
    label: 'local copy',
    flag: PAGE.LOCAL_COPY,
    color: '#009E73',
    description: 'already on this host (same software): never sent',
  },
  {
    key: 'zero',
    label: 'zero',
    flag: PAGE.ZERO,
    color: '#F0E442',
    description: 'never touched: all zeros',
  },
  {
    key: 'resident',
    label: 'resident',
    flag: PAGE.RESIDENT,
    color: '#0072B2',
    description: "in this host's frames and mapped",
  },
  {
    key: 'absent',
    label: 'absent',
    flag: 0,
    color: '#DDDDDD',
    description: 'not on this host',
  },
]

const ABSENT = PAGE_CATEGORIES.length - 1

/** Category index of every possible state byte. */
export const CATEGORY_OF_STATE: Uint8Array = (() => {
  const lut = new Uint8Array(256)
  for (let s = 0; s < 256; s++) {
    const i = PAGE_CATEGORIES.findIndex((c) => c.flag !== 0 && (s & c.flag) !== 0)
    lut[s] = i < 0 ? ABSENT : i
  }
  return lut
})()

export function categoryOf(state: number): PageCategory {
  return PAGE_CATEGORIES[CATEGORY_OF_STATE[state & 0xff] ?? ABSENT] as PageCategory
}

/** '#RRGGBB' → [r, g, b]. */
export function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16)
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]
}

/**
 * Colour of every state byte as a pixel word for a Uint32Array view over ImageData. ImageData is
 * RGBA in memory; on little-endian machines (all browsers this app targets) the word is ABGR.
 */
export const PIXEL_OF_STATE: Uint32Array = (() => {
  const lut = new Uint32Array(256)
  for (let s = 0; s < 256; s++) {
    const [r, g, b] = hexToRgb(categoryOf(s).color)
    lut[s] = ((0xff << 24) | (b << 16) | (g << 8) | r) >>> 0
  }
  return lut
})()
