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
import { useAppStoreApi } from './storeContext'
import { parseUrlParams } from './urlParams'

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
      <TimelinePanel />
      <main className="app-main">
        <div className="hosts">
          <HostPanel host={0} />
          <LinkLane />
          <HostPanel host={1} />
        </div>
        <MigrationPump />
        <MigrationView />
        <StreamsView />
        <div className="timeline-layout">
          <EventLog />
          <Inspector />
        </div>
      </main>
      <HelpSheet />
    </div>
  )
}
