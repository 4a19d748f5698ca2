import { Banners } from '../components/Banners'
import { EventLog } from '../components/EventLog'
import { HostPanel } from '../components/HostPanel'
import { RuntimeStatus } from '../components/RuntimeStatus'
import { ScenarioPicker } from '../components/ScenarioPicker'
import { Toolbar } from '../components/Toolbar'
import { useKeyboardShortcuts } from '../hooks/useKeyboardShortcuts'
import { LinkLane } from '../viz/LinkLane'
import { useAppStoreApi } from './storeContext'

export function App() {
  const store = useAppStoreApi()
  useKeyboardShortcuts(store)
  return (
    <div className="app">
      <header className="app-header">
        <h1>Migration Lab</h1>
        <Toolbar />
        <ScenarioPicker />
        <RuntimeStatus />
      </header>
      <Banners />
      <main className="app-main">
        <div className="hosts">
          <HostPanel host={0} />
          <LinkLane />
          <HostPanel host={1} />
        </div>
        <EventLog />
      </main>
    </div>
  )
}
