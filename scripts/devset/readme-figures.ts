// Prints the support-chat figures as the Markdown tables models/devsets/README.md carries, so the README's
// numbers are pasted from a run, never typed. One model: its table; two: side by side (old → new).
//   node --import tsx scripts/devset/readme-figures.ts model.onnx [new.onnx] [--split heldout|dev|all|<one of BLIND_SPLITS>]
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../lib/data.ts';
import { evalSupportChat, type CategoryFigures } from '../lib/eval-support-chat.ts';
import { CATEGORIES, REPORT_SPLITS, type DevSplit } from '../lib/support-chat-devset.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { split: { type: 'string', default: 'heldout' } } });
const split = values.split as DevSplit | 'all';
if (positionals.length < 1 || positionals.length > 2 || !REPORT_SPLITS.includes(split)) {
  console.error(`usage: node --import tsx scripts/devset/readme-figures.ts model.onnx [new.onnx] [--split ${REPORT_SPLITS.join('|')}]`);
  process.exit(2);
}
const reports = [];
for (const p of positionals) reports.push(await evalSupportChat(join(REPO_ROOT, p), split));
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
// One cell: the value of each report, joined by an arrow.
const cell = (f: (c: CategoryFigures) => string, lang: 'en' | 'zh', c: (typeof CATEGORIES)[number]) => reports.map((r) => f(r.byLang[lang].categories[c])).join(' → ');
for (const lang of ['en', 'zh'] as const) {
  console.log(`\n**${lang}** (${values.split}, n ${reports[0]!.byLang[lang].n}, AUC ${reports.map((r) => r.byLang[lang].auc).join(' → ')})\n`);
  console.log('| category | n | p median | msg ≥1 | conv ≥1 | conv ≥2 | AUC vs neutral | target | met |\n|---|---|---|---|---|---|---|---|---|');
  for (const c of CATEGORIES) {
    const f0 = reports[0]!.byLang[lang].categories[c];
    const row = [
      c,
      String(f0.n),
      cell((f) => String(f.pMedian), lang, c),
      cell((f) => pct(f.msgAtLeast1), lang, c),
      cell((f) => pct(f.convAtLeast1), lang, c),
      cell((f) => pct(f.convAtLeast2), lang, c),
      f0.aucVsNeutral === null ? '' : cell((f) => String(f.aucVsNeutral), lang, c),
      f0.target,
      cell((f) => (f.pass ? 'yes' : '**no**'), lang, c),
    ];
    console.log(`| ${row.join(' | ')} |`);
  }
}
