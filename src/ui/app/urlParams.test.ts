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
      warmUp: true,
      tick: null,
      event: null,
      selection: null,
      notices: [],
    })
  })

  it('names an unknown parameter and lists the known ones', () => {
    expect(parseUrlParams('?foo=1').notices).toEqual([
      "Unknown URL parameter 'foo' ignored (known: scenario, seed, speed, test, warmup). Moment: t, ev, sel.",
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

  it('turns the warm-up off with warmup=0 and names a bad value', () => {
    expect(parseUrlParams('?warmup=0').warmUp).toBe(false)
    expect(parseUrlParams('?warmup=1').warmUp).toBe(true)
    const bad = parseUrlParams('?warmup=later')
    expect(bad.warmUp).toBe(true)
    expect(bad.notices).toEqual(["URL parameter 'warmup' must be 1 or 0; got 'later', ignored."])
  })

  it('rejects seeds above 2^32-1 and reports reserved or repeated keys', () => {
    const p = parseUrlParams('?seed=4294967296&t=5&test=1&test=0')
    expect(p.seed).toBeNull()
    expect(p.test).toBe(true)
    expect(p.tick).toBe(5)
    expect(p.notices.some((n) => n.includes("'test' is given more than once"))).toBe(true)
  })

  it('reads the moment and refuses or clamps hostile values', () => {
    expect(parseUrlParams('?ev=12&sel=page:1:730')).toMatchObject({
      event: 12,
      selection: { type: 'page', host: 1, page: 730 },
      notices: [],
    })
    const p = parseUrlParams('?t=999999999999&ev=-3&sel=%3Cscript%3Ealert(1)%3C/script%3E')
    expect(p.tick).toBe(100_000_000)
    expect(p.event).toBeNull()
    expect(p.selection).toBeNull()
    expect(p.notices).toHaveLength(3)
    expect(p.notices.join('\n')).toContain("'t' must be a whole number of ticks")
    expect(p.notices.join('\n')).toContain("'sel' must name an entity")
  })

  it('shortens long values in messages', () => {
    const p = parseUrlParams(`?${'x'.repeat(500)}=1`)
    expect(p.notices[0]).toContain(`'${'x'.repeat(24)}…'`)
    expect(p.notices[0]?.length).toBeLessThan(140)
  })
})
