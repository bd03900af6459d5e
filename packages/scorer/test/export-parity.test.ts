// Trains a tiny model on synthetic data made here, exports it, and checks onnxruntime-web (wasm, in Node) gives
// the trainer's own probabilities: the same path `npm run train` takes, small enough to run in a second.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildOnnx } from '../../../scripts/lib/onnx-export.ts';
import { auc, fitPlatt, sigmoid } from '../../../scripts/lib/metrics.ts';
import { nodeOrt } from '../../../scripts/lib/ort-check.ts';
import { dequantized, mulberry32, pack, predictLogits, quantizeEmbedding, trainModel } from '../../../scripts/lib/trainer.ts';
import { DEFAULT_FEATURIZER_CONFIG, loadFrustrationModel, parseModelMeta, readOnnxMetadata } from '../src/index.ts';

const cfg = { ...DEFAULT_FEATURIZER_CONFIG, buckets: 1 << 11 };
const lexicon = new Map([['terrible', -0.75], ['useless', -0.5], ['great', 0.8]]);
const rnd = mulberry32(7);
const pickOne = (xs: string[]) => xs[Math.floor(rnd() * xs.length)] as string;
const calm = ['thanks', 'great', 'perfect', 'ok', 'lovely', '谢谢', '很好'];
const angry = ['useless', 'terrible', 'still waiting', 'worst', 'ridiculous', '太差', '垃圾'];
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

const meta = (a: number, b: number) => ({
  'temper.model': JSON.stringify({ name: 'synthetic' }),
  'temper.featurizer': JSON.stringify(cfg),
  'temper.lexicon': JSON.stringify(Object.fromEntries(lexicon)),
  'temper.labels': JSON.stringify(['not_frustrated', 'frustrated']),
  'temper.calibration': JSON.stringify({ method: 'platt', a, b }),
  'temper.thresholds': JSON.stringify({ frustrated: 0.5, highPrecision: 0.8 }),
  'temper.training': JSON.stringify({ sources: [{ name: 'synthetic', rows: 1500 }], note: 'ünïcödé 中文 ✓' }),
});

for (const hidden of [8, 0]) {
  test(`train → int8 → ONNX → onnxruntime-web parity (hidden ${hidden})`, async () => {
    const train = synth(1500), check = synth(1000);
    const tr = pack(train.texts, train.labels, null, cfg, lexicon);
    const m = trainModel(tr, cfg.buckets, { dim: 8, hidden, epochs: 3, lr: 0.1, l2: 1e-6, featureDropout: 0.1, seed: 1 });
    const qe = quantizeEmbedding(m);
    const dq = dequantized(m, qe);
    const ck = pack(check.texts, check.labels, null, cfg, lexicon);
    const logits = predictLogits(dq, ck);
    assert.ok(auc(logits, check.labels) > 0.95, 'the tiny model learns the synthetic rule');
    const platt = fitPlatt(logits, check.labels);
    const bytes = buildOnnx(dq, qe, platt, meta(platt.a, platt.b));

    const raw = readOnnxMetadata(bytes);
    assert.equal(JSON.parse(raw['temper.training'] as string).note, 'ünïcödé 中文 ✓');
    const parsed = parseModelMeta(bytes);
    assert.deepEqual(parsed.featurizer, cfg);
    assert.deepEqual(parsed.lexicon, lexicon);
    assert.deepEqual(parsed.calibration, { method: 'platt', a: platt.a, b: platt.b });

    const model = await loadFrustrationModel(bytes, nodeOrt);
    const got = await model.scoreTexts(check.texts);
    let maxDiff = 0;
    for (let i = 0; i < check.texts.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs((got[i] as number) - sigmoid(platt.a * (logits[i] as number) + platt.b)));
    }
    assert.ok(maxDiff <= 1e-5, `max abs diff ${maxDiff}`);
    assert.ok(Math.abs((await model.scoreText(check.texts[3] as string)) - (got[3] as number)) < 1e-6, 'single = batched');
    await model.release();
  });
}

test('metadata reader rejects truncated bytes and models without Temper metadata', async () => {
  const m = trainModel(pack(['a', 'b'], [0, 1], null, cfg, lexicon), cfg.buckets, { dim: 2, hidden: 2, epochs: 1, lr: 0.1, l2: 0, featureDropout: 0, seed: 1 });
  const qe = quantizeEmbedding(m);
  const bytes = buildOnnx(dequantized(m, qe), qe, { a: 1, b: 0 }, meta(1, 0));
  assert.throws(() => readOnnxMetadata(bytes.subarray(0, bytes.length - 3)), /truncated/);
  const bare = buildOnnx(dequantized(m, qe), qe, { a: 1, b: 0 }, {});
  assert.deepEqual(readOnnxMetadata(bare), {});
  await assert.rejects(loadFrustrationModel(bare, nodeOrt), /missing temper\.model/);
});
