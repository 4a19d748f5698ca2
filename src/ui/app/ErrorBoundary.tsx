import { Component, type ErrorInfo, type ReactNode } from 'react'

interface State {
  readonly error: Error | null
}

/** A render error shows its message instead of a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null }

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) }
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('Migration Lab: the interface crashed', error, info.componentStack)
  }

  override render(): ReactNode {
    const { error } = this.state
    if (!error) return this.props.children
    return (
      <div className="banner banner-error" role="alert" data-testid="banner.crash">
        <span>
          <strong>The interface stopped with an error:</strong> {error.message}
        </span>
        <button type="button" onClick={() => location.reload()}>
          Reload
        </button>
      </div>
    )
  }
}
