import assert from 'node:assert/strict';
import test from 'node:test';
import { findLeaks, leakKey } from '../lib/leak-check.ts';
import { supportSeed } from '../lib/seed-support.ts';
import { zhSupportSeed } from '../lib/seed-zh-support.ts';
import { WRITTEN_SPLITS, loadSupportChat } from '../lib/support-chat-devset.ts';

test('leak check: exact after NFKC + case + whitespace, near by trigram Jaccard ≥ 0.8, and not beyond', () => {
  assert.equal(leakKey('  Ｗhere IS\tmy order？ '), 'whereismyorder?');
  const dev = ['Where is my order #48213?', '怎么退货', '退款多久能到账？'];
  const leaks = findLeaks(['WHERE is my  order #48213?', '退款多久能到账', '请问怎么退货', 'How do I return a toaster?'], dev);
  assert.deepEqual(leaks.map((l) => [l.kind, l.dev]), [['exact', dev[0]], ['near', dev[2]]]);
});

test('leak check: a word changed, a number spelt out or words added are caught by the word check; another sentence on the same topic is not', () => {
  const dev = ["I'm leaving a 1-star review everywhere I can", 'fantastic, the replacement is broken too 🙃', 'how do i delete my account'];
  const leaks = findLeaks([
    "Final warning: I'm leaving a one-star review everywhere I can find",
    'oh boy, fantastic, the replacement printer is broken too, love it',
    'How do I close my account?',
    "I'll be writing a review about this on every site I can",
  ], dev);
  assert.deepEqual(leaks.map((l) => [l.kind, l.dev]), [['words', dev[0]], ['words', dev[1]]]);
});

for (const lang of ['en', 'zh'] as const) {
  test(`seed-support ${lang}: no training row is in the support-chat dev set (heldout or dev)`, () => {
    const dev = loadSupportChat(lang).map((r) => r.text);
    const train = supportSeed(lang).map((r) => r.text);
    const leaks = findLeaks(train, dev);
    assert.deepEqual(leaks, [], leaks.slice(0, 10).map((l) => `${l.kind} ${l.similarity.toFixed(2)}: ${l.train} ~ ${l.dev}`).join('\n'));
  });

  for (const split of WRITTEN_SPLITS) {
    // Names only the seed row, never the blind line: a seed writer can run this without reading the blind split.
    test(`seed-support ${lang}: no training row is in the blind ${split} split`, () => {
      const blind = loadSupportChat(lang, split).map((r) => r.text);
      const leaks = findLeaks(supportSeed(lang).map((r) => r.text), blind);
      assert.deepEqual(leaks.map((l) => `${l.kind}: ${l.train}`), [], 'seed rows equal or near a blind line: rewrite or drop their frames');
    });
  }
}

test('seed-support: both languages, every category, labels 1 only for the upset ones, v1 zh seed included', () => {
  const rows = supportSeed();
  for (const lang of ['en', 'zh'] as const) {
    for (const c of ['neutral-request', 'mild-complaint', 'disappointment', 'resignation', 'sarcasm', 'anger', 'demand-ultimatum', 'thanks-relief']) {
      const n = rows.filter((r) => r.lang === lang && r.category === c);
      assert.ok(n.length >= 40, `${lang} ${c}: ${n.length}`);
      assert.ok(n.every((r) => r.label === (c === 'neutral-request' || c === 'thanks-relief' ? 0 : 1)), 'n.every((r) => r.label === (c === \'neutral-request\' || c === \'thanks-relief\' ? 0 : 1))');
    }
  }
  const zh = new Set(supportSeed('zh').map((r) => r.text));
  assert.ok(zhSupportSeed().every((t) => zh.has(t)), 'zhSupportSeed().every((t) => zh.has(t))');
  assert.deepEqual(supportSeed('en'), supportSeed('en'), 'deterministic');
});
