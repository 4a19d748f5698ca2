import { useId, useRef } from 'react'
import { useShallow } from 'zustand/shallow'
import { DEFAULT_LABEL } from '../../store'
import { useAppStore, useAppStoreApi } from '../app/storeContext'
import { useDiscardGuard } from './DiscardGuard'

const DEFAULT = ''
const OPENED = '__opened__'

/** Chooses a preset from public/scenarios/index.json or opens a scenario JSON file. */
export function ScenarioPicker() {
  const store = useAppStoreApi()
  const s = useAppStore(
    useShallow((st) => ({
      presets: st.presets,
      file: st.scenarioFile,
      label: st.scenarioLabel,
      scenario: st.scenario,
      loading: st.scenarioLoading,
      ready: st.runtimeState === 'ready',
    })),
  )
  const selectId = useId()
  const { guarded, dialog } = useDiscardGuard('scenario.confirm')
  const fileRef = useRef<HTMLInputElement>(null)
  const value = s.file ?? (s.label === DEFAULT_LABEL ? DEFAULT : OPENED)

  const onFile = async (files: FileList | null) => {
    const f = files?.[0]
    if (!f) return
    const text = await f.text()
    if (fileRef.current) fileRef.current.value = ''
    guarded(`open ${f.name}`, () =>
      store.getState().loadScenarioText(text, f.name, undefined, null, f.name),
    )
  }

  return (
    <div className="scenario-picker" data-testid="scenario.picker">
      <label htmlFor={selectId}>Scenario</label>
      <select
        id={selectId}
        data-testid="scenario.select"
        value={value}
        disabled={!s.ready || s.loading}
        onChange={(e) => {
          const v = e.target.value
          if (v === DEFAULT)
            guarded('load the default scenario', () => store.getState().loadDefault())
          else if (v !== OPENED) guarded(`load ${v}`, () => store.getState().loadPreset(v))
        }}
      >
        <option value={DEFAULT}>{DEFAULT_LABEL}</option>
        {value === OPENED ? <option value={OPENED}>{s.label}</option> : null}
        {(s.presets ?? []).map((p) => (
          <option key={p.file} value={p.file}>
            {p.title}
          </option>
        ))}
      </select>
      <label className="file-button">
        Open JSON…
        <input
          ref={fileRef}
          type="file"
          accept=".json,application/json"
          data-testid="scenario.file"
          disabled={!s.ready || s.loading}
          onChange={(e) => void onFile(e.target.files)}
        />
      </label>
      {s.scenario ? (
        <span className="scenario-meta" data-testid="scenario.meta" title={s.scenario.description}>
          seed {s.scenario.seed}
        </span>
      ) : null}
      {dialog}
    </div>
  )
}
