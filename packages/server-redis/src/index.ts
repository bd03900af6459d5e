// Public entry of @temper/server-redis (npm ESM, no side effects).
export { createRedisBackend } from './backend.js';
export type { RedisBackend, RedisBackendOptions } from './backend.js';
export { keyspace } from './keys.js';
export type { Keyspace } from './keys.js';
