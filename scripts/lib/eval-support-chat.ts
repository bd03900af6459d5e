// The support-chat report of `npm run eval`: per language and per category of models/devsets, what a visitor of
// a shop's chat would get from the model through the scorer's real dynamics. See models/devsets/README.md,
// "How it is scored", for the exact definitions; they are restated next to each field below.
import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { DynamicsConfig } from '../../packages/scorer/src/dynamics.ts';
import { loadFrustrationModel } from '../../packages/scorer/src/model.ts';
import { REPO_ROOT } from './data.ts';
import { auc, round } from './metrics.ts';
import { nodeOrt } from './ort-check.ts';
import { CATEGORIES, CATEGORY_TARGET, REPORT_SPLITS, TRAINED_SPLITS, loadSupportChat, type Category, type DevRow, type DevSplit } from './support-chat-devset.ts';

/** Visitor messages per scripted conversation: "a furious demand reaches frustrated within two messages";
 * "disappointment or resignation over two or three messages reaches at least uneasy" (issue 9, Dynamics). */
export const CONVERSATION_LENGTH: Readonly<Record<Category, number>> = {
  'neutral-request': 3,
  'thanks-relief': 3,
  'mild-complaint': 3,
  disappointment: 3,
  resignation: 3,
  sarcasm: 3,
  anger: 2,
  'demand-ultimatum': 2,
};

// Pace of the scripted chats: a message every 20 s, the bot answers (understood) 3 s later, so no wait cue and
// no bot-failure cue fire; what moves the level is the model (plus the text cues: !!, CAPS, repeats, asks).
const GAP_MS = 20_000;
const REPLY_MS = 3_000;

export interface CategoryFigures {
  n: number;
  /** Median p(frustrated) of the messages. */
  pMedian: number;
  /** Share of messages that, as the first message of a chat, put it at level ≥ 1 ("scored uneasy or worse"). */
  msgAtLeast1: number;
  /** Share of scripted chats (this message + the next ones of the same category) whose level reaches ≥ 1 / ≥ 2. */
  convAtLeast1: number;
  convAtLeast2: number;
  /** AUC of this category's messages against the neutral requests of the same language and split (upset only). */
  aucVsNeutral: number | null;
  /** The target for this category, and whether it is met (see CATEGORY_TARGET). */
  target: string;
  pass: boolean;
}

export interface SupportChatReport {
  model: string;
  file: string;
  split: DevSplit | 'all';
  byLang: Record<'en' | 'zh', { n: number; auc: number; categories: Record<Category, CategoryFigures> }>;
}

// = DYNAMICS_METADATA_KEY of packages/scorer/src/core.ts, which cannot be imported here without a build (it pulls
// @temper/protocol's dist at run time).
const DYNAMICS_METADATA_KEY = 'temper.dynamics';

export type DynamicsModule = typeof import('../../packages/scorer/src/dynamics.ts');

// The dynamics import @temper/protocol (asksForHuman) from its build, so load them only after saying so clearly.
export async function loadDynamics(): Promise<DynamicsModule> {
  if (!existsSync(resolve(REPO_ROOT, 'packages/protocol/dist/index.js'))) {
    throw new Error('eval: packages/protocol/dist is missing; run `npm run build` first (the scorer\'s dynamics use @temper/protocol)');
  }
  return import('../../packages/scorer/src/dynamics.ts');
}

function dynamicsOf(dyn: DynamicsModule, raw: Readonly<Record<string, string>>): DynamicsConfig {
  const s = raw[DYNAMICS_METADATA_KEY];
  return dyn.resolveDynamicsConfig(s === undefined ? undefined : (JSON.parse(s) as Record<string, unknown>));
}

/** Max level of a scripted chat of visitor messages with their probabilities. */
function maxLevel(dyn: DynamicsModule, cfg: DynamicsConfig, msgs: readonly { text: string; p: number }[]): number {
  const d = dyn.createDynamics(cfg);
  let t = 0;
  let max = 0;
  for (const m of msgs) {
    t += GAP_MS;
    max = Math.max(max, d.visitor(m.text, m.p, t).level);
    d.reply(true, t + REPLY_MS);
  }
  return max;
}

function targetOf(c: Category, f: Omit<CategoryFigures, 'target' | 'pass'>): { target: string; pass: boolean } {
  const t = CATEGORY_TARGET[c];
  const pct = `${Math.round(t.share * 100)} %`;
  if (t.max !== undefined) return { target: `msg ≥1 ≤ ${Math.round((1 - t.share) * 100)} %`, pass: f.msgAtLeast1 <= 1 - t.share + 1e-9 };
  if (t.min === 2) return { target: `conv ≥2 ≥ ${pct}`, pass: f.convAtLeast2 >= t.share - 1e-9 };
  return { target: `conv ≥1 ≥ ${pct}`, pass: f.convAtLeast1 >= t.share - 1e-9 };
}

/**
 * The per-category figures of one language's scored rows through the dynamics `cfg` (what `npm run eval` prints
 * for each language). Used by the trainer too, to choose the support-chat calibration shift on the dev split.
 *
 * @example
 * ```ts
 * const dyn = await loadDynamics();
 * const f = categoryFigures(dyn, dyn.resolveDynamicsConfig(), rows.map((r, i) => ({ ...r, p: ps[i] })));
 * ```
 */
export function categoryFigures(dyn: DynamicsModule, cfg: DynamicsConfig, scored: readonly { text: string; p: number; category: Category }[]): Record<Category, CategoryFigures> {
  const neutral = scored.filter((r) => r.category === 'neutral-request').map((r) => r.p);
  const categories = {} as Record<Category, CategoryFigures>;
  for (const c of CATEGORIES) {
    const xs = scored.filter((r) => r.category === c);
    const n = xs.length;
    const k = CONVERSATION_LENGTH[c];
    // The i-th chat starts at message i and continues with messages a third of the category further on, so
    // its messages come from different source lines rather than from variants of one line.
    const stride = Math.max(1, Math.floor(n / k));
    const convLevels = xs.map((_, i) => maxLevel(dyn, cfg, Array.from({ length: k }, (_, j) => xs[(i + j * stride) % n] as { text: string; p: number })));
    const firstLevels = xs.map((x) => maxLevel(dyn, cfg, [x]));
    const share = (ls: number[], l: number) => (n ? ls.filter((x) => x >= l).length / n : 0);
    const sorted = xs.map((x) => x.p).sort((a, b) => a - b);
    const base = {
      n,
      pMedian: round(sorted[Math.floor(n / 2)] ?? 0),
      msgAtLeast1: round(share(firstLevels, 1)),
      convAtLeast1: round(share(convLevels, 1)),
      convAtLeast2: round(share(convLevels, 2)),
      aucVsNeutral: CATEGORY_TARGET[c].min !== undefined ? round(auc([...xs.map((x) => x.p), ...neutral], [...xs.map(() => 1), ...neutral.map(() => 0)])) : null,
    };
    categories[c] = { ...base, ...targetOf(c, base) };
  }
  return categories;
}

/**
 * Scores the support-chat dev set with one model file and returns the per-language, per-category figures.
 *
 * @example
 * ```ts
 * const r = await evalSupportChat('models/temper-frustration-v1.onnx', 'heldout');
 * console.log(r.byLang.zh.categories['neutral-request'].msgAtLeast1);
 * ```
 */
export async function evalSupportChat(modelPath: string, split: DevSplit | 'all' = 'heldout'): Promise<SupportChatReport> {
  const dyn = await loadDynamics();
  const model = await loadFrustrationModel(new Uint8Array(readFileSync(modelPath)), nodeOrt);
  const cfg = dynamicsOf(dyn, model.meta.raw);
  const byLang = {} as SupportChatReport['byLang'];
  for (const lang of ['en', 'zh'] as const) {
    const rows: DevRow[] = loadSupportChat(lang, split === 'all' ? undefined : split);
    const ps = await model.scoreTexts(rows.map((r) => r.text));
    const scored = rows.map((r, i) => ({ ...r, p: ps[i] as number }));
    const categories = categoryFigures(dyn, cfg, scored);
    byLang[lang] = { n: scored.length, auc: round(auc(scored.map((r) => r.p), scored.map((r) => r.label))), categories };
  }
  await model.release();
  return { model: model.meta.name, file: basename(modelPath), split, byLang };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/** Prints one report as a table per language. */
export function printSupportChat(r: SupportChatReport): void {
  console.log(`support-chat dev set (${r.split}), model ${r.model} (${r.file})`);
  for (const lang of ['en', 'zh'] as const) {
    const L = r.byLang[lang];
    console.log(`${lang}: n ${L.n}, AUC ${L.auc}`);
    console.table(Object.fromEntries(CATEGORIES.map((c) => {
      const f = L.categories[c];
      return [c, { n: f.n, 'p median': f.pMedian, 'msg ≥1': pct(f.msgAtLeast1), 'conv ≥1': pct(f.convAtLeast1), 'conv ≥2': pct(f.convAtLeast2), 'AUC vs neutral': f.aucVsNeutral ?? '', target: f.target, met: f.pass ? 'yes' : 'NO' }];
    })));
  }
}

/** Prints two reports side by side: per language, per category, the target metric and AUC of each. */
export function printComparison(a: SupportChatReport, b: SupportChatReport): void {
  console.log(`support-chat dev set (${a.split}): ${a.model} (${a.file}) → ${b.model} (${b.file})`);
  for (const lang of ['en', 'zh'] as const) {
    const A = a.byLang[lang], B = b.byLang[lang];
    console.log(`${lang}: AUC ${A.auc} → ${B.auc}`);
    console.table(Object.fromEntries(CATEGORIES.map((c) => {
      const x = A.categories[c], y = B.categories[c];
      return [c, {
        n: x.n,
        'msg ≥1': `${pct(x.msgAtLeast1)} → ${pct(y.msgAtLeast1)}`,
        'conv ≥1': `${pct(x.convAtLeast1)} → ${pct(y.convAtLeast1)}`,
        'conv ≥2': `${pct(x.convAtLeast2)} → ${pct(y.convAtLeast2)}`,
        'AUC vs neutral': x.aucVsNeutral === null ? '' : `${x.aucVsNeutral} → ${y.aucVsNeutral}`,
        target: x.target,
        met: `${x.pass ? 'yes' : 'no'} → ${y.pass ? 'yes' : 'no'}`,
      }];
    })));
  }
}

/**
 * The support-chat part of `npm run eval`. Returns true when it did everything asked (no data files given, or
 * `--compare`), false when the caller should go on with the files it was given.
 *
 * @example
 * ```ts
 * if (await supportChatCli({ model: 'models/temper-frustration-v1.onnx', 'support-chat': false, compare: false, split: 'heldout', positionals: [] })) process.exit(0);
 * ```
 */
export async function supportChatCli(o: { model: string; 'support-chat': boolean; compare: boolean; split: string; positionals: readonly string[] }): Promise<boolean> {
  const split = o.split as DevSplit | 'all';
  if (!REPORT_SPLITS.includes(split)) {
    // A trained written split would only report how well a model remembers its own rows.
    const why = (TRAINED_SPLITS as readonly string[]).includes(o.split) ? `: ${o.split} is a training split (TRAINED_SPLITS), so a model trained at this commit cannot be judged on it` : '';
    console.error(`eval: --split must be one of ${REPORT_SPLITS.join(', ')} (got ${o.split}${why})`);
    process.exit(2);
  }
  const path = (p: string) => {
    const abs = resolve(REPO_ROOT, p);
    if (!existsSync(abs)) {
      console.error(`eval: model not found: ${abs}`);
      process.exit(2);
    }
    return abs;
  };
  if (o.compare) {
    if (o.positionals.length !== 2) {
      console.error(`usage: npm run eval -- --compare old.onnx new.onnx [--split ${REPORT_SPLITS.join('|')}]`);
      process.exit(2);
    }
    const [a, b] = [await evalSupportChat(path(o.positionals[0] as string), split), await evalSupportChat(path(o.positionals[1] as string), split)];
    printComparison(a, b);
    console.log(JSON.stringify({ supportChat: [a, b] }));
    return true;
  }
  if (o.positionals.length > 0 && !o['support-chat']) return false;
  const r = await evalSupportChat(path(o.model), split);
  printSupportChat(r);
  if (o.positionals.length === 0) console.log(JSON.stringify({ supportChat: r }));
  return o.positionals.length === 0;
}
