// Issue 12, defect 5: on a 390×844 phone the shop's header made the page 437 px wide, which pushed the chat
// launcher off-screen and cut off the open panel's close button and Send. Two fixes, tested apart:
// - the shop's own CSS keeps its pages as wide as the phone;
// - the widget stays inside the visual viewport even on a page that is wider than the phone (a host's CSS
//   bug must not hide the chat), because it sizes and places itself from VisualViewport, not the layout viewport.
// Real Chromium with mobile emulation (meta viewport, touch) and a 1280×800 desktop; en and zh-CN; LTR and RTL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Page } from 'puppeteer-core';
import { useSharedShop } from './shop-world.ts';

const env = useSharedShop({ secret: randomBytes(32).toString('hex') });

const PHONE = { width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 3 };
const DESKTOP = { width: 1280, height: 800 };

/** Where an element of the widget's shadow root lies relative to what the visitor sees (the visual viewport). */
function placement(page: Page, selector: string) {
  return page.evaluate((sel) => {
    const el = document.querySelector('temper-widget')?.shadowRoot?.querySelector(sel);
    if (!el) return null;
    const r = el.getBoundingClientRect();
    const vv = visualViewport!;
    // getBoundingClientRect is relative to the layout viewport; the visual viewport sits at (offsetLeft, offsetTop) in it.
    const inside =
      r.width > 0 &&
      r.height > 0 &&
      r.left >= vv.offsetLeft - 0.5 &&
      r.top >= vv.offsetTop - 0.5 &&
      r.right <= vv.offsetLeft + vv.width + 0.5 &&
      r.bottom <= vv.offsetTop + vv.height + 0.5;
    return { inside, rect: [r.left, r.top, r.right, r.bottom].map(Math.round), viewport: [vv.offsetLeft, vv.offsetTop, vv.width, vv.height].map(Math.round) };
  }, selector);
}

async function assertInside(page: Page, selector: string, what: string) {
  const p = await placement(page, selector);
  assert.ok(p?.inside, `${what}: ${selector} must be inside the visual viewport; got ${JSON.stringify(p)}`);
}

async function openPage(viewport: typeof PHONE | typeof DESKTOP, opts: { locale?: 'zh-CN'; rtl?: boolean; widen?: boolean } = {}) {
  // A fresh context per page: the widget remembers on the device whether its panel was open.
  const page = await (await env.browser.browser.createBrowserContext()).newPage();
  await page.setViewport(viewport);
  // The page is RTL and/or wider than the phone from its first layout, before the widget boots, as a host's
  // markup and CSS would make it: CSSOM writes (the shop's CSP forbids only inline style markup). Wide: 560 px
  // of content on a 390 px screen, as the shop's header was.
  await page.evaluateOnNewDocument((rtl, widen) => {
    document.addEventListener('readystatechange', () => {
      if (document.readyState !== 'interactive') return;
      if (rtl) document.documentElement.setAttribute('dir', 'rtl');
      if (widen) document.body.style.minWidth = '560px';
    });
  }, !!opts.rtl, !!opts.widen);
  await page.goto(`${env.shop.url}/`);
  await page.waitForSelector('pierce/button.launcher', { visible: true });
  if (opts.locale) await page.evaluate((l) => (window as unknown as { Temper: (m: string, o: unknown) => void }).Temper('update', { locale: l }), opts.locale);
  return page;
}

async function tapOpen(page: Page, touch: boolean) {
  const launcher = (await page.$('pierce/button.launcher'))!;
  if (touch) await launcher.tap();
  else await launcher.click();
  await page.waitForSelector('pierce/textarea.input', { visible: true });
}

for (const locale of ['en', 'zh-CN'] as const) {
  test(`phone 390×844 (${locale}): the shop's pages are no wider than the screen`, async () => {
    for (const path of ['/', '/product/kettle', '/cart', '/checkout', '/privacy', '/account']) {
      const page = await openPage(PHONE, locale === 'en' ? {} : { locale });
      await page.goto(`${env.shop.url}${path}`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `${path} is ${width} px wide on a 390 px phone`);
      await page.browserContext().close();
    }
  });
}

for (const [name, opts] of [
  ['en', {}],
  ['zh-CN, RTL page', { locale: 'zh-CN', rtl: true }],
] as const) {
  test(`phone 390×844 touch (${name}): on a page wider than the screen, the launcher, close and Send stay on-screen`, async () => {
    const page = await openPage(PHONE, { ...opts, widen: true });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide > 390, `the test page must be wider than the phone (${wide} px)`);
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl' in opts ? 'rtl' : '');
    await assertInside(page, '.launcher', 'closed');
    // The box over the viewport must not swallow taps meant for the page.
    const hit = await page.evaluate(() => document.elementFromPoint(20, 20)?.closest('temper-widget') === null);
    assert.ok(hit, 'the page under the closed widget still gets the pointer');
    await tapOpen(page, true);
    for (const sel of ['.panel', '.x', '.send', 'textarea.input']) await assertInside(page, sel, 'open');
    // The full-screen panel covers exactly what the visitor sees.
    const p = (await placement(page, '.panel'))!;
    assert.deepEqual(p.rect, [p.viewport[0]!, p.viewport[1]!, p.viewport[0]! + p.viewport[2]!, p.viewport[1]! + p.viewport[3]!], 'panel = visual viewport');
    await page.browserContext().close();
  });
}

for (const [name, opts] of [
  ['en', {}],
  ['zh-CN, RTL page', { locale: 'zh-CN', rtl: true }],
] as const) {
  test(`desktop 1280×800 (${name}): launcher and panel sit in the end corner, the page stays clickable`, async () => {
    const page = await openPage(DESKTOP, opts);
    await assertInside(page, '.launcher', 'closed');
    // Measured before the pointer hovers it (hover scales the launcher by 5 %).
    const [l, , r] = (await placement(page, '.launcher'))!.rect as [number, number, number, number];
    await tapOpen(page, false);
    for (const sel of ['.panel', '.x', '.send']) await assertInside(page, sel, 'open');
    const rtl = 'rtl' in opts;
    // 16 px from the inline end: the right edge on an LTR page, the left edge on an RTL one.
    const clientWidth = await page.evaluate(() => document.documentElement.clientWidth);
    if (rtl) assert.equal(l, 16, 'RTL: launcher 16 px from the left');
    else assert.equal(clientWidth - r, 16, 'LTR: launcher 16 px from the right');
    const panel = (await placement(page, '.panel'))!.rect as [number, number, number, number];
    assert.equal(panel[2] - panel[0], 380, 'desktop panel is 380 px wide');
    // The panel's corner follows the page's direction, not the panel's own dir (its locale's).
    if (rtl) assert.equal(panel[0], 16, 'RTL: panel 16 px from the left');
    else assert.equal(clientWidth - panel[2], 16, 'LTR: panel 16 px from the right');
    // A page link under the top-left corner is still reachable with the widget open.
    const hit = await page.evaluate(() => document.elementFromPoint(30, 30)?.closest('temper-widget') === null);
    assert.ok(hit, 'the page under the widget still gets the pointer');
    await page.browserContext().close();
  });
}
