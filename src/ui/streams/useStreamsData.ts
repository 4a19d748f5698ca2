/**
 * The STREAMS view's data: both hosts' STREAMS state, asked of the hosts with
 * `world.inspect(host, { kind: 'streams.state' })` at low frequency (on every sampled tick change
 * while paused or stepping, at most ~4 times a second while playing, never per frame). The view
 * and the report (the CLI's numbers) are computed from those states on the main thread.
 */
import { useEffect, useRef, useState } from 'react'
import { firstEventAt, type SimEvent } from '../../sim/events'
import { ExactlyOnceTally, streamsReport, type StreamsReport } from '../../sim/streams/metrics'
import type { StreamsHostState } from '../../sim/streams/types'
import { streamsView, type StreamsHostView } from '../../sim/streams/view'
import { useAppStore, useAppStoreApi } from '../app/storeContext'
import { useInspectionPoll } from '../hooks/useInspectionPoll'

export interface StreamsData {
  /** Name of the scenario the states belong to. */
  readonly scenarioName: string
  /** Ticks completed when the states were read. */
  readonly tick: number
  readonly states: readonly [StreamsHostState, StreamsHostState]
  readonly views: readonly [StreamsHostView, StreamsHostView]
  readonly report: StreamsReport
  /** The checkpoint/restart events (`ckpt.*`, `rst.*`, stack edits), oldest first, up to `tick`. */
  readonly steps: readonly SimEvent[]
}

function isStepEvent(ev: SimEvent): boolean {
  const k = ev.kind
  return (
    k.startsWith('ckpt.') ||
    k.startsWith('rst.') ||
    k === 'str.opened' ||
    k === 'str.pushed' ||
    k === 'str.popped' ||
    k === 'str.editRefused'
  )
}

export function useStreamsData(): StreamsData | null {
  const store = useAppStoreApi()
  const scenario = useAppStore((s) => s.scenario)
  const [data, setData] = useState<StreamsData | null>(null)
  /**
   * What the report reads from the log, kept up to date by adding only new events (the log grows
   * all run long): the exactly-once tally and the latest checkpoint/restart steps. Started again
   * when the log is replaced (a new run, a fork) or the report goes back behind it.
   */
  const fromLog = useRef({ tally: new ExactlyOnceTally(), steps: [] as SimEvent[] })
  useEffect(() => {
    const restart = () => void (fromLog.current = { tally: new ExactlyOnceTally(), steps: [] })
    restart()
    return store.getState().world.subscribe({ reset: restart })
  }, [store, scenario])

  useInspectionPoll(scenario?.streams !== undefined, scenario, async (isMounted) => {
    try {
      const world = store.getState().world
      const scenarioName = store.getState().scenario?.name ?? ''
      const [a, b] = await Promise.all([
        world.inspect(0, { kind: 'streams.state' }),
        world.inspect(1, { kind: 'streams.state' }),
      ])
      if (!isMounted()) return
      const sa = a.result as StreamsHostState
      const sb = b.result as StreamsHostState
      const at = Math.min(a.tick, b.tick)
      const all = world.events()
      const cut = firstEventAt(all, at)
      if (cut < fromLog.current.tally.counted) {
        fromLog.current = { tally: new ExactlyOnceTally(), steps: [] }
      }
      const { tally, steps: kept } = fromLog.current
      for (let i = tally.counted; i < cut; i++) {
        const ev = all.at(i) as SimEvent
        if (isStepEvent(ev)) kept.push(ev)
      }
      tally.add(all, cut)
      if (kept.length > 800) kept.splice(0, kept.length - 400)
      const sc = world.scenario()
      const report = streamsReport({
        hosts: [{ str: sa }, { str: sb }],
        events: [],
        eventCount: cut,
        exactlyOnce: tally,
        tick: at,
        scenario: { tickUs: sc?.tickUs ?? 10 },
      })
      setData({
        scenarioName,
        tick: at,
        states: [sa, sb],
        views: [streamsView(sa), streamsView(sb)],
        report,
        steps: kept.slice(-400),
      })
    } catch {
      // The hosts are being replaced (a new scenario) or failed: the runtime status shows it.
    }
  })

  return scenario?.streams ? data : null
}
