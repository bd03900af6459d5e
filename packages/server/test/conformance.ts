// One conformance suite for every implementation of `Store` and `Coordination`: the in-memory ones
// (conformance-memory.test.ts, always) and @temper/server-redis against a real redis-server
// (packages/server-redis/test/conformance.test.ts). Each case opens two "instances" that share state — for
// Redis two backends with their own connections on one Redis, for memory the same object twice — so what is
// checked across instances is checked for real where there are two.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MessageEvent, ServerEvent } from '@temper/protocol';
import { LockTimeoutError, type AuditEntry, type Coordination, type Store, type StoredEvent } from '@temper/server';
import { until } from './helpers.ts';

/** Two views of one shared store. */
export interface StorePair {
  a: Store;
  b: Store;
  close(): Promise<void>;
}

/** Two views of one shared coordination. */
export interface CoordinationPair {
  a: Coordination;
  b: Coordination;
  /**
   * Kills instance `a` as a crash would: connections cut, nothing released, no more renewals. Absent where
   * a holder cannot die alone (one process).
   */
  crashA?: () => Promise<void>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const typing = (active: boolean): ServerEvent => ({ type: 'typing', from: 'bot', active });
const botMessage = (n: number): ServerEvent => ({ type: 'message', id: `m${n}`, from: 'bot', text: `reply ${n} — 你好`, at: 1_700_000_000_000 + n });
const visitorMessage = (clientId: string, text = 'hello'): MessageEvent & { clientId: string } => ({
  type: 'message',
  id: `v-${clientId}`,
  from: 'visitor',
  text,
  at: 1_700_000_000_000,
  clientId,
});
const conv = (id: string, state: 'bot' | 'queued' | 'agent' | 'closed' = 'bot', meta: Record<string, unknown> = {}) => ({
  id,
  createdAt: 1_700_000_000_000,
  state,
  meta,
});

/** Resolves when `check()` holds, polling; rejects with `what` after `ms`. */
/**
 * Registers the Store conformance cases under `describe(name)`. `open` makes a fresh, empty pair per case.
 *
 * @example
 * storeConformance('memory', async () => { const s = createMemoryStore(); return { a: s, b: s, close: () => s.close() }; });
 */
export function storeConformance(name: string, open: () => Promise<StorePair>): void {
  const each = (title: string, fn: (p: StorePair) => Promise<void>) =>
    test(title, async () => {
      const p = await open();
      try {
        await fn(p);
      } finally {
        await p.close();
      }
    });

  describe(`Store conformance: ${name}`, () => {
    each('records: create, get, update merges meta one level deep, duplicates and unknown ids', async ({ a, b }) => {
      await a.createConversation({ ...conv('c1'), locale: 'zh-CN', meta: { route: 'bot', nested: { x: 1 }, list: [] } });
      await assert.rejects(b.createConversation(conv('c1')), /exists/);
      assert.deepEqual(await b.getConversation('c1'), { ...conv('c1'), locale: 'zh-CN', meta: { route: 'bot', nested: { x: 1 }, list: [] } });
      assert.equal(await b.getConversation('nope'), null);
      const r = await b.updateConversation('c1', { lastVisitorAt: 5, meta: { tone: 'careful', nested: { y: 2 } } });
      assert.deepEqual(r?.meta, { route: 'bot', tone: 'careful', nested: { y: 2 }, list: [] });
      assert.equal(r?.lastVisitorAt, 5);
      assert.deepEqual(await a.getConversation('c1'), r);
      assert.equal(await a.updateConversation('nope', { state: 'closed' }), null);
      assert.deepEqual((await a.listConversations()).sort(), ['c1']);
    });

    each('event ids are 1, 2, 3… without gaps under concurrent appends from two instances', async ({ a, b }) => {
      await a.createConversation(conv('c1'));
      const n = 60;
      const results = await Promise.all(Array.from({ length: n }, (_, i) => (i % 2 ? a : b).appendEvent('c1', botMessage(i))));
      assert.deepEqual(results.map((r) => r.id).sort((x, y) => x - y), Array.from({ length: n }, (_, i) => i + 1));
      const log = await b.readEvents('c1', 0);
      assert.deepEqual(log.map((e) => e.id), Array.from({ length: n }, (_, i) => i + 1));
      // Each stored event is the one whose append returned that id.
      for (const r of results) assert.deepEqual(log[r.id - 1], r);
      await assert.rejects(a.appendEvent('nope', typing(true)), /unknown conversation/);
    });

    each('visitor appends are idempotent by clientId under concurrent retries on two instances', async ({ a, b }) => {
      await a.createConversation(conv('c1'));
      await a.appendEvent('c1', typing(true));
      const tries = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).appendVisitorMessage('c1', visitorMessage('client-0001'))));
      const fresh = tries.filter((t) => !t.duplicate);
      assert.equal(fresh.length, 1, 'stored exactly once');
      const stored = fresh[0]!.stored;
      assert.equal(stored.id, 2);
      for (const t of tries) assert.deepEqual(t.stored, stored, 'every retry answers with the stored event');
      const other = await b.appendVisitorMessage('c1', visitorMessage('client-0002', 'second'));
      assert.equal(other.duplicate, false);
      assert.equal(other.stored?.id, 3);
      assert.deepEqual((await a.readEvents('c1', 0)).map((e) => e.id), [1, 2, 3]);
      await assert.rejects(a.appendVisitorMessage('nope', visitorMessage('client-0003')), /unknown conversation/);
    });

    each('signals: seq compare-and-set refuses stale and equal seqs, even when racing', async ({ a, b }) => {
      await a.createConversation(conv('c1'));
      assert.equal(await a.getSignalState('c1'), null);
      const ok1 = await a.recordSignal('c1', { seq: 1, level: 1, trend: 1, at: 10 });
      assert.equal(ok1.ok, true);
      assert.equal((await b.recordSignal('c1', { seq: 3, level: 2, trend: 1, at: 20 })).ok, true);
      assert.deepEqual(await a.recordSignal('c1', { seq: 2, level: 0, trend: -1, at: 30 }), { ok: false, reason: 'stale', lastSeq: 3 });
      assert.deepEqual(await b.recordSignal('c1', { seq: 3, level: 0, trend: -1, at: 30 }), { ok: false, reason: 'stale', lastSeq: 3 });
      const race = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).recordSignal('c1', { seq: 4, level: 3, trend: 0, at: 40 + i })));
      assert.equal(race.filter((r) => r.ok).length, 1, 'exactly one of ten equal seqs is accepted');
      const s = await b.getSignalState('c1');
      assert.equal(s?.seq, 4);
      assert.equal(s?.level, 3);
      assert.deepEqual(s?.history.map((h) => h.seq), [1, 3, 4]);
      assert.deepEqual(await a.recordSignal('nope', { seq: 1, level: 1, trend: 0, at: 1 }), { ok: false, reason: 'not-found' });
    });

    each('signal history keeps the last 50, oldest first', async ({ a }) => {
      await a.createConversation(conv('c1'));
      let last;
      for (let seq = 1; seq <= 55; seq++) last = await a.recordSignal('c1', { seq, level: (seq % 4) as 0 | 1 | 2 | 3, trend: 0, at: seq });
      assert.equal(last?.ok, true);
      const s = await a.getSignalState('c1');
      assert.equal(s?.history.length, 50);
      assert.equal(s?.history[0]?.seq, 6);
      assert.equal(s?.history[49]?.seq, 55);
      assert.deepEqual(last?.ok && last.state, s);
    });

    each('an update merges into the stored record even when another instance changed it, or deleted and re-created the id, since this one read it', async ({ a, b }) => {
      await a.createConversation(conv('c1', 'bot', { from: 'first' }));
      assert.equal((await a.getConversation('c1'))?.meta['from'], 'first');
      await b.updateConversation('c1', { meta: { other: 1 } });
      assert.deepEqual((await a.updateConversation('c1', { meta: { mine: 1 } }))?.meta, { from: 'first', other: 1, mine: 1 });
      assert.equal((await a.getConversation('c1'))?.state, 'bot');
      // Same id, same number of writes since creation: only the record itself tells them apart.
      await b.deleteConversation('c1');
      await b.createConversation(conv('c1', 'queued', { from: 'second' }));
      await b.updateConversation('c1', { meta: { other: 2 } });
      await b.updateConversation('c1', { meta: { mine: 2 } });
      assert.deepEqual(await a.updateConversation('c1', { state: 'agent', meta: { agentId: 'x' } }), {
        ...conv('c1', 'agent'),
        meta: { from: 'second', other: 2, mine: 2, agentId: 'x' },
      });
      assert.deepEqual((await b.listByState('agent')).map((r) => r.id), ['c1']);
      assert.deepEqual(await b.listByState('queued'), []);
    });

    each('callers cannot change stored records or signal state through what they passed in or got back', async ({ a, b }) => {
      // An implementation may hand out copies or frozen objects; either way a mutation must not reach the store.
      const attempt = (change: () => void) => {
        try {
          change();
        } catch (e) {
          assert.ok(e instanceof TypeError, `a refused mutation throws a TypeError, got ${String(e)}`);
        }
      };
      const input = conv('c1', 'bot', { nested: { x: 1 }, list: [1] });
      await a.createConversation(input);
      input.meta['nested'] = { x: 2 };
      const patch = { meta: { tone: 'careful', reasons: ['level-2'] } };
      const updated = await a.updateConversation('c1', patch);
      patch.meta.reasons.push('changed');
      const expected = { ...conv('c1'), meta: { nested: { x: 1 }, list: [1], tone: 'careful', reasons: ['level-2'] } };
      const moved = await a.transition('c1', ['queued'], { state: 'agent' });
      const got = [
        updated!,
        moved.record!,
        (await b.getConversation('c1'))!,
        (await b.listByState('bot'))[0]!,
      ];
      for (const r of got) {
        attempt(() => void (r.state = 'closed'));
        attempt(() => void (r.meta['tone'] = 'neutral'));
        attempt(() => void ((r.meta['nested'] as { x: number }).x = 9));
        attempt(() => void (r.meta['reasons'] as string[]).push('x'));
      }
      assert.deepEqual(await a.getConversation('c1'), expected);
      assert.deepEqual((await b.listByState('bot')).map((r) => r.meta), [expected.meta]);

      const w = await a.recordSignal('c1', { seq: 1, level: 2, trend: 1, at: 10 });
      assert.ok(w.ok, 'w.ok');
      const read = (await b.getSignalState('c1'))!;
      const kept = (await a.getSignalState('c1'))!;
      const keptCopy = structuredClone(kept);
      for (const s of [w.state, read]) {
        attempt(() => void (s.level = 0));
        attempt(() => void (s.history[0]!.level = 0));
        attempt(() => void s.history.push({ seq: 9, level: 3, trend: 1, at: 11 }));
      }
      assert.ok((await a.recordSignal('c1', { seq: 2, level: 3, trend: 1, at: 20 })).ok, '(await a.recordSignal(\'c1\', { seq: 2, level: 3, trend: 1, at: 20 })).ok');
      assert.deepEqual(kept, keptCopy, 'a state read earlier does not change with later signals');
      const after = await b.getSignalState('c1');
      assert.deepEqual(after, {
        seq: 2,
        level: 3,
        trend: 1,
        at: 20,
        history: [
          { seq: 1, level: 2, trend: 1, at: 10 },
          { seq: 2, level: 3, trend: 1, at: 20 },
        ],
      });
    });

    each('transition: of ten concurrent claims on two instances exactly one wins', async ({ a, b }) => {
      await a.createConversation(conv('c1', 'queued', { queue: 'general' }));
      const claims = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).transition('c1', ['queued'], { state: 'agent', meta: { agentId: `agent-${i}` } })),
      );
      const won = claims.filter((c) => c.ok);
      assert.equal(won.length, 1);
      const winner = won[0]!.record.meta['agentId'];
      for (const c of claims.filter((x) => !x.ok)) {
        assert.equal(c.record?.state, 'agent');
        assert.equal(c.record?.meta['agentId'], winner, 'losers see the winner');
      }
      assert.deepEqual((await b.getConversation('c1'))?.meta, { queue: 'general', agentId: winner });
      assert.deepEqual(await a.transition('nope', ['queued'], { state: 'agent' }), { ok: false, record: null });
    });

    each('a customer binding (user id → conversation) is shared, replaced, kept with the record and dropped with it', async ({ a, b }) => {
      assert.equal(await a.getUserConversation('cust-1'), null);
      await a.createConversation({ ...conv('c1'), userId: 'cust-1' });
      await a.setUserConversation('cust-1', 'c1');
      assert.equal(await b.getUserConversation('cust-1'), 'c1', 'seen by the other instance');
      assert.equal((await b.getConversation('c1'))?.userId, 'cust-1', 'the record keeps its customer');
      assert.equal((await b.updateConversation('c1', { meta: { x: 1 } }))?.userId, 'cust-1', 'an update keeps it');
      assert.equal(await a.getUserConversation('auth0|cust-1'), null, 'another customer has none');
      await b.createConversation({ ...conv('c2'), userId: 'cust-1' });
      await b.setUserConversation('cust-1', 'c2');
      assert.equal(await a.getUserConversation('cust-1'), 'c2', 'a later binding replaces the earlier one');
      await a.deleteConversation('c1');
      assert.equal(await b.getUserConversation('cust-1'), 'c2', 'deleting a conversation the binding moved away from leaves it');
      await a.deleteConversation('c2');
      assert.equal(await b.getUserConversation('cust-1'), null, 'deleting the bound conversation drops the binding');
    });

    // --- Messenger basics (issue 12) ---
    each('ratings: stored once per conversation (a second replaces it), listed by time on either instance, dropped with the conversation', async ({ a, b }) => {
      await a.createConversation(conv('c1', 'closed'));
      await a.createConversation(conv('c2', 'closed'));
      assert.equal(await a.getRating('c1'), null);
      assert.equal(await a.setRating('nope', { score: 5, at: 1, route: 'bot' }), false, 'an unknown conversation stores nothing');
      const first = { score: 2, comment: '太慢了 — slow', at: 100, route: 'human', agentId: 'ag-1', agentName: 'Mei' } as const;
      assert.equal(await a.setRating('c1', first), true);
      assert.equal(await b.setRating('c2', { score: 5, at: 50, route: 'bot' }), true);
      assert.deepEqual(await b.getRating('c1'), first, 'seen by the other instance, comment and agent kept');
      assert.deepEqual((await b.listRatings()).map((r) => [r.conversationId, r.score]), [['c2', 5], ['c1', 2]], 'oldest first');
      await b.setRating('c1', { score: 4, at: 200, route: 'human', agentId: 'ag-1', agentName: 'Mei' });
      const all = await a.listRatings();
      assert.equal(all.length, 2, 'one rating per conversation');
      assert.deepEqual(all.at(-1), { conversationId: 'c1', score: 4, at: 200, route: 'human', agentId: 'ag-1', agentName: 'Mei' }, 'the later one replaced it');
      assert.deepEqual((await a.listRatings({ from: 50, to: 200 })).map((r) => r.conversationId), ['c2'], '[from, to)');
      assert.deepEqual((await a.listRatings({ limit: 1 })).map((r) => r.conversationId), ['c2']);
      const got = (await a.getRating('c1'))!;
      (got as { score: number }).score = 1;
      assert.equal((await b.getRating('c1'))?.score, 4, 'changing what a read returned changes nothing stored');
      await assert.rejects(a.setRating('c1', { score: 6 as 5, at: 1, route: 'bot' }), /score/);
      await assert.rejects(a.setRating('c1', { score: 3, at: Number.NaN, route: 'bot' }), /time/);
      await b.deleteConversation('c1');
      assert.equal(await a.getRating('c1'), null, 'deleted with its conversation');
      assert.deepEqual((await a.listRatings()).map((r) => r.conversationId), ['c2']);
    });

    each("a customer's past conversations: every binding listed newest first without repeats, bounded, dropped on delete", async ({ a, b }) => {
      assert.deepEqual(await a.listUserConversations('cust-1'), []);
      for (const id of ['c1', 'c2', 'c3']) {
        await a.createConversation({ ...conv(id), userId: 'cust-1' });
        await (id === 'c2' ? b : a).setUserConversation('cust-1', id);
      }
      await b.setUserConversation('cust-1', 'c2');
      assert.deepEqual(await b.listUserConversations('cust-1'), ['c2', 'c3', 'c1'], 'binding again moves it to the front, once');
      assert.deepEqual(await a.listUserConversations('cust-1', 2), ['c2', 'c3']);
      assert.deepEqual(await a.listUserConversations('cust-2'), [], "another customer's list is empty");
      await a.deleteConversation('c3');
      assert.deepEqual(await b.listUserConversations('cust-1'), ['c2', 'c1']);
      for (let i = 0; i < 55; i++) await a.setUserConversation('cust-3', `conv-${String(i).padStart(3, '0')}`);
      const kept = await b.listUserConversations('cust-3', 100);
      assert.ok(kept.length >= 50, `keeps at least the latest 50 (kept ${kept.length})`);
      assert.equal(kept[0], 'conv-054');
      assert.equal(kept.length <= 55 && !kept.slice(0, 50).includes('conv-004'), true, 'the latest 50 come first');
    });

    each('listByState and listWantingHuman follow creates, transitions, updates and deletes on either instance', async ({ a, b }) => {
      const ids = async (s: Store, state: 'bot' | 'queued' | 'agent' | 'closed') => (await s.listByState(state)).map((c) => c.id).sort();
      const wanting = async (s: Store) => (await s.listWantingHuman()).map((c) => c.id).sort();
      await a.createConversation(conv('c1'));
      await b.createConversation(conv('c2', 'bot', { wantsHuman: true }));
      await a.createConversation(conv('c3', 'queued'));
      assert.deepEqual(await ids(b, 'bot'), ['c1', 'c2']);
      assert.deepEqual(await wanting(a), ['c2']);
      await b.transition('c1', ['bot'], { state: 'queued' });
      await a.transition('c3', ['queued'], { state: 'agent' });
      await a.updateConversation('c2', { meta: { wantsHuman: false } });
      assert.deepEqual(await ids(a, 'bot'), ['c2']);
      assert.deepEqual(await ids(b, 'queued'), ['c1']);
      assert.deepEqual(await ids(a, 'agent'), ['c3']);
      assert.deepEqual(await wanting(b), []);
      await b.updateConversation('c1', { state: 'bot', meta: { wantsHuman: true } });
      assert.deepEqual(await wanting(a), ['c1']);
      assert.deepEqual((await a.listByState('bot')).find((c) => c.id === 'c1')?.meta, { wantsHuman: true }, 'records come back whole');
      await a.deleteConversation('c1');
      await b.deleteConversation('c3');
      assert.deepEqual(await ids(a, 'bot'), ['c2']);
      assert.deepEqual(await ids(b, 'agent'), []);
      assert.deepEqual(await ids(b, 'queued'), []);
      assert.deepEqual(await wanting(a), []);
      assert.deepEqual((await b.listConversations()).sort(), ['c2']);
    });

    each('owed bot replies: mark, raise, compare-and-clear, list by age, dropped with the conversation', async ({ a, b }) => {
      await a.createConversation(conv('c1'));
      await a.createConversation(conv('c2'));
      assert.equal(await a.getBotOwed('c1'), null);
      assert.equal(await a.markBotOwed('nope', 1, 10), false);
      assert.equal(await a.markBotOwed('c1', 3, 100), true);
      assert.deepEqual(await b.getBotOwed('c1'), { conversationId: 'c1', afterEventId: 3, at: 100 });
      // A later message raises the id; an older one never lowers it.
      assert.equal(await b.markBotOwed('c1', 5, 110), true);
      assert.equal(await a.markBotOwed('c1', 4, 120), true);
      assert.deepEqual(await a.getBotOwed('c1'), { conversationId: 'c1', afterEventId: 5, at: 120 });
      await b.markBotOwed('c2', 1, 50);
      assert.deepEqual(await a.listBotOwed(121), [
        { conversationId: 'c2', afterEventId: 1, at: 50 },
        { conversationId: 'c1', afterEventId: 5, at: 120 },
      ]);
      assert.deepEqual(await a.listBotOwed(120), [{ conversationId: 'c2', afterEventId: 1, at: 50 }], 'olderThan is exclusive');
      assert.deepEqual((await b.listBotOwed(1000, 1)).map((o) => o.conversationId), ['c2'], 'limit, oldest first');
      // Answering an older message does not clear the newer one's marker.
      assert.equal(await b.clearBotOwed('c1', 4), false);
      assert.equal((await a.getBotOwed('c1'))?.afterEventId, 5);
      assert.equal(await a.clearBotOwed('c1', 5), true);
      assert.equal(await b.clearBotOwed('c1', 5), false, 'cleared once');
      assert.equal(await b.getBotOwed('c1'), null);
      assert.deepEqual((await a.listBotOwed(1000)).map((o) => o.conversationId), ['c2']);
      assert.equal(await a.deleteConversation('c2'), true);
      assert.equal(await b.getBotOwed('c2'), null);
      assert.deepEqual(await b.listBotOwed(1000), []);
      // A conversation created again under the same id owes nothing.
      await a.createConversation(conv('c2'));
      assert.equal(await a.getBotOwed('c2'), null);
      await assert.rejects(a.markBotOwed('c1', 0, 1), RangeError);
      await assert.rejects(a.markBotOwed('c1', 1.5, 1), RangeError);
      await assert.rejects(a.markBotOwed('c1', 1, Number.NaN), TypeError);
    });

    each('delete removes record, log, signals and idempotency keys, and ends subscriptions everywhere', async ({ a, b }) => {
      await a.createConversation(conv('c1', 'queued'));
      await a.appendVisitorMessage('c1', visitorMessage('client-0001'));
      await a.recordSignal('c1', { seq: 1, level: 2, trend: 1, at: 1 });
      const heard: StoredEvent[] = [];
      await b.subscribe('c1', (e) => heard.push(e));
      await a.subscribe('c1', (e) => heard.push(e));
      assert.equal(await b.deleteConversation('c1'), true);
      assert.equal(await a.deleteConversation('c1'), false);
      assert.equal(await a.getConversation('c1'), null);
      assert.equal(await a.getSignalState('c1'), null);
      await assert.rejects(b.readEvents('c1', 0), /unknown conversation/);
      await assert.rejects(a.appendEvent('c1', typing(true)), /unknown conversation/);
      assert.deepEqual(await a.listByState('queued'), []);
      assert.deepEqual(await b.listConversations(), []);
      // A new conversation under the same id starts empty: ids from 1, the old clientId is new again, and the
      // old subscriptions hear nothing of it.
      await sleep(50);
      await b.createConversation(conv('c1'));
      const again = await a.appendVisitorMessage('c1', visitorMessage('client-0001'));
      assert.deepEqual([again.duplicate, again.stored?.id], [false, 1]);
      assert.equal(await b.getSignalState('c1'), null);
      assert.equal((await b.recordSignal('c1', { seq: 1, level: 0, trend: 0, at: 2 })).ok, true);
      await sleep(100);
      assert.deepEqual(heard, []);
    });

    each('readEvents pages: after an id, at most limit, oldest first', async ({ a, b }) => {
      await a.createConversation(conv('c1'));
      for (let i = 1; i <= 25; i++) await a.appendEvent('c1', botMessage(i));
      const pages: number[][] = [];
      for (let after = 0; ; ) {
        const page = await b.readEvents('c1', after, 10);
        if (page.length === 0) break;
        pages.push(page.map((e) => e.id));
        after = page[page.length - 1]!.id;
      }
      assert.deepEqual(pages.map((p) => p.length), [10, 10, 5]);
      assert.deepEqual(pages.flat(), Array.from({ length: 25 }, (_, i) => i + 1));
      assert.deepEqual((await b.readEvents('c1', 24)).map((e) => [e.id, e.event]), [[25, botMessage(25)]]);
      assert.deepEqual(await b.readEvents('c1', 25), []);
      assert.deepEqual(await b.readEvents('c1', 99, 5), []);
      assert.deepEqual((await b.readEvents('c1', -3, 2)).map((e) => e.id), [1, 2]);
      assert.deepEqual((await b.readEvents('c1', 3.7, 2)).map((e) => e.id), [4, 5]);
      await assert.rejects(b.readEvents('nope', 0), /unknown conversation/);
    });

    each('subscribe, then read: no gap and every live event once, in order, across instances', async ({ a, b }) => {
      await a.createConversation(conv('c1'));
      for (let i = 1; i <= 5; i++) await a.appendEvent('c1', botMessage(i));
      // A writer keeps appending on instance a while instance b subscribes and then reads what it missed.
      let writing = true;
      const writer = (async () => {
        for (let i = 6; writing || i <= 20; i++) await a.appendEvent('c1', botMessage(i));
      })();
      const live: StoredEvent[] = [];
      const stop = await b.subscribe('c1', (e) => live.push(e));
      const replay = await b.readEvents('c1', 0);
      writing = false;
      await writer;
      const total = (await a.readEvents('c1', 0)).length;
      await until(() => live.length > 0 && live[live.length - 1]!.id === total, 'the last live event');
      const liveIds = live.map((e) => e.id);
      assert.deepEqual(liveIds, [...liveIds].sort((x, y) => x - y), 'live events arrive in id order');
      assert.equal(new Set(liveIds).size, liveIds.length, 'no live event twice');
      const seen = new Map<number, StoredEvent>();
      for (const e of [...replay, ...live]) seen.set(e.id, e);
      assert.deepEqual([...seen.keys()].sort((x, y) => x - y), Array.from({ length: total }, (_, i) => i + 1), 'replay + live has no gap');
      assert.ok(liveIds[0]! <= replay.length + 1, 'live picks up where the replay ended (or before)');
      assert.deepEqual(seen.get(7)?.event, botMessage(7));
      stop();
      await a.appendEvent('c1', typing(false));
      await sleep(100);
      assert.equal(live[live.length - 1]!.id, total, 'nothing after unsubscribe');
      await assert.rejects(b.subscribe('nope', () => undefined), /unknown conversation/);
    });

    each('two listeners of one conversation on one instance both hear, and one leaving keeps the other', async ({ a, b }) => {
      await a.createConversation(conv('c1'));
      const x: number[] = [];
      const y: number[] = [];
      const stopX = await b.subscribe('c1', (e) => x.push(e.id));
      await b.subscribe('c1', (e) => y.push(e.id));
      await a.appendEvent('c1', typing(true));
      await until(() => x.length === 1 && y.length === 1, 'both listeners');
      stopX();
      await a.appendEvent('c1', typing(false));
      await until(() => y.length === 2, 'the remaining listener');
      await sleep(50);
      assert.deepEqual([x, y], [[1], [1, 2]]);
    });

    each('audit: time range [from, to), limit, by conversation, insertion order for equal times', async ({ a, b }) => {
      const entry = (at: number, conversationId: string, action: AuditEntry['action'], extra: Partial<AuditEntry> = {}): AuditEntry => ({
        at,
        conversationId,
        action,
        level: null,
        trend: null,
        reasons: [],
        ...extra,
      });
      await a.appendAudit(entry(100, 'c1', 'opened'));
      await b.appendAudit(entry(200, 'c2', 'opened'));
      await a.appendAudit(entry(200, 'c1', 'decision', { route: 'human', level: 3, trend: 1, reasons: ['level-high', 'asked'], priority: 2 }));
      await b.appendAudit(entry(300, 'c1', 'claimed', { agentId: 'agent@shop.example', waitMs: 1234 }));
      await a.appendAudit(entry(400, 'c2', 'closed', { state: 'closed' }));
      const all = await b.readAudit();
      assert.deepEqual(all.map((e) => [e.at, e.conversationId, e.action]), [
        [100, 'c1', 'opened'],
        [200, 'c2', 'opened'],
        [200, 'c1', 'decision'],
        [300, 'c1', 'claimed'],
        [400, 'c2', 'closed'],
      ]);
      assert.deepEqual(all[2], entry(200, 'c1', 'decision', { route: 'human', level: 3, trend: 1, reasons: ['level-high', 'asked'], priority: 2 }));
      assert.deepEqual((await a.readAudit({ from: 200, to: 400 })).map((e) => e.at), [200, 200, 300]);
      assert.deepEqual((await a.readAudit({ from: 200, limit: 2 })).map((e) => e.action), ['opened', 'decision']);
      assert.deepEqual((await a.readAudit({ conversationId: 'c1', from: 150 })).map((e) => e.action), ['decision', 'claimed']);
      assert.deepEqual(await a.readAudit({ conversationId: 'nobody' }), []);
      assert.deepEqual(await a.readAudit({ limit: 0 }), []);

      await b.redactAudit('c1', 'deleted-abc');
      assert.deepEqual(await a.readAudit({ conversationId: 'c1' }), []);
      assert.deepEqual((await a.readAudit({ conversationId: 'deleted-abc' })).map((e) => e.action), ['opened', 'decision', 'claimed']);
      assert.deepEqual((await b.readAudit()).map((e) => e.conversationId), ['deleted-abc', 'c2', 'deleted-abc', 'deleted-abc', 'c2'], 'order kept');

      assert.equal(await a.pruneAudit(250), 3);
      assert.deepEqual((await b.readAudit()).map((e) => e.at), [300, 400]);
      assert.deepEqual((await b.readAudit({ conversationId: 'deleted-abc' })).map((e) => e.at), [300]);
      assert.equal(await b.pruneAudit(250), 0);
    });

    // Staff access (issue 15): a transcript read is an audit entry with the reader's role and the kind of read.
    each('audit: a transcript-read entry keeps role and read, and is found by conversation', async ({ a, b }) => {
      const read: AuditEntry = { at: 500, conversationId: 'c9', action: 'transcript-read', agentId: 'sam', role: 'supervisor', read: 'conversation', level: 2, trend: 1, reasons: [] };
      await a.appendAudit(read);
      await a.appendAudit({ ...read, at: 600, read: 'transcript-export' });
      assert.deepEqual(await b.readAudit({ conversationId: 'c9', to: 550 }), [read]);
      assert.deepEqual((await b.readAudit({ conversationId: 'c9' })).map((e) => [e.role, e.read]), [['supervisor', 'conversation'], ['supervisor', 'transcript-export']]);
      await b.redactAudit('c9', 'anon-1');
      assert.deepEqual((await a.readAudit({ conversationId: 'anon-1' })).map((e) => e.read), ['conversation', 'transcript-export']);
    });

    each('presence: upsert by agentId, visible from both instances', async ({ a, b }) => {
      const t = Date.now();
      await a.setAgentPresence({ agentId: 'ana', name: 'Ana', role: 'agent', status: 'online', lastSeen: t });
      await b.setAgentPresence({ agentId: 'li', name: '李', role: 'supervisor', status: 'online', lastSeen: t });
      await b.setAgentPresence({ agentId: 'ana', name: 'Ana', role: 'agent', status: 'offline', lastSeen: t + 1 });
      const list = (await a.listAgents()).sort((x, y) => x.agentId.localeCompare(y.agentId));
      assert.deepEqual(list, [
        { agentId: 'ana', name: 'Ana', role: 'agent', status: 'offline', lastSeen: t + 1 },
        { agentId: 'li', name: '李', role: 'supervisor', status: 'online', lastSeen: t },
      ]);
    });

    // Agents and supervisors (issue 14): the webhook outbox and staff notes.
    each('webhook outbox: idempotent enqueue, leases no two instances share, retry, complete', async ({ a, b }) => {
      const d = (id: string, dueAt: number) => ({ id, type: 'conversation.queued', body: `{"id":"${id}"}`, createdAt: 1, dueAt, attempts: 0 });
      assert.equal(await a.enqueueWebhook(d('w1', 100)), true);
      assert.equal(await b.enqueueWebhook({ ...d('w1', 5), body: 'other' }), false, 'same idempotency key: unchanged');
      assert.equal(await a.enqueueWebhook(d('w2', 200)), true);
      assert.equal(await a.enqueueWebhook(d('w3', 1500)), true);
      assert.deepEqual((await b.listWebhooks()).map((x) => [x.id, x.dueAt, x.body]), [['w1', 100, '{"id":"w1"}'], ['w2', 200, '{"id":"w2"}'], ['w3', 1500, '{"id":"w3"}']]);
      // Two instances lease at once: each due delivery goes to exactly one of them.
      const [la, lb] = await Promise.all([a.leaseWebhooks(300, 1000, 10), b.leaseWebhooks(300, 1000, 10)]);
      assert.deepEqual([...la, ...lb].map((x) => x.id).sort(), ['w1', 'w2']);
      assert.deepEqual(await a.leaseWebhooks(1299, 1000, 10), [], 'hidden while leased');
      // The lease lapses (its deliverer died): due again for anyone, earliest first, bounded by limit.
      assert.deepEqual((await b.leaseWebhooks(1300, 1000, 1)).map((x) => x.id), ['w1']);
      const failed = { ...d('w1', 5000), attempts: 1, lastError: 'HTTP 500' };
      assert.equal(await a.retryWebhook(failed), true);
      assert.deepEqual((await b.listWebhooks()).find((x) => x.id === 'w1'), failed);
      assert.deepEqual((await b.leaseWebhooks(5000, 1000, 10)).map((x) => [x.id, x.attempts, x.lastError ?? null]), [['w2', 0, null], ['w3', 0, null], ['w1', 1, 'HTTP 500']]);
      assert.equal(await a.completeWebhook('w1'), true);
      assert.equal(await b.completeWebhook('w1'), false);
      assert.equal(await b.retryWebhook(failed), false, 'a completed delivery is not brought back');
      assert.deepEqual((await a.listWebhooks()).map((x) => x.id), ['w2', 'w3']);
      assert.deepEqual(await a.leaseWebhooks(0, 1, 0), []);
      await assert.rejects(a.enqueueWebhook(d('bad id!', 1)), TypeError);
    });

    each('staff notes: appended in order, seen from both instances, gone with the conversation', async ({ a, b }) => {
      await a.createConversation(conv('c1'));
      const n = (id: string, text: string) => ({ id, at: 10, agentId: 'sup-1', name: 'Sam', text });
      await a.addStaffNote('c1', n('n1', 'Refund already offered'));
      await b.addStaffNote('c1', n('n2', '已经道歉过了'));
      assert.deepEqual(await b.listStaffNotes('c1'), [n('n1', 'Refund already offered'), n('n2', '已经道歉过了')]);
      assert.deepEqual(await a.listStaffNotes('c2'), []);
      await assert.rejects(a.addStaffNote('c2', n('n3', 'x')), /unknown conversation/);
      await assert.rejects(a.addStaffNote('c1', n('n4', '')), RangeError);
      await assert.rejects(a.addStaffNote('c1', n('n4', 'x'.repeat(2001))), RangeError);
      assert.equal(await b.deleteConversation('c1'), true);
      assert.deepEqual(await a.listStaffNotes('c1'), []);
    });

    // Agents and supervisors (issue 14): the profile from the agent's token travels with presence.
    each('presence keeps the agent profile, and an upsert without one drops it', async ({ a, b }) => {
      const t = Date.now();
      const profile = { languages: ['zh' as const, 'en' as const], skills: ['payments' as const, 'de-escalation' as const], maxChats: 2 };
      await a.setAgentPresence({ agentId: 'mei', name: 'Mei', role: 'agent', status: 'online', lastSeen: t, profile });
      assert.deepEqual((await b.listAgents())[0], { agentId: 'mei', name: 'Mei', role: 'agent', status: 'online', lastSeen: t, profile });
      await b.setAgentPresence({ agentId: 'mei', name: 'Mei', role: 'agent', status: 'online', lastSeen: t + 1 });
      assert.deepEqual((await a.listAgents())[0], { agentId: 'mei', name: 'Mei', role: 'agent', status: 'online', lastSeen: t + 1 });
    });

    // ---- Privacy go-live (issue 15) ----
    each('retention index: listInactive by last visitor message, oldest first, bounded, kept by every write', async ({ a, b }) => {
      await a.createConversation({ ...conv('c1'), createdAt: 1000 });
      await b.createConversation({ ...conv('c2'), createdAt: 2000 });
      await a.createConversation({ ...conv('c3'), createdAt: 3000 });
      await b.createConversation({ ...conv('c4'), createdAt: 500 });
      const ids = async (q: Parameters<Store['listInactive']>[0]) => (await b.listInactive(q)).map((r) => r.id);
      assert.deepEqual(await ids({ before: 2500 }), ['c4', 'c1', 'c2']);
      assert.deepEqual(await ids({ before: 2500, limit: 2 }), ['c4', 'c1']);
      assert.deepEqual(await ids({ before: 2500, from: 1000 }), ['c1', 'c2']);
      assert.deepEqual(await ids({ before: 500 }), [], 'before is exclusive');
      assert.deepEqual(await ids({ before: 2500, limit: 0 }), []);
      // A visitor message moves a conversation to the end; meta-only writes do not.
      await a.updateConversation('c1', { lastVisitorAt: 5000 });
      await b.transition('c2', ['bot'], { state: 'queued', meta: { x: 1 } });
      assert.deepEqual(await ids({ before: 2500 }), ['c4', 'c2']);
      assert.deepEqual(await ids({ before: 6000 }), ['c4', 'c2', 'c3', 'c1']);
      assert.equal((await a.listInactive({ before: 2500 }))[1]!.state, 'queued', 'the current record');
      await a.deleteConversation('c4');
      assert.deepEqual(await ids({ before: 6000, limit: 1 }), ['c2'], 'a deleted one leaves the index');
      await assert.rejects(a.listInactive({ before: Number.NaN }), TypeError);
      await assert.rejects(a.listInactive({ before: 1, limit: -1 }), RangeError);
    });

    each('retention: clearSignals drops the history, keeps the last seq (a replay is still stale)', async ({ a, b }) => {
      await a.createConversation(conv('c1'));
      await a.recordSignal('c1', { seq: 1, level: 1, trend: 0, at: 10 });
      await b.recordSignal('c1', { seq: 2, level: 3, trend: 1, at: 20 });
      assert.equal(await b.clearSignals('c1'), true);
      assert.equal(await a.getSignalState('c1'), null);
      assert.deepEqual(await a.recordSignal('c1', { seq: 2, level: 0, trend: 0, at: 30 }), { ok: false, reason: 'stale', lastSeq: 2 });
      const r = await b.recordSignal('c1', { seq: 3, level: 0, trend: -1, at: 40 });
      assert.ok(r.ok, 'r.ok');
      assert.deepEqual((await a.getSignalState('c1'))!.history, [{ seq: 3, level: 0, trend: -1, at: 40 }]);
      assert.equal(await a.clearSignals('nope'), false);
    });

    each('retention: redactStaffNames removes agent names from messages, notes and the rating, and nothing else', async ({ a, b }) => {
      await a.createConversation(conv('c1', 'closed'));
      await a.appendVisitorMessage('c1', visitorMessage('v1', 'hi, I am Mei'));
      const agentMsg: ServerEvent = { type: 'message', id: 'a1', from: 'agent', text: 'Sam here — 您好', at: 5, name: 'Sam Lee' };
      await b.appendEvent('c1', agentMsg);
      await b.appendEvent('c1', botMessage(2));
      await a.appendEvent('c1', { type: 'handoff', state: 'agent', name: 'Sam Lee' });
      await a.appendEvent('c1', { type: 'message', id: 's1', from: 'system', text: '客服 Sam Lee 已加入对话。Jo too', at: 8 });
      await a.addStaffNote('c1', { id: 'n1', at: 6, agentId: 'sam', name: 'Sam Lee', text: 'refund offered' });
      await b.setRating('c1', { score: 4, at: 7, route: 'human', agentId: 'sam', agentName: 'Sam Lee' });
      assert.equal(await b.redactStaffNames('c1', ['Jo']), 5);
      const events = (await a.readEvents('c1', 0)).map((e) => e.event);
      assert.deepEqual(events[1], { type: 'message', id: 'a1', from: 'agent', text: 'Sam here — 您好', at: 5 });
      assert.deepEqual(events[0], { ...visitorMessage('v1', 'hi, I am Mei') }, 'visitor message unchanged');
      assert.deepEqual(events[2], botMessage(2), 'bot message keeps its name field (it has none here) and text');
      assert.deepEqual(events[3], { type: 'handoff', state: 'agent' });
      assert.deepEqual(events[4], { type: 'message', id: 's1', from: 'system', text: '客服 ••• 已加入对话。••• too', at: 8 });
      assert.equal((await a.readEvents('c1', 0)).length, 5, 'ids kept, nothing appended');
      assert.deepEqual(await a.listStaffNotes('c1'), [{ id: 'n1', at: 6, agentId: 'sam', name: '', text: 'refund offered' }]);
      assert.deepEqual(await a.getRating('c1'), { score: 4, at: 7, route: 'human', agentId: 'sam' });
      assert.equal(await a.redactStaffNames('c1'), 0, 'idempotent');
      assert.equal(await a.redactStaffNames('nope'), 0);
    });

    each('erasure: anonymiseAudit gives each entry its own id, rounds the time, keeps only what reports add up', async ({ a, b }) => {
      const H = 3_600_000;
      const base = 1_700_000_000_000 - (1_700_000_000_000 % H);
      const e = (at: number, conversationId: string, action: AuditEntry['action'], extra: Partial<AuditEntry> = {}): AuditEntry => ({ at, conversationId, action, level: null, trend: null, reasons: [], ...extra });
      await a.appendAudit(e(base + 1000, 'c1', 'opened'));
      await b.appendAudit(e(base + 2000, 'c1', 'decision', { trigger: 'message', route: 'human', tone: 'careful', priority: 2, level: 3, trend: 1, reasons: ['level-high'], queue: 'default' }));
      await a.appendAudit(e(base + 2500, 'c2', 'decision', { route: 'bot', level: 0, trend: 0 }));
      await b.appendAudit(e(base + 3000, 'c1', 'queued', { state: 'queued', level: 3, trend: 1 }));
      await a.appendAudit(e(base + 4000, 'c1', 'decision', { trigger: 'signal', route: 'human', level: 3, trend: 0 }));
      await b.appendAudit(e(base + H + 61_400, 'c1', 'claimed', { agentId: 'sam@shop.example', waitMs: 61_400, matchReasons: ['language'], level: 3, trend: 0 }));
      assert.equal(await a.anonymiseAudit('c1'), 5);
      assert.deepEqual(await b.readAudit({ conversationId: 'c1' }), []);
      const all = await b.readAudit();
      assert.equal(all.length, 6);
      const anon = all.filter((x) => x.anonymous);
      assert.equal(anon.length, 5);
      assert.equal(new Set(anon.map((x) => x.conversationId)).size, 5, 'no shared pseudonym');
      for (const x of anon) {
        assert.match(x.conversationId, /^anon-[A-Za-z0-9_-]{16}$/);
        assert.equal(x.at % H, 0, 'rounded to the hour');
        assert.equal(x.level, null);
        assert.equal(x.trend, null);
        assert.deepEqual(x.reasons, []);
        for (const k of ['agentId', 'matchReasons', 'tone', 'priority']) assert.equal(k in x, false, `${k} dropped`);
      }
      const strip = (x: AuditEntry) => {
        const { conversationId: _c, ...rest } = x;
        return rest;
      };
      assert.deepEqual(anon.map(strip), [
        { at: base, action: 'opened', level: null, trend: null, reasons: [], anonymous: true },
        { at: base, action: 'decision', trigger: 'message', route: 'human', queue: 'default', level: null, trend: null, reasons: [], anonymous: true, first: true },
        { at: base, action: 'queued', state: 'queued', level: null, trend: null, reasons: [], anonymous: true, first: true },
        { at: base, action: 'decision', trigger: 'signal', route: 'human', level: null, trend: null, reasons: [], anonymous: true },
        { at: base + H, action: 'claimed', waitMs: 61_000, level: null, trend: null, reasons: [], anonymous: true },
      ]);
      assert.deepEqual(all.map((x) => x.at), [...all.map((x) => x.at)].sort((p, q) => p - q), 'still in time order');
      assert.deepEqual((await a.readAudit({ conversationId: 'c2' })).map((x) => x.level), [0], 'other conversations untouched');
      assert.equal(await b.anonymiseAudit('c1'), 0);
      assert.equal(await a.pruneAudit(base + 1), 4, 'anonymous entries prune by their rounded time');
    });
  });
}

/**
 * Registers the Coordination conformance cases under `describe(name)`. `open` makes a fresh pair per case.
 *
 * @example
 * coordinationConformance('memory', async () => { const c = createMemoryCoordination(); return { a: c, b: c, close: () => c.close() }; });
 */
export function coordinationConformance(name: string, open: () => Promise<CoordinationPair>): void {
  const each = (title: string, fn: (p: CoordinationPair) => Promise<void>, skip?: (p: CoordinationPair) => string | false) =>
    test(title, async (t) => {
      const p = await open();
      try {
        const why = skip?.(p);
        if (why) return t.skip(why);
        await fn(p);
      } finally {
        await p.close();
      }
    });

  describe(`Coordination conformance: ${name}`, () => {
    each('locks: mutual exclusion across two instances', async ({ a, b }) => {
      let inside = 0;
      let most = 0;
      let counter = 0;
      await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          (i % 2 ? a : b).withLock('conv:c1', async () => {
            inside++;
            most = Math.max(most, inside);
            const read = counter;
            await sleep(2);
            counter = read + 1;
            inside--;
          }),
        ),
      );
      assert.equal(most, 1, 'never two holders at once');
      assert.equal(counter, 16, 'no lost update');
    });

    each('locks: waiters of one instance run in arrival order; other keys do not wait', async ({ a }) => {
      const order: number[] = [];
      const runs = Array.from({ length: 5 }, (_, i) => a.withLock('k', async () => {
        order.push(i);
        await sleep(5);
      }));
      let otherRan = false;
      await a.withLock('other', async () => {
        otherRan = order.length < 5;
      });
      await Promise.all(runs);
      assert.deepEqual(order, [0, 1, 2, 3, 4]);
      assert.equal(otherRan, true, 'a different key did not queue behind k');
    });

    each('locks: LockTimeoutError after waitMs; released when fn throws; fn result returned', async ({ a, b }) => {
      let release!: () => void;
      const held = a.withLock('k', () => new Promise<void>((r) => (release = r)));
      await sleep(30);
      const t0 = Date.now();
      const err = await b.withLock('k', async () => 'never', { waitMs: 100 }).catch((e: unknown) => e);
      assert.ok(err instanceof LockTimeoutError, `expected LockTimeoutError, got ${String(err)}`);
      assert.equal(err.key, 'k');
      assert.ok(Date.now() - t0 >= 90, 'waited about waitMs');
      release();
      await held;
      await assert.rejects(b.withLock('k', async () => { throw new Error('boom'); }), /boom/);
      assert.equal(await a.withLock('k', async () => 42, { waitMs: 500 }), 42, 'a throwing fn released the lock');
    });

    each('locks: a holder that keeps running keeps the lock past its lease (renewed)', async ({ a, b }) => {
      let release!: () => void;
      // Held for ≈ 2.5 leases; renewed every lease/3, so only an event-loop stall over 260 ms could lose it.
      const held = a.withLock('k', () => new Promise<void>((r) => (release = r)), { leaseMs: 400 });
      await sleep(20);
      await assert.rejects(b.withLock('k', async () => undefined, { waitMs: 1000 }), LockTimeoutError);
      release();
      await held;
      assert.equal(await b.withLock('k', async () => 'ok', { waitMs: 500 }), 'ok');
    });

    each(
      'locks: the lease frees the lock of a holder that died',
      async ({ a, b, crashA }) => {
        void a.withLock('k', () => new Promise<void>(() => undefined), { leaseMs: 300 }).catch(() => undefined);
        await sleep(50);
        await crashA!();
        const t0 = Date.now();
        assert.equal(await b.withLock('k', async () => 'mine', { waitMs: 3000 }), 'mine');
        const waited = Date.now() - t0;
        assert.ok(waited >= 150 && waited < 2000, `freed by the lease after ≈ 250 ms, waited ${waited} ms`);
      },
      (p) => (p.crashA ? false : 'in one process a lock holder cannot die without the whole process'),
    );

    each('channels: every instance hears, the publisher too; order kept; double subscription hears twice; unsubscribe stops', async ({ a, b }) => {
      const onA: string[] = [];
      const onB: string[] = [];
      const twice: string[] = [];
      const stopA = await a.subscribe('queue', (m) => onA.push(m));
      const stopB = await b.subscribe('queue', (m) => onB.push(m));
      const tw = (m: string) => twice.push(m);
      const stopT1 = await b.subscribe('other', tw);
      const stopT2 = await b.subscribe('other', tw);
      for (let i = 0; i < 5; i++) await a.publish('queue', `m${i} ✓ 排队`);
      await b.publish('other', 'x');
      await until(() => onA.length === 5 && onB.length === 5 && twice.length === 2, 'messages on both instances');
      assert.deepEqual(onB, ['m0 ✓ 排队', 'm1 ✓ 排队', 'm2 ✓ 排队', 'm3 ✓ 排队', 'm4 ✓ 排队']);
      assert.deepEqual(onA, onB);
      stopB();
      stopT1();
      await a.publish('queue', 'late');
      await b.publish('other', 'y');
      await until(() => onA.length === 6 && twice.length === 3, 'the remaining listeners');
      await sleep(50);
      assert.equal(onB.length, 5, 'an ended subscription hears nothing');
      assert.deepEqual(twice, ['x', 'x', 'y']);
      stopA();
      stopT2();
    });

    each('token buckets are shared by both instances', async ({ a, b }) => {
      const limit = { burst: 5, perSecond: 2 };
      const t = 1_700_000_000_000;
      const waits = [];
      for (let i = 0; i < 5; i++) waits.push(await (i % 2 ? a : b).take('ip:203.0.113.9', limit, t));
      assert.deepEqual(waits, [0, 0, 0, 0, 0]);
      assert.equal(await a.take('ip:203.0.113.9', limit, t), 0.5, 'empty: one token in 1/perSecond s');
      assert.equal(await b.take('ip:203.0.113.9', limit, t + 250), 0.25, 'half a token refilled');
      assert.equal(await a.take('ip:203.0.113.9', limit, t + 500), 0, 'refilled to one token');
      assert.equal(await b.take('ip:198.51.100.1', limit, t + 500), 0, 'another key has its own bucket');
      assert.equal(await a.take('never', { burst: 1, perSecond: 0 }, t), 0);
      assert.equal(await b.take('never', { burst: 1, perSecond: 0 }, t + 1e6), Number.POSITIVE_INFINITY);
      await assert.rejects(a.take('k', { burst: 0, perSecond: 1 }, t), RangeError);
      await assert.rejects(a.take('', limit, t), TypeError);
    });

    each('slots: at most max across instances; release frees; leases lapse; renew extends', async ({ a, b }) => {
      const l1 = await a.acquire('streams:c1', 2, 400);
      const l2 = await b.acquire('streams:c1', 2, 400);
      assert.ok(l1 && l2 && l1 !== l2, 'l1 && l2 && l1 !== l2');
      assert.equal(await a.acquire('streams:c1', 2, 400), null, 'full');
      await b.release('streams:c1', l1);
      const l3 = await b.acquire('streams:c1', 2, 150);
      assert.ok(l3, 'a released slot can be taken');
      assert.equal(await a.acquire('streams:c1', 2, 400), null);
      await sleep(60);
      assert.equal(await a.renew('streams:c1', l2, 600), true);
      await sleep(200);
      // l3 (150 ms) lapsed; l2 was renewed.
      const l4 = await a.acquire('streams:c1', 2, 400);
      assert.ok(l4, 'a lapsed lease frees its slot');
      assert.equal(await b.acquire('streams:c1', 2, 400), null, 'the renewed lease still counts');
      assert.equal(await b.renew('streams:c1', l3, 400), false, 'a lapsed lease cannot be renewed');
      await a.release('streams:c1', 'no-such-lease');
      await assert.rejects(a.acquire('streams:c1', 0, 100), RangeError);
    });

    each('holders: counts live leases of a key across instances; release and lapse lower it', async ({ a, b }) => {
      assert.equal(await a.holders('streams:p1'), 0, 'unknown key');
      const l1 = await a.acquire('streams:p1', 5, 150);
      const l2 = await b.acquire('streams:p1', 5, 5_000);
      assert.ok(l1 && l2, 'l1 && l2');
      assert.equal(await b.holders('streams:p1'), 2);
      assert.equal(await a.holders('streams:other'), 0, 'keys are apart');
      await b.release('streams:p1', l2);
      assert.equal(await a.holders('streams:p1'), 1);
      await sleep(250);
      assert.equal(await b.holders('streams:p1'), 0, 'a lapsed lease is not a holder');
      await assert.rejects(a.holders(''), TypeError);
    });

    each('after close every call rejects', async ({ a, b }) => {
      await a.close();
      await assert.rejects(a.publish('x', 'y'));
      await assert.rejects(a.subscribe('x', () => undefined));
      await assert.rejects(a.withLock('k', async () => undefined));
      await assert.rejects(a.take('k', { burst: 1, perSecond: 1 }, 0));
      await assert.rejects(a.acquire('k', 1, 100));
      await assert.rejects(a.holders('k'));
      if (a !== b) assert.equal(await b.withLock('k', async () => 'b is still open'), 'b is still open');
    });
  });
}
