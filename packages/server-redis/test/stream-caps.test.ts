// Issue 11 findings 1–2 across instances: two createTemperServer instances, each with its own Redis backend
// (own connections) on one real redis-server, share the stream caps through Coordination.acquire.
import { after, before, test } from 'node:test';
import { createRedisBackend, type RedisBackend } from '@temper/server-redis';
import type { TemperServerOptions } from '@temper/server';
import { start, type Running } from '../../server/test/helpers.ts';
import { perIpCap, twentyOnOneConversation } from '../../server/test/stream-caps.ts';
import { startRedis, type RedisServer } from './redis-server.js';

let redis: RedisServer;
let n = 0;
before(async () => {
  redis = await startRedis();
});
after(() => redis.stop());

async function two(opts: Partial<TemperServerOptions>): Promise<{ a: Running; b: Running; close(): Promise<void> }> {
  const prefix = `caps${++n}`;
  const backends: RedisBackend[] = [];
  const instance = async () => {
    const backend = await createRedisBackend({ url: redis.url, prefix });
    backends.push(backend);
    return start({ store: backend.store, coordination: backend.coordination, ...opts });
  };
  const a = await instance();
  const b = await instance();
  return {
    a,
    b,
    async close() {
      await a.close();
      await b.close();
      await Promise.all(backends.map((x) => x.close()));
    },
  };
}

test('twenty simultaneous streams on one conversation over two instances: exactly the cap (5) accepted, 15 get 429', async () => {
  const p = await two({ limits: { perIp: false, perSession: false } });
  try {
    await twentyOnOneConversation([p.a.base, p.b.base], 5);
  } finally {
    await p.close();
  }
});

test('the per-IP stream cap holds across two instances', async () => {
  const p = await two({ limits: { perIp: false, perSession: false, streamsPerIp: 4 } });
  try {
    await perIpCap([p.a.base, p.b.base], 4);
  } finally {
    await p.close();
  }
});
