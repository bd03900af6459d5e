// Issue 15 on a real redis-server: the same retention, data-subject and card-masking scenarios as the memory
// run (packages/server/test/privacy.ts), with two server instances on one Redis — the chats are made through
// instance A's store and HTTP, the sweeps and requests answered by whichever instance runs them.
import { after, before, test } from 'node:test';
import { createRedisBackend, type RedisBackend } from '@temper/server-redis';
import type { TemperServerOptions } from '@temper/server';
import { start, type Running } from '../../server/test/helpers.ts';
import { cardMaskingScenario, dataSubjectScenario, retentionScenario } from '../../server/test/privacy.ts';
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
