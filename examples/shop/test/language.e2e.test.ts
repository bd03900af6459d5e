// Issue 12, defect 11: the widget's language followed only the browser, so a Chinese message to an English
// widget got Chinese replies inside English labels ("Shop assistant", "Chat with us"). Now the labels follow
// the language the visitor writes in, the visitor can switch it, the choice survives a page change, the bot
// signs in the reply's language, and CJK text carries lang="zh-CN" (Simplified Chinese glyphs) on an English
// page. Real Chromium, the real shop: desktop 1280×800 and a 390×844 touch phone, en and zh, an RTL page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Page } from 'puppeteer-core';
import { API_BASE } from '@temper/protocol';
import { createMemoryStore } from '@temper/server';
import { startShop, type RunningShop } from '../server.ts';
import { launchBrowser, type TestBrowser } from './browser.ts';
import { waitFor } from './poll.ts';
import { openChat, sendMessage, waitForTranscript } from './widget-page.ts';

let shop: RunningShop;
const store = createMemoryStore();
let browser: TestBrowser;

before(async () => {
  shop = await startShop({ secret: randomBytes(32).toString('hex'), store });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await shop?.close();
});

/** The panel's chrome as the visitor sees it, and the languages the document, host and panel declare. */
const chrome = (page: Page) =>
  page.evaluate(() => {
    const host = document.querySelector('temper-widget')!;
    const root = host.shadowRoot!;
    // No named inner functions: tsx would wrap them in a helper the page does not have.
    const whos = [...root.querySelectorAll('li.msg.bot .who')].map((e) => e.textContent ?? '');
    const cjk = [...root.querySelectorAll('li.msg .text')].filter((e) => /\p{Script=Han}/u.test(e.textContent ?? ''));
    return {
      page: document.documentElement.lang,
      host: host.getAttribute('lang'),
      panel: root.querySelector('.panel')?.getAttribute('lang') ?? null,
      title: root.querySelector('.title')?.textContent ?? '',
      placeholder: root.querySelector('textarea.input')?.getAttribute('placeholder') ?? '',
      send: root.querySelector('.send')?.textContent ?? '',
      switchTo: root.querySelector('button.lang')?.textContent ?? '',
      launcher: root.querySelector('.launcher')?.getAttribute('aria-label') ?? '',
      lastBot: whos[whos.length - 1] ?? '',
      cjkLangs: cjk.map((e) => e.closest('[lang]')?.getAttribute('lang') ?? null),
    };
  });

async function newPage(viewport: { width: number; height: number; isMobile?: boolean; hasTouch?: boolean }, rtl = false) {
  const page = await (await browser.browser.createBrowserContext()).newPage();
  await page.setViewport(viewport);
  if (rtl)
    await page.evaluateOnNewDocument(() =>
      document.addEventListener('readystatechange', () => document.readyState === 'interactive' && document.documentElement.setAttribute('dir', 'rtl')),
    );
  await page.goto(`${shop.url}/`);
  return page;
}

test('desktop, English page and widget: writing Chinese switches the labels; the visitor switches back; it sticks', async () => {
  const page = await newPage({ width: 1280, height: 800 });
  await openChat(page);
  let c = await chrome(page);
  assert.equal(c.title, 'Chat with us');
  assert.equal(c.switchTo, '中文', 'the switch offers Chinese, named in Chinese');

  await sendMessage(page, '我的订单在哪里？');
  await waitForTranscript(page, (t) => t.some((m) => m.from === 'bot'), 'the Chinese answer');
  c = await waitFor(() => chrome(page), (x) => x.title === '在线客服', 'Chinese labels');
  assert.equal(c.page, 'en', "the host page's own language is untouched");
  assert.equal(c.host, 'zh-CN', 'the shadow host says zh-CN');
  assert.equal(c.panel, 'zh-CN');
  assert.equal(c.placeholder, '输入消息…');
  assert.equal(c.send, '发送');
  assert.equal(c.lastBot, '店铺助手', 'the bot signs its Chinese reply in Chinese');
  assert.equal(c.switchTo, 'English');
  assert.equal(c.launcher, '打开聊天', 'the launcher (temper.js) follows too');

  // The visitor prefers English labels: the Chinese text keeps its zh-CN tag inside the English panel.
  await (await page.$('pierce/button.lang'))!.click();
  c = await waitFor(() => chrome(page), (x) => x.title === 'Chat with us', 'English labels again');
  assert.equal(c.host, 'en');
  assert.ok(c.cjkLangs.length >= 2 && c.cjkLangs.every((l) => l === 'zh-CN'), `CJK messages tagged zh-CN: ${JSON.stringify(c.cjkLangs)}`);

  // A new page of the shop: the chosen language is remembered on the device.
  await page.goto(`${shop.url}/cart`);
  await openChat(page);
  c = await waitFor(() => chrome(page), (x) => x.title !== '', 'the panel after navigating');
  assert.equal(c.title, 'Chat with us');
  assert.equal(c.host, 'en');
  await page.browserContext().close();
});

test('phone 390×844 touch, Chinese widget on an RTL page: writing English switches to English, launcher label too', async () => {
  const page = await newPage({ width: 390, height: 844, isMobile: true, hasTouch: true }, true);
  await page.evaluate(() => (window as unknown as { Temper: (m: string, o: unknown) => void }).Temper('update', { locale: 'zh-CN' }));
  await openChat(page);
  let c = await chrome(page);
  assert.equal(c.title, '在线客服');
  await sendMessage(page, 'Where is my order please?');
  await waitForTranscript(page, (t) => t.some((m) => m.from === 'bot'), 'the English answer');
  c = await waitFor(() => chrome(page), (x) => x.title === 'Chat with us', 'English labels');
  assert.equal(c.host, 'en');
  assert.equal(c.lastBot, 'Shop assistant');
  assert.equal(c.launcher, 'Open chat');
  // Something with no clear language (an order number) changes nothing.
  await sendMessage(page, '1042');
  await waitForTranscript(page, (t) => t.filter((m) => m.from === 'bot').length >= 2, 'the second answer');
  assert.equal((await chrome(page)).title, 'Chat with us');
  // Tapping the switch.
  await (await page.$('pierce/button.lang'))!.tap();
  c = await waitFor(() => chrome(page), (x) => x.title === '在线客服', 'Chinese by the switch');
  assert.equal(c.host, 'zh-CN');
  await page.browserContext().close();
});

test('the console and /reports in zh-CN (by ?lang= or the browser language), English by default', async () => {
  const ctx = await browser.browser.createBrowserContext();
  const page = await ctx.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  const texts = () =>
    page.evaluate(() => ({
      lang: document.documentElement.lang,
      h1: document.querySelector('h1')?.textContent ?? '',
      label: document.querySelector('label[for="signin-name"]')?.textContent ?? '',
      submit: document.querySelector('.signin-form button[type="submit"]')?.textContent ?? '',
      presence: document.querySelector('button.presence')?.textContent ?? '',
      queue: document.querySelector('#queue-title')?.textContent ?? '',
      other: document.querySelector('a.lang-switch')?.textContent ?? '',
    }));

  await page.goto(`${shop.url}/agent`);
  await page.waitForSelector('#signin-name', { visible: true });
  let t = await texts();
  assert.equal(t.lang, 'en');
  assert.equal(t.h1, 'Agent console');

  await page.setExtraHTTPHeaders({ 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' });
  await page.goto(`${shop.url}/agent`);
  await page.waitForSelector('#signin-name', { visible: true });
  t = await texts();
  assert.deepEqual([t.lang, t.h1, t.label, t.submit], ['zh-CN', '客服工作台', '您的名字（访客会在您的回复上看到）', '登录']);
  await page.type('#signin-name', '美');
  await page.click('.signin-form button[type="submit"]');
  await page.waitForSelector('button.presence:not([disabled])', { visible: true });
  t = await texts();
  assert.equal(t.presence, '离线 — 点击上线');
  assert.match(t.queue, /^等待人工客服/);
  assert.equal(t.other, 'English');
  // The visitor-side link back to English wins over the browser language.
  await page.click('a.lang-switch');
  await page.waitForSelector('button.presence:not([disabled])', { visible: true });
  t = await texts();
  assert.deepEqual([t.lang, t.h1, t.other], ['en', 'Agent console', '中文']);

  // /reports: a supervisor in Chinese.
  await page.goto(`${shop.url}/reports?lang=zh-CN`);
  await page.waitForSelector('#signin-name', { visible: true });
  t = await texts();
  assert.deepEqual([t.lang, t.label], ['zh-CN', '您的名字']);
  await ctx.close();
});

// Defect 11, the strings added late (callbacks, the supervisor's board, the <title>):
// a supervisor on the zh-CN console reads them in Chinese. Before the fix they were English on a zh-CN page.
test('the zh-CN console for a supervisor: the board, the callback requests and the <title> are Chinese', async () => {
  // A Chinese visitor over the widget's HTTP API (real socket) asks twice for a person while no one is online, then leaves a phone number (a callback request).
  const base = shop.url + API_BASE;
  const r = await fetch(`${base}/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ locale: 'zh-CN' }),
  });
  const { token, conversationId } = (await r.json()) as {
    token: string;
    conversationId: string;
  };
  const answers = async () => (await store.readEvents(conversationId, 0)).filter((e) => e.event.type === 'message' && e.event.from !== 'visitor').length;
  for (const [i, text] of ['转人工', '转人工', '手机 138 0013 8000'].entries()) {
    const res = await fetch(`${base}/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({
        id: `l10n-${i}-${randomBytes(4).toString('hex')}`,
        text,
      }),
    });
    assert.ok(res.status < 300, `message ${i}: ${res.status}`);
    await waitFor(answers, (n) => n >= i + 1, `the answer ${i + 1}`, 30_000);
  }

  const ctx = await browser.browser.createBrowserContext();
  const page = await ctx.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  await page.goto(`${shop.url}/agent?lang=zh-CN`);
  await (await page.waitForSelector('#signin-name', { visible: true }))!.type('主管');
  await page.click('input[name="role"][value="supervisor"]');
  await page.click('.signin-form button[type="submit"]');
  await page.waitForSelector('.board');
  const shown = () =>
    page.evaluate(
      (id) => ({
        title: document.title,
        board: document.querySelector('#board-title')?.textContent ?? '',
        warn: document.querySelector('#warn-title')?.textContent ?? '',
        load: document.querySelector('#load-title')?.textContent ?? '',
        callbacks: document.querySelector('#callbacks-title')?.textContent ?? '',
        item: document.querySelector(`.callback-item[data-conversation-id="${id}"]`)?.textContent ?? '',
      }),
      conversationId,
    );
  const t = await waitFor(shown, (x) => x.item !== '', 'the callback request on the console', 30_000);
  assert.equal(t.title, '客服工作台 · Brew & Co. 员工');
  assert.equal(t.board, '实时看板');
  assert.equal(t.warn, '预警：情绪上升的对话');
  assert.equal(t.load, '本小时客服负荷');
  assert.equal(t.callbacks, '请求回电 (1)');
  assert.match(t.item, /^138 0013 8000 · 电话 · 中文 \(zh\) · 留言于 /);
  await ctx.close();
});
