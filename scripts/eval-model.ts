// Scores JSON Lines {text, label (1 = frustrated), lang} with the shipped ONNX model through onnxruntime-web and
// prints per-language AUC / F1 / precision / recall at the model's own threshold, ms per message, and lexicon
// baselines on the English rows. The LAST line is one JSON object (machine-readable summary).
// With no file (or with --support-chat) it reports the support-chat dev set (models/devsets) per language and
// category; --compare prints two models side by side on it.
//   npm run eval                                              support-chat dev set, held-out part, shipped model
//   npm run eval -- file.jsonl [more.jsonl] [--model models/temper-frustration-v2.onnx] [--support-chat]
//   npm run eval -- --compare old.onnx new.onnx [--split heldout|dev|all|<blind split>]
//   (all = dev + heldout; a blind split is one of BLIND_SPLITS in scripts/lib/support-chat-devset.ts, read from
//   models/devsets/support-chat-NAME.*.jsonl; the TRAINED_SPLITS are training rows and are refused. A wrong --split
//   prints the current list.)
import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Sentiment from 'sentiment';
import vader from 'vader-sentiment';
import wink from 'wink-sentiment';
import { loadFrustrationModel } from '../packages/scorer/src/model.ts';
import { REPO_ROOT } from './lib/data.ts';
import { supportChatCli } from './lib/eval-support-chat.ts';
import { auc, median, prf, round } from './lib/metrics.ts';
import { nodeOrt } from './lib/ort-check.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    model: { type: 'string', default: 'models/temper-frustration-v2.onnx' },
    'support-chat': { type: 'boolean', default: false },
    compare: { type: 'boolean', default: false },
    split: { type: 'string', default: 'heldout' },
  },
});
if (await supportChatCli({ ...values, positionals })) process.exit(0);
const modelPath = resolve(REPO_ROOT, values.model);
for (const f of [modelPath, ...positionals]) {
  if (!existsSync(f)) {
    console.error(`eval: file not found: ${f}`);
    process.exit(2);
  }
}

interface EvalRow { text: string; label: 0 | 1; lang: string }
const rows: EvalRow[] = [];
let badRows = 0;
for (const f of positionals) {
  for (const line of readFileSync(f, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      badRows++;
      continue;
    }
    const r = o as Record<string, unknown> | null;
    const label = r?.label === 1 || r?.label === true ? 1 : r?.label === 0 || r?.label === false ? 0 : null;
    if (!r || typeof r !== 'object' || typeof r.text !== 'string' || !r.text.trim() || label === null) {
      badRows++;
      continue;
    }
    // A missing language is inferred from the script rather than dropping the row.
    const lang = typeof r.lang === 'string' && r.lang ? r.lang : /\p{Script=Han}/u.test(r.text) ? 'zh' : 'en';
    rows.push({ text: r.text, label, lang });
  }
}

const bytes = new Uint8Array(readFileSync(modelPath));
const model = await loadFrustrationModel(bytes, nodeOrt);
const threshold = model.meta.thresholds.frustrated;
// Warm-up so the first wasm calls are not counted.
for (const r of rows.slice(0, 20)) await model.scoreText(r.text);
const probs = new Float32Array(rows.length);
const times: number[] = [];
for (let i = 0; i < rows.length; i++) {
  const t = performance.now();
  probs[i] = await model.scoreText((rows[i] as EvalRow).text);
  times.push(performance.now() - t);
}
await model.release();

const byLang: Record<string, { n: number; auc: number; f1: number; precision: number; recall: number }> = {};
for (const lang of [...new Set(rows.map((r) => r.lang))].sort()) {
  const ix = rows.flatMap((r, i) => (r.lang === lang ? [i] : []));
  const s = ix.map((i) => probs[i] as number), y = ix.map((i) => (rows[i] as EvalRow).label);
  const m = prf(s, y, threshold);
  byLang[lang] = { n: ix.length, auc: round(auc(s, y)), f1: round(m.f1), precision: round(m.precision), recall: round(m.recall) };
}

// Lexicon baselines: higher frustration = more negative sentiment, so AUC is taken on the negated score.
const en = rows.filter((r) => r.lang === 'en');
const analyzer = new Sentiment();
const baselines: Record<string, number> = {};
if (en.length > 0) {
  const y = en.map((r) => r.label);
  baselines.sentiment = round(auc(en.map((r) => -analyzer.analyze(r.text).comparative), y));
  baselines['vader-sentiment'] = round(auc(en.map((r) => -vader.SentimentIntensityAnalyzer.polarity_scores(r.text).compound), y));
  baselines['wink-sentiment'] = round(auc(en.map((r) => -wink(r.text).normalizedScore), y));
}

const msMedian = median(times);
const msMean = times.reduce((a, b) => a + b, 0) / Math.max(1, times.length);
console.log(`model ${basename(modelPath)} (${bytes.length} bytes), threshold ${threshold}, rows ${rows.length}, bad rows ${badRows}`);
console.table(Object.fromEntries(Object.entries(byLang).map(([l, v]) => [l, v])));
if (en.length > 0) {
  console.log('English rows, AUC side by side:');
  console.table({ [model.meta.name]: { auc: byLang.en?.auc }, ...Object.fromEntries(Object.entries(baselines).map(([k, v]) => [`lexicon: ${k}`, { auc: v }])) });
}
console.log(`ms per message (featurize + run, one at a time): median ${msMedian.toFixed(4)}, mean ${msMean.toFixed(4)}`);
console.log(JSON.stringify({ model: model.meta.name, modelBytes: bytes.length, byLang, msPerMessage: round(msMedian, 4), badRows, lexiconAucEn: baselines }));
