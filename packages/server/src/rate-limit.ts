// Token buckets keyed by session, IP or agent. Lazy refill (no timer per key) keeps the cost one map lookup per
// take; idle full buckets are swept so an address scan cannot grow the map without bound. The same arithmetic
// serves the in-memory `Coordination.take` (where each call names its limit) and the Redis script mirrors it.

/** A bucket's size and refill speed. */
export interface RateLimit {
  /** Requests allowed in a burst. */
  burst: number;
  /** Tokens added back per second. */
  perSecond: number;
}

/** One bucket's state: tokens left at time `at` (Unix ms). */
export interface Bucket {
  tokens: number;
  at: number;
}

/** Throws a `RangeError` naming the bad field when `limit` is not a usable bucket. */
export function checkRateLimit(limit: RateLimit, what = 'rate limit'): void {
  if (!limit || typeof limit !== 'object') throw new TypeError(`${what} must be { burst, perSecond }`);
  if (!Number.isFinite(limit.burst) || limit.burst < 1)
    throw new RangeError(`${what}.burst must be a finite number ≥ 1, got ${String(limit.burst)}`);
  if (!Number.isFinite(limit.perSecond) || limit.perSecond < 0)
    throw new RangeError(`${what}.perSecond must be a finite number ≥ 0, got ${String(limit.perSecond)}`);
}

/** Refills `b` up to `now`, in place. */
export function refill(b: Bucket, limit: RateLimit, now: number): void {
  const dt = Math.max(0, now - b.at) / 1000;
  b.tokens = Math.min(limit.burst, b.tokens + dt * limit.perSecond);
  b.at = Math.max(b.at, now);
}

/** Takes one token from `b` (refilled to `now` first): 0 when allowed, else the seconds until one is available. */
export function takeToken(b: Bucket, limit: RateLimit, now: number): number {
  refill(b, limit, now);
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  return limit.perSecond > 0 ? (1 - b.tokens) / limit.perSecond : Number.POSITIVE_INFINITY;
}

/** Buckets of possibly different limits, each created full on first take. */
export interface Buckets {
  /** Takes one token; returns 0 when allowed, else the seconds until one is available. */
  take(key: string, limit: RateLimit, now: number): number;
  /** Drops buckets that are full again (they behave exactly like absent ones). */
  sweep(now: number): void;
  readonly size: number;
}

export function createBuckets(): Buckets {
  const buckets = new Map<string, Bucket & { limit: RateLimit }>();
  return {
    take(key, limit, now) {
      let b = buckets.get(key);
      if (!b) buckets.set(key, (b = { tokens: limit.burst, at: now, limit }));
      b.limit = limit;
      return takeToken(b, limit, now);
    },
    sweep(now) {
      for (const [k, b] of buckets) {
        refill(b, b.limit, now);
        if (b.tokens >= b.limit.burst) buckets.delete(k);
      }
    },
    get size() {
      return buckets.size;
    },
  };
}

