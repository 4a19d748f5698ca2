import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { inspectHost } from '../inspect'
import { parseScenario } from '../scenario'
import { LocalWorld } from '../world'
import type { IndexPages, MigrationSummary, PageDetails } from './inspect'

test('migration inspection: summary, index-table window, page details', () => {
  const sc = parseScenario(
    JSON.parse(readFileSync('public/scenarios/postcopy.json', 'utf8')) as unknown,
  )
  const w = new LocalWorld(sc, { keepEvents: false })
  const q = <T>(h: 0 | 1, query: Parameters<typeof inspectHost>[2]) =>
    inspectHost(w.hosts[h], w.tick, query).result as T
  expect(q<MigrationSummary>(0, { kind: 'migration.summary' }).process).toBe('running')
  expect(q<MigrationSummary>(0, { kind: 'migration.summary' }).partition).toBe('active')
  expect(q<IndexPages>(1, { kind: 'migration.pages', from: 0, count: 10 }).loaded).toBe(false)
  w.runTo(2000)
  const a = q<MigrationSummary>(0, { kind: 'migration.summary' })
  const b = q<MigrationSummary>(1, { kind: 'migration.summary' })
  expect(a.process).toBe('frozen')
  expect(a.partition).toBe('frozen')
  expect(b.process).toBe('running on remote paging')
  expect(b.partition).toBe('active')
  expect(b.remotePages).toBeGreaterThan((sc.migration?.pages ?? 0) / 2)
  expect(b.faults.network).toBeGreaterThan(0)
  const all = q<IndexPages>(1, { kind: 'migration.pages', from: 0, count: 50 })
  expect(all.total).toBe(4096)
  expect(all.rows.map((r) => r.page)).toEqual([...Array(50).keys()])
  const pinned = q<IndexPages>(1, {
    kind: 'migration.pages',
    from: 0,
    count: 5000,
    filter: 'pinned',
  })
  expect(pinned.total).toBeGreaterThan(0)
  expect(pinned.rows.every((r) => r.pinned && r.segment === 'pinned')).toBe(true)
  const faulted = q<IndexPages>(1, {
    kind: 'migration.pages',
    from: 0,
    count: 5000,
    filter: 'faulted',
    sort: 'offset',
  })
  expect(faulted.total).toBeGreaterThan(0)
  const offs = faulted.rows.map((r) => r.offset).filter((o) => o >= 0)
  expect(offs).toEqual([...offs].sort((x, y) => x - y))
  const f = faulted.rows[0]?.page ?? -1
  const located = q<IndexPages>(1, {
    kind: 'migration.pages',
    from: 0,
    count: 1,
    filter: 'faulted',
    sort: 'offset',
    locate: f,
  })
  expect(located.located).toBe(0)
  // Following a lookup outside the requested window: the answer is the window centred on it.
  const centred = q<IndexPages>(1, {
    kind: 'migration.pages',
    from: 0,
    count: 40,
    locate: 3000,
    centerOnLocated: true,
  })
  expect(centred.located).toBe(3000)
  expect(centred.from).toBe(2980)
  expect(centred.rows.map((r) => r.page)).toEqual([...Array(40).keys()].map((i) => 2980 + i))
  const nearEnd = q<IndexPages>(1, {
    kind: 'migration.pages',
    from: 0,
    count: 40,
    locate: 4090,
    centerOnLocated: true,
  })
  expect(nearEnd.from).toBe(4096 - 40)
  expect(nearEnd.rows).toHaveLength(40)
  const inside = q<IndexPages>(1, {
    kind: 'migration.pages',
    from: 0,
    count: 40,
    locate: 7,
    centerOnLocated: true,
  })
  expect(inside.from).toBe(0)
  const d = q<PageDetails>(1, { kind: 'migration.page', page: f })
  expect(d.arrival).toMatch(/demand|request|on its way/)
  expect(q<PageDetails | null>(1, { kind: 'migration.page', page: 99999 })).toBeNull()
})
