/** Messages of the trace parser worker (traceParse.worker.ts). */
import type { ParsedTrace } from '../../runtime/trace'

export interface ToParser {
  readonly file: File
  readonly pageSize: number
  readonly name: string
}

export type FromParser =
  | {
      readonly type: 'progress'
      readonly bytes: number
      readonly total: number
      readonly accesses: number
    }
  | { readonly type: 'done'; readonly trace: ParsedTrace }
  | { readonly type: 'error'; readonly message: string }
