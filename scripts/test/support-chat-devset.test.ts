import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { buildSupportChat, serialize } from '../devset/build-support-chat.ts';
import { findLeaks, leakKey } from '../lib/leak-check.ts';
import { CATEGORIES, CATEGORY_LABEL, WRITTEN_SPLITS, writtenSplitPath, devsetPath, loadSupportChat } from '../lib/support-chat-devset.ts';

for (const lang of ['en', 'zh'] as const) {
  test(`support-chat.${lang}.jsonl is exactly what scripts/devset/build-support-chat.ts builds`, () => {
    assert.equal(readFileSync(devsetPath(lang), 'utf8'), serialize(buildSupportChat(lang)), 'stale: run node --import tsx scripts/devset/build-support-chat.ts');
  });

  test(`support-chat ${lang}: ≥ 600 rows, every category, labels by category, ≥ 40 % held out per category`, () => {
    const rows = loadSupportChat(lang);
    assert.ok(rows.length >= 600, `${rows.length} rows`);
    for (const c of CATEGORIES) {
      const inCat = rows.filter((r) => r.category === c);
      const held = inCat.filter((r) => r.split === 'heldout').length;
      assert.ok(inCat.length >= 50, `${c}: ${inCat.length} rows`);
      assert.ok(held / inCat.length >= 0.4, `${c}: ${held}/${inCat.length} held out`);
      assert.ok(inCat.every((r) => r.label === CATEGORY_LABEL[c]), 'inCat.every((r) => r.label === CATEGORY_LABEL[c])');
    }
    assert.ok(rows.filter((r) => r.category === 'neutral-request').every((r) => r.topic), 'every neutral request has a topic');
  });
}

test('support-chat: the must-show messages of issue 9 are in the set, in their categories', () => {
  const has = (lang: 'en' | 'zh', text: string, category: string) =>
    assert.ok(loadSupportChat(lang).some((r) => r.text === text && r.category === category), `${text} (${category})`);
  has('zh', '怎么退货', 'neutral-request');
  has('zh', '可以用支付宝付款吗', 'neutral-request');
  has('zh', '真是太好了，快递又延误了', 'sarcasm');
  has('en', "ok this still isn't sorted", 'resignation');
  has('en', 'I give up honestly', 'resignation');
  has('en', 'whatever, forget it', 'resignation');
  has('en', 'great, another delay, love it', 'sarcasm');
});

// The written splits (models/devsets/README.md, "Written splits"): their own files. The overlap checks name only the
// later split's line, so a failure shows nobody the dev or held-out text (or an earlier split's). Every later split is
// kept apart from every earlier one, so the blind splits are apart from those trained on (TRAINED_SPLITS) too.
// The leak check's key, punctuation and symbols dropped as well ("呵呵！" and "呵呵" are the same line).
const textKey = (t: string) => leakKey(t).replace(/[\p{P}\p{S}]+/gu, '');

for (const lang of ['en', 'zh'] as const) {
  WRITTEN_SPLITS.forEach((split, k) => {
    test(`support-chat-${split}.${lang}.jsonl: parses, every category ≥ 25 rows (neutral ≥ 80), no duplicates, nothing shared with or near dev/heldout or an earlier written split`, () => {
      const rows = loadSupportChat(lang, split);
      assert.ok(rows.every((r) => r.split === split), `every row is split "${split}"`);
      for (const c of CATEGORIES) {
        const n = rows.filter((r) => r.category === c).length;
        assert.ok(n >= (c === 'neutral-request' ? 80 : 25), `${c}: ${n} rows`);
      }
      assert.ok(rows.filter((r) => r.category === 'neutral-request').every((r) => r.topic), 'every neutral request has a topic');
      const seen = new Set<string>();
      for (const r of rows) {
        assert.ok(!seen.has(textKey(r.text)), `duplicate in ${writtenSplitPath(lang, split)}: ${r.text}`);
        seen.add(textKey(r.text));
      }
      const old = [...loadSupportChat(lang), ...WRITTEN_SPLITS.slice(0, k).flatMap((s) => loadSupportChat(lang, s))].map((r) => r.text);
      const oldKeys = new Set(old.map(textKey));
      assert.deepEqual(rows.filter((r) => oldKeys.has(textKey(r.text))).map((r) => r.text), [], `${split} lines also in the dev/heldout set or an earlier written split`);
      // Near copies too (the seed leak check's trigram and word tests), the blind side only.
      assert.deepEqual(findLeaks(rows.map((r) => r.text), old).map((l) => l.train), [], `${split} lines near a dev/heldout line or an earlier written split's`);
      assert.equal(loadSupportChat(lang).filter((r) => r.split === split).length, 0, `the default load (dev + heldout) leaves ${split} out`);
    });
  });
}
