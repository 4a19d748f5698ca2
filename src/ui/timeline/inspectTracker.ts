/** Counts inspector requests in flight (the test API's waitForIdle waits for none). */
let pending = 0

export const inspectPending = (): number => pending

/** Wraps an inspection so it is counted while pending. */
export async function tracked<T>(p: Promise<T>): Promise<T> {
  pending++
  try {
    return await p
  } finally {
    pending--
  }
}
