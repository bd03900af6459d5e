/**
 * The minimizer: the last step before anything leaves the device. It turns the dynamics' output into the wire
 * `Signal` (`{v, seq, level, trend}`), and only when the level or the trend changed, so a calm conversation
 * sends nothing at all and the server learns a change of state, never a per-message reading.
 *
 * Optional local differential privacy: k-ary randomized response on the level (k = 4). Each signal reports the
 * true level with probability e^ε / (e^ε + 3), otherwise one of the other three levels uniformly at random.
 */
import { LEVELS, SIGNAL_VERSION, type Level, type Signal, type Trend } from '@temper/protocol';

/** Local differential privacy of the level. */
export interface LdpOptions {
  /** Privacy budget per signal (ε > 0). Smaller is more private and less accurate. */
  readonly epsilon: number;
  /** Uniform random numbers in [0, 1). Defaults to `crypto.getRandomValues` (never `Math.random`). */
  readonly random?: () => number;
}

/** Options of `createMinimizer`. */
export interface MinimizerOptions {
  /** The `seq` of the first signal (≥ 1): pass the persisted `nextSeq` when a conversation resumes. */
  readonly startSeq?: number;
  /** Randomized response on the level; off by default. */
  readonly ldp?: LdpOptions;
}

/** Turns level/trend updates into wire signals. */
export interface Minimizer {
  /** The signal to send for this state, or null when neither the level nor the trend changed. */
  update(level: Level, trend: Trend): Signal | null;
  /**
   * Takes a state as already known to the server without sending anything: after a page load the conversation
   * is replayed into the dynamics, and the server already has the signal for where it ended.
   */
  assume(level: Level, trend: Trend): void;
  /** The `seq` the next signal will carry (persist it with the conversation). */
  readonly nextSeq: number;
  /** A new conversation: forget the last state; `seq` restarts at `startSeq` (default 1). */
  reset(startSeq?: number): void;
}

const MAX_SEQ = 2_147_483_647;

function checkSeq(seq: number): number {
  if (!Number.isInteger(seq) || seq < 1 || seq > MAX_SEQ) throw new RangeError(`minimizer: startSeq must be an integer in [1, ${MAX_SEQ}]`);
  return seq;
}

function checkEpsilon(epsilon: number): number {
  if (typeof epsilon !== 'number' || !(epsilon > 0) || !Number.isFinite(epsilon)) throw new RangeError('minimizer: ldp.epsilon must be a finite number > 0');
  return epsilon;
}

/** Uniform [0, 1) from the platform CSPRNG: a predictable generator would let anyone undo the randomization. */
function cryptoRandom(): number {
  const c = (globalThis as { crypto?: { getRandomValues(a: Uint32Array): Uint32Array } }).crypto;
  if (!c) throw new Error('minimizer: crypto.getRandomValues is unavailable; pass ldp.random');
  return c.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;
}

/**
 * Probability that k-ary randomized response over the 4 levels reports the true level: e^ε / (e^ε + 3).
 *
 * @example
 * ```ts
 * ldpTruthProbability(1); // ≈ 0.475
 * ```
 */
export function ldpTruthProbability(epsilon: number): number {
  const e = Math.exp(checkEpsilon(epsilon));
  return e / (e + LEVELS.length - 1);
}

/**
 * Randomized response on one level.
 *
 * @example
 * ```ts
 * const reported = randomizeLevel(2, 1); // 2 with probability ≈ 0.475, else 0, 1 or 3
 * ```
 */
export function randomizeLevel(level: Level, epsilon: number, random: () => number = cryptoRandom): Level {
  const u = random();
  const keep = ldpTruthProbability(epsilon);
  if (u < keep) return level;
  // The rest of [0, 1) is split evenly between the three other levels.
  const others = LEVELS.filter((l) => l !== level);
  const i = Math.min(others.length - 1, Math.floor(((u - keep) / (1 - keep)) * others.length));
  return others[i] as Level;
}

/**
 * Server-side unbiased estimate of the true level distribution from randomized reports:
 * f̂(v) = (n(v)/n − q) / (p − q) with p = e^ε/(e^ε+3) and q = 1/(e^ε+3). Estimates can fall slightly
 * outside [0, 1] for small samples (that is the price of unbiasedness; clip only for display).
 *
 * @example
 * ```ts
 * estimateLevelShares([610, 180, 130, 80], 2); // ≈ true shares of levels 0..3
 * ```
 */
export function estimateLevelShares(counts: readonly number[], epsilon: number): number[] {
  if (counts.length !== LEVELS.length) throw new RangeError(`estimateLevelShares: need ${LEVELS.length} counts`);
  const n = counts.reduce((a, b) => a + b, 0);
  if (n === 0) return counts.map(() => 0);
  const p = ldpTruthProbability(epsilon);
  const q = (1 - p) / (LEVELS.length - 1);
  return counts.map((c) => (c / n - q) / (p - q));
}

/**
 * Creates a minimizer. The server assumes level 0 and trend 0 until it hears otherwise, so the first signal
 * goes out on the first change from calm and steady.
 *
 * @example
 * ```ts
 * const m = createMinimizer({ startSeq: saved ?? 1 });
 * const signal = m.update(2, 1); // { v: 1, seq: 1, level: 2, trend: 1 }
 * m.update(2, 1); // null: nothing changed
 * saved = m.nextSeq;
 * ```
 */
export function createMinimizer(options: MinimizerOptions = {}): Minimizer {
  let seq = checkSeq(options.startSeq ?? 1);
  const ldp = options.ldp;
  if (ldp) checkEpsilon(ldp.epsilon);
  const random = ldp?.random ?? cryptoRandom;
  let lastLevel: Level = 0;
  let lastTrend: Trend = 0;
  return {
    update(level, trend) {
      if (!LEVELS.includes(level)) throw new RangeError('minimizer: bad level');
      if (trend !== -1 && trend !== 0 && trend !== 1) throw new RangeError('minimizer: bad trend');
      // Compared on the true level: randomizing must not itself cause sends (that would leak the noise rate).
      if (level === lastLevel && trend === lastTrend) return null;
      lastLevel = level;
      lastTrend = trend;
      if (seq > MAX_SEQ) return null;
      const reported = ldp ? randomizeLevel(level, ldp.epsilon, random) : level;
      return { v: SIGNAL_VERSION, seq: seq++, level: reported, trend };
    },
    assume(level, trend) {
      if (!LEVELS.includes(level)) throw new RangeError('minimizer: bad level');
      if (trend !== -1 && trend !== 0 && trend !== 1) throw new RangeError('minimizer: bad trend');
      lastLevel = level;
      lastTrend = trend;
    },
    get nextSeq() {
      return seq;
    },
    reset(startSeq = 1) {
      seq = checkSeq(startSeq);
      lastLevel = 0;
      lastTrend = 0;
    },
  };
}
