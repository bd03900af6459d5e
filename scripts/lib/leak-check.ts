// Keeps training text out of the support-chat dev set: an exact check on a normalised key and a near-duplicate
// check on character trigrams. Used by the seed test (scripts/test/seed-support-leak.test.ts) and available to
// the trainer for any other source it adds.

/** NFKC, lower case, all whitespace removed: the key two texts must not share. */
export function leakKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
}

/** Character trigrams of the leak key (the whole key when it is shorter than three characters). */
export function trigrams(text: string): Set<string> {
  const chars = Array.from(leakKey(text));
  const out = new Set<string>();
  if (chars.length < 3) {
    if (chars.length) out.add(chars.join(''));
    return out;
  }
  for (let i = 0; i + 3 <= chars.length; i++) out.add(chars.slice(i, i + 3).join(''));
  return out;
}

/** One training text that matches a dev-set text. */
export interface Leak {
  readonly train: string;
  readonly dev: string;
  readonly kind: 'exact' | 'near';
  /** Trigram Jaccard similarity (1 for exact). */
  readonly similarity: number;
}

/**
 * Every training text equal to a dev text after `leakKey`, or with trigram Jaccard ≥ `threshold` (default 0.8)
 * to one. Uses an inverted trigram index, so tens of thousands of rows take well under a second.
 *
 * @example
 * ```ts
 * const leaks = findLeaks(train.map((r) => r.text), dev.map((r) => r.text));
 * if (leaks.length) throw new Error(`${leaks.length} training rows are in the dev set`);
 * ```
 */
export function findLeaks(train: readonly string[], dev: readonly string[], threshold = 0.8): Leak[] {
  const exact = new Map<string, string>();
  const grams = dev.map((t) => trigrams(t));
  const index = new Map<string, number[]>();
  dev.forEach((t, i) => {
    exact.set(leakKey(t), t);
    for (const g of grams[i] as Set<string>) {
      let list = index.get(g);
      if (!list) index.set(g, (list = []));
      list.push(i);
    }
  });
  const leaks: Leak[] = [];
  for (const t of train) {
    const same = exact.get(leakKey(t));
    if (same !== undefined) {
      leaks.push({ train: t, dev: same, kind: 'exact', similarity: 1 });
      continue;
    }
    const g = trigrams(t);
    const shared = new Map<number, number>();
    for (const x of g) for (const i of index.get(x) ?? []) shared.set(i, (shared.get(i) ?? 0) + 1);
    let best = -1;
    let bestSim = 0;
    for (const [i, inter] of shared) {
      const sim = inter / (g.size + (grams[i] as Set<string>).size - inter);
      if (sim > bestSim) [best, bestSim] = [i, sim];
    }
    if (best >= 0 && bestSim >= threshold) leaks.push({ train: t, dev: dev[best] as string, kind: 'near', similarity: bestSim });
  }
  return leaks;
}
