// The shared Store and Coordination conformance suite against @temper/server-redis on a real redis-server
// (started by the test on a free loopback port). Each case gets its own key prefix and two backends with their
// own connections: two server instances.
import { after, before } from 'node:test';
import { createRedisBackend, type RedisBackend } from '@temper/server-redis';
import { coordinationConformance, storeConformance } from '../../server/test/conformance.js';
import { startRedis, type RedisServer } from './redis-server.js';

let redis: RedisServer;
let n = 0;
before(async () => {
  redis = await startRedis();
});
after(() => redis.stop());

async function pair(): Promise<{ a: RedisBackend; b: RedisBackend; crashA(): void; close(): Promise<void> }> {
  const prefix = `t${++n}`;
  // Background errors (a failed catch-up, a lost lock) fail the case, except those of a crashed instance.
  const errors: Error[] = [];
  let crashed = false;
  const onError = (e: Error) => void (crashed || errors.push(e));
  const a = await createRedisBackend({ url: redis.url, prefix, onError });
  const b = await createRedisBackend({ url: redis.url, prefix, onError: (e) => void errors.push(e) });
  return {
    a,
    b,
    crashA() {
      crashed = true;
      a.redis.disconnect();
    },
    close: async () => {
      await Promise.all([a.close(), b.close()]);
      if (errors.length) throw new Error(`background errors: ${errors.map((e) => e.message).join('; ')}`);
    },
  };
}

storeConformance('redis', async () => {
  const p = await pair();
  return { a: p.a.store, b: p.b.store, close: p.close };
});

coordinationConformance('redis', async () => {
  const p = await pair();
  return {
    a: p.a.coordination,
    b: p.b.coordination,
    // A crash: instance a's command connection is cut for good; nothing is released, renewals fail.
    crashA: async () => p.crashA(),
    close: p.close,
  };
});
