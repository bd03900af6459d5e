// Issue 15 on the in-memory store: retention with a faked clock, data-subject find → export → erase, card
// masking on receipt (scenarios in privacy.ts, shared with the Redis run), and the retention options' errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTemperServer, toRetention } from '@temper/server';
import { SECRET, start } from './helpers.ts';
import { callbackContactScenario, cardMaskingScenario, dataSubjectScenario, retentionScenario } from './privacy.ts';

test('retention (memory, faked clock): signals after 7 days, staff names after 14, transcripts after 30, audit archived to JSON Lines then pruned after 60', async () => {
  await retentionScenario(start);
});

test('data-subject request (memory): find by reference or user id, export JSON, erase with the audit anonymised; reports still add up', async () => {
  await dataSubjectScenario(start);
});

test('card numbers are masked on receipt, visitor and agent, before the store, the console API and the bot see them (memory)', async () => {
  await cardMaskingScenario(start);
});

test('a callback phone number that passes Luhn is masked in the transcript but kept usable for staff (memory)', async () => {
  await callbackContactScenario(start);
});

test('retention options: defaults, and clear errors for bad values, unknown keys and contradictions', () => {
  const DAY = 86_400_000;
  assert.deepEqual(toRetention(undefined, undefined), { transcriptsMs: 30 * DAY, signalsMs: 7 * DAY, staffNamesMs: 30 * DAY, auditMs: 30 * DAY, sweepMs: 3_600_000, archive: null });
  assert.equal(toRetention({ transcriptsDays: 3 }, undefined).signalsMs, 3 * DAY, 'signals default to at most the transcript days');
  assert.equal(toRetention({ auditDays: 2200 }, undefined).auditMs, 2200 * DAY, 'six years and more');
  assert.equal(toRetention(undefined, 5 * DAY).auditMs, 5 * DAY, 'auditRetentionMs still works');
  const bad: Array<[unknown, RegExp]> = [
    [{ transcriptsDays: 0 }, /retention\.transcriptsDays must be a number of days > 0/],
    [{ auditDays: 40_000 }, /retention\.auditDays must be .* ≤ 36525/],
    [{ signalsDays: '7' }, /retention\.signalsDays/],
    [{ transcriptsDays: 10, signalsDays: 20 }, /signalsDays \(20\) is longer than transcriptsDays \(10\)/],
    [{ transcriptsDays: 10, staffNamesDays: 11 }, /staffNamesDays \(11\) is longer/],
    [{ transcriptDays: 10 }, /retention\.transcriptDays is not an option/],
    [{ sweepMs: 10 }, /sweepMs must be ≥ 1000/],
    [{ auditArchive: {} }, /auditArchive must be \{ dir: string \} or \{ write/],
    [{ auditArchive: { dir: '/tmp/x', write: async () => {} } }, /auditArchive must be/],
  ];
  for (const [o, re] of bad) assert.throws(() => toRetention(o as never, undefined), re, JSON.stringify(o));
  assert.throws(() => toRetention({ auditDays: 10 }, DAY), /not both/);
  assert.throws(() => createTemperServer({ secret: SECRET, retention: { signalsDays: -1 } }), /retention\.signalsDays/);
});

test('a callback archive gets the entries before they are pruned; when it fails, nothing is pruned and the next sweep retries', async () => {
  let fail = true;
  const got: unknown[] = [];
  const s = await start({ retention: { auditDays: 1, auditArchive: { write: async (entries) => {
    if (fail) throw new Error('archive offline');
    got.push(...entries);
  } } } });
  try {
    const t0 = s.clock.t;
    for (let i = 0; i < 3; i++) await s.handler.store.appendAudit({ at: t0 - i, conversationId: `c${i}`, action: 'opened', level: null, trend: null, reasons: [] });
    s.clock.t = t0 + 2 * 86_400_000;
    await assert.rejects(s.handler.runRetention(), /archive offline/);
    assert.equal((await s.handler.store.readAudit()).length, 3, 'nothing pruned');
    assert.equal(s.handler.stats().retention.failures, 1);
    fail = false;
    const r = await s.handler.runRetention();
    assert.deepEqual([r.auditArchived, r.auditPruned], [3, 3]);
    assert.deepEqual(got.map((e) => (e as { conversationId: string }).conversationId), ['c2', 'c1', 'c0'], 'oldest first');
    assert.equal((await s.handler.store.readAudit()).length, 0);
  } finally {
    await s.close();
  }
});

test('retention passes page through many conversations active at the same ms (more than a page) without stalling', async () => {
  const s = await start({ retention: { transcriptsDays: 30, signalsDays: 7, staffNamesDays: 7 } });
  try {
    const t0 = s.clock.t;
    const store = s.handler.store;
    for (let i = 0; i < 250; i++) {
      await store.createConversation({ id: `tie-${i}`, createdAt: t0, state: 'closed', meta: { lastAgentName: 'Mei' } });
      await store.recordSignal(`tie-${i}`, { seq: 1, level: 2, trend: 1, at: t0 });
    }
    s.clock.t = t0 + 8 * 86_400_000;
    const r = await s.handler.runRetention();
    assert.equal(r.signalsCleared, 250);
    assert.equal(r.staffNamesRemoved, 250);
    for (let i = 0; i < 250; i += 50) assert.equal(await store.getSignalState(`tie-${i}`), null);
    s.clock.t = t0 + 31 * 86_400_000;
    assert.equal((await s.handler.runRetention()).transcriptsDeleted, 250);
  } finally {
    await s.close();
  }
});
