import { useAppStore } from '../app/storeContext'
import { Charts } from './Charts'
import { ControlsPanel } from './ControlsPanel'
import { IndexTablePanel } from './IndexTablePanel'
import { NetworkLane } from './NetworkLane'
import { SequencePanel } from './SequencePanel'
import { useMigration } from './store'
import './migration.css'

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
      <ControlsPanel />
      <SequencePanel />
      <IndexTablePanel />
      <NetworkLane />
      <Charts />
    </div>
  )
}
