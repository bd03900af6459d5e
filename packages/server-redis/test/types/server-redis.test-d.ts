// Type tests of @temper/server-redis's public API (npm run test:types).
import { createRedisBackend, type RedisBackendOptions } from '@temper/server-redis';

const options: RedisBackendOptions = { url: 'redis://127.0.0.1:6379', prefix: 'temper' };
void (() => createRedisBackend(options));
// @ts-expect-error the URL is required
const noUrl: RedisBackendOptions = { prefix: 'temper' };
// @ts-expect-error TTLs are milliseconds (numbers)
const badTtl: RedisBackendOptions = { url: 'redis://127.0.0.1:6379', conversationTtlMs: '7d' };
void noUrl;
void badTtl;
