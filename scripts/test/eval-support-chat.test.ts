import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { REPO_ROOT } from '../lib/data.ts';
import { evalSupportChat } from '../lib/eval-support-chat.ts';
import { CATEGORIES, REPORT_SPLITS, TRAINED_SPLITS, loadSupportChat } from '../lib/support-chat-devset.ts';

test('support-chat eval: every row of the split scored once, per category, figures consistent with each other', async () => {
  const shipped = readdirSync(join(REPO_ROOT, 'models')).filter((f) => f.endsWith('.onnx')).sort().at(-1);
  assert.ok(shipped, 'a model in models/');
  const r = await evalSupportChat(join(REPO_ROOT, 'models', shipped), 'heldout');
  for (const lang of ['en', 'zh'] as const) {
    const rows = loadSupportChat(lang, 'heldout');
    assert.equal(r.byLang[lang].n, rows.length);
    for (const c of CATEGORIES) {
      const f = r.byLang[lang].categories[c];
      assert.equal(f.n, rows.filter((x) => x.category === c).length, `${lang} ${c}`);
      // A chat that starts with a message is at least as high as that message alone; ≥ 2 implies ≥ 1.
      assert.ok(f.msgAtLeast1 <= f.convAtLeast1 && f.convAtLeast2 <= f.convAtLeast1, `${lang} ${c}: ${JSON.stringify(f)}`);
      assert.ok(r.byLang[lang].auc > 0.5 && r.byLang[lang].auc <= 1, 'r.byLang[lang].auc > 0.5 && r.byLang[lang].auc <= 1');
      assert.equal(f.aucVsNeutral === null, c === 'neutral-request' || c === 'thanks-relief');
    }
  }
});

test('npm run eval: a trained written split is refused with the reason, an unknown one with the list, exit 2', () => {
  const run = (split: string) => spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts/eval-model.ts'), '--split', split], { cwd: REPO_ROOT, encoding: 'utf8' });
  const trained = TRAINED_SPLITS.at(-1) as string;
  const a = run(trained);
  assert.equal(a.status, 2, a.stderr);
  assert.match(a.stderr, new RegExp(`--split must be one of ${REPORT_SPLITS.join(', ')} \\(got ${trained}: ${trained} is a training split`));
  const b = run('blind99');
  assert.equal(b.status, 2, b.stderr);
  assert.match(b.stderr, /--split must be one of .* \(got blind99\)$/m);
});
