// The committed model file: loads through the public API, carries the featurizer it was trained with, fits the
// size budget, and ranks plain cases sensibly (a smoke test of the artifact, not an accuracy claim).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { nodeOrt } from '../../../scripts/lib/ort-check.ts';
import { DEFAULT_FEATURIZER_CONFIG, loadFrustrationModel } from '../src/index.ts';

const bytes = new Uint8Array(readFileSync(new URL('../../../models/temper-frustration-v2.onnx', import.meta.url)));

test('shipped model: size budget, metadata, featurizer config', async () => {
  // A loose guard against shipping a v1-sized table by mistake; the real figure (brotli) is printed by `npm run size`.
  assert.ok(bytes.length <= 1_000_000, `${bytes.length} bytes > 1 MB`);
  const model = await loadFrustrationModel(bytes, nodeOrt);
  assert.equal(model.meta.name, 'temper-frustration-v2');
  assert.deepEqual(model.meta.featurizer, DEFAULT_FEATURIZER_CONFIG);
  assert.deepEqual(model.meta.labels, ['not_frustrated', 'frustrated']);
  const t = model.meta.thresholds;
  assert.ok(t.frustrated > 0 && t.frustrated <= t.highPrecision && t.highPrecision <= 1, 't.frustrated > 0 && t.frustrated <= t.highPrecision && t.highPrecision <= 1');
  for (const lang of ['en', 'zh'] as const) {
    const l = t.byLang?.[lang];
    assert.ok(l && l.frustrated > 0 && l.frustrated <= l.highPrecision, `per-language thresholds for ${lang}`);
    assert.ok(model.meta.calibration.byLang?.[lang], `per-language calibration for ${lang}`);
  }
  assert.equal(model.thresholdFor('我的订单到哪了'), t.byLang?.zh.frustrated);
  assert.equal(model.thresholdFor('Where is my order?'), t.byLang?.en.frustrated);
  assert.ok(model.meta.zhLexicon && model.meta.zhLexicon.words.size > 1000, 'the Chinese lexicon travels in the file');
  const sources = (model.meta.training.sources as { name: string; licence: string }[]).map((s) => s.name);
  assert.ok(sources.includes('goemotions') && sources.includes('crosswoz_user_turns'), 'sources.includes(\'goemotions\') && sources.includes(\'crosswoz_user_turns\')');
  await model.release();
});

test('shipped model: frustrated messages outrank calm ones in both languages', async () => {
  const model = await loadFrustrationModel(bytes, nodeOrt);
  const pairs: [string, string][] = [
    ['This is the third time I am asking. Where is my refund???', 'Thanks, that fixed it!'],
    ['I give up. Nothing you suggested works.', 'Could you tell me your opening hours?'],
    ['等了两个小时还没送到，太差了！', '谢谢，问题解决了，很满意'],
    ['客服根本不回复，什么破服务', '请问怎么修改收货地址？'],
  ];
  for (const [bad, good] of pairs) {
    const [pb, pg] = await model.scoreTexts([bad, good]);
    assert.ok((pb as number) > (pg as number), `${bad} (${pb}) vs ${good} (${pg})`);
    assert.ok((pb as number) >= 0 && (pb as number) <= 1, '(pb as number) >= 0 && (pb as number) <= 1');
  }
  await model.release();
});
