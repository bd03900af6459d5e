import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createAgentToken, type BotAdapter } from '@temper/server';
import { createFaqBot } from '../../../examples/shop/faq-bot.ts';
import { SECRET, api, messages, openEvents, post, session, start, type Running, type SseFrame } from './helpers.ts';

const agentA = createAgentToken(SECRET, { agentId: 'agent-a', name: 'Mei', role: 'agent', ttlMs: 86_400_000 });
const agentB = createAgentToken(SECRET, { agentId: 'agent-b', name: 'Tom', role: 'agent', ttlMs: 86_400_000 });
const supervisor = createAgentToken(SECRET, { agentId: 'sup-1', name: 'Sam', role: 'supervisor', ttlMs: 86_400_000 });
const admin = createAgentToken(SECRET, { agentId: 'admin-1', name: 'Ada', role: 'admin', ttlMs: 86_400_000 });

const online = (s: Running, token: string) => api(s, 'POST', '/agent/presence', token, { status: 'online' });
const handoffs = (frames: SseFrame[]) => frames.map((f) => f.event).filter((e) => e.type === 'handoff');
const isHandoff = (state: string) => (f: SseFrame) => f.event.type === 'handoff' && f.event.state === state;
const fromBot = (f: SseFrame) => f.event.type === 'message' && f.event.from === 'bot';
const signal = (s: Running, token: string, seq: number, level: number, trend: number) =>
  post(s.base, '/signals', { v: 1, seq, level, trend }, token);

describe('routing over real sockets', () => {
  test('a calm visitor stays with the bot', async () => {
    const s = await start({ bot: createFaqBot() });
    try {
      await online(s, agentA);
      const v = await session(s.base);
      const ev = await openEvents(s.base, v.token);
      await signal(s, v.token, 1, 0, 0);
      await post(s.base, '/messages', { id: 'calm-00001', text: 'Hi, how long does shipping take?' }, v.token);
      await ev.until(fromBot);
      await post(s.base, '/messages', { id: 'calm-00002', text: 'Thanks!' }, v.token);
      const reply = await ev.until(fromBot);
      ev.close();
      assert.ok(reply.event.type === 'message' && reply.event.understood === true, 'reply.event.type === \'message\' && reply.event.understood === true');
      assert.deepEqual(handoffs(ev.frames), []);
      assert.equal((await s.handler.store.getConversation(v.conversationId))?.state, 'bot');
      assert.deepEqual((await api(s, 'GET', '/agent/queue', agentA)).body.items, []);
    } finally {
      await s.close();
    }
  });

  test('a visitor growing frustrated is handed over; an agent claims and replies; the visitor sees it', async () => {
    const s = await start({ bot: createFaqBot() });
    try {
      await online(s, agentA);
      const v = await session(s.base);
      const ev = await openEvents(s.base, v.token);
      await post(s.base, '/messages', { id: 'grow-00001', text: 'my thing is broken blah' }, v.token);
      await ev.until(fromBot);
      await signal(s, v.token, 1, 1, 0);
      await post(s.base, '/messages', { id: 'grow-00002', text: 'purple nonsense, you are useless' }, v.token);
      const miss = await ev.until(fromBot);
      assert.ok(miss.event.type === 'message' && miss.event.understood === false, 'miss.event.type === \'message\' && miss.event.understood === false');
      // Level 1 and rising after a failed bot reply: early handoff.
      await signal(s, v.token, 2, 1, 1);
      const queued = await ev.until(isHandoff('queued'));
      assert.deepEqual(queued.event, { type: 'handoff', state: 'queued', position: 1, waitSeconds: 120 });
      const notice = await ev.until((f) => f.event.type === 'message' && f.event.from === 'system');
      assert.ok(notice.event.type === 'message' && /Connecting you to a person… You are number 1 in line/.test(notice.event.text), 'notice.event.type === \'message\' && /Connecting you to a person… You are number 1 in line/.test(no…');

      const q = await api(s, 'GET', '/agent/queue', agentA);
      assert.equal(q.body.items.length, 1);
      const item = q.body.items[0];
      assert.deepEqual(
        [item.conversationId, item.level, item.trend, item.reasons, item.position, item.queue],
        [v.conversationId, 1, 1, ['rising'], 1, 'en'],
      );
      assert.equal(JSON.stringify(q.body).includes('useless'), false, 'the queue carries no message text');
      // Before the claim the agent cannot read the transcript.
      assert.equal((await api(s, 'GET', `/agent/conversations/${v.conversationId}`, agentA)).status, 403);

      const claim = await api(s, 'POST', `/agent/conversations/${v.conversationId}/claim`, agentA);
      assert.equal(claim.status, 200);
      const joined = await ev.until(isHandoff('agent'));
      assert.deepEqual(joined.event, { type: 'handoff', state: 'agent', name: 'Mei' });

      const transcript = await api(s, 'GET', `/agent/conversations/${v.conversationId}`, agentA);
      assert.equal(transcript.status, 200);
      assert.deepEqual(
        messages(transcript.body.events).filter((m) => m.from === 'visitor').map((m) => m.text),
        ['my thing is broken blah', 'purple nonsense, you are useless'],
      );
      const agentEv = await openEvents(s.base + '/agent/conversations/' + v.conversationId, agentA, String(transcript.body.events.at(-1).id));
      const r = await api(s, 'POST', `/agent/conversations/${v.conversationId}/messages`, agentA, { text: 'Hi, I am Mei. Let me fix this.' });
      assert.equal(r.status, 201);
      const seen = await ev.until((f) => f.event.type === 'message' && f.event.from === 'agent');
      assert.ok(seen.event.type === 'message' && seen.event.text === 'Hi, I am Mei. Let me fix this.' && seen.event.name === 'Mei', 'seen.event.type === \'message\' && seen.event.text === \'Hi, I am Mei. Let me fix this.\' && seen.eve…');
      // The visitor writes back: no bot answer while a person has the chat; the agent's stream sees it live.
      await post(s.base, '/messages', { id: 'grow-00003', text: 'thank you Mei' }, v.token);
      const toAgent = await agentEv.until((f) => f.event.type === 'message' && f.event.from === 'visitor');
      assert.ok(toAgent.event.type === 'message' && toAgent.event.text === 'thank you Mei', 'toAgent.event.type === \'message\' && toAgent.event.text === \'thank you Mei\'');
      agentEv.close();
      ev.close();
      const after = messages(ev.frames);
      assert.equal(after.at(-1)?.from, 'visitor');
      assert.equal(after.filter((m) => m.from === 'bot').length, 2);
    } finally {
      await s.close();
    }
  });

  test('"I want a human" and "转人工" hand over at once, with no bot answer to the ask', async () => {
    const s = await start({ bot: createFaqBot() });
    try {
      await online(s, agentA);
      const en = await session(s.base);
      const zh = await session(s.base, 'zh-CN');
      const evEn = await openEvents(s.base, en.token);
      const evZh = await openEvents(s.base, zh.token);
      await post(s.base, '/messages', { id: 'ask-en-001', text: 'I want a human' }, en.token);
      await post(s.base, '/messages', { id: 'ask-zh-001', text: '转人工' }, zh.token);
      assert.equal((await s.handler.store.getConversation(en.conversationId))?.state, 'queued');
      const qEn = await evEn.until(isHandoff('queued'));
      const qZh = await evZh.until(isHandoff('queued'));
      assert.ok(qEn.event.type === 'handoff' && qEn.event.position === 1, 'qEn.event.type === \'handoff\' && qEn.event.position === 1');
      assert.ok(qZh.event.type === 'handoff' && qZh.event.position === 1, 'separate queues per language');
      const zhNotice = await evZh.until((f) => f.event.type === 'message' && f.event.from === 'system');
      assert.ok(zhNotice.event.type === 'message' && /正在为您转接人工客服/.test(zhNotice.event.text), 'zhNotice.event.type === \'message\' && /正在为您转接人工客服/.test(zhNotice.event.text)');
      const queue = (await api(s, 'GET', '/agent/queue', agentA)).body.items;
      // Equal priority and the same enqueue time: the order between the two queues is not specified.
      const rows = queue.map((i: { queue: string; reasons: string[] }) => [i.queue, i.reasons]).sort();
      assert.deepEqual(rows, [
        ['en', ['asked-for-human']],
        ['zh', ['asked-for-human']],
      ]);
      evEn.close();
      evZh.close();
      assert.equal(evEn.frames.filter(fromBot).length, 0);
      assert.equal(evZh.frames.filter(fromBot).length, 0);
    } finally {
      await s.close();
    }
  });

  test('with no agent online the bot turns careful and says so; an agent coming online picks the chat up', async () => {
    const s = await start({ bot: createFaqBot() });
    try {
      const v = await session(s.base);
      const ev = await openEvents(s.base, v.token);
      await post(s.base, '/messages', { id: 'none-00001', text: 'let me talk to a real person' }, v.token);
      const honest = await ev.until((f) => f.event.type === 'message' && f.event.from === 'system');
      assert.ok(honest.event.type === 'message' && /No one from our team is online right now/.test(honest.event.text), 'honest.event.type === \'message\' && /No one from our team is online right now/.test(honest.event.t…');
      assert.ok(honest.event.type === 'message' && /leave your email or phone number/.test(honest.event.text), 'honest.event.type === \'message\' && /leave your email or phone number/.test(honest.event.text)');
      await post(s.base, '/messages', { id: 'none-00002', text: 'ok, how do refunds work?' }, v.token);
      const careful = await ev.until(fromBot);
      assert.ok(careful.event.type === 'message' && /^I am sorry/.test(careful.event.text), 'careful tone');
      assert.ok(careful.event.type === 'message' && /No one from the team is free right now/.test(careful.event.text), 'careful.event.type === \'message\' && /No one from the team is free right now/.test(careful.event.t…');
      assert.equal((await s.handler.store.getConversation(v.conversationId))?.state, 'bot');
      // The notice is given once, not on every message.
      assert.equal(messages(ev.frames).filter((m) => m.from === 'system').length, 1);
      await online(s, agentB);
      const queued = await ev.until(isHandoff('queued'));
      assert.ok(queued.event.type === 'handoff' && queued.event.position === 1, 'queued.event.type === \'handoff\' && queued.event.position === 1');
      ev.close();
      const audit = (await api(s, 'GET', '/agent/audit', supervisor)).body.entries;
      assert.ok(audit.some((e: { reasons: string[] }) => e.reasons.includes('no-agent-available')), 'audit.some((e: { reasons: string[] }) => e.reasons.includes(\'no-agent-available\'))');
      assert.ok(audit.some((e: { trigger?: string; action: string }) => e.action === 'decision' && e.trigger === 'agents-changed'), 'audit.some((e: { trigger?: string; action: string }) => e.action === \'decision\' && e.trigger === …');
    } finally {
      await s.close();
    }
  });

  test('two agents claiming the same chat at once: exactly one wins, the other gets 409', async () => {
    const s = await start({ bot: createFaqBot() });
    try {
      await online(s, agentA);
      await online(s, agentB);
      const v = await session(s.base);
      await post(s.base, '/messages', { id: 'dbl-000001', text: 'agent please, I need a human' }, v.token);
      for (let round = 0; round < 3; round++) {
        const path = `/agent/conversations/${v.conversationId}/claim`;
        const [a, b] = await Promise.all([api(s, 'POST', path, agentA), api(s, 'POST', path, agentB)]);
        const statuses = [a.status, b.status].sort();
        if (round === 0) {
          assert.deepEqual(statuses, [200, 409]);
          const loser = a.status === 409 ? a : b;
          assert.equal(loser.body.error.code, 'conflict');
        } else assert.deepEqual(statuses, [409, 409]);
      }
      const winner = (await s.handler.store.getConversation(v.conversationId))?.meta.agentId as string;
      const loserToken = winner === 'agent-a' ? agentB : agentA;
      const write = await api(s, 'POST', `/agent/conversations/${v.conversationId}/messages`, loserToken, { text: 'me too' });
      assert.deepEqual([write.status, write.body.error.code], [409, 'conflict']);
      assert.equal((await api(s, 'GET', `/agent/conversations/${v.conversationId}`, loserToken)).status, 403);
      assert.equal((await api(s, 'POST', `/agent/conversations/${v.conversationId}/release`, loserToken)).status, 403);
    } finally {
      await s.close();
    }
  });

  test('the queue is sorted by priority, then by waiting time, and positions follow claims', async () => {
    const s = await start({ bot: createFaqBot() });
    try {
      await online(s, agentA);
      const first = await session(s.base);
      const second = await session(s.base);
      const angry = await session(s.base);
      await post(s.base, '/messages', { id: 'q-first-01', text: 'agent' }, first.token);
      s.clock.t += 1000;
      await post(s.base, '/messages', { id: 'q-secnd-01', text: 'agent' }, second.token);
      s.clock.t += 1000;
      const evSecond = await openEvents(s.base, second.token);
      await signal(s, angry.token, 1, 3, 1);
      const items = (await api(s, 'GET', '/agent/queue', agentA)).body.items;
      assert.deepEqual(
        items.map((i: { conversationId: string; position: number }) => [i.conversationId, i.position]),
        [
          [angry.conversationId, 1],
          [first.conversationId, 2],
          [second.conversationId, 3],
        ],
      );
      assert.ok(items[0].priority > items[1].priority && items[1].priority === items[2].priority, 'items[0].priority > items[1].priority && items[1].priority === items[2].priority');
      assert.ok(items[1].queuedAt < items[2].queuedAt, 'items[1].queuedAt < items[2].queuedAt');
      // second was told 2nd at first, then 3rd when the angry visitor went ahead.
      await evSecond.until((f) => f.event.type === 'handoff' && f.event.position === 3);
      await api(s, 'POST', `/agent/conversations/${angry.conversationId}/claim`, agentA);
      const moved = await evSecond.until((f) => f.event.type === 'handoff' && f.event.state === 'queued');
      assert.ok(moved.event.type === 'handoff' && moved.event.position === 2, 'moved.event.type === \'handoff\' && moved.event.position === 2');
      evSecond.close();
    } finally {
      await s.close();
    }
  });

  test('hand back to the bot does not bounce; close ends the chat and a new message reopens it', async () => {
    const s = await start({ bot: createFaqBot() });
    try {
      await online(s, agentA);
      const v = await session(s.base);
      const ev = await openEvents(s.base, v.token);
      await signal(s, v.token, 1, 2, 1);
      await ev.until(isHandoff('queued'));
      await api(s, 'POST', `/agent/conversations/${v.conversationId}/claim`, agentA);
      const back = await api(s, 'POST', `/agent/conversations/${v.conversationId}/release`, agentA);
      assert.deepEqual([back.status, back.body.state], [200, 'bot']);
      await ev.until(isHandoff('bot'));
      // Same level again: no new handoff (hysteresis after hand-back). A higher level does hand over.
      await signal(s, v.token, 2, 2, 0);
      await post(s.base, '/messages', { id: 'back-00001', text: 'where is my order' }, v.token);
      await ev.until(fromBot);
      assert.equal((await s.handler.store.getConversation(v.conversationId))?.state, 'bot');
      await signal(s, v.token, 3, 3, 1);
      await ev.until(isHandoff('queued'));
      const closed = await api(s, 'POST', `/agent/conversations/${v.conversationId}/close`, agentA);
      assert.deepEqual([closed.status, closed.body.state], [200, 'closed']);
      await ev.until(isHandoff('closed'));
      await post(s.base, '/messages', { id: 'back-00002', text: 'hello again' }, v.token);
      await ev.until(isHandoff('bot'));
      await ev.until(fromBot);
      ev.close();
    } finally {
      await s.close();
    }
  });
});

describe('audit, reports, roles', () => {
  const SECRET_TEXT = 'zebra-marmalade-7781';

  async function scenario(s: Running) {
    await online(s, agentA);
    const v = await session(s.base);
    await post(s.base, '/messages', { id: 'audit-0001', text: `${SECRET_TEXT} where is my order` }, v.token);
    await signal(s, v.token, 1, 1, 0);
    await signal(s, v.token, 2, 2, 1);
    s.clock.t += 30_000;
    await api(s, 'POST', `/agent/conversations/${v.conversationId}/claim`, agentA);
    await api(s, 'POST', `/agent/conversations/${v.conversationId}/messages`, agentA, { text: `agent says ${SECRET_TEXT}` });
    const calm = await session(s.base);
    await signal(s, calm.token, 1, 0, 0);
    await post(s.base, '/messages', { id: 'audit-0002', text: `thanks ${SECRET_TEXT}` }, calm.token);
    return { v, calm };
  }

  test('every decision is audited with reasons and levels, and never with text', async () => {
    const s = await start({ bot: createFaqBot() });
    try {
      const { v } = await scenario(s);
      const r = await api(s, 'GET', '/agent/audit', supervisor);
      assert.equal(r.status, 200);
      const entries = r.body.entries as Array<Record<string, unknown>>;
      assert.equal(JSON.stringify(r.body).includes(SECRET_TEXT), false);
      assert.equal(JSON.stringify(await s.handler.store.readAudit()).includes(SECRET_TEXT), false);
      const allowed = new Set(['at', 'conversationId', 'action', 'trigger', 'route', 'tone', 'priority', 'queue', 'state', 'level', 'trend', 'reasons', 'agentId', 'waitMs', 'matchReasons']);
      for (const e of entries) for (const k of Object.keys(e)) assert.ok(allowed.has(k), `unexpected audit field ${k}`);
      const mine = entries.filter((e) => e.conversationId === v.conversationId);
      assert.deepEqual(
        mine.map((e) => [e.action, e.trigger ?? null, e.level, e.route ?? null]),
        [
          ['opened', null, null, null],
          ['decision', 'message', null, 'bot'],
          ['decision', 'signal', 1, 'bot'],
          ['decision', 'signal', 2, 'human'],
          ['queued', null, 2, null],
          ['claimed', null, 2, null],
          // The agent's first reply (time to first reply, issue 14).
          ['replied', null, 2, null],
        ],
      );
      assert.equal(mine.find((e) => e.action === 'claimed')?.waitMs, 30_000);
      const one = await api(s, 'GET', `/agent/audit?conversationId=${v.conversationId}&limit=2`, supervisor);
      assert.equal(one.body.entries.length, 2);
    } finally {
      await s.close();
    }
  });

  test('audit retention drops old entries', async () => {
    const s = await start({ auditRetentionMs: 60_000, heartbeatMs: 20 });
    try {
      const v = await session(s.base);
      await signal(s, v.token, 1, 1, 0);
      assert.equal((await s.handler.store.readAudit({ conversationId: v.conversationId })).length, 2);
      s.clock.t += 61_000;
      const r = await api(s, 'GET', `/agent/reports?from=${s.clock.t - 86_400_000}&to=${s.clock.t + 1}&bucket=day`, supervisor);
      assert.equal(r.status, 200);
      assert.equal((await s.handler.store.readAudit()).length, 0);
    } finally {
      await s.close();
    }
  });

  test('reports as JSON and CSV: level distribution, handoff rate, time to a person, reasons', async () => {
    // The raw figures of two conversations: small-count suppression off, one row per claim (issue 15 options).
    const s = await start({ bot: createFaqBot(), reportPrivacy: { minCount: 1, claimRows: true } });
    try {
      const from = s.clock.t - 1;
      await scenario(s);
      const to = s.clock.t + 1;
      const r = await api(s, 'GET', `/agent/reports?from=${from}&to=${to}&bucket=minute`, supervisor);
      assert.equal(r.status, 200);
      const rep = r.body;
      assert.deepEqual(Object.keys(rep).sort(), [
        'abandoned', 'bucketMs', 'callbacksRequested', 'conversations', 'csat', 'decisions', 'decisionsByReason', 'decisionsByRoute', 'from', 'handoffRate', 'handoffs', 'levels', 'outcomes', 'timeToPerson', 'to',
      ]);
      assert.equal(rep.bucketMs, 60_000);
      assert.equal(rep.conversations, 2);
      assert.equal(rep.handoffs, 1);
      assert.equal(rep.handoffRate, 0.5);
      assert.deepEqual(rep.timeToPerson, { count: 1, meanMs: 30_000, medianMs: 30_000, p90Ms: 30_000, maxMs: 30_000 });
      const totals = rep.levels.reduce((acc: number[], b: { counts: number[] }) => acc.map((x, i) => x + b.counts[i]!), [0, 0, 0, 0]);
      assert.deepEqual(totals, [1, 0, 1, 0], 'one calm conversation, one that peaked at frustrated');
      assert.equal(rep.decisionsByReason['level-high'], 1);
      assert.ok(rep.decisionsByReason.calm >= 2, 'rep.decisionsByReason.calm >= 2');
      assert.equal(rep.outcomes.claimed, 1);

      const csv = await api(s, 'GET', `/agent/reports.csv?table=levels&from=${from}&to=${to}&bucket=minute`, supervisor);
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
      const lines = (csv.body as string).trimEnd().split('\r\n');
      assert.equal(lines[0], 'bucket_start,calm,uneasy,frustrated,angry');
      assert.equal(lines.length, 1 + rep.levels.length);
      assert.match(lines[1]!, /^\d{4}-\d{2}-\d{2}T[\d:.]+Z,\d+,\d+,\d+,\d+$/);
      const reasons = await api(s, 'GET', `/agent/reports.csv?table=reasons&from=${from}&to=${to}`, supervisor);
      assert.match(reasons.body, /^reason,decisions\r\n/);
      assert.match(reasons.body, /\r\nlevel-high,1\r\n/);
      const summary = await api(s, 'GET', `/agent/reports.csv?table=summary&from=${from}&to=${to}`, supervisor);
      assert.match(summary.body, /\r\nhandoff_rate,0\.5\r\n/);
      const ttp = await api(s, 'GET', `/agent/reports.csv?table=time-to-person&from=${from}&to=${to}`, supervisor);
      assert.match(ttp.body, /^claimed_at,queue,wait_ms\r\n[^,]+,en,30000\r\n$/);
      const bad = await api(s, 'GET', `/agent/reports.csv?table=nope`, supervisor);
      assert.deepEqual([bad.status, bad.body.error.code, bad.body.error.field], [400, 'not-allowed-value', 'table']);
    } finally {
      await s.close();
    }
  });

  test('roles are enforced: visitor tokens, agents, supervisors, admins', async () => {
    const s = await start({ bot: createFaqBot() });
    try {
      const v = await session(s.base);
      assert.equal((await api(s, 'GET', '/agent/queue')).status, 401);
      assert.equal((await api(s, 'GET', '/agent/queue', v.token)).status, 401, 'a visitor token is not an agent token');
      const forged = agentA.replace(/\.[^.]+$/, '.' + 'A'.repeat(43));
      assert.equal((await api(s, 'GET', '/agent/queue', forged)).status, 401);
      const expired = createAgentToken(SECRET, { agentId: 'old', name: 'Old', role: 'admin', ttlMs: 1000, now: s.clock.t - 1001 });
      assert.equal((await api(s, 'GET', '/agent/queue', expired)).status, 401);
      const otherSecret = createAgentToken('another-secret-another-secret-0123456789', { agentId: 'x', name: 'X', role: 'admin', ttlMs: 86_400_000 });
      assert.equal((await api(s, 'GET', '/agent/queue', otherSecret)).status, 401);
      assert.equal((await api(s, 'GET', '/agent/queue', agentA)).status, 200);
      const rep = await api(s, 'GET', '/agent/reports', agentA);
      assert.deepEqual([rep.status, rep.body.error.code], [403, 'forbidden']);
      assert.equal((await api(s, 'GET', '/agent/audit', agentA)).status, 403);
      assert.equal((await api(s, 'GET', '/agent/reports', supervisor)).status, 200);
      assert.equal((await api(s, 'GET', '/agent/reports.csv', admin)).status, 200);
      assert.equal((await api(s, 'DELETE', `/agent/conversations/${v.conversationId}`, supervisor)).status, 403);
      assert.equal((await api(s, 'GET', `/agent/conversations/${v.conversationId}`, agentA)).status, 403);
      // Staff access (issue 15): a bot-only chat is not for supervisors by default (staffAccess.supervisorsRead 'escalated').
      assert.equal((await api(s, 'GET', `/agent/conversations/${v.conversationId}`, supervisor)).status, 403);
      const bad = await api(s, 'POST', '/agent/presence', agentA, { status: 'busy' });
      assert.deepEqual([bad.status, bad.body.error.code, bad.body.error.field], [400, 'not-allowed-value', 'status']);
      assert.equal((await api(s, 'PUT', '/agent/queue', agentA)).status, 405);
      assert.equal((await api(s, 'GET', '/agent/nope', agentA)).status, 404);
    } finally {
      await s.close();
    }
  });

  test('deleting a conversation removes it, ends its token, and pseudonymises its audit entries', async () => {
    const s = await start({ bot: createFaqBot() });
    try {
      const v = await session(s.base);
      await post(s.base, '/messages', { id: 'del-000001', text: 'where is my order' }, v.token);
      const ev = await openEvents(s.base, v.token);
      const del = await api(s, 'DELETE', `/agent/conversations/${v.conversationId}`, admin);
      assert.deepEqual([del.status, del.body.deleted], [200, true]);
      await ev.ended;
      assert.equal(await s.handler.store.getConversation(v.conversationId), null);
      assert.equal((await post(s.base, '/messages', { id: 'del-000002', text: 'hi' }, v.token)).status, 401);
      assert.equal((await post(s.base, '/sessions', {}, v.token)).status, 401);
      const audit = await s.handler.store.readAudit();
      assert.equal(audit.some((e) => e.conversationId === v.conversationId), false);
      assert.ok(audit.length >= 2 && audit.every((e) => e.conversationId.startsWith('deleted-')), 'audit.length >= 2 && audit.every((e) => e.conversationId.startsWith(\'deleted-\'))');
      assert.equal((await api(s, 'DELETE', `/agent/conversations/${v.conversationId}`, admin)).status, 404);
      assert.equal(await s.handler.deleteConversation('nope-nope-nope'), false);
    } finally {
      await s.close();
    }
  });

  test('the queue stream pushes a snapshot when a chat is queued', async () => {
    const s = await start({ bot: createFaqBot() });
    try {
      await online(s, agentA);
      const res = await fetch(`${s.base}/agent/queue/events`, { headers: { authorization: `Bearer ${agentA}`, accept: 'text/event-stream' } });
      assert.equal(res.status, 200);
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buf = '';
      const guard = setTimeout(() => void reader.cancel(), 10_000);
      const next = async (pred: (d: { items: Array<{ conversationId: string }> }) => boolean) => {
        for (;;) {
          const m = /data: (.*)\n\n/.exec(buf);
          if (m) {
            buf = buf.slice(m.index + m[0].length);
            const d = JSON.parse(m[1]!);
            if (pred(d)) return d;
            continue;
          }
          const { value, done } = await reader.read();
          if (done) throw new Error('stream ended');
          buf += value;
        }
      };
      assert.deepEqual((await next(() => true)).items, []);
      const v = await session(s.base);
      await post(s.base, '/messages', { id: 'qs-0000001', text: 'human please' }, v.token);
      const snap = await next((d) => d.items.length > 0);
      assert.equal(snap.items[0]?.conversationId, v.conversationId);
      clearTimeout(guard);
      await reader.cancel();
    } finally {
      await s.close();
    }
  });
});

test('a bot reply that arrives after an agent claimed the chat is dropped', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const slowBot: BotAdapter = async () => {
    await gate;
    return { text: 'late bot answer', understood: true };
  };
  const s = await start({ bot: slowBot });
  try {
    await online(s, agentA);
    const v = await session(s.base);
    const ev = await openEvents(s.base, v.token);
    await post(s.base, '/messages', { id: 'slow-00001', text: 'question' }, v.token);
    await ev.until((f) => f.event.type === 'typing' && f.event.active);
    assert.equal((await api(s, 'POST', `/agent/conversations/${v.conversationId}/claim`, agentA)).status, 200);
    release();
    await ev.until((f) => f.event.type === 'typing' && !f.event.active);
    await api(s, 'POST', `/agent/conversations/${v.conversationId}/messages`, agentA, { text: 'agent here' });
    await ev.until((f) => f.event.type === 'message' && f.event.from === 'agent');
    ev.close();
    assert.equal(ev.frames.some(fromBot), false);
  } finally {
    await s.close();
  }
});
