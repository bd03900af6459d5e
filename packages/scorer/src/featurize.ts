/**
 * Text → hashed sparse features. The exact same code runs in the browser worker and in the Node trainer, so it
 * uses only ECMAScript built-ins (no DOM, no Node globals, no TextEncoder): any difference between the two
 * would silently shift every score.
 */

/** Featurizer settings. They travel inside the model file, so a model is always run with its own featurizer. */
export interface FeaturizerConfig {
  /** Format of this config; bump when the meaning of a field or the token scheme changes. */
  readonly version: string;
  /** Number of hash buckets (rows of the embedding table). */
  readonly buckets: number;
  /** Seed mixed into the FNV-1a offset basis. */
  readonly hashSeed: number;
  /** Longest input kept, in UTF-16 code units, after NFKC. Longer input keeps its head and its tail. */
  readonly maxChars: number;
  /** How many of `maxChars` come from the head (the rest from the tail, where a complaint often ends). */
  readonly headChars: number;
  /** Longest word n-gram (1 = unigrams only). */
  readonly wordNgramMax: number;
  /** Character n-gram range for non-Han words, over the word wrapped as `<word>`; `[0, 0]` disables. */
  readonly charNgramRange: readonly [number, number];
  /** Weight of one character n-gram relative to one word (1). */
  readonly charNgramWeight: number;
  /** Longest Han (Chinese) character n-gram; Han text has no spaces, so it is read by characters. */
  readonly hanNgramMax: number;
  /** How many words after a negator also get a negated copy (`n:word`). 0 disables. */
  readonly negationScope: number;
  /** How many Han characters after 不/没/别/无/未/非 also get a negated copy (`hn:字`). 0 disables. */
  readonly hanNegationScope: number;
  /**
   * Valence bins per sign for lexicon features (`l:-2` = a word of valence ≈ −0.5 when 4). 0 disables. The learned
   * weight belongs to the bin, not the word, so it carries over to words and domains the training data never had.
   */
  readonly lexiconBins: number;
  /** Weight of one lexicon feature relative to one word (1). */
  readonly lexiconWeight: number;
  /**
   * Valence bins per sign for the Chinese lexicon features (`z:-2`, DLUT/HowNet words found by longest match in
   * Han text, scaled by a preceding degree word, sign-flipped in a negation scope). 0 disables (v1 models).
   */
  readonly zhLexiconBins: number;
  /** Weight of one Chinese lexicon feature relative to one character n-gram (1). */
  readonly zhLexiconWeight: number;
  /**
   * `temper-feat-3`: weight of a praise-context feature. In a message with a positive lexicon word (English or
   * Chinese), every other word (`s:delay`) and Han character (`s:h:等`) also gets a copy marked "said next to
   * praise", so the model can learn which events turn praise into sarcasm ("great, another delay") and which keep
   * it thanks ("great, it works now") from the data instead of from a word list. 0 disables (v1/v2 models).
   */
  readonly praiseContextWeight: number;
  /**
   * `temper-feat-4`: share of the pooled weight that goes to the message-level lexicon summaries (`l:min`, `l:neg`,
   * `z:min`, `z:neg`, `x:mix`: the strongest negative word, how many there were, mixed valence) whenever a message has
   * any, the other features sharing the rest. In a plain mean-pooled bag those summaries weigh less the longer the
   * message ("I have never been so furious with a shop in my life": about 5 % of the weight), so one strong word in a
   * long message was diluted by every neutral word around it; with a fixed share they weigh the same in a three-word
   * message and a thirty-word one. 0 = plain mean pooling (every model before v2.4).
   */
  readonly summaryShare: number;
  /**
   * `temper-feat-5`: 1 = VADER's "never so" rule. "never" followed, inside its negation scope, by so/this/such
   * intensifies instead of negating: "I have never been so furious" is furious, "never been this happy" happy. With
   * 0 (every model before v2.5) the words after "never" are negated like after any negator, which read both of those
   * with the wrong sign.
   */
  readonly neverSo: number;
  /**
   * `temper-feat-6`: 1 = VADER's contrast rule. Lexicon valence before the first "but" (但是, 可是, 不过, 然而) of a
   * message counts half, after it one and a half times: "the food was fine but the delivery was a disaster" is about
   * the delivery. 0 (every model before v2.6): every word counts the same wherever it stands. Default 1 since v2.6.
   */
  readonly contrast: number;
  /**
   * `temper-feat-6`: 1 = VADER's booster words in English ("very", "so", "totally" ×1.3; "slightly", "kinda" ×0.7
   * on the valence of a lexicon word up to two words later in the same clause), as Chinese degree words (很, 有点)
   * already scale the `z:` valence. 0 (every model before v2.6): English valence is never scaled. Default 1 since v2.6.
   */
  readonly boosters: number;
  /**
   * `temper-feat-6`: 1 = quoted words are mentioned, not meant. A lexicon word inside a short quotation (one to four
   * words in "…", “…” or '…', not the whole message: the "seamless" returns, my 'secure' checkout) gives `q:±k`
   * instead of `l:±k` and leaves the message's lexicon summaries alone, and the message gets `x:quote`. What a
   * quoted valence means is learned. 0 (every model before v2.6): quotes are ignored. Default 1 since v2.6.
   */
  readonly quotes: number;
}

/**
 * Chinese lexicon (`temper.lexicon.zh` in the model file): word → valence in [−1, 1], word → emotion class
 * (DLUT codes such as `NJ` 失望, `NA` 愤怒), degree word → multiplier (HowNet 程度: 极其 1.5 … 稍 0.8).
 */
export interface ZhLexicon {
  readonly words: ReadonlyMap<string, number>;
  readonly emotions: ReadonlyMap<string, string>;
  readonly degree: ReadonlyMap<string, number>;
}

/** Word → valence in [−1, 1] (VADER mean / 4 and AFINN / 5, averaged); ships in the model file. */
export type Lexicon = ReadonlyMap<string, number>;

/** Sparse features of one text: bucket ids and their weights (weights sum to 1: a mean-pooled bag). */
export interface Features {
  readonly ids: Int32Array;
  readonly weights: Float32Array;
  /** Share of Han characters among Han + Latin letters (0 = English, 1 = Chinese); selects the calibration. */
  readonly zh: number;
}

/**
 * The featurizer the shipped model was trained with (v2.6: `temper-feat-6`, VADER's contrast, booster and quotation readings; v2.5: the "never so" rule; the summary share since v2.4; Chinese lexicon features since v2.0).
 *
 * @example
 * ```ts
 * const f = featurize('Where is my order??', DEFAULT_FEATURIZER_CONFIG, model.meta.lexicon);
 * ```
 */
export const DEFAULT_FEATURIZER_CONFIG: FeaturizerConfig = Object.freeze({
  version: 'temper-feat-6',
  buckets: 1 << 17,
  hashSeed: 0x7e3e5,
  maxChars: 600,
  headChars: 400,
  wordNgramMax: 2,
  charNgramRange: [3, 5] as const,
  charNgramWeight: 0.2,
  hanNgramMax: 2,
  negationScope: 3,
  hanNegationScope: 3,
  lexiconBins: 4,
  lexiconWeight: 3,
  zhLexiconBins: 4,
  zhLexiconWeight: 1,
  praiseContextWeight: 0.5,
  summaryShare: 0.15,
  neverSo: 1,
  contrast: 1,
  boosters: 1,
  quotes: 1,
});

const CONFIG_KEYS: readonly (keyof FeaturizerConfig)[] = [
  'version', 'buckets', 'hashSeed', 'maxChars', 'headChars', 'wordNgramMax', 'charNgramRange',
  'charNgramWeight', 'hanNgramMax', 'negationScope', 'hanNegationScope', 'lexiconBins', 'lexiconWeight', 'zhLexiconBins', 'zhLexiconWeight', 'praiseContextWeight', 'summaryShare', 'neverSo',
  'contrast', 'boosters', 'quotes',
];

// Keys added after a model may have shipped: missing means "off", the behaviour before the key existed.
const OPTIONAL_KEYS: Partial<Record<keyof FeaturizerConfig, number>> = { hanNegationScope: 0, zhLexiconBins: 0, zhLexiconWeight: 0, praiseContextWeight: 0, summaryShare: 0, neverSo: 0, contrast: 0, boosters: 0, quotes: 0 };
const VERSIONS = ['temper-feat-1', 'temper-feat-2', 'temper-feat-3', 'temper-feat-4', 'temper-feat-5', 'temper-feat-6'] as const;
type FeaturizerVersion = (typeof VERSIONS)[number];
type OnOffKey = 'neverSo' | 'contrast' | 'boosters' | 'quotes';
/** The rules that are only on (1) or off (0). */
const ON_OFF_KEYS: readonly OnOffKey[] = ['neverSo', 'contrast', 'boosters', 'quotes'];
/** The features added after v2.0, each with the first featurizer version that has it (on when its key is > 0). */
const FEATURE_SINCE: readonly (readonly ['praiseContextWeight' | 'summaryShare' | OnOffKey, FeaturizerVersion])[] = [
  ['praiseContextWeight', 'temper-feat-3'],
  ['summaryShare', 'temper-feat-4'],
  ['neverSo', 'temper-feat-5'],
  ['contrast', 'temper-feat-6'],
  ['boosters', 'temper-feat-6'],
  ['quotes', 'temper-feat-6'],
];

/**
 * The oldest featurizer version that has every feature `cfg` turns on (at least `temper-feat-2`, the first v2
 * version), so that a model written with it stays readable by the oldest scorer that can score it.
 *
 * @example
 * ```ts
 * featurizerVersionFor({ ...DEFAULT_FEATURIZER_CONFIG, contrast: 0, boosters: 0, quotes: 0 }); // 'temper-feat-5'
 * ```
 */
export function featurizerVersionFor(cfg: Omit<FeaturizerConfig, 'version'>): FeaturizerVersion {
  let v = VERSIONS.indexOf('temper-feat-2');
  for (const [k, since] of FEATURE_SINCE) if (cfg[k] > 0) v = Math.max(v, VERSIONS.indexOf(since));
  return VERSIONS[v] as FeaturizerVersion;
}

/**
 * Checks a config read from a model file; throws on anything missing or out of range so a damaged or foreign
 * model fails at load time instead of scoring garbage.
 *
 * @example
 * ```ts
 * const cfg = parseFeaturizerConfig(JSON.parse(meta['temper.featurizer']));
 * ```
 */
export function parseFeaturizerConfig(value: unknown): FeaturizerConfig {
  if (typeof value !== 'object' || value === null) throw new Error('featurizer config: not an object');
  const v = value as Record<string, unknown>;
  for (const k of CONFIG_KEYS) if (!(k in v) && !(k in OPTIONAL_KEYS)) throw new Error(`featurizer config: missing ${k}`);
  const int = (k: keyof FeaturizerConfig, min: number): number => {
    const x = v[k] ?? OPTIONAL_KEYS[k];
    if (typeof x !== 'number' || !Number.isInteger(x) || x < min) throw new Error(`featurizer config: bad ${k}`);
    return x;
  };
  const version = VERSIONS.find((x) => x === v.version);
  if (!version) throw new Error(`featurizer config: unknown version ${String(v.version)}`);
  const range = v.charNgramRange;
  if (!Array.isArray(range) || range.length !== 2 || !range.every((x) => Number.isInteger(x) && x >= 0) || range[0] > range[1]) {
    throw new Error('featurizer config: bad charNgramRange');
  }
  const w = v.charNgramWeight;
  if (typeof w !== 'number' || !(w >= 0)) throw new Error('featurizer config: bad charNgramWeight');
  const lw = v.lexiconWeight;
  if (typeof lw !== 'number' || !(lw >= 0)) throw new Error('featurizer config: bad lexiconWeight');
  const zw = v.zhLexiconWeight ?? 0;
  if (typeof zw !== 'number' || !(zw >= 0)) throw new Error('featurizer config: bad zhLexiconWeight');
  const pw = v.praiseContextWeight ?? 0;
  if (typeof pw !== 'number' || !(pw >= 0)) throw new Error('featurizer config: bad praiseContextWeight');
  const ss = v.summaryShare ?? 0;
  if (typeof ss !== 'number' || !(ss >= 0 && ss < 1)) throw new Error('featurizer config: bad summaryShare (must be in [0, 1))');
  const cfg: FeaturizerConfig = {
    version,
    buckets: int('buckets', 1),
    hashSeed: int('hashSeed', 0),
    maxChars: int('maxChars', 1),
    headChars: int('headChars', 0),
    wordNgramMax: int('wordNgramMax', 1),
    charNgramRange: [range[0] as number, range[1] as number],
    charNgramWeight: w,
    hanNgramMax: int('hanNgramMax', 1),
    negationScope: int('negationScope', 0),
    hanNegationScope: int('hanNegationScope', 0),
    lexiconBins: int('lexiconBins', 0),
    lexiconWeight: lw,
    zhLexiconBins: int('zhLexiconBins', 0),
    zhLexiconWeight: zw,
    praiseContextWeight: pw,
    summaryShare: ss,
    neverSo: int('neverSo', 0),
    contrast: int('contrast', 0),
    boosters: int('boosters', 0),
    quotes: int('quotes', 0),
  };
  for (const k of ON_OFF_KEYS) if (cfg[k] > 1) throw new Error(`featurizer config: bad ${k} (0 or 1)`);
  if (version === 'temper-feat-1' && cfg.zhLexiconBins > 0) throw new Error('featurizer config: zhLexiconBins needs temper-feat-2');
  for (const [k, since] of FEATURE_SINCE) {
    if (cfg[k] > 0 && VERSIONS.indexOf(version) < VERSIONS.indexOf(since)) throw new Error(`featurizer config: ${k} needs ${since}`);
  }
  if (cfg.headChars > cfg.maxChars) throw new Error('featurizer config: headChars > maxChars');
  return cfg;
}

/**
 * 32-bit FNV-1a over UTF-16 code units, with the seed xor-ed into the offset basis. Code units (not UTF-8
 * bytes) because they need no encoder and are identical in every JS engine; only determinism matters here.
 *
 * @example
 * ```ts
 * const bucket = hashString('w:refund', 0) % 1024;
 * ```
 */
export function hashString(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // One avalanche round: plain FNV-1a keeps short keys that differ in the last char in nearby buckets.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/**
 * Cuts over-long input to `maxChars` code units: head + tail, never splitting a surrogate pair, so the same
 * input always gives the same features whatever its length.
 *
 * @example
 * ```ts
 * truncateText('a'.repeat(10_000), DEFAULT_FEATURIZER_CONFIG).length; // ≤ 601
 * ```
 */
export function truncateText(s: string, cfg: Pick<FeaturizerConfig, 'maxChars' | 'headChars'>): string {
  if (s.length <= cfg.maxChars) return s;
  let head = s.slice(0, cfg.headChars);
  let tail = cfg.maxChars > cfg.headChars ? s.slice(s.length - (cfg.maxChars - cfg.headChars)) : '';
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  if (/^[\uDC00-\uDFFF]/.test(tail)) tail = tail.slice(1);
  return tail ? `${head} ${tail}` : head;
}

// Placeholders keep the *kind* of thing (a link, an order number) and drop its identity, which is domain noise.
const URL_RE = /(?:https?:\/\/|www\.)[^\s]+/g;
const EMAIL_RE = /[^\s@]+@[^\s@]+\.[a-z]{2,}/g;
const MENTION_RE = /@[\p{L}\p{N}_]+/gu;
// GoEmotions masks names as [NAME]; in chat a name is the agent's or the company's, same role as a mention.
const MASK_RE = /\[(?:name|religion)\]/g;
// Order/ticket/tracking ids: letter+digit mixes of length ≥ 5, `#123`, or long digit runs.
const ORDER_ID_RE = /(?<![\p{L}\p{N}])(?:(?=[a-z-]*\d)(?=[\d-]*[a-z])[a-z0-9-]{5,}|#\d+|\d{6,})(?![\p{L}\p{N}])/gu;
const NUMBER_RE = /\d+(?:[.,:]\d+)*/g;
const EMOTICON_RE = /(?:^|\s)(>?[:;=8]['-]?[()[\]dpo/\\|*3]+|[)(]+-?[:;=]|<\/?3|\bt_t\b|\bq_q\b|-_-)(?=\s|$)/gu;
const EMOJI_RE = /\p{Extended_Pictographic}/gu;
const TOKEN_RE = /<(?:url|email|user|id|num)>|\p{Script=Han}+|(?:(?!\p{Script=Han})[\p{L}\p{M}\p{N}'])+/gu;
const CLAUSE_END_RE = /[.,!?;:。，、；：]/;
const HAN_NEGATORS = new Set(['不', '没', '別', '别', '无', '未', '非']);
const NEGATORS = new Set([
  'not', 'no', 'never', 'nothing', 'nobody', 'none', 'nor', 'neither', 'nowhere', 'cannot', 'without', 'hardly',
  'barely', 'cant', 'dont', 'wont', 'didnt', 'doesnt', 'isnt', 'wasnt', 'arent', 'werent', 'havent', 'hasnt', 'couldnt',
  'wouldnt', 'shouldnt', 'aint',
]);
const NEVER_SO = new Set(['so', 'this', 'such']);
/** The first contrast word of a message (temper-feat-6, `contrast`): VADER's "but", and its Chinese counterparts. */
const CONTRAST_RE = /(?<![\p{L}\p{N}'])but(?![\p{L}\p{N}'])|但是|可是|不过|然而/u;
/** VADER's booster words (temper-feat-6, `boosters`) without those that are negators here (hardly, barely). */
const BOOST_UP = new Set([
  'absolutely', 'amazingly', 'awfully', 'completely', 'considerably', 'decidedly', 'deeply', 'effing', 'enormously',
  'entirely', 'especially', 'exceptionally', 'extremely', 'fabulously', 'flipping', 'freaking', 'fricking', 'frigging',
  'fully', 'fucking', 'greatly', 'hella', 'highly', 'hugely', 'incredibly', 'intensely', 'majorly', 'more', 'most',
  'particularly', 'purely', 'quite', 'really', 'remarkably', 'so', 'substantially', 'thoroughly', 'totally',
  'tremendously', 'uber', 'unbelievably', 'unusually', 'utterly', 'very',
]);
const BOOST_DOWN = new Set(['almost', 'kinda', 'less', 'little', 'marginally', 'occasionally', 'partly', 'scarcely', 'slightly', 'somewhat', 'sorta']);
/**
 * A short quotation (temper-feat-6, `quotes`): "…" or “…” anywhere (Chinese puts them right next to characters), or
 * '…' with no letter just outside (so "don't" and "customers'" open nothing).
 */
const QUOTE_RE = /(?<![\p{L}\p{N}])'((?:(?!['\n]).){1,40}?)'(?![\p{L}\p{N}])|["“]((?:(?!["“”\n]).){1,40}?)["”]/gu;

/** The [start, end) offsets of the short quotations in `t` (1–4 words or 1–8 Han characters, not the whole message). */
function quoteSpans(t: string): [number, number][] {
  const spans: [number, number][] = [];
  const whole = t.trim();
  for (const m of t.matchAll(QUOTE_RE)) {
    const inner = (m[1] ?? m[2] ?? '').trim();
    if (!inner || inner.split(/\s+/).length > 4 || (inner.match(HAN_RE)?.length ?? 0) > 8) continue;
    if (m[0].length === whole.length) continue;
    spans.push([m.index ?? 0, (m.index ?? 0) + m[0].length]);
  }
  return spans;
}

/** How far a contrast word moves the valence around it, VADER's factors (1 without one: `contrastAt` −1). */
function contrastScale(at: number, contrastAt: number): number {
  return contrastAt < 0 ? 1 : at < contrastAt ? 0.5 : at > contrastAt ? 1.5 : 1;
}

/**
 * Builds the feature strings of a text with their weights (before hashing); exported for tests and debugging.
 *
 * @example
 * ```ts
 * [...featureStrings('so slow!!', cfg, lexicon).keys()]; // ['x:bos', 'x:!!', 'w:so', ...]
 * ```
 */
export function featureStrings(text: string, cfg: FeaturizerConfig, lexicon?: Lexicon, zhLexicon?: ZhLexicon): Map<string, number> {
  if (cfg.lexiconBins > 0 && !lexicon) throw new Error('featurizer: this config needs a lexicon');
  if (cfg.zhLexiconBins > 0 && !zhLexicon) throw new Error('featurizer: this config needs a Chinese lexicon');
  const out = new Map<string, number>();
  const add = (f: string, w: number): void => {
    out.set(f, (out.get(f) ?? 0) + w);
  };
  // Always one feature, so an empty message still has a well-defined (bias-like) representation.
  add('x:bos', 1);

  // Cut generously before NFKC (so a pasted novel costs no more than a page) and exactly after it.
  const raw = String(text);
  const pre = raw.length > cfg.maxChars * 4 ? truncateText(raw, { maxChars: cfg.maxChars * 4, headChars: cfg.headChars * 4 }) : raw;
  const s = truncateText(pre.normalize('NFKC'), cfg);

  // Shouting is measured before case folding destroys it.
  const letters = s.match(/\p{L}/gu);
  const upper = s.match(/\p{Lu}/gu);
  const capsWords = s.match(/(?<![\p{L}\p{N}])\p{Lu}{3,}(?![\p{L}\p{N}])/gu);
  if (capsWords) add(capsWords.length >= 2 ? 'x:caps2' : 'x:caps1', 1);
  if (letters && upper && letters.length >= 8 && upper.length / letters.length > 0.6) add('x:shout', 1);

  if (/!{2,}/.test(s)) add('x:!!', 1);
  else if (s.includes('!')) add('x:!', 1);
  if (/\?{2,}/.test(s)) add('x:??', 1);
  else if (s.includes('?')) add('x:?', 1);
  if (/(?:\?!|!\?)/.test(s)) add('x:?!', 1);
  if (/\.{3,}|。{2,}/.test(s)) add('x:...', 1);

  let emojiCount = 0;
  for (const m of s.matchAll(EMOJI_RE)) {
    add(`e:${m[0]}`, 1);
    emojiCount++;
  }
  if (emojiCount > 0) add('x:emoji', 1);

  let t = s.replace(/[\u2018\u2019\u02bc`´]/g, "'").toLowerCase();
  for (const m of t.matchAll(EMOTICON_RE)) if (m[1]) add(`e:${m[1]}`, 1);
  t = t
    .replace(URL_RE, ' <url> ')
    .replace(EMAIL_RE, ' <email> ')
    .replace(MENTION_RE, ' <user> ')
    .replace(MASK_RE, ' <user> ')
    .replace(ORDER_ID_RE, ' <id> ')
    .replace(NUMBER_RE, ' <num> ');
  const contrastAt = cfg.contrast > 0 ? t.search(CONTRAST_RE) : -1;
  const quoted = cfg.quotes > 0 ? quoteSpans(t) : [];
  if (quoted.length > 0) add('x:quote', 1);
  const inQuote = (at: number): boolean => quoted.some(([a, b]) => at >= a && at < b);

  const [cMin, cMax] = cfg.charNgramRange;
  let prevWords: string[] = [];
  let negLeft = 0;
  // The negator that opened the current scope ("never" can turn into an intensifier: neverSo).
  let negBy = '';
  let lastEnd = 0;
  // A booster word's multiplier and how many more words it reaches (boosters).
  let boost = 1;
  let boostLeft = 0;
  let lexMin = 0;
  let lexMax = 0;
  let lexNeg = 0;
  const zhAcc = { min: 0, max: 0, neg: 0 };
  // Praise context (temper-feat-3): the words and Han characters of the message that are not themselves praise.
  const context: string[] = [];
  for (const m of t.matchAll(TOKEN_RE)) {
    const tok = m[0];
    const gap = t.slice(lastEnd, m.index);
    lastEnd = (m.index ?? 0) + tok.length;
    if (CLAUSE_END_RE.test(gap)) {
      negLeft = 0;
      boostLeft = 0;
    }
    const first = tok.codePointAt(0) ?? 0;
    if (first >= 0x2e80 && /^\p{Script=Han}/u.test(tok)) {
      // Chinese has no spaces: characters and their neighbours are the units.
      const chars = Array.from(tok);
      if (cfg.praiseContextWeight > 0) for (const ch of chars) context.push(`h:${ch}`);
      for (let n = 1; n <= cfg.hanNgramMax; n++) {
        for (let i = 0; i + n <= chars.length; i++) add(`h:${chars.slice(i, i + n).join('')}`, 1);
      }
      // "不是很好" holds 很好: the characters after a negator get a negated copy, like `n:word` in English.
      if (cfg.hanNegationScope > 0) {
        for (let i = 0; i < chars.length; i++) {
          if (!HAN_NEGATORS.has(chars[i] as string)) continue;
          for (let j = i + 1; j <= i + cfg.hanNegationScope && j < chars.length; j++) add(`hn:${chars[j] as string}`, 1);
        }
      }
      if (zhLexicon && cfg.zhLexiconBins > 0) {
        const at = m.index ?? 0;
        const q = inQuote(at);
        zhLexiconFeatures(tok, zhLexicon, cfg, add, q ? { min: 0, max: 0, neg: 0 } : zhAcc, at, contrastAt, q ? 'q:z:' : 'z:');
      }
      prevWords = [];
      negLeft = 0;
      boostLeft = 0;
      continue;
    }
    let word = tok.replace(/^'+|'+$/g, '');
    if (!word) continue;
    // "soooo" and "sooooooo" are the same word said louder.
    const unsqueezed = word;
    const squeezed = word.replace(/(\p{L})\1{2,}/gu, '$1$1');
    if (squeezed !== word) {
      add('x:elong', 1);
      word = squeezed;
    }
    add(`w:${word}`, 1);
    // VADER's "never so" rule (temper-feat-5): "never been so furious" is not "not furious".
    if (cfg.neverSo > 0 && negLeft > 0 && negBy === 'never' && NEVER_SO.has(word)) negLeft = 0;
    let praise = false;
    if (lexicon && cfg.lexiconBins > 0) {
      let v = lexicon.get(word) ?? lexicon.get(unsqueezed);
      if (v !== undefined) {
        const at = m.index ?? 0;
        if (boostLeft > 0) v *= boost;
        v *= contrastScale(at, contrastAt);
        v = Math.max(-1, Math.min(1, v));
        // VADER's negation rule: a negated word keeps about three quarters of its valence, with the sign flipped.
        if (negLeft > 0) v = -0.74 * v;
        const bin = Math.max(-cfg.lexiconBins, Math.min(cfg.lexiconBins, Math.round(v * cfg.lexiconBins)));
        if (inQuote(at)) {
          // Mentioned, not meant: its own feature, and no part of the message's valence.
          if (bin !== 0) add(`q:${bin}`, cfg.lexiconWeight);
          v = 0;
        } else if (bin !== 0) add(`l:${bin}`, cfg.lexiconWeight);
        if (v < lexMin) lexMin = v;
        if (v > lexMax) lexMax = v;
        if (bin < 0 && v < 0) lexNeg++;
        praise = v > 0;
      }
    }
    if (cfg.praiseContextWeight > 0 && !praise) context.push(negLeft > 0 ? `n:${word}` : word);
    if (negLeft > 0) {
      add(`n:${word}`, 1);
      negLeft--;
    }
    if (boostLeft > 0) boostLeft--;
    if (cfg.boosters > 0 && (BOOST_UP.has(word) || BOOST_DOWN.has(word))) {
      boost = BOOST_UP.has(word) ? 1.3 : 0.7;
      boostLeft = 2;
    }
    const bare = word.replace(/'/g, '');
    if (NEGATORS.has(bare) || bare.endsWith('nt') && word.endsWith("n't")) {
      negLeft = cfg.negationScope;
      negBy = bare;
    }
    const window = [...prevWords, word];
    for (let n = 2; n <= cfg.wordNgramMax && n <= window.length; n++) {
      add(`b:${window.slice(window.length - n).join(' ')}`, 1);
    }
    prevWords = window.slice(-(cfg.wordNgramMax - 1) || window.length);
    if (cMax > 0 && cfg.charNgramWeight > 0 && word[0] !== '<') {
      const cps = Array.from(`<${word.slice(0, 24)}>`);
      for (let n = cMin; n <= cMax; n++) {
        for (let i = 0; i + n <= cps.length; i++) {
          // A whole short word is already a word feature.
          if (n === cps.length) continue;
          add(`c:${cps.slice(i, i + n).join('')}`, cfg.charNgramWeight);
        }
      }
    }
  }
  if (lexMin < 0) add(`l:min${Math.round(lexMin * cfg.lexiconBins)}`, cfg.lexiconWeight);
  if (lexNeg > 0) add(`l:neg${Math.min(lexNeg, 3)}`, cfg.lexiconWeight);
  if (zhAcc.min < 0) add(`z:min${Math.round(zhAcc.min * cfg.zhLexiconBins)}`, cfg.zhLexiconWeight);
  if (zhAcc.neg > 0) add(`z:neg${Math.min(zhAcc.neg, 3)}`, cfg.zhLexiconWeight);
  if (cfg.praiseContextWeight > 0 && (lexMax > 0 || zhAcc.max > 0)) {
    // At most 40 context tokens: a long message is not more sarcastic for having more words.
    for (const c of context.slice(0, 40)) add(`s:${c}`, cfg.praiseContextWeight);
  }
  // v2: praise next to a complaint word in one message ("great, another delay, love it"; 真是太好了，又晚了三天) is how
  // sarcasm and mixed reviews read. The feature says only "both valences, this strong"; the data decides what it means.
  if (cfg.version !== 'temper-feat-1') {
    const mx = Math.max(lexMax, zhAcc.max), mn = Math.min(lexMin, zhAcc.min);
    const bins = Math.max(cfg.lexiconBins, cfg.zhLexiconBins);
    if (mx > 0 && mn < 0) add(`x:mix${Math.round(mx * bins)}:${Math.round(mn * bins)}`, cfg.lexiconWeight);
  }
  return out;
}

const maxLenCache = new WeakMap<ZhLexicon, number>();
/** Longest entry of a Chinese lexicon in UTF-16 units (capped at 8), computed once per lexicon. */
function maxEntryLength(lex: ZhLexicon): number {
  let m = maxLenCache.get(lex);
  if (m === undefined) {
    m = 1;
    for (const w of lex.words.keys()) if (w.length > m) m = w.length;
    for (const w of lex.degree.keys()) if (w.length > m) m = w.length;
    m = Math.min(m, 8);
    maxLenCache.set(lex, m);
  }
  return m;
}

/** Longest lexicon entry (sentiment or degree word) starting at `i` of a Han run, or ''. */
function longestMatch(run: string, i: number, lex: ZhLexicon, maxLen: number, sentimentOnly: boolean): string {
  for (let len = Math.min(maxLen, run.length - i); len >= 1; len--) {
    const w = run.substr(i, len);
    if (lex.words.has(w) || (!sentimentOnly && lex.degree.has(w))) return w;
  }
  return '';
}

/**
 * Chinese lexicon features of one Han run, the way VADER reads English: words found by longest match, their
 * valence scaled by a degree word just before (很/非常/有点), sign-flipped × 0.74 when a negator (不/没/别/无/未/非)
 * came up to `hanNegationScope` characters before; binned (`z:±k`) plus the word's emotion class (`z:c:NJ`, 失望)
 * when not negated. Words that start with a negator (不满, 没用) are entries of their own and match first.
 */
function zhLexiconFeatures(
  run: string,
  lex: ZhLexicon,
  cfg: FeaturizerConfig,
  add: (f: string, w: number) => void,
  acc: { min: number; max: number; neg: number },
  offset = 0,
  contrastAt = -1,
  prefix = 'z:',
): void {
  const bins = cfg.zhLexiconBins;
  const maxLen = maxEntryLength(lex);
  let negUntil = -1;
  let degree = 1;
  let degreeUntil = -1;
  let i = 0;
  while (i < run.length) {
    const w = longestMatch(run, i, lex, maxLen, false);
    if (!w) {
      if (HAN_NEGATORS.has(run[i] as string)) negUntil = i + cfg.hanNegationScope;
      i++;
      continue;
    }
    const v0 = lex.words.get(w);
    const d = lex.degree.get(w);
    // 好/太/过 are both degree and sentiment words: a degree word when a sentiment word follows (好慢, 太差).
    if (d !== undefined && (v0 === undefined || longestMatch(run, i + w.length, lex, maxLen, true) !== '')) {
      degree = d;
      degreeUntil = i + w.length + 1;
      i += w.length;
      continue;
    }
    if (v0 !== undefined) {
      let v = i <= degreeUntil ? v0 * degree : v0;
      v *= contrastScale(offset + i, contrastAt);
      const negated = i <= negUntil;
      if (negated) v = -0.74 * v;
      v = Math.max(-1, Math.min(1, v));
      const bin = Math.round(v * bins);
      if (bin !== 0) add(`${prefix}${bin}`, cfg.zhLexiconWeight);
      const emo = lex.emotions.get(w);
      if (emo && !negated) add(`${prefix}c:${emo}`, cfg.zhLexiconWeight);
      if (v < acc.min) acc.min = v;
      if (v > acc.max) acc.max = v;
      if (bin < 0) acc.neg++;
    }
    i += w.length;
  }
}

const HAN_RE = /\p{Script=Han}/gu;
const LATIN_RE = /\p{Script=Latin}/gu;

/**
 * Share of Han characters among Han + Latin letters of a text (0 when it has neither): which language's
 * calibration a message gets; a mixed message interpolates between the two.
 *
 * @example
 * ```ts
 * zhShare('我的order还没到'); // 0.6
 * ```
 */
export function zhShare(text: string): number {
  const s = text.length > 2400 ? text.slice(0, 2400) : text;
  const han = s.match(HAN_RE)?.length ?? 0;
  const latin = s.match(LATIN_RE)?.length ?? 0;
  return han + latin === 0 ? 0 : han / (han + latin);
}

/** The message-level lexicon summaries that `summaryShare` weighs apart. */
const SUMMARY_RE = /^(?:l:min|l:neg|z:min|z:neg|x:mix)/;

/**
 * Featurizes one text: NFKC, case folding, placeholders for links/ids/numbers, English words + word bigrams +
 * character n-grams, Chinese character uni/bi-grams, emoji, emoticons, shouting, repeated `!!`/`??`, elongation and
 * negation scope, lexicon valence bins; hashed into `cfg.buckets` buckets (collisions merged) with weights that sum to 1.
 *
 * @example
 * ```ts
 * const { ids, weights } = featurize('WHY is my refund still not here???', model.meta.featurizer, model.meta.lexicon);
 * ```
 */
export function featurize(text: string, cfg: FeaturizerConfig, lexicon?: Lexicon, zhLexicon?: ZhLexicon): Features {
  const strings = featureStrings(text, cfg, lexicon, zhLexicon);
  // Mean pooling, except that with `summaryShare` the lexicon summaries of a message that has both kinds hold that
  // share of the weight whatever the message's length, and the other features the rest.
  let summary = 0, rest = 0;
  for (const [f, w] of strings) {
    if (cfg.summaryShare > 0 && SUMMARY_RE.test(f)) summary += w;
    else rest += w;
  }
  const both = summary > 0 && rest > 0;
  const total = summary + rest;
  const byBucket = new Map<number, number>();
  for (const [f, w] of strings) {
    const b = hashString(f, cfg.hashSeed) % cfg.buckets;
    // Plain `w / total` when the share does not apply, so earlier models get bit-identical weights.
    const x = !both ? w / total : SUMMARY_RE.test(f) ? (w * cfg.summaryShare) / summary : (w * (1 - cfg.summaryShare)) / rest;
    byBucket.set(b, (byBucket.get(b) ?? 0) + x);
  }
  const ids = new Int32Array(byBucket.size);
  const weights = new Float32Array(byBucket.size);
  let i = 0;
  for (const [b, w] of byBucket) {
    ids[i] = b;
    weights[i] = w;
    i++;
  }
  return { ids, weights, zh: zhShare(String(text)) };
}
