// The coordination contract of @temper/server: what several server instances behind a load balancer must share
// besides the data in `Store` — mutual exclusion per conversation, notifications to every instance, rate-limit
// buckets and counters. The in-memory implementation serves one process; @temper/server-redis implements the
// same interface on one Redis so that N instances behave as one. Both pass one conformance suite.
import type { RateLimit } from './rate-limit.js';

/** Options of `Coordination.withLock`. */
export interface LockOptions {
  /**
   * How long the lock is held at most if its holder dies (Redis: the key's PX). Renewed while `fn` runs, so a
   * slow `fn` keeps it; a crashed instance frees it after this long. Default 10 s.
   */
  leaseMs?: number;
  /** How long to wait for the lock before rejecting with `LockTimeoutError`. Default 5 s. */
  waitMs?: number;
}

/** Thrown by `withLock` when the lock could not be had within `waitMs`. */
export class LockTimeoutError extends Error {
  override readonly name = 'LockTimeoutError';
  constructor(readonly key: string, readonly waitedMs: number) {
    super(`lock ${JSON.stringify(key)} not acquired within ${waitedMs} ms`);
  }
}

/** Called with each message published on a channel after `subscribe` resolved. */
export type ChannelListener = (message: string) => void;

/**
 * Cross-instance coordination. Every method is async; each is one atomic operation on the shared backend.
 *
 * @example
 * const coord = createMemoryCoordination();
 * await coord.withLock('conv:c1', async () => { … decide and apply … });
 * const stop = await coord.subscribe('queue', (m) => console.log('queue changed', m));
 * await coord.publish('queue', 'changed'); // every instance's listener runs, this one's too
 * const wait = await coord.take('ip:203.0.113.9', { burst: 120, perSecond: 4 }); // 0 = allowed
 * const lease = await coord.acquire('streams:c1', 5, 45_000); // a slot, or null when all 5 are taken
 * console.log(await coord.holders('streams:c1')); // 1
 */
export interface Coordination {
  /**
   * Runs `fn` while holding the exclusive lock `key` across every instance that shares this coordination.
   * Waiters on one instance run in arrival order. The lock is released when `fn` settles (also on throw).
   */
  withLock<T>(key: string, fn: () => Promise<T>, options?: LockOptions): Promise<T>;

  /** Delivers `message` to every listener of `channel` on every instance, this one included. At most once. */
  publish(channel: string, message: string): Promise<void>;
  /** Listens on `channel`. Resolves once the subscription is live, with a function that ends it. */
  subscribe(channel: string, listener: ChannelListener): Promise<() => void>;

  /**
   * Token bucket shared by every instance: takes one token from bucket `key` (created full). Resolves 0 when
   * allowed, else the seconds until a token is available (nothing is taken then). Idle full buckets expire.
   */
  take(key: string, limit: RateLimit, now: number): Promise<number>;

  /**
   * A shared semaphore (open streams per conversation, per IP, in total): takes one of `max` slots of `key` and
   * resolves its lease id, or `null` when all are taken. A lease lapses after `ttlMs` unless renewed, so the
   * slots of an instance that died free themselves; a live holder renews on its heartbeat.
   */
  acquire(key: string, max: number, ttlMs: number): Promise<string | null>;
  /** Extends a lease by `ttlMs` from now; resolves false when it had lapsed (the slot may be gone). */
  renew(key: string, lease: string, ttlMs: number): Promise<boolean>;
  /** Gives the slot back. Unknown or lapsed leases are ignored. */
  release(key: string, lease: string): Promise<void>;

  /** Releases connections and timers. Locks held by this instance are released; subscriptions end. */
  close(): Promise<void>;

  // Visitor presence (issue 12, defect 7): whether a visitor still has an event stream open on any instance.
  /**
   * How many unlapsed leases of `key` are held right now, by every instance together (0 for an unknown key).
   * The server counts a conversation's stream slots with it: 0 means the visitor has no stream open anywhere
   * (the slots of an instance that died count until their lease lapses).
   */
  holders(key: string): Promise<number>;
}
