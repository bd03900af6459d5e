// Prints the support-chat figures of one model as the Markdown tables models/devsets/README.md carries, so the
// README's numbers are pasted from a run, never typed.
//   node --import tsx scripts/devset/readme-figures.ts [model.onnx] [--split heldout|dev|all]
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { REPO_ROOT } from '../lib/data.ts';
import { evalSupportChat } from '../lib/eval-support-chat.ts';
import { CATEGORIES } from '../lib/support-chat-devset.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { split: { type: 'string', default: 'heldout' } } });
const r = await evalSupportChat(join(REPO_ROOT, positionals[0] ?? 'models/temper-frustration-v1.onnx'), values.split as 'heldout');
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
for (const lang of ['en', 'zh'] as const) {
  const L = r.byLang[lang];
  console.log(`\n**${lang}** (${r.split}, n ${L.n}, AUC ${L.auc})\n`);
  console.log('| category | n | p median | msg ≥1 | conv ≥1 | conv ≥2 | AUC vs neutral | target | met |\n|---|---|---|---|---|---|---|---|---|');
  for (const c of CATEGORIES) {
    const f = L.categories[c];
    console.log(`| ${c} | ${f.n} | ${f.pMedian} | ${pct(f.msgAtLeast1)} | ${pct(f.convAtLeast1)} | ${pct(f.convAtLeast2)} | ${f.aucVsNeutral ?? ''} | ${f.target} | ${f.pass ? 'yes' : '**no**'} |`);
  }
}
