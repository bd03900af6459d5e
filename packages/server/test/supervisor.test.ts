// The supervisor's board, notes, take-over, the agent's label, reply assist, agent reports and the feedback
// export, over real sockets.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createAgentToken, exportFeedback, suggest, toReplyLibrary, type Board } from '@temper/server';
import { SECRET, api, openEvents, post, session, start, type Running } from './helpers.ts';

const library = toReplyLibrary(JSON.parse(readFileSync(new URL('../../../examples/shop/reply-library.json', import.meta.url), 'utf8')));
const agent = createAgentToken(SECRET, { agentId: 'ana', name: 'Ana', role: 'agent', ttlMs: 86_400_000 });
const other = createAgentToken(SECRET, { agentId: 'bo', name: 'Bo', role: 'agent', ttlMs: 86_400_000 });
const sup = createAgentToken(SECRET, { agentId: 'sam', name: 'Sam', role: 'supervisor', ttlMs: 86_400_000 });
const admin = createAgentToken(SECRET, { agentId: 'ada', name: 'Ada', role: 'admin', ttlMs: 86_400_000 });

async function queuedChat(s: Running, locale: 'en' | 'zh-CN', text: string, level = 2) {
  const v = await session(s.base, locale);
  await post(s.base, '/messages', { id: `m-${Math.random().toString(36).slice(2, 12)}`, text }, v.token);
  await post(s.base, '/signals', { v: 1, seq: 1, level, trend: 0 }, v.token);
  return v;
}

describe('supervisor board', () => {
  test('a rising chat reaches the board stream as a warning, with the time since; roles are checked', async () => {
    const s = await start();
    try {
      assert.equal((await api(s, 'GET', '/agent/board', agent)).status, 403);
      const board = await openEvents(`${s.base}/agent/board`, sup);
      assert.equal(board.status, 200);
      const first = (await board.take(1))[0]!.event as unknown as Board & { type: string };
      assert.equal(first.type, 'board');
      const v = await session(s.base, 'en');
      await post(s.base, '/signals', { v: 1, seq: 1, level: 0, trend: 0 }, v.token);
      const sent = Date.now();
      await post(s.base, '/signals', { v: 1, seq: 2, level: 1, trend: 1 }, v.token);
      const frame = await board.until((f) => ((f.event as unknown as Board).warnings ?? []).some((w) => w.conversationId === v.conversationId));
      console.log(`# board: rising chat on the supervisor's stream ${Date.now() - sent} ms after its signal was sent`);
      const b = frame.event as unknown as Board;
      const row = b.chats.find((c) => c.conversationId === v.conversationId)!;
      assert.deepEqual([row.level, row.trend, row.state, row.warnedAt !== null], [1, 1, 'bot', true]);
      assert.equal(b.warnings[0]!.sinceMs >= 0, true);
      // It stops rising: the warning goes.
      await post(s.base, '/signals', { v: 1, seq: 3, level: 1, trend: -1 }, v.token);
      await board.until((f) => !((f.event as unknown as Board).warnings ?? []).some((w) => w.conversationId === v.conversationId));
      board.close();
    } finally {
      await s.close();
    }
  });

  test('notes only staff see; a supervisor takes a chat over from an agent', async () => {
    const s = await start();
    try {
      await post(s.base, '/agent/presence', { status: 'online' }, agent);
      const v = await queuedChat(s, 'en', 'where is my parcel, this is ridiculous', 3);
      assert.equal((await api(s, 'POST', `/agent/conversations/${v.conversationId}/claim`, agent)).status, 200);
      assert.equal((await api(s, 'POST', `/agent/conversations/${v.conversationId}/notes`, agent, { text: 'x' })).status, 403, 'agents read notes, supervisors write them');
      const note = await api(s, 'POST', `/agent/conversations/${v.conversationId}/notes`, sup, { text: 'Offer free shipping next time' });
      assert.equal(note.status, 201);
      assert.equal((await api(s, 'POST', `/agent/conversations/${v.conversationId}/notes`, sup, { text: '' })).status, 400);
      assert.deepEqual((await api(s, 'GET', `/agent/conversations/${v.conversationId}/notes`, agent)).body.items.map((n: { text: string; name: string }) => [n.name, n.text]), [['Sam', 'Offer free shipping next time']]);
      assert.equal((await api(s, 'GET', `/agent/conversations/${v.conversationId}/notes`, other)).status, 403);
      // The visitor's stream never carries a note.
      const ev = await openEvents(s.base, v.token);
      const take = await api(s, 'POST', `/agent/conversations/${v.conversationId}/takeover`, sup);
      assert.deepEqual([take.status, take.body.previousAgentId], [200, 'ana']);
      await ev.until((f) => f.event.type === 'handoff' && f.event.state === 'agent' && f.event.name === 'Sam');
      ev.close();
      assert.equal(JSON.stringify(ev.frames).includes('free shipping'), false);
      const c = await s.handler.store.getConversation(v.conversationId);
      assert.deepEqual([c?.state, c?.meta.agentId, c?.meta.assignedBy], ['agent', 'sam', 'supervisor']);
      assert.deepEqual((await api(s, 'GET', '/agent/chats', agent)).body.items, []);
      assert.equal((await api(s, 'POST', `/agent/conversations/${v.conversationId}/takeover`, sup)).status, 409);
      const audit = await s.handler.store.readAudit({ conversationId: v.conversationId });
      assert.deepEqual(audit.filter((e) => e.action === 'taken-over').map((e) => [e.agentId, e.reasons]), [['sam', ['from:ana']]]);
      const board = (await api(s, 'GET', '/agent/board', sup)).body as Board;
      assert.deepEqual(board.chats.filter((x) => x.conversationId === v.conversationId).map((x) => [x.agentName, x.notes, x.level]), [['Sam', 1, 3]]);
    } finally {
      await s.close();
    }
  });
});

describe('reply assist, labels, agent reports, feedback export', () => {
  test('suggestions rank by topic and level; the library refuses bad input', () => {
    const zh = suggest(library, { level: 3, language: 'zh', topic: 'refund', repeated: false });
    assert.deepEqual(zh.scenarios.map((x) => x.id), ['refund', 'ultimatum', 'late-delivery', 'broken-item', 'repeated-contact']);
    assert.equal(zh.scenarios[0]!.title, '退款');
    assert.equal(zh.active, true);
    assert.equal(suggest(library, { level: 1, language: 'en', topic: null, repeated: true }).active, false);
    assert.equal(suggest(library, { level: 2, language: 'en', topic: null, repeated: true }).scenarios[0]!.id, 'repeated-contact');
    assert.throws(() => toReplyLibrary({ scenarios: [] }), /no scenarios/);
    assert.throws(() => toReplyLibrary({ scenarios: [{ id: 'Bad', title: { en: 'a', zh: 'b' }, replies: { en: ['x'], zh: ['y'] } }] }), /scenarios\[0\]\.id/);
    assert.throws(() => toReplyLibrary({ scenarios: [{ id: 'a', title: { en: 'a', zh: 'b' }, replies: { en: ['x'] } }] }), /replies\.zh/);
  });

  test('the holder gets suggestions at level 2, records one used, labels the chat; reports and the export show it', async () => {
    const s = await start({ assist: { library }, reportPrivacy: { minCount: 1 } });
    try {
      await post(s.base, '/agent/presence', { status: 'online' }, agent);
      const v = await queuedChat(s, 'zh-CN', '我要退款，已经等了两周了，再不退款我就投诉', 2);
      assert.equal((await api(s, 'GET', `/agent/conversations/${v.conversationId}/assist`, agent)).status, 403, 'claim first');
      await api(s, 'POST', `/agent/conversations/${v.conversationId}/claim`, agent);
      s.clock.t += 4000;
      const sug = await api(s, 'GET', `/agent/conversations/${v.conversationId}/assist`, agent);
      assert.deepEqual([sug.status, sug.body.active, sug.body.language, sug.body.level], [200, true, 'zh', 2]);
      assert.equal(sug.body.scenarios.length, 5);
      assert.equal((await api(s, 'POST', `/agent/conversations/${v.conversationId}/assist/used`, agent, { scenario: 'refund', index: 1 })).status, 200);
      assert.equal((await api(s, 'POST', `/agent/conversations/${v.conversationId}/assist/used`, agent, { scenario: 'nope', index: 0 })).status, 400);
      assert.equal((await api(s, 'POST', `/agent/conversations/${v.conversationId}/messages`, agent, { text: sug.body.scenarios[0].replies[1] })).status, 201);
      assert.equal((await api(s, 'POST', `/agent/conversations/${v.conversationId}/label`, agent, { upset: true })).status, 200);
      assert.equal((await api(s, 'POST', `/agent/conversations/${v.conversationId}/label`, agent, { upset: 'yes' })).status, 400);
      await post(s.base, '/signals', { v: 1, seq: 2, level: 0, trend: -1 }, v.token);
      assert.equal((await api(s, 'POST', `/agent/conversations/${v.conversationId}/close`, agent)).status, 200);
      // The visitor rates the closed chat (messenger CSAT): it counts for the agent who held it.
      assert.equal((await post(s.base, '/rating', { score: 4 }, v.token)).status, 201);
      // A second, calm chat labelled not upset.
      const w = await queuedChat(s, 'en', 'Could I speak to someone about my order please?', 2);
      await api(s, 'POST', `/agent/conversations/${w.conversationId}/claim`, agent);
      await api(s, 'POST', `/agent/conversations/${w.conversationId}/label`, agent, { upset: false });

      const report = await api(s, 'GET', '/agent/reports/agents', sup);
      const ana = report.body.agents.find((a: { agentId: string }) => a.agentId === 'ana');
      assert.deepEqual(
        [ana.chats, ana.closed, ana.meanDeEscalation, ana.deEscalated, ana.firstReply.count, ana.firstReply.meanMs, ana.assistUsed, ana.assistByScenario, ana.labels, ana.csat],
        [2, 1, 2, 1, 1, 4000, 1, { refund: 1 }, { upset: 1, notUpset: 1 }, { count: 1, mean: 4 }],
      );
      const csv = await api(s, 'GET', '/agent/reports/agents.csv', sup);
      assert.match(csv.text.split('\r\n')[0]!, /^agent_id,chats,assigned,closed,mean_level_at_claim/);
      assert.match(csv.text, /\r\nana,2,0,1,2,0,2,1,1,4000,4000,1,1,1,1,4\r\n/);
      assert.equal((await api(s, 'GET', '/agent/reports/agents', agent)).status, 403);

      const rows = await exportFeedback(s.handler.store);
      assert.deepEqual(rows, [
        { text: '我要退款，已经等了两周了，再不退款我就投诉', label: 1, lang: 'zh', group: v.conversationId },
        { text: 'Could I speak to someone about my order please?', label: 0, lang: 'en', group: w.conversationId },
      ]);
      const http = await api(s, 'GET', '/agent/feedback.jsonl', admin);
      assert.deepEqual(http.text.trim().split('\n').map((l) => JSON.parse(l)), rows);
      assert.equal((await api(s, 'GET', '/agent/feedback.jsonl', sup)).status, 403, 'admins only: the export holds text');
    } finally {
      await s.close();
    }
  });
});
