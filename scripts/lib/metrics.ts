// Binary-classification metrics shared by the trainer and the eval script. Plain loops over typed arrays:
// the trainer calls these hundreds of times (threshold search, per-source tables) on ~20k dev rows.

/** ROC AUC by the rank-sum (Mann–Whitney) formula with average ranks for ties; NaN if one class is absent. */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let nPos = 0;
  for (let i = 0; i < n; i++) if (labels[i] === 1) nPos++;
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  let rankSumPos = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[idx[j + 1] as number] === scores[idx[i] as number]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (labels[idx[k] as number] === 1) rankSumPos += avgRank;
    i = j + 1;
  }
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

export interface Prf { precision: number; recall: number; f1: number; tp: number; fp: number; fn: number; tn: number }

/** Precision, recall, F1 of `score >= threshold`. */
export function prf(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): Prf {
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (let i = 0; i < scores.length; i++) {
    const p = (scores[i] as number) >= threshold;
    const y = labels[i] === 1;
    if (p && y) tp++;
    else if (p) fp++;
    else if (y) fn++;
    else tn++;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, tp, fp, fn, tn };
}

/** Threshold (among 0.01..0.99) maximising the mean F1 over groups; groups are e.g. the two languages. */
export function bestThreshold(groups: { scores: ArrayLike<number>; labels: ArrayLike<number> }[]): number {
  // Integer steps: an accumulated 0.01 + 0.01 + … drifts (0.30000000000000004), and the threshold returned must
  // be exactly the one evaluated.
  let best = 0.5, bestF1 = -1;
  for (let k = 1; k <= 99; k++) {
    const t = k / 100;
    const f = groups.reduce((s, g) => s + prf(g.scores, g.labels, t).f1, 0) / groups.length;
    if (f > bestF1 + 1e-12) { bestF1 = f; best = t; }
  }
  return best;
}

/** Lowest threshold whose precision reaches `target` on the pooled rows (for a "sure" level); 0.99 if none. */
export function thresholdForPrecision(scores: ArrayLike<number>, labels: ArrayLike<number>, target: number): number {
  for (let k = 1; k <= 99; k++) {
    const r = prf(scores, labels, k / 100);
    if (r.tp + r.fp >= 20 && r.precision >= target) return k / 100;
  }
  return 0.99;
}

export interface ReliabilityBin { lo: number; hi: number; n: number; meanP: number; fracPos: number }

/** Expected calibration error over equal-width bins, plus the bins (reliability diagram as numbers). */
export function calibration(probs: ArrayLike<number>, labels: ArrayLike<number>, nBins = 10, balanced = false): { ece: number; bins: ReliabilityBin[] } {
  // balanced: rows weighted so each class counts half (matches a Platt fit with `balanced`); n stays a row count.
  let nPos = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) nPos++;
  const wPos = balanced && nPos ? labels.length / (2 * nPos) : 1, wNeg = balanced && labels.length - nPos ? labels.length / (2 * (labels.length - nPos)) : 1;
  const bins: ReliabilityBin[] = Array.from({ length: nBins }, (_, i) => ({ lo: i / nBins, hi: (i + 1) / nBins, n: 0, meanP: 0, fracPos: 0 }));
  const wsum = new Float64Array(nBins);
  let total = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i] as number;
    const k = Math.min(nBins - 1, Math.floor(p * nBins));
    const b = bins[k] as ReliabilityBin;
    const w = labels[i] === 1 ? wPos : wNeg;
    b.n++;
    wsum[k] = (wsum[k] as number) + w;
    total += w;
    b.meanP += w * p;
    b.fracPos += labels[i] === 1 ? w : 0;
  }
  let ece = 0;
  bins.forEach((b, k) => {
    if (b.n === 0) return;
    b.meanP /= wsum[k] as number;
    b.fracPos /= wsum[k] as number;
    ece += ((wsum[k] as number) / total) * Math.abs(b.meanP - b.fracPos);
  });
  return { ece, bins };
}

/** Platt scaling p = σ(a·z + b) fitted by Newton's method on log loss (with Platt's smoothed targets). */
export function fitPlatt(logits: ArrayLike<number>, labels: ArrayLike<number>, balanced = false): { a: number; b: number } {
  let nPos = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) nPos++;
  const nNeg = labels.length - nPos;
  const hi = (nPos + 1) / (nPos + 2), lo = 1 / (nNeg + 2);
  // balanced: each class weighs half, so p reads as odds against an even prior whatever the rows' base rate.
  const wPos = balanced && nPos ? labels.length / (2 * nPos) : 1, wNeg = balanced && nNeg ? labels.length / (2 * nNeg) : 1;
  let a = 1, b = 0;
  for (let it = 0; it < 100; it++) {
    let g0 = 0, g1 = 0, h00 = 1e-9, h01 = 0, h11 = 1e-9;
    for (let i = 0; i < logits.length; i++) {
      const z = logits[i] as number;
      const p = sigmoid(a * z + b);
      const t = labels[i] === 1 ? hi : lo;
      const c = labels[i] === 1 ? wPos : wNeg;
      const d = c * (p - t), w = c * p * (1 - p);
      g0 += d * z; g1 += d;
      h00 += w * z * z; h01 += w * z; h11 += w;
    }
    const det = h00 * h11 - h01 * h01;
    const da = (h11 * g0 - h01 * g1) / det, db = (h00 * g1 - h01 * g0) / det;
    a -= da; b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-10) break;
  }
  return { a, b };
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Median of a numeric list (copy-sorted). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export const round = (x: number, d = 4): number => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : x);
