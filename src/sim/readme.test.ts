import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { parseScenario } from './scenario'

test('the README scenario example is a valid scenario', () => {
  const readme = readFileSync('README.md', 'utf8')
  const section = readme.slice(readme.indexOf('## Scenario format'))
  const block = /```json\n([\s\S]*?)```/.exec(section)?.[1]
  expect(block).toBeDefined()
  const s = parseScenario(JSON.parse(block ?? ''), 'README.md')
  expect(s.migration?.strategy).toBe('postcopy')
  expect(s.streams).toBeDefined()
})
