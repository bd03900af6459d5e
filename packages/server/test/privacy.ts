// Issue 15 (findings 5, 6, 8 server side) as checks over real sockets with a faked clock, shared by the memory
// test (privacy.test.ts) and the Redis test (packages/server-redis/test/privacy-on-redis.test.ts): retention
// deletes transcripts, signals and staff names after their days and archives the audit before pruning it; a
// data subject's conversation is found, exported and erased with its audit anonymised; card numbers are masked
// before anything is stored.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgentToken, type TemperServerOptions } from '@temper/server';
import { SECRET, api, post, session, until, type Running } from './helpers.ts';

const DAY = 86_400_000;
export const ID_KEY = 'identity-key-privacy-0123456789abcdef0123456789ab';
const hash = (id: string) => createHmac('sha256', ID_KEY).update(id).digest('hex');
const mei = createAgentToken(SECRET, { agentId: 'agent-mei', name: 'Mei Chen', role: 'agent', ttlMs: 86_400_000 });
const sup = createAgentToken(SECRET, { agentId: 'sup-1', name: 'Sam', role: 'supervisor', ttlMs: 86_400_000 });
const admin = createAgentToken(SECRET, { agentId: 'dpo-1', name: 'DPO', role: 'admin', ttlMs: 86_400_000 });

/** Starts a server (memory or Redis-backed) with these options; the caller closes it. */
export type Starter = (opts: Partial<TemperServerOptions>) => Promise<Running>;

const base = (): Partial<TemperServerOptions> => ({
  limits: { perIp: false, perSession: false, perAgent: false, sessionsPerIp: false, sessions: false },
  bot: async (_c, m) => ({ text: `Echo: ${m.text}`, understood: true }),
});

let n = 0;
async function say(s: Running, token: string, text: string) {
  const r = await post(s.base, '/messages', { id: `priv-${String(++n).padStart(6, '0')}`, text }, token);
  assert.equal(r.status, 201, JSON.stringify(r.body));
}

/** A visitor who chatted, sent signals, was claimed by Mei, got a reply, was closed and rated. */
async function servedChat(s: Running, opts: { user?: string } = {}) {
  const v = opts.user
    ? ((await post(s.base, '/sessions', { user: { id: opts.user, hash: hash(opts.user) } })).body as { token: string; conversationId: string })
    : await session(s.base);
  await api(s, 'POST', '/agent/presence', mei, { status: 'online' });
  await say(s, v.token, 'my card 4111 1111 1111 1111 was charged twice');
  assert.equal((await post(s.base, '/signals', { v: 1, seq: 1, level: 2, trend: 1 }, v.token)).status, 200);
  assert.equal((await post(s.base, '/signals', { v: 1, seq: 2, level: 3, trend: 1 }, v.token)).status, 200);
  await say(s, v.token, 'I want a human now');
  const claim = await api(s, 'POST', `/agent/conversations/${v.conversationId}/claim`, mei);
  assert.equal(claim.status, 200, JSON.stringify(claim.body));
  const reply = await api(s, 'POST', `/agent/conversations/${v.conversationId}/messages`, mei, { text: 'Refund sent to 5500-0000-0000-0004, sorry!' });
  assert.ok(reply.status === 200 || reply.status === 201, JSON.stringify(reply.body));
  assert.equal((await api(s, 'POST', `/agent/conversations/${v.conversationId}/close`, mei)).status, 200);
  assert.equal((await post(s.base, '/rating', { score: 4, comment: 'ok, card 4111111111111111' }, v.token)).status, 201);
  return v;
}

/**
 * Finding 5: transcripts 30 days, signals 7, staff names 14, audit 60 with a folder archive; the clock moves on
 * and each sweep deletes exactly what is past its days, for the old conversation only.
 */
export async function retentionScenario(startServer: Starter): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'temper-audit-'));
  const s = await startServer({ ...base(), retention: { transcriptsDays: 30, signalsDays: 7, staffNamesDays: 14, auditDays: 60, auditArchive: { dir } } });
  try {
    const store = s.handler.store;
    const old = await servedChat(s);
    const t0 = s.clock.t;
    s.clock.t = t0 + 20 * DAY;
    const recent = await session(s.base);
    await say(s, recent.token, 'hello again');
    assert.equal((await post(s.base, '/signals', { v: 1, seq: 1, level: 1, trend: 0 }, recent.token)).status, 200);
    await until(async () => (await store.readEvents(recent.conversationId, 0)).some((e) => e.event.type === 'message' && e.event.from === 'bot'), 'the bot reply');

    // Day 20: the old chat is past its signals (7) and staff names (14), not its transcript (30).
    const r1 = await s.handler.runRetention();
    assert.equal(r1.skipped, false);
    assert.equal(r1.transcriptsDeleted, 0);
    assert.equal(r1.signalsCleared, 1);
    assert.equal(await store.getSignalState(old.conversationId), null);
    assert.notEqual(await store.getSignalState(recent.conversationId), null, 'the recent chat keeps its signals');
    assert.ok(r1.staffNamesRemoved >= 3, `names removed: ${r1.staffNamesRemoved}`);
    const events = (await store.readEvents(old.conversationId, 0)).map((e) => e.event);
    const agentLines = events.filter((e) => e.type === 'message' && e.from === 'agent');
    assert.equal(agentLines.length, 1);
    assert.equal('name' in agentLines[0]!, false, 'the agent message lost its name');
    assert.ok(!JSON.stringify(events).includes('Mei Chen'), 'no staff name left in the transcript');
    assert.equal((await store.getRating(old.conversationId))?.agentName, undefined);
    assert.equal((await store.getConversation(old.conversationId))?.meta['lastAgentName'], null);

    // Day 31 after the old chat: its transcript is gone; the recent chat (day 20) stays.
    s.clock.t = t0 + 31 * DAY;
    const r2 = await s.handler.runRetention();
    assert.equal(r2.transcriptsDeleted, 1);
    assert.equal(await store.getConversation(old.conversationId), null);
    await assert.rejects(store.readEvents(old.conversationId, 0), /unknown conversation/);
    assert.equal(await store.getRating(old.conversationId), null);
    assert.notEqual(await store.getConversation(recent.conversationId), null);
    assert.deepEqual(await store.readAudit({ conversationId: old.conversationId }), [], 'its audit entries are pseudonymised');

    // Day 61: the old chat's audit entries leave the Store, into one JSON Lines file first.
    const before = (await store.readAudit({ to: t0 + 1 * DAY })).length;
    assert.ok(before >= 5, `audit entries of day 0: ${before}`);
    s.clock.t = t0 + 61 * DAY;
    const r3 = await s.handler.runRetention();
    assert.equal(r3.auditArchived, r3.auditPruned);
    assert.ok(r3.auditArchived >= before, `archived ${r3.auditArchived}`);
    assert.equal(r3.files.length, 1);
    const files = await readdir(dir);
    assert.deepEqual(files.filter((f) => f.endsWith('.tmp')), []);
    const lines = (await readFile(join(dir, files[0]!), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, r3.auditArchived);
    assert.ok(lines.every((e) => typeof e.at === 'number' && e.at < t0 + DAY && typeof e.action === 'string'), 'lines.every((e) => typeof e.at === \'number\' && e.at < t0 + DAY && typeof e.action === \'string\')');
    assert.ok(lines.some((e) => e.action === 'claimed' && e.agentId === 'agent-mei'), 'the operation log keeps who claimed');
    assert.equal((await store.readAudit({ to: t0 + DAY })).length, 0);

    // Day 400: everything is gone; the counters add up.
    s.clock.t = t0 + 400 * DAY;
    await s.handler.runRetention();
    assert.deepEqual(await store.listConversations(), []);
    const st = s.handler.stats().retention;
    assert.equal(st.runs, 4);
    assert.equal(st.transcriptsDeleted, 2);
    assert.equal(st.failures, 0);
    assert.ok(st.auditArchived >= r3.auditArchived && st.auditArchived === st.auditPruned, 'st.auditArchived >= r3.auditArchived && st.auditArchived === st.auditPruned');
  } finally {
    await s.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Finding 6: a verified customer's served chat is found by the reference (pasted with spaces) and by user id,
 * exported as JSON, and erased over the admin routes; the audit is anonymised and the report still adds up.
 */
export async function dataSubjectScenario(startServer: Starter): Promise<void> {
  // Webhooks to a closed loopback port: the chat's events stay in the outbox, and erasure must drop them.
  const s = await startServer({ ...base(), identitySecret: ID_KEY, webhooks: { url: 'http://127.0.0.1:9/hook', secret: 'webhook-secret-privacy-0123456789abcdef' } });
  try {
    const store = s.handler.store;
    const v = await servedChat(s, { user: 'cust-42' });
    const other = await servedChat(s);
    const id = v.conversationId;
    await until(async () => (await store.readAudit({ conversationId: id })).some((e) => e.action === 'closed'), 'the close in the audit');
    const day = { from: s.clock.t - DAY, to: s.clock.t + DAY };
    const report = async () => (await api(s, 'GET', `/agent/reports?from=${day.from}&to=${day.to}&bucket=day`, sup)).body;
    const before = await report();
    assert.equal(before.conversations, 2);
    assert.equal(before.handoffs, 2);

    // Find: by reference (whitespace trimmed), by user id; supervisors may not; a bad query is a clear 400.
    const byRef = await api(s, 'GET', `/agent/privacy/conversations?conversationId=${encodeURIComponent(`  ${id} \n`)}`, admin);
    assert.equal(byRef.status, 200, JSON.stringify(byRef.body));
    assert.deepEqual(byRef.body.items.map((x: { conversationId: string }) => x.conversationId), [id]);
    assert.equal(byRef.body.items[0].userId, 'cust-42');
    const byUser = await api(s, 'GET', '/agent/privacy/conversations?userId=cust-42', admin);
    assert.deepEqual(byUser.body.items.map((x: { conversationId: string }) => x.conversationId), [id]);
    assert.equal((await api(s, 'GET', `/agent/privacy/conversations?conversationId=${id}`, sup)).status, 403);
    const both = await api(s, 'GET', `/agent/privacy/conversations?conversationId=${id}&userId=cust-42`, admin);
    assert.equal(both.status, 400);
    assert.match(both.body.error.message, /exactly one/);
    assert.equal((await api(s, 'GET', '/agent/privacy/conversations?conversationId=%7Bbad%7D', admin)).status, 400);

    // Export (Art. 15 / 20).
    const ex = await api(s, 'GET', `/agent/privacy/conversations/${id}/export`, admin);
    assert.equal(ex.status, 200);
    assert.match(ex.headers.get('content-disposition') ?? '', /attachment/);
    const e = ex.body;
    assert.equal(e.schema, 'temper.conversation-export.v1');
    assert.equal(e.conversation.id, id);
    assert.equal(e.conversation.userId, 'cust-42');
    const texts = e.messages.map((m: { text: string }) => m.text);
    assert.ok(texts.includes('my card •••• •••• •••• 1111 was charged twice'), JSON.stringify(texts));
    assert.ok(texts.includes('Refund sent to ••••-••••-••••-0004, sorry!'), 'texts.includes(\'Refund sent to ••••-••••-••••-0004, sorry!\')');
    assert.ok(!JSON.stringify(e).includes('4111 1111 1111 1111') && !JSON.stringify(e).includes('4111111111111111'), 'no full card number anywhere');
    assert.deepEqual(e.signals.byLevel, [0, 0, 1, 1]);
    assert.deepEqual(e.signals.history.map((h: { level: number }) => h.level), [2, 3]);
    assert.equal(e.rating.score, 4);
    assert.equal(e.rating.comment, 'ok, card ••••••••••••1111');
    assert.ok(e.decisions.some((d: { action: string; level: number | null }) => d.action === 'decision' && d.level !== null), 'e.decisions.some((d: { action: string; level: number | null }) => d.action === \'decision\' && d.le…');
    assert.ok(e.messages.some((m: { from: string; name?: string }) => m.from === 'agent' && m.name === 'Mei Chen'), 'e.messages.some((m: { from: string; name?: string }) => m.from === \'agent\' && m.name === \'Mei Chen\')');
    assert.equal(JSON.stringify(e).includes('agent-mei'), false, 'no staff ids in the export');
    const reads = (await store.readAudit({ conversationId: id })).filter((x) => x.action === 'transcript-read' && x.read === 'data-subject-export');
    assert.deepEqual(reads.map((x) => [x.agentId, x.role]), [['dpo-1', 'admin']], 'the export is a logged staff read');

    // Erase: the transcript goes, the audit is anonymised (no shared pseudonym, no level, no agent id).
    const er = await api(s, 'POST', `/agent/privacy/conversations/${id}/erase`, admin);
    assert.equal(er.status, 200, JSON.stringify(er.body));
    assert.equal(er.body.deleted, true);
    assert.ok(er.body.webhooksDropped >= 1, JSON.stringify(er.body));
    assert.ok((await store.listWebhooks(1000)).every((w) => !w.body.includes(id)), 'no pending webhook names the erased chat');
    assert.ok((await store.listWebhooks(1000)).some((w) => w.body.includes(other.conversationId)), "the other visitor's events stay");
    assert.ok(er.body.auditAnonymised >= 5, JSON.stringify(er.body));
    assert.equal(await store.getConversation(id), null);
    assert.deepEqual((await api(s, 'GET', `/agent/privacy/conversations?userId=cust-42`, admin)).body.items, []);
    assert.equal((await api(s, 'GET', `/agent/privacy/conversations/${id}/export`, admin)).status, 404);
    assert.equal((await post(s.base, '/signals', { v: 1, seq: 9, level: 0, trend: 0 }, v.token)).status, 401);
    const audit = await store.readAudit();
    assert.ok(!JSON.stringify(audit).includes(id), 'the reference is nowhere in the audit');
    const anon = audit.filter((x) => x.anonymous);
    assert.equal(anon.length, er.body.auditAnonymised + 1, 'plus the anonymous record of the erasure');
    assert.equal(new Set(anon.map((x) => x.conversationId)).size, anon.length, 'one id per entry');
    for (const x of anon) {
      assert.equal(x.level, null);
      assert.equal(x.trend, null);
      assert.deepEqual(x.reasons, []);
      assert.equal(x.agentId, undefined);
      assert.equal(x.at % 3_600_000, 0);
    }
    assert.ok(audit.some((x) => x.conversationId === other.conversationId && x.level !== null), 'the other visitor is untouched');
    const after = await report();
    assert.equal(after.conversations, before.conversations, 'conversations still add up');
    assert.equal(after.handoffs, before.handoffs);
    assert.equal(after.decisions, before.decisions);
    assert.equal(after.outcomes.claimed, before.outcomes.claimed);
    assert.equal(after.timeToPerson.count, before.timeToPerson.count);
    // Repeating is safe.
    const again = await s.handler.dataSubjects.erase(id);
    assert.deepEqual([again.deleted, again.auditAnonymised], [false, 0]);
  } finally {
    await s.close();
  }
}

/** Finding 8, the server's part: card numbers are masked on receipt (visitor and agent), before store, console, stream. */
export async function cardMaskingScenario(startServer: Starter): Promise<void> {
  const s = await startServer(base());
  try {
    const v = await servedChat(s);
    const conv = await api(s, 'GET', `/agent/conversations/${v.conversationId}`, sup);
    assert.equal(conv.status, 200);
    const raw = JSON.stringify(conv.body);
    assert.ok(raw.includes('•••• •••• •••• 1111') && raw.includes('••••-••••-••••-0004'), raw);
    assert.ok(!/4111[ -]?1111[ -]?1111[ -]?1111|5500[ -]?0000[ -]?0000[ -]?0004/.test(raw), 'no full number in the console API');
    const bot = (await s.handler.store.readEvents(v.conversationId, 0)).find((e) => e.event.type === 'message' && e.event.from === 'bot');
    assert.ok(bot && bot.event.type === 'message' && !bot.event.text.includes('4111 1111 1111 1111'), 'the echo bot saw the masked text');
  } finally {
    await s.close();
  }
}

/**
 * The callback contact is taken from the text as typed: a phone number that happens to pass Luhn is masked in
 * the transcript but stays usable for staff in the callback list.
 */
export async function callbackContactScenario(startServer: Starter): Promise<void> {
  const s = await startServer(base());
  try {
    const v = await session(s.base);
    await say(s, v.token, 'Can I talk to a person?');
    await until(async () => (await s.handler.store.getConversation(v.conversationId))?.meta['toldNoAgent'] != null, 'the no-one-online notice');
    await say(s, v.token, 'call me on +86 138 0013 8002');
    await until(async () => (await s.handler.store.getConversation(v.conversationId))?.meta['callback'] != null, 'the callback request');
    const list = await api(s, 'GET', '/agent/callbacks', sup);
    assert.deepEqual(list.body.items.map((i: { kind: string; contact: string }) => [i.kind, i.contact]), [['phone', '+86 138 0013 8002']]);
    const visitorLines = (await s.handler.store.readEvents(v.conversationId, 0)).flatMap((e) => (e.event.type === 'message' && e.event.from === 'visitor' ? [e.event.text] : []));
    assert.deepEqual(visitorLines, ['Can I talk to a person?', 'call me on +•• ••• •••• 8002'], 'the transcript has it masked (it passes Luhn)');
  } finally {
    await s.close();
  }
}
