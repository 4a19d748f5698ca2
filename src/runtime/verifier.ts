/**
 * The main thread's side of the integrity verifier worker (protocol: verifyProtocol.ts). One
 * verification at a time: a newer request (or `cancel`) terminates the worker in the middle of its
 * reference replay and settles the older request as `superseded`, so an answer is never stale.
 * The worker is started lazily and kept for the next request once it has answered.
 *
 * No DOM globals here: the caller passes how to start the worker (a Vite module worker in the
 * browser, a fake in the unit tests).
 */
import type { ParsedTrace } from './trace'
import type { VerifyInput, VerifyResult } from './verify'
import {
  VERIFY_PROTOCOL_VERSION,
  type FromVerifier,
  type ToVerifier,
  type VerifyRequest,
} from './verifyProtocol'

/** A started verifier worker. */
export interface VerifierEndpoint {
  post(m: ToVerifier, transfer: ArrayBuffer[]): void
  /** `onFailure`: the worker failed to load, threw outside a request or sent an undecodable message. */
  listen(onMessage: (m: FromVerifier) => void, onFailure: (message: string) => void): void
  terminate(): void
}

export type VerifyOutcome =
  | { readonly status: 'verified'; readonly result: VerifyResult; readonly ms: number }
  /** A newer request or `cancel()` came first. */
  | { readonly status: 'superseded' }

interface Pending {
  readonly id: number
  readonly resolve: (o: VerifyOutcome) => void
  readonly reject: (e: Error) => void
  readonly onProgress: ((fraction: number) => void) | undefined
}

const isShared = (b: ArrayBufferLike): boolean =>
  typeof SharedArrayBuffer === 'function' && b instanceof SharedArrayBuffer

/** Parsed traces copied once into shared memory (every later request shares them, no copy). */
const sharedTraces = new WeakMap<ParsedTrace, ParsedTrace>()

function shareable(t: ParsedTrace): ParsedTrace {
  if (typeof SharedArrayBuffer !== 'function' || isShared(t.vpage.buffer)) return t
  let s = sharedTraces.get(t)
  if (!s) {
    const copy = <A extends Float64Array | Int32Array | Uint8Array>(
      a: A,
      make: (b: SharedArrayBuffer) => A,
    ): A => {
      const c = make(new SharedArrayBuffer(a.byteLength))
      c.set(a)
      return c
    }
    s = {
      ...t,
      vpage: copy(t.vpage, (b) => new Float64Array(b)),
      off: copy(t.off, (b) => new Int32Array(b)),
      flag: copy(t.flag, (b) => new Uint8Array(b)),
    }
    sharedTraces.set(t, s)
  }
  return s
}

export class IntegrityVerifier {
  private readonly spawn: () => VerifierEndpoint
  private endpoint: VerifierEndpoint | null = null
  private pending: Pending | null = null
  private ids = 0
  private disposed = false

  constructor(spawn: () => VerifierEndpoint) {
    this.spawn = spawn
  }

  /** True while a verification runs. */
  get busy(): boolean {
    return this.pending !== null
  }

  /**
   * Verifies `input` in the worker (cancelling any verification in flight). Frames in shared memory
   * are shared; others are copied (the copy is transferred). Rejects with the worker's error.
   */
  verify(input: VerifyInput, onProgress?: (fraction: number) => void): Promise<VerifyOutcome> {
    this.cancel()
    if (this.disposed) return Promise.resolve({ status: 'superseded' })
    const id = ++this.ids
    return new Promise<VerifyOutcome>((resolve, reject) => {
      this.pending = { id, resolve, reject, onProgress }
      try {
        const transfer: ArrayBuffer[] = []
        const frame = (f: Uint8Array): Uint8Array => {
          if (isShared(f.buffer)) return f
          const c = f.slice()
          transfer.push(c.buffer)
          return c
        }
        const msg: VerifyRequest = {
          type: 'verify',
          version: VERIFY_PROTOCOL_VERSION,
          id,
          scenario: input.scenario,
          tick: input.tick,
          states: input.states,
          frames: [frame(input.frames[0]), frame(input.frames[1])],
          ...(input.trace ? { trace: shareable(input.trace) } : {}),
        }
        this.ensureEndpoint().post(msg, transfer)
      } catch (e) {
        this.fail(e instanceof Error ? e.message : String(e))
      }
    })
  }

  /** Stops the verification in flight, if any (its promise resolves as superseded). */
  cancel(): void {
    const p = this.pending
    if (!p) return
    this.pending = null
    // The reference replay runs to its end once started: only terminating the worker stops it.
    this.endpoint?.terminate()
    this.endpoint = null
    p.resolve({ status: 'superseded' })
  }

  dispose(): void {
    this.disposed = true
    this.cancel()
    this.endpoint?.terminate()
    this.endpoint = null
  }

  private ensureEndpoint(): VerifierEndpoint {
    if (this.endpoint) return this.endpoint
    const ep = this.spawn()
    this.endpoint = ep
    ep.listen(
      (m) => {
        if (ep === this.endpoint) this.onMessage(m)
      },
      (message) => {
        if (ep !== this.endpoint) return
        ep.terminate()
        this.endpoint = null
        this.fail(message)
      },
    )
    return ep
  }

  private onMessage(m: FromVerifier): void {
    const p = this.pending
    if (!p || m.id !== p.id) return
    switch (m.type) {
      case 'progress':
        p.onProgress?.(m.fraction)
        return
      case 'verified':
        this.pending = null
        p.resolve({ status: 'verified', result: m.result, ms: m.ms })
        return
      case 'error':
        this.pending = null
        p.reject(new Error(m.message))
        return
    }
  }

  private fail(message: string): void {
    const p = this.pending
    if (!p) return
    this.pending = null
    p.reject(new Error(message))
  }
}
