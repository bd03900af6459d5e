// Issue 11 findings 3–5 over real sockets: conversation creation limits and idle expiry, a hanging bot, and
// refused bearer tokens rate-limited per address.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createAgentToken, createMemoryStore, type BotAdapter } from '@temper/server';
import { SECRET, messages, openEvents, post, session, start } from './helpers.ts';

describe('conversation creation (finding 3)', () => {
  test('one address gets the per-IP burst, then 429 with a Retry-After of minutes; renewals still work', async () => {
    const s = await start({ limits: { perIp: false, sessionsPerIp: { burst: 5, perSecond: 200 / 86_400 } } });
    try {
      const made = [];
      for (let i = 0; i < 5; i++) made.push(await session(s.base));
      const r = await post(s.base, '/sessions', {});
      assert.equal(r.status, 429);
      assert.ok(Number(r.headers.get('retry-after')) > 60, `Retry-After ${r.headers.get('retry-after')}`);
      // Renewing an existing conversation is not a creation.
      assert.equal((await post(s.base, '/sessions', {}, made[0]!.token)).status, 200);
      // The day-scale refill: 200 a day is one every 432 s.
      s.clock.t += 433_000;
      assert.equal((await post(s.base, '/sessions', {})).status, 201);
      assert.equal((await post(s.base, '/sessions', {})).status, 429);
    } finally {
      await s.close();
    }
  });

  test('the default per-IP limit: 50 at once, then 429', async () => {
    const s = await start({ limits: { perIp: false } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 55; i++) statuses.push((await post(s.base, '/sessions', {})).status);
      assert.deepEqual([statuses.filter((x) => x === 201).length, statuses.filter((x) => x === 429).length], [50, 5]);
    } finally {
      await s.close();
    }
  });

  test('the global creation rate holds for many addresses at once', async () => {
    // Through a trusted proxy each request names its own client address, as 200 addresses would.
    const s = await start({ trustProxy: true, limits: { perIp: false, sessions: { burst: 10, perSecond: 0.001 } } });
    try {
      const statuses = await Promise.all(
        Array.from({ length: 40 }, (_, i) => post(s.base, '/sessions', {}, undefined, { 'x-forwarded-for': `198.51.100.${i + 1}` }).then((r) => r.status)),
      );
      assert.deepEqual([statuses.filter((x) => x === 201).length, statuses.filter((x) => x === 429).length], [10, 30]);
    } finally {
      await s.close();
    }
  });

  test('an idle conversation expires from the memory store after conversationTtlMs; an active one stays', async () => {
    const clock = { t: Date.now() };
    const store = createMemoryStore({ conversationTtlMs: 60_000, now: () => clock.t });
    const s = await start({ store, now: () => clock.t });
    try {
      const idle = await session(s.base);
      const active = await session(s.base);
      clock.t += 40_000;
      assert.equal((await post(s.base, '/signals', { v: 1, seq: 1, level: 0, trend: 0 }, active.token)).status, 200);
      clock.t += 30_000;
      await session(s.base); // a creation sweeps what expired
      assert.equal(await store.getConversation(idle.conversationId), null, 'idle for 70 s > TTL 60 s: gone');
      assert.notEqual(await store.getConversation(active.conversationId), null, 'written 30 s ago: kept');
      assert.equal((await post(s.base, '/signals', { v: 1, seq: 1, level: 0, trend: 0 }, idle.token)).status, 401);
    } finally {
      await s.close();
      await store.close();
    }
  });
});

describe('bot timeout (finding 4)', () => {
  test('a hanging bot: typing goes off, the visitor is told, its signal aborts, and the next message is answered', async () => {
    let hang = true;
    let aborted = 0;
    const bot: BotAdapter = (_c, m, ctx) =>
      hang
        ? new Promise((_, reject) => ctx.abortSignal.addEventListener('abort', () => (aborted++, reject(ctx.abortSignal.reason)))).then(() => null)
        : Promise.resolve({ text: `answer to ${m.text}`, understood: true });
    // A bot that ignores its signal entirely must not hold the conversation either.
    const deaf: BotAdapter = (c, m, ctx) => (hang && m.text === 'deaf' ? new Promise(() => {}) : bot(c, m, ctx));
    const s = await start({ bot: deaf, botTimeoutMs: 300, limits: { perIp: false, perSession: false } });
    try {
      const v = await session(s.base);
      const ev = await openEvents(s.base, v.token);
      assert.equal((await post(s.base, '/messages', { id: 'msg-hang-01', text: 'hello?' }, v.token)).status, 201);
      await ev.until((f) => f.event.type === 'typing' && f.event.active === true);
      await ev.until((f) => f.event.type === 'typing' && f.event.active === false);
      const told = await ev.until((f) => f.event.type === 'message' && f.event.from === 'system');
      assert.ok(told.event.type === 'message' && /taking too long/.test(told.event.text), 'told.event.type === \'message\' && /taking too long/.test(told.event.text)');
      assert.equal(aborted, 1, 'the bot call was aborted');
      assert.equal((await post(s.base, '/messages', { id: 'msg-hang-02', text: 'deaf' }, v.token)).status, 201);
      await ev.until((f) => f.event.type === 'message' && f.event.from === 'system');
      hang = false;
      assert.equal((await post(s.base, '/messages', { id: 'msg-hang-03', text: 'still there?' }, v.token)).status, 201);
      const reply = await ev.until((f) => f.event.type === 'message' && f.event.from === 'bot');
      assert.ok(reply.event.type === 'message' && reply.event.text === 'answer to still there?', 'reply.event.type === \'message\' && reply.event.text === \'answer to still there?\'');
      assert.equal(messages(ev.frames).filter((m) => m.from === 'visitor').length, 3, 'nothing lost');
      assert.equal(s.handler.stats().botErrors, 2);
      ev.close();
    } finally {
      await s.close();
    }
  });
});

describe('refused bearer tokens (finding 5)', () => {
  test('1,000 bad agent tokens from one address: at most the burst get 401, the rest 429; another address is unaffected', async () => {
    const s = await start({ trustProxy: true, limits: { perIp: false } });
    try {
      const counts: Record<number, number> = {};
      const bad = createAgentToken('another-secret-another-secret-0123456789', { agentId: 'x', name: 'X', role: 'admin', ttlMs: 86_400_000 });
      for (let i = 0; i < 1000; i += 50) {
        const batch = await Promise.all(
          Array.from({ length: 50 }, () =>
            fetch(`${s.base}/agent/queue`, { headers: { authorization: `Bearer ${bad}`, 'x-forwarded-for': '203.0.113.7' } }).then(async (r) => {
              await r.arrayBuffer();
              return r.status;
            }),
          ),
        );
        for (const st of batch) counts[st] = (counts[st] ?? 0) + 1;
      }
      assert.ok((counts[401] ?? 0) <= 25, JSON.stringify(counts));
      assert.ok((counts[429] ?? 0) >= 975, JSON.stringify(counts));
      // Bad visitor tokens share the address's bucket.
      const v = await post(s.base, '/signals', { v: 1, seq: 1, level: 0, trend: 0 }, 'v1.AAAAAAAAAAAA.zz.' + 'A'.repeat(43), {
        'x-forwarded-for': '203.0.113.7',
      });
      assert.equal(v.status, 429);
      // A good token from the same address still works; another address still gets a plain 401.
      const good = createAgentToken(SECRET, { agentId: 'a-1', name: 'Ann', role: 'agent', ttlMs: 86_400_000 });
      const ok = await fetch(`${s.base}/agent/queue`, { headers: { authorization: `Bearer ${good}`, 'x-forwarded-for': '203.0.113.7' } });
      assert.equal(ok.status, 200);
      const other = await fetch(`${s.base}/agent/queue`, { headers: { authorization: `Bearer ${bad}`, 'x-forwarded-for': '203.0.113.8' } });
      assert.equal(other.status, 401);
    } finally {
      await s.close();
    }
  });
});
