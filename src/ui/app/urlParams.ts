/**
 * URL parameters: `?scenario=postcopy&seed=7&speed=1000&test=1`, plus the shareable moment:
 * `t=<tick>` or `ev=<event index>` and `sel=<selection>` (see ../timeline/share.ts). Every problem
 * becomes a specific notice shown on screen; the app starts anyway with the parameter ignored (or
 * clamped). Values are only ever rendered as text.
 */
import { parseSelection, type Selection } from '../../store/selectionSlice'

export const URL_PARAMS = ['scenario', 'seed', 'speed', 'test', 'warmup'] as const
/** The shareable-moment keys (listed separately in messages). */
export const MOMENT_PARAMS = ['t', 'ev', 'sel'] as const
/** Recognised but not implemented yet. */
export const RESERVED_PARAMS = [] as const
/** Largest tick or event index a URL may name. */
export const MAX_CURSOR = 100_000_000

export interface UrlParams {
  /** Preset file name, e.g. 'postcopy.json'. */
  readonly scenario: string | null
  readonly seed: number | null
  readonly speed: number | null
  /** Installs window.migrationLab (the typed end-to-end test API). */
  readonly test: boolean
  /** The host workers' JIT warm-up after start-up (runtime/warmUp.ts); `warmup=0` turns it off. */
  readonly warmUp: boolean
  /** The moment to open at: a tick, or an event index (which wins when both are given). */
  readonly tick: number | null
  readonly event: number | null
  readonly selection: Selection | null
  /** One plain-text message per problem. */
  readonly notices: readonly string[]
}

const MAX_SEED = 2 ** 32 - 1
export const MAX_SPEED = 10_000_000

/** Quotes a user-supplied string for a message, shortened so a long URL cannot flood the banner. */
function q(s: string, max = 40): string {
  const short = s.length > max ? `${s.slice(0, max)}…` : s
  return `'${short}'`
}

export function parseUrlParams(search: string): UrlParams {
  const params = new URLSearchParams(search)
  const notices: string[] = []
  const known = [...URL_PARAMS, ...MOMENT_PARAMS, ...RESERVED_PARAMS] as readonly string[]
  const seen = new Set<string>()
  for (const key of params.keys()) {
    if (seen.has(key)) continue
    seen.add(key)
    if (!known.includes(key)) {
      notices.push(
        `Unknown URL parameter ${q(key, 24)} ignored (known: ${URL_PARAMS.join(', ')}). Moment: ${MOMENT_PARAMS.join(', ')}.`,
      )
    } else if ((RESERVED_PARAMS as readonly string[]).includes(key)) {
      notices.push(`URL parameter ${q(key)} is reserved for a later version and is ignored.`)
    } else if (params.getAll(key).length > 1) {
      notices.push(`URL parameter ${q(key)} is given more than once; the first value is used.`)
    }
  }

  let scenario: string | null = null
  const rawScenario = params.get('scenario')
  if (rawScenario !== null) {
    const name = rawScenario.endsWith('.json') ? rawScenario.slice(0, -5) : rawScenario
    if (/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(name)) scenario = `${name}.json`
    else
      notices.push(
        `URL parameter 'scenario' must be a preset name such as 'postcopy' (letters, digits, '.', '_', '-'); got ${q(rawScenario)}, ignored.`,
      )
  }

  let seed: number | null = null
  const rawSeed = params.get('seed')
  if (rawSeed !== null) {
    const n = /^\d{1,10}$/.test(rawSeed) ? Number(rawSeed) : NaN
    if (Number.isInteger(n) && n <= MAX_SEED) seed = n
    else
      notices.push(
        `URL parameter 'seed' must be a whole number from 0 to ${MAX_SEED}; got ${q(rawSeed)}, ignored.`,
      )
  }

  let speed: number | null = null
  const rawSpeed = params.get('speed')
  if (rawSpeed !== null) {
    const n = rawSpeed.trim() === '' ? NaN : Number(rawSpeed)
    if (Number.isFinite(n) && n > 0 && n <= MAX_SPEED) speed = n
    else
      notices.push(
        `URL parameter 'speed' must be ticks per second, above 0 and at most ${MAX_SPEED}; got ${q(rawSpeed)}, ignored.`,
      )
  }

  let test = false
  const rawTest = params.get('test')
  if (rawTest !== null) {
    if (rawTest === '1' || rawTest === 'true' || rawTest === '') test = true
    else if (rawTest !== '0' && rawTest !== 'false')
      notices.push(`URL parameter 'test' must be 1 or 0; got ${q(rawTest)}, ignored.`)
  }

  let warmUp = true
  const rawWarmUp = params.get('warmup')
  if (rawWarmUp !== null) {
    if (rawWarmUp === '0' || rawWarmUp === 'false') warmUp = false
    else if (rawWarmUp !== '1' && rawWarmUp !== 'true' && rawWarmUp !== '')
      notices.push(`URL parameter 'warmup' must be 1 or 0; got ${q(rawWarmUp)}, ignored.`)
  }

  const cursorParam = (key: 't' | 'ev', what: string): number | null => {
    const raw = params.get(key)
    if (raw === null) return null
    if (/^\d{1,12}$/.test(raw)) {
      const n = Number(raw)
      if (n <= MAX_CURSOR) return n
      notices.push(
        `URL parameter '${key}' must be ${what} from 0 to ${MAX_CURSOR}; got ${q(raw)}, clamped to ${MAX_CURSOR}.`,
      )
      return MAX_CURSOR
    }
    notices.push(
      `URL parameter '${key}' must be ${what} from 0 to ${MAX_CURSOR}; got ${q(raw)}, ignored.`,
    )
    return null
  }
  let tick = cursorParam('t', 'a whole number of ticks')
  const event = cursorParam('ev', 'a whole event index')
  if (tick !== null && event !== null) {
    notices.push(`URL parameters 't' and 'ev' both given: the event cursor 'ev' is used.`)
    tick = null
  }

  let selection: Selection | null = null
  const rawSel = params.get('sel')
  if (rawSel !== null) {
    selection = parseSelection(rawSel)
    if (!selection)
      notices.push(
        `URL parameter 'sel' must name an entity such as 'page:1:730', 'row:730', 'module:0:2', 'msg:net:0:5' or 'block:2'; got ${q(rawSel)}, ignored.`,
      )
  }

  return { scenario, seed, speed, test, warmUp, tick, event, selection, notices }
}
