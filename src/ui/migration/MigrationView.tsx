import { memo } from 'react'
import { GatePhase, useAppStore } from '../app/storeContext'
import { PHASE } from '../app/uiGate'
import { Charts } from './Charts'
import { ControlsPanel } from './ControlsPanel'
import { IndexTablePanel } from './IndexTablePanel'
import { NetworkLane } from './NetworkLane'
import { SequencePanel } from './SequencePanel'
import { useMigration } from './store'
import './migration.css'

// Memoized: the view re-renders for its own data-tick; each panel re-renders in its own gate phase.
const Controls = memo(ControlsPanel)
const Sequence = memo(SequencePanel)
const IndexTable = memo(IndexTablePanel)
const Network = memo(NetworkLane)
// (The charts set their own phases, one per pair of charts.)
const ChartsPanel = memo(Charts)

/** The migration view: controls, the sequence with its numbers, the index table (and charts). */
export function MigrationView() {
  const hasMigration = useAppStore((s) => s.scenario?.migration !== undefined)
  // The tick the panels show (tests wait for it to equal the hosts' tick) and whether the report
  // of that tick is in.
  const tick = useMigration((d) => d.tick)
  const reportTick = useMigration((d) => d.report?.ticks ?? -1)
  if (!hasMigration) return null
  return (
    <div
      className="migration-view"
      data-testid="migration.view"
      data-tick={tick}
      data-report-tick={reportTick}
    >
      <Controls />
      <GatePhase phase={PHASE.migSequence}>
        <Sequence />
      </GatePhase>
      <GatePhase phase={PHASE.migIndex}>
        <IndexTable />
      </GatePhase>
      <GatePhase phase={PHASE.migNetwork}>
        <Network />
      </GatePhase>
      <ChartsPanel />
    </div>
  )
}
