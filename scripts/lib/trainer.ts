// Hashed n-gram embedding bag + small MLP, trained with Adagrad in plain TypeScript (no ML framework: the model
// is tiny, and a hand-written loop is deterministic given the seed, which a threaded BLAS would not be).
import { featurize, type FeaturizerConfig, type Lexicon } from '../../packages/scorer/src/featurize.ts';

/** Seeded PRNG (mulberry32); the trainer never touches Math.random. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Featurized rows packed into flat arrays (CSR): ~150k texts × ~100 features would be millions of small arrays. */
export interface Packed {
  n: number;
  offsets: Int32Array;
  ids: Int32Array;
  weights: Float32Array;
  labels: Uint8Array;
  sampleWeights: Float32Array;
}

export function pack(texts: string[], labels: ArrayLike<number>, sampleWeights: ArrayLike<number> | null, cfg: FeaturizerConfig, lexicon?: Lexicon): Packed {
  const feats = texts.map((t) => featurize(t, cfg, lexicon));
  const total = feats.reduce((s, f) => s + f.ids.length, 0);
  const offsets = new Int32Array(texts.length + 1);
  const ids = new Int32Array(total);
  const weights = new Float32Array(total);
  let o = 0;
  feats.forEach((f, i) => {
    offsets[i] = o;
    ids.set(f.ids, o);
    weights.set(f.weights, o);
    o += f.ids.length;
  });
  offsets[texts.length] = o;
  const lab = new Uint8Array(texts.length);
  const sw = new Float32Array(texts.length);
  for (let i = 0; i < texts.length; i++) {
    lab[i] = labels[i] as number;
    sw[i] = sampleWeights ? (sampleWeights[i] as number) : 1;
  }
  return { n: texts.length, offsets, ids, weights, labels: lab, sampleWeights: sw };
}

/** Picks rows of a packed set (views are copied so the subset is independent). */
export function subset(p: Packed, rows: number[]): Packed {
  let total = 0;
  for (const r of rows) total += (p.offsets[r + 1] as number) - (p.offsets[r] as number);
  const offsets = new Int32Array(rows.length + 1), ids = new Int32Array(total), weights = new Float32Array(total);
  const labels = new Uint8Array(rows.length), sampleWeights = new Float32Array(rows.length);
  let o = 0;
  rows.forEach((r, i) => {
    const a = p.offsets[r] as number, b = p.offsets[r + 1] as number;
    offsets[i] = o;
    ids.set(p.ids.subarray(a, b), o);
    weights.set(p.weights.subarray(a, b), o);
    o += b - a;
    labels[i] = p.labels[r] as number;
    sampleWeights[i] = p.sampleWeights[r] as number;
  });
  offsets[rows.length] = o;
  return { n: rows.length, offsets, ids, weights, labels, sampleWeights };
}

export interface TrainConfig {
  /** Embedding width. */
  dim: number;
  /** Hidden ReLU units; 0 = linear head on the pooled embedding (dim 1 ⇒ hashed logistic regression). */
  hidden: number;
  epochs: number;
  lr: number;
  /** L2 on touched embedding rows and on the dense weights. */
  l2: number;
  /** Probability of dropping each feature of a training example (robustness to missing cue words). */
  featureDropout: number;
  seed: number;
}

/** Float weights of a trained model. Layout: emb[bucket*dim + d], w1[d*hidden + h], w2[h] (or w2[d] when hidden = 0). */
export interface FloatModel {
  buckets: number;
  dim: number;
  hidden: number;
  emb: Float32Array;
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  b2: number;
}

export function trainModel(data: Packed, buckets: number, tc: TrainConfig, log: (s: string) => void = () => {}): FloatModel {
  const rnd = mulberry32(tc.seed);
  const { dim, hidden } = tc;
  const emb = new Float32Array(buckets * dim);
  for (let i = 0; i < emb.length; i++) emb[i] = (rnd() * 2 - 1) * 0.05;
  const w1 = new Float32Array(dim * hidden);
  const lim1 = Math.sqrt(6 / (dim + hidden));
  for (let i = 0; i < w1.length; i++) w1[i] = (rnd() * 2 - 1) * lim1;
  const b1 = new Float32Array(hidden);
  const outIn = hidden > 0 ? hidden : dim;
  const w2 = new Float32Array(outIn);
  const lim2 = Math.sqrt(6 / (outIn + 1));
  for (let i = 0; i < w2.length; i++) w2[i] = (rnd() * 2 - 1) * lim2;
  let b2 = 0;

  // Adagrad accumulators, started above zero so the first steps are not huge.
  const g0 = 0.1;
  const gEmb = new Float32Array(emb.length).fill(g0);
  const gW1 = new Float32Array(w1.length).fill(g0), gB1 = new Float32Array(hidden).fill(g0);
  const gW2 = new Float32Array(w2.length).fill(g0);
  let gB2 = g0;

  const pooled = new Float64Array(dim), h = new Float64Array(hidden), dh = new Float64Array(hidden), dp = new Float64Array(dim);
  const keep = new Float32Array(4096);
  const order = Int32Array.from({ length: data.n }, (_, i) => i);
  let meanSw = 0;
  for (let i = 0; i < data.n; i++) meanSw += data.sampleWeights[i] as number;
  meanSw /= data.n;

  for (let ep = 0; ep < tc.epochs; ep++) {
    for (let i = data.n - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      const t = order[i] as number; order[i] = order[j] as number; order[j] = t;
    }
    let loss = 0;
    for (let k = 0; k < data.n; k++) {
      const r = order[k] as number;
      const a = data.offsets[r] as number, b = data.offsets[r + 1] as number;
      const len = Math.min(b - a, keep.length);
      // Feature dropout, renormalised so the kept weights still sum to the original total.
      let kept = 0;
      for (let f = 0; f < len; f++) {
        const w = data.weights[a + f] as number;
        const kw = rnd() < tc.featureDropout ? 0 : w;
        keep[f] = kw;
        kept += kw;
      }
      if (kept <= 0) { keep[0] = 1; kept = 1; }
      const scale = 1 / kept;
      pooled.fill(0);
      for (let f = 0; f < len; f++) {
        const w = (keep[f] as number) * scale;
        if (w === 0) continue;
        const base = (data.ids[a + f] as number) * dim;
        for (let d = 0; d < dim; d++) pooled[d] += w * (emb[base + d] as number);
      }
      let z = b2;
      if (hidden > 0) {
        for (let u = 0; u < hidden; u++) {
          let s = b1[u] as number;
          for (let d = 0; d < dim; d++) s += (pooled[d] as number) * (w1[d * hidden + u] as number);
          h[u] = s > 0 ? s : 0;
          z += (h[u] as number) * (w2[u] as number);
        }
      } else {
        for (let d = 0; d < dim; d++) z += (pooled[d] as number) * (w2[d] as number);
      }
      const p = 1 / (1 + Math.exp(-z));
      const y = data.labels[r] as number;
      const sw = (data.sampleWeights[r] as number) / meanSw;
      loss += -sw * (y ? Math.log(p + 1e-12) : Math.log(1 - p + 1e-12));
      const dz = (p - y) * sw;
      const lr = tc.lr;
      // Backward: output layer, hidden layer, then the touched embedding rows.
      if (hidden > 0) {
        for (let u = 0; u < hidden; u++) dh[u] = (h[u] as number) > 0 ? dz * (w2[u] as number) : 0;
        dp.fill(0);
        for (let d = 0; d < dim; d++) {
          const pd = pooled[d] as number;
          let s = 0;
          for (let u = 0; u < hidden; u++) {
            const idx = d * hidden + u;
            const wv = w1[idx] as number;
            s += (dh[u] as number) * wv;
            const g = (dh[u] as number) * pd + tc.l2 * wv;
            gW1[idx] = (gW1[idx] as number) + g * g;
            w1[idx] = wv - (lr * g) / Math.sqrt(gW1[idx] as number);
          }
          dp[d] = s;
        }
        for (let u = 0; u < hidden; u++) {
          const g1 = dh[u] as number;
          gB1[u] = (gB1[u] as number) + g1 * g1;
          b1[u] = (b1[u] as number) - (lr * g1) / Math.sqrt(gB1[u] as number);
          const g2 = dz * (h[u] as number) + tc.l2 * (w2[u] as number);
          gW2[u] = (gW2[u] as number) + g2 * g2;
          w2[u] = (w2[u] as number) - (lr * g2) / Math.sqrt(gW2[u] as number);
        }
      } else {
        for (let d = 0; d < dim; d++) {
          dp[d] = dz * (w2[d] as number);
          const g2 = dz * (pooled[d] as number) + tc.l2 * (w2[d] as number);
          gW2[d] = (gW2[d] as number) + g2 * g2;
          w2[d] = (w2[d] as number) - (lr * g2) / Math.sqrt(gW2[d] as number);
        }
      }
      gB2 += dz * dz;
      b2 -= (lr * dz) / Math.sqrt(gB2);
      for (let f = 0; f < len; f++) {
        const w = (keep[f] as number) * scale;
        if (w === 0) continue;
        const base = (data.ids[a + f] as number) * dim;
        for (let d = 0; d < dim; d++) {
          const e = emb[base + d] as number;
          const g = w * (dp[d] as number) + tc.l2 * e;
          const acc = (gEmb[base + d] as number) + g * g;
          gEmb[base + d] = acc;
          emb[base + d] = e - (lr * g) / Math.sqrt(acc);
        }
      }
    }
    log(`  epoch ${ep + 1}/${tc.epochs} loss ${(loss / data.n).toFixed(4)}`);
  }
  return { buckets, dim, hidden, emb, w1, b1, w2, b2 };
}

/** Raw logits of every packed row (no dropout), in float64. */
export function predictLogits(m: FloatModel, data: Packed): Float64Array {
  const out = new Float64Array(data.n);
  const pooled = new Float64Array(m.dim);
  for (let r = 0; r < data.n; r++) out[r] = logitOf(m, data.ids, data.weights, data.offsets[r] as number, data.offsets[r + 1] as number, pooled);
  return out;
}

export function logitOf(m: FloatModel, ids: Int32Array, weights: Float32Array, a: number, b: number, pooled = new Float64Array(m.dim)): number {
  const { dim, hidden, emb, w1, b1, w2 } = m;
  pooled.fill(0);
  for (let f = a; f < b; f++) {
    const w = weights[f] as number;
    const base = (ids[f] as number) * dim;
    for (let d = 0; d < dim; d++) pooled[d] += w * (emb[base + d] as number);
  }
  let z = m.b2;
  if (hidden > 0) {
    for (let u = 0; u < hidden; u++) {
      let s = b1[u] as number;
      for (let d = 0; d < dim; d++) s += (pooled[d] as number) * (w1[d * hidden + u] as number);
      if (s > 0) z += s * (w2[u] as number);
    }
  } else {
    for (let d = 0; d < dim; d++) z += (pooled[d] as number) * (w2[d] as number);
  }
  return z;
}

/** int8 embedding with one scale per dimension: 4× smaller file, dequantised inside the ONNX graph. */
export interface QuantizedEmbedding {
  q: Int8Array;
  scale: Float32Array;
}

export function quantizeEmbedding(m: FloatModel): QuantizedEmbedding {
  const scale = new Float32Array(m.dim);
  for (let i = 0; i < m.emb.length; i++) {
    const d = i % m.dim;
    scale[d] = Math.max(scale[d] as number, Math.abs(m.emb[i] as number));
  }
  for (let d = 0; d < m.dim; d++) scale[d] = Math.fround(((scale[d] as number) || 1) / 127);
  const q = new Int8Array(m.emb.length);
  for (let i = 0; i < q.length; i++) q[i] = Math.max(-127, Math.min(127, Math.round((m.emb[i] as number) / (scale[i % m.dim] as number))));
  return { q, scale };
}

/** The float model the ONNX graph computes once the embedding is int8: used for every shipped-model figure. */
export function dequantized(m: FloatModel, qe: QuantizedEmbedding): FloatModel {
  const emb = new Float32Array(qe.q.length);
  for (let i = 0; i < emb.length; i++) emb[i] = (qe.q[i] as number) * (qe.scale[i % m.dim] as number);
  return { ...m, emb };
}
