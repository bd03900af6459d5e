// Fuzzing over real sockets (issue 11): a seeded generator sends ≥ 5,000 malformed requests per run across every
// visitor and agent endpoint — mutated methods, paths, ids, query strings, headers, tokens and bodies (wrong
// types, truncated JSON, invalid UTF-8, deep nesting, oversize) — and checks that no answer is a 5xx, nothing
// throws out of the server, open streams end, and the heap stays bounded. A seeded generator instead of
// fast-check: no dependency, and the seed printed on failure replays the exact run (TEMPER_FUZZ_SEED=…).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { ENDPOINTS } from '@temper/protocol';
import { createAgentToken, type BotAdapter } from '@temper/server';
import { SECRET, post, session, start } from './helpers.ts';

const REQUESTS = 5_000;
const SEED = Number(process.env.TEMPER_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** mulberry32: small, fast, good enough to spread inputs; the same seed gives the same run. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

const WEIRD_STRINGS = [
  '', ' ', '\u0000', '\u202e', '💥', '转人工', 'a'.repeat(9000), '%', '%zz', '%E0%A4%A', '../../etc/passwd', '<script>',
  '\uD800', 'null', '{}', '[]', '-1', '1e309', '0x10', '\r\nX-Injected: 1',
];
const WEIRD_VALUES: unknown[] = [
  null, true, false, 0, -1, 1.5, 1e308, -0, Number.MAX_SAFE_INTEGER + 2, '', 'x', [], {}, [1, 2], { a: 1 }, 'msg-00000001',
  'a'.repeat(20_000), '\u0000', '\uDC00', { __proto__: { admin: true } }, { constructor: { prototype: {} } },
];

function weirdString(r: Rng): string {
  if (r.chance(0.5)) return r.pick(WEIRD_STRINGS);
  const alphabet = 'abcXYZ019-_.~%/?#&=+:;,@!$*()[]{}\'"\\ \u00e9\u4e2d';
  return Array.from({ length: r.int(80) }, () => alphabet[r.int(alphabet.length)]).join('');
}

function weirdValue(r: Rng, depth = 0): unknown {
  const k = r.int(10);
  if (k < 4) return r.pick(WEIRD_VALUES);
  if (k < 6) return weirdString(r);
  if (k < 7 && depth < 3) return Array.from({ length: r.int(4) }, () => weirdValue(r, depth + 1));
  if (k < 8 && depth < 3) return Object.fromEntries(Array.from({ length: r.int(4) }, () => [weirdString(r).slice(0, 12), weirdValue(r, depth + 1)]));
  return r.next() * 10 ** r.int(20) * (r.chance(0.5) ? -1 : 1);
}

/** Valid bodies of each endpoint, mutated field by field. */
const VALID: Record<string, Record<string, unknown>> = {
  sessions: { locale: 'en' },
  messages: { id: 'msg-00000001', text: 'hello' },
  signals: { v: 1, seq: 1, level: 1, trend: 0 },
  presence: { status: 'online' },
  agentMessage: { text: 'hi' },
  typing: { active: true },
};

function body(r: Rng): { bytes: Buffer; type: string | undefined } {
  const base = { ...r.pick(Object.values(VALID)) };
  const k = r.int(12);
  let text: string;
  if (k < 5) {
    // Mutate, drop or add fields.
    for (const f of Object.keys(base)) if (r.chance(0.4)) base[f] = weirdValue(r);
    if (r.chance(0.3)) delete base[r.pick(Object.keys(base))];
    if (r.chance(0.3)) base[weirdString(r).slice(0, 10) || 'extra'] = weirdValue(r);
    text = JSON.stringify(base);
  } else if (k < 6) text = JSON.stringify(weirdValue(r));
  else if (k < 7) text = JSON.stringify(base).slice(0, r.int(20)); // truncated
  else if (k < 8) text = '['.repeat(5000) + ']'.repeat(r.chance(0.5) ? 5000 : 10); // deep nesting
  else if (k < 9) text = JSON.stringify({ ...base, text: 'x'.repeat(17_000 + r.int(5000)) }); // over the body limit
  else if (k < 10) return { bytes: Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0x22, 0x7d]), type: 'application/json' };
  else if (k < 11) text = '';
  else text = JSON.stringify(base);
  const type = r.pick(['application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'text/plain', 'multipart/form-data', undefined]);
  return { bytes: Buffer.from(text, 'utf8'), type };
}

function mutateToken(r: Rng, t: string): string {
  const k = r.int(6);
  if (k === 0) return t.slice(0, r.int(t.length));
  if (k === 1) return t + r.pick(['~', '.', 'A', '.k1']);
  if (k === 2) {
    const i = r.int(t.length);
    return t.slice(0, i) + r.pick(['A', '-', '_', '~', '0']) + t.slice(i + 1);
  }
  if (k === 3) return t.split('.').reverse().join('.');
  if (k === 4) return weirdString(r);
  return t;
}

test(`fuzz: ${REQUESTS} malformed requests across every endpoint → no 5xx, no crash, bounded memory`, async (t) => {
  const thrown: unknown[] = [];
  const onUncaught = (e: unknown) => thrown.push(e);
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  const bot: BotAdapter = async (_c, m) => ({ text: `echo ${m.text.slice(0, 100)}`, understood: m.text.length % 2 === 0 });
  const NO_LIMITS = { perIp: false, perSession: false, perAgent: false, invalidTokens: false, sessionsPerIp: false, sessions: false } as const;
  const s = await start({ bot, limits: { ...NO_LIMITS, streamsPerIp: 10_000 }, botTimeoutMs: 2000 });
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  try {
    const visitors = await Promise.all([1, 2, 3, 4].map(() => session(s.base)));
    await post(s.base, '/messages', { id: 'msg-seed-001', text: 'I want a human' }, visitors[0]!.token);
    const agents = (['agent', 'supervisor', 'admin'] as const).map((role, i) => createAgentToken(SECRET, { agentId: `fz-${i}`, name: `F${i}`, role, ttlMs: 86_400_000 }));
    const tokens = [...visitors.map((v) => v.token), ...agents];

    const ids = visitors.map((v) => v.conversationId);
    // [method, path, who]: the route table of both APIs, plus paths next to it.
    const routes: Array<[string, string, 'visitor' | 'agent' | 'none']> = [
      ...ENDPOINTS.map((e) => [e.method, e.path, e.id === 'open-session' ? 'none' : 'visitor'] as [string, string, 'visitor']),
      ...[
        ['GET', '/agent/me'], ['POST', '/agent/presence'], ['GET', '/agent/queue'], ['GET', '/agent/queue/events'], ['GET', '/agent/chats'],
        ['GET', '/agent/audit'], ['GET', '/agent/reports'], ['GET', '/agent/reports.csv'], ['GET', '/agent/conversations/{id}'],
        ['DELETE', '/agent/conversations/{id}'], ['POST', '/agent/conversations/{id}/claim'], ['GET', '/agent/conversations/{id}/events'],
        ['POST', '/agent/conversations/{id}/messages'], ['POST', '/agent/conversations/{id}/typing'],
        ['POST', '/agent/conversations/{id}/release'], ['POST', '/agent/conversations/{id}/close'],
      ].map(([m, p]) => [m, p, 'agent'] as [string, string, 'agent']),
      ...['/', '/agent', '/agent/', '/nope', '/sessions/', '//sessions', '/SESSIONS', '/events/../sessions'].map((p) => ['GET', p, 'none'] as [string, string, 'none']),
    ];
    const queries = ['', '?lastEventId=3', '?lastEventId=-1', '?lastEventId=1e99', '?from=0&to=1', '?from=5&to=1', '?bucket=year', '?table=nope', '?limit=9999999', '?queue=%zz', '?conversationId=' + ids[0], '?%', '?a=%E0%A4%A'];

    const r = rng(SEED);
    const heapBefore = process.memoryUsage().heapUsed;
    const statuses: Record<number, number> = {};
    const fivexx: string[] = [];
    const started = Date.now();

    const one = (i: number): Promise<void> => {
      const [rightMethod, template, who] = r.pick(routes);
      const method = r.chance(0.8) ? rightMethod : r.pick(['GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD']);
      let path = template.replace('{id}', () => (r.chance(0.6) && method !== 'DELETE' ? r.pick(ids) : encodeURIComponent(weirdString(r).toWellFormed()).slice(0, 70) || 'x'));
      if (r.chance(0.1)) path = path.replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16)}`);
      const query = r.chance(0.3) ? r.pick(queries) : '';
      const headers: Record<string, string> = {};
      const k = r.int(10);
      const own = who === 'agent' ? r.pick(agents) : who === 'visitor' ? r.pick(visitors).token : r.pick(tokens);
      if (k < 5) headers.authorization = `Bearer ${own}`;
      else if (k < 7) headers.authorization = `Bearer ${mutateToken(r, r.chance(0.7) ? own : r.pick(tokens))}`;
      else if (k < 8) headers.authorization = r.pick(['Bearer', 'Basic abc', 'bearer x', `Bearer ${'A'.repeat(3000)}`, 'Bearer a b']);
      if (r.chance(0.2)) headers['last-event-id'] = r.pick(['0', '2', '-5', 'abc', '99999999999999999', '1.5']);
      if (r.chance(0.15)) headers.origin = r.pick(['http://evil.example', 'null', s.url, 'not a url']);
      if (r.chance(0.1)) headers['x-forwarded-for'] = weirdString(r);
      // Only what an HTTP client can put in a header (the parser's own refusals are the shop test's business).
      for (const h of Object.keys(headers)) headers[h] = headers[h]!.replace(/[^\x20-\x7e]/g, '');
      const b = method === 'POST' || r.chance(0.1) ? body(r) : null;
      if (b?.type) headers['content-type'] = b.type;
      if (b) headers['content-length'] = String(b.bytes.length);
      const label = `#${i} ${method} ${path}${query}`;
      return new Promise<void>((resolve) => {
        const req = request(`${s.base}${path}${query}`, { method, headers, agent }, (res) => {
          const st = res.statusCode ?? 0;
          statuses[st] = (statuses[st] ?? 0) + 1;
          if (st >= 500) fivexx.push(`${label} → ${st}`);
          // An accepted event stream never ends by itself: we have seen its status, hang up.
          if (String(res.headers['content-type']).startsWith('text/event-stream')) {
            res.destroy();
            return resolve();
          }
          res.resume();
          res.on('end', resolve);
          res.on('error', () => resolve());
        });
        req.on('error', () => resolve()); // a destroyed oversize upload; the status (413) was counted if sent
        req.end(b?.bytes);
      });
    };

    let sent = 0;
    const workers = Array.from({ length: 16 }, async () => {
      while (sent < REQUESTS) await one(sent++);
    });
    await Promise.all(workers);
    const elapsed = Date.now() - started;
    t.diagnostic(`seed ${SEED}: ${sent} requests in ${elapsed} ms; statuses ${JSON.stringify(statuses)}`);

    assert.deepEqual(fivexx, [], `5xx answers (seed ${SEED})`);
    assert.deepEqual(thrown, [], `exceptions escaped the server (seed ${SEED})`);
    // Still serving, and every stream the fuzzer opened was closed again.
    assert.equal((await post(s.base, '/sessions', {})).status, 201);
    for (let i = 0; i < 500 && s.handler.stats().openStreams > 0; i++) await new Promise((res) => setTimeout(res, 20));
    assert.equal(s.handler.stats().openStreams, 0);
    const grown = process.memoryUsage().heapUsed - heapBefore;
    assert.ok(grown < 96 * 2 ** 20, `heap grew by ${(grown / 2 ** 20).toFixed(1)} MiB (seed ${SEED})`);
  } finally {
    agent.destroy();
    await s.close();
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
  }
});

