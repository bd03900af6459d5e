import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_BASE } from '@temper/protocol';
import { createTemperServer, type BotAdapter } from '@temper/server';
import { createFaqBot } from '../../../examples/shop/faq-bot.ts';
import { SECRET, messages, openEvents, post, session, start } from './helpers.ts';

const echoBot: BotAdapter = async (_c, m) => ({ text: `echo: ${m.text}`, understood: true });

describe('configuration', () => {
  test('a missing or short secret is refused with a clear error', () => {
    assert.throws(() => createTemperServer({} as never), /secret` is required/);
    assert.throws(() => createTemperServer({ secret: 'short' }), /at least 32 bytes \(got 5\)/);
  });
});

describe('sessions and tokens', () => {
  test('create, then renew the same conversation with its bearer token', async () => {
    const s = await start();
    try {
      const a = await post(s.base, '/sessions', { locale: 'zh-CN' });
      assert.equal(a.status, 201);
      assert.match(a.body.token, /^[A-Za-z0-9._~-]{16,512}$/);
      assert.equal(a.body.expiresAt, s.clock.t + 2 * 60 * 60 * 1000);
      s.clock.t += 60_000;
      const b = await post(s.base, '/sessions', {}, a.body.token);
      assert.equal(b.status, 200);
      assert.equal(b.body.conversationId, a.body.conversationId);
      assert.equal(b.body.expiresAt, a.body.expiresAt + 60_000);
      assert.notEqual(b.body.token, a.body.token);
      assert.equal((await s.handler.store.getConversation(a.body.conversationId))?.locale, 'zh-CN');
    } finally {
      await s.close();
    }
  });

  test("a token can neither read nor write another conversation, and tampering is refused", async () => {
    const s = await start();
    try {
      const a = await session(s.base);
      const b = await session(s.base);
      // Splice B's conversation id into A's signed token: the signature no longer matches.
      const [v, , exp, sig] = a.token.split('.');
      const forged = [v, b.conversationId, exp, sig].join('.');
      const w = await post(s.base, '/messages', { id: 'msg-00000001', text: 'hi' }, forged);
      assert.equal(w.status, 401);
      assert.equal(w.body.error.code, 'unauthorized');
      const r = await openEvents(s.base, forged);
      assert.equal(r.status, 401);
      r.close();
      const flipped = a.token.slice(0, -2) + (a.token.endsWith('AA') ? 'AB' : 'AA');
      assert.equal((await post(s.base, '/signals', { v: 1, seq: 1, level: 1, trend: 0 }, flipped)).status, 401);
      assert.equal((await post(s.base, '/messages', { id: 'msg-00000001', text: 'hi' })).status, 401);
      assert.equal((await post(s.base, '/sessions', {}, forged)).status, 401);
      // A's own token still works, and only on A.
      assert.equal((await post(s.base, '/messages', { id: 'msg-00000002', text: 'hi' }, a.token)).status, 201);
      assert.equal((await s.handler.store.readEvents(b.conversationId, 0)).length, 0);
      assert.equal((await s.handler.store.readEvents(a.conversationId, 0)).length, 1);
    } finally {
      await s.close();
    }
  });

  test('an expired token is refused; renewal works within the grace window only', async () => {
    const s = await start({ tokenTtlMs: 1000, renewGraceMs: 5000 });
    try {
      const a = await session(s.base);
      s.clock.t += 1000;
      const w = await post(s.base, '/messages', { id: 'msg-00000001', text: 'hi' }, a.token);
      assert.equal(w.status, 401);
      const renewed = await post(s.base, '/sessions', {}, a.token);
      assert.equal(renewed.status, 200);
      assert.equal(renewed.body.conversationId, a.conversationId);
      assert.equal((await post(s.base, '/messages', { id: 'msg-00000001', text: 'hi' }, renewed.body.token)).status, 201);
      s.clock.t += 10_000;
      assert.equal((await post(s.base, '/sessions', {}, a.token)).status, 401);
    } finally {
      await s.close();
    }
  });
});

describe('messages', () => {
  test('a retried message id is stored once and answered duplicate', async () => {
    const s = await start({ bot: echoBot });
    try {
      const a = await session(s.base);
      const first = await post(s.base, '/messages', { id: 'retry-me-123', text: 'hello' }, a.token);
      assert.deepEqual([first.status, first.body], [201, { id: 'retry-me-123', duplicate: false }]);
      const again = await post(s.base, '/messages', { id: 'retry-me-123', text: 'hello' }, a.token);
      assert.deepEqual([again.status, again.body], [200, { id: 'retry-me-123', duplicate: true }]);
      const ev = await openEvents(s.base, a.token);
      const bot = await ev.until((f) => f.event.type === 'message' && f.event.from === 'bot');
      ev.close();
      const visitor = messages(ev.frames).filter((m) => m.from === 'visitor');
      assert.equal(visitor.length, 1);
      assert.equal(visitor[0]?.clientId, 'retry-me-123');
      assert.equal(bot.event.type === 'message' && bot.event.text, 'echo: hello');
      assert.equal(messages(ev.frames).filter((m) => m.from === 'bot').length, 1);
    } finally {
      await s.close();
    }
  });

  test('each invalid body gets its error code and field, and nothing is stored', async () => {
    const s = await start({ limits: { bodyBytes: 4096 } });
    try {
      const a = await session(s.base);
      const cases: Array<[string, unknown, number, string, string | undefined, Record<string, string>?]> = [
        ['unknown field', { id: 'abcdefgh1', text: 'x', extra: 1 }, 400, 'unknown-field', 'extra'],
        ['prototype key', '{"id":"abcdefgh1","text":"x","__proto__":{"a":1}}', 400, 'unknown-field', '__proto__'],
        ['wrong type', { id: 'abcdefgh1', text: 5 }, 400, 'wrong-type', 'text'],
        ['missing field', { id: 'abcdefgh1' }, 400, 'missing-field', 'text'],
        ['too long', { id: 'abcdefgh1', text: 'x'.repeat(2001) }, 400, 'too-long', 'text'],
        ['bad id format', { id: 'has space!', text: 'x' }, 400, 'bad-format', 'id'],
        ['lone surrogate', '{"id":"abcdefgh1","text":"a\\ud800b"}', 400, 'lone-surrogate', 'text'],
        ['control character', { id: 'abcdefgh1', text: 'a\u001bb' }, 400, 'control-character', 'text'],
        ['not an object', '[1,2]', 400, 'not-an-object', undefined],
        ['bad JSON', '{"id": "abcdefgh1", "text": ', 400, 'bad-json', undefined],
        ['body too large', { id: 'abcdefgh1', text: 'x'.repeat(5000) }, 413, 'body-too-large', undefined],
        ['wrong content type', { id: 'abcdefgh1', text: 'x' }, 415, 'unsupported-media-type', undefined, { 'content-type': 'text/plain' }],
      ];
      for (const [name, body, status, code, field, headers] of cases) {
        const r = await post(s.base, '/messages', body, a.token, headers);
        assert.equal(r.status, status, name);
        assert.equal(r.body.error.code, code, name);
        assert.equal(r.body.error.field, field, name);
        assert.equal(typeof r.body.error.message, 'string', name);
      }
      assert.equal((await s.handler.store.readEvents(a.conversationId, 0)).length, 0);
      const st = s.handler.stats();
      assert.equal(st.refused['unknown-field'], 2);
      assert.equal(st.refusedByEndpoint['send-message']?.['body-too-large'], 1);
    } finally {
      await s.close();
    }
  });

  test('a body larger than the limit sent without Content-Length is cut off with 413', async () => {
    const s = await start({ limits: { bodyBytes: 1024 } });
    try {
      const a = await session(s.base);
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          `${s.base}/messages`,
          { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${a.token}` } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.write('{"id":"abcdefgh1","text":"');
        req.write('y'.repeat(2000));
        req.end('"}');
      });
      assert.equal(status, 413);
    } finally {
      await s.close();
    }
  });
});

describe('bot', () => {
  test('the FAQ bot answers in English and in Chinese, with typing around its reply', async () => {
    const s = await start({ bot: createFaqBot() });
    try {
      const a = await session(s.base);
      const ev = await openEvents(s.base, a.token);
      await post(s.base, '/messages', { id: 'en-0000001', text: 'Where is my order?' }, a.token);
      const en = await ev.take(4);
      assert.deepEqual(
        en.map((f) => [f.id, f.event.type, 'from' in f.event ? f.event.from : null]),
        [
          [1, 'message', 'visitor'],
          [2, 'typing', 'bot'],
          [3, 'typing', 'bot'],
          [4, 'message', 'bot'],
        ],
      );
      const enReply = en[3]!.event;
      assert.ok(enReply.type === 'message' && enReply.understood === true && /My orders/.test(enReply.text), 'enReply.type === \'message\' && enReply.understood === true && /My orders/.test(enReply.text)');
      await post(s.base, '/messages', { id: 'zh-0000001', text: '我的退款什么时候到账？' }, a.token);
      const zh = await ev.until((f) => f.event.type === 'message' && f.event.from === 'bot');
      assert.ok(zh.event.type === 'message' && zh.event.understood === true && /退款/.test(zh.event.text), 'zh.event.type === \'message\' && zh.event.understood === true && /退款/.test(zh.event.text)');
      assert.ok(zh.event.type === 'message' && !/[A-Za-z]{4}/.test(zh.event.text.replace(/PayPal/g, '')), 'zh.event.type === \'message\' && !/[A-Za-z]{4}/.test(zh.event.text.replace(/PayPal/g, \'\'))');
      await post(s.base, '/messages', { id: 'xx-0000001', text: 'purple elephants dance' }, a.token);
      const unknown = await ev.until((f) => f.event.type === 'message' && f.event.from === 'bot');
      assert.ok(unknown.event.type === 'message' && unknown.event.understood === false, 'unknown.event.type === \'message\' && unknown.event.understood === false');
      ev.close();
    } finally {
      await s.close();
    }
  });

  test('a failing bot loses nothing: the message stays and a system message explains', async () => {
    const s = await start({
      bot: async () => {
        throw new Error('bot backend down');
      },
    });
    try {
      const a = await session(s.base, 'zh-CN');
      const ev = await openEvents(s.base, a.token);
      // Two English words on a zh-CN page: the notice follows the visitor's language (protocol writtenIn).
      const r = await post(s.base, '/messages', { id: 'boom-00001', text: 'hello there?' }, a.token);
      assert.equal(r.status, 201);
      const frames = await ev.take(4);
      ev.close();
      const [visitor, , stop, system] = frames.map((f) => f.event);
      assert.ok(visitor?.type === 'message' && visitor.from === 'visitor' && visitor.text === 'hello there?', 'visitor?.type === \'message\' && visitor.from === \'visitor\' && visitor.text === \'hello there?\'');
      assert.deepEqual(stop, { type: 'typing', from: 'bot', active: false });
      assert.ok(system?.type === 'message' && system.from === 'system' && /received/.test(system.text), 'system?.type === \'message\' && system.from === \'system\' && /received/.test(system.text)');
      assert.equal(s.handler.stats().botErrors, 1);
    } finally {
      await s.close();
    }
  });

  test('a bot reply that breaks the event schema is treated as a bot error', async () => {
    const s = await start({ bot: async () => ({ text: '', understood: true }) });
    try {
      const a = await session(s.base);
      const ev = await openEvents(s.base, a.token);
      await post(s.base, '/messages', { id: 'empty-0001', text: 'hi' }, a.token);
      const sys = await ev.until((f) => f.event.type === 'message' && f.event.from !== 'visitor');
      ev.close();
      assert.ok(sys.event.type === 'message' && sys.event.from === 'system', 'sys.event.type === \'message\' && sys.event.from === \'system\'');
    } finally {
      await s.close();
    }
  });
});

describe('signals', () => {
  test('seq must increase; stale ones get 409 and are counted', async () => {
    const s = await start();
    try {
      const a = await session(s.base);
      assert.deepEqual((await post(s.base, '/signals', { v: 1, seq: 1, level: 1, trend: 1 }, a.token)).body, { seq: 1 });
      const stale = await post(s.base, '/signals', { v: 1, seq: 1, level: 2, trend: 1 }, a.token);
      assert.equal(stale.status, 409);
      assert.equal(stale.body.error.code, 'stale-signal');
      assert.equal((await post(s.base, '/signals', { v: 1, seq: 3, level: 2, trend: 1 }, a.token)).status, 200);
      assert.equal((await post(s.base, '/signals', { v: 1, seq: 2, level: 0, trend: -1 }, a.token)).status, 409);
      const bad = await post(s.base, '/signals', { v: 1, seq: 4, level: 7, trend: 0 }, a.token);
      assert.deepEqual([bad.status, bad.body.error.code, bad.body.error.field], [400, 'not-allowed-value', 'level']);
      const state = await s.handler.store.getSignalState(a.conversationId);
      assert.deepEqual([state?.seq, state?.level, state?.trend, state?.history.map((h) => h.seq)], [3, 2, 1, [1, 3]]);
      assert.deepEqual(s.handler.stats().refusedByEndpoint['send-signal'], { 'stale-signal': 2, 'not-allowed-value': 1 });
    } finally {
      await s.close();
    }
  });
});

describe('events (SSE)', () => {
  test('a reconnect with Last-Event-ID gets exactly what it missed, in order', async () => {
    const s = await start({ bot: echoBot });
    try {
      const a = await session(s.base);
      const first = await openEvents(s.base, a.token);
      await post(s.base, '/messages', { id: 'first-0001', text: 'one' }, a.token);
      const seen = await first.take(4);
      first.close();
      await first.ended;
      const lastId = seen.at(-1)!.id;
      assert.equal(lastId, 4);
      // While disconnected: two more turns.
      await post(s.base, '/messages', { id: 'second-001', text: 'two' }, a.token);
      await post(s.base, '/messages', { id: 'third-0001', text: 'three' }, a.token);
      const resumed = await openEvents(s.base, a.token, String(lastId));
      const rest = await resumed.take(8);
      assert.deepEqual(rest.map((f) => f.id), [5, 6, 7, 8, 9, 10, 11, 12]);
      assert.deepEqual(
        messages(rest).map((m) => m.text),
        ['two', 'echo: two', 'three', 'echo: three'],
      );
      // Live events keep flowing on the resumed stream, with no duplicate of the replay.
      await post(s.base, '/messages', { id: 'fourth-001', text: 'four' }, a.token);
      const live = await resumed.take(4);
      assert.deepEqual(live.map((f) => f.id), [13, 14, 15, 16]);
      resumed.close();
      // The query form (for EventSource users) and a fresh stream with the full history.
      const q = await openEvents(s.base, a.token, undefined, '?lastEventId=14');
      assert.deepEqual((await q.take(2)).map((f) => f.id), [15, 16]);
      q.close();
      const all = await openEvents(s.base, a.token, '0');
      assert.deepEqual((await all.take(16)).map((f) => f.id), Array.from({ length: 16 }, (_, i) => i + 1));
      all.close();
      const bad = await openEvents(s.base, a.token, 'abc');
      assert.equal(bad.status, 400);
      bad.close();
    } finally {
      await s.close();
    }
  });

  test('heartbeat comments keep the stream alive and close() ends it', async () => {
    const s = await start({ heartbeatMs: 50 });
    const a = await session(s.base);
    const ev = await openEvents(s.base, a.token);
    assert.equal(ev.status, 200);
    await ev.waitComment((c) => c === 'heartbeat');
    assert.equal(s.handler.stats().openStreams, 1);
    await s.close();
    await ev.ended;
  });
});

describe('origins and limits', () => {
  test('allowlisted origins get CORS and preflight; others get 403; same origin always passes', async () => {
    const s = await start({ allowedOrigins: ['https://shop.example'] });
    try {
      const pre = await fetch(`${s.base}/messages`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://shop.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers.get('access-control-allow-origin'), 'https://shop.example');
      assert.match(pre.headers.get('access-control-allow-headers') ?? '', /Authorization/);
      const ok = await post(s.base, '/sessions', {}, undefined, { origin: 'https://shop.example' });
      assert.equal(ok.status, 201);
      assert.equal(ok.headers.get('access-control-allow-origin'), 'https://shop.example');
      const evil = await post(s.base, '/sessions', {}, undefined, { origin: 'https://evil.example' });
      assert.deepEqual([evil.status, evil.body.error.code], [403, 'origin-not-allowed']);
      assert.equal(evil.headers.get('access-control-allow-origin'), null);
      const evilPre = await fetch(`${s.base}/sessions`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
      assert.equal(evilPre.status, 403);
      const same = await post(s.base, '/sessions', {}, undefined, { origin: s.url });
      assert.equal(same.status, 201);
    } finally {
      await s.close();
    }
  });

  test('per-IP and per-session token buckets answer 429 with Retry-After', async () => {
    const s = await start({ limits: { perIp: { burst: 4, perSecond: 1 }, perSession: { burst: 2, perSecond: 0.5 } } });
    try {
      const a = await session(s.base); // ip: 1
      assert.equal((await post(s.base, '/signals', { v: 1, seq: 1, level: 0, trend: 0 }, a.token)).status, 200);
      assert.equal((await post(s.base, '/signals', { v: 1, seq: 2, level: 0, trend: 0 }, a.token)).status, 200);
      const limited = await post(s.base, '/signals', { v: 1, seq: 3, level: 0, trend: 0 }, a.token); // session bucket empty
      assert.deepEqual([limited.status, limited.body.error.code, limited.headers.get('retry-after')], [429, 'rate-limited', '2']);
      const ipLimited = await post(s.base, '/sessions', {});
      assert.equal(ipLimited.status, 429);
      assert.equal(ipLimited.headers.get('retry-after'), '1');
      s.clock.t += 2000; // refills both
      assert.equal((await post(s.base, '/signals', { v: 1, seq: 3, level: 0, trend: 0 }, a.token)).status, 200);
    } finally {
      await s.close();
    }
  });

  test('mounted under a path the way Express does it (req.url stripped, originalUrl kept)', async () => {
    const handler = createTemperServer({ secret: SECRET, log: () => {} });
    const server = createServer((req, res) => {
      // What app.use('/temper/v1', handler) does to the request before calling the handler.
      Object.assign(req, { originalUrl: req.url, url: (req.url ?? '/').slice(API_BASE.length) || '/' });
      handler(req, res, () => res.end('next'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${API_BASE}`;
    try {
      const r = await post(base, '/sessions', {});
      assert.equal(r.status, 201);
    } finally {
      await handler.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  test('routing: outside basePath goes to next(), unknown paths 404, wrong methods 405', async () => {
    const handler = createTemperServer({ secret: SECRET, log: () => {} });
    let nexted = 0;
    const server = createServer((req, res) =>
      handler(req, res, () => {
        nexted++;
        res.end('host page');
      }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      assert.equal(await (await fetch(`${base}/cart`)).text(), 'host page');
      assert.equal(await (await fetch(`${base}/temper/v10/sessions`)).text(), 'host page');
      assert.equal(nexted, 2);
      const nf = await fetch(`${base}${API_BASE}/nope`);
      assert.deepEqual([nf.status, ((await nf.json()) as any).error.code], [404, 'not-found']);
      const m = await fetch(`${base}${API_BASE}/sessions`);
      assert.deepEqual([m.status, m.headers.get('allow')], [405, 'POST']);
      await m.body?.cancel();
    } finally {
      await handler.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
