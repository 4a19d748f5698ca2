import { parseScenario, parseScenarioText, type Scenario } from '../sim/scenario'
import type { EventLog } from './eventLog'
import type { SliceCreator } from './types'

/** One entry of public/scenarios/index.json. */
export interface Preset {
  readonly file: string
  readonly title: string
}

export interface FetchResult {
  readonly ok: boolean
  readonly status: number
  readonly text: string
}

export interface ScenarioDeps {
  /** Same-origin fetch of a text file (injected so tests can serve files without a server). */
  readonly fetchText: (url: string) => Promise<FetchResult>
  /** Vite's BASE_URL, ending in '/'. */
  readonly baseUrl: string
  readonly eventLog: EventLog
}

export interface ScenarioSlice {
  /** null until scenarios/index.json has been read. */
  presets: readonly Preset[] | null
  presetsError: string | null
  /** The scenario running now; null before the first load. */
  scenario: Scenario | null
  /** Preset file of the running scenario, or null (built-in default or an opened file). */
  scenarioFile: string | null
  /** What the picker shows for the running scenario. */
  scenarioLabel: string
  scenarioError: string | null
  scenarioLoading: boolean
  loadPresetIndex(): Promise<void>
  /** Loads a preset by file name; `seed` overrides the file's seed. Errors land in scenarioError. */
  loadPreset(file: string, seed?: number): Promise<boolean>
  /** Parses and loads scenario JSON text (e.g. a file the user opened); `where` names it in errors. */
  loadScenarioText(
    text: string,
    where: string,
    seed?: number,
    file?: string | null,
    label?: string,
  ): Promise<boolean>
  /** Loads the schema's defaults (the run shown when the URL names no preset). */
  loadDefault(seed?: number): Promise<boolean>
  /** Loads the current scenario again (after a restart); no-op for the built-in default. */
  reloadScenario(): Promise<void>
  clearScenarioError(): void
}

export const DEFAULT_LABEL = 'Built-in default'

const PRESET_FILE = /^[A-Za-z0-9][A-Za-z0-9_.-]*\.json$/

/** Checks the shape of index.json; throws with the offending entry named. */
export function parsePresetIndex(text: string): Preset[] {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    throw new Error(`scenarios/index.json is not valid JSON: ${(e as Error).message}`)
  }
  if (!Array.isArray(json)) throw new Error('scenarios/index.json must be an array of presets')
  return json.map((entry: unknown, i) => {
    const e = entry as { file?: unknown; title?: unknown } | null
    if (typeof e?.file !== 'string' || !PRESET_FILE.test(e.file)) {
      throw new Error(`scenarios/index.json [${i}].file must be a file name ending in .json`)
    }
    if (typeof e.title !== 'string' || e.title.length === 0) {
      throw new Error(`scenarios/index.json [${i}].title must be a non-empty string`)
    }
    return { file: e.file, title: e.title }
  })
}

export function createScenarioSlice(deps: ScenarioDeps): SliceCreator<ScenarioSlice> {
  return (set, get) => {
    /** Loads a parsed scenario into the world; resets everything that belongs to the old run. */
    const start = async (
      scenario: Scenario,
      file: string | null,
      label: string,
    ): Promise<boolean> => {
      const s = get()
      s.pause()
      set({ scenarioLoading: true })
      try {
        await s.world.load(scenario)
        deps.eventLog.clear()
        set({ scenario, scenarioFile: file, scenarioLabel: label, scenarioError: null })
        get().sample()
        return true
      } catch (e) {
        set({ scenarioError: `Could not start scenario "${label}": ${(e as Error).message}` })
        return false
      } finally {
        set({ scenarioLoading: false })
      }
    }

    return {
      presets: null,
      presetsError: null,
      scenario: null,
      scenarioFile: null,
      scenarioLabel: DEFAULT_LABEL,
      scenarioError: null,
      scenarioLoading: false,

      async loadPresetIndex() {
        const url = `${deps.baseUrl}scenarios/index.json`
        try {
          const r = await deps.fetchText(url)
          if (!r.ok) throw new Error(`could not read ${url} (HTTP ${r.status})`)
          set({ presets: parsePresetIndex(r.text), presetsError: null })
        } catch (e) {
          set({ presets: [], presetsError: (e as Error).message })
        }
      },

      async loadPreset(file, seed) {
        const preset = get().presets?.find((p) => p.file === file)
        const label = preset?.title ?? file
        const url = `${deps.baseUrl}scenarios/${file}`
        let text: string
        try {
          const r = await deps.fetchText(url)
          if (!r.ok) {
            set({
              scenarioError:
                r.status === 404
                  ? `Preset "${file}" is listed in scenarios/index.json but the file is missing (HTTP 404).`
                  : `Could not read preset "${file}" (HTTP ${r.status}).`,
            })
            return false
          }
          text = r.text
        } catch (e) {
          set({ scenarioError: `Could not read preset "${file}": ${(e as Error).message}` })
          return false
        }
        return get().loadScenarioText(text, `scenarios/${file}`, seed, file, label)
      },

      async loadScenarioText(
        text: string,
        where: string,
        seed?: number,
        file: string | null = null,
        label: string = where,
      ) {
        let scenario: Scenario
        try {
          scenario = parseScenarioText(text, where)
        } catch (e) {
          set({ scenarioError: (e as Error).message })
          return false
        }
        if (seed !== undefined) scenario = { ...scenario, seed }
        return start(scenario, file, label)
      },

      async loadDefault(seed) {
        let scenario = parseScenario({}, 'built-in default')
        if (seed !== undefined) scenario = { ...scenario, seed }
        return start(scenario, null, DEFAULT_LABEL)
      },

      async reloadScenario() {
        const { scenario, scenarioFile, scenarioLabel } = get()
        if (scenario) await start(scenario, scenarioFile, scenarioLabel)
        else await get().loadDefault()
      },

      clearScenarioError() {
        set({ scenarioError: null })
      },
    }
  }
}
