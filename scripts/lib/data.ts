// Loading the training sources from the shared data folder (never copied into the repo) and deriving labels.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashString } from '../../packages/scorer/src/featurize.ts';
import { zhSupportSeed } from './seed-zh-support.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `TEMPER_DATA_DIR` or `../shared/data` relative to the repo root. */
export function dataDir(): string {
  return resolve(process.env.TEMPER_DATA_DIR ?? join(REPO_ROOT, '../shared/data'));
}

export type Lang = 'en' | 'zh';
export type Split = 'train' | 'dev' | 'test';

export interface Row {
  text: string;
  label: 0 | 1;
  lang: Lang;
  source: string;
  split: Split;
  /** Original fine-grained labels kept for slicing (e.g. GoEmotions emotions). */
  tags?: string[];
  /** Sub-domain inside a source (complaints: company domain; shopping: product category) for leave-one-domain-out. */
  group?: string;
}

export interface SourceInfo {
  name: string;
  lang: Lang;
  licence: string;
  permissive: boolean;
  /** Lexicon pseudo-examples: training only, never in dev tables. */
  lexicon?: boolean;
}

export const SOURCES: SourceInfo[] = [
  { name: 'goemotions', lang: 'en', licence: 'Apache-2.0', permissive: true },
  { name: 'complaints_twitter', lang: 'en', licence: 'unknown (no licence file; tweets)', permissive: false },
  { name: 'bitext_customer_support', lang: 'en', licence: 'CDLA-Sharing-1.0', permissive: true },
  { name: 'lexicons', lang: 'en', licence: 'VADER MIT + AFINN Apache-2.0', permissive: true, lexicon: true },
  { name: 'online_shopping_10_cats', lang: 'zh', licence: 'unknown (origin unclear)', permissive: false },
  { name: 'waimai_10k', lang: 'zh', licence: 'unknown (origin unclear)', permissive: false },
  { name: 'clue_emotion', lang: 'zh', licence: 'unknown', permissive: false },
  { name: 'zh_conversation_sentiment', lang: 'zh', licence: 'unknown', permissive: false },
  { name: 'seed_zh_support', lang: 'zh', licence: 'MIT (templates written for this repo)', permissive: true },
];

/** How GoEmotions rows become binary labels (see MODEL_CARD.md for why `proxy+sadness` is the default). */
export type GoEmotionsLabeling = 'proxy' | 'frustration' | 'proxy+sadness';

// "proxy" = the data README's label (anger, annoyance, disappointment, disapproval, disgust).
// "proxy+sadness" (default): also sadness with no positive emotion, because resignation ("I give up, nothing
// works") is what support needs to catch and the proxy calls it calm.
// "frustration": proxy+sadness, and disapproval *alone* dropped as mere disagreement. Tried and rejected: held-out
// complaints scored worse (disapproval is how a polite complaint reads: "How's that fair?").
const GO_NEG = ['anger', 'annoyance', 'disappointment', 'disgust'];
const GO_POSITIVE = new Set(['admiration', 'amusement', 'approval', 'caring', 'excitement', 'gratitude', 'joy', 'love', 'optimism', 'pride', 'relief']);

function readJsonl(path: string): Record<string, unknown>[] {
  if (!existsSync(path)) throw new Error(`missing data file ${path} (set TEMPER_DATA_DIR?)`);
  const out: Record<string, unknown>[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    out.push(JSON.parse(line) as Record<string, unknown>);
  }
  return out;
}

/** Deterministic 90/10 split by a hash of the text, so a text is in the same split on every run and machine. */
export function hashSplit(text: string, devPercent = 10): Split {
  return hashString(`split:${text}`, 0x5eed) % 100 < devPercent ? 'dev' : 'train';
}

function simple(file: string, source: string, lang: Lang): Row[] {
  return readJsonl(join(dataDir(), file)).flatMap((r) => {
    const text = typeof r.text === 'string' ? r.text : '';
    if (!text.trim() || (r.label !== 0 && r.label !== 1)) return [];
    const group = typeof r.domain === 'string' ? r.domain : typeof r.cat === 'string' ? r.cat : undefined;
    return [{ text, label: r.label, lang, source, split: hashSplit(text), ...(group ? { group } : {}) }];
  });
}

/** Loads one named source. */
export function loadSource(name: string, goLabeling: GoEmotionsLabeling): Row[] {
  switch (name) {
    case 'goemotions': {
      const rows: Row[] = [];
      for (const split of ['train', 'dev', 'test'] as const) {
        for (const r of readJsonl(join(dataDir(), 'goemotions', `${split}.jsonl`))) {
          const emotions = (r.emotions as string[]) ?? [];
          let label: 0 | 1 = r.label === 1 ? 1 : 0;
          // Dev/test always keep the README proxy so dev figures stay comparable across labelings.
          if (goLabeling === 'proxy+sadness' && split === 'train' && label === 0) {
            const pos = emotions.some((e) => GO_POSITIVE.has(e));
            if (emotions.includes('sadness') && !pos) label = 1;
          }
          if (goLabeling === 'frustration' && split === 'train') {
            const neg = emotions.some((e) => GO_NEG.includes(e));
            const pos = emotions.some((e) => GO_POSITIVE.has(e));
            if (neg) label = 1;
            else if (emotions.includes('disapproval')) continue;
            else label = emotions.includes('sadness') && !pos ? 1 : 0;
          }
          rows.push({ text: r.text as string, label, lang: 'en', source: 'goemotions', split, tags: emotions });
        }
      }
      return rows;
    }
    case 'complaints_twitter': return simple('complaints_twitter/complaints.jsonl', name, 'en');
    case 'bitext_customer_support': return simple('bitext_customer_support/bitext_customer_support.jsonl', name, 'en');
    case 'online_shopping_10_cats': return simple('online_shopping_10_cats/online_shopping_9_cats_no_hotel.jsonl', name, 'zh');
    case 'waimai_10k': return simple('waimai_10k/waimai_10k.jsonl', name, 'zh');
    case 'clue_emotion': return simple('clue_emotion/clue_emotion_valid_test.jsonl', name, 'zh');
    case 'zh_conversation_sentiment': return simple('zh_conversation_sentiment/xs_test_manual.jsonl', name, 'zh');
    case 'seed_zh_support':
      return zhSupportSeed().map((text) => ({ text, label: 0, lang: 'zh', source: name, split: hashSplit(text) }));
    case 'lexicons': {
      // Lexicon words as one-word pseudo-messages: a weak-label prior that reaches words the corpora never show
      // in a complaint context (domain shift), at a small total weight. Neutral-ish words are skipped.
      const byWord = new Map<string, number[]>();
      const push = (w: string, v: number): void => { byWord.set(w, [...(byWord.get(w) ?? []), v]); };
      for (const r of readJsonl(join(dataDir(), 'vader_lexicon/vader_lexicon.jsonl'))) push(String(r.text), Number(r.label) / 4);
      for (const r of readJsonl(join(dataDir(), 'afinn_lexicon/afinn.jsonl'))) push(String(r.text), Number(r.label) / 5);
      const rows: Row[] = [];
      for (const [w, vs] of byWord) {
        const v = vs.reduce((a, b) => a + b, 0) / vs.length;
        if (Math.abs(v) < 0.35) continue;
        rows.push({ text: w, label: v < 0 ? 1 : 0, lang: 'en', source: 'lexicons', split: 'train' });
      }
      return rows;
    }
    default: throw new Error(`unknown source ${name}`);
  }
}

/** Reads extra `{text, label, lang}` JSON Lines (a host's own transcripts); 10% of rows go to dev by hash. */
export function loadExtra(path: string): Row[] {
  const source = `extra:${path.split('/').pop()}`;
  return readJsonl(resolve(path)).flatMap((r) => {
    const text = typeof r.text === 'string' ? r.text : '';
    const label = r.label === 1 || r.label === true ? 1 : r.label === 0 || r.label === false ? 0 : null;
    const lang = r.lang === 'zh' ? 'zh' : 'en';
    if (!text.trim() || label === null) return [];
    return [{ text, label, lang, source, split: hashSplit(text) } as Row];
  });
}

/**
 * VADER (mean/4) and AFINN (score/5) merged into one word → valence map in [−1, 1], rounded to 2 decimals so the
 * copy stored in the model file is exactly the one the model was trained with. Multi-word entries are skipped:
 * the featurizer looks up single tokens.
 */
export function loadLexicon(): Map<string, number> {
  const acc = new Map<string, number[]>();
  const push = (w: string, v: number): void => {
    if (/\s/.test(w) || !w) return;
    acc.set(w, [...(acc.get(w) ?? []), v]);
  };
  for (const r of readJsonl(join(dataDir(), 'vader_lexicon/vader_lexicon.jsonl'))) push(String(r.text).toLowerCase(), Number(r.label) / 4);
  for (const r of readJsonl(join(dataDir(), 'afinn_lexicon/afinn.jsonl'))) push(String(r.text).toLowerCase(), Number(r.label) / 5);
  const out = new Map<string, number>();
  for (const w of [...acc.keys()].sort()) {
    const vs = acc.get(w) as number[];
    const v = Math.round((vs.reduce((a, b) => a + b, 0) / vs.length) * 100) / 100;
    if (v !== 0) out.set(w, v);
  }
  return out;
}
