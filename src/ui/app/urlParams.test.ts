import { describe, expect, it } from 'vitest'
import { parseUrlParams } from './urlParams'

describe('parseUrlParams', () => {
  it('reads the known parameters', () => {
    const p = parseUrlParams('?scenario=postcopy&seed=42&speed=100&test=1')
    expect(p).toEqual({
      scenario: 'postcopy.json',
      seed: 42,
      speed: 100,
      test: true,
      notices: [],
    })
  })

  it('names an unknown parameter and lists the known ones', () => {
    expect(parseUrlParams('?foo=1').notices).toEqual([
      "Unknown URL parameter 'foo' ignored (known: scenario, seed, speed, test).",
    ])
  })

  it('rejects bad values with the parameter named', () => {
    const p = parseUrlParams('?seed=-1&speed=fast&test=maybe&scenario=../x')
    expect(p.seed).toBeNull()
    expect(p.speed).toBeNull()
    expect(p.test).toBe(false)
    expect(p.scenario).toBeNull()
    expect(p.notices).toHaveLength(4)
    expect(p.notices[0]).toContain("'scenario'")
    expect(p.notices.join('\n')).toContain("URL parameter 'seed' must be a whole number")
  })

  it('rejects seeds above 2^32-1 and reports reserved or repeated keys', () => {
    const p = parseUrlParams('?seed=4294967296&t=5&test=1&test=0')
    expect(p.seed).toBeNull()
    expect(p.test).toBe(true)
    expect(p.notices.some((n) => n.includes("'t' is reserved"))).toBe(true)
    expect(p.notices.some((n) => n.includes("'test' is given more than once"))).toBe(true)
  })

  it('shortens long values in messages', () => {
    const p = parseUrlParams(`?${'x'.repeat(500)}=1`)
    expect(p.notices[0]?.length).toBeLessThan(120)
  })
})
