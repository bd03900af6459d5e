// Token buckets keyed by session or IP. Lazy refill (no timer per key) keeps the cost one map lookup per
// request; idle full buckets are swept so an address scan cannot grow the map without bound.

/** A bucket's size and refill speed. */
export interface RateLimit {
  /** Requests allowed in a burst. */
  burst: number;
  /** Tokens added back per second. */
  perSecond: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export interface Limiter {
  /** Takes one token; returns 0 when allowed, else the seconds until one is available. */
  take(key: string, now: number): number;
  sweep(now: number): void;
  readonly size: number;
}

export function createLimiter(limit: RateLimit): Limiter {
  const buckets = new Map<string, Bucket>();
  const refill = (b: Bucket, now: number) => {
    const dt = Math.max(0, now - b.at) / 1000;
    b.tokens = Math.min(limit.burst, b.tokens + dt * limit.perSecond);
    b.at = now;
  };
  return {
    take(key, now) {
      let b = buckets.get(key);
      if (!b) buckets.set(key, (b = { tokens: limit.burst, at: now }));
      else refill(b, now);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return limit.perSecond > 0 ? (1 - b.tokens) / limit.perSecond : Number.POSITIVE_INFINITY;
    },
    sweep(now) {
      for (const [k, b] of buckets) {
        refill(b, now);
        if (b.tokens >= limit.burst) buckets.delete(k);
      }
    },
    get size() {
      return buckets.size;
    },
  };
}
