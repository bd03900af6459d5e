// Staff access, staff view and report privacy (issue 15, findings 7, 8 and 10) over real sockets: every staff read
// of a transcript is in the audit (who, role, which, how — never text), supervisors read only what `staffAccess`
// allows (bot-only chats not by default), card numbers are masked in everything staff get even when the Store
// holds them in clear (data from before masking on receipt), and exports suppress small counts.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createAgentToken, type AuditEntry } from '@temper/server';
import { SECRET, api, openEvents, post, session, start, type Running } from './helpers.ts';

const DAY = 86_400_000;
const token = (agentId: string, role: 'agent' | 'supervisor' | 'admin') => createAgentToken(SECRET, { agentId, name: agentId.toUpperCase(), role, ttlMs: DAY });
const ana = token('ana', 'agent');
const sam = token('sam', 'supervisor');
const ada = token('ada', 'admin');
const CARD = '4111 1111 1111 1111';
const MASKED = '•••• •••• •••• 1111';

/** A visitor chat; `human` asks for a person (and ana claims it) so the chat is escalated. */
async function chat(s: Running, human: boolean) {
  const v = await session(s.base);
  if (human) {
    await api(s, 'POST', '/agent/presence', ana, { status: 'online' });
    await post(s.base, '/messages', { id: 'ask-000001', text: 'I want to talk to a human' }, v.token);
    assert.equal((await api(s, 'POST', `/agent/conversations/${v.conversationId}/claim`, ana)).status, 200);
  } else await post(s.base, '/messages', { id: 'bot-000001', text: 'how long does shipping take?' }, v.token);
  // What another Store writer (or the server before masking on receipt) left in clear.
  await s.handler.store.appendEvent(v.conversationId, { type: 'message', id: 'old-1', from: 'visitor', text: `my card is ${CARD}, mail mei.chen@example.com or call +86 138 0013 8000`, at: s.clock.t });
  return v;
}

const reads = async (s: Running, id: string) =>
  (await s.handler.store.readAudit({ conversationId: id })).filter((e) => e.action === 'transcript-read').map((e: AuditEntry) => [e.agentId, e.role, e.read]);

describe('staff access (finding 7)', () => {
  test('a supervisor’s transcript read is audited; bot-only chats are refused by default; the holder’s reads are audited too', async () => {
    const s = await start();
    try {
      const bot = await chat(s, false);
      const human = await chat(s, true);
      const refused = await api(s, 'GET', `/agent/conversations/${bot.conversationId}`, sam);
      assert.deepEqual([refused.status, refused.body.error.code], [403, 'forbidden']);
      assert.match(refused.body.error.message, /never handed to a person/);
      assert.equal((await api(s, 'GET', `/agent/conversations/${bot.conversationId}/transcript`, ada)).status, 403, 'admins too (adminsRead defaults to escalated)');
      assert.deepEqual(await reads(s, bot.conversationId), [], 'a refused read reads nothing and logs no read');

      assert.equal((await api(s, 'GET', `/agent/conversations/${human.conversationId}`, sam)).status, 200);
      assert.equal((await api(s, 'GET', `/agent/conversations/${human.conversationId}`, ana)).status, 200);
      assert.equal((await api(s, 'GET', `/agent/conversations/${human.conversationId}/transcript`, sam)).status, 200);
      const stream = await openEvents(`${s.base}/agent/conversations/${human.conversationId}`, sam);
      await stream.until((f) => f.event.type === 'message' && f.event.id === 'old-1');
      stream.close();
      assert.deepEqual(await reads(s, human.conversationId), [
        ['sam', 'supervisor', 'conversation'],
        ['ana', 'agent', 'conversation'],
        ['sam', 'supervisor', 'transcript-export'],
        ['sam', 'supervisor', 'events'],
      ]);
      const entries = await s.handler.store.readAudit({ conversationId: human.conversationId });
      assert.ok(!JSON.stringify(entries).includes('1111'), 'no text in the audit');
      // Supervisors see the reads in the audit API like any other entry.
      const audit = await api(s, 'GET', `/agent/audit?conversationId=${human.conversationId}`, sam);
      assert.equal(audit.body.entries.filter((e: AuditEntry) => e.action === 'transcript-read').length, 4);
    } finally {
      await s.close();
    }
  });

  test("supervisorsRead 'all' reads bot-only chats; 'none' reads only after a take-over; bad values are refused", async () => {
    const all = await start({ staffAccess: { supervisorsRead: 'all' } });
    try {
      const bot = await chat(all, false);
      assert.equal((await api(all, 'GET', `/agent/conversations/${bot.conversationId}`, sam)).status, 200);
      assert.deepEqual(await reads(all, bot.conversationId), [['sam', 'supervisor', 'conversation']]);
    } finally {
      await all.close();
    }
    const none = await start({ staffAccess: { supervisorsRead: 'none' } });
    try {
      const human = await chat(none, true);
      const r = await api(none, 'GET', `/agent/conversations/${human.conversationId}`, sam);
      assert.deepEqual([r.status, r.body.error.code], [403, 'forbidden']);
      assert.match(r.body.error.message, /take it over/);
      assert.equal((await api(none, 'POST', `/agent/conversations/${human.conversationId}/takeover`, sam)).status, 200);
      assert.equal((await api(none, 'GET', `/agent/conversations/${human.conversationId}`, sam)).status, 200, 'the holder reads (the visitor was told a person joined)');
    } finally {
      await none.close();
    }
    await assert.rejects(start({ staffAccess: { supervisorsRead: 'team' as 'all' } }), /supervisorsRead must be one of all, escalated, none/);
    await assert.rejects(start({ staffAccess: { mask: ['cards' as 'emails'] } }), /mask must be a list of emails, phones/);
  });
});

describe('staff view (finding 8)', () => {
  test('card numbers stored in clear are masked in the transcript, the live stream, the export and the feedback export', async () => {
    const s = await start();
    try {
      const v = await chat(s, true);
      const conv = await api(s, 'GET', `/agent/conversations/${v.conversationId}`, ana);
      const text = conv.body.events.find((e: { event: { id?: string } }) => e.event.id === 'old-1').event.text;
      assert.equal(text, `my card is ${MASKED}, mail mei.chen@example.com or call +86 138 0013 8000`, 'cards masked; emails and phones only on request');
      const stream = await openEvents(`${s.base}/agent/conversations/${v.conversationId}`, ana);
      const live = await stream.until((f) => f.event.type === 'message' && f.event.id === 'old-1');
      stream.close();
      assert.ok(live.event.type === 'message' && live.event.text.includes(MASKED) && !live.event.text.includes(CARD), 'live.event.type === \'message\' && live.event.text.includes(MASKED) && !live.event.text.includes(CARD)');
      const file = await api(s, 'GET', `/agent/conversations/${v.conversationId}/transcript`, ana);
      assert.match(file.headers.get('content-disposition') ?? '', /attachment; filename="temper-transcript-/);
      assert.ok(file.body.messages.some((m: { text: string }) => m.text.includes(MASKED)), 'file.body.messages.some((m: { text: string }) => m.text.includes(MASKED))');
      assert.ok(!JSON.stringify(file.body).includes(CARD), '!JSON.stringify(file.body).includes(CARD)');

      assert.equal((await api(s, 'POST', `/agent/conversations/${v.conversationId}/label`, ana, { upset: true })).status, 200);
      const feedback = await api(s, 'GET', '/agent/feedback.jsonl', ada);
      assert.equal(feedback.status, 200);
      assert.ok(feedback.body.includes(MASKED) && !feedback.body.includes(CARD), 'feedback.body.includes(MASKED) && !feedback.body.includes(CARD)');
      assert.deepEqual((await reads(s, v.conversationId)).at(-1), ['ada', 'admin', 'feedback-export']);

      // A CSAT comment is visitor text too: masked in the report JSON and the csat CSV.
      assert.equal((await api(s, 'POST', `/agent/conversations/${v.conversationId}/close`, ana)).status, 200);
      assert.equal((await post(s.base, '/rating', { score: 2, comment: `you charged ${CARD} twice` }, v.token)).status, 201);
      const report = await api(s, 'GET', '/agent/reports', sam);
      assert.deepEqual(report.body.csat.comments.map((c: { comment: string }) => c.comment), [`you charged ${MASKED} twice`]);
      const csv = await api(s, 'GET', '/agent/reports.csv?table=csat', sam);
      assert.ok(csv.body.includes(`you charged ${MASKED} twice`) && !csv.body.includes(CARD), csv.body);
    } finally {
      await s.close();
    }
  });

  test("mask ['emails', 'phones'] hides other contacts but keeps the one left for a callback", async () => {
    const s = await start({ staffAccess: { mask: ['emails', 'phones'] } });
    try {
      const v = await chat(s, true);
      await s.handler.store.updateConversation(v.conversationId, { meta: { callback: { kind: 'email', contact: 'mei.chen@example.com', at: s.clock.t } } });
      const conv = await api(s, 'GET', `/agent/conversations/${v.conversationId}`, ana);
      const text = conv.body.events.find((e: { event: { id?: string } }) => e.event.id === 'old-1').event.text;
      assert.equal(text, `my card is ${MASKED}, mail mei.chen@example.com or call +•• ••• •••• ••00`);
      await s.handler.store.updateConversation(v.conversationId, { meta: { callback: { kind: 'phone', contact: '+86 138 0013 8000', at: s.clock.t } } });
      const again = await api(s, 'GET', `/agent/conversations/${v.conversationId}`, ana);
      assert.equal(again.body.events.find((e: { event: { id?: string } }) => e.event.id === 'old-1').event.text, `my card is ${MASKED}, mail m•••••••@example.com or call +86 138 0013 8000`);
    } finally {
      await s.close();
    }
  });
});

describe('report privacy (finding 10)', () => {
  /** Claims in queue `en` (6) and `zh` (2), straight into the audit. */
  async function claims(s: Running) {
    const t = s.clock.t;
    for (let i = 0; i < 8; i++)
      await s.handler.store.appendAudit({ at: t + i, conversationId: `conv-${String(i).padStart(6, '0')}`, action: 'claimed', queue: i < 6 ? 'en' : 'zh', agentId: 'ana', waitMs: 1000 * (i + 1), level: 1, trend: 0, reasons: [] });
    return { from: t - 1, to: t + 100 };
  }

  test('time-to-person is per queue with small queues pooled, counts below minCount read <5; per-claim rows only on opt-in', async () => {
    const s = await start();
    try {
      const { from, to } = await claims(s);
      const ttp = await api(s, 'GET', `/agent/reports.csv?table=time-to-person&from=${from}&to=${to}`, sam);
      assert.equal(ttp.body, 'queue,claims,mean_ms,median_ms,p90_ms\r\nen,6,3500,3000,6000\r\n(other queues),<5,,,\r\n');
      const summary = await api(s, 'GET', `/agent/reports.csv?table=summary&from=${from}&to=${to}`, sam);
      assert.match(summary.body, /\r\nclaimed,8\r\n/);
      assert.match(summary.body, /\r\nreleased,0\r\n/);
      const agents = await api(s, 'GET', `/agent/reports/agents.csv?from=${from}&to=${to}`, sam);
      assert.match(agents.body, /\r\nana,8,0,0,1,,,0,0,,,0,0,0,0,\r\n/, 'a mean over 8 chats shows; nothing closed, so no close figures');
    } finally {
      await s.close();
    }
    const raw = await start({ reportPrivacy: { claimRows: true, minCount: 1 } });
    try {
      const { from, to } = await claims(raw);
      const ttp = await api(raw, 'GET', `/agent/reports.csv?table=time-to-person&from=${from}&to=${to}`, sam);
      assert.equal(ttp.body.split('\r\n')[0], 'claimed_at,queue,wait_ms');
      assert.equal(ttp.body.trimEnd().split('\r\n').length, 9);
    } finally {
      await raw.close();
    }
  });

  test('perAgent: false turns per-agent reports off; bad options are refused', async () => {
    const s = await start({ reportPrivacy: { perAgent: false } });
    try {
      const r = await api(s, 'GET', '/agent/reports/agents', sam);
      assert.deepEqual([r.status, r.body.error.code], [404, 'not-found']);
      assert.match(r.body.error.message, /reportPrivacy\.perAgent: false/);
      assert.deepEqual((await api(s, 'GET', '/agent/reports', sam)).body.csat.byAgent, []);
    } finally {
      await s.close();
    }
    await assert.rejects(start({ reportPrivacy: { minCount: 0 } }), /minCount must be a whole number 1–1000/);
  });
});
