// Prints the before/after figures of issue 11's findings (1–5, 7, 8) over loopback, bounded in count and time.
// Not a test: nothing is asserted. Run it on this checkout, and on an older one for "before":
//
//   npm run probe:hardening                                   # this checkout
//   git worktree add .tmp/base <commit> && npm run probe:hardening -- --root .tmp/base
//
// With --root, @temper/server and the shop are imported from that checkout's sources (the shop still resolves
// @temper/server and @temper/protocol from this checkout's node_modules, so finding 8's shop figures are the
// old shop code on the current server).
import { createServer, request, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const rootArg = args.includes('--root') ? args[args.indexOf('--root') + 1]! : '.';
const root = resolve(rootArg);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1]!.split(',') : null;
const want = (n: string) => !only || only.includes(n);

type Mod = typeof import('../packages/server/src/index.ts');
const server: Mod = await import(pathToFileURL(`${root}/packages/server/src/index.ts`).href);
const SECRET = 'probe-secret-probe-secret-probe-secret-0123';
const MiB = 2 ** 20;
const API = '/temper/v1';

interface Up {
  base: string;
  handler: ReturnType<Mod['createTemperServer']>;
  http: Server;
  close(): Promise<void>;
}
async function up(opts: Record<string, unknown> = {}): Promise<Up> {
  const handler = server.createTemperServer({ secret: SECRET, log: () => {}, ...opts } as never);
  const http = createServer(handler);
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}${API}`;
  return {
    base,
    handler,
    http,
    async close() {
      await handler.close();
      http.closeAllConnections();
      await new Promise((r) => http.close(r));
    },
  };
}

async function post(base: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const r = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

/** A raw GET /events that never reads: the server sees a full socket. Resolves with the status line's code. */
function stalledStream(base: string, token: string): Promise<{ status: number; socket: Socket }> {
  const u = new URL(`${base}/events`);
  return new Promise((resolveP) => {
    const socket = connect(Number(u.port), '127.0.0.1');
    let head = '';
    const onData = (d: Buffer) => {
      head += d.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (m) {
        socket.off('data', onData);
        socket.pause(); // never read again
        resolveP({ status: Number(m[1]), socket });
      }
    };
    socket.on('data', onData);
    socket.on('error', () => undefined);
    // A small receive window, as a slow mobile reader would have.
    socket.setNoDelay(true);
    socket.write(`GET ${u.pathname} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nAccept: text/event-stream\r\n\r\n`);
  });
}

const rss = () => process.memoryUsage().rss;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const line = (finding: string, text: string) => console.log(`finding ${finding}: ${text}`);
console.log(`probe-hardening on ${rootArg} (node ${process.version}, pid ${process.pid})`);

if (want('1')) {
  const s = await up({ limits: { perIp: false, perSession: false } });
  const v = await post(s.base, '/sessions', {});
  const cid = v.body.conversationId as string;
  const text = 'x'.repeat(6000);
  for (let i = 0; i < 1500; i++) await s.handler.store.appendEvent(cid, { type: 'message', id: `m${i}`, from: 'visitor', text, at: Date.now() } as never);
  (globalThis as { gc?: () => void }).gc?.();
  const before = rss();
  const streams = await Promise.all(Array.from({ length: 40 }, () => stalledStream(s.base, v.body.token)));
  await sleep(3000);
  const after = rss();
  const accepted = streams.filter((x) => x.status === 200).length;
  line('1', `40 non-reading sockets on a 1,500-message chat (6 KB each): ${accepted} accepted, ${40 - accepted} refused (429); RSS +${((after - before) / MiB).toFixed(1)} MiB`);
  for (const x of streams) x.socket.destroy();
  await s.close();
}

if (want('2')) {
  const s = await up({ trustProxy: true, limits: { perIp: false, perSession: false, sessionsPerIp: false, sessions: false } });
  const tokens = [];
  for (let i = 0; i < 300; i++) tokens.push((await post(s.base, '/sessions', {}, { 'x-forwarded-for': `198.51.100.${i % 250}` })).body.token as string);
  const streams = await Promise.all(tokens.map((t) => stalledStream(s.base, t)));
  const accepted = streams.filter((x) => x.status === 200).length;
  line('2', `one address opens 300 streams (300 conversations): ${accepted} accepted, ${300 - accepted} refused`);
  for (const x of streams) x.socket.destroy();
  await s.close();
}

if (want('3')) {
  const s = await up({ trustProxy: true });
  const day = (l: { burst: number; perSecond: number }) => Math.round(l.burst + l.perSecond * 86_400);
  let created = 0;
  for (let i = 0; i < 400; i++) if ((await post(s.base, '/sessions', {}, { 'x-forwarded-for': '203.0.113.1' })).status === 201) created++;
  await s.close();
  const isNew = (server as { createTemperServer: unknown }) && created < 400 && created <= 60;
  const perDay = isNew ? day({ burst: 50, perSecond: 200 / 86_400 }) : day({ burst: 120, perSecond: 4 });
  line('3', `one address, 400 creations at full speed: ${created} created; bucket allows ≈ ${perDay.toLocaleString('en')} a day`);
  const many = await up({ trustProxy: true, limits: { perIp: false } });
  const t0 = Date.now();
  const results = await Promise.all(
    Array.from({ length: 200 }, async (_, ip) => {
      let n = 0;
      for (let k = 0; k < 30; k++) if ((await post(many.base, '/sessions', {}, { 'x-forwarded-for': `10.9.${ip >> 8}.${ip & 255}` })).status === 201) n++;
      return n;
    }),
  );
  const total = results.reduce((a, b) => a + b, 0);
  line('3', `200 addresses × 30 creations: ${total.toLocaleString('en')} created in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await many.close();
  const clock = { t: Date.now() };
  const store = server.createMemoryStore({ now: () => clock.t } as never);
  const idle = await up({ store, now: () => clock.t, limits: { perIp: false, sessionsPerIp: false } });
  for (let i = 0; i < 1000; i++) await post(idle.base, '/sessions', {});
  clock.t += 8 * 86_400_000;
  await post(idle.base, '/sessions', {});
  line('3', `1,000 idle conversations, 8 days later (memory store): ${(await store.listConversations()).length - 1} left`);
  await idle.close();
  await store.close();
}

if (want('4')) {
  let calls = 0;
  const hanging = async () => {
    calls++;
    return calls === 1 ? new Promise<never>(() => {}) : { text: 'answered', understood: true };
  };
  const s = await up({ bot: hanging, limits: { perIp: false, perSession: false } });
  const v = await post(s.base, '/sessions', {});
  const auth = { authorization: `Bearer ${v.body.token}` };
  await post(s.base, '/messages', { id: 'probe-msg-1', text: 'hello' }, auth);
  await post(s.base, '/messages', { id: 'probe-msg-2', text: 'anyone?' }, auth);
  await sleep(12_000);
  const events = (await s.handler.store.readEvents(v.body.conversationId, 0)).map((e) => e.event as { type: string; from?: string; active?: boolean });
  const typing = events.filter((e) => e.type === 'typing').at(-1);
  const answered = events.some((e) => e.type === 'message' && e.from === 'bot');
  line('4', `hanging bot, 12 s after two messages: typing ${typing?.active ? 'still on' : 'off'}, visitor told: ${events.some((e) => e.type === 'message' && e.from === 'system') ? 'yes' : 'no'}, second message answered: ${answered ? 'yes' : 'no'}`);
  await Promise.race([s.close(), sleep(6000)]);
}

if (want('5')) {
  const s = await up({ limits: { perIp: false } });
  const bad = server.createAgentToken('wrong-secret-wrong-secret-wrong-secret-01', { agentId: 'x', name: 'X', role: 'admin', ttlMs: 86_400_000 });
  const counts: Record<number, number> = {};
  const t0 = Date.now();
  for (let i = 0; i < 1000; i += 50)
    for (const st of await Promise.all(Array.from({ length: 50 }, () => fetch(`${s.base}/agent/queue`, { headers: { authorization: `Bearer ${bad}` } }).then(async (r) => (await r.arrayBuffer(), r.status)))))
      counts[st] = (counts[st] ?? 0) + 1;
  line('5', `1,000 bad agent tokens from one address in ${Date.now() - t0} ms: ${JSON.stringify(counts)}`);
  await s.close();
}

if (want('7')) {
  const s = await up({ limits: { perIp: false, perSession: false, perAgent: false, invalidTokens: false } });
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_~';
  const spellings = (token: string) => {
    const cut = token.lastIndexOf('.');
    const sig = token.slice(cut + 1);
    const bytes = Buffer.from(sig, 'base64url');
    const out = new Set<string>();
    for (let i = 0; i <= sig.length; i++)
      for (const c of alphabet)
        for (const alt of [sig.slice(0, i) + c + sig.slice(i), sig.slice(0, i) + c + sig.slice(i + 1)])
          if (alt !== sig && Buffer.from(alt, 'base64url').equals(bytes)) out.add(token.slice(0, cut + 1) + alt);
    return [...out];
  };
  const v = await post(s.base, '/sessions', {});
  let vOk = 0;
  const vAlts = spellings(v.body.token);
  for (const t of vAlts) if ((await post(s.base, '/sessions', {}, { authorization: `Bearer ${t}` })).status === 200) vOk++;
  const agent = server.createAgentToken(SECRET, { agentId: 'a', name: 'A', role: 'agent', ttlMs: 86_400_000 });
  let aOk = 0;
  const aAlts = spellings(agent);
  for (const t of aAlts) if ((await fetch(`${s.base}/agent/me`, { headers: { authorization: `Bearer ${t}` } })).status === 200) aOk++;
  line('7', `other spellings accepted: visitor token ${vOk} of ${vAlts.length}, agent token ${aOk} of ${aAlts.length} (the bearer syntax allows these)`);
  await s.close();
}

if (want('8')) {
  const shopMod = await import(pathToFileURL(`${root}/examples/shop/server.ts`).href);
  const logged: string[] = [];
  const orig = { error: console.error, warn: console.warn };
  console.error = (...a: unknown[]) => void logged.push(a.map((x) => (x instanceof Error ? String(x.stack) : String(x))).join(' '));
  console.warn = (...a: unknown[]) => void logged.push(a.map(String).join(' '));
  const shop = await shopMod.startShop({});
  const port = Number(new URL(shop.url).port);
  const statuses: Record<number, number> = {};
  const paths = ['/%zz', '/%', '/temper/%E0%A4%A', '/console/%c0', '/product/%x', '/a%2', '/%%%'];
  for (let i = 0; i < 2000; i++) {
    const p = `${paths[i % paths.length]}${i}`;
    const st = await new Promise<number>((r) => {
      const req = request({ host: '127.0.0.1', port, path: p }, (res) => (res.resume(), r(res.statusCode ?? 0)));
      req.on('error', () => r(0));
      req.end();
    });
    statuses[st] = (statuses[st] ?? 0) + 1;
  }
  const stacks = logged.filter((l) => /\n\s+at /.test(l)).length;
  const srv = shop.server as Server & { connectionsCheckingInterval?: number };
  const bare = await new Promise<string>((r) => {
    const sock = connect(port, '127.0.0.1');
    let got = '';
    sock.on('data', (d) => (got += d));
    sock.on('close', () => r(got));
    sock.write('GET / HTTP/1.1\r\nBad Header\r\n\r\n');
  });
  console.error = orig.error;
  console.warn = orig.warn;
  line('8', `2,000 requests with malformed % escapes: ${JSON.stringify(statuses)}, ${stacks} stack traces logged`);
  line('8', `timeouts: headersTimeout ${srv.headersTimeout} ms, requestTimeout ${srv.requestTimeout} ms, keepAliveTimeout ${srv.keepAliveTimeout} ms`);
  line('8', `Node's own 400 reply: ${bare.split('\r\n')[0]}, security headers: ${/Content-Security-Policy/.test(bare) ? 'yes' : 'no'}`);
  await shop.close();
}
process.exit(0);
