// Issue 12, defect 12: /privacy starts with a plain-language part for shoppers (en and zh-CN), says that four
// levels and a trend are shared, and lists each storage key once in its technical tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildEgressManifest, STORAGE_ITEMS } from '@temper/protocol';
import { privacyPage } from '../privacy-page.ts';
import { pageLocale } from '../pages.ts';

const manifest = buildEgressManifest(STORAGE_ITEMS);

for (const [locale, levels, trend] of [
  ['en', ['calm', 'uneasy', 'frustrated', 'angry'], /rising, steady or easing/],
  ['zh-CN', ['平静', '不安', '沮丧', '生气'], /上升、平稳或缓和/],
] as const) {
  test(`/privacy (${locale}): plain language first, four levels and the trend, each storage key once`, () => {
    const html = privacyPage(manifest, locale);
    assert.match(html, new RegExp(`<html lang="${locale}">`));
    const plain = html.indexOf('id="plain"');
    const technical = html.indexOf('id="technical"');
    assert.ok(plain > 0 && plain < technical, 'the part for shoppers comes before the technical tables');
    const shopperPart = html.slice(plain, technical);
    for (const l of levels) assert.ok(shopperPart.includes(l), `names the level ${l}`);
    assert.match(shopperPart, trend);
    assert.doesNotMatch(html, /calm-to-frustrated/);
    const storage = html.slice(html.indexOf('<table id="storage"'), html.indexOf('</table>', html.indexOf('<table id="storage"')));
    for (const key of new Set(STORAGE_ITEMS.map((s) => s.key))) assert.equal(storage.split(key).length - 1, 1, `${key} listed once`);
    // The jargon stays in the technical part.
    for (const jargon of ['egress', 'IndexedDB', 'POST ', 'token']) assert.ok(!shopperPart.includes(jargon), `no "${jargon}" for shoppers`);
    if (locale === 'zh-CN') assert.doesNotMatch(shopperPart, /你/, 'formal 您 throughout');
  });
}

test('pageLocale: ?lang= first, then Accept-Language, else English', () => {
  const u = (q = '') => new URL(`http://shop.test/privacy${q}`);
  assert.equal(pageLocale(u('?lang=zh-CN'), 'en-US'), 'zh-CN');
  assert.equal(pageLocale(u('?lang=en'), 'zh-CN,zh;q=0.9'), 'en');
  assert.equal(pageLocale(u(), 'zh-TW,zh;q=0.9,en;q=0.8'), 'zh-CN');
  assert.equal(pageLocale(u(), 'fr-FR,en;q=0.5'), 'en');
  assert.equal(pageLocale(u('?lang=xx'), undefined), 'en');
});
