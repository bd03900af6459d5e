// The support-chat dev set (models/devsets/support-chat.{en,zh}.jsonl): row type, loader, and the target each
// category is judged by (issue 9, "Targets"). Built by scripts/devset/build-support-chat.ts; see
// models/devsets/README.md for how it was written.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './data.ts';
import { CATEGORY_LABEL, type Category, type Topic } from './support-categories.ts';

export { CATEGORIES, CATEGORY_LABEL, type Category, type Topic } from './support-categories.ts';

export const DEVSET_DIR = join(REPO_ROOT, 'models/devsets');

/** `heldout` must never be used for training or tuning; `dev` may tune thresholds and calibration, never train. */
export type DevSplit = 'dev' | 'heldout';

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

/**
 * Reads the committed dev set. `split` filters (default: both). Throws with the line number on a bad row.
 *
 * @example
 * ```ts
 * const tuning = loadSupportChat('zh', 'dev'); // thresholds/calibration only
 * const judged = loadSupportChat('zh', 'heldout'); // report only
 * ```
 */
export function loadSupportChat(lang: 'en' | 'zh', split?: DevSplit): DevRow[] {
  const path = devsetPath(lang);
  if (!existsSync(path)) throw new Error(`support-chat dev set missing: ${path} (run scripts/devset/build-support-chat.ts)`);
  const rows: DevRow[] = [];
  readFileSync(path, 'utf8').split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const r = JSON.parse(line) as DevRow;
    if (typeof r.text !== 'string' || !(r.category in CATEGORY_LABEL) || r.label !== CATEGORY_LABEL[r.category] || (r.split !== 'dev' && r.split !== 'heldout') || r.lang !== lang) {
      throw new Error(`${path}:${i + 1}: bad row ${line.slice(0, 120)}`);
    }
    if (!split || r.split === split) rows.push(r);
  });
  return rows;
}
