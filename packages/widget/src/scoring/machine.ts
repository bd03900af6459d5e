// The scoring state machine: every state the scorer can be in, the events that move it, and what happens to a
// transcript message in each state. The glue (scoring.ts) only moves through `next()`, so a transition that is
// not in the table (a late "scorer ready" after the visitor switched scoring off) changes nothing.

/**
 * Mirrored on the host element as `data-scoring` so pages and tests can wait for it.
 * - `off`: the host, Global Privacy Control or the visitor turned it off; nothing loads, nothing is sent.
 * - `loading`: createScorer, its worker, the wasm and the model are on their way.
 * - `standby`: another tab of this site scores the same conversation (tab-lock.ts).
 * - `ready`: messages are scored as they arrive; a changed level or trend is sent.
 * - `unavailable`: the scorer could not start or stopped working (degraded): nothing is ever sent.
 */
export type ScoringState = 'off' | 'loading' | 'standby' | 'ready' | 'unavailable';

export type ScoringEvent =
  /** The visitor (or the host's default) turned scoring on. */
  | 'enable'
  /** The visitor turned it off. */
  | 'disable'
  /** Another tab holds the scorer lock. */
  | 'lock-busy'
  /** This tab got the lock: load the scorer (again, from the other tab's stored record). */
  | 'lock-acquired'
  /** The scorer started: the messages deferred while loading are scored now (`catchUp`). */
  | 'scorer-ready'
  | 'scorer-failed';

export const TRANSITIONS: { readonly [S in ScoringState]: Readonly<Partial<Record<ScoringEvent, ScoringState>>> } = {
  off: { enable: 'loading' },
  loading: { 'lock-busy': 'standby', 'lock-acquired': 'loading', 'scorer-ready': 'ready', 'scorer-failed': 'unavailable', disable: 'off' },
  standby: { 'lock-acquired': 'loading', disable: 'off' },
  ready: { 'scorer-failed': 'unavailable', disable: 'off' },
  unavailable: { disable: 'off' },
};

/**
 * What a message joining the transcript means in each state:
 * - `score`: read now; a changed level is sent at once;
 * - `defer`: kept (it is in the transcript, after the record's `upTo`) and scored on `scorer-ready` — the host
 *   hears nothing until then: no signal is made up while the scorer loads (never a fake calm);
 * - `ignore`: never scored (off, unavailable).
 */
export const ON_MESSAGE: { readonly [S in ScoringState]: 'score' | 'defer' | 'ignore' } = {
  off: 'ignore',
  loading: 'defer',
  standby: 'defer',
  ready: 'score',
  unavailable: 'ignore',
};

/**
 * The state after `event`, or null when the event means nothing in `state` (it is then ignored).
 *
 * @example
 * next('loading', 'scorer-ready'); // 'ready'
 * next('off', 'scorer-ready');     // null: a scorer that finished loading after the switch-off is dropped
 */
export function next(state: ScoringState, event: ScoringEvent): ScoringState | null {
  return TRANSITIONS[state][event] ?? null;
}
