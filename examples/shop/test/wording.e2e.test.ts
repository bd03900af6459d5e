// Issue 12, defect 9 (text): while queued, the banner and the server's notice told different waits (the banner
// rounded up and said nothing for a wait under a minute, the notice rounded and said at least 1 min), and the
// Chinese widget strings said 你 where the notices say 您. Real Chromium, the real shop and console, with an agent
// free at once (expected wait 0 s): the notice says "about 1 min", and so must the banner (both use
// waitMinutes from @temper/protocol). Desktop en and a 390×844 touch phone in zh-CN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Page } from 'puppeteer-core';
import { waitMinutes } from '@temper/protocol';
import { useSharedShop } from './shop-world.ts';
import { goOnline, signIn, widgetBanner } from './agent-console.ts';
import { waitFor } from './poll.ts';
import { openChat, sendMessage, waitForTranscript } from './widget-page.ts';

const env = useSharedShop({ secret: randomBytes(32).toString('hex'), expectedWaitSeconds: 0 });

async function person(viewport: { width: number; height: number; isMobile?: boolean; hasTouch?: boolean }): Promise<Page> {
  const page = await (await env.browser.browser.createBrowserContext()).newPage();
  await page.setViewport(viewport);
  return page;
}

/** Every string of the widget a visitor can see or hear: text, labels, placeholders. */
const widgetWords = (page: Page) =>
  page.evaluate(() => {
    const root = document.querySelector('temper-widget')!.shadowRoot!;
    const attrs = [...root.querySelectorAll('[aria-label],[placeholder]')].flatMap((e) => [e.getAttribute('aria-label') ?? '', e.getAttribute('placeholder') ?? '']);
    return [root.textContent ?? '', ...attrs].join('\n');
  });

test('queued: the banner and the notice tell the same wait (en desktop, zh-CN phone); Chinese says 您', async () => {
  const agent = await person({ width: 1280, height: 800 });
  await signIn(agent, env.shop.url, 'Mei');
  await goOnline(agent);

  const en = await person({ width: 1280, height: 800 });
  await en.goto(`${env.shop.url}/`);
  await openChat(en);
  await sendMessage(en, 'I want a human');
  const enNotice = (await waitForTranscript(en, (t) => t.some((m) => m.from === 'system' && /expected wait is about \d+ min/.test(m.text)), 'the en queued notice'))
    .find((m) => m.from === 'system' && /expected wait/.test(m.text))!.text;
  const enBanner = await waitFor(() => widgetBanner(en), (b) => /about \d+ min/.test(b), 'the en queued banner');
  const minutes = (s: string, re: RegExp) => Number(re.exec(s)?.[1]);
  assert.equal(minutes(enNotice, /about (\d+) min/), waitMinutes(0), enNotice);
  assert.equal(minutes(enBanner, /about (\d+) min/), minutes(enNotice, /about (\d+) min/), `banner "${enBanner}" vs notice "${enNotice}"`);

  const zh = await person({ width: 390, height: 844, isMobile: true, hasTouch: true });
  await zh.goto(`${env.shop.url}/`);
  await zh.evaluate(() => (window as unknown as { Temper: (m: string, o: unknown) => void }).Temper('update', { locale: 'zh-CN' }));
  await openChat(zh);
  await sendMessage(zh, '转人工');
  const zhNotice = (await waitForTranscript(zh, (t) => t.some((m) => m.from === 'system' && /预计等待约 \d+ 分钟/.test(m.text)), 'the zh queued notice'))
    .find((m) => m.from === 'system' && /预计等待/.test(m.text))!.text;
  const zhBanner = await waitFor(() => widgetBanner(zh), (b) => /约 \d+ 分钟/.test(b), 'the zh queued banner');
  assert.equal(minutes(zhNotice, /约 (\d+) 分钟/), waitMinutes(0), zhNotice);
  assert.equal(minutes(zhBanner, /约 (\d+) 分钟/), minutes(zhNotice, /约 (\d+) 分钟/), `banner "${zhBanner}" vs notice "${zhNotice}"`);
  assert.match(zhBanner, /您/);
  // 你们 ("your team") is plural and not the informal address; a single 你 is.
  const words = await widgetWords(zh);
  assert.doesNotMatch(words.replace(/你们/g, ''), /你/, `informal 你 in the widget:\n${words}`);
  for (const p of [agent, en, zh]) await p.browserContext().close();
});
