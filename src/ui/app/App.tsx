import { useEffect } from 'react'
import { Banners } from '../components/Banners'
import { EventLog } from '../components/EventLog'
import { HostPanel } from '../components/HostPanel'
import { RuntimeStatus } from '../components/RuntimeStatus'
import { ScenarioPicker } from '../components/ScenarioPicker'
import { Toolbar } from '../components/Toolbar'
import { HelpSheet } from '../timeline/HelpSheet'
import { Inspector } from '../timeline/Inspector'
import { restoreFromUrl } from '../timeline/share'
import { useTimelineShortcuts } from '../timeline/shortcuts'
import { TimelinePanel } from '../timeline/TimelinePanel'
import { StreamsView } from '../streams/StreamsView'
import { MigrationPump } from '../migration/MigrationPump'
import { MigrationView } from '../migration/MigrationView'
import { LinkLane } from '../viz/LinkLane'
import { GatePhase, useAppStoreApi } from './storeContext'
import { parseUrlParams } from './urlParams'
import { PHASE } from './uiGate'

let restoreStarted = false

export function App() {
  const store = useAppStoreApi()
  useTimelineShortcuts(store)
  useEffect(() => {
    // Once per page (StrictMode runs effects twice): open at the URL's moment and selection.
    if (restoreStarted) return
    restoreStarted = true
    restoreFromUrl(store, parseUrlParams(location.search))
  }, [store])
  return (
    <div className="app">
      <header className="app-header">
        <h1>Migration Lab</h1>
        <Toolbar />
        <ScenarioPicker />
        <RuntimeStatus />
      </header>
      <Banners />
      {/* UI gate phases (uiGate.ts): while playing, each panel's 4 Hz update lands in its own frame. */}
      <GatePhase phase={PHASE.timeline}>
        <TimelinePanel />
      </GatePhase>
      <main className="app-main">
        <div className="hosts">
          <GatePhase phase={PHASE.hostA}>
            <HostPanel host={0} />
          </GatePhase>
          <GatePhase phase={PHASE.link}>
            <LinkLane />
          </GatePhase>
          <GatePhase phase={PHASE.hostB}>
            <HostPanel host={1} />
          </GatePhase>
        </div>
        <GatePhase phase={PHASE.pump}>
          <MigrationPump />
        </GatePhase>
        <GatePhase phase={PHASE.migration}>
          <MigrationView />
        </GatePhase>
        <GatePhase phase={PHASE.streams}>
          <StreamsView />
        </GatePhase>
        <div className="timeline-layout">
          <GatePhase phase={PHASE.eventLog}>
            <EventLog />
          </GatePhase>
          <GatePhase phase={PHASE.inspector}>
            <Inspector />
          </GatePhase>
        </div>
      </main>
      <HelpSheet />
    </div>
  )
}
