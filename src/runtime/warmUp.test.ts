import { describe, expect, it } from 'vitest'
import { WarmUp, WARM_UP_SCENARIOS } from './warmUp'

describe('WarmUp', () => {
  it('runs every warm-up scenario to its end, through each migration path, in short chunks', () => {
    const warm = new WarmUp()
    let chunks = 0
    while (warm.step(5)) chunks++
    const { events, exercises, ...report } = warm.report
    // The paths one thread never meets by itself: waiting for the peer, giving way to the page.
    expect(exercises).toBeGreaterThan(100)
    expect(report).toEqual({
      outcome: 'done',
      ticks: WARM_UP_SCENARIOS.reduce((n, s) => n + 2 * s.durationTicks, 0),
      scenarios: WARM_UP_SCENARIOS.length,
    })
    // The paths a first run takes: demand paging and background touching to the source's release
    // (post-copy), pre-copy rounds into stop-and-copy, and a STREAMS checkpoint restarted, verified.
    for (const kind of [
      'mig.checkpointSent',
      'page.faultNetwork',
      'page.serve',
      'mig.bgStage',
      'mig.sourceReleased',
      'mig.precopyRound',
      'mig.stopCopy',
      'ckpt.restartMessage',
      'rst.verified',
    ])
      expect(events[kind] ?? 0, kind).toBeGreaterThan(0)
    // Chunked: a worker's control messages wait one chunk at most, never the whole warm-up.
    expect(chunks).toBeGreaterThan(10)
  })

  it('stops between chunks and says how far it got', () => {
    const warm = new WarmUp()
    expect(warm.step(1)).toBe(true)
    const report = warm.report
    expect(report.outcome).toBe('stopped')
    expect(report.ticks).toBeGreaterThan(0)
    expect(report.scenarios).toBe(0)
  })
})
