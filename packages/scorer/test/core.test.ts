// The thread-agnostic core and the worker API in Node, on the real shipped model through onnxruntime-web (the
// same wasm the browser runs): only coarse results come out, events apply in call order, the model's own
// dynamics settings are merged, failures carry a reason.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import onnxProto from 'onnx-proto';
import { schemas, validate } from '@temper/protocol';
import { DYNAMICS_METADATA_KEY, createScorerCore } from '../src/core.ts';
import type { ReplayEvent } from '../src/replay.ts';
import { DEFAULT_DYNAMICS_CONFIG } from '../src/dynamics.ts';
import { parseModelMeta } from '../src/model.ts';
import { createScorerWorkerApi, type OrtWithEnv, type ScorerErrorData } from '../src/worker-api.ts';
import { modelBytes, ort } from './helpers/model.ts';

const { onnx } = onnxProto as unknown as { onnx: typeof import('onnx-proto').onnx };
const T0 = 1_700_000_000_000;
const RESULT_KEYS = new Set(['level', 'trend', 'forecast', 'signal']);

/** The shipped model with one more metadata entry. */
function withMetadata(key: string, value: string): Uint8Array {
  const m = onnx.ModelProto.decode(modelBytes());
  m.metadataProps.push(onnx.StringStringEntryProto.create({ key, value }));
  return onnx.ModelProto.encode(m).finish();
}

test('results carry level, trend, forecast and (on change) a valid signal — never a probability', async () => {
  const core = await createScorerCore({ ort, modelBytes: modelBytes() });
  assert.equal(core.modelName, parseModelMeta(modelBytes()).name);
  const texts = [
    'Hi! Could you tell me when my order ships?',
    'It still has not arrived and nobody answers my emails.',
    'This is ridiculous. I want my money back NOW!!!',
    'THIRD TIME ASKING. WHERE IS MY REFUND???',
  ];
  const results = [];
  let t = T0;
  for (const text of texts) {
    const r = await core.scoreVisitorMessage(text, (t += 30_000));
    for (const k of Object.keys(r)) assert.ok(RESULT_KEYS.has(k), `unexpected field ${k}`);
    assert.deepEqual(Object.keys(r.forecast).sort(), ['willReachLevel2Soon', 'withinTurns']);
    if (r.signal) assert.ok(validate(schemas.signal, r.signal).ok, 'validate(schemas.signal, r.signal).ok');
    results.push(r);
    await core.noteReply({ understood: false, at: t + 2_000 });
  }
  assert.equal(results[0]!.level, 0);
  assert.equal(results[0]!.signal, undefined, 'a calm first message sends nothing');
  assert.ok(results.at(-1)!.level >= 2, JSON.stringify(results));
  const signals = results.flatMap((r) => (r.signal ? [r.signal] : []));
  assert.ok(signals.length >= 1, 'signals.length >= 1');
  assert.deepEqual(signals.map((s) => s.seq), signals.map((_, i) => i + 1));
  assert.equal(core.nextSeq, signals.length + 1);
  await core.dispose();
  await assert.rejects(() => core.scoreVisitorMessage('hello', T0), /disposed/);
});

test('events apply in call order even when not awaited; reset starts a new conversation', async () => {
  const texts = ['Where is my parcel?', 'Still nothing. This is useless!!', 'I have asked three times already!!!'];
  const sequential = await createScorerCore({ ort, modelBytes: modelBytes() });
  const expected = [];
  for (const [i, text] of texts.entries()) {
    expected.push(await sequential.scoreVisitorMessage(text, T0 + i * 10_000));
    expected.push(await sequential.noteReply({ understood: false, at: T0 + i * 10_000 + 500 }));
  }
  const burst = await createScorerCore({ ort, modelBytes: modelBytes() });
  const pending = texts.flatMap((text, i) => [
    burst.scoreVisitorMessage(text, T0 + i * 10_000),
    burst.noteReply({ understood: false, at: T0 + i * 10_000 + 500 }),
  ]);
  assert.deepEqual(await Promise.all(pending), expected);

  await burst.reset(5);
  assert.equal(burst.nextSeq, 5);
  const calm = await burst.scoreVisitorMessage('Hello, a quick question about sizes', T0 + 100_000);
  assert.equal(calm.level, 0);
  await assert.rejects(() => burst.scoreVisitorMessage(42 as unknown as string, T0), /text must be a string/);
  await assert.rejects(() => burst.noteReply({ understood: 'no' as unknown as boolean, at: T0 }), /understood must be a boolean/);
  await sequential.dispose();
  await burst.dispose();
});

test('dynamics: model metadata overrides the defaults; options override the model', async () => {
  const tuned = withMetadata(DYNAMICS_METADATA_KEY, JSON.stringify({ rise: 0.7, cues: { wait: { thresholdMs: 20_000 } } }));
  const a = await createScorerCore({ ort, modelBytes: tuned });
  assert.equal(a.dynamicsConfig.rise, 0.7);
  assert.equal(a.dynamicsConfig.cues.wait.thresholdMs, 20_000);
  assert.equal(a.dynamicsConfig.decay, DEFAULT_DYNAMICS_CONFIG.decay);
  const b = await createScorerCore({ ort, modelBytes: tuned, dynamics: { rise: 0.4 } });
  assert.equal(b.dynamicsConfig.rise, 0.4);
  assert.equal(b.dynamicsConfig.cues.wait.thresholdMs, 20_000);
  await a.dispose();
  await b.dispose();
  await assert.rejects(() => createScorerCore({ ort, modelBytes: withMetadata(DYNAMICS_METADATA_KEY, '{rise') }), /not JSON/);
  await assert.rejects(() => createScorerCore({ ort, modelBytes: withMetadata(DYNAMICS_METADATA_KEY, '{"rize":1}') }), /unknown key rize/);
});

test('worker API: init, score, failures as { code, reason, message }', async () => {
  const api = createScorerWorkerApi(ort as unknown as OrtWithEnv);
  assert.equal(api.ping(), 'temper-scorer');
  await assert.rejects(() => api.scoreVisitorMessage('hi', T0), (e: ScorerErrorData) => e.code === 'scorer-unavailable' && e.reason === 'crashed');
  const bad = await api.init({ modelBytes: new Uint8Array([1, 2, 3]) }).catch((e: unknown) => e);
  assert.deepEqual(Object.keys(bad as object).sort(), ['code', 'message', 'reason']);
  assert.equal((bad as ScorerErrorData).reason, 'model-failed');
  assert.ok(!((bad as object) instanceof Error), 'a plain object, so comlink clones every field');
  const ready = await api.init({ modelBytes: modelBytes(), startSeq: 3 });
  assert.equal(ready.modelName, parseModelMeta(modelBytes()).name);
  assert.equal(ready.nextSeq, 3);
  const r = await api.scoreVisitorMessage('WHY IS THIS STILL BROKEN???', T0);
  assert.ok(r.level >= 1, 'r.level >= 1');
  assert.equal(r.signal?.seq, 3);
  assert.equal(api.nextSeq(), 4);
  assert.equal(await api.reset(), 1);
  await api.dispose();
  await assert.rejects(() => api.tick(T0), (e: ScorerErrorData) => e.reason === 'crashed');
});

test('LDP: the signal carries the randomized level, the local result the true one; sends follow true changes', async () => {
  // u = 0.99 is never below P(truth) (≈ 0.475 at ε = 1): every report is one of the other levels.
  const core = await createScorerCore({ ort, modelBytes: modelBytes(), ldp: { epsilon: 1, random: () => 0.99 } });
  let t = T0;
  let sent = 0;
  for (const text of ['Where is my parcel?', 'Still nothing. This is useless!!', 'THIRD TIME. WHERE IS MY REFUND???']) {
    const r = await core.scoreVisitorMessage(text, (t += 30_000));
    if (r.signal) {
      sent++;
      assert.ok(validate(schemas.signal, r.signal).ok, 'validate(schemas.signal, r.signal).ok');
      assert.notEqual(r.signal.level, r.level);
      assert.equal(r.signal.trend, r.trend, 'the trend is not randomized');
    }
    await core.noteReply({ understood: false, at: t + 1_000 });
  }
  assert.ok(sent >= 1, 'sent >= 1');
  await core.dispose();
});

test('replay: a reloaded page rebuilds the state from the transcript, sends nothing, and continues identically', async () => {
  const script = [
    'Where is my parcel?',
    'Still nothing. This is useless!!',
    'THIRD TIME. WHERE IS MY REFUND???',
  ];
  const live = await createScorerCore({ ort, modelBytes: modelBytes() });
  const events: ReplayEvent[] = [];
  let t = T0;
  let last = null;
  for (const text of script) {
    last = await live.scoreVisitorMessage(text, (t += 30_000));
    events.push({ from: 'visitor', text, at: t });
    await live.noteReply({ understood: false, at: t + 1_000 });
    events.push({ from: 'bot', understood: false, at: t + 1_000 });
  }
  assert.ok(last!.level >= 1, 'last!.level >= 1');
  const reloaded = await createScorerCore({ ort, modelBytes: modelBytes(), startSeq: live.nextSeq });
  const state = await reloaded.replay(events);
  assert.equal(state.signal, undefined, 'replay never sends');
  assert.equal(state.level, last!.level);
  assert.equal(state.trend, last!.trend);
  const next = 'Thanks, that finally worked.';
  assert.deepEqual(await reloaded.scoreVisitorMessage(next, t + 60_000), await live.scoreVisitorMessage(next, t + 60_000));
  await assert.rejects(() => reloaded.replay([{ from: 'visitor', at: T0 } as unknown as ReplayEvent]), /bad event at index 0/);
  await assert.rejects(() => reloaded.replay({} as unknown as ReplayEvent[]), /must be an array/);
  await live.dispose();
  await reloaded.dispose();
});
