// Trains the frustration model on ../shared/data (or TEMPER_DATA_DIR), exports ONNX to models/, and prints every
// figure the model card quotes. `npm run train -- --help` lists the flags.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants as zc } from 'node:zlib';
import { DEFAULT_FEATURIZER_CONFIG, featurizerVersionFor, type FeaturizerConfig, type ZhLexicon } from '../packages/scorer/src/featurize.ts';
import { loadFrustrationModel } from '../packages/scorer/src/model.ts';
import { REPO_ROOT, SOURCES, ZH_LEXICON_SOURCES, compactWordValues, dataDir, loadExtra, loadLexicon, loadSource, loadZhLexicon, substringCounts, WRITTEN_SOURCES, type GoEmotionsLabeling, type Row } from './lib/data.ts';
import { auc, bestThreshold, calibration, fitPlatt, round, sigmoid, thresholdForPrecision, type ReliabilityBin } from './lib/metrics.ts';
import { categoryFigures, evalSupportChat, loadDynamics, printComparison, type SupportChatReport } from './lib/eval-support-chat.ts';
import { CATEGORIES, CATEGORY_TARGET, loadSupportChat, TRAINED_SPLITS, type Category } from './lib/support-chat-devset.ts';
import { buildOnnx, plattProb, shiftPlatt, type LangPlatt } from './lib/onnx-export.ts';
import { nodeOrt, onnxParity, timeScoring } from './lib/ort-check.ts';
import { averageModels, exportTable, pack, predictLogits, subset, tableLogits, trainModel, type FloatModel, type Packed, type TrainConfig } from './lib/trainer.ts';

/**
 * Sources left out one at a time by default: each is a domain the rest of the data does not cover (tweets,
 * TV dialogue, short product/film sentences, Weibo, car owners), the closest stand-in for the maintainers'
 * sealed text "from domains unlike the training data".
 */
const OOD_SOURCES = ['tweeteval_sentiment', 'meld', 'uci_sentiment_sentences', 'smp2020_ewect', 'nlpcc2013_weibo_emotion', 'bdci2018_car_opinions'];
/**
 * The sets labelled by emotion (people saying how they feel, not what they think of a product). At budget ×2 they
 * raised the mean LOSO AUC 0.7565 → 0.7626, 5 of 6 held-out sources up (v2.2; models/MODEL_CARD.md). ×3 reached 0.7654
 * but then put two support-chat dev-split targets near their limits; v2.5's contrastive seeds hold them, so ×3 ships.
 */
const EMOTION_SETS = ['goemotions', 'tweeteval_emotion', 'clue_emotion', 'smp2020_ewect', 'nlpcc2013_weibo_emotion'];
/**
 * Budget multipliers (× √rows); everything else 1. Why each: models/MODEL_CARD.md, "Data and weights".
 * The support-chat seeds and the calm request registers teach that the topics of complaints (退货, refund,
 * delivery) are not complaints; the two big review sets, where 退货/快递 are negative words, get ×0.2 (zh neutral
 * requests scored uneasy 12.4 % → 9.8 % on the dev split, LOSO unchanged within ±0.004). Seeds at ×10
 * cost 0.01 mean LOSO AUC for little dev gain, so ×4.
 */
/** Budget multiplier of each trained written split (v2.7 … v2.10; v2.6: ×3), shared by the defaults and `--compare`'s note. */
const WRITTEN_SPLIT_WEIGHT = 1.8;
const DEFAULT_SOURCE_WEIGHTS: Record<string, number> = {
  // v2.3: ×3 (v2.2: ×4) — the seeds grew from 4.4k to 8.2k rows, and a budget ∝ √rows would have raised their share
  // by a third; ×3 keeps it about where it was (LOSO mean 0.7621 at ×4 vs 0.7642 at ×3, both with --ensemble 3).
  // v2.8: ×2. With five writers' typed lines in training (v2.7), the templated seeds can weigh less: ×2 gave LOSO
  // 0.7618 → 0.7651 for written-split hash-dev AUC −0.003 in each language (×1.5: 0.7656, but −0.006).
  // MODEL_CARD.md, "Candidates, v2.8 round".
  seed_support_en: 2,
  seed_support_zh: 2,
  crosswoz_user_turns: 3,
  uss_task_dialogue_satisfaction: 2,
  online_shopping_10_cats: 0.2,
  waimai_10k: 0.2,
  // v2.5: the labelled emotion sets at ×3 (v2.2–v2.4: ×2). ×3 transferred better already in v2.2 (LOSO 0.7626 → 0.7654)
  // but pushed the support-chat dev split to its edges; with v2.5's contrastive seeds holding the calm side it does not
  // (LOSO 0.7666 → 0.7693 on the same seeds, support-chat `fresh` AUC en 0.953 → 0.955; ×4: LOSO 0.7700 but `fresh` and
  // held-out AUC down in both languages). MODEL_CARD.md, "Candidates, v2.5 round".
  ...Object.fromEntries(EMOTION_SETS.map((s) => [s, 3])),
  // v2.6: the two oldest written support-chat splits, one source per writer and language, ×3 like the seeds. On blind3
  // (a third writer): AUC en 0.919 → 0.957, zh 0.929 → 0.955 at ×3; ×1.5 0.946 / 0.950; ×6 0.962 / 0.966 but LOSO
  // 0.7700 → 0.7614 (×3: 0.7666, ×1.5: 0.7669). MODEL_CARD.md, "Candidates, v2.6 round".
  // v2.7: five writers (fresh … blind5) at ×2.4 each, the same total budget as four at ×3 (candidate B: blind5 AUC
  // en 0.925 → 0.945, zh 0.960 → 0.970 for LOSO 0.7658 → 0.7621; four at ×1.5: 0.930 / 0.964 for 0.7646).
  // MODEL_CARD.md, "Candidates, v2.7 round".
  // v2.9: seven writers (fresh … blind7) at ×2.4 each: on four new writers' splits mean AUC 0.9585 (×1.7, the five
  // writers' total budget: 0.9523) for LOSO 0.7624 (0.7641). MODEL_CARD.md, "Candidates, v2.9 round".
  // v2.10: nine writers (fresh … blind9) at ×2.4 each: on five new writers' splits mean AUC 0.9698 (v2.9 0.9645; ×3.2:
  // 0.9734, but LOSO 0.7574, at the 0.005 guard below v2.9's 0.7624) for LOSO 0.7597. At ×1.87 (v2.9's total budget):
  // LOSO 0.7622, fourteen-pair AUC 0.9662 vs 0.9690, not taken. MODEL_CARD.md, "Candidates, v2.10 round".
  // v2.11: twelve writers (fresh … blind11) at ×1.8 each, v2.10's total budget (12 × 1.8 = 9 × 2.4): on blind13 … blind16
  // mean AUC 0.9727 → 0.9757 for LOSO 0.7597 → 0.7595. MODEL_CARD.md, "Candidates, v2.11 round".
  // v2.12: the same twelve at ×1.8. Sixteen (+ blind13 … blind16) at ×1.35, the same total: on blind17/blind18 mean AUC
  // 0.9712 → 0.9737 for LOSO 0.7593, but one English thanks line over the calm guard; not taken. "Candidates, v2.12 round".
  ...Object.fromEntries(WRITTEN_SOURCES.map((w) => [w.name, WRITTEN_SPLIT_WEIGHT])),
};

const HELP = `npm run train -- [flags]
  --seed N              PRNG seed (default 42)
  --epochs N            passes over the training rows (default 2)
  --dim N --hidden N    embedding width / hidden ReLU units (default 12 / 0 = linear head; e.g. --dim 4 --hidden 16 for the MLP head,
                        which ships the 4-d table instead of a collapsed column; no irony head with it)
  --lr X --l2 X         Adagrad step / L2 (default 0.05 / 1e-6)
  --dropout X           feature dropout while training (default 0.2)
  --buckets N           hash buckets (default ${DEFAULT_FEATURIZER_CONFIG.buckets})
  --levels N            codebook entries per table column, ≤ 256 (default 16: 4-bit values in uint8 codes; brotli
                        stores them in ~3 bits each)
  --prune-min N         zero buckets seen in fewer than N training rows (default 1: only never-seen buckets)
  --aux-weight X        loss weight of the irony rows (tweeteval_irony) on the irony head (default 1; 0 = no irony head)
  --zh-lexicon-bins N   Chinese lexicon valence bins per sign (default ${DEFAULT_FEATURIZER_CONFIG.zhLexiconBins}; 0 = no z: features)
  --zh-lexicon-min N    keep lexicon words seen ≥ N times in the Chinese training text (default 2)
  --zh-lexicon-weight X weight of one Chinese lexicon feature relative to a character (default ${DEFAULT_FEATURIZER_CONFIG.zhLexiconWeight})
  --praise-context-weight X  weight of a praise-context feature (s:word in a message with a positive lexicon word;
                        default ${DEFAULT_FEATURIZER_CONFIG.praiseContextWeight}; 0 = off, and the model is written as temper-feat-2)
  --summary-share X     share of the pooled weight held by the message's lexicon summaries (l:min, l:neg, z:min, z:neg,
                        x:mix) whatever its length (default ${DEFAULT_FEATURIZER_CONFIG.summaryShare}; 0 = plain mean pooling, written as
                        temper-feat-3 or older)
  --never-so 0|1        VADER's "never so" rule: "never been so furious" intensifies instead of negating (default
                        ${DEFAULT_FEATURIZER_CONFIG.neverSo}; 0 = negated like after any negator, written as temper-feat-4 or older)
  --contrast 0|1        VADER's "but" rule: lexicon valence before the first but/但是/可是/不过/然而 ×0.5, after it ×1.5
                        (default ${DEFAULT_FEATURIZER_CONFIG.contrast}; 1 writes temper-feat-6)
  --boosters 0|1        VADER's English booster words (very, so, totally ×1.3; slightly, kinda ×0.7) on the next
                        lexicon word (default ${DEFAULT_FEATURIZER_CONFIG.boosters}; 1 writes temper-feat-6)
  --quotes 0|1          quoted words are mentioned, not meant: a lexicon word in a short quotation ("seamless") gives q:±k,
                        not l:±k, plus x:quote (default ${DEFAULT_FEATURIZER_CONFIG.quotes}; 1 writes temper-feat-6)
  --sources a,b,...     built-in sources to use (default: all; "none" = only --extra files)
                        ${SOURCES.map((s) => s.name).join(', ')}
  --permissive-only     only sources with a permissive licence (GoEmotions, Bitext, en lexicons, CrossWOZ,
                        the written seeds); no Chinese lexicon (DLUT is academic-use only, HowNet unstated)
  --extra FILE.jsonl    extra labelled rows, one JSON object a line: {"text", "label": 0|1, "lang": "en"|"zh",
                        "group"?: conversation id}; repeatable. A bad line stops the run as FILE:LINE: why.
                        10% go to dev (by a hash of group, else of text)
  --extra-weight X      weight of each extra file relative to a built-in source of the same size (default 3)
  --go-labels L         GoEmotions training labels: proxy+sadness (default: the data README's label plus
                        sadness without a positive emotion) | proxy | frustration (proxy+sadness, disapproval-only
                        rows dropped)
  --balance B           source-class (default: each source gets weight ∝ sqrt(rows), split 50/50 by class) | none
  --compare             train the candidate variants and print their dev and out-of-domain figures, no export;
                        also scores v1 (models/archive/temper-frustration-v1.onnx, if present) on the same rows
  --variants a,b        with --compare: only these variants (default: all: shipped, no-irony-head, hashed-LR,
                        256-levels, mlp-4x16, emotion-sets-x2, emotion-sets-x4, no-written-splits)
  --ensemble K          train K times (seeds N … N+K−1) and ship the mean of their logits as one table (linear head
                        only, an MLP head trains once; the same file size, K× the training time; default 3, 1 = a
                        single training)
  --no-support-shift    keep the public-dev Platt fit as it is (default: add the support-chat shift chosen on the
                        trained written splits, each writer's lines scored by a model trained without them (one
                        more training per trained written split), up or down; see supportChatShift)
  --skip-loso           skip leave-one-source-out
  --loso-sources a,b    sources to leave out (default: the out-of-domain proxies ${OOD_SOURCES.join(', ')})
  --char-weight X       weight of a character n-gram (default ${DEFAULT_FEATURIZER_CONFIG.charNgramWeight}; 0 = words only)
  --lexicon-bins N      lexicon valence bins per sign (default ${DEFAULT_FEATURIZER_CONFIG.lexiconBins}; 0 = no lexicon features)
  --lexicon-feature-weight X  weight of one lexicon feature relative to a word (default ${DEFAULT_FEATURIZER_CONFIG.lexiconWeight})
  --han-negation N     Han characters after 不/没/别/无/未/非 that get a negated copy (default ${DEFAULT_FEATURIZER_CONFIG.hanNegationScope})
  --han-max N           longest Chinese character n-gram (default ${DEFAULT_FEATURIZER_CONFIG.hanNgramMax})
  --lexicon-weight X    budget multiplier of the lexicon pseudo-rows (default 0.5)
  --source-weight s=X   budget multiplier for one source; repeatable (defaults in DEFAULT_SOURCE_WEIGHTS)
  --out FILE            model path (default models/temper-frustration-v2.onnx)
  --no-export           train and report only
Env: TEMPER_DATA_DIR = data folder (default ../shared/data from the repo root).`;

const { values: a } = parseArgs({
  options: {
    seed: { type: 'string', default: '42' },
    epochs: { type: 'string', default: '2' },
    dim: { type: 'string', default: '12' },
    hidden: { type: 'string', default: '0' },
    lr: { type: 'string', default: '0.05' },
    l2: { type: 'string', default: '1e-6' },
    dropout: { type: 'string', default: '0.2' },
    buckets: { type: 'string', default: String(DEFAULT_FEATURIZER_CONFIG.buckets) },
    levels: { type: 'string', default: '16' },
    'prune-min': { type: 'string', default: '1' },
    'aux-weight': { type: 'string', default: '1' },
    'zh-lexicon-bins': { type: 'string', default: String(DEFAULT_FEATURIZER_CONFIG.zhLexiconBins) },
    'zh-lexicon-min': { type: 'string', default: '2' },
    'zh-lexicon-weight': { type: 'string', default: String(DEFAULT_FEATURIZER_CONFIG.zhLexiconWeight) },
    'praise-context-weight': { type: 'string', default: String(DEFAULT_FEATURIZER_CONFIG.praiseContextWeight) },
    'summary-share': { type: 'string', default: String(DEFAULT_FEATURIZER_CONFIG.summaryShare) },
    'never-so': { type: 'string', default: String(DEFAULT_FEATURIZER_CONFIG.neverSo) },
    contrast: { type: 'string', default: String(DEFAULT_FEATURIZER_CONFIG.contrast) },
    boosters: { type: 'string', default: String(DEFAULT_FEATURIZER_CONFIG.boosters) },
    quotes: { type: 'string', default: String(DEFAULT_FEATURIZER_CONFIG.quotes) },
    sources: { type: 'string' },
    'permissive-only': { type: 'boolean', default: false },
    extra: { type: 'string', multiple: true, default: [] },
    'extra-weight': { type: 'string', default: '3' },
    'go-labels': { type: 'string', default: 'proxy+sadness' },
    balance: { type: 'string', default: 'source-class' },
    compare: { type: 'boolean', default: false },
    'skip-loso': { type: 'boolean', default: false },
    'no-support-shift': { type: 'boolean', default: false },
    ensemble: { type: 'string', default: '3' },
    'loso-sources': { type: 'string' },
    'char-weight': { type: 'string', default: String(DEFAULT_FEATURIZER_CONFIG.charNgramWeight) },
    'han-max': { type: 'string', default: String(DEFAULT_FEATURIZER_CONFIG.hanNgramMax) },
    'han-negation': { type: 'string', default: String(DEFAULT_FEATURIZER_CONFIG.hanNegationScope) },
    'lexicon-bins': { type: 'string', default: String(DEFAULT_FEATURIZER_CONFIG.lexiconBins) },
    'lexicon-feature-weight': { type: 'string', default: String(DEFAULT_FEATURIZER_CONFIG.lexiconWeight) },
    'lexicon-weight': { type: 'string', default: '0.5' },
    'source-weight': { type: 'string', multiple: true, default: [] },
    out: { type: 'string', default: 'models/temper-frustration-v2.onnx' },
    'no-export': { type: 'boolean', default: false },
    variants: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (a.help) {
  console.log(HELP);
  process.exit(0);
}

const t0 = Date.now();
const log = (s: string): void => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${s}`);
const num = (s: string | undefined, name: string): number => {
  const x = Number(s);
  if (!Number.isFinite(x)) throw new Error(`--${name}: not a number: ${s}`);
  return x;
};

// Extra files first, so a bad line stops the run before minutes of loading and featurizing.
const extraRows: Row[] = [];
for (const f of a.extra ?? []) {
  try {
    extraRows.push(...loadExtra(f));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
}
const extraSources = new Set(extraRows.map((r) => r.source));
if (extraRows.length) log(`extra: ${extraRows.length} rows (${extraRows.filter((r) => r.label === 1).length} upset) from ${[...extraSources].join(', ')}`);
const goLabels = a['go-labels'] as GoEmotionsLabeling;
if (!['frustration', 'proxy', 'proxy+sadness'].includes(goLabels)) throw new Error('--go-labels must be frustration, proxy or proxy+sadness');
const balance = a.balance;
if (balance !== 'source-class' && balance !== 'none') throw new Error('--balance must be source-class or none');
const permissiveOnly = a['permissive-only'] === true;
const praiseContextWeight = num(a['praise-context-weight'], 'praise-context-weight');
const summaryShare = num(a['summary-share'], 'summary-share');
if (!(summaryShare >= 0 && summaryShare < 1)) throw new Error(`--summary-share must be in [0, 1) (got ${a['summary-share']})`);
/** A 0|1 rule flag. */
const onOff = (name: 'never-so' | 'contrast' | 'boosters' | 'quotes'): 0 | 1 => {
  const x = num(a[name], name);
  if (x !== 0 && x !== 1) throw new Error(`--${name} must be 0 or 1 (got ${a[name]})`);
  return x;
};
const featFlags = {
  ...DEFAULT_FEATURIZER_CONFIG,
  buckets: num(a.buckets, 'buckets'),
  charNgramWeight: num(a['char-weight'], 'char-weight'),
  hanNgramMax: num(a['han-max'], 'han-max'),
  hanNegationScope: num(a['han-negation'], 'han-negation'),
  lexiconBins: num(a['lexicon-bins'], 'lexicon-bins'),
  lexiconWeight: num(a['lexicon-feature-weight'], 'lexicon-feature-weight'),
  // Neither Chinese lexicon has a permissive licence, so a permissive-only model has no z: features.
  zhLexiconBins: permissiveOnly ? 0 : num(a['zh-lexicon-bins'], 'zh-lexicon-bins'),
  zhLexiconWeight: num(a['zh-lexicon-weight'], 'zh-lexicon-weight'),
  praiseContextWeight,
  summaryShare,
  neverSo: onOff('never-so'),
  contrast: onOff('contrast'),
  boosters: onOff('boosters'),
  quotes: onOff('quotes'),
};
// A model is written with the oldest featurizer version that has every feature it uses, so older scorers can read it.
const featCfg: FeaturizerConfig = { ...featFlags, version: featurizerVersionFor(featFlags) };
const levels = num(a.levels, 'levels');
const pruneMin = num(a['prune-min'], 'prune-min');
const lexicon = featCfg.lexiconBins > 0 ? loadLexicon() : undefined;
const sourceWeight = new Map<string, number>([...Object.entries(DEFAULT_SOURCE_WEIGHTS), ...(a['source-weight'] ?? []).map((kv): [string, number] => {
  const [k, v] = kv.split('=');
  return [k as string, num(v, 'source-weight')];
})]);
const ensemble = num(a.ensemble, 'ensemble');
if (!Number.isInteger(ensemble) || ensemble < 1) throw new Error(`--ensemble must be an integer ≥ 1 (got ${a.ensemble})`);
const baseTc: TrainConfig = {
  dim: num(a.dim, 'dim'),
  hidden: num(a.hidden, 'hidden'),
  epochs: num(a.epochs, 'epochs'),
  lr: num(a.lr, 'lr'),
  l2: num(a.l2, 'l2'),
  featureDropout: num(a.dropout, 'dropout'),
  seed: num(a.seed, 'seed'),
  auxWeight: num(a['aux-weight'], 'aux-weight'),
};

// ---- data
let sourceNames = a.sources ? (a.sources === 'none' ? [] : a.sources.split(',')) : SOURCES.map((s) => s.name);
if (permissiveOnly) sourceNames = sourceNames.filter((n) => SOURCES.find((s) => s.name === n)?.permissive);
for (const n of sourceNames) if (!SOURCES.some((s) => s.name === n)) throw new Error(`unknown source ${n}`);
if (baseTc.auxWeight === 0) sourceNames = sourceNames.filter((n) => !SOURCES.find((s) => s.name === n)?.aux);
log(`data: ${dataDir()}`);
const rows: Row[] = [];
for (const n of sourceNames) rows.push(...loadSource(n, goLabels));
rows.push(...extraRows);
if (rows.length === 0) throw new Error('no training rows');
const allSources = [...new Set(rows.map((r) => r.source))];
const infoOf = (s: string) => SOURCES.find((x) => x.name === s);
const isLexicon = (s: string): boolean => infoOf(s)?.lexicon === true;
const isAux = (r: Row): boolean => r.task === 1;

// The Chinese lexicon keeps the words the Chinese training text contains at least `--zh-lexicon-min` times:
// 8k of 30k entries, and the ones a chat is likely to use (the rest are rare idioms) — see the size table.
let zhLexicon: ZhLexicon | undefined;
if (featCfg.zhLexiconBins > 0) {
  const full = loadZhLexicon();
  const vocab = new Set([...full.words.keys(), ...full.degree.keys()]);
  const counts = substringCounts(rows.filter((r) => r.lang === 'zh' && r.split === 'train').map((r) => r.text), vocab);
  const minCount = num(a['zh-lexicon-min'], 'zh-lexicon-min');
  zhLexicon = loadZhLexicon((w) => (counts.get(w) ?? 0) >= minCount);
  log(`zh lexicon: ${zhLexicon.words.size} of ${full.words.size} words (seen ≥ ${minCount}× in training text), ${zhLexicon.emotions.size} with an emotion class, ${zhLexicon.degree.size} degree words`);
}

/** Per-row training weight: each source gets a budget ∝ sqrt(train rows), half to each class (see --balance). */
function weightsFor(trainRows: Row[], override: Record<string, number> = {}): Float32Array {
  const bySrc = new Map<string, { n: number; pos: number }>();
  for (const r of trainRows) {
    const s = bySrc.get(r.source) ?? { n: 0, pos: 0 };
    s.n++;
    s.pos += r.label;
    bySrc.set(r.source, s);
  }
  return Float32Array.from(trainRows, (r) => {
    if (balance === 'none') return 1;
    const s = bySrc.get(r.source) as { n: number; pos: number };
    let budget = Math.sqrt(s.n);
    if (isLexicon(r.source)) budget *= num(a['lexicon-weight'], 'lexicon-weight');
    budget *= override[r.source] ?? sourceWeight.get(r.source) ?? 1;
    if (extraSources.has(r.source)) budget *= num(a['extra-weight'], 'extra-weight');
    const inClass = r.label === 1 ? s.pos : s.n - s.pos;
    // A source with one class only keeps its budget on that class.
    const share = s.pos === 0 || s.pos === s.n ? 1 : 0.5;
    return (budget * share) / inClass;
  });
}

log(`featurizing ${rows.length} rows from ${allSources.length} sources`);
const packedAll = pack(rows.map((r) => r.text), rows.map((r) => r.label), null, featCfg, lexicon, zhLexicon, rows.map((r) => r.task ?? 0));
log('featurized');
const idxTrain = rows.flatMap((r, i) => (r.split === 'train' ? [i] : []));
// Dev figures are frustration figures: irony rows are judged separately (the irony head's own AUC).
const idxDev = rows.flatMap((r, i) => (r.split === 'dev' && !isAux(r) ? [i] : []));
const idxDevIrony = rows.flatMap((r, i) => (r.split === 'dev' && isAux(r) ? [i] : []));
const devRows = idxDev.map((i) => rows[i] as Row);
const devPacked = subset(packedAll, idxDev);

/**
 * Trained models of `--compare`, keyed by what determines them (rows, config, weights): training is deterministic,
 * so a variant that differs only in how the table is exported (256 levels) reuses the shipped variant's trainings.
 */
const modelCache = new Map<string, FloatModel>();
function trainOn(idx: number[], tc: TrainConfig, quiet = false, weights: Record<string, number> = {}, cacheAs?: string): FloatModel {
  const key = cacheAs === undefined ? undefined : JSON.stringify([cacheAs, tc, weights]);
  const hit = key === undefined ? undefined : modelCache.get(key);
  if (hit) return hit;
  const tr = subset(packedAll, idx);
  tr.sampleWeights.set(weightsFor(idx.map((i) => rows[i] as Row), weights));
  // An MLP head does not average into one table: it trains once whatever --ensemble says.
  const members = tc.hidden > 0 ? 1 : ensemble;
  const m = averageModels(Array.from({ length: members }, (_, k) => trainModel(tr, featCfg.buckets, { ...tc, seed: tc.seed + k }, quiet || k > 0 ? undefined : log)));
  if (key !== undefined) modelCache.set(key, m);
  return m;
}
/** Logits of the model as it ships (collapsed or, with an MLP head, the k-d table; pruned, quantised). */
function shippedLogits(m: FloatModel, p: Packed, lv = levels, pm = pruneMin): Float64Array {
  return tableLogits(exportTable(m, { levels: lv, pruneMin: pm }), p);
}

interface DevFigures { aucEn: number; aucZh: number; bySource: Record<string, number> }
function devAucs(logits: ArrayLike<number>, dr: Row[]): DevFigures {
  const pick = (f: (r: Row) => boolean) => {
    const ix = dr.flatMap((r, i) => (f(r) ? [i] : []));
    return auc(ix.map((i) => logits[i] as number), ix.map((i) => (dr[i] as Row).label));
  };
  const bySource: Record<string, number> = {};
  for (const s of [...new Set(dr.map((r) => r.source))]) bySource[s] = round(pick((r) => r.source === s));
  return { aucEn: round(pick((r) => r.lang === 'en')), aucZh: round(pick((r) => r.lang === 'zh')), bySource };
}

/**
 * Leave-one-source-out: train without source S, score all of S; the best available proxy for unseen domains.
 * `source/group` leaves out one sub-domain instead (e.g. complaints_twitter/transport).
 */
function loso(tc: TrainConfig, only: string[], lv = levels, pm = pruneMin, weights: Record<string, number> = {}, cache = false): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of only) {
    const [src, group] = s.split('/');
    const match = (r: Row): boolean => r.source === src && (group === undefined || r.group === group);
    const idx = idxTrain.filter((i) => !match(rows[i] as Row));
    const held = rows.flatMap((r, i) => (match(r) ? [i] : []));
    if (held.length === 0) throw new Error(`LOSO: no rows for ${s}`);
    const m = trainOn(idx, tc, true, weights, cache ? `loso:${s}` : undefined);
    const lg = shippedLogits(m, subset(packedAll, held), lv, pm);
    out[s] = round(auc(lg, held.map((i) => (rows[i] as Row).label)));
    log(`  LOSO ${s}: AUC ${out[s]}`);
  }
  return out;
}
const losoDefault = OOD_SOURCES.filter((s) => allSources.includes(s));
const losoList = a['loso-sources'] ? a['loso-sources'].split(',') : losoDefault;
const meanOf = (o: Record<string, number>): number => round(Object.values(o).reduce((x, y) => x + y, 0) / Math.max(1, Object.keys(o).length));

/** v1, kept in models/archive/ (not shipped): scored on the same rows, so `--compare` shows v1 and v2 side by side. */
const V1_PATH = resolve(REPO_ROOT, 'models/archive/temper-frustration-v1.onnx');
async function v1Probs(texts: string[]): Promise<Float32Array | null> {
  if (!existsSync(V1_PATH)) return null;
  const m = await loadFrustrationModel(new Uint8Array(readFileSync(V1_PATH)), nodeOrt);
  const p = await m.scoreTexts(texts);
  await m.release();
  return p;
}

// Platt per language, each fitted on one half of that language's dev rows and judged on the other half.
const half = devRows.map((_, i) => ((i * 2654435761) >>> 0) % 2);
const labelsOf = (ix: number[]) => ix.map((i) => (devRows[i] as Row).label);
const LANGS = ['en', 'zh'] as const;
function fitLangPlatt(lg: ArrayLike<number>): { platt: LangPlatt; ece: Record<string, { raw: number; platt: number }>; reliability: Record<string, ReliabilityBin[]> } {
  const platt = {} as LangPlatt;
  const ece: Record<string, { raw: number; platt: number }> = {};
  const reliability: Record<string, ReliabilityBin[]> = {};
  for (const l of LANGS) {
    const fitIx = devRows.flatMap((r, i) => (r.lang === l && half[i] === 0 ? [i] : []));
    const chkIx = devRows.flatMap((r, i) => (r.lang === l && half[i] === 1 ? [i] : []));
    // Class-balanced per language: the dev mixes' base rates (en ≈ 19 % positive with the calm registers, zh ≈ 39 %)
    // are accidents of the data, so p means "odds against an even prior" in both languages and the dynamics'
    // probability floor/ceiling read the two languages alike.
    platt[l] = fitIx.length > 0 ? fitPlatt(fitIx.map((i) => lg[i] as number), labelsOf(fitIx), true) : { a: 1, b: 0 };
    const before = calibration(chkIx.map((i) => sigmoid(lg[i] as number)), labelsOf(chkIx), 10, true);
    const after = calibration(chkIx.map((i) => sigmoid(platt[l].a * (lg[i] as number) + platt[l].b)), labelsOf(chkIx), 10, true);
    ece[l] = { raw: round(before.ece), platt: round(after.ece) };
    reliability[l] = after.bins;
  }
  return { platt, ece, reliability };
}
/** The model file's metadata (`metadata_props`); `--compare` writes throwaway files with the same layout. */
function exportMeta(name: string, cols: number, p: LangPlatt, extra: { thresholds?: unknown; ece?: unknown; summary?: unknown; shift?: Record<'en' | 'zh', number> }, hidden = baseTc.hidden): Record<string, string> {
  const th = extra.thresholds as { en: { frustrated: number; highPrecision: number } } | undefined;
  return {
    'temper.model': JSON.stringify({ name, architecture: hidden > 0 ? `hashed n-gram bag (${cols}-d table, ${levels}-entry codebook per dimension) → ${hidden} ReLU units → logit → Platt per language → sigmoid` : `hashed n-gram bag (trained ${baseTc.dim}-d, collapsed to ${cols} column(s), ${levels}-entry codebook) → logit${cols === 2 ? ' + g·σ(irony logit)' : ''} → Platt per language → sigmoid`, inputs: { ids: 'int32 [N,L]', weights: 'float32 [N,L,1]', lang: 'float32 [N,1] Han share' }, outputs: { prob: 'calibrated p(frustrated) [N,1]', logit: 'raw logit [N,1]', ...(cols === 2 && hidden === 0 ? { irony: 'p(ironic) of the auxiliary head [N,1]' } : {}) } }),
    'temper.featurizer': JSON.stringify(featCfg),
    ...(lexicon ? { 'temper.lexicon': JSON.stringify(compactWordValues(lexicon)) } : {}),
    ...(zhLexicon ? { 'temper.lexicon.zh': JSON.stringify({ words: compactWordValues(zhLexicon.words), emotions: compactWordValues(zhLexicon.emotions), degree: compactWordValues(zhLexicon.degree) }) } : {}),
    'temper.labels': JSON.stringify(['not_frustrated', 'frustrated']),
    'temper.calibration': JSON.stringify({ method: 'platt', a: p.en.a, b: p.en.b, byLang: p, fittedOn: 'half of each language\'s dev rows, classes weighted equally', ...(extra.shift ? { supportChatShift: extra.shift, shiftChosenOn: 'calm lines of the support-chat dev split and, leaving one writer out, of each trained written split: the intercept b includes it' } : {}), ece: extra.ece }),
    'temper.thresholds': JSON.stringify(th ? { frustrated: th.en.frustrated, highPrecision: th.en.highPrecision, byLang: th } : { frustrated: 0.5, highPrecision: 0.5 }),
    'temper.training': JSON.stringify(extra.summary ?? {}),
  };
}

if (a.compare) {
  // Candidates differ in one thing at a time from the default, so each line isolates one choice. The columns
  // that matter are the LOSO ones (domains the model did not see); dev AUC is in-domain.
  const allVariants: { name: string; tc: TrainConfig; note: string; levels?: number; pruneMin?: number; weights?: Record<string, number> }[] = [
    { name: 'shipped', tc: baseTc, note: `dim ${baseTc.dim}, linear head + irony head, ${levels} levels` },
    { name: 'no-irony-head', tc: { ...baseTc, auxWeight: 0 }, note: 'irony rows ignored' },
    { name: 'hashed-LR', tc: { ...baseTc, dim: 1, auxWeight: 0 }, note: 'dim 1, linear (plain hashed logistic regression)' },
    { name: '256-levels', tc: baseTc, note: '256-entry codebook (8-bit values; same trainings as shipped)', levels: 256 },
    // A nonlinearity on the pooled bag: it does not collapse, so it would ship the 4-d table (131,072 × 4 codes,
    // ≈ 4× the shipped table's brotli bytes), each dimension with its own 16-entry codebook.
    { name: 'mlp-4x16', tc: { ...baseTc, dim: 4, hidden: 16, auxWeight: 0 }, note: 'dim 4, 16 ReLU units, no irony head' },
    // The labelled emotion sets' budget (shipped ×3 since v2.5): one step down (v2.2–v2.4's ×2) and one up, ×4.
    ...[2, 4].map((x) => ({ name: `emotion-sets-x${x}`, tc: baseTc, note: `GoEmotions, TweetEval emotion, CLUE, SMP2020, NLPCC at budget ×${x} (shipped: ×3)`, weights: Object.fromEntries(EMOTION_SETS.map((s) => [s, x])) })),
    // The written support-chat splits (TRAINED_SPLITS) left out: what they cost transfer and buy in support chat.
    { name: 'no-written-splits', tc: baseTc, note: `${TRAINED_SPLITS.join(', ')} at budget 0 (shipped: ×${WRITTEN_SPLIT_WEIGHT})`, weights: Object.fromEntries(WRITTEN_SOURCES.map((w) => [w.name, 0])) },
  ];
  const wanted = a.variants ? a.variants.split(',') : allVariants.map((v) => v.name);
  for (const w of wanted) if (!allVariants.some((v) => v.name === w)) throw new Error(`--variants: unknown variant ${w}`);
  const variants = allVariants.filter((v) => wanted.includes(v.name));
  const summaryRows: Record<string, Record<string, number>> = {};
  const chat: Record<string, SupportChatReport> = {};
  for (const v of variants) {
    const t = Date.now();
    const m = trainOn(idxTrain, v.tc, true, v.weights, 'all');
    const lg = shippedLogits(m, devPacked, v.levels, v.pruneMin);
    const d = devAucs(lg, devRows);
    const o = loso(v.tc, losoList, v.levels, v.pruneMin, v.weights, true);
    console.log(`COMPARE ${v.name} (${v.note}): dev AUC en ${d.aucEn} zh ${d.aucZh} | LOSO ${JSON.stringify(o)} mean ${meanOf(o)} | ${((Date.now() - t) / 1000).toFixed(0)}s`);
    summaryRows[v.name] = { devEn: d.aucEn, devZh: d.aucZh, ...o, losoMean: meanOf(o) };
    {
      // The support-chat dev set's `dev` split (never its held-out part) through the real dynamics.
      const tmp = join(tmpdir(), `temper-compare-${process.pid}-${v.name}.onnx`);
      const tt = exportTable(m, { levels: v.levels ?? levels, pruneMin: v.pruneMin ?? pruneMin });
      const { platt: vp } = fitLangPlatt(lg);
      writeFileSync(tmp, buildOnnx(tt, vp, exportMeta(v.name, tt.cols, vp, {}, v.tc.hidden)));
      chat[v.name] = await evalSupportChat(tmp, 'dev');
      rmSync(tmp);
    }
  }
  // v1 never saw any of the 2026-12 sources, so its AUC on all their rows is comparable with v2's LOSO column.
  const v1 = await v1Probs(rows.map((r) => r.text));
  if (v1) {
    const o: Record<string, number> = {};
    for (const s of losoList) {
      const ix = rows.flatMap((r, i) => (r.source === s.split('/')[0] ? [i] : []));
      o[s] = round(auc(ix.map((i) => v1[i] as number), ix.map((i) => (rows[i] as Row).label)));
    }
    const d = devAucs(idxDev.map((i) => v1[i] as number), devRows);
    summaryRows['v1 (shipped file)'] = { devEn: d.aucEn, devZh: d.aucZh, ...o, losoMean: meanOf(o) };
    chat.v1 = await evalSupportChat(V1_PATH, 'dev');
  }
  console.table(summaryRows);
  console.log('support-chat dev set, dev split (targets met per language; the held-out split is for `npm run eval` only):');
  console.table(Object.fromEntries(Object.entries(chat).map(([k, r]) => [k, Object.fromEntries((['en', 'zh'] as const).flatMap((l) => [
    [`${l} met`, CATEGORIES.filter((c) => r.byLang[l].categories[c].pass).length + '/' + CATEGORIES.length],
    [`${l} neutral ≥1`, r.byLang[l].categories['neutral-request'].msgAtLeast1],
    [`${l} sarcasm ≥1`, r.byLang[l].categories.sarcasm.convAtLeast1],
    [`${l} demand ≥2`, r.byLang[l].categories['demand-ultimatum'].convAtLeast2],
  ]))])));
  if (chat.v1 && chat.shipped) printComparison(chat.v1, chat.shipped);
  printTargets();
  process.exit(0);
}

/** The targets, printed so each run shows where the model stands (h-devset's `npm run eval` has them too). */
function printTargets(): void {
  console.log('TARGETS: support-chat dev set (npm run eval): neutral requests at level ≥ 1 ≤ 3% per language; frustrated/angry reach ≥ 2 in ≥ 90%;');
  console.log('         disappointment, resignation, sarcasm reach ≥ 1 in ≥ 80%. Sealed held-out text: en AUC ≥ 0.89 (aim 0.92), zh ≥ 0.92 (aim 0.95);');
  console.log('         the LOSO columns above are this script\'s stand-in for it. Model ≤ 400 KB brotli; ≤ 0.3 ms median per message.');
}

// ---- the shipped model
log(`training ${JSON.stringify(baseTc)} on ${idxTrain.length} rows (dev ${idxDev.length})`);
const floatModel = trainOn(idxTrain, baseTc);
const table = exportTable(floatModel, { levels, pruneMin });
log(`table: ${table.kept} of ${table.buckets} buckets kept, ${table.cols} column(s), irony gate g ${table.g.toFixed(4)}`);
const floatDev = devAucs(predictLogits(floatModel, devPacked), devRows);
const devLogits = tableLogits(table, devPacked);
const quantDev = devAucs(devLogits, devRows);
log(`dev AUC float en ${floatDev.aucEn} zh ${floatDev.aucZh}; shipped table en ${quantDev.aucEn} zh ${quantDev.aucZh}`);

// Size steps: each is measured on the same trained model (dev AUC; brotli of the table alone).
const brotli = (b: Uint8Array): number => brotliCompressSync(b, { params: { [zc.BROTLI_PARAM_QUALITY]: 11 } }).length;
const sizeSteps: { step: string; rawBytes: number; brotliBytes: number; devEn: number; devZh: number }[] = [];
{
  const { dim, buckets, emb } = floatModel;
  const q = new Int8Array(emb.length);
  const sc = new Float32Array(dim);
  for (let i = 0; i < emb.length; i++) sc[i % dim] = Math.max(sc[i % dim] as number, Math.abs(emb[i] as number) / 127);
  for (let i = 0; i < emb.length; i++) q[i] = Math.round((emb[i] as number) / ((sc[i % dim] as number) || 1));
  const qb = new Uint8Array(q.buffer);
  sizeSteps.push({ step: `v1 layout: int8 ${buckets}×${dim} embedding (per-dim scale)`, rawBytes: qb.length, brotliBytes: brotli(qb), devEn: floatDev.aucEn, devZh: floatDev.aucZh });
  const fl = exportTable(floatModel, { levels: 0, pruneMin: 0 });
  const flb = new Uint8Array(fl.values.buffer);
  const d0 = devAucs(tableLogits(fl, devPacked), devRows);
  sizeSteps.push({ step: fl.mlp ? `${buckets}×${fl.cols} float32 table (MLP head: not collapsible)` : `collapsed to ${buckets}×${fl.cols} float32 (exact)`, rawBytes: flb.length, brotliBytes: brotli(flb), devEn: d0.aucEn, devZh: d0.aucZh });
  const steps: [string, number, number][] = [['never-seen buckets zeroed', 0, 1], ['+ 256-entry codebook (uint8 codes)', 256, 1], ['+ 16-entry codebook (4-bit values)', 16, 1], ['256 levels, buckets seen in < 3 rows zeroed', 256, 3]];
  for (const [name, lv, pm] of steps) {
    const t = exportTable(floatModel, { levels: lv, pruneMin: pm });
    const bytes = lv > 0 ? t.codes : new Uint8Array(t.values.buffer);
    const d = devAucs(tableLogits(t, devPacked), devRows);
    sizeSteps.push({ step: name, rawBytes: bytes.length, brotliBytes: brotli(bytes), devEn: d.aucEn, devZh: d.aucZh });
  }
  console.log('SIZE STEPS (table only; dev AUC en / zh):');
  console.table(sizeSteps);
}

const { platt: publicPlatt, ece, reliability } = fitLangPlatt(devLogits);
for (const l of LANGS) {
  log(`Platt ${l} (class-balanced): a ${publicPlatt[l].a.toFixed(4)} b ${publicPlatt[l].b.toFixed(4)}; balanced ECE on the held half ${ece[l]?.raw} → ${ece[l]?.platt}`);
  console.log(`reliability ${l} (Platt, held half): ` + (reliability[l] ?? []).map((b) => `[${b.lo.toFixed(1)},${b.hi.toFixed(1)}) n=${b.n} p̄=${b.meanP.toFixed(3)} pos=${b.fracPos.toFixed(3)}`).join(' | '));
}

/**
 * The support-chat shift: the Platt fit above is on the public sets' dev rows (tweets, reviews, Weibo), not on a
 * shop's chat, and there the English side comes out too cautious (upset support messages at p ≈ 0.6–0.8, under the
 * dynamics' ceiling). Per language, δ is added to the Platt intercept; a monotone shift, so AUC is unchanged and only
 * where the dynamics' probability floor falls moves. `--no-support-shift` keeps δ = 0.
 *
 * δ is judged on calm lines the model scoring them was not trained on (v2.9). Up to v2.8 it was chosen on the
 * support-chat dev split alone, whose calm side is 170 lines made from one builder's templates: v2.8's +0.55 put 6–8 %
 * of new writers' neutral Chinese questions at level 1 (models/MODEL_CARD.md). Now, per trained written split, a model
 * trained without that writer's rows (both languages) and calibrated the same way scores that writer's lines
 * (`lowoSets`: leave one writer out), so every writer's lines are scored as a new writer's would be. The shift is the
 * largest δ on a 0.05 grid in [0, 1] at which those pooled lines reach level ≥ 1 as a first message in at most
 * `SHIFT_CAP[c]` of each calm category: 2 % for neutral requests (the issue's target is 3 %, and a new writer's share
 * has ranged ±2 points around the pool's), 3 % for thanks (its own target, `CATEGORY_TARGET`). Up to v2.11 thanks had
 * neutral's 2 % too, and in English it was thanks, not neutral, that bound: δ −0.2, where neutral requests were at
 * 0.4 % and English upset lines reached their level in 80 % of chats (models/MODEL_CARD.md, "The support-chat shift").
 * Thanks opening a chat is rare in a shop's chat; after a fix the dynamics bring the level down (pinned by the dynamics
 * tests). A language that is over its caps at δ = 0 is walked down instead, to the first δ < 0 (down to −1) at which it
 * is not. The dev split's figures are printed beside them; it decides only in a run without written splits.
 */
const SHIFT_CAP = { 'neutral-request': 0.02, 'thanks-relief': 0.03 } as const;
/** One writer's lines for the shift: the rows, their logits under a model that never saw them, its Platt fit. */
interface CalmSet { name: string; rows: { text: string; category: Category }[]; z: Float64Array; han: Float32Array; platt: LangPlatt }
function calmSetOf(name: string, rs: { text: string; label: number; category: Category }[], t: typeof table, p: LangPlatt): CalmSet {
  const pk = pack(rs.map((r) => r.text), rs.map((r) => r.label), null, featCfg, lexicon, zhLexicon);
  return { name, rows: rs, z: tableLogits(t, pk), han: pk.zh, platt: p };
}
/** Leave one writer out: per trained written split, a model without its rows scores its lines (both languages). */
function lowoSets(): Record<'en' | 'zh', CalmSet[]> {
  const out: Record<'en' | 'zh', CalmSet[]> = { en: [], zh: [] };
  for (const split of TRAINED_SPLITS) {
    const mine = new Set(WRITTEN_SOURCES.filter((w) => w.split === split).map((w) => w.name));
    if (![...mine].some((s) => allSources.includes(s))) continue;
    const m = trainOn(idxTrain.filter((i) => !mine.has((rows[i] as Row).source)), baseTc, true);
    const t = exportTable(m, { levels, pruneMin });
    const { platt: p } = fitLangPlatt(tableLogits(t, devPacked));
    for (const l of LANGS) out[l].push(calmSetOf(`writer ${split}`, loadSupportChat(l, split), t, p));
    log(`  shift pool: ${split} left out, its lines scored (en ${out.en.at(-1)?.rows.length}, zh ${out.zh.at(-1)?.rows.length})`);
  }
  return out;
}
type ShiftGridRow = { delta: number; neutral: number; thanks: number; neutralChats: number; worstWriterNeutral: number; devSplitNeutral: number | null; upsetReached: number };
type ShiftPool = { writers: Record<string, number>; grid: ShiftGridRow[] };
async function supportChatShift(t: typeof table, base: LangPlatt): Promise<{ shift: Record<'en' | 'zh', number>; edge: Record<'en' | 'zh', number | null>; pool: Record<'en' | 'zh', ShiftPool> | null }> {
  const shift = { en: 0, zh: 0 };
  const edges: Record<'en' | 'zh', number | null> = { en: null, zh: null };
  if (a['no-support-shift']) return { shift, edge: edges, pool: null };
  const dyn = await loadDynamics();
  const cfg = dyn.resolveDynamicsConfig();
  const lowo = lowoSets();
  const pool = {} as Record<'en' | 'zh', ShiftPool>;
  const calm = ['neutral-request', 'thanks-relief'] as const;
  for (const l of LANGS) {
    const devRowsL = loadSupportChat(l, 'dev');
    const devSet = devRowsL.length ? calmSetOf('dev split', devRowsL, t, base) : null;
    // A run without the written splits (e.g. `--sources none --extra …`) falls back to the dev split, never trained on.
    const sets = lowo[l].length ? lowo[l] : devSet ? [devSet] : [];
    if (sets.length === 0) continue;
    if (!lowo[l].length) log(`support-chat shift, ${l}: no trained written split in this run; the dev split's lines decide`);
    const scoredAt = (s: CalmSet, d: number) => {
      const p = shiftPlatt(s.platt, { ...shift, [l]: d });
      return s.rows.map((r, i) => ({ text: r.text, category: r.category, p: plattProb(p, s.z[i] as number, s.han[i] as number) }));
    };
    // The walk and the printed grid ask for the same δ more than once: figures per δ, computed once.
    const cache = new Map<number, ReturnType<typeof categoryFigures>>();
    const pooled = (d: number) => {
      if (!cache.has(d)) cache.set(d, categoryFigures(dyn, cfg, sets.flatMap((s) => scoredAt(s, d))));
      return cache.get(d) as ReturnType<typeof categoryFigures>;
    };
    const ok = (d: number) => calm.every((c) => pooled(d)[c].msgAtLeast1 <= SHIFT_CAP[c] + 1e-9);
    // Calm at δ = 0: walk up to the last δ that stays calm. Not calm at δ = 0: walk down to the first δ that is.
    let edge: number | null = null;
    if (ok(0)) for (let k = 0; k <= 20 && ok(round(k * 0.05)); k++) edge = round(k * 0.05);
    else for (let k = 1; k <= 20 && edge === null; k++) if (ok(round(-k * 0.05))) edge = round(-k * 0.05);
    edges[l] = edge;
    shift[l] = edge ?? -1;
    const upset = CATEGORIES.filter((c) => CATEGORY_TARGET[c].min !== undefined);
    const grid: ShiftGridRow[] = [];
    // Every 0.1 from −0.6 to 0.8 (the fine grid above is 0.05).
    for (let k = -12; k <= 16; k += 2) {
      const d = round(k * 0.05), f = pooled(d);
      const worst = Math.max(...sets.map((s) => categoryFigures(dyn, cfg, scoredAt(s, d))['neutral-request'].msgAtLeast1));
      const dv = devSet ? categoryFigures(dyn, cfg, scoredAt(devSet, d))['neutral-request'].msgAtLeast1 : null;
      // Upset lines reaching their category's target level (≥ 1, or ≥ 2 for anger and demands) in three-message chats.
      const reached = upset.reduce((x, c) => x + (CATEGORY_TARGET[c].min === 2 ? f[c].convAtLeast2 : f[c].convAtLeast1) * f[c].n, 0) / upset.reduce((x, c) => x + f[c].n, 0);
      grid.push({ delta: d, neutral: f['neutral-request'].msgAtLeast1, thanks: f['thanks-relief'].msgAtLeast1, neutralChats: f['neutral-request'].convAtLeast1, worstWriterNeutral: worst, devSplitNeutral: dv, upsetReached: round(reached) });
    }
    pool[l] = { writers: Object.fromEntries(sets.map((s) => [s.name, s.rows.length])), grid };
    console.log(`support-chat shift, ${l}: each writer's lines scored by a model trained without them ${JSON.stringify(pool[l].writers)}; level ≥ 1 as a first message (neutral, thanks), neutral 3-message chats at level ≥ 1, the worst writer's neutral, the dev split's neutral, and upset lines reaching their target level, by δ:`);
    console.table(grid);
  }
  return { shift, edge: edges, pool };
}
const { shift: supportShift, edge: supportShiftEdge, pool: supportShiftPool } = await supportChatShift(table, publicPlatt);
const platt = shiftPlatt(publicPlatt, supportShift);
const signed = (x: number) => (x >= 0 ? `+${x}` : String(x));
log(`support-chat shift (leave one writer out, level ≥ 1 as a first message: neutral ≤ ${SHIFT_CAP['neutral-request'] * 100} %, thanks ≤ ${SHIFT_CAP['thanks-relief'] * 100} %): Platt intercept en ${signed(supportShift.en)}, zh ${signed(supportShift.zh)}${supportShiftEdge.en === null || supportShiftEdge.zh === null ? ' (a language with no δ in [−1, 1] that meets the cap gets −1)' : ''}`);
// The graph interpolates by Han share; the trainer computes exactly that.
const calP = Array.from(devLogits, (z, i) => plattProb(platt, z, devPacked.zh[i] as number));

const thresholds = {} as Record<'en' | 'zh', { frustrated: number; highPrecision: number }>;
for (const l of LANGS) {
  const ix = devRows.flatMap((r, i) => (r.lang === l ? [i] : []));
  const sc = ix.map((i) => calP[i] as number), y = labelsOf(ix);
  thresholds[l] = ix.length ? { frustrated: bestThreshold([{ scores: sc, labels: y }]), highPrecision: thresholdForPrecision(sc, y, 0.8) } : { frustrated: 0.5, highPrecision: 0.8 };
}
log(`thresholds (best F1 per language on dev; precision ≥ 0.8): ${JSON.stringify(thresholds)}`);
const thrOf = (r: Row): number => thresholds[r.lang].frustrated;

const devTable: Record<string, Record<string, number>> = {};
const addRow = (name: string, f: (r: Row) => boolean) => {
  const ix = devRows.flatMap((r, i) => (f(r) ? [i] : []));
  if (ix.length === 0) return;
  const y = labelsOf(ix);
  let tp = 0, fp = 0, fn = 0;
  for (const i of ix) {
    const hit = (calP[i] as number) >= thrOf(devRows[i] as Row);
    const pos = (devRows[i] as Row).label === 1;
    if (hit && pos) tp++; else if (hit) fp++; else if (pos) fn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : NaN, recall = tp + fn ? tp / (tp + fn) : NaN;
  devTable[name] = { n: ix.length, pos: y.filter((v) => v === 1).length, auc: round(auc(ix.map((i) => calP[i] as number), y)), f1: round(precision + recall ? (2 * precision * recall) / (precision + recall) : NaN), precision: round(precision), recall: round(recall), flagged: round((tp + fp) / ix.length) };
};
for (const l of LANGS) addRow(`lang:${l}`, (r) => r.lang === l);
for (const s of allSources) addRow(s, (r) => r.source === s);
console.log('DEV (shipped model, calibrated per language, per-language thresholds)');
console.table(devTable);
let ironyAuc: number | null = null;
if (table.cols === 2 && !table.mlp && idxDevIrony.length > 0) {
  // The irony head's own AUC on the irony set's dev rows (a check that the auxiliary task learned something).
  const ip = subset(packedAll, idxDevIrony);
  const zi = Array.from({ length: ip.n }, (_, r) => {
    let v = 0;
    for (let f = ip.offsets[r] as number; f < (ip.offsets[r + 1] as number); f++) v += (ip.weights[f] as number) * (table.values[(ip.ids[f] as number) * 2 + 1] as number);
    return v;
  });
  ironyAuc = round(auc(zi, Array.from(ip.labels)));
  log(`irony head: dev AUC on tweeteval_irony ${ironyAuc}; frustration logit += ${table.g.toFixed(3)} · σ(irony logit)`);
}

// Disappointment (quiet, resigned) vs anger/annoyance (loud) on GoEmotions dev.
const calmIx = devRows.flatMap((r, i) => (r.source === 'goemotions' && r.label === 0 ? [i] : []));
const recallOn = (f: (tags: string[]) => boolean) => {
  const ix = devRows.flatMap((r, i) => (r.source === 'goemotions' && f(r.tags ?? []) ? [i] : []));
  const hit = ix.filter((i) => (calP[i] as number) >= thresholds.en.frustrated).length;
  const both = [...ix, ...calmIx];
  const aucVsCalm = auc(both.map((i) => calP[i] as number), both.map((_, k) => (k < ix.length ? 1 : 0)));
  return { n: ix.length, recall: round(ix.length ? hit / ix.length : NaN), aucVsCalm: round(aucVsCalm) };
};
const emotionRecall = {
  disappointment: recallOn((t) => t.includes('disappointment')),
  disappointmentOnly: recallOn((t) => t.includes('disappointment') && !t.includes('anger') && !t.includes('annoyance')),
  angerOrAnnoyance: recallOn((t) => t.includes('anger') || t.includes('annoyance')),
  anger: recallOn((t) => t.includes('anger')),
  sadness: recallOn((t) => t.includes('sadness')),
};
if (emotionRecall.disappointment.n > 0) console.log('GoEmotions dev recall at the en threshold: ' + JSON.stringify(emotionRecall));

const losoFigures = a['skip-loso'] ? null : loso(baseTc, losoList);
if (losoFigures) console.log(`LOSO AUC (trained without the source, scored on all its rows): ${JSON.stringify(losoFigures)} mean ${meanOf(losoFigures)}`);

const sourcesSummary = allSources.map((s) => {
  const info = infoOf(s);
  const rs = rows.filter((r) => r.source === s);
  return {
    name: s,
    lang: rs[0]?.lang,
    licence: info?.licence ?? 'host-provided',
    permissive: info?.permissive ?? null,
    role: info?.aux ? 'irony head (auxiliary)' : info?.calmOnly ? 'calm register (label 0)' : info?.lexicon ? 'lexicon pseudo-rows' : s.startsWith('seed_') ? 'support-chat seeds (written)' : 'frustration proxy',
    budget: round((sourceWeight.get(s) ?? 1) * (info?.lexicon ? num(a['lexicon-weight'], 'lexicon-weight') : 1)),
    trainRows: rs.filter((r) => r.split === 'train').length,
    devRows: rs.filter((r) => r.split === 'dev').length,
    positives: rs.filter((r) => r.label === 1).length,
  };
});
const summary = {
  trainedAt: 'see git history',
  seed: baseTc.seed,
  train: baseTc,
  ensemble,
  goEmotionsLabels: goLabels,
  balance,
  permissiveOnly,
  sources: sourcesSummary,
  lexicons: [
    { name: 'vader_lexicon + afinn_lexicon', licence: 'MIT + Apache-2.0', entries: lexicon?.size ?? 0 },
    ...(zhLexicon ? ZH_LEXICON_SOURCES.map((l) => ({ ...l, entries: l.name === 'dlut_emotion_ontology' ? zhLexicon?.emotions.size : undefined })) : []),
  ],
  table: { buckets: table.buckets, kept: table.kept, cols: table.cols, levels, pruneMin, ironyGate: round(table.g), ironyDevAuc: ironyAuc },
  dev: devTable,
  devAucFloat: { en: floatDev.aucEn, zh: floatDev.aucZh },
  ece,
  emotionRecall,
  loso: losoFigures,
  losoMean: losoFigures ? meanOf(losoFigures) : null,
  sizeSteps,
};

if (!a['no-export']) {
  const name = a.out.split('/').pop()?.replace(/\.onnx$/, '') ?? 'model';
  const meta = exportMeta(name, table.cols, platt, { thresholds, ece, summary, shift: supportShift });
  const bytes = buildOnnx(table, platt, meta);
  const out = resolve(REPO_ROOT, a.out);
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, bytes);
  const br = brotli(bytes);
  const metaBr = Object.fromEntries(Object.entries(meta).map(([k, v]) => [k, brotli(new TextEncoder().encode(v))]));
  log(`wrote ${a.out}: ${bytes.length} bytes raw, ${br} bytes brotli (metadata brotli per key: ${JSON.stringify(metaBr)})`);

  // Parity: onnxruntime-web on the exported file vs the trainer's own float64 forward pass, 1,000 dev texts.
  const step = Math.max(1, Math.floor(devRows.length / 1000));
  const pick = devRows.map((_, i) => i).filter((i) => i % step === 0).slice(0, 1000);
  const parity = await onnxParity(bytes, pick.map((i) => (devRows[i] as Row).text), pick.map((i) => calP[i] as number));
  log(`parity onnxruntime-web vs trainer on ${pick.length} texts: max abs diff ${parity.toExponential(3)}`);
  const speed = await timeScoring(bytes, pick.map((i) => (devRows[i] as Row).text));
  log(speed ? `per-message featurize+run (Node, onnxruntime-web wasm, 1 thread): median ${speed.median.toFixed(4)} ms, p95 ${speed.p95.toFixed(4)} ms` : 'per-message timing skipped: no dev texts');
  writeFileSync(out.replace(/\.onnx$/, '.report.json'), JSON.stringify({ ...summary, modelBytes: bytes.length, brotliBytes: br, metadataBrotliBytes: metaBr, parityMaxAbsDiff: parity, msPerMessage: speed, platt, publicPlatt, supportShift, supportShiftEdge, supportShiftPool, thresholds, reliability }, null, 1) + '\n');
  if (parity > 1e-5) {
    console.error('parity check failed (> 1e-5)');
    process.exit(1);
  }
}
printTargets();
log('done');
