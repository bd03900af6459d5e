// POSTs the signals the scorer's minimizer produced, as they are: one at a time, retried with backoff while
// the server cannot take them, and only the latest — a signal superseded by a newer one is not sent late.
import type { Signal } from '@temper/protocol';
import { backoff } from '../core/backoff.js';

export interface SignalSenderDeps {
  /** POSTs the signal; resolves to the HTTP status (null: no conversation), rejects when it did not reach the server. */
  post(signal: Signal): Promise<number | null>;
  /** The signal reached the server (whatever it answered): it left the device, so "What's shared" lists it. */
  reached(signal: Signal): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const retryable = (status: number) => status >= 500 || status === 401 || status === 403 || status === 408 || status === 429;

/**
 * A sender for one scorer run; `cancel()` (switched off, forgotten, stopped) drops what is pending.
 *
 * @example
 * const sender = createSignalSender({ post: (s) => conv.postSignal(s), reached: (s) => list(s) });
 * sender.send(signal);
 */
export function createSignalSender(d: SignalSenderDeps) {
  let latest: Signal | null = null;
  let dead = false;
  let posting: Promise<unknown> = Promise.resolve();
  return {
    send(signal: Signal): void {
      latest = signal;
      posting = posting
        .then(async () => {
          let reached = false;
          for (let attempt = 0; ; attempt++) {
            // Superseded by a newer signal, or cancelled: the server only needs the latest state.
            if (dead || latest !== signal) return;
            let status: number | null = 0;
            try {
              status = await d.post(signal);
            } catch {
              // The request did not reach the server: not shared (yet); try again.
            }
            if (status === null || dead) return;
            if (status && !reached) {
              reached = true;
              d.reached(signal);
            }
            if (status && !retryable(status)) return;
            await sleep(backoff(attempt));
          }
        })
        .catch(() => undefined);
    },
    cancel(): void {
      dead = true;
      latest = null;
    },
  };
}
export type SignalSender = ReturnType<typeof createSignalSender>;
