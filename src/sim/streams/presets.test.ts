import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { parseScenarioText } from '../scenario'
import { LocalWorld } from '../world'
import { streamsReport } from './metrics'

const load = (name: string) => {
  const path = new URL(`../../../public/scenarios/${name}`, import.meta.url)
  return parseScenarioText(readFileSync(path, 'utf8'), name)
}

const cases = [
  ['streams-terminal.json', 'restarted'],
  ['streams-network.json', 'restarted'],
  ['streams-custom.json', 'restarted'],
  ['streams-fail-nockpt.json', 'aborted'],
  ['streams-fail-veto.json', 'aborted'],
  ['streams-fail-target.json', 'verifyFailed'],
] as const

describe('scenario presets', () => {
  for (const [file, outcome] of cases) {
    test(`${file}: ${outcome}, exactly once`, () => {
      const sc = load(file)
      const w = new LocalWorld(sc)
      w.runTo(sc.durationTicks)
      const r = streamsReport(w)
      expect(r.outcome).toBe(outcome)
      expect(r.exactlyOnce).toMatchObject({ ok: true, lost: 0, inFlight: 0 })
    })
  }

  test('partition-migrate.json parses and its stream restarts on host B', () => {
    const sc = load('partition-migrate.json')
    const w = new LocalWorld(sc)
    w.runTo(1500)
    const r = streamsReport(w)
    expect(r.outcome).toBe('restarted')
    expect(r.exactlyOnce.ok).toBe(true)
  })
})
