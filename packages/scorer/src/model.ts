/**
 * Thread-agnostic wrapper around the frustration model: featurizer + onnxruntime session + the metadata that
 * travels in the model file. onnxruntime-web is injected (`onnxruntime-web/wasm` in the worker, `onnxruntime-web`
 * in Node) so this file never decides how or where the wasm is loaded.
 */
import { featurize, parseFeaturizerConfig, zhShare, type Features, type FeaturizerConfig, type Lexicon, type ZhLexicon } from './featurize.js';
import { readOnnxMetadata } from './onnx-metadata.js';

/** The subset of an onnxruntime-web tensor this wrapper uses. */
export interface OrtTensorLike {
  readonly data: unknown;
  readonly dims: readonly number[];
}

/** The subset of an onnxruntime-web InferenceSession this wrapper uses. */
export interface OrtSessionLike {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensorLike>): Promise<Record<string, OrtTensorLike>>;
  release?(): Promise<void>;
}

/** The subset of the onnxruntime-web module this wrapper uses (pass the module itself). */
export interface OrtLike {
  readonly InferenceSession: {
    create(model: Uint8Array, options?: Record<string, unknown>): Promise<OrtSessionLike>;
  };
  readonly Tensor: new (type: 'int32' | 'float32', data: Int32Array | Float32Array, dims: readonly number[]) => OrtTensorLike;
}

/** Platt scaling already applied inside the graph (`prob = σ(a·logit + b)`); kept for reference and audits. */
export interface Calibration {
  readonly method: 'platt';
  /** The English parameters (v1: the only ones). */
  readonly a: number;
  readonly b: number;
  /**
   * Per language (v2): the graph interpolates a and b by the message's Han share (`zhShare`), so a Chinese
   * message gets the Chinese calibration and a mixed one something in between.
   */
  readonly byLang?: { readonly en: { readonly a: number; readonly b: number }; readonly zh: { readonly a: number; readonly b: number } };
}

/** Decision thresholds on the calibrated probability. */
export interface Thresholds {
  /** Best F1 on dev (v2: per language in `byLang`; this one is the English value). */
  readonly frustrated: number;
  /** Lowest threshold with precision ≥ 0.8 on dev. */
  readonly highPrecision: number;
  readonly byLang?: { readonly [lang in 'en' | 'zh']: { readonly frustrated: number; readonly highPrecision: number } };
}

/** What the model file says about itself (`metadata_props`, parsed). */
export interface ModelMeta {
  readonly name: string;
  readonly featurizer: FeaturizerConfig;
  /** The valence lexicon the featurizer uses (`temper.lexicon`), or null when the config has no lexicon features. */
  readonly lexicon: Lexicon | null;
  /** The Chinese lexicon (`temper.lexicon.zh`), or null when the config has no Chinese lexicon features. */
  readonly zhLexicon: ZhLexicon | null;
  /** Class names; index 1 is the positive class the probability refers to. */
  readonly labels: readonly string[];
  readonly calibration: Calibration;
  /** `frustrated`: the shipped decision threshold (best F1 on dev); `highPrecision`: ≥ 0.8 precision on dev. */
  readonly thresholds: Thresholds;
  /** Training-data summary written by the trainer (sources, rows, licences, metrics). */
  readonly training: Record<string, unknown>;
  /** Every raw metadata entry, including keys this version does not know. */
  readonly raw: Readonly<Record<string, string>>;
}

/** A loaded model. */
export interface FrustrationModel {
  readonly meta: ModelMeta;
  /** Calibrated p(frustrated) of one message, in [0, 1]. */
  scoreText(text: string): Promise<number>;
  /** The decision threshold for a text's language (per-language thresholds when the model has them). */
  thresholdFor(text: string): number;
  /** Calibrated p(frustrated) of several messages, in input order (one batched run per 256 texts). */
  scoreTexts(texts: readonly string[]): Promise<Float32Array>;
  /** The model's own featurizer (same config as in the file). */
  featurize(text: string): Features;
  /** Frees the session. */
  release(): Promise<void>;
}

/**
 * A word list stored as `{ "<value>": "word word …" }` (compact, v2) or `{ word: value }` (v1).
 * Words never contain whitespace (the featurizers look up single tokens).
 */
function wordValues(value: unknown, what: string, check: (v: number) => boolean): Map<string, number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`model metadata: bad ${what}`);
  const out = new Map<string, number>();
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') {
      const x = Number(k);
      if (!Number.isFinite(x) || !check(x)) throw new Error(`model metadata: bad ${what}`);
      for (const w of v.split(' ')) if (w) out.set(w, x);
    } else {
      if (typeof v !== 'number' || !check(v)) throw new Error(`model metadata: bad ${what}`);
      out.set(k, v);
    }
  }
  return out;
}

function parseZhLexicon(value: unknown): ZhLexicon {
  const v = value as { words?: unknown; emotions?: unknown; degree?: unknown } | null;
  if (typeof v !== 'object' || v === null) throw new Error('model metadata: bad temper.lexicon.zh');
  const words = wordValues(v.words, 'temper.lexicon.zh words', (x) => x >= -1 && x <= 1);
  const degree = wordValues(v.degree, 'temper.lexicon.zh degree', (x) => x > 0 && x <= 4);
  const emotions = new Map<string, string>();
  if (typeof v.emotions !== 'object' || v.emotions === null) throw new Error('model metadata: bad temper.lexicon.zh emotions');
  for (const [code, list] of Object.entries(v.emotions)) {
    if (typeof list !== 'string' || !/^[A-Z]{1,3}$/.test(code)) throw new Error('model metadata: bad temper.lexicon.zh emotions');
    for (const w of list.split(' ')) if (w) emotions.set(w, code);
  }
  return { words, emotions, degree };
}

function json(raw: Record<string, string>, key: string): unknown {
  const v = raw[key];
  if (v === undefined) throw new Error(`model metadata: missing ${key}`);
  return JSON.parse(v) as unknown;
}

/**
 * Parses and checks the metadata of a Temper model file without creating a session.
 *
 * @example
 * ```ts
 * const meta = parseModelMeta(bytes);
 * console.log(meta.name, meta.thresholds.frustrated);
 * ```
 */
export function parseModelMeta(bytes: Uint8Array): ModelMeta {
  const raw = readOnnxMetadata(bytes);
  const info = json(raw, 'temper.model') as { name?: unknown };
  const labels = json(raw, 'temper.labels');
  const cal = json(raw, 'temper.calibration') as Partial<Calibration>;
  const th = json(raw, 'temper.thresholds') as { frustrated?: unknown; highPrecision?: unknown; byLang?: unknown };
  if (typeof info.name !== 'string') throw new Error('model metadata: bad temper.model');
  if (!Array.isArray(labels) || labels.length !== 2 || !labels.every((l) => typeof l === 'string')) {
    throw new Error('model metadata: bad temper.labels');
  }
  if (cal.method !== 'platt' || typeof cal.a !== 'number' || typeof cal.b !== 'number') {
    throw new Error('model metadata: bad temper.calibration');
  }
  const inUnit = (x: unknown): x is number => typeof x === 'number' && x >= 0 && x <= 1;
  if (!inUnit(th.frustrated) || !inUnit(th.highPrecision)) throw new Error('model metadata: bad temper.thresholds');
  const pair = (x: unknown, ok: (o: Record<string, unknown>) => boolean): boolean =>
    typeof x === 'object' && x !== null && ['en', 'zh'].every((l) => {
      const o = (x as Record<string, unknown>)[l];
      return typeof o === 'object' && o !== null && ok(o as Record<string, unknown>);
    });
  if (th.byLang !== undefined && !pair(th.byLang, (o) => inUnit(o.frustrated) && inUnit(o.highPrecision))) {
    throw new Error('model metadata: bad temper.thresholds');
  }
  if (cal.byLang !== undefined && !pair(cal.byLang, (o) => typeof o.a === 'number' && typeof o.b === 'number')) {
    throw new Error('model metadata: bad temper.calibration');
  }
  const featurizer = parseFeaturizerConfig(json(raw, 'temper.featurizer'));
  const lexicon = featurizer.lexiconBins > 0 ? wordValues(json(raw, 'temper.lexicon'), 'temper.lexicon', (x) => x >= -1 && x <= 1) : null;
  const zhLexicon = featurizer.zhLexiconBins > 0 ? parseZhLexicon(json(raw, 'temper.lexicon.zh')) : null;
  return {
    name: info.name,
    featurizer,
    lexicon,
    zhLexicon,
    labels: labels as string[],
    calibration: { method: 'platt', a: cal.a, b: cal.b, ...(cal.byLang ? { byLang: cal.byLang } : {}) },
    thresholds: { frustrated: th.frustrated, highPrecision: th.highPrecision, ...(th.byLang ? { byLang: th.byLang as Thresholds['byLang'] } : {}) },
    training: json(raw, 'temper.training') as Record<string, unknown>,
    raw,
  };
}

const BATCH = 256;

/**
 * Loads a Temper frustration model from its bytes with an injected onnxruntime-web module.
 *
 * @example
 * ```ts
 * import * as ort from 'onnxruntime-web/wasm';
 * ort.env.wasm.numThreads = 1;
 * const model = await loadFrustrationModel(new Uint8Array(await (await fetch(url)).arrayBuffer()), ort);
 * const p = await model.scoreText('I have asked three times already!!');
 * ```
 */
export async function loadFrustrationModel(bytes: Uint8Array, ort: OrtLike): Promise<FrustrationModel> {
  const meta = parseModelMeta(bytes);
  const session = await ort.InferenceSession.create(bytes);
  for (const name of ['ids', 'weights']) {
    if (!session.inputNames.includes(name)) throw new Error(`model: missing input ${name}`);
  }
  if (!session.outputNames.includes('prob')) throw new Error('model: missing output prob');
  const cfg = meta.featurizer;
  const lexicon = meta.lexicon ?? undefined;
  const zhLexicon = meta.zhLexicon ?? undefined;
  // v2 graphs take the Han share per message to pick the calibration; v1 graphs have no such input.
  const hasLang = session.inputNames.includes('lang');
  const feat = (t: string): Features => featurize(t, cfg, lexicon, zhLexicon);

  async function runBatch(feats: Features[]): Promise<Float32Array> {
    const n = feats.length;
    const len = Math.max(1, ...feats.map((f) => f.ids.length));
    // Padding uses bucket 0 with weight 0, which adds nothing to the pooled sum.
    const ids = new Int32Array(n * len);
    const weights = new Float32Array(n * len);
    const lang = new Float32Array(n);
    feats.forEach((f, i) => {
      ids.set(f.ids, i * len);
      weights.set(f.weights, i * len);
      lang[i] = f.zh;
    });
    const feeds: Record<string, OrtTensorLike> = {
      ids: new ort.Tensor('int32', ids, [n, len]),
      weights: new ort.Tensor('float32', weights, [n, len, 1]),
    };
    if (hasLang) feeds.lang = new ort.Tensor('float32', lang, [n, 1]);
    const out = await session.run(feeds);
    const prob = out.prob;
    if (!prob || !(prob.data instanceof Float32Array)) throw new Error('model: bad output');
    return prob.data;
  }

  async function scoreTexts(texts: readonly string[]): Promise<Float32Array> {
    const result = new Float32Array(texts.length);
    for (let i = 0; i < texts.length; i += BATCH) {
      const chunk = texts.slice(i, i + BATCH).map(feat);
      result.set(await runBatch(chunk), i);
    }
    return result;
  }

  return {
    meta,
    async scoreText(text) {
      return (await runBatch([feat(text)]))[0] as number;
    },
    scoreTexts,
    thresholdFor(text) {
      const by = meta.thresholds.byLang;
      if (!by) return meta.thresholds.frustrated;
      return zhShare(text) >= 0.5 ? by.zh.frustrated : by.en.frustrated;
    },
    featurize: feat,
    async release() {
      await session.release?.();
    },
  };
}
