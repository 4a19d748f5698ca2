import { useRef, useState, type RefObject } from 'react'
import { selectReady } from '../../store/selectors'
import { useAppStore, useAppStoreApi } from '../app/storeContext'
import { shareUrl } from '../timeline/share'
import { downloadText, slug } from './download'
import { exportPng, exportSvg } from './image'
import { csvFor, loadRunText, saveRunText, traceFor } from './runActions'

/**
 * Share and export: copy a link to this moment, save / load a run (hash verified on load), export
 * a Perfetto trace, metrics as CSV, and the timeline chart as SVG or PNG. Every message is text.
 */
export function ExportPanel({ chart }: { readonly chart: RefObject<SVGSVGElement | null> }) {
  const store = useAppStoreApi()
  const ready = useAppStore(selectReady)
  const [link, setLink] = useState('')
  const [status, setStatus] = useState('')
  const fileRef = useRef<HTMLInputElement>(null)
  const name = () => slug(store.getState().scenario?.name ?? 'run')

  const guard = async (what: string, fn: () => unknown) => {
    try {
      await fn()
    } catch (e) {
      setStatus(`${what} failed: ${(e as Error).message}`)
    }
  }

  return (
    <section className="export" aria-label="Share and export" data-testid="export">
      <button
        type="button"
        data-testid="share.copy"
        disabled={!ready}
        onClick={() => {
          const url = shareUrl(store)
          setLink(url)
          navigator.clipboard
            ?.writeText(url)
            .then(() => setStatus('Link copied.'))
            .catch(() => setStatus('Link shown below (the clipboard is not available).'))
        }}
      >
        Copy link
      </button>
      {link ? (
        <input
          className="share-link"
          readOnly
          aria-label="Link to this moment"
          data-testid="share.link"
          value={link}
          onFocus={(e) => e.currentTarget.select()}
        />
      ) : null}
      <button
        type="button"
        data-testid="export.saveRun"
        disabled={!ready}
        onClick={() =>
          void guard('Save', () => {
            downloadText(saveRunText(store), `${name()}.run.json`)
            setStatus('Run saved.')
          })
        }
      >
        Save run
      </button>
      <button type="button" data-testid="export.loadRun" onClick={() => fileRef.current?.click()}>
        Load run…
      </button>
      <input
        ref={fileRef}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="export.loadRunFile"
        onChange={(e) => {
          const file = e.target.files?.[0]
          e.target.value = ''
          if (!file) return
          void guard('Load', async () => {
            setStatus(`Loading ${file.name}…`)
            await loadRunText(store, await file.text(), `Saved run ${file.name}`)
            setStatus(`${file.name}: loaded and verified.`)
          })
        }}
      />
      <button
        type="button"
        data-testid="export.trace"
        disabled={!ready}
        title="Chrome / Perfetto trace-event JSON (open it in ui.perfetto.dev)"
        onClick={() =>
          void guard('Trace export', () =>
            downloadText(JSON.stringify(traceFor(store)), `${name()}.trace.json`),
          )
        }
      >
        Perfetto trace
      </button>
      <button
        type="button"
        data-testid="export.csv"
        disabled={!ready}
        onClick={() =>
          void guard('CSV export', () =>
            downloadText(csvFor(store), `${name()}.metrics.csv`, 'text/csv'),
          )
        }
      >
        Metrics CSV
      </button>
      <button
        type="button"
        data-testid="export.svg"
        disabled={!ready}
        onClick={() =>
          void guard('SVG export', () => {
            if (chart.current) exportSvg(chart.current, `${name()}.timeline.svg`)
          })
        }
      >
        Timeline SVG
      </button>
      <button
        type="button"
        data-testid="export.png"
        disabled={!ready}
        onClick={() =>
          void guard('PNG export', async () => {
            if (chart.current) await exportPng(chart.current, `${name()}.timeline.png`)
          })
        }
      >
        Timeline PNG
      </button>
      <span className="export-status" role="status" data-testid="export.status">
        {status}
      </span>
    </section>
  )
}
