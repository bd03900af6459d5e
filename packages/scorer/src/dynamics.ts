/**
 * Conversation dynamics: per-message p(frustrated) and the cues the device can see → a level (0–3) with
 * hysteresis, a trend and an early-warning forecast. Pure and deterministic (no clock, no randomness, no DOM or
 * Node globals): every event carries its own time, so the same script always yields the same levels, in the
 * browser, in a worker and in Node.
 *
 * The shape of the model:
 * - evidence of a visitor message = p + cues (repetition, shouting, `!!!`/`???`, asking for a human, bot
 *   replies that failed since the last message, a long wait), clamped to [0, 1];
 * - the score follows the evidence with asymmetric smoothing: fast up (`rise`), slow down (`decay`);
 * - the level comes from the score through enter/exit thresholds (enter > exit) and a minimum dwell, so a
 *   chat does not flicker between levels; it goes up at once and down by at most one level per turn;
 * - the trend is the least-squares slope of the last few scores, with its own enter/exit hysteresis;
 * - the forecast extrapolates that slope a few turns ahead, plus pressure that has not shown in the score yet
 *   (an ask for a human, consecutive bot failures, an unanswered wait).
 */
import { asksForHuman as sharedAsksForHuman, type Level, type Trend } from '@temper/protocol';

/** Every tunable of the dynamics, in one place. Defaults: `DEFAULT_DYNAMICS_CONFIG`. */
export interface DynamicsConfig {
  /**
   * How the model's p(frustrated) becomes evidence: linearly from 0 at `floor` to 1 at `ceiling`. The model is
   * calibrated on a balanced training mix, so everyday questions ("when does my order ship?") often get
   * p ≈ 0.3–0.5; below the floor a message counts as calm.
   */
  readonly probability: { readonly floor: number; readonly ceiling: number };
  /** Share of the gap closed when the evidence is above the score (0–1). High: frustration shows at once. */
  readonly rise: number;
  /** Share of the gap closed when the evidence is below the score (0–1). Low: one nice message is not forgiveness. */
  readonly decay: number;
  /**
   * Relief: a message the model reads as clearly positive (p < `maxP`: thanks, "it works now") with no cue
   * closes `decay` of the gap instead, so thanks after a fix brings the level down within a turn or two.
   * `maxP` 0 turns it off.
   */
  readonly relief: { readonly maxP: number; readonly decay: number };
  /** Score needed to enter levels 1, 2, 3. */
  readonly enter: readonly [number, number, number];
  /** Score under which levels 1, 2, 3 are left (each below its enter threshold: hysteresis). */
  readonly exit: readonly [number, number, number];
  /** Visitor turns a level is held before it may go down (going up is never delayed). */
  readonly minDwellTurns: number;
  readonly trend: {
    /** Number of recent scores (current included) the slope is fitted on. */
    readonly window: number;
    /** |slope| per turn needed to report rising/easing. */
    readonly enterSlope: number;
    /** |slope| per turn under which a reported rising/easing trend returns to steady. */
    readonly exitSlope: number;
    /** At level 0 with a score below this, the trend is steady: small wobbles of a calm chat send nothing. */
    readonly minScore: number;
  };
  readonly forecast: {
    /** How many visitor turns ahead the forecast looks. */
    readonly horizonTurns: number;
    /** Width of the logistic that turns (projected score − level-2 enter threshold) into a probability. */
    readonly scale: number;
    /** Probability at which `willReachLevel2Soon` turns true. */
    readonly threshold: number;
  };
  readonly cues: {
    /** Repeated or rephrased messages: character n-gram Jaccard similarity with recent visitor messages. */
    readonly repeat: {
      readonly window: number;
      readonly similarity: number;
      /** Evidence added per similar recent message, up to `maxCount` of them. */
      readonly weight: number;
      readonly maxCount: number;
      /** Messages with fewer significant characters (Han characters count 2) never count ("ok", "yes", "好的"). */
      readonly minChars: number;
    };
    /** Shouting: share of upper-case among Latin letters. */
    readonly shouting: { readonly minLetters: number; readonly capsRatio: number; readonly weight: number };
    /** `!!`, `??`, `?!`, full-width `！！`/`？？`. */
    readonly punctuation: { readonly weight: number };
    /** An explicit ask for a human: a little evidence, a strong push on the forecast for a few turns. */
    readonly askHuman: { readonly weight: number; readonly forecastBoost: number; readonly turns: number };
    /** Bot replies marked not understood: `weight · n²` for n consecutive failures, at most `max`. */
    readonly botFailure: { readonly weight: number; readonly max: number };
    /** Waiting for a reply longer than `thresholdMs`: up to `weight`, reached at twice the threshold. */
    readonly wait: { readonly thresholdMs: number; readonly weight: number };
  };
}

/** Partial overrides of a `DynamicsConfig` (nested objects may be partial too). */
export type DynamicsOverrides = {
  readonly [K in keyof DynamicsConfig]?: DynamicsConfig[K] extends readonly number[]
    ? DynamicsConfig[K]
    : DynamicsConfig[K] extends object
      ? { readonly [J in keyof DynamicsConfig[K]]?: DynamicsConfig[K][J] extends object ? Partial<DynamicsConfig[K][J]> : DynamicsConfig[K][J] }
      : DynamicsConfig[K];
};

/**
 * The shipped dynamics parameters, tuned on scripted conversations (see test/dynamics*.test.ts) with the
 * shipped model's probabilities. A single message can move the score by at most `rise` (0.5), which is below
 * the level-2 threshold (0.55): one outburst in a friendly chat reaches "uneasy", never "frustrated".
 *
 * @example
 * ```ts
 * const dyn = createDynamics({ ...DEFAULT_DYNAMICS_CONFIG, rise: 0.6 });
 * ```
 */
export const DEFAULT_DYNAMICS_CONFIG: DynamicsConfig = deepFreeze({
  probability: { floor: 0.55, ceiling: 0.85 },
  rise: 0.5,
  decay: 0.15,
  relief: { maxP: 0.1, decay: 0.45 },
  enter: [0.3, 0.55, 0.8],
  exit: [0.2, 0.45, 0.7],
  minDwellTurns: 2,
  trend: { window: 4, enterSlope: 0.06, exitSlope: 0.02, minScore: 0.15 },
  forecast: { horizonTurns: 3, scale: 0.06, threshold: 0.5 },
  cues: {
    repeat: { window: 3, similarity: 0.3, weight: 0.15, maxCount: 2, minChars: 6 },
    shouting: { minLetters: 6, capsRatio: 0.7, weight: 0.15 },
    punctuation: { weight: 0.1 },
    askHuman: { weight: 0.1, forecastBoost: 0.5, turns: 3 },
    botFailure: { weight: 0.07, max: 0.35 },
    wait: { thresholdMs: 45_000, weight: 0.15 },
  },
} satisfies DynamicsConfig);

/** What the device saw in one visitor message (for tests and explanations; never leaves the device). */
export interface MessageCues {
  /** How many recent visitor messages this one repeats or rephrases. */
  readonly repeats: number;
  readonly shouting: boolean;
  readonly punctuation: boolean;
  readonly askHuman: boolean;
  /** Consecutive bot replies marked not understood before this message. */
  readonly botFailures: number;
  /** How long the visitor waited for a reply before this message (0 when answered in time), ms. */
  readonly waitedMs: number;
}

/** State after an event. */
export interface DynamicsOutput {
  readonly level: Level;
  readonly trend: Trend;
  /** True when the level is below 2 and the forecast says it will reach 2 within `horizonTurns`. */
  readonly willReachLevel2Soon: boolean;
  /** The forecast as a probability-like number in [0, 1] (logistic of the projected score). */
  readonly forecastProbability: number;
  /** Smoothed frustration score in [0, 1]. */
  readonly score: number;
  /** Evidence of the last visitor message (p + cues), or null before the first message. */
  readonly evidence: number | null;
  /** Cues of the last visitor message, or null before the first one. */
  readonly cues: MessageCues | null;
  /** Visitor messages seen. */
  readonly turn: number;
}

/** The conversation state machine. */
export interface Dynamics {
  readonly config: DynamicsConfig;
  /** A visitor message with the model's p(frustrated) and the time it was sent (ms). */
  visitor(text: string, p: number, at: number): DynamicsOutput;
  /** A bot or agent reply; `understood: false` when the server marked that the bot did not understand. */
  reply(understood: boolean, at: number): DynamicsOutput;
  /** Time passes with no message: an unanswered visitor feels the wait. */
  tick(at: number): DynamicsOutput;
  /** The current state. */
  output(): DynamicsOutput;
  /** Back to a new conversation (config kept). */
  reset(): void;
}

// ---------------------------------------------------------------------------------------------------------
// Cues

// NFKC folds full-width forms (ＨＥＬＰ, ！) into their ASCII counterparts, so one pattern serves both scripts.
const PUNCT = /[!?]{2,}/;
const HAN = /\p{Script=Han}/u;
const SIGNIFICANT = /[\p{L}\p{N}]/u;

function normalize(text: string): string {
  return text.normalize('NFKC');
}

/** The characters that matter for repetition: letters and digits, lower-cased, runs of anything else → one space. */
function skeleton(text: string): string {
  let out = '';
  let space = false;
  for (const ch of normalize(text).toLowerCase()) {
    if (SIGNIFICANT.test(ch)) {
      out += ch;
      space = false;
    } else if (!space && out.length) {
      out += ' ';
      space = true;
    }
  }
  return out.trimEnd();
}

/**
 * Character n-grams of a skeleton: trigrams for alphabetic text, bigrams for mostly-Han text (Chinese words are
 * one or two characters, so trigrams of a short Chinese complaint share almost nothing with its rephrasing).
 */
function grams(sk: string): Set<string> {
  const chars = Array.from(sk);
  const han = chars.filter((c) => HAN.test(c)).length;
  const n = han * 2 > chars.length ? 2 : 3;
  const set = new Set<string>();
  if (chars.length <= n) {
    if (chars.length) set.add(sk);
    return set;
  }
  for (let i = 0; i + n <= chars.length; i++) set.add(chars.slice(i, i + n).join(''));
  return set;
}

// A Han character carries about as much as a short English word, so it counts twice: "还是不行" (4) is as
// long as "not working" for the purpose of "long enough to be a repeat".
function significantLength(sk: string): number {
  let n = 0;
  for (const ch of sk) if (ch !== ' ') n += HAN.test(ch) ? 2 : 1;
  return n;
}

/**
 * Jaccard similarity of the character n-gram sets of two texts, in [0, 1].
 *
 * @example
 * ```ts
 * textSimilarity('It is still not working', 'still not working!!'); // ≈ 0.6
 * ```
 */
export function textSimilarity(a: string, b: string): number {
  return jaccard(grams(skeleton(a)), grams(skeleton(b)));
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let inter = 0;
  for (const g of a) if (b.has(g)) inter++;
  return inter / (a.size + b.size - inter);
}

/**
 * True when the text explicitly asks for a person (en or zh). The one definition in `@temper/protocol`, shared
 * with the server's routing, so the device and the server never disagree; re-exported here under its old name.
 *
 * @example
 * ```ts
 * asksForHuman('Can I talk to a real person?'); // true
 * asksForHuman('客服根本不回复'); // false: a complaint, not an ask
 * ```
 */
export const asksForHuman: (text: string, lang?: 'en' | 'zh') => boolean = sharedAsksForHuman;

/**
 * True when most Latin letters of the text are capitals (and there are enough of them to tell).
 *
 * @example
 * ```ts
 * isShouting('WHY IS THIS STILL BROKEN'); // true
 * ```
 */
export function isShouting(text: string, cfg: DynamicsConfig['cues']['shouting'] = DEFAULT_DYNAMICS_CONFIG.cues.shouting): boolean {
  let upper = 0;
  let letters = 0;
  for (const ch of normalize(text)) {
    if (ch >= 'A' && ch <= 'Z') {
      upper++;
      letters++;
    } else if (ch >= 'a' && ch <= 'z') letters++;
  }
  return letters >= cfg.minLetters && upper / letters >= cfg.capsRatio;
}

/**
 * True when the text has doubled `!`/`?` (ASCII or full-width): `!!!`, `???`, `?!`, `！！`, `？？`.
 *
 * @example
 * ```ts
 * hasEmphaticPunctuation('where is it???'); // true
 * ```
 */
export function hasEmphaticPunctuation(text: string): boolean {
  return PUNCT.test(normalize(text));
}

// ---------------------------------------------------------------------------------------------------------
// Config

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function mergeInto(base: unknown, over: unknown, path: string): unknown {
  if (over === undefined) return base;
  if (Array.isArray(base)) {
    if (!Array.isArray(over) || over.length !== base.length) throw new TypeError(`dynamics config: ${path} must be an array of ${base.length} numbers`);
    return over.map((x, i) => mergeInto(base[i], x, `${path}[${i}]`));
  }
  if (isPlainObject(base)) {
    if (!isPlainObject(over)) throw new TypeError(`dynamics config: ${path} must be an object`);
    for (const k of Object.keys(over)) if (!(k in base)) throw new TypeError(`dynamics config: unknown key ${path ? `${path}.` : ''}${k}`);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(base)) out[k] = mergeInto(v, over[k], path ? `${path}.${k}` : k);
    return out;
  }
  if (typeof over !== 'number' || !Number.isFinite(over)) throw new TypeError(`dynamics config: ${path} must be a finite number`);
  return over;
}

function check(cond: boolean, message: string): void {
  if (!cond) throw new RangeError(`dynamics config: ${message}`);
}

/**
 * Merges overrides (from host options, or the model metadata key `temper.dynamics`) over a base config and
 * checks the result. Unknown keys, wrong types and inconsistent thresholds throw, so a typo cannot silently
 * leave a default in place.
 *
 * @example
 * ```ts
 * const cfg = resolveDynamicsConfig({ rise: 0.6, cues: { wait: { thresholdMs: 30_000 } } });
 * ```
 */
export function resolveDynamicsConfig(
  ...layers: readonly (DynamicsOverrides | Record<string, unknown> | undefined)[]
): DynamicsConfig {
  let cfg: unknown = DEFAULT_DYNAMICS_CONFIG;
  for (const layer of layers) cfg = mergeInto(cfg, layer, '');
  const c = cfg as DynamicsConfig;
  const unit = (x: number) => x >= 0 && x <= 1;
  check(unit(c.probability.floor) && unit(c.probability.ceiling) && c.probability.floor < c.probability.ceiling, 'probability.floor must be below probability.ceiling, both in [0, 1]');
  check(c.rise > 0 && c.rise <= 1 && c.decay > 0 && c.decay <= 1, 'rise and decay must be in (0, 1]');
  check(unit(c.relief.maxP) && c.relief.decay > 0 && c.relief.decay <= 1, 'relief.maxP must be in [0, 1] and relief.decay in (0, 1]');
  check(c.enter.every(unit) && c.exit.every(unit), 'thresholds must be in [0, 1]');
  check(c.enter[0] < c.enter[1] && c.enter[1] < c.enter[2], 'enter thresholds must increase');
  check(c.exit.every((x, i) => x < (c.enter[i] as number)), 'each exit threshold must be below its enter threshold');
  check(Number.isInteger(c.minDwellTurns) && c.minDwellTurns >= 0, 'minDwellTurns must be an integer ≥ 0');
  check(Number.isInteger(c.trend.window) && c.trend.window >= 2, 'trend.window must be an integer ≥ 2');
  check(c.trend.exitSlope >= 0 && c.trend.exitSlope <= c.trend.enterSlope, 'trend.exitSlope must be in [0, enterSlope]');
  check(unit(c.trend.minScore), 'trend.minScore must be in [0, 1]');
  check(c.forecast.horizonTurns >= 0 && c.forecast.scale > 0 && unit(c.forecast.threshold), 'bad forecast');
  const r = c.cues.repeat;
  check(Number.isInteger(r.window) && r.window >= 0 && Number.isInteger(r.maxCount) && r.maxCount >= 0, 'bad cues.repeat');
  check(unit(r.similarity) && r.minChars >= 0, 'bad cues.repeat');
  check(c.cues.shouting.minLetters >= 1 && unit(c.cues.shouting.capsRatio), 'bad cues.shouting');
  check(Number.isInteger(c.cues.askHuman.turns) && c.cues.askHuman.turns >= 0, 'bad cues.askHuman');
  check(c.cues.wait.thresholdMs > 0, 'bad cues.wait');
  return deepFreeze(c);
}

// ---------------------------------------------------------------------------------------------------------
// State machine

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

/** Least-squares slope of equally spaced values (per step). */
function slope(ys: readonly number[]): number {
  const n = ys.length;
  if (n < 2) return 0;
  const mx = (n - 1) / 2;
  let my = 0;
  for (const y of ys) my += y;
  my /= n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) * (x - mx);
  });
  return num / den;
}

/**
 * Creates the conversation state machine. `config` is a full config (see `resolveDynamicsConfig` to merge
 * overrides); times are in ms and must not go backwards (a late event is treated as happening now).
 *
 * @example
 * ```ts
 * const dyn = createDynamics();
 * dyn.visitor('Hi, where is my order?', 0.08, Date.now());
 * dyn.reply(false, Date.now());
 * const { level, trend, willReachLevel2Soon } = dyn.visitor('That is not what I asked!!', 0.71, Date.now());
 * ```
 */
export function createDynamics(config: DynamicsConfig = DEFAULT_DYNAMICS_CONFIG): Dynamics {
  const cfg = config;
  let score = 0;
  let level: Level = 0;
  let levelSince = 0;
  let trend: Trend = 0;
  let turn = 0;
  let now = -Infinity;
  // Seeded with calm history, so the first messages' slope is not read as a steep climb from nothing.
  let scores: number[] = new Array<number>(cfg.trend.window).fill(0);
  let recent: Set<string>[] = [];
  let failures = 0;
  // Time of the oldest visitor message still without a reply, or null.
  let waitingSince: number | null = null;
  // Longest unanswered wait already counted as evidence (so a tick and the next message don't count it twice).
  let waitCounted = 0;
  // How many wait thresholds (1×, 2×, 4×) a tick has already turned into a score step.
  let waitSteps = 0;
  // Wait cue of a slow reply, carried to the visitor's next message.
  let pendingWait = 0;
  let lastWaitMs = 0;
  let askHumanUntil = 0;
  let lastEvidence: number | null = null;
  let lastCues: MessageCues | null = null;

  const time = (at: number) => {
    if (typeof at !== 'number' || Number.isNaN(at)) throw new TypeError('dynamics: time must be a number (ms)');
    now = Math.max(now, at);
    return now;
  };

  const waitCue = (waitedMs: number) => {
    const { thresholdMs, weight } = cfg.cues.wait;
    return weight * clamp01((waitedMs - thresholdMs) / thresholdMs);
  };

  function step(evidence: number, decay = cfg.decay): void {
    const e = clamp01(evidence);
    score = clamp01(score + (e - score) * (e > score ? cfg.rise : decay));
    scores.push(score);
    if (scores.length > cfg.trend.window) scores = scores.slice(-cfg.trend.window);
  }

  function updateLevel(): void {
    let up: Level = 0;
    for (let l = 3; l >= 1; l--) {
      if (score >= (cfg.enter[l - 1] as number)) {
        up = l as Level;
        break;
      }
    }
    if (up > level) {
      level = up;
      levelSince = turn;
    } else if (level > 0 && score < (cfg.exit[level - 1] as number) && turn - levelSince >= cfg.minDwellTurns) {
      level = (level - 1) as Level;
      levelSince = turn;
    }
  }

  function updateTrend(): void {
    const s = slope(scores);
    const { enterSlope, exitSlope, minScore } = cfg.trend;
    if (level === 0 && score < minScore) {
      trend = 0;
      return;
    }
    if (trend === 0) trend = s >= enterSlope ? 1 : s <= -enterSlope ? -1 : 0;
    else if (trend === 1) trend = s <= -enterSlope ? -1 : s < exitSlope ? 0 : 1;
    else trend = s >= enterSlope ? 1 : s > -exitSlope ? 0 : -1;
    // The fitted slope lags by design; a score that just moved the other way by more than the exit slope is
    // not "rising" (or "easing") any more, whatever the window still says.
    const step = (scores[scores.length - 1] as number) - (scores[scores.length - 2] as number);
    if ((trend === 1 && step < -exitSlope) || (trend === -1 && step > exitSlope)) trend = 0;
  }

  function output(): DynamicsOutput {
    const f = cfg.forecast;
    // Pressure the score has not absorbed yet: it would arrive with the next message.
    let pending = cfg.cues.botFailure.weight * failures * failures;
    pending = Math.min(pending, cfg.cues.botFailure.max);
    pending += pendingWait;
    if (waitingSince !== null) pending += Math.max(0, waitCue(now - waitingSince) - waitCounted);
    const boost = turn > 0 && turn <= askHumanUntil ? cfg.cues.askHuman.forecastBoost : 0;
    const projected = score + Math.max(0, slope(scores)) * f.horizonTurns + boost + cfg.rise * pending;
    const prob = 1 / (1 + Math.exp(-(projected - (cfg.enter[1] as number)) / f.scale));
    return {
      level,
      trend,
      willReachLevel2Soon: level < 2 && prob >= f.threshold,
      forecastProbability: prob,
      score,
      evidence: lastEvidence,
      cues: lastCues,
      turn,
    };
  }

  function reset(): void {
    score = 0;
    level = 0;
    levelSince = 0;
    trend = 0;
    turn = 0;
    now = -Infinity;
    scores = new Array<number>(cfg.trend.window).fill(0);
    recent = [];
    failures = 0;
    waitingSince = null;
    waitCounted = 0;
    waitSteps = 0;
    pendingWait = 0;
    askHumanUntil = 0;
    lastEvidence = null;
    lastCues = null;
  }

  return {
    config: cfg,
    visitor(text, p, at) {
      if (typeof text !== 'string') throw new TypeError('dynamics: text must be a string');
      if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError('dynamics: p must be in [0, 1]');
      const t = time(at);
      const c = cfg.cues;
      turn++;

      const sk = skeleton(text);
      const g = grams(sk);
      let repeats = 0;
      if (significantLength(sk) >= c.repeat.minChars) {
        for (const prev of recent) if (jaccard(g, prev) >= c.repeat.similarity) repeats++;
        recent.push(g);
        if (recent.length > c.repeat.window) recent = recent.slice(-c.repeat.window);
      }
      const waitedMs = waitingSince === null ? 0 : Math.max(0, t - waitingSince);
      const cues: MessageCues = {
        repeats,
        shouting: isShouting(text, c.shouting),
        punctuation: hasEmphaticPunctuation(text),
        askHuman: asksForHuman(text),
        botFailures: failures,
        waitedMs: waitCue(waitedMs) > 0 ? waitedMs : pendingWait > 0 ? lastWaitMs : 0,
      };
      const { floor, ceiling } = cfg.probability;
      const fromP = clamp01((p - floor) / (ceiling - floor));
      const evidence =
        fromP +
        c.repeat.weight * Math.min(repeats, c.repeat.maxCount) +
        (cues.shouting ? c.shouting.weight : 0) +
        (cues.punctuation ? c.punctuation.weight : 0) +
        (cues.askHuman ? c.askHuman.weight : 0) +
        Math.min(c.botFailure.weight * failures * failures, c.botFailure.max) +
        Math.max(0, waitCue(waitedMs) - waitCounted) +
        pendingWait;
      pendingWait = 0;
      if (cues.askHuman) askHumanUntil = turn + c.askHuman.turns - 1;
      // A new message while still unanswered keeps the clock running from the first unanswered one.
      if (waitingSince === null) waitingSince = t;
      else waitCounted = Math.max(waitCounted, waitCue(waitedMs));

      step(evidence, p < cfg.relief.maxP && evidence <= fromP ? cfg.relief.decay : cfg.decay);
      lastEvidence = clamp01(evidence);
      lastCues = cues;
      updateLevel();
      updateTrend();
      return output();
    },
    reply(understood, at) {
      const t = time(at);
      if (waitingSince !== null) {
        // A slow answer still counts: it lands on the visitor's next message, as the other pending cues do.
        const late = waitCue(t - waitingSince) - waitCounted;
        if (late > 0) {
          pendingWait += late;
          lastWaitMs = t - waitingSince;
        }
      }
      waitingSince = null;
      waitCounted = 0;
      waitSteps = 0;
      failures = understood ? 0 : failures + 1;
      return output();
    },
    tick(at) {
      const t = time(at);
      if (waitingSince === null) return output();
      const waited = t - waitingSince;
      const steps = waited >= 4 * cfg.cues.wait.thresholdMs ? 3 : waited >= 2 * cfg.cues.wait.thresholdMs ? 2 : waited >= cfg.cues.wait.thresholdMs ? 1 : 0;
      while (waitSteps < steps) {
        waitSteps++;
        waitCounted = Math.max(waitCounted, waitCue(waited));
        step(score + cfg.cues.wait.weight);
        updateLevel();
        updateTrend();
      }
      return output();
    },
    output,
    reset,
  };
}
