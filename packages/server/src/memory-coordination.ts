// The in-process `Coordination`: the embedded default, and the reference the Redis implementation is checked
// against by the shared conformance suite. Several `createTemperServer` instances in one process that share one
// of these behave as one server, which is how the wiring is tested without Redis.
import { randomUUID } from 'node:crypto';
import { type Coordination, type ChannelListener, type LockOptions, LockTimeoutError } from './coordination.js';
import { checkRateLimit, createBuckets, type RateLimit } from './rate-limit.js';

/** Options of `createMemoryCoordination`. */
export interface MemoryCoordinationOptions {
  /** Clock of lease expiry and of the idle-bucket sweep. Default `Date.now`. */
  now?: () => number;
  /** How often full rate-limit buckets and lapsed leases are dropped. Default 60 s; 0 = never (tests). */
  sweepMs?: number;
  /** Called when a channel listener throws (the other listeners still run). Default: `console.error`. */
  onListenerError?: (error: unknown, channel: string) => void;
}

const DEFAULT_LEASE_MS = 10_000;
const DEFAULT_WAIT_MS = 5_000;

interface Waiter {
  grant: () => void;
  timer: ReturnType<typeof setTimeout>;
  fail: (e: Error) => void;
}

function checkKey(key: unknown, what: string): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) throw new TypeError(`${what} must be a non-empty string`);
}

function checkMs(v: unknown, what: string, min: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min)
    throw new RangeError(`${what} must be a finite number of ms ≥ ${min}, got ${String(v)}`);
  return v;
}

/**
 * Creates the in-process `Coordination`: FIFO locks per key, synchronous-order channels delivered on a
 * microtask, token buckets and leased slots in maps. Good for one process (or several servers inside one
 * process); use `@temper/server-redis` for several processes.
 *
 * In one process a lock's holder cannot die without the whole process dying, so `leaseMs` only gets
 * validated here; the lock is held exactly while `fn` runs. Locks are not re-entrant: `withLock(k)` inside
 * `withLock(k)` waits for itself and rejects with `LockTimeoutError` after `waitMs`.
 *
 * @example
 * import { createMemoryCoordination, createTemperServer } from '@temper/server';
 * const coordination = createMemoryCoordination();
 * const a = createTemperServer({ secret, store, coordination });
 * const b = createTemperServer({ secret, store, coordination }); // a and b now behave as one server
 * await coordination.withLock('conv:{c1}', async () => {  … one decision at a time … });
 */
export function createMemoryCoordination(options: MemoryCoordinationOptions = {}): Coordination {
  const now = options.now ?? Date.now;
  const onListenerError =
    options.onListenerError ??
    ((error: unknown, channel: string) => console.error(`[temper] listener of channel ${channel} threw`, error));
  const sweepMs = options.sweepMs ?? 60_000;
  checkMs(sweepMs, 'sweepMs', 0);

  /** Keys currently held, each with the waiters that arrived after (FIFO). */
  const locks = new Map<string, Waiter[]>();
  const channels = new Map<string, Set<ChannelListener>>();
  const buckets = createBuckets();
  /** key → lease id → expiry (Unix ms). */
  const slots = new Map<string, Map<string, number>>();
  let closed = false;

  const closedError = () => new Error('coordination is closed');
  const ensureOpen = () => {
    if (closed) throw closedError();
  };

  const unlock = (key: string) => {
    const waiters = locks.get(key);
    if (!waiters) return;
    const next = waiters.shift();
    if (next) {
      clearTimeout(next.timer);
      next.grant();
    } else locks.delete(key);
  };

  const liveSlots = (key: string, t: number) => {
    const s = slots.get(key);
    if (!s) return undefined;
    for (const [lease, expires] of s) if (expires <= t) s.delete(lease);
    if (s.size === 0) slots.delete(key);
    return s.size === 0 ? undefined : s;
  };

  const sweep = () => {
    const t = now();
    buckets.sweep(t);
    for (const key of [...slots.keys()]) liveSlots(key, t);
  };
  const sweeper = sweepMs > 0 ? setInterval(sweep, sweepMs) : null;
  sweeper?.unref?.();

  return {
    async withLock<T>(key: string, fn: () => Promise<T>, lockOptions: LockOptions = {}): Promise<T> {
      checkKey(key, 'lock key');
      if (typeof fn !== 'function') throw new TypeError('withLock needs a function to run');
      checkMs(lockOptions.leaseMs ?? DEFAULT_LEASE_MS, 'leaseMs', 1);
      const waitMs = checkMs(lockOptions.waitMs ?? DEFAULT_WAIT_MS, 'waitMs', 0);
      ensureOpen();
      const waiters = locks.get(key);
      if (!waiters) locks.set(key, []);
      else
        await new Promise<void>((grant, fail) => {
          const w: Waiter = {
            grant,
            fail,
            timer: setTimeout(() => {
              const i = waiters.indexOf(w);
              if (i >= 0) waiters.splice(i, 1);
              fail(new LockTimeoutError(key, waitMs));
            }, waitMs),
          };
          waiters.push(w);
        });
      try {
        return await fn();
      } finally {
        unlock(key);
      }
    },

    async publish(channel, message) {
      checkKey(channel, 'channel');
      if (typeof message !== 'string') throw new TypeError('a channel message must be a string');
      ensureOpen();
      const listeners = channels.get(channel);
      if (!listeners || listeners.size === 0) return;
      const snapshot = [...listeners];
      queueMicrotask(() => {
        for (const l of snapshot) {
          // Unsubscribed between publish and delivery: like Redis, it does not hear it.
          if (!listeners.has(l)) continue;
          try {
            l(message);
          } catch (e) {
            onListenerError(e, channel);
          }
        }
      });
    },

    async subscribe(channel, listener) {
      checkKey(channel, 'channel');
      if (typeof listener !== 'function') throw new TypeError('subscribe needs a listener function');
      ensureOpen();
      let set = channels.get(channel);
      if (!set) channels.set(channel, (set = new Set()));
      // Each subscription is its own entry, so one function subscribed twice hears each message twice, as
      // two Redis subscriptions would.
      const entry: ChannelListener = (m) => listener(m);
      set.add(entry);
      return () => {
        const s = channels.get(channel);
        if (!s) return;
        s.delete(entry);
        if (s.size === 0) channels.delete(channel);
      };
    },

    async take(key: string, limit: RateLimit, at: number) {
      checkKey(key, 'bucket key');
      checkRateLimit(limit);
      if (typeof at !== 'number' || !Number.isFinite(at)) throw new TypeError('take needs the current time in ms');
      ensureOpen();
      return buckets.take(key, limit, at);
    },

    async acquire(key, max, ttlMs) {
      checkKey(key, 'slot key');
      if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be an integer ≥ 1, got ${String(max)}`);
      checkMs(ttlMs, 'ttlMs', 1);
      ensureOpen();
      const t = now();
      // Lapsed leases are purged only when they could matter (the cap looks full): with 10k streams on one
      // key, scanning on every acquire and renew cost O(n) each.
      let s = slots.get(key);
      if (s && s.size >= max) s = liveSlots(key, t);
      if (s && s.size >= max) return null;
      if (!s) slots.set(key, (s = new Map()));
      const lease = randomUUID();
      s.set(lease, t + ttlMs);
      return lease;
    },

    async renew(key, lease, ttlMs) {
      checkKey(key, 'slot key');
      checkKey(lease, 'lease');
      checkMs(ttlMs, 'ttlMs', 1);
      ensureOpen();
      const t = now();
      const s = slots.get(key);
      const expires = s?.get(lease);
      if (!s || expires === undefined) return false;
      if (expires <= t) {
        s.delete(lease);
        if (s.size === 0) slots.delete(key);
        return false;
      }
      s.set(lease, t + ttlMs);
      return true;
    },

    async release(key, lease) {
      checkKey(key, 'slot key');
      checkKey(lease, 'lease');
      ensureOpen();
      const s = slots.get(key);
      if (!s) return;
      s.delete(lease);
      if (s.size === 0) slots.delete(key);
    },

    async holders(key) {
      checkKey(key, 'slot key');
      ensureOpen();
      return liveSlots(key, now())?.size ?? 0;
    },

    async close() {
      if (closed) return;
      closed = true;
      if (sweeper) clearInterval(sweeper);
      for (const waiters of locks.values())
        for (const w of waiters) {
          clearTimeout(w.timer);
          w.fail(closedError());
        }
      locks.clear();
      channels.clear();
      slots.clear();
    },
  };
}
