/**
 * Polls `probe` every 100 ms until `pred` holds, and returns that value; on time-out, fails with the last value
 * seen. The one waiting loop of the shop's end-to-end tests (no fixed sleeps as assertions).
 *
 * @example
 * const items = await waitFor(() => queueItems(page), (q) => q.length === 1, 'one chat in the queue');
 */
export async function waitFor<T>(probe: () => Promise<T>, pred: (v: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await probe();
    if (pred(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last, null, 1)}`);
}
