// createRedisBackend: the Store and the Coordination of @temper/server on one Redis, for one server instance.
import type { Coordination, Store } from '@temper/server';
import type { Redis, RedisOptions } from 'ioredis';
import { connect, redactUrl, scriptRunner, Subscriber } from './connection.js';
import { keyspace } from './keys.js';
import { createRedisCoordination } from './redis-coordination.js';
import { createRedisStore } from './redis-store.js';

const DAY = 24 * 60 * 60 * 1000;

/** Options of `createRedisBackend`. */
export interface RedisBackendOptions {
  /**
   * `redis://[[user]:password@]host[:port][/db]` or `rediss://…` for TLS. User, password and database come
   * from the URL (a password with special characters must be percent-encoded).
   */
  url: string;
  /** First segment of every key and channel, so several deployments can share one Redis. Default `'temper'`. */
  prefix?: string;
  /**
   * A conversation with no write for this long expires: all of its keys (record, event log, idempotency keys,
   * signals) at once. Every write (event, signal, state change) starts the period again. Default 7 days —
   * a visitor token lives 2 h and renews for 24 h after that, so after a week nobody can resume it.
   */
  conversationTtlMs?: number;
  /**
   * Audit entries older than this are dropped by a sweep every minute (the server prunes with its own
   * `auditRetentionMs` too). Default 30 days, the server's default. `false` (issue 15): this backend never
   * prunes, the server's retention does — set it when the server archives the audit log
   * (`retention.auditArchive`), so no entry leaves Redis before it is archived.
   */
  auditRetentionMs?: number | false;
  /** Agents not seen for this long drop out of `listAgents`. Default 7 days. */
  agentRetentionMs?: number;
  /** Signals kept per conversation in `SignalState.history`. Default 50, as the in-memory store. */
  signalHistory?: number;
  /** How long to wait for the first connection before rejecting. Default 10 s. */
  connectTimeoutMs?: number;
  /**
   * Extra ioredis options for both connections, e.g. `{ tls: { ca } }` for a private CA with `rediss://`,
   * `retryStrategy`, `maxRetriesPerRequest`.
   */
  redisOptions?: RedisOptions;
  /** Where background errors go (a lost lock, a failed catch-up after a reconnect). Default `console.error`. */
  onError?: (error: Error) => void;
  /** Clock for retention decisions. Default `Date.now`. */
  now?: () => number;
}

/** What `createRedisBackend` resolves: pass `store` and `coordination` to `createTemperServer`. */
export interface RedisBackend {
  readonly store: Store;
  readonly coordination: Coordination;
  /** The command connection (for health checks and INFO); do not change keys under the prefix through it. */
  readonly redis: Redis;
  /** Ends subscriptions, releases held locks and closes both connections. Idempotent. */
  close(): Promise<void>;
}

function positive(name: string, v: number | undefined, fallback: number): number {
  const n = v ?? fallback;
  if (!(Number.isFinite(n) && n > 0)) throw new RangeError(`createRedisBackend: ${name} must be a positive number, got ${String(v)}`);
  return Math.ceil(n);
}

/**
 * Connects to Redis (one command connection, one subscriber connection) and returns the `Store` and the
 * `Coordination` of one @temper/server instance. Every instance pointed at the same Redis and prefix shares
 * conversations, event logs, claims, signals, audit, presence, locks, channels, rate limits and slots.
 * Rejects with a clear message when Redis cannot be reached or refuses the credentials.
 *
 * @example
 * import { createServer } from 'node:http';
 * import { createTemperServer } from '@temper/server';
 * import { createRedisBackend } from '@temper/server-redis';
 *
 * const backend = await createRedisBackend({ url: process.env.TEMPER_REDIS_URL ?? 'redis://127.0.0.1:6379/0' });
 * const temper = createTemperServer({ secret: process.env.TEMPER_SECRET!, store: backend.store, coordination: backend.coordination });
 * const server = createServer((req, res) => temper(req, res)).listen(8080);
 * process.on('SIGTERM', () => server.close(async () => { await temper.close(); await backend.close(); }));
 */
export async function createRedisBackend(options: RedisBackendOptions): Promise<RedisBackend> {
  if (!options || typeof options.url !== 'string') throw new TypeError('createRedisBackend: options.url (redis://… or rediss://…) is required');
  const keys = keyspace(options.prefix ?? 'temper');
  const conversationTtlMs = positive('conversationTtlMs', options.conversationTtlMs, 7 * DAY);
  const auditRetentionMs = options.auditRetentionMs === false ? null : positive('auditRetentionMs', options.auditRetentionMs, 30 * DAY);
  const agentRetentionMs = positive('agentRetentionMs', options.agentRetentionMs, 7 * DAY);
  const signalHistory = positive('signalHistory', options.signalHistory, 50);
  const timeoutMs = positive('connectTimeoutMs', options.connectTimeoutMs, 10_000);
  const now = options.now ?? Date.now;
  const where = redactUrl(options.url);
  const onError =
    options.onError ?? ((e: Error) => console.error(`@temper/server-redis (${where}): ${e.message}`));
  const redisOptions = options.redisOptions ?? {};

  // Auto-pipelining: commands issued in the same tick (one request's independent reads, and those of every
  // request in flight) go out in one write and come back in one read — fewer round trips and syscalls.
  const redis = await connect(options.url, { enableAutoPipelining: true, ...redisOptions }, 'cmd', timeoutMs);
  let sub: Redis;
  try {
    sub = await connect(options.url, { ...redisOptions, autoResubscribe: false }, 'sub', timeoutMs);
  } catch (e) {
    redis.disconnect();
    throw e;
  }
  // After the first connect, ioredis reconnects by itself; report what happens meanwhile, once per outage.
  for (const [conn, role] of [[redis, 'command'], [sub, 'subscriber']] as const) {
    let down = false;
    let closing = false;
    const lost = (why: string) => {
      if (!down && !closing) onError(new Error(`${role} connection lost: ${why}; reconnecting`));
      down = true;
    };
    conn.on('error', (e: Error) => lost(e.message));
    conn.on('reconnecting', () => lost('connection closed'));
    conn.on('end', () => (closing = true));
    conn.on('ready', () => (down = false));
  }
  const run = scriptRunner(redis);
  const subscriber = new Subscriber(sub, onError);
  const store = createRedisStore({ keys, redis, run, subscriber, conversationTtlMs, agentRetentionMs, signalHistory, now, onError });
  const coordination = createRedisCoordination({ keys, redis, run, subscriber, onError });

  const sweep = setInterval(() => {
    if (auditRetentionMs === null) return;
    store.pruneAudit(now() - auditRetentionMs).catch((e: Error) => onError(new Error(`audit retention sweep failed: ${e.message}`)));
  }, 60_000);
  sweep.unref();

  let closing: Promise<void> | null = null;
  return {
    store,
    coordination,
    redis,
    close() {
      closing ??= (async () => {
        clearInterval(sweep);
        await store.close();
        await coordination.close();
        await Promise.all([redis.quit().catch(() => redis.disconnect()), sub.quit().catch(() => sub.disconnect())]);
      })();
      return closing;
    },
  };
}
