/** Transcript events for `replay` (shared by the core and the main thread, which checks them before sending). */

/** One event of a stored transcript, for `replay`. */
export type ReplayEvent =
  | { readonly from: 'visitor'; readonly text: string; readonly at: number }
  | { readonly from: 'bot' | 'agent'; readonly understood?: boolean; readonly at: number };

/**
 * Why a transcript cannot be replayed, or null when it can.
 *
 * @example
 * ```ts
 * replayEventsProblem([{ from: 'visitor', text: 'hi', at: Date.now() }]); // null
 * ```
 */
export function replayEventsProblem(events: unknown): string | null {
  if (!Array.isArray(events)) return 'replay: events must be an array';
  for (const [i, e] of (events as unknown[]).entries()) {
    const ev = e as Partial<Record<'from' | 'text' | 'understood' | 'at', unknown>> | null;
    const timed = !!ev && typeof ev.at === 'number' && Number.isFinite(ev.at);
    const ok =
      timed &&
      (ev.from === 'visitor'
        ? typeof ev.text === 'string'
        : (ev.from === 'bot' || ev.from === 'agent') && (ev.understood === undefined || typeof ev.understood === 'boolean'));
    if (!ok) return `replay: bad event at index ${i} (want {from: 'visitor', text, at} or {from: 'bot'|'agent', understood?, at})`;
  }
  return null;
}
