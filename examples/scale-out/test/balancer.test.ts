// The committed haproxy.cfg in front of real `npm run serve` processes on one Redis: a client cannot choose its
// own IP with X-Forwarded-For, an instance that drains on SIGTERM costs no request, and a Redis outage shows in
// the health checks and heals when Redis is back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { API_BASE } from '@temper/protocol';
import { waitFor } from '../../shop/test/poll.ts';
import { startHaproxy, startInstance, startRedis, stopAll, type Balancer, type Instance, type RedisServer } from '../cluster.ts';

const secret = randomBytes(32).toString('hex');
let redis: RedisServer;
let instances: Instance[] = [];
let lb: Balancer;

before(async () => {
  redis = await startRedis();
  const env = { TEMPER_SECRET: secret, TEMPER_REDIS_URL: redis.url, TEMPER_TRUST_PROXY: '127.0.0.1' };
  instances = await Promise.all(['s1', 's2'].map((n) => startInstance(n, env)));
  lb = await startHaproxy(instances.map((i) => `127.0.0.1:${i.port}`));
});
after(async () => {
  await stopAll([lb, ...instances], 'kill');
  await redis?.stop();
});

/** A visitor token made in the first test, renewed after Redis comes back (creations are used up by then). */
let kept: string | undefined;
const openSession = (base: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${API_BASE}/sessions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });

test('a spoofed X-Forwarded-For does not get a client past the per-IP limit behind HAProxy', async () => {
  // The per-IP buckets allow 120 requests (refilling 4/s) and 50 new conversations (then 200 a day); every
  // request claims another address.
  const statuses: number[] = [];
  const t0 = Date.now();
  for (let i = 0; i < 140; i += 10) {
    const batch = Array.from({ length: 10 }, (_, k) => openSession(lb.url, { 'x-forwarded-for': `203.0.113.${(i + k) % 250}` }));
    for (const r of await Promise.all(batch)) {
      statuses.push(r.status);
      if (r.status === 201) kept ??= ((await r.json()) as { token: string }).token;
      else await r.body?.cancel();
    }
  }
  const allowed = statuses.filter((s) => s === 201).length;
  const refill = Math.ceil(((Date.now() - t0) / 1000) * 4) + 1;
  assert.ok(statuses.includes(429), `some requests are refused: ${allowed} of 140 allowed`);
  assert.ok(allowed <= 120 + refill, `at most the bucket for one client: ${allowed} allowed`);
  assert.deepEqual([...new Set(statuses)].sort(), [201, 429]);
});

test('SIGTERM of one instance under load through HAProxy: every request still succeeds, on the other one', async () => {
  // A fresh IP budget would be needed for many POSTs, so this load is GET /healthz and the shop's pages.
  const served = new Map<string, number>();
  const failures: string[] = [];
  let stop = false;
  const load = Array.from({ length: 4 }, async () => {
    while (!stop) {
      const r = await fetch(`${lb.url}/product/kettle`).catch((e: Error) => e);
      if (r instanceof Error) failures.push(r.message);
      else {
        await r.arrayBuffer();
        if (r.status !== 200) failures.push(`status ${r.status}`);
        const who = r.headers.get('x-temper-instance') ?? '?';
        served.set(who, (served.get(who) ?? 0) + 1);
      }
    }
  });
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await instances[0]!.stop(), 0, 's1 drains and exits 0');
  const afterStop = new Map(served);
  await new Promise((r) => setTimeout(r, 500));
  stop = true;
  await Promise.all(load);
  assert.deepEqual(failures, [], 'no request failed while s1 drained');
  assert.ok((afterStop.get('s1') ?? 0) > 0, 'both instances served before');
  assert.equal(served.get('s1'), afterStop.get('s1'), 's1 served nothing after it exited');
  assert.ok((served.get('s2') ?? 0) > (afterStop.get('s2') ?? 0), 's2 kept serving');
});

test('Redis down: /healthz says so and HAProxy answers 503; Redis back (same AOF): the instances serve again', async () => {
  const s2 = instances[1]!; // s1 was stopped by the test above
  const health = async () => {
    const r = await fetch(`${s2.url}/healthz`);
    return { status: r.status, body: (await r.json()) as { ok: boolean; problem?: string } };
  };
  assert.equal((await health()).status, 200);
  await redis.kill9();
  const down = await waitFor(health, (h) => h.status === 503, 'the instance to report its store down', 10_000);
  assert.match(down.body.problem ?? '', /^store: /);
  // HAProxy's checks take the instance out; with none left it answers 503 itself.
  await waitFor(() => fetch(`${lb.url}/`).then((r) => r.status), (st) => st === 503, 'HAProxy to see no healthy instance', 10_000);
  await redis.restart();
  await waitFor(health, (h) => h.status === 200, 'the instance to reconnect to Redis', 15_000);
  // A session renewal through HAProxy: read from and written to Redis again (the per-IP request bucket has
  // refilled by now; this address's new-conversation budget was spent by the first test).
  await waitFor(
    () => openSession(lb.url, { authorization: `Bearer ${kept}` }).then((r) => r.status),
    (st) => st === 200,
    'a session renewal through HAProxy again',
    10_000,
  );
});
