// The scoring state machine (src/scoring/machine.ts), in Node: every state, every event, and what a message
// means in each state. The glue moves only through next(), so this table is the scorer's behaviour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ON_MESSAGE, TRANSITIONS, next, type ScoringEvent, type ScoringState } from '../src/scoring/machine.ts';

const STATES: ScoringState[] = ['off', 'loading', 'standby', 'ready', 'unavailable'];
const EVENTS: ScoringEvent[] = ['enable', 'disable', 'lock-busy', 'lock-acquired', 'scorer-ready', 'scorer-failed'];

test('scoring machine: the happy path, another tab, failure and the off switch', () => {
  assert.equal(next('off', 'enable'), 'loading');
  assert.equal(next('loading', 'scorer-ready'), 'ready');
  assert.equal(next('loading', 'lock-busy'), 'standby');
  assert.equal(next('standby', 'lock-acquired'), 'loading', 'the other tab closed: this one loads its scorer');
  assert.equal(next('loading', 'scorer-failed'), 'unavailable');
  assert.equal(next('ready', 'scorer-failed'), 'unavailable', 'a worker that crashed later');
  for (const s of ['loading', 'standby', 'ready', 'unavailable'] as const) assert.equal(next(s, 'disable'), 'off', `${s} → off`);
});

test('scoring machine: events that mean nothing in a state change nothing', () => {
  // A scorer that finished loading after the visitor switched scoring off must not make it ready.
  assert.equal(next('off', 'scorer-ready'), null);
  assert.equal(next('off', 'scorer-failed'), null, 'no scorer-unavailable error while off');
  assert.equal(next('unavailable', 'scorer-ready'), null, 'degraded stays degraded until switched off and on');
  assert.equal(next('ready', 'enable'), null);
  assert.equal(next('standby', 'scorer-ready'), null, 'no scorer runs in standby');
  // Every state is reachable from off, and every state can be switched off except off itself.
  const reached = new Set<ScoringState>(['off']);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of [...reached]) for (const e of EVENTS) {
      const to = next(s, e);
      if (to && !reached.has(to)) reached.add(to), (grew = true);
    }
  }
  assert.deepEqual([...reached].sort(), [...STATES].sort());
  assert.deepEqual(Object.keys(TRANSITIONS).sort(), [...STATES].sort());
});

test('scoring machine: messages before the scorer is ready are deferred, never dropped, never scored as calm', () => {
  // Deferred = kept in the transcript after the record's upTo and read live on scorer-ready (catchUp), so a
  // changed level is sent then; until then nothing is sent (no made-up level).
  assert.equal(ON_MESSAGE.loading, 'defer');
  assert.equal(ON_MESSAGE.standby, 'defer');
  assert.equal(ON_MESSAGE.ready, 'score');
  assert.equal(ON_MESSAGE.off, 'ignore');
  assert.equal(ON_MESSAGE.unavailable, 'ignore');
  // The only way out of deferring into scoring is scorer-ready.
  for (const s of ['loading', 'standby'] as const)
    for (const e of EVENTS) {
      const to = next(s, e);
      if (to && ON_MESSAGE[to] === 'score') assert.equal(e, 'scorer-ready', `${s} --${e}--> ${to}`);
    }
});
