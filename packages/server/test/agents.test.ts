// Agent matching and emotional load: the pure matcher, and the router assigning real chats over real sockets.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAgentToken, DEFAULT_AGENT_ROUTING, loadOf, matchAgent, type BotAdapter, type MatchCandidate } from '@temper/server';
import { SECRET, api, post, session, start, until as waitFor } from './helpers.ts';

const cand = (agentId: string, over: Partial<MatchCandidate> & { languages?: Array<'en' | 'zh'>; skills?: MatchCandidate['profile']['skills'] } = {}): MatchCandidate => ({
  agentId,
  name: agentId,
  profile: { languages: over.languages ?? ['en'], skills: over.skills ?? [] },
  active: over.active ?? 0,
  capacity: over.capacity ?? 3,
  load: over.load ?? loadOf([]),
});

describe('matchAgent', () => {
  test('language first, then the topic skill, then de-escalation at level ≥ 2, with reasons', () => {
    const list = [cand('en-orders', { skills: ['orders', 'de-escalation'] }), cand('zh-pay', { languages: ['zh'], skills: ['payments'] }), cand('zh-calm', { languages: ['zh'], skills: ['de-escalation'] })];
    assert.deepEqual(matchAgent({ language: 'zh', topic: 'refund', level: 0 }, list), { agentId: 'zh-pay', name: 'zh-pay', reasons: ['language', 'skill'], skill: 'payments' });
    // Skill outranks de-escalation: the payments agent still takes the angry refund chat, and it says so.
    assert.deepEqual(matchAgent({ language: 'zh', topic: 'refund', level: 3 }, list).reasons, ['language', 'skill', 'de-escalation-unmatched']);
    assert.equal(matchAgent({ language: 'zh', topic: null, level: 3 }, list).agentId, 'zh-calm');
    assert.deepEqual(matchAgent({ language: 'zh', topic: null, level: 3 }, list).reasons, ['language', 'de-escalation']);
    assert.deepEqual(matchAgent({ language: 'en', topic: 'payment', level: 1 }, list).reasons, ['language', 'skill-unmatched']);
  });

  test('busy speakers of the language make the chat wait; nobody speaking it falls back to anyone free', () => {
    assert.deepEqual(matchAgent({ language: 'zh', topic: null, level: 2 }, [cand('zh', { languages: ['zh'], active: 3 }), cand('en')]).reasons, ['language-agents-busy']);
    const m = matchAgent({ language: 'zh', topic: null, level: 0 }, [cand('en')]);
    assert.deepEqual([m.agentId, m.reasons], ['en', ['language-unmatched']]);
    assert.deepEqual(matchAgent({ language: 'en', topic: null, level: 0 }, [cand('en', { active: 3 })]).reasons, ['language-agents-busy']);
    assert.deepEqual(matchAgent({ language: 'en', topic: null, level: 0 }, []).reasons, ['no-free-agent']);
  });

  test('emotional load: no third angry chat in a row when an equally qualified agent is free; lower load wins ties', () => {
    const tired = cand('a', { load: loadOf([3, 2]) });
    const fresh = cand('b', { load: loadOf([3, 3, 3, 0]) });
    assert.deepEqual(tired.load, { score: 5, chats: 2, angryInARow: 2, breakSuggested: false });
    // b has the higher load score, but a would get a third angry chat in a row.
    const angry = matchAgent({ language: 'en', topic: null, level: 2 }, [tired, fresh]);
    assert.deepEqual([angry.agentId, angry.reasons], ['b', ['language', 'de-escalation-unmatched', 'load-protected']]);
    // A calm chat is no strain: the lower load takes it.
    const calm = matchAgent({ language: 'en', topic: null, level: 0 }, [tired, fresh]);
    assert.deepEqual([calm.agentId, calm.reasons], ['a', ['language', 'lower-load']]);
    // Both on a run: unavoidable, said so.
    assert.ok(matchAgent({ language: 'en', topic: null, level: 3 }, [tired, cand('c', { load: loadOf([2, 2, 2]) })]).reasons.includes('angry-run-unavoidable'), 'matchAgent({ language: \'en\', topic: null, level: 3 }, [tired, cand(\'c\', { load: loadOf([2, 2, 2])…');
    assert.deepEqual(matchAgent({ language: 'en', topic: null, level: 0 }, [cand('x', { active: 2 }), cand('y', { active: 1 })]).reasons, ['language', 'fewer-chats']);
    assert.equal(loadOf([2, 3, 2], DEFAULT_AGENT_ROUTING).breakSuggested, true);
  });
});

/** A bot that names the intent it understood (as the shop's FAQ bot does). */
const topicBot: BotAdapter = async (_c, m) => ({ text: 'ok', understood: true, topic: /退款|refund/i.test(m.text) ? 'refund' : 'order-status' });

describe('agent routing over real sockets', () => {
  test('an angry Chinese chat goes to the Chinese de-escalation agent, with the reasons in the conversation and the audit', async () => {
    const s = await start({ bot: topicBot });
    try {
      const tom = createAgentToken(SECRET, { agentId: 'tom', name: 'Tom', role: 'agent', profile: { languages: ['en'], skills: ['orders', 'payments'] }, ttlMs: 86_400_000 });
      const mei = createAgentToken(SECRET, { agentId: 'mei', name: 'Mei', role: 'agent', profile: { languages: ['zh', 'en'], skills: ['de-escalation'] }, ttlMs: 86_400_000 });
      for (const t of [tom, mei]) assert.equal((await api(s, 'POST', '/agent/presence', t, { status: 'online' })).status, 200);
      const v = await session(s.base, 'zh-CN');
      await post(s.base, '/messages', { id: 'zh-angry-01', text: '我的订单到底在哪里？' }, v.token);
      await post(s.base, '/signals', { v: 1, seq: 1, level: 3, trend: 1 }, v.token);
      const c = await waitFor(async () => {
        const r = await s.handler.store.getConversation(v.conversationId);
        return r?.state === 'agent' ? r : null;
      }, 'the assignment');
      assert.equal(c.meta.agentId, 'mei');
      assert.equal(c.meta.assignedBy, 'router');
      assert.deepEqual(c.meta.matchReasons, ['language', 'skill-unmatched', 'de-escalation']);
      const claimed = (await s.handler.store.readAudit({ conversationId: v.conversationId })).find((e) => e.action === 'claimed');
      assert.deepEqual([claimed?.agentId, claimed?.matchReasons, claimed?.level], ['mei', ['language', 'skill-unmatched', 'de-escalation'], 3]);
      // Mei's console lists it; Tom's does not.
      assert.deepEqual((await api(s, 'GET', '/agent/chats', mei)).body.items.map((x: { conversationId: string }) => x.conversationId), [v.conversationId]);
      assert.deepEqual((await api(s, 'GET', '/agent/chats', tom)).body.items, []);
    } finally {
      await s.close();
    }
  });

  test('emotional load decides between two otherwise equal free agents', async () => {
    const s = await start({ bot: topicBot });
    try {
      const profile = { languages: ['en' as const], skills: ['de-escalation' as const], maxChats: 5 };
      const ann = createAgentToken(SECRET, { agentId: 'ann', name: 'Ann', role: 'agent', profile, ttlMs: 86_400_000 });
      const bob = createAgentToken(SECRET, { agentId: 'bob', name: 'Bob', role: 'agent', profile, ttlMs: 86_400_000 });
      await api(s, 'POST', '/agent/presence', ann, { status: 'online' });
      const angryChat = async (n: number) => {
        const v = await session(s.base, 'en');
        await post(s.base, '/signals', { v: 1, seq: 1, level: 3, trend: 0 }, v.token);
        return waitFor(async () => {
          const r = await s.handler.store.getConversation(v.conversationId);
          return r?.state === 'agent' ? r : null;
        }, `angry chat ${n}`);
      };
      // Ann alone takes two angry chats in a row.
      for (const n of [1, 2]) assert.equal((await angryChat(n)).meta.agentId, 'ann');
      // Bob comes online: equal profile, no open chats would tie on "fewer chats" only after load; the third
      // angry chat goes to Bob because Ann would get a third angry chat in a row.
      await api(s, 'POST', '/agent/presence', bob, { status: 'online' });
      const third = await angryChat(3);
      assert.equal(third.meta.agentId, 'bob');
      assert.deepEqual(third.meta.matchReasons, ['language', 'de-escalation', 'load-protected']);
      // A calm chat then goes to the lower load: Bob (one angry chat, score 3) over Ann (two, score 6).
      const v = await session(s.base, 'en');
      await post(s.base, '/messages', { id: 'calm-0001', text: 'I want to talk to a real person please' }, v.token);
      const calm = await waitFor(async () => {
        const r = await s.handler.store.getConversation(v.conversationId);
        return r?.state === 'agent' ? r : null;
      }, 'the calm chat');
      assert.deepEqual([calm.meta.agentId, calm.meta.matchReasons], ['bob', ['language', 'lower-load']]);
    } finally {
      await s.close();
    }
  });

  test('agents without a profile keep pulling from the queue; a profile that fails its checks is refused', async () => {
    assert.throws(() => createAgentToken(SECRET, { agentId: 'x', name: 'X', role: 'agent', profile: { languages: [], skills: [] }, ttlMs: 86_400_000 }), /languages/);
    assert.throws(() => createAgentToken(SECRET, { agentId: 'x', name: 'X', role: 'agent', profile: { languages: ['fr' as 'en'], skills: [] }, ttlMs: 86_400_000 }), /"fr" is not one of/);
    const s = await start({ bot: topicBot });
    try {
      const plain = createAgentToken(SECRET, { agentId: 'plain', name: 'P', role: 'agent', ttlMs: 86_400_000 });
      await api(s, 'POST', '/agent/presence', plain, { status: 'online' });
      const v = await session(s.base, 'en');
      await post(s.base, '/signals', { v: 1, seq: 1, level: 3, trend: 0 }, v.token);
      await waitFor(async () => (await s.handler.store.getConversation(v.conversationId))?.state === 'queued', 'queued');
      assert.equal((await api(s, 'POST', `/agent/conversations/${v.conversationId}/claim`, plain)).status, 200);
    } finally {
      await s.close();
    }
  });

  test('queues by language and skill: with queueBySkill a refund chat waits in en-payments', async () => {
    const s = await start({ bot: topicBot, agents: { assign: 'pull', queueBySkill: true } });
    try {
      const ana = createAgentToken(SECRET, { agentId: 'ana', name: 'Ana', role: 'agent', profile: { languages: ['en'], skills: ['payments'] }, ttlMs: 86_400_000 });
      await api(s, 'POST', '/agent/presence', ana, { status: 'online' });
      const v = await session(s.base, 'en');
      await post(s.base, '/messages', { id: 'refund-0001', text: 'I want a refund' }, v.token);
      await waitFor(async () => (await s.handler.store.getConversation(v.conversationId))?.meta.topic === 'refund', 'the topic');
      await post(s.base, '/signals', { v: 1, seq: 1, level: 2, trend: 0 }, v.token);
      await waitFor(async () => (await s.handler.store.getConversation(v.conversationId))?.state === 'queued', 'queued');
      assert.deepEqual((await api(s, 'GET', '/agent/queue?queue=en-payments', ana)).body.items.map((i: { conversationId: string }) => i.conversationId), [v.conversationId]);
      assert.deepEqual((await api(s, 'GET', '/agent/queue?queue=en', ana)).body.items, []);
      assert.equal((await s.handler.store.getConversation(v.conversationId))?.state, 'queued', 'pull: nobody was assigned');
    } finally {
      await s.close();
    }
  });
});
