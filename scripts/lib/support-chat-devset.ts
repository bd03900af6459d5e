// The support-chat dev set (models/devsets/support-chat.{en,zh}.jsonl): row type, loader, and the target each
// category is judged by (issue 9, "Targets"). Built by scripts/devset/build-support-chat.ts; see
// models/devsets/README.md for how it was written.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATEGORY_LABEL, type Category, type Topic } from './support-categories.ts';

export { CATEGORIES, CATEGORY_LABEL, type Category, type Topic } from './support-categories.ts';

// Resolved here, not imported from data.ts: data.ts reads the trained written splits through this module.
export const DEVSET_DIR = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'models/devsets');

/**
 * `dev` may tune thresholds and calibration; `heldout` was kept from tuning until v2.3 and has been a selection set
 * since; neither is ever trained on (models/devsets/README.md). The written splits (`WrittenSplit`) are in their own
 * files and loaded only when asked for by name.
 */
export type DevSplit = 'dev' | 'heldout' | WrittenSplit;
/**
 * The written splits, each in its own file (support-chat-NAME.{en,zh}.jsonl), in the order they were written, each by
 * someone who had seen none of the other lines, the seeds or any model output. Who wrote which and in what registers:
 * models/devsets/README.md, "Written splits" (one section per split).
 */
export const WRITTEN_SPLITS = ['fresh', 'blind2', 'blind3', 'blind4', 'blind5', 'blind6', 'blind7', 'blind8', 'blind9', 'blind10', 'blind12', 'blind11', 'blind14', 'blind13', 'blind16', 'blind15', 'blind17', 'blind18'] as const;
export type WrittenSplit = (typeof WRITTEN_SPLITS)[number];
/**
 * The written splits that are training rows (sources `support_chat_fresh_en` … in scripts/lib/data.ts): a writer's
 * own phrasing is what the seeds cannot give, and the later splits are the test of it. v2.6 trained on the two
 * oldest; v2.7 on the five written before `blind6`; v2.9 on the seven written before `blind8`; v2.10 on the nine written
 * before `blind10`; v2.11 and v2.12 on the twelve written before `blind14`. Never report a model on them.
 */
export const TRAINED_SPLITS: readonly WrittenSplit[] = ['fresh', 'blind2', 'blind3', 'blind4', 'blind5', 'blind6', 'blind7', 'blind8', 'blind9', 'blind10', 'blind12', 'blind11'];
/** The written splits no model is trained on: report only, scored once per shipped candidate. */
export const BLIND_SPLITS: readonly WrittenSplit[] = WRITTEN_SPLITS.filter((s) => !TRAINED_SPLITS.includes(s));
/** Every `--split` the support-chat reports take: a part, `all` (= dev + heldout), or a blind split by name. */
export const REPORT_SPLITS: readonly (DevSplit | 'all')[] = ['heldout', 'dev', 'all', ...BLIND_SPLITS];

export interface DevRow {
  text: string;
  /** 1 = upset (the model's positive class), 0 = neutral request or thanks. */
  label: 0 | 1;
  lang: 'en' | 'zh';
  category: Category;
  /** Sub-topic of a neutral request (orders, returns, refunds, …). */
  topic?: Topic;
  split: DevSplit;
}

/**
 * What each category must reach (issue 9 targets). `max`: the level must stay below it (calm stays calm);
 * `min`: the level the conversation must reach; `share`: in at least this share of conversations.
 */
export const CATEGORY_TARGET: Readonly<Record<Category, { readonly min?: 1 | 2; readonly max?: 1; readonly share: number }>> = {
  'neutral-request': { max: 1, share: 0.97 },
  'thanks-relief': { max: 1, share: 0.97 },
  'mild-complaint': { min: 1, share: 0.8 },
  disappointment: { min: 1, share: 0.8 },
  resignation: { min: 1, share: 0.8 },
  sarcasm: { min: 1, share: 0.8 },
  anger: { min: 2, share: 0.9 },
  'demand-ultimatum': { min: 2, share: 0.9 },
};

export function devsetPath(lang: 'en' | 'zh'): string {
  return join(DEVSET_DIR, `support-chat.${lang}.jsonl`);
}

/** A written split's file, kept apart so the dev set's builder never touches it. */
export function writtenSplitPath(lang: 'en' | 'zh', split: WrittenSplit): string {
  return join(DEVSET_DIR, `support-chat-${split}.${lang}.jsonl`);
}

/**
 * Reads the committed dev set. `split` filters (default: dev and heldout; a blind split is read from its own file,
 * only when asked for). Throws with the file and line number on a bad row.
 *
 * @example
 * ```ts
 * const tuning = loadSupportChat('zh', 'dev'); // thresholds/calibration only
 * const judged = loadSupportChat('zh', 'heldout'); // report only
 * const blind = loadSupportChat('zh', 'blind4'); // report only, written blind
 * ```
 */
export function loadSupportChat(lang: 'en' | 'zh', split?: DevSplit): DevRow[] {
  if (split && (WRITTEN_SPLITS as readonly string[]).includes(split)) {
    const b = split as WrittenSplit;
    return readRows(writtenSplitPath(lang, b), lang, [b], `the ${b} split (models/devsets/README.md, "Written splits")`);
  }
  const rows = readRows(devsetPath(lang), lang, ['dev', 'heldout'], 'run scripts/devset/build-support-chat.ts');
  return split ? rows.filter((r) => r.split === split) : rows;
}

function readRows(path: string, lang: 'en' | 'zh', splits: readonly DevSplit[], hint: string): DevRow[] {
  if (!existsSync(path)) throw new Error(`support-chat dev set missing: ${path} (${hint})`);
  const rows: DevRow[] = [];
  readFileSync(path, 'utf8').split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let r: DevRow;
    try {
      r = JSON.parse(line) as DevRow;
    } catch (e) {
      throw new Error(`${path}:${i + 1}: not JSON (${(e as Error).message}): ${line.slice(0, 120)}`);
    }
    if (typeof r !== 'object' || r === null || typeof r.text !== 'string' || !(r.category in CATEGORY_LABEL) || r.label !== CATEGORY_LABEL[r.category] || !splits.includes(r.split) || r.lang !== lang) {
      throw new Error(`${path}:${i + 1}: bad row ${line.slice(0, 120)}`);
    }
    rows.push(r);
  });
  return rows;
}
