// Loading the training sources from the shared data folder (never copied into the repo) and deriving labels.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashString } from '../../packages/scorer/src/featurize.ts';
import { parseExtraRows } from './extra-rows.ts';
import { supportSeed } from './seed-support.ts';
import { TRAINED_SPLITS, loadSupportChat, type WrittenSplit } from './support-chat-devset.ts';

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
  /** 1 = an auxiliary irony row (label = irony flag; trains the irony head, never the frustration head). */
  task?: 0 | 1;
}

export interface SourceInfo {
  name: string;
  lang: Lang;
  licence: string;
  permissive: boolean;
  /** Lexicon pseudo-examples: training only, never in dev tables. */
  lexicon?: boolean;
  /** Auxiliary task rows (irony), not frustration labels. */
  aux?: boolean;
  /** One class only (calm request registers): never left out on its own, no AUC. */
  calmOnly?: boolean;
}

/** The training sources of the trained written splits (`support_chat_fresh_en`, …), one per split and language. */
export const WRITTEN_SOURCES: readonly { name: string; split: WrittenSplit; lang: Lang }[] = TRAINED_SPLITS.flatMap((split) =>
  (['en', 'zh'] as const).map((lang) => ({ name: `support_chat_${split}_${lang}`, split, lang })),
);

export const SOURCES: SourceInfo[] = [
  { name: 'goemotions', lang: 'en', licence: 'Apache-2.0', permissive: true },
  { name: 'complaints_twitter', lang: 'en', licence: 'unknown (no licence file; tweets)', permissive: false },
  { name: 'bitext_customer_support', lang: 'en', licence: 'CDLA-Sharing-1.0', permissive: true },
  { name: 'lexicons', lang: 'en', licence: 'VADER MIT + AFINN Apache-2.0', permissive: true, lexicon: true },
  { name: 'online_shopping_10_cats', lang: 'zh', licence: 'unknown (origin unclear)', permissive: false },
  { name: 'waimai_10k', lang: 'zh', licence: 'unknown (origin unclear)', permissive: false },
  { name: 'clue_emotion', lang: 'zh', licence: 'unknown', permissive: false },
  { name: 'zh_conversation_sentiment', lang: 'zh', licence: 'unknown', permissive: false },
  // Written for this repo (h-devset, scripts/lib/seed-support.ts; includes v1's neutral zh seed): support-chat
  // register in both languages, neutral requests about the topics complaints are about plus the upset registers.
  { name: 'seed_support_en', lang: 'en', licence: 'MIT (templates written for this repo)', permissive: true },
  { name: 'seed_support_zh', lang: 'zh', licence: 'MIT (templates written for this repo)', permissive: true },
  // Added 2026-12 (see ../shared/data/README.md and each PROVENANCE.md).
  { name: 'tweeteval_sentiment', lang: 'en', licence: 'unknown (TweetEval task data, Twitter terms)', permissive: false },
  { name: 'tweeteval_emotion', lang: 'en', licence: 'unknown (TweetEval task data, Twitter terms)', permissive: false },
  { name: 'tweeteval_irony', lang: 'en', licence: 'unknown (TweetEval task data, Twitter terms)', permissive: false, aux: true },
  { name: 'meld', lang: 'en', licence: 'GPL-3.0 (data; legal check before a shipped model)', permissive: false },
  { name: 'uci_sentiment_sentences', lang: 'en', licence: 'unknown (Kotzias et al. 2015)', permissive: false },
  { name: 'uss_task_dialogue_satisfaction', lang: 'en', licence: 'unknown (dialogues CC BY-SA 4.0 / MIT; annotations unstated)', permissive: false, calmOnly: true },
  { name: 'smp2020_ewect', lang: 'zh', licence: 'unknown', permissive: false },
  { name: 'nlpcc2013_weibo_emotion', lang: 'zh', licence: 'unknown (NLPCC 2013 evaluation data)', permissive: false },
  { name: 'bdci2018_car_opinions', lang: 'zh', licence: 'unknown', permissive: false },
  { name: 'senticnet_zh_product_reviews', lang: 'zh', licence: 'unknown', permissive: false },
  { name: 'crosswoz_user_turns', lang: 'zh', licence: 'Apache-2.0', permissive: true, calmOnly: true },
  // The written support-chat splits that are training rows (models/devsets/support-chat-NAME.*.jsonl, TRAINED_SPLITS;
  // v2.6: fresh and blind2, v2.7: fresh … blind5), one source per writer and language: typed lines by people who saw no
  // seed, where the seeds are templates. Last, in writing order (v2.6's candidates were trained with them as --extra files).
  ...WRITTEN_SOURCES.map(({ name, lang }): SourceInfo => ({ name, lang, licence: 'MIT (written by hand for this repo)', permissive: true })),
];

/** The two Chinese lexicons behind the `z:` features (not training rows). */
export const ZH_LEXICON_SOURCES = [
  { name: 'dlut_emotion_ontology', licence: 'academic research use only (DLUT; commercial use by agreement)', permissive: false },
  { name: 'hownet_sentiment_zh', licence: 'unknown (no licence stated)', permissive: false },
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

function simple(file: string, source: string, lang: Lang, opts: { groupKey?: string; keep?: (r: Record<string, unknown>) => boolean; task?: 1 } = {}): Row[] {
  return readJsonl(join(dataDir(), file)).flatMap((r) => {
    const text = typeof r.text === 'string' ? r.text : '';
    if (!text.trim() || (r.label !== 0 && r.label !== 1)) return [];
    if (opts.keep && !opts.keep(r)) return [];
    const g = opts.groupKey ? r[opts.groupKey] : typeof r.domain === 'string' ? r.domain : r.cat;
    const group = typeof g === 'string' ? g : undefined;
    return [{ text, label: r.label, lang, source, split: hashSplit(text), ...(group ? { group } : {}), ...(opts.task ? { task: opts.task } : {}) }];
  });
}

/** Loads one named source. */
export function loadSource(name: string, goLabeling: GoEmotionsLabeling): Row[] {
  const written = WRITTEN_SOURCES.find((w) => w.name === name);
  if (written) {
    // 10 % to dev by a hash of the text, like every other source.
    return loadSupportChat(written.lang, written.split).map((r) => ({ text: r.text, label: r.label, lang: written.lang, source: name, split: hashSplit(r.text) }));
  }
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
    case 'tweeteval_sentiment': return simple('tweeteval_sentiment/tweeteval_sentiment.jsonl', name, 'en');
    case 'tweeteval_emotion': return simple('tweeteval_emotion/tweeteval_emotion.jsonl', name, 'en');
    // The irony flag is not frustration: these rows train the irony head only (task 1).
    case 'tweeteval_irony': return simple('tweeteval_irony/tweeteval_irony.jsonl', name, 'en', { task: 1 });
    case 'meld': return simple('meld/meld.jsonl', name, 'en');
    case 'uci_sentiment_sentences': return simple('uci_sentiment_sentences/uci_sentiment_sentences.jsonl', name, 'en', { groupKey: 'source' });
    // Calm English requests: the 137 "dissatisfied" turns are polite corrections ("No, I need the north."), dropped.
    case 'uss_task_dialogue_satisfaction':
      return simple('uss_task_dialogue_satisfaction/uss_task_dialogue_satisfaction.jsonl', name, 'en', { groupKey: 'source', keep: (r) => r.label === 0 });
    case 'smp2020_ewect': return simple('smp2020_ewect/smp2020_ewect.jsonl', name, 'zh', { groupKey: 'subset' });
    case 'nlpcc2013_weibo_emotion': return simple('nlpcc2013_weibo_emotion/nlpcc2013_weibo_emotion.jsonl', name, 'zh');
    case 'bdci2018_car_opinions': return simple('bdci2018_car_opinions/bdci2018_car_opinions.jsonl', name, 'zh');
    case 'senticnet_zh_product_reviews': return simple('senticnet_zh_product_reviews/senticnet_zh_product_reviews.jsonl', name, 'zh');
    case 'crosswoz_user_turns': return simple('crosswoz_user_turns/crosswoz_user_turns.jsonl', name, 'zh', { groupKey: 'type' });
    case 'seed_support_en':
    case 'seed_support_zh':
      return supportSeed(name === 'seed_support_en' ? 'en' : 'zh').map((r) => ({ text: r.text, label: r.label, lang: r.lang, source: name, split: hashSplit(r.text), group: r.category }));
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

/**
 * Reads one `--extra` file (format and checks: extra-rows.ts; a bad line stops training with FILE:LINE). 10 % of
 * rows go to dev by a hash of the text, or of `group` when given, so one conversation never sits on both sides.
 */
export function loadExtra(path: string): Row[] {
  const file = resolve(path);
  if (!existsSync(file)) throw new Error(`--extra ${path}: no such file`);
  const source = `extra:${path.split('/').pop()}`;
  return parseExtraRows(readFileSync(file, 'utf8'), path).map((r) => ({ text: r.text, label: r.label, lang: r.lang, source, split: hashSplit(r.group ?? r.text), ...(r.group ? { group: r.group } : {}) }));
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

/** HowNet 程度级别 → multiplier of the next sentiment word's valence (VADER's boosters, in spirit). */
const DEGREE_MULTIPLIER: Record<number, number> = { 1: 1.5, 2: 1.3, 3: 1.15, 4: 0.8, 5: 0.6, 6: 1.5 };
// DLUT's major classes: 乐 joy, 好 like are positive; 怒 anger, 哀 sadness, 惧 fear, 恶 disgust negative; 惊 surprise neither.
const DLUT_SIGN: Record<string, number> = { 乐: 1, 好: 1, 怒: -1, 哀: -1, 惧: -1, 恶: -1, 惊: 0 };

/**
 * The Chinese lexicon of the `z:` features: DLUT (valence = ± intensity / 9 by polarity; a word DLUT marks
 * neutral but files under a negative or positive class gets half its intensity with that class's sign; its
 * emotion class code) and, for words DLUT lacks, HowNet's words of ≥ 2 characters (± 0.5 by list); its degree words as
 * multipliers. Han-only entries of ≤ 8 characters (the featurizer's longest match). Valences are rounded to
 * 0.05 so the compact copy in the model file is exact. `keep` (e.g. "seen in the training text") prunes words.
 */
export function loadZhLexicon(keep?: (word: string) => boolean): { words: Map<string, number>; emotions: Map<string, string>; degree: Map<string, number> } {
  const words = new Map<string, number>(), emotions = new Map<string, string>(), degree = new Map<string, number>();
  const han = (w: string): boolean => /^\p{Script=Han}{1,8}$/u.test(w);
  for (const r of readJsonl(join(dataDir(), 'dlut_emotion_ontology/dlut_emotion_ontology.jsonl'))) {
    const w = String(r.text);
    if (!han(w) || words.has(w)) continue;
    const intensity = Number(r.intensity) || 0;
    let v = Number(r.label) / 9;
    if (v === 0 && r.polarity === 0) v = ((DLUT_SIGN[String(r.emotion_major_zh)] ?? 0) * intensity) / 18;
    v = Math.round(Math.max(-1, Math.min(1, v)) * 20) / 20;
    if (v === 0) continue;
    words.set(w, v);
    if (typeof r.emotion === 'string' && /^[A-Z]{1,3}$/.test(r.emotion)) emotions.set(w, r.emotion);
  }
  for (const r of readJsonl(join(dataDir(), 'hownet_sentiment_zh/hownet_sentiment_zh.jsonl'))) {
    const w = String(r.text);
    if (!han(w)) continue;
    const lvl = Number(r.degree_level);
    if (DEGREE_MULTIPLIER[lvl] !== undefined && !degree.has(w)) degree.set(w, DEGREE_MULTIPLIER[lvl] as number);
    // HowNet's single characters (单 −, 到 +, 下 −, 是 +) are polysemous: matched inside ordinary words they are noise.
    if (words.has(w) || r.polarity_conflict === true || w.length < 2) continue;
    if (r.is_positive === true) words.set(w, 0.5);
    else if (r.is_negative === true) words.set(w, -0.5);
  }
  if (keep) {
    for (const w of [...words.keys()]) if (!keep(w)) { words.delete(w); emotions.delete(w); }
  }
  return { words, emotions, degree };
}

/**
 * Counts, over the texts, how often each lexicon word occurs as a substring (≤ 8 characters): used to keep only
 * the words the training text contains at least twice, which is what makes the lexicon fit the size budget.
 */
export function substringCounts(texts: Iterable<string>, vocab: ReadonlySet<string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of texts) {
    for (let i = 0; i < t.length; i++) {
      for (let len = 1; len <= 8 && i + len <= t.length; len++) {
        const w = t.substr(i, len);
        if (vocab.has(w)) out.set(w, (out.get(w) ?? 0) + 1);
      }
    }
  }
  return out;
}

/** `{ "<value>": "word word …" }`: the compact form the model file stores word lists in. */
export function compactWordValues(m: ReadonlyMap<string, number | string>): Record<string, string> {
  const groups = new Map<string, string[]>();
  for (const w of [...m.keys()].sort()) {
    const k = String(m.get(w));
    groups.set(k, [...(groups.get(k) ?? []), w]);
  }
  return Object.fromEntries([...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, ws]) => [k, ws.join(' ')]));
}
