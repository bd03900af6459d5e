// Messenger basics (issue 12) over real sockets: the rating at close (stored, replaced, refused before close,
// in reports by route and agent, CSV safe for spreadsheets), "seen" receipts on the visitor's stream, and a
// verified customer's past conversations (their identity is the only key; nobody else's are ever shown).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { eventSchemas, validate } from '@temper/protocol';
import { createAgentToken } from '@temper/server';
import { SECRET, api, messages, openEvents, post, session, start, type Running, type SseFrame } from './helpers.ts';

const mei = createAgentToken(SECRET, { agentId: 'agent-mei', name: 'Mei', role: 'agent', ttlMs: 86_400_000 });
const tom = createAgentToken(SECRET, { agentId: 'agent-tom', name: 'Tom', role: 'agent', ttlMs: 86_400_000 });
const sup = createAgentToken(SECRET, { agentId: 'sup-1', name: 'Sam', role: 'supervisor', ttlMs: 86_400_000 });
const ID_KEY = 'identity-key-messenger-0123456789abcdef0123456789';
const hash = (id: string) => createHmac('sha256', ID_KEY).update(id).digest('hex');

async function withServer(fn: (s: Running) => Promise<void>, opts: Parameters<typeof start>[0] = {}) {
  const s = await start({ limits: { perIp: false, perSession: false, perAgent: false }, bot: async (_c, m) => ({ text: `Echo: ${m.text}`, understood: true }), ...opts });
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

let n = 0;
async function say(s: Running, token: string, text: string) {
  const r = await post(s.base, '/messages', { id: `msgr-${String(++n).padStart(6, '0')}`, text }, token);
  assert.equal(r.status, 201, JSON.stringify(r.body));
}

/** A visitor who asked for a person, claimed by `agent`. */
async function claimed(s: Running, agent: string) {
  await api(s, 'POST', '/agent/presence', agent, { status: 'online' });
  const v = await session(s.base);
  await say(s, v.token, 'I want a human');
  const claim = await api(s, 'POST', `/agent/conversations/${v.conversationId}/claim`, agent);
  assert.equal(claim.status, 200, JSON.stringify(claim.body));
  return v;
}

test('a closed chat is rated once (a second rating replaces it), never before close, and bad ratings are refused', async () => {
  await withServer(async (s) => {
    const v = await claimed(s, mei);
    const early = await post(s.base, '/rating', { score: 5 }, v.token);
    assert.equal(early.status, 409, 'an open chat cannot be rated');
    assert.equal(early.body.error.code, 'conflict');
    assert.equal((await api(s, 'POST', `/agent/conversations/${v.conversationId}/close`, mei)).status, 200);
    for (const [body, code] of [
      [{ score: 6 }, 'not-allowed-value'],
      [{ score: '5' }, 'wrong-type'],
      [{ score: 4, comment: 'x'.repeat(1001) }, 'too-long'],
      [{ score: 4, stars: 4 }, 'unknown-field'],
    ] as const) {
      const r = await post(s.base, '/rating', body, v.token);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error.code, code);
    }
    assert.equal((await post(s.base, '/rating', { score: 4 })).status, 401, 'no token, no rating');
    const first = await post(s.base, '/rating', { score: 2, comment: 'Slow at first' }, v.token);
    assert.deepEqual([first.status, first.body], [201, { score: 2, replaced: false }]);
    const second = await post(s.base, '/rating', { score: 4, comment: '后来很好 — fine in the end' }, v.token);
    assert.deepEqual([second.status, second.body], [200, { score: 4, replaced: true }]);
    const stored = await s.handler.store.getRating(v.conversationId);
    assert.deepEqual({ ...stored, at: 0 }, { score: 4, comment: '后来很好 — fine in the end', at: 0, route: 'human', agentId: 'agent-mei', agentName: 'Mei' });
  });
});

test('reports show CSAT overall, by route and by agent, with comments for supervisors only; the CSV defuses formulas', async () => {
  await withServer(async (s) => {
    const rate = async (agent: string, score: number, comment?: string) => {
      const v = await claimed(s, agent);
      await api(s, 'POST', `/agent/conversations/${v.conversationId}/close`, agent);
      assert.equal((await post(s.base, '/rating', { score, ...(comment ? { comment } : {}) }, v.token)).status, 201);
    };
    await rate(mei, 5, 'Mei was great');
    await rate(mei, 4);
    await rate(tom, 1, '=HYPERLINK("http://evil.example","click")');
    // A bot chat a supervisor closed: rated on the bot's route.
    const b = await session(s.base);
    await say(s, b.token, 'Where is my parcel?');
    await api(s, 'POST', `/agent/conversations/${b.conversationId}/close`, sup);
    assert.equal((await post(s.base, '/rating', { score: 3 }, b.token)).status, 201);

    assert.equal((await api(s, 'GET', '/agent/reports', mei)).status, 403, 'agents do not read reports');
    const { csat } = (await api(s, 'GET', '/agent/reports', sup)).body;
    assert.equal(csat.count, 4);
    assert.equal(csat.mean, 3.25);
    assert.deepEqual(csat.distribution, [1, 0, 1, 1, 1]);
    assert.equal(csat.satisfied, 0.5);
    assert.deepEqual([csat.byRoute.bot.count, csat.byRoute.bot.mean], [1, 3]);
    assert.deepEqual([csat.byRoute.human.count, csat.byRoute.human.mean, csat.byRoute.human.satisfied], [3, 3.33, 0.6667]);
    assert.deepEqual(
      csat.byAgent.map((a: { agentId: string; agentName: string; count: number; mean: number }) => [a.agentId, a.agentName, a.count, a.mean]),
      [['agent-mei', 'Mei', 2, 4.5], ['agent-tom', 'Tom', 1, 1]],
    );
    assert.deepEqual(csat.comments.map((c: { comment: string }) => c.comment), ['=HYPERLINK("http://evil.example","click")', 'Mei was great'], 'newest first');
    const window = (await api(s, 'GET', `/agent/reports?from=${s.clock.t + 1}&to=${s.clock.t + 2}`, sup)).body.csat;
    assert.equal(window.count, 0, 'ratings outside the window are not counted');
    assert.equal(window.mean, null);
    const csv = await api(s, 'GET', '/agent/reports.csv?table=csat', sup);
    assert.equal(csv.status, 200);
    const lines = (csv.body as string).trim().split('\r\n');
    assert.equal(lines[0], 'rated_at,score,route,agent_id,agent_name,comment');
    assert.equal(lines.length, 5);
    assert.match(lines.find((l) => l.includes('agent-tom'))!, /,"'=HYPERLINK\(""http:\/\/evil\.example"",""click""\)"$/, 'a formula is kept as text');
  });
});

test('"seen" receipts: the holding agent marks the visitor\'s messages seen, once, and the visitor\'s stream carries a valid event', async () => {
  await withServer(async (s) => {
    const v = await claimed(s, mei);
    const ev = await openEvents(s.base, v.token);
    await say(s, v.token, 'My order 1042 never came');
    await say(s, v.token, 'Are you there?');
    const log = (await api(s, 'GET', `/agent/conversations/${v.conversationId}`, mei)).body.events as SseFrame[];
    const lastVisitor = log.filter((e) => e.event.type === 'message' && e.event.from === 'visitor').at(-1)!.id;
    const lastId = log.at(-1)!.id;
    assert.equal((await api(s, 'POST', `/agent/conversations/${v.conversationId}/seen`, tom, { upTo: lastId })).status, 409, 'only the holder marks seen');
    const past = await api(s, 'POST', `/agent/conversations/${v.conversationId}/seen`, mei, { upTo: lastId + 50 });
    assert.deepEqual([past.status, past.body.error.code], [400, 'out-of-range']);
    assert.equal((await api(s, 'POST', `/agent/conversations/${v.conversationId}/seen`, mei, { upTo: 0 })).status, 400);
    const r = await api(s, 'POST', `/agent/conversations/${v.conversationId}/seen`, mei, { upTo: lastId });
    assert.deepEqual(r.body, { conversationId: v.conversationId, seenUpTo: lastVisitor });
    const seen = await ev.until((f) => f.event.type === 'seen');
    ev.close();
    assert.equal(seen.event.type === 'seen' && seen.event.upTo, lastVisitor);
    const lastClientId = log.find((e) => e.id === lastVisitor)!.event;
    assert.equal(seen.event.type === 'seen' && lastClientId.type === 'message' && seen.event.clientId === lastClientId.clientId, true, 'names the message by its device id');
    assert.equal(validate(eventSchemas.seen, seen.event).ok, true, 'the widget-side validator accepts it');
    const count = (await s.handler.store.readEvents(v.conversationId, 0)).length;
    const again = await api(s, 'POST', `/agent/conversations/${v.conversationId}/seen`, mei, { upTo: lastId });
    assert.equal(again.body.seenUpTo, lastVisitor);
    assert.equal((await s.handler.store.readEvents(v.conversationId, 0)).length, count, 'nothing new seen: no event');
    await say(s, v.token, 'Hello?');
    const now = (await s.handler.store.readEvents(v.conversationId, 0)).at(-1)!.id;
    assert.equal((await api(s, 'POST', `/agent/conversations/${v.conversationId}/seen`, mei, { upTo: now })).body.seenUpTo > lastVisitor, true);
  });
});

test("a verified customer lists and reads their past conversations; a wrong hash, another customer or an anonymous chat get nothing", async () => {
  await withServer(
    async (s) => {
      const user = { id: 'cust-1042', hash: hash('cust-1042') };
      const one = await post(s.base, '/sessions', { user });
      await say(s, one.body.token, 'Where is order 1042?');
      await api(s, 'POST', `/agent/conversations/${one.body.conversationId}/close`, sup);
      s.clock.t += 60_000;
      const two = await post(s.base, '/sessions', { user });
      assert.equal(two.status, 201, 'the closed one is not resumed: a new conversation');
      await say(s, two.body.token, 'A new question about returns');
      const empty = await post(s.base, '/sessions', { user: { id: 'cust-9', hash: hash('cust-9') } });
      assert.equal(empty.status, 201);

      const list = await post(s.base, '/history', { user });
      assert.equal(list.status, 200);
      assert.deepEqual(
        list.body.items.map((i: { conversationId: string; state: string; preview: string }) => [i.conversationId, i.state, i.preview]),
        [
          [two.body.conversationId, 'bot', 'A new question about returns'],
          [one.body.conversationId, 'closed', 'Where is order 1042?'],
        ],
        'newest first, with the first visitor message as a preview',
      );
      assert.equal(list.body.items[1].messages >= 2, true);
      const read = await post(s.base, '/history/conversation', { user, conversationId: one.body.conversationId });
      assert.equal(read.status, 200);
      assert.deepEqual(read.body.messages.slice(0, 2).map((m: { from: string; text: string }) => [m.from, m.text]), [
        ['visitor', 'Where is order 1042?'],
        ['bot', 'Echo: Where is order 1042?'],
      ]);
      assert.deepEqual(messages([]), []);

      const other = { id: 'cust-9', hash: hash('cust-9') };
      assert.deepEqual((await post(s.base, '/history', { user: other })).body.items, [], 'a customer who wrote nothing lists nothing');
      const theirs = await post(s.base, '/history/conversation', { user: other, conversationId: one.body.conversationId });
      assert.deepEqual([theirs.status, theirs.body.error.code], [404, 'not-found'], "another customer's conversation is not found");
      const anon = await session(s.base);
      await say(s, anon.token, 'anonymous question');
      assert.equal((await post(s.base, '/history/conversation', { user, conversationId: anon.conversationId })).status, 404);
      const forged = await post(s.base, '/history', { user: { id: 'cust-1042', hash: hash('cust-1043') } });
      assert.deepEqual([forged.status, forged.body.error.code], [401, 'identity-invalid']);
      // A visitor token is no substitute for the identity.
      assert.equal((await post(s.base, '/history', {}, two.body.token)).status, 400);
    },
    { identitySecret: ID_KEY },
  );
});

test('a server without an identity secret lists no history', async () => {
  await withServer(async (s) => {
    const r = await post(s.base, '/history', { user: { id: 'cust-1', hash: hash('cust-1') } });
    assert.deepEqual([r.status, r.body.error.code], [401, 'identity-invalid']);
  });
});
