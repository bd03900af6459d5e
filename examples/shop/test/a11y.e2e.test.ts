// Issue 12 "must show": axe reports 0 violations on the shop with the widget open, the agent console, /reports
// and /privacy. axe-core from npm, run inside real Chromium on the real shop server (it walks the widget's open
// shadow root too). Desktop 1280×800 and a 390×844 touch phone, English and Chinese, and an RTL page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Page } from 'puppeteer-core';
import { useSharedShop } from './shop-world.ts';
import { assertClean } from './axe.ts';
import { signIn } from './agent-console.ts';
import { openChat, sendMessage, waitForTranscript } from './widget-page.ts';

const PHONE = { width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const DESKTOP = { width: 1280, height: 800 };

const env = useSharedShop({ secret: randomBytes(32).toString('hex') });

async function newPage(viewport: typeof PHONE | typeof DESKTOP, headers: Record<string, string> = {}) {
  // A fresh context per page: the widget remembers on the device whether its panel was open.
  const page = await (await env.browser.browser.createBrowserContext()).newPage();
  await page.setViewport(viewport);
  await page.setExtraHTTPHeaders(headers);
  return page;
}

for (const [name, viewport, locale, rtl] of [
  ['desktop, en', DESKTOP, 'en', false],
  ['phone, zh-CN', PHONE, 'zh-CN', false],
  ['desktop, zh-CN, RTL page', DESKTOP, 'zh-CN', true],
] as const) {
  test(`axe: the shop with the widget open and a conversation in it (${name})`, async () => {
    const page = await newPage(viewport);
    await page.goto(`${env.shop.url}/`);
    if (rtl) await page.evaluate(() => document.documentElement.setAttribute('dir', 'rtl'));
    await page.waitForSelector('pierce/button.launcher', { visible: true });
    if (locale !== 'en') await page.evaluate((l) => (window as unknown as { Temper: (m: string, o: unknown) => void }).Temper('update', { locale: l }), locale);
    await assertClean(page, 'closed widget');
    await openChat(page);
    await sendMessage(page, locale === 'en' ? 'Where is my order?' : '我的订单在哪里？');
    await waitForTranscript(page, (t) => t.some((m) => m.from === 'bot'), 'a bot answer');
    // The privacy bar is filled by the lazily loaded scoring chunk: wait for it, so it is part of what axe sees.
    await page.waitForSelector('pierce/p.notice', { visible: true, timeout: 60_000 });
    await assertClean(page, 'open widget');
    // Issue 15: "What's shared" (what is stored, card masking) and the Forget confirmation with its reference.
    await page.click('pierce/button.shared-toggle');
    await page.click('pierce/button.forget');
    await page.waitForSelector('pierce/input#temper-ref', { visible: true });
    await assertClean(page, 'forget confirmation with the conversation reference');
    await page.browserContext().close();
  });
}

for (const [lang, viewport] of [
  ['en', DESKTOP],
  ['zh-CN', PHONE],
] as const) {
  test(`axe: /privacy (${lang})`, async () => {
    const page = await newPage(viewport);
    await page.goto(`${env.shop.url}/privacy?lang=${lang}`);
    assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
    await assertClean(page, `/privacy?lang=${lang}`);
    await page.browserContext().close();
  });
}

test('axe: the agent console (sign-in, then signed in and online) and /reports (sign-in, then a supervisor)', async () => {
  const page = await newPage(DESKTOP);
  await page.goto(`${env.shop.url}/agent`);
  await page.waitForSelector('#signin-name', { visible: true });
  await assertClean(page, '/agent sign-in');
  await signIn(page, env.shop.url, 'Lin', 'agent');
  await page.waitForSelector('button.presence:not([disabled])', { visible: true });
  await assertClean(page, '/agent signed in');

  const reports = await newPage(PHONE);
  await reports.goto(`${env.shop.url}/reports`);
  await reports.waitForSelector('#signin-name', { visible: true });
  await assertClean(reports, '/reports sign-in');
  await signIn(reports, env.shop.url, 'Sam', 'supervisor', '/reports');
  await reports.waitForSelector('main.reports[aria-busy="false"]', { timeout: 30_000 });
  await assertClean(reports, '/reports signed in');
  await reports.browserContext().close();
  await page.browserContext().close();
});
