// The support-chat seeds must not teach a topic or a courtesy as a mood. A word of the shop's everyday vocabulary
// (the things complaints and questions are both about) or a greeting that appears only in upset seeds makes the model
// read it as upset wherever it appears ("can you ship to a PO box" scored 0.87 in v2.3: "box" was in 42 upset seed rows
// and no calm one); one only in calm seeds makes it a way to hide a complaint. So each such word, where the seeds use
// it at all (≥ 10 rows), must be in both classes, neither holding more than 90 % after correcting for class size.
import assert from 'node:assert/strict';
import test from 'node:test';
import { supportSeed } from '../lib/seed-support.ts';

// Topic words and courtesies, not mood words: each is as natural in a calm question as in a complaint.
const EVERYDAY: Record<'en' | 'zh', readonly string[]> = {
  en: ['hi', 'hello', 'please', 'thanks', 'order', 'box', 'parcel', 'package', 'chat', 'shop', 'site', 'service', 'customer', 'company', 'delivered', 'driver', 'replacement', 'account', 'message', 'reply', 'hours', 'today', 'email', 'tracking', 'week', 'weeks', 'can', 'does', 'could', 'question'],
  zh: ['您好', '你好', '请问', '麻烦', '谢谢', '一下', '可以', '这个', '订单', '物流', '客服', '服务', '今天', '现在', '一直', '店', '包裹', '换货', '售后', '发货'],
};

function rowsWith(lang: 'en' | 'zh', w: string): (text: string) => boolean {
  if (lang === 'zh') return (t) => t.includes(w);
  const re = new RegExp(`(^|[^a-z'])${w}([^a-z']|$)`, 'i');
  return (t) => re.test(t);
}

for (const lang of ['en', 'zh'] as const) {
  test(`seed-support ${lang}: everyday words and courtesies are in calm and upset seeds alike (neither > 90 % by class share)`, () => {
    const rows = supportSeed(lang);
    const n1 = rows.filter((r) => r.label === 1).length, n0 = rows.length - n1;
    const bad: string[] = [];
    for (const w of EVERYDAY[lang]) {
      const has = rowsWith(lang, w);
      const up = rows.filter((r) => r.label === 1 && has(r.text)).length;
      const calm = rows.filter((r) => r.label === 0 && has(r.text)).length;
      if (up + calm < 10) continue;
      const share = up / n1 / (up / n1 + calm / n0);
      if (share > 0.9 || share < 0.1) bad.push(`${w}: ${calm} calm / ${up} upset rows (upset share ${share.toFixed(2)})`);
    }
    assert.deepEqual(bad, []);
  });
}
