// The Coordination contract of @temper/server on Redis: locks (SET NX PX + a random token, released and
// renewed by scripts that check the token), pub/sub channels on the shared subscriber connection, token
// buckets and leased slots as scripts.
import { randomBytes } from 'node:crypto';
import { LockTimeoutError, type Coordination, type LockOptions, type RateLimit } from '@temper/server';
import type { Redis } from 'ioredis';
import type { RunScript, Subscriber } from './connection.js';
import type { Keyspace } from './keys.js';

/** Settings the coordination needs from `createRedisBackend`. */
export interface RedisCoordinationSettings {
  keys: Keyspace;
  redis: Redis;
  run: RunScript;
  subscriber: Subscriber;
  onError: (e: Error) => void;
}

/** Polling interval bounds while waiting for a lock held elsewhere (a release announcement wakes waiters sooner). */
const POLL_MIN_MS = 5;
const POLL_MAX_MS = 200;

interface Waiter {
  /** Called when this waiter is first in this instance's queue for the key. */
  turn: () => void;
}

function checkKey(key: unknown, what: string): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) throw new TypeError(`${what} must be a non-empty string`);
}

function checkMs(v: unknown, what: string, min: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) {
    throw new RangeError(`${what} must be a finite number of ms ≥ ${min}, got ${String(v)}`);
  }
  return v;
}

function checkLimit(limit: RateLimit): void {
  if (!limit || typeof limit !== 'object') throw new TypeError('rate limit must be { burst, perSecond }');
  if (!Number.isFinite(limit.burst) || limit.burst < 1) throw new RangeError(`rate limit.burst must be a finite number ≥ 1, got ${String(limit.burst)}`);
  if (!Number.isFinite(limit.perSecond) || limit.perSecond < 0) {
    throw new RangeError(`rate limit.perSecond must be a finite number ≥ 0, got ${String(limit.perSecond)}`);
  }
}

const token = () => randomBytes(12).toString('base64url');

export function createRedisCoordination(s: RedisCoordinationSettings): Coordination {
  const { keys, redis, run, subscriber, onError } = s;
  /** Waiters per lock key on this instance, in arrival order; the first one competes for the Redis lock. */
  const queues = new Map<string, Waiter[]>();
  /** Wakes the instance's waiter of a key when any instance announces its release. */
  const wakers = new Map<string, () => void>();
  /** Locks this instance holds (released by close()). */
  const held = new Set<{ key: string; token: string }>();
  const stops = new Set<() => void>();
  let releases: Promise<() => void> | null = null;
  let closed = false;
  const ensureOpen = () => {
    if (closed) throw new Error('coordination is closed');
  };

  function listenForReleases(): Promise<() => void> {
    releases ??= subscriber.subscribe(keys.lockReleased, (key) => wakers.get(key)?.());
    return releases;
  }

  function leave(key: string, w: Waiter): void {
    const q = queues.get(key);
    if (!q) return;
    const i = q.indexOf(w);
    if (i < 0) return;
    q.splice(i, 1);
    if (q.length === 0) queues.delete(key);
    else if (i === 0) q[0]!.turn();
  }

  async function acquireLock(key: string, leaseMs: number, deadline: number): Promise<string | null> {
    const redisKey = keys.lock(key);
    const t = token();
    let pause = POLL_MIN_MS;
    for (;;) {
      ensureOpen();
      if ((await redis.set(redisKey, t, 'PX', leaseMs, 'NX')) === 'OK') return t;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      // Wait for a release announcement or the next poll (a holder that died lets its lease run out: polling).
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(pause, left));
        function done() {
          clearTimeout(timer);
          if (wakers.get(key) === done) wakers.delete(key);
          resolve();
        }
        wakers.set(key, done);
      });
      pause = Math.min(POLL_MAX_MS, pause * 2);
    }
  }

  return {
    async withLock<T>(key: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
      checkKey(key, 'lock key');
      if (typeof fn !== 'function') throw new TypeError('withLock needs a function to run');
      const leaseMs = Math.ceil(checkMs(options.leaseMs ?? 10_000, 'leaseMs', 1));
      const waitMs = checkMs(options.waitMs ?? 5_000, 'waitMs', 0);
      ensureOpen();
      const started = Date.now();
      const deadline = started + waitMs;
      await listenForReleases();

      // Local FIFO: only the first waiter of this instance polls Redis; the others wait for their turn.
      const w: Waiter = { turn: () => undefined };
      const myTurn = new Promise<void>((resolve) => (w.turn = resolve));
      let q = queues.get(key);
      if (!q) queues.set(key, (q = []));
      q.push(w);
      if (q.length === 1) w.turn();
      let lockToken: string | null = null;
      try {
        const left = deadline - Date.now();
        let timer: NodeJS.Timeout | undefined;
        const inTime = await Promise.race([
          myTurn.then(() => true),
          new Promise<boolean>((r) => (timer = setTimeout(() => r(false), left))),
        ]);
        clearTimeout(timer);
        ensureOpen();
        if (!inTime) throw new LockTimeoutError(key, Date.now() - started);
        lockToken = await acquireLock(key, leaseMs, deadline);
        if (lockToken === null) throw new LockTimeoutError(key, Date.now() - started);
      } catch (e) {
        leave(key, w);
        throw e;
      }

      const redisKey = keys.lock(key);
      const holding = { key, token: lockToken };
      held.add(holding);
      // Renew while fn runs, so a slow fn keeps the lock and a dead instance's lock lapses after leaseMs.
      const renew = setInterval(() => {
        run('temperRelock', [redisKey], [lockToken!, leaseMs]).then(
          (ok) => {
            if (ok !== 1) onError(new Error(`@temper/server-redis: lock ${JSON.stringify(key)} was lost while held (its lease of ${leaseMs} ms ran out)`));
          },
          (e: Error) => onError(new Error(`@temper/server-redis: renewing lock ${JSON.stringify(key)} failed: ${e.message}`)),
        );
      }, Math.max(1, Math.floor(leaseMs / 3)));
      renew.unref();
      try {
        return await fn();
      } finally {
        clearInterval(renew);
        held.delete(holding);
        try {
          await run('temperUnlock', [redisKey], [lockToken, keys.lockReleased, key]);
        } catch (e) {
          // The lease frees it anyway; say so instead of failing fn's result.
          onError(new Error(`@temper/server-redis: releasing lock ${JSON.stringify(key)} failed (it lapses after ${leaseMs} ms): ${(e as Error).message}`));
        }
        leave(key, w);
      }
    },

    async publish(channel, message) {
      checkKey(channel, 'channel');
      if (typeof message !== 'string') throw new TypeError('a channel message must be a string');
      ensureOpen();
      await redis.publish(keys.channel(channel), message);
    },

    async subscribe(channel, listener) {
      checkKey(channel, 'channel');
      if (typeof listener !== 'function') throw new TypeError('subscribe needs a listener function');
      ensureOpen();
      // Each subscription is its own handler, so a function subscribed twice hears each message twice.
      const stop = await subscriber.subscribe(keys.channel(channel), (m) => listener(m));
      const end = () => {
        stops.delete(end);
        stop();
      };
      stops.add(end);
      return end;
    },

    async take(key, limit, now) {
      checkKey(key, 'bucket key');
      checkLimit(limit);
      if (typeof now !== 'number' || !Number.isFinite(now)) throw new TypeError('take needs the current time in ms');
      ensureOpen();
      const r = (await run('temperTake', [keys.bucket(key)], [limit.burst, limit.perSecond, now])) as string;
      return r === 'inf' ? Number.POSITIVE_INFINITY : Number(r);
    },

    async acquire(key, max, ttlMs) {
      checkKey(key, 'slot key');
      if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be an integer ≥ 1, got ${String(max)}`);
      checkMs(ttlMs, 'ttlMs', 1);
      ensureOpen();
      const lease = token();
      const ok = await run('temperAcquire', [keys.slots(key)], [max, Math.max(1, Math.ceil(ttlMs)), lease]);
      return ok === 1 ? lease : null;
    },
    async renew(key, lease, ttlMs) {
      checkKey(key, 'slot key');
      checkKey(lease, 'lease');
      checkMs(ttlMs, 'ttlMs', 1);
      ensureOpen();
      return (await run('temperRenew', [keys.slots(key)], [lease, Math.max(1, Math.ceil(ttlMs))])) === 1;
    },
    async release(key, lease) {
      checkKey(key, 'slot key');
      checkKey(lease, 'lease');
      ensureOpen();
      await redis.zrem(keys.slots(key), lease);
    },

    async holders(key) {
      checkKey(key, 'slot key');
      ensureOpen();
      return Number(await run('temperHolders', [keys.slots(key)], []));
    },

    async close() {
      if (closed) return;
      closed = true;
      // Waiters of this instance give up now ('coordination is closed').
      for (const q of queues.values()) for (const w of q) w.turn();
      for (const wake of [...wakers.values()]) wake();
      for (const end of [...stops]) end();
      if (releases) (await releases.catch(() => () => undefined))();
      await Promise.all(
        [...held].map((h) => run('temperUnlock', [keys.lock(h.key)], [h.token, keys.lockReleased, h.key]).catch(() => undefined)),
      );
      held.clear();
    },
  };
}
