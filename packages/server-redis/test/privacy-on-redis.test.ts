// Issue 15 on a real redis-server: the same retention, data-subject and card-masking scenarios as the memory
// run (packages/server/test/privacy.ts), with two server instances on one Redis — the chats are made through
// instance A's store and HTTP, the sweeps and requests answered by whichever instance runs them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRedisBackend, type RedisBackend } from '@temper/server-redis';
import type { TemperServerOptions } from '@temper/server';
import { start, type Running } from '../../server/test/helpers.ts';
import { callbackContactScenario, cardMaskingScenario, dataSubjectScenario, retentionScenario } from '../../server/test/privacy.ts';
import { startRedis, type RedisServer } from './redis-server.js';

let redis: RedisServer;
let n = 0;
const backends: RedisBackend[] = [];
before(async () => {
  redis = await startRedis();
});
after(async () => {
  await Promise.all(backends.map((b) => b.close()));
  await redis.stop();
});

/** A server on its own key prefix of the shared redis-server, with the server's faked clock driving the store. */
async function onRedis(opts: Partial<TemperServerOptions>): Promise<Running> {
  const clock = { t: Date.now() };
  const backend = await createRedisBackend({ url: redis.url, prefix: `priv${++n}`, now: () => clock.t, auditRetentionMs: false });
  backends.push(backend);
  const s = await start({ store: backend.store, coordination: backend.coordination, now: () => clock.t, ...opts });
  // One clock for server and store: the scenario moves s.clock.t.
  Object.defineProperty(s, 'clock', { value: clock });
  return s;
}

test('retention on Redis (faked clock): signals, staff names, transcripts deleted after their days; audit archived then pruned', async () => {
  await retentionScenario(onRedis);
});

test('data-subject request on Redis: find, export, erase with the audit anonymised; reports still add up', async () => {
  await dataSubjectScenario(onRedis);
});

test('card numbers masked on receipt on Redis', async () => {
  await cardMaskingScenario(onRedis);
});

test('a callback phone number that passes Luhn stays usable for staff on Redis', async () => {
  await callbackContactScenario(onRedis);
});

test('one sweep at a time across instances: while another instance holds the sweep, runRetention is skipped', async () => {
  const a = await onRedis({});
  // Another instance on the same Redis and prefix, with its own connections, holds the sweep's lock.
  const peer = await createRedisBackend({ url: redis.url, prefix: `priv${n}` });
  backends.push(peer);
  try {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = peer.coordination.withLock('temper:retention', async () => {
      locked();
      await held;
    }, { leaseMs: 10_000, waitMs: 1000 });
    await isLocked;
    const r = await a.handler.runRetention();
    assert.equal(r.skipped, true);
    assert.equal(a.handler.stats().retention.skipped, 1);
    assert.equal(a.handler.stats().retention.runs, 0);
    release();
    await holder;
    assert.equal((await a.handler.runRetention()).skipped, false, 'free again once the other sweep ended');
  } finally {
    await a.close();
  }
});
