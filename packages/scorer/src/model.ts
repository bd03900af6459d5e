/**
 * Thread-agnostic wrapper around the frustration model: featurizer + onnxruntime session + the metadata that
 * travels in the model file. onnxruntime-web is injected (`onnxruntime-web/wasm` in the worker, `onnxruntime-web`
 * in Node) so this file never decides how or where the wasm is loaded.
 */
import { featurize, parseFeaturizerConfig, type Features, type FeaturizerConfig, type Lexicon } from './featurize.js';
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
  readonly a: number;
  readonly b: number;
}

/** What the model file says about itself (`metadata_props`, parsed). */
export interface ModelMeta {
  readonly name: string;
  readonly featurizer: FeaturizerConfig;
  /** The valence lexicon the featurizer uses (`temper.lexicon`), or null when the config has no lexicon features. */
  readonly lexicon: Lexicon | null;
  /** Class names; index 1 is the positive class the probability refers to. */
  readonly labels: readonly string[];
  readonly calibration: Calibration;
  /** `frustrated`: the shipped decision threshold (best mean F1 of en/zh on dev); `highPrecision`: ≥ 0.8 precision on dev. */
  readonly thresholds: { readonly frustrated: number; readonly highPrecision: number };
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
  /** Calibrated p(frustrated) of several messages, in input order (one batched run per 256 texts). */
  scoreTexts(texts: readonly string[]): Promise<Float32Array>;
  /** The model's own featurizer (same config as in the file). */
  featurize(text: string): Features;
  /** Frees the session. */
  release(): Promise<void>;
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
  const th = json(raw, 'temper.thresholds') as { frustrated?: unknown; highPrecision?: unknown };
  if (typeof info.name !== 'string') throw new Error('model metadata: bad temper.model');
  if (!Array.isArray(labels) || labels.length !== 2 || !labels.every((l) => typeof l === 'string')) {
    throw new Error('model metadata: bad temper.labels');
  }
  if (cal.method !== 'platt' || typeof cal.a !== 'number' || typeof cal.b !== 'number') {
    throw new Error('model metadata: bad temper.calibration');
  }
  const inUnit = (x: unknown): x is number => typeof x === 'number' && x >= 0 && x <= 1;
  if (!inUnit(th.frustrated) || !inUnit(th.highPrecision)) throw new Error('model metadata: bad temper.thresholds');
  const featurizer = parseFeaturizerConfig(json(raw, 'temper.featurizer'));
  let lexicon: Map<string, number> | null = null;
  if (featurizer.lexiconBins > 0) {
    const lex = json(raw, 'temper.lexicon');
    if (typeof lex !== 'object' || lex === null || Array.isArray(lex)) throw new Error('model metadata: bad temper.lexicon');
    lexicon = new Map();
    for (const [w, v] of Object.entries(lex)) {
      if (typeof v !== 'number' || !(v >= -1 && v <= 1)) throw new Error('model metadata: bad temper.lexicon');
      lexicon.set(w, v);
    }
  }
  return {
    name: info.name,
    featurizer,
    lexicon,
    labels: labels as string[],
    calibration: { method: 'platt', a: cal.a, b: cal.b },
    thresholds: { frustrated: th.frustrated, highPrecision: th.highPrecision },
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

  async function runBatch(feats: Features[]): Promise<Float32Array> {
    const n = feats.length;
    const len = Math.max(1, ...feats.map((f) => f.ids.length));
    // Padding uses bucket 0 with weight 0, which adds nothing to the pooled sum.
    const ids = new Int32Array(n * len);
    const weights = new Float32Array(n * len);
    feats.forEach((f, i) => {
      ids.set(f.ids, i * len);
      weights.set(f.weights, i * len);
    });
    const out = await session.run({
      ids: new ort.Tensor('int32', ids, [n, len]),
      weights: new ort.Tensor('float32', weights, [n, len, 1]),
    });
    const prob = out.prob;
    if (!prob || !(prob.data instanceof Float32Array)) throw new Error('model: bad output');
    return prob.data;
  }

  async function scoreTexts(texts: readonly string[]): Promise<Float32Array> {
    const result = new Float32Array(texts.length);
    for (let i = 0; i < texts.length; i += BATCH) {
      const chunk = texts.slice(i, i + BATCH).map((t) => featurize(t, cfg, lexicon));
      result.set(await runBatch(chunk), i);
    }
    return result;
  }

  return {
    meta,
    async scoreText(text) {
      return (await runBatch([featurize(text, cfg, lexicon)]))[0] as number;
    },
    scoreTexts,
    featurize: (text) => featurize(text, cfg, lexicon),
    async release() {
      await session.release?.();
    },
  };
}
