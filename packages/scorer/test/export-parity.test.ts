// Trains a tiny model on synthetic data made here, exports it, and checks onnxruntime-web (wasm, in Node) gives
// the trainer's own probabilities: the same path `npm run train` takes, small enough to run in a second.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildOnnx, plattProb } from '../../../scripts/lib/onnx-export.ts';
import { auc } from '../../../scripts/lib/metrics.ts';
import { nodeOrt } from '../../../scripts/lib/ort-check.ts';
import { averageModels, exportTable, mulberry32, pack, predictLogits, tableLogits, trainModel } from '../../../scripts/lib/trainer.ts';
import { DEFAULT_FEATURIZER_CONFIG, loadFrustrationModel, parseModelMeta, readOnnxMetadata, zhShare } from '../src/index.ts';

const cfg = { ...DEFAULT_FEATURIZER_CONFIG, buckets: 1 << 11 };
const lexicon = new Map([['terrible', -0.75], ['useless', -0.5], ['great', 0.8]]);
const zhLexicon = { words: new Map([['太差', -0.8], ['很好', 0.6], ['失望', -0.6]]), emotions: new Map([['失望', 'NJ']]), degree: new Map([['非常', 1.5]]) };
const rnd = mulberry32(7);
const pickOne = (xs: string[]) => xs[Math.floor(rnd() * xs.length)] as string;
const calm = ['thanks', 'great', 'perfect', 'ok', 'lovely', '谢谢', '很好'];
const angry = ['useless', 'terrible', 'still waiting', 'worst', 'ridiculous', '太差', '垃圾', '非常失望'];
const filler = ['my order', 'the app', 'delivery', 'support', 'refund', '订单', '客服', 'today', 'again'];
function synth(n: number): { texts: string[]; labels: number[] } {
  const texts: string[] = [], labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = rnd() < 0.5 ? 1 : 0;
    texts.push(`${pickOne(filler)} ${pickOne(y ? angry : calm)} ${pickOne(filler)}${y && rnd() < 0.5 ? '!!!' : ''}`);
    labels.push(y);
  }
  return { texts, labels };
}

const platt = { en: { a: 1.1, b: -0.2 }, zh: { a: 0.8, b: 0.3 } };
const meta = (p = platt) => ({
  'temper.model': JSON.stringify({ name: 'synthetic' }),
  'temper.featurizer': JSON.stringify(cfg),
  // Both stored forms of a word list: v1's { word: value } and v2's compact { value: "word word" }.
  'temper.lexicon': JSON.stringify({ terrible: -0.75, '-0.5': 'useless', '0.8': 'great' }),
  'temper.lexicon.zh': JSON.stringify({ words: { '-0.8': '太差', '0.6': '很好', '-0.6': '失望' }, emotions: { NJ: '失望' }, degree: { '1.5': '非常' } }),
  'temper.labels': JSON.stringify(['not_frustrated', 'frustrated']),
  'temper.calibration': JSON.stringify({ method: 'platt', a: p.en.a, b: p.en.b, byLang: p }),
  'temper.thresholds': JSON.stringify({ frustrated: 0.5, highPrecision: 0.8, byLang: { en: { frustrated: 0.5, highPrecision: 0.8 }, zh: { frustrated: 0.4, highPrecision: 0.7 } } }),
  'temper.training': JSON.stringify({ sources: [{ name: 'synthetic', rows: 1500 }], note: 'ünïcödé 中文 ✓' }),
});

for (const [irony, hidden] of [[true, 0], [false, 0], [false, 6]] as const) {
  test(`train → ${hidden ? `${8}-d codebook table + ${hidden}-unit ReLU head` : 'collapsed codebook table'} → ONNX → onnxruntime-web parity (irony head ${irony ? 'on' : 'off'})`, async () => {
    const train = synth(1500), check = synth(1000);
    // Irony rows (task 1): a synthetic "ironic" marker word, trained into the second column only.
    const ironyTexts = Array.from({ length: 300 }, (_, i) => `${pickOne(filler)} ${i % 2 ? 'yeah right' : 'indeed'}`);
    const texts = irony ? [...train.texts, ...ironyTexts] : train.texts;
    const labels = irony ? [...train.labels, ...ironyTexts.map((_, i) => i % 2)] : train.labels;
    const tasks = texts.map((_, i) => (i >= train.texts.length ? 1 : 0));
    const tr = pack(texts, labels, null, cfg, lexicon, zhLexicon, tasks);
    const m = trainModel(tr, cfg.buckets, { dim: 8, hidden, epochs: 3, lr: 0.1, l2: 1e-6, featureDropout: 0.1, seed: 1, auxWeight: irony ? 1 : 0 });
    const table = exportTable(m, { levels: 16, pruneMin: 1 });
    assert.equal(table.cols, hidden ? 8 : irony ? 2 : 1);
    assert.equal(table.mlp?.hidden, hidden || undefined);
    const ck = pack(check.texts, check.labels, null, cfg, lexicon, zhLexicon);
    const logits = tableLogits(table, ck);
    assert.ok(auc(logits, check.labels) > 0.95, 'the tiny model learns the synthetic rule');
    const bytes = buildOnnx(table, platt, meta());

    const raw = readOnnxMetadata(bytes);
    assert.equal(JSON.parse(raw['temper.training'] as string).note, 'ünïcödé 中文 ✓');
    const parsed = parseModelMeta(bytes);
    assert.deepEqual(parsed.featurizer, cfg);
    assert.deepEqual(parsed.lexicon, lexicon);
    assert.deepEqual(parsed.zhLexicon, zhLexicon);
    assert.deepEqual(parsed.calibration.byLang, platt);

    const model = await loadFrustrationModel(bytes, nodeOrt);
    const got = await model.scoreTexts(check.texts);
    let maxDiff = 0;
    for (let i = 0; i < check.texts.length; i++) {
      const zh = zhShare(check.texts[i] as string);
      maxDiff = Math.max(maxDiff, Math.abs((got[i] as number) - plattProb(platt, logits[i] as number, zh)));
    }
    assert.ok(maxDiff <= 1e-5, `max abs diff ${maxDiff}`);
    assert.ok(Math.abs((await model.scoreText(check.texts[3] as string)) - (got[3] as number)) < 1e-6, 'single = batched');
    assert.equal(model.thresholdFor('太差了'), 0.4);
    assert.equal(model.thresholdFor('so slow'), 0.5);
    await model.release();
  });
}

test('--ensemble: averageModels gives one collapsed table whose logit is the mean of the members\' logits, and it exports like any model', async () => {
  const train = synth(1200), check = synth(400);
  const tr = pack(train.texts, train.labels, null, cfg, lexicon, zhLexicon);
  const tc = { dim: 4, hidden: 0, epochs: 2, lr: 0.1, l2: 1e-6, featureDropout: 0.1, seed: 3 };
  const members = [3, 4, 5].map((seed) => trainModel(tr, cfg.buckets, { ...tc, seed }));
  const avg = averageModels(members);
  assert.equal(avg.dim, 12, 'embeddings side by side');
  const ck = pack(check.texts, check.labels, null, cfg, lexicon, zhLexicon);
  const each = members.map((m) => predictLogits(m, ck));
  const mean = Array.from({ length: ck.n }, (_, i) => each.reduce((x, l) => x + (l[i] as number), 0) / each.length);
  const got = predictLogits(avg, ck);
  const table = tableLogits(exportTable(avg, { levels: 0, pruneMin: 0 }), ck);
  let maxDiff = 0;
  for (let i = 0; i < ck.n; i++) maxDiff = Math.max(maxDiff, Math.abs((got[i] as number) - (mean[i] as number)), Math.abs((table[i] as number) - (mean[i] as number)));
  assert.ok(maxDiff < 1e-4, `mean of members vs averaged model: max abs diff ${maxDiff}`);
  assert.ok(members.some((m, k) => k > 0 && Math.abs((predictLogits(m, ck)[0] as number) - (each[0]?.[0] as number)) > 1e-6), 'the members differ (different seeds)');
  const q = exportTable(avg, { levels: 16, pruneMin: 1 });
  assert.equal(q.cols, 1);
  const model = await loadFrustrationModel(buildOnnx(q, platt, meta()), nodeOrt);
  const p = await model.scoreTexts(check.texts);
  assert.ok(auc(Array.from(p), check.labels) > 0.95, 'the exported ensemble scores like its members');
  await model.release();
  assert.throws(() => averageModels([]), /no models/);
  assert.throws(() => averageModels([trainModel(tr, cfg.buckets, { ...tc, hidden: 3 })]), /linear heads/);
});

test('metadata reader rejects truncated bytes and models without Temper metadata', async () => {
  const m = trainModel(pack(['a', 'b'], [0, 1], null, cfg, lexicon, zhLexicon), cfg.buckets, { dim: 2, hidden: 0, epochs: 1, lr: 0.1, l2: 0, featureDropout: 0, seed: 1 });
  const table = exportTable(m, { levels: 16, pruneMin: 1 });
  const bytes = buildOnnx(table, platt, meta());
  assert.throws(() => readOnnxMetadata(bytes.subarray(0, bytes.length - 3)), /truncated/);
  const bare = buildOnnx(table, platt, {});
  assert.deepEqual(readOnnxMetadata(bare), {});
  await assert.rejects(loadFrustrationModel(bare, nodeOrt), /missing temper\.model/);
});
