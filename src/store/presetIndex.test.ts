import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseScenarioText } from '../sim/scenario'
import { parsePresetIndex } from './scenarioSlice'

const dir = new URL('../../public/scenarios/', import.meta.url)
const read = (file: string) => readFileSync(new URL(file, dir), 'utf8')

describe('public/scenarios/index.json', () => {
  const index = parsePresetIndex(read('index.json'))

  it('lists every preset file in the folder, once', () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json') && f !== 'index.json')
      .sort()
    expect(index.map((p) => p.file).sort()).toEqual(files)
  })

  it.each(index.map((p) => [p.file, p] as const))('%s is a valid scenario', (file) => {
    expect(() => parseScenarioText(read(file), `scenarios/${file}`)).not.toThrow()
  })
})
