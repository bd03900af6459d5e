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

const NUMBER_WORDS: Readonly<Record<string, string>> = { one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', ten: '10', zero: '0' };

/**
 * Word tokens of a text for the word-level check: NFKC, lower case, number words as digits ("one-star" = "1-star"),
 * split on anything that is not a letter, digit or apostrophe. Han text has no spaces, so it yields few tokens and
 * is left to the trigram check.
 */
export function wordTokens(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of text.normalize('NFKC').toLowerCase().split(/[^\p{L}\p{N}']+/u)) if (w) out.add(NUMBER_WORDS[w] ?? w);
  return out;
}

/** One training text that matches a dev-set text. */
export interface Leak {
  readonly train: string;
  readonly dev: string;
  readonly kind: 'exact' | 'near' | 'words';
  /** Trigram Jaccard similarity (1 for exact; for `words`, the word Jaccard, or 1 when every dev word is in it). */
  readonly similarity: number;
}

/**
 * Every training text equal to a dev text after `leakKey`, with trigram Jaccard ≥ `threshold` (default 0.8) to
 * one, or (both with ≥ `minWords` word tokens) with word-token Jaccard ≥ `wordThreshold` (default 0.75) to one or
 * containing every word of one: the word check catches a sentence with a word changed or added ("I'm leaving a
 * one-star review everywhere I can find" ~ "I'm leaving a 1-star review everywhere I can"; "fantastic, the
 * replacement hair dryer is broken too" ~ "fantastic, the replacement is broken too"), which shifts too many
 * trigrams for the first check.
 * Uses inverted indexes, so tens of thousands of rows take well under a second.
 *
 * @example
 * ```ts
 * const leaks = findLeaks(train.map((r) => r.text), dev.map((r) => r.text));
 * if (leaks.length) throw new Error(`${leaks.length} training rows are in the dev set`);
 * ```
 */
export function findLeaks(train: readonly string[], dev: readonly string[], threshold = 0.8, wordThreshold = 0.75, minWords = 5): Leak[] {
  const exact = new Map(dev.map((t) => [leakKey(t), t] as const));
  const byTrigram = setIndex(dev.map((t) => trigrams(t)));
  const byWord = setIndex(dev.map((t) => wordTokens(t)).map((ws) => (ws.size < minWords ? new Set<string>() : ws)));
  const leaks: Leak[] = [];
  for (const t of train) {
    const same = exact.get(leakKey(t));
    if (same !== undefined) {
      leaks.push({ train: t, dev: same, kind: 'exact', similarity: 1 });
      continue;
    }
    const near = byTrigram.best(trigrams(t), (inter, a, b) => inter / (a + b - inter));
    if (near && near.sim >= threshold) {
      leaks.push({ train: t, dev: dev[near.i] as string, kind: 'near', similarity: near.sim });
      continue;
    }
    const ws = wordTokens(t);
    if (ws.size < minWords) continue;
    // Jaccard, or containment of the dev text's words in the training text (a dev sentence with words added).
    const words = byWord.best(ws, (inter, a, b) => Math.max(inter / (a + b - inter), inter === b ? 1 : 0));
    if (words && words.sim >= wordThreshold) leaks.push({ train: t, dev: dev[words.i] as string, kind: 'words', similarity: words.sim });
  }
  return leaks;
}

/**
 * An inverted index over sets (trigrams or words): `best(q, sim)` returns the indexed set with the highest
 * `sim(shared, |q|, |set|)` among those sharing at least one member with q, or null.
 */
function setIndex(sets: readonly Set<string>[]) {
  const index = new Map<string, number[]>();
  sets.forEach((set, i) => {
    for (const x of set) {
      let list = index.get(x);
      if (!list) index.set(x, (list = []));
      list.push(i);
    }
  });
  return {
    best(q: ReadonlySet<string>, sim: (shared: number, qSize: number, setSize: number) => number): { i: number; sim: number } | null {
      const shared = new Map<number, number>();
      for (const x of q) for (const i of index.get(x) ?? []) shared.set(i, (shared.get(i) ?? 0) + 1);
      let top: { i: number; sim: number } | null = null;
      for (const [i, n] of shared) {
        const v = sim(n, q.size, (sets[i] as Set<string>).size);
        if (v > (top?.sim ?? 0)) top = { i, sim: v };
      }
      return top;
    },
  };
}
