// Hashed n-gram embedding bag + small MLP, trained with Adagrad in plain TypeScript (no ML framework: the model
// is tiny, and a hand-written loop is deterministic given the seed, which a threaded BLAS would not be).
import { featurize, type FeaturizerConfig, type Lexicon, type ZhLexicon } from '../../packages/scorer/src/featurize.ts';

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
  /** 0 = frustration row, 1 = auxiliary irony row (trains the irony head only). */
  task: Uint8Array;
  /** Han share of each text (`zhShare`): selects the per-language calibration. */
  zh: Float32Array;
}

export function pack(texts: string[], labels: ArrayLike<number>, sampleWeights: ArrayLike<number> | null, cfg: FeaturizerConfig, lexicon?: Lexicon, zhLexicon?: ZhLexicon, tasks?: ArrayLike<number>): Packed {
  const feats = texts.map((t) => featurize(t, cfg, lexicon, zhLexicon));
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
  const task = new Uint8Array(texts.length);
  const zh = new Float32Array(texts.length);
  for (let i = 0; i < texts.length; i++) {
    lab[i] = labels[i] as number;
    sw[i] = sampleWeights ? (sampleWeights[i] as number) : 1;
    task[i] = tasks ? (tasks[i] as number) : 0;
    zh[i] = (feats[i] as { zh: number }).zh;
  }
  return { n: texts.length, offsets, ids, weights, labels: lab, sampleWeights: sw, task, zh };
}

/** Picks rows of a packed set (views are copied so the subset is independent). */
export function subset(p: Packed, rows: number[]): Packed {
  let total = 0;
  for (const r of rows) total += (p.offsets[r + 1] as number) - (p.offsets[r] as number);
  const offsets = new Int32Array(rows.length + 1), ids = new Int32Array(total), weights = new Float32Array(total);
  const labels = new Uint8Array(rows.length), sampleWeights = new Float32Array(rows.length);
  const task = new Uint8Array(rows.length), zh = new Float32Array(rows.length);
  let o = 0;
  rows.forEach((r, i) => {
    const a = p.offsets[r] as number, b = p.offsets[r + 1] as number;
    offsets[i] = o;
    ids.set(p.ids.subarray(a, b), o);
    weights.set(p.weights.subarray(a, b), o);
    o += b - a;
    labels[i] = p.labels[r] as number;
    sampleWeights[i] = p.sampleWeights[r] as number;
    task[i] = p.task[r] as number;
    zh[i] = p.zh[r] as number;
  });
  offsets[rows.length] = o;
  return { n: rows.length, offsets, ids, weights, labels, sampleWeights, task, zh };
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
  /**
   * Irony head (linear head only): rows with task 1 train `wi·pooled + bi` (their label is the irony flag),
   * and the frustration logit gets `g · σ(irony logit)` with g learned on the frustration rows (no gradient
   * from frustration rows into the irony head). `auxWeight` scales the irony rows' loss. 0 = no irony head.
   */
  auxWeight?: number;
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
  /** Irony head (zeros and g = 0 when trained without irony rows). */
  wi: Float32Array;
  bi: number;
  g: number;
  /** Training rows whose features touched each bucket (buckets never touched keep their random init). */
  counts: Uint32Array;
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
  const auxWeight = tc.auxWeight ?? 0;
  const aux = auxWeight > 0;
  if (aux && hidden > 0) throw new Error('the irony head needs a linear head (hidden 0)');
  const wi = new Float32Array(dim);
  if (aux) for (let i = 0; i < dim; i++) wi[i] = (rnd() * 2 - 1) * lim2;
  let bi = 0, g = 0;
  const gWi = new Float32Array(dim).fill(g0);
  let gBi = g0, gG = g0;
  const counts = new Uint32Array(buckets);

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
      const y = data.labels[r] as number;
      const sw = (data.sampleWeights[r] as number) / meanSw;
      const lr = tc.lr;
      // The irony head's probability: a feature of the frustration logit (gated by g), trained only on irony rows.
      let si = 0;
      if (aux) {
        let zi = bi;
        for (let d = 0; d < dim; d++) zi += (pooled[d] as number) * (wi[d] as number);
        si = 1 / (1 + Math.exp(-zi));
      }
      if (data.task[r] === 1) {
        const dz = (si - y) * sw * auxWeight;
        for (let d = 0; d < dim; d++) {
          dp[d] = dz * (wi[d] as number);
          const gw = dz * (pooled[d] as number) + tc.l2 * (wi[d] as number);
          gWi[d] = (gWi[d] as number) + gw * gw;
          wi[d] = (wi[d] as number) - (lr * gw) / Math.sqrt(gWi[d] as number);
        }
        gBi += dz * dz;
        bi -= (lr * dz) / Math.sqrt(gBi);
      } else {
        let z = b2 + g * si;
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
        loss += -sw * (y ? Math.log(p + 1e-12) : Math.log(1 - p + 1e-12));
        const dz = (p - y) * sw;
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
              const gr = (dh[u] as number) * pd + tc.l2 * wv;
              gW1[idx] = (gW1[idx] as number) + gr * gr;
              w1[idx] = wv - (lr * gr) / Math.sqrt(gW1[idx] as number);
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
        if (aux) {
          const gg = dz * si;
          gG += gg * gg;
          g -= (lr * gg) / Math.sqrt(gG);
        }
      }
      for (let f = 0; f < len; f++) {
        const w = (keep[f] as number) * scale;
        if (w === 0) continue;
        const id = data.ids[a + f] as number;
        if (ep === 0) counts[id] = (counts[id] as number) + 1;
        const base = id * dim;
        for (let d = 0; d < dim; d++) {
          const e = emb[base + d] as number;
          const gr = w * (dp[d] as number) + tc.l2 * e;
          const acc = (gEmb[base + d] as number) + gr * gr;
          gEmb[base + d] = acc;
          emb[base + d] = e - (lr * gr) / Math.sqrt(acc);
        }
      }
    }
    log(`  epoch ${ep + 1}/${tc.epochs} loss ${(loss / data.n).toFixed(4)}`);
  }
  return { buckets, dim, hidden, emb, w1, b1, w2, b2, wi, bi, g, counts };
}

/** Raw logits of every packed row (no dropout), in float64. */
/**
 * One linear model whose logit is the mean of the given models' logits: embeddings side by side (width Σ dim), each
 * head divided by the number of models, biases averaged. Exact for the frustration logit (the head is linear, so the
 * collapsed table column is the mean of the members' columns); the irony gate is approximated as mean g · σ(mean
 * irony logit) in place of the mean of g_k · σ(irony logit_k) (|g| ≈ 0.1 here, so the difference is under 0.03 logit).
 *
 * @example
 * ```ts
 * const m = averageModels([1, 2, 3].map((seed) => trainModel(data, buckets, { ...tc, seed })));
 * ```
 */
export function averageModels(ms: readonly FloatModel[]): FloatModel {
  const first = ms[0];
  if (!first) throw new Error('averageModels: no models');
  if (ms.some((m) => m.hidden > 0)) throw new Error('averageModels: only linear heads average into one table (the MLP head does not)');
  if (ms.some((m) => m.buckets !== first.buckets)) throw new Error('averageModels: models differ in buckets');
  if (ms.length === 1) return first;
  const k = ms.length;
  const dim = ms.reduce((n, m) => n + m.dim, 0);
  const emb = new Float32Array(first.buckets * dim);
  const w2 = new Float32Array(dim), wi = new Float32Array(dim);
  let off = 0;
  for (const m of ms) {
    for (let b = 0; b < m.buckets; b++) emb.set(m.emb.subarray(b * m.dim, (b + 1) * m.dim), b * dim + off);
    for (let d = 0; d < m.dim; d++) {
      w2[off + d] = (m.w2[d] as number) / k;
      wi[off + d] = (m.wi[d] as number) / k;
    }
    off += m.dim;
  }
  const mean = (f: (m: FloatModel) => number) => ms.reduce((x, m) => x + f(m), 0) / k;
  // Bucket counts are counted in the first epoch, over the same rows for every member: the same arrays.
  return { buckets: first.buckets, dim, hidden: 0, emb, w1: new Float32Array(0), b1: new Float32Array(0), w2, b2: mean((m) => m.b2), wi, bi: mean((m) => m.bi), g: mean((m) => m.g), counts: first.counts };
}

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
  if (m.g !== 0) {
    let zi = m.bi;
    for (let d = 0; d < dim; d++) zi += (pooled[d] as number) * (m.wi[d] as number);
    z += m.g / (1 + Math.exp(-zi));
  }
  return z;
}

/**
 * What ships: with a linear head the model is `Σ wᶠ (eᶠ·w2) + b2 + g·σ(Σ wᶠ (eᶠ·wi) + bi)`, so each bucket needs
 * only its two projections (frustration, irony), not its `dim`-wide embedding: the collapse is exact. Buckets
 * seen in fewer than `pruneMin` training rows are zeroed (untouched ones would otherwise keep their random
 * init), and each column is quantised to a `levels`-entry codebook (1-d k-means weighted by how often a bucket
 * was seen; entry 0 is exactly 0), stored as one uint8 code per value.
 */
export interface ExportTable {
  buckets: number;
  /** 1 (frustration) or 2 (frustration, irony); with an MLP head, the embedding width. */
  cols: number;
  /** Codebook size per column; 0 = not quantised (`codes` empty). */
  levels: number;
  /** Dequantised values, bucket-major (`values[b*cols + c]`): what the graph computes with. */
  values: Float32Array;
  codes: Uint8Array;
  /** `cols × levels` floats, column-major blocks. */
  codebook: Float32Array;
  b2: number;
  bi: number;
  g: number;
  /** Buckets with a non-zero value. */
  kept: number;
  /**
   * MLP head (`hidden` > 0): the table holds each bucket's `cols`-wide embedding (not collapsible), and the logit is
   * `w2 · relu(pooled · w1 + b1) + b2` (w1 `cols × hidden`, row-major). Absent for the linear head.
   */
  mlp?: { hidden: number; w1: Float32Array; b1: Float32Array; w2: Float32Array };
}

export function exportTable(m: FloatModel, opts: { levels: number; pruneMin: number }): ExportTable {
  if (opts.levels > 256) throw new Error('levels must be ≤ 256 (uint8 codes)');
  if (m.hidden > 0 && m.g !== 0) throw new Error('the MLP head has no irony head');
  const mlp = m.hidden > 0;
  const cols = mlp ? m.dim : m.g !== 0 ? 2 : 1;
  const { buckets, dim, emb } = m;
  const values = new Float32Array(buckets * cols);
  let kept = 0;
  for (let b = 0; b < buckets; b++) {
    if ((m.counts[b] as number) < opts.pruneMin) continue;
    kept++;
    if (mlp) {
      // A nonlinear head needs the whole embedding: one table column (and one codebook) per dimension.
      for (let d = 0; d < dim; d++) values[b * dim + d] = emb[b * dim + d] as number;
      continue;
    }
    let u = 0, v = 0;
    for (let d = 0; d < dim; d++) {
      u += (emb[b * dim + d] as number) * (m.w2[d] as number);
      v += (emb[b * dim + d] as number) * (m.wi[d] as number);
    }
    values[b * cols] = u;
    if (cols === 2) values[b * cols + 1] = v;
  }
  const codes = new Uint8Array(opts.levels > 0 ? buckets * cols : 0);
  const codebook = new Float32Array(cols * Math.max(opts.levels, 0));
  if (opts.levels > 0) {
    for (let c = 0; c < cols; c++) {
      const centers = kmeans1d(values, m.counts, cols, c, opts.levels);
      codebook.set(centers, c * opts.levels);
      for (let b = 0; b < buckets; b++) {
        const x = values[b * cols + c] as number;
        if (x === 0) continue;
        const k = nearest(centers, x);
        codes[b * cols + c] = k;
        values[b * cols + c] = centers[k] as number;
      }
    }
  }
  return {
    buckets, cols, levels: opts.levels, values, codes, codebook, b2: m.b2, bi: m.bi, g: m.g, kept,
    ...(mlp ? { mlp: { hidden: m.hidden, w1: Float32Array.from(m.w1), b1: Float32Array.from(m.b1), w2: Float32Array.from(m.w2) } } : {}),
  };
}

/** Nearest center (centers sorted ascending except entry 0 = 0, which is only used for exact zeros). */
function nearest(centers: Float32Array, x: number): number {
  let lo = 1, hi = centers.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((centers[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 1 && Math.abs((centers[lo - 1] as number) - x) <= Math.abs((centers[lo] as number) - x)) return lo - 1;
  return lo;
}

/** Weighted 1-d k-means (Lloyd, quantile init) over the non-zero values of one column; entry 0 is 0. */
function kmeans1d(values: Float32Array, counts: Uint32Array, cols: number, col: number, levels: number): Float32Array {
  const xs: number[] = [], ws: number[] = [];
  for (let b = 0; b < counts.length; b++) {
    const x = values[b * cols + col] as number;
    if (x !== 0) { xs.push(x); ws.push(Math.max(1, counts[b] as number)); }
  }
  const order = xs.map((_, i) => i).sort((p, q) => (xs[p] as number) - (xs[q] as number));
  const sx = Float64Array.from(order, (i) => xs[i] as number), sw = Float64Array.from(order, (i) => ws[i] as number);
  const k = levels - 1;
  const centers = new Float64Array(k);
  const total = sw.reduce((a, b) => a + b, 0);
  let acc = 0, j = 0;
  for (let i = 0; i < sx.length && j < k; i++) {
    acc += sw[i] as number;
    while (j < k && acc >= ((j + 0.5) / k) * total) centers[j++] = sx[i] as number;
  }
  for (; j < k; j++) centers[j] = sx[sx.length - 1] ?? 0;
  for (let it = 0; it < 20; it++) {
    const sum = new Float64Array(k), wsum = new Float64Array(k);
    let c = 0;
    for (let i = 0; i < sx.length; i++) {
      const x = sx[i] as number;
      while (c + 1 < k && Math.abs((centers[c + 1] as number) - x) <= Math.abs((centers[c] as number) - x)) c++;
      sum[c] = (sum[c] as number) + x * (sw[i] as number);
      wsum[c] = (wsum[c] as number) + (sw[i] as number);
    }
    for (let q = 0; q < k; q++) if ((wsum[q] as number) > 0) centers[q] = (sum[q] as number) / (wsum[q] as number);
    centers.sort();
  }
  const out = new Float32Array(levels);
  for (let q = 0; q < k; q++) out[q + 1] = Math.fround(centers[q] as number);
  return out;
}

/** Logits the exported graph computes (float64 here; the graph is float32), for every packed row. */
export function tableLogits(t: ExportTable, data: Packed): Float64Array {
  const out = new Float64Array(data.n);
  const { cols, values, mlp } = t;
  if (mlp) {
    const pooled = new Float64Array(cols);
    for (let r = 0; r < data.n; r++) {
      pooled.fill(0);
      for (let f = data.offsets[r] as number; f < (data.offsets[r + 1] as number); f++) {
        const w = data.weights[f] as number, base = (data.ids[f] as number) * cols;
        for (let d = 0; d < cols; d++) pooled[d] += w * (values[base + d] as number);
      }
      let z = t.b2;
      for (let u = 0; u < mlp.hidden; u++) {
        let s = mlp.b1[u] as number;
        for (let d = 0; d < cols; d++) s += (pooled[d] as number) * (mlp.w1[d * mlp.hidden + u] as number);
        if (s > 0) z += s * (mlp.w2[u] as number);
      }
      out[r] = z;
    }
    return out;
  }
  for (let r = 0; r < data.n; r++) {
    let u = 0, v = 0;
    for (let f = data.offsets[r] as number; f < (data.offsets[r + 1] as number); f++) {
      const w = data.weights[f] as number;
      const b = data.ids[f] as number;
      u += w * (values[b * cols] as number);
      if (cols === 2) v += w * (values[b * cols + 1] as number);
    }
    out[r] = u + t.b2 + (cols === 2 ? t.g / (1 + Math.exp(-(v + t.bi))) : 0);
  }
  return out;
}
