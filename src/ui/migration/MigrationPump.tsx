/**
 * Fills the migration store: on every sampled tick change while paused or stepping, about four
 * times a second while playing (never per frame). The report is computed from the hosts' report
 * facts (`migration.reportFacts`: counters and sums reduced in the hosts, never their whole states)
 * once a second while playing. When paused with the migration over, memory integrity is verified
 * as the CLI does (reference replay, comparison, checksum) in the verifier worker
 * (src/runtime/verify.worker.ts), whatever the memory size or workload, from the whole states asked
 * for once; its result is merged into the report when it arrives. Playing, stepping or a new
 * scenario cancels it.
 */
import { useEffect, useRef, type RefObject } from 'react'
import { traceFor } from '../../runtime/trace'
import type { VerifyResult } from '../../runtime/verify'
import { IntegrityVerifier } from '../../runtime/verifier'
import type { World } from '../../runtime/world'
import type { EventSeq, HostId } from '../../sim/events'
import type { LinkInspection } from '../../sim/inspect'
import type { MigrationReport } from '../../sim/metrics'
import type { MigrationHostState } from '../../sim/migration/engine'
import type { MigrationReportFacts, MigrationSummary } from '../../sim/migration/inspect'
import type { Scenario } from '../../sim/scenario'
import { emptyTally, migrationReport, tallyEvents, type EventTally } from '../../sim/migration/run'
import { useAppStore, useAppStoreApi } from '../app/storeContext'
import { useInspectionPoll } from '../hooks/useInspectionPoll'
import { integrityStore, spawnVerifierWorker } from './integrity'
import { migrationOver, migrationStore, initialMigrationData, type Sample } from './store'
import { advanceTimeline, cutAt, emptyTimeline } from './timeline'

const REPORT_INTERVAL_MS = 1000

/** The report with the verifier's integrity result in place of the unverified one. */
export function withIntegrity(report: MigrationReport, v: VerifyResult): MigrationReport {
  return {
    ...report,
    integrity: v.integrity,
    workload: {
      ...report.workload,
      referenceAccesses: v.referenceAccesses,
      distinctPages: v.distinctPages,
    },
  }
}

/** Which state a verification belongs to: the run, the tick and the event log up to it. */
function verifyKey(run: string, r: MigrationReport): string {
  return `${run}@${r.ticks}#${r.eventCount}:${r.eventLogHash}`
}

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
  const verifier = useRef<IntegrityVerifier | null>(null)
  /** The verification in flight (or failed) and the last one finished. */
  const verifying = useRef<Verifying | null>(null)
  const verified = useRef<{ key: string; result: VerifyResult } | null>(null)
  /** The report's counts from the log, up to `cut`: only new events are added each report. */
  const tally = useRef({ cut: 0, counts: emptyTally() })
  /**
   * The tally of the log's first `cut` events, brought up from the last one. The log only grows
   * between resets (which restart the tally), except that a poll may be cut behind the last one
   * (states read after a step back without a reset): then it counts afresh.
   */
  const tallyTo = (log: EventSeq, cut: number): EventTally => {
    if (cut < tally.current.cut) tally.current = { cut: 0, counts: emptyTally() }
    const counts = tallyEvents(log, tally.current.cut, cut, tally.current.counts)
    tally.current = { cut, counts }
    return counts
  }

  const cancelVerify = () => {
    verifier.current?.cancel()
    verifying.current = null
    if (integrityStore.getState().state !== 'idle') integrityStore.setState({ state: 'idle' })
  }

  // The verifier worker starts on the first verification and ends with the view.
  useEffect(() => {
    const v = new IntegrityVerifier(spawnVerifierWorker)
    verifier.current = v
    return () => {
      v.dispose()
      verifier.current = null
      verifying.current = null
      integrityStore.setState({ state: 'idle' })
    }
  }, [])

  // The hosts move again (play, step, travel): a verification of their memory is no longer valid.
  useEffect(
    () =>
      store.subscribe((s) => {
        const v = verifying.current
        if (v && (s.running || s.tick !== v.tick)) cancelVerify()
      }),
    [store],
  )

  // A new scenario: a new run key, everything reset.
  useEffect(() => {
    loads.current++
    cancelVerify()
    verified.current = null
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
      reset: () => {
        tally.current = { cut: 0, counts: emptyTally() }
        migrationStore.setState({ timeline: emptyTimeline(), samples: [] })
      },
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
      // The report's tally is brought up to this poll's tick here, four times a second, so that
      // the report (once a second) adds only what arrived since: a second's events at once was a
      // task of 5 to 20 ms (measured), and behind the hosts and the compositor, a long one.
      tallyTo(events, cutAt(events, at))
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
      // The report: from the hosts' report facts, as the CLI computes it from its states.
      const now = performance.now()
      const isRunning = store.getState().running
      if (isRunning && now - lastReportAt.current < REPORT_INTERVAL_MS) return
      lastReportAt.current = now
      // The report's facts, reduced in the hosts (a few hundred bytes each): never the whole
      // states, which are megabytes of per-page arrays plus a latency per fault.
      const [fa, fb] = await Promise.all([
        world.inspect(0, { kind: 'migration.reportFacts' }),
        world.inspect(1, { kind: 'migration.reportFacts' }),
      ])
      if (!isMounted() || key !== runKey.current) return
      const rtick = Math.min(fa.tick, fb.tick)
      const paused = !store.getState().running && store.getState().tick === rtick
      const log = world.events()
      const cut = cutAt(log, rtick)
      const counts = tallyTo(log, cut)
      // The numbers without the memory check (fast); the check runs in the verifier worker.
      const report = await migrationReport(
        {
          hosts: [
            { facts: fa.result as MigrationReportFacts },
            { facts: fb.result as MigrationReportFacts },
          ],
          events: [],
          eventCount: cut,
          linkTotals: { ...counts.link },
          tick: rtick,
          scenario: sc,
          eventLogHash: () => world.eventLogHash(),
        },
        { verify: false },
        { ...counts.warn },
      )
      if (!isMounted() || key !== runKey.current) return
      const wanted = paused && migrationOver(summaries) && !report.lost.workloadLost
      const vkey = verifyKey(key, report)
      const done = verified.current?.key === vkey ? verified.current.result : undefined
      migrationStore.setState({ report: done ? withIntegrity(report, done) : report })
      if (!wanted) {
        if (verifying.current) cancelVerify()
      } else if (!done && verifying.current?.key !== vkey) {
        // The memory check needs the whole states: asked for once per paused, finished state.
        const [ma, mb] = await Promise.all([
          world.inspect(0, { kind: 'migration.state' }),
          world.inspect(1, { kind: 'migration.state' }),
        ])
        if (!isMounted() || key !== runKey.current) return
        // Moved since the facts (or another poll started this check): the next poll decides again.
        if (ma.tick !== fa.tick || mb.tick !== fb.tick || verifying.current?.key === vkey) return
        if (store.getState().running || store.getState().tick !== rtick) return
        const states = [ma.result, mb.result] as [MigrationHostState, MigrationHostState]
        startVerify({ verifier, verifying, verified, runKey }, world, sc, vkey, rtick, states)
      }
    } catch (e) {
      // The hosts are being replaced (a new scenario) or failed: the runtime status shows it.
      if (isMounted()) migrationStore.setState({ error: (e as Error).message })
    }
  })

  return null
}

/** A verification of the state `key` at `tick`: in flight, or failed. */
interface Verifying {
  readonly key: string
  readonly tick: number
  readonly failed?: true
}

interface VerifyRefs {
  readonly verifier: RefObject<IntegrityVerifier | null>
  readonly verifying: RefObject<Verifying | null>
  readonly verified: RefObject<{ key: string; result: VerifyResult } | null>
  readonly runKey: RefObject<string>
}

/** Verifies the paused hosts' memory in the worker; the result lands in the report. */
function startVerify(
  refs: VerifyRefs,
  world: World,
  sc: Scenario,
  vkey: string,
  tick: number,
  states: readonly [MigrationHostState, MigrationHostState],
): void {
  const { verifier, verifying, verified, runKey } = refs
  const v = verifier.current
  if (!v) return
  const fa = framesOf(world, 0)
  const fb = framesOf(world, 1)
  const trace = sc.migration?.workload.kind === 'trace' ? traceFor(sc) : undefined
  const stillCurrent = () => verifying.current?.key === vkey
  verifying.current = { key: vkey, tick }
  integrityStore.setState({ state: 'verifying', tick, fraction: null })
  const run =
    fa && fb
      ? v.verify({ scenario: sc, tick, states, frames: [fa, fb], trace }, (fraction) => {
          if (stillCurrent()) integrityStore.setState({ state: 'verifying', tick, fraction })
        })
      : Promise.reject(new Error('the memory of the hosts is not available'))
  run.then(
    (outcome) => {
      if (outcome.status !== 'verified' || !stillCurrent()) return
      verifying.current = null
      verified.current = { key: vkey, result: outcome.result }
      integrityStore.setState({ state: 'idle' })
      const cur = migrationStore.getState().report
      if (cur && verifyKey(runKey.current, cur) === vkey)
        migrationStore.setState({ report: withIntegrity(cur, outcome.result) })
    },
    (e: unknown) => {
      if (!stillCurrent()) return
      // Kept (failed) so that the same state is not verified again until the hosts move.
      verifying.current = { key: vkey, tick, failed: true }
      integrityStore.setState({
        state: 'error',
        tick,
        message: e instanceof Error ? e.message : String(e),
      })
    },
  )
}

/** Keeps every other sample (bounded memory for long runs). */
function thin(s: Sample[]): Sample[] {
  return s.filter((_, i) => i % 2 === 0)
}
