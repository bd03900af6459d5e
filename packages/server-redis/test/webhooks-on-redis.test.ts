// Webhook retries across instances on one real redis-server: an instance that fails an attempt and stops, or
// stops mid-request, leaves the event in the shared outbox and another instance delivers it, same key.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '@temper/server';
import { createRedisBackend, type RedisBackend } from '@temper/server-redis';
import { start, until, type Running } from '../../server/test/helpers.ts';
import { startRedis, type RedisServer } from './redis-server.js';

const HOOK_SECRET = 'webhook-secret-webhook-secret-0123456789';
let redis: RedisServer;
before(async () => {
  redis = await startRedis();
});
after(() => redis.stop());

test('an instance stops mid-request (and another after a failed attempt): a peer on the same Redis delivers, same key', async () => {
  const got: Array<{ key: string; attempt: string; status: number; verified: boolean }> = [];
  const hanging: Array<() => void> = [];
  let mode: 'hang' | 'fail' | 'ok' = 'hang';
  const receiver = createServer(async (req, res) => {
    let raw = '';
    for await (const c of req) raw += c;
    const key = String(req.headers['idempotency-key']);
    const verified = verifyWebhook(HOOK_SECRET, raw, req.headers['temper-signature']);
    if (mode === 'hang') return void hanging.push(() => res.destroy());
    const status = mode === 'fail' ? 500 : 200;
    got.push({ key, attempt: String(req.headers['temper-attempt']), status, verified });
    res.writeHead(status).end();
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  const backends: RedisBackend[] = [];
  // Every interval and instance is stopped in `finally`, so a failed assertion ends the test instead of
  // leaving a timer that keeps the test process alive.
  const timers: ReturnType<typeof setInterval>[] = [];
  const running: Running[] = [];
  const instance = async (): Promise<Running> => {
    const b = await createRedisBackend({ url: redis.url, prefix: 'wh1' });
    backends.push(b);
    const r = await start({ store: b.store, coordination: b.coordination, webhooks: { url, secret: HOOK_SECRET, timeoutMs: 300, backoffMs: 50, pollMs: 25 } });
    running.push(r);
    timers.push(setInterval(() => (r.clock.t = Date.now()), 10));
    return r;
  };
  const a = await instance();
  try {
    assert.equal(await a.handler.emitWebhook('callback.requested', { conversationId: 'c-1' }, 'wh_cross_1'), true);
    await until(() => hanging.length === 1, 'the first attempt to hang');
    await a.close(); // stops mid-request: its lease on the event lapses
    mode = 'fail';
    const b = await instance();
    await until(() => got.length >= 1, 'b to try');
    assert.deepEqual(got[0], { key: 'wh_cross_1', attempt: '1', status: 500, verified: true });
    // The receiver has answered 500; b records the failed attempt in Redis after reading that answer. Stop b only
    // once it has (stopping it earlier is the "stops mid-request" case above, which does not count an attempt).
    for (let i = 0; ; i++) {
      const [w] = await b.handler.store.listWebhooks();
      if (w?.attempts === 1) break;
      if (i > 750) throw new Error(`b never recorded its failed attempt: ${JSON.stringify(w)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await b.close(); // fails an attempt, then stops: the retry is in Redis with attempts = 1
    mode = 'ok';
    const c = await instance();
    await until(() => got.some((g) => g.status === 200), 'c to deliver');
    assert.deepEqual(got.at(-1), { key: 'wh_cross_1', attempt: '2', status: 200, verified: true });
    assert.deepEqual(await c.handler.store.listWebhooks(), []);
    await c.close();
  } finally {
    for (const t of timers) clearInterval(t);
    for (const r of running) await r.close().catch(() => undefined);
    for (const h of hanging) h();
    for (const b of backends) await b.close();
    receiver.closeAllConnections();
    await new Promise<void>((r) => receiver.close(() => r()));
  }
});
