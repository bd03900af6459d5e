import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { buildSupportChat, serialize } from '../devset/build-support-chat.ts';
import { CATEGORIES, CATEGORY_LABEL, devsetPath, loadSupportChat } from '../lib/support-chat-devset.ts';

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
