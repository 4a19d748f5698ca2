/**
 * Fills the migration store: on every sampled tick change while paused or stepping, about four
 * times a second while playing (never per frame). The report is computed from the inspected
 * states once a second while playing; with memory verification when paused (the CLI's numbers).
 */
import { useEffect, useRef } from 'react'
import type { World } from '../../runtime/world'
import type { HostId } from '../../sim/events'
import type { LinkInspection } from '../../sim/inspect'
import type { MigrationHostState } from '../../sim/migration/engine'
import type { MigrationSummary } from '../../sim/migration/inspect'
import { migrationReport } from '../../sim/migration/run'
import { useAppStore, useAppStoreApi } from '../app/storeContext'
import { useInspectionPoll } from '../hooks/useInspectionPoll'
import { migrationOver, migrationStore, initialMigrationData, type Sample } from './store'
import { advanceTimeline, cutAt, emptyTimeline } from './timeline'

const REPORT_INTERVAL_MS = 1000
/** Verify memory in the browser only up to this many bytes per host (the reference run copies it). */
const VERIFY_MAX_BYTES = 96 << 20

/** A host's frames on the main thread (shared memory in the worker runtime), in either runtime. */
export function framesOf(world: World, host: HostId): Uint8Array | undefined {
  const w = world as World & {
    frames?: (h: HostId) => Uint8Array | undefined
    local?: () => { hosts: readonly { mem: { frames: Uint8Array } }[] } | undefined
  }
  return w.frames?.(host) ?? w.local?.()?.hosts[host]?.mem.frames
}

export function MigrationPump() {
  const store = useAppStoreApi()
  const scenario = useAppStore((s) => s.scenario)
  const lastReportAt = useRef(0)
  const loads = useRef(0)
  const runKey = useRef('')

  // A new scenario: a new run key, everything reset.
  useEffect(() => {
    loads.current++
    runKey.current = `${scenario?.name ?? ''}#${loads.current}`
    migrationStore.setState({
      ...initialMigrationData,
      runKey: runKey.current,
      timeline: emptyTimeline(),
    })
  }, [scenario])

  // The log was replaced (new run or fork): rebuild the timeline on the next poll.
  useEffect(() => {
    const world = store.getState().world
    return world.subscribe({
      reset: () => migrationStore.setState({ timeline: emptyTimeline(), samples: [] }),
    })
  }, [store])

  useInspectionPoll(scenario?.migration !== undefined, scenario, async (isMounted) => {
    const key = runKey.current
    try {
      const world = store.getState().world
      const sc = world.scenario()
      if (!sc?.migration) return
      const [sa, sb, la, lb] = await Promise.all([
        world.inspect(0, { kind: 'migration.summary' }),
        world.inspect(1, { kind: 'migration.summary' }),
        world.inspect(0, { kind: 'link' }),
        world.inspect(1, { kind: 'link' }),
      ])
      if (!isMounted() || key !== runKey.current) return
      const at = Math.min(sa.tick, sb.tick)
      const summaries = [sa.result, sb.result] as [MigrationSummary, MigrationSummary]
      const events = world.events()
      const prev = migrationStore.getState()
      const timeline = advanceTimeline(prev.timeline, events, at)
      const a = summaries[0]
      const b = summaries[1]
      const sample: Sample = {
        tick: at,
        catPages: a.catPages,
        accesses: b.phase === 2 || b.phase === 1 ? b.accesses : a.accesses,
      }
      const kept = prev.samples.filter((s) => s.tick < at)
      const samples = kept.length > 2000 ? thin(kept) : kept
      samples.push(sample)
      migrationStore.setState({
        tick: at,
        summaries,
        links: [la.result as LinkInspection, lb.result as LinkInspection],
        timeline,
        timelineVersion: prev.timelineVersion + 1,
        samples,
        error: null,
      })
      // The report: from the inspected states, as the CLI computes it.
      const now = performance.now()
      const isRunning = store.getState().running
      if (isRunning && now - lastReportAt.current < REPORT_INTERVAL_MS) return
      lastReportAt.current = now
      const [ma, mb] = await Promise.all([
        world.inspect(0, { kind: 'migration.state' }),
        world.inspect(1, { kind: 'migration.state' }),
      ])
      if (!isMounted() || key !== runKey.current) return
      const rtick = Math.min(ma.tick, mb.tick)
      const stA = ma.result as MigrationHostState
      const stB = mb.result as MigrationHostState
      const fa = framesOf(world, 0)
      const fb = framesOf(world, 1)
      const paused = !store.getState().running && store.getState().tick === rtick
      const small = stA.pages * stA.pageSize <= VERIFY_MAX_BYTES
      const verify =
        paused && small && migrationOver(summaries) && sc.migration.workload.kind !== 'trace'
      const cut = cutAt(world.events(), rtick)
      const evs = world.events().slice(0, cut)
      const report = await migrationReport(
        {
          hosts: [
            { mig: stA, mem: verify && fa ? { frames: fa } : undefined },
            { mig: stB, mem: verify && fb ? { frames: fb } : undefined },
          ],
          events: evs,
          tick: rtick,
          scenario: sc,
          eventLogHash: () => world.eventLogHash(),
        },
        { verify },
      )
      if (!isMounted() || key !== runKey.current) return
      migrationStore.setState({ report })
    } catch (e) {
      // The hosts are being replaced (a new scenario) or failed: the runtime status shows it.
      if (isMounted()) migrationStore.setState({ error: (e as Error).message })
    }
  })

  return null
}

/** Keeps every other sample (bounded memory for long runs). */
function thin(s: Sample[]): Sample[] {
  return s.filter((_, i) => i % 2 === 0)
}
