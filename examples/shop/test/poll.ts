import { waitFor as poll } from '../../../packages/server/test/helpers.ts';

/**
 * Polls `probe` every 100 ms until `pred` holds, and returns that value; on time-out, fails with the last value
 * seen. The shop's end-to-end tests wait with this (no fixed sleeps as assertions); it is the Node tests' one
 * polling loop (packages/server/test/helpers.ts) at a pace that suits page probes.
 *
 * @example
 * const items = await waitFor(() => queueItems(page), (q) => q.length === 1, 'one chat in the queue');
 */
export function waitFor<T>(probe: () => Promise<T>, pred: (v: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  return poll(probe, pred, what, timeoutMs, 100);
}
