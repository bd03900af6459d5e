// The visitor's off switch on the shop's default path (scoring on, no GPC): switched off in the panel, the
// scorer's worker is gone (no worker target in Chromium), `data-scoring="off"`, and messages that do move the
// level send no signal. The control is the same messages after switching back on: from calm, they do send
// signals. "What's shared" lists exactly the signals that reached the server, and "Forget this chat" leaves no
// SDK key on the device.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CDPSession, Page } from 'puppeteer-core';
import { startShop, type RunningShop } from '../server.ts';
import { launchBrowser, type TestBrowser } from './browser.ts';
import { openChat, sendMessage, waitForTranscript } from './widget-page.ts';
import { readDeviceStorage, startRecorder, type RecordedRequest } from './cdp-recorder.ts';
import { waitFor } from './poll.ts';

let shop: RunningShop;
let browser: TestBrowser;
let cdp: CDPSession;
before(async () => {
  shop = await startShop();
  browser = await launchBrowser();
  cdp = await browser.browser.target().createCDPSession();
});
after(async () => {
  await cdp?.detach().catch(() => undefined);
  await browser?.close();
  await shop?.close();
});

const scoring = (page: Page) => page.evaluate(() => document.querySelector<HTMLElement>('temper-widget')?.dataset.scoring ?? null);
const isSignal = (r: RecordedRequest) => r.method === 'POST' && new URL(r.url).pathname === '/temper/v1/signals';
/** Worker targets Chromium reports for the whole browser (dedicated, shared and service workers). */
const workerTargets = async () => ((await cdp.send('Target.getTargets')).targetInfos ?? []).filter((t) => /worker/.test(t.type)).map((t) => t.url);
const sdkKeys = async (page: Page) => (await readDeviceStorage(page)).filter((i) => !(i.area === 'localStorage' && i.key === 'shop-cart'));

test('switched off, the worker stops and nothing more is sent; "What\'s shared" is what was sent; Forget leaves nothing', async () => {
  const ctx = await browser.browser.createBrowserContext();
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const rec = await startRecorder(page);
  try {
    await page.goto(`${shop.url}/`);
    await openChat(page);
    await waitFor(() => scoring(page), (s) => s === 'ready', 'scoring ready', 60_000);
    assert.ok(rec.liveWorkers().length >= 1, 'the scorer worker runs');
    assert.ok((await workerTargets()).some((u) => /temper-scorer-worker\.[\w-]+\.js$/.test(u)), 'Chromium lists the scorer worker');

    const bots = (t: Array<{ from: string }>) => t.filter((m) => m.from === 'bot').length;
    let expectBots = 0;
    const say = async (text: string) => {
      await sendMessage(page, text);
      expectBots++;
      await waitForTranscript(page, (t) => bots(t) >= expectBots, `bot answer ${expectBots}`, 30_000);
    };
    await say('Hi, do you ship to Canada?');

    // Off, from the panel.
    const sw = await page.waitForSelector('pierce/input.switch-input', { visible: true });
    assert.equal(await sw!.evaluate((i) => (i as HTMLInputElement).checked), true);
    await sw!.click();
    await waitFor(() => scoring(page), (s) => s === 'off', 'data-scoring="off"');
    const offAt = rec.requests.length;
    await waitFor(async () => rec.liveWorkers().length, (n) => n === 0, 'the worker target detached', 15_000);
    await waitFor(workerTargets, (w) => w.length === 0, 'no worker target left in Chromium', 15_000);
    assert.match(await page.$eval('pierce/p.notice', (p) => p.textContent ?? ''), /off/i);

    const sour = [
      'This is ridiculous. My order is two weeks late and nobody helps me!!!',
      'WORST SERVICE EVER. I am so angry, your answers are useless!!!',
      'You keep giving me the same useless answer. I am furious!!!',
    ];
    for (const text of sour) await say(text);
    assert.equal(await scoring(page), 'off');
    assert.deepEqual(await workerTargets(), [], 'no worker came back');

    // On again: a fresh worker scores what is said from now on, from calm. The same messages send signals,
    // so while off they would have too.
    await sw!.click();
    await waitFor(() => scoring(page), (s) => s === 'ready', 'scoring ready again', 60_000);
    const onAt = rec.requests.length;
    for (const text of sour) await say(text);
    await waitFor(async () => rec.requests.filter((r) => r.index >= onAt && isSignal(r)).length, (n) => n >= 1, 'signals after switching on', 30_000);

    const whileOff = rec.requests.filter((r) => r.index >= offAt && r.index < onAt);
    assert.ok(whileOff.some((r) => r.method === 'POST' && r.url.endsWith('/temper/v1/messages')), 'messages did go out while off');
    assert.deepEqual(whileOff.filter(isSignal).map((r) => r.postData), [], 'no POST /signals while off');

    // "What's shared": exactly the signals the server received, in order. The last message may still be in the
    // scorer when this starts (a signal POSTed a moment later), so both sides are read again until they agree.
    const toggle = await page.waitForSelector('pierce/button.shared-toggle', { visible: true });
    await toggle!.click();
    const readPosted = async () => {
      await rec.settle();
      return rec.requests
        .filter((r) => isSignal(r) && r.status !== null && r.status < 300)
        .map((r) => JSON.parse(r.postData!) as { seq: number; level: number; trend: number })
        .map(({ seq, level, trend }) => ({ seq, level, trend }));
    };
    const readShown = () =>
      page.$$eval('pierce/li.shared-item', (lis) =>
        lis.map((li) => ({ seq: Number((li as HTMLElement).dataset.seq), level: Number((li as HTMLElement).dataset.level), trend: Number((li as HTMLElement).dataset.trend) })),
      );
    const { shown, posted } = await waitFor(
      async () => ({ posted: await readPosted(), shown: await readShown() }),
      (v) => v.posted.length > 0 && v.shown.length === v.posted.length,
      '"What\'s shared" listing the signals the server accepted',
    );
    assert.deepEqual(shown, posted);

    // Forget this chat: nothing of the SDK stays on the device, and no worker runs.
    assert.ok((await sdkKeys(page)).length > 0, 'the SDK had stored something');
    await page.click('pierce/button.forget');
    // Issue 15, finding 6: before anything is forgotten, the reference the shop can find the conversation by — the
    // id the server filed it under — with a working Copy button (real clipboard, read back).
    await ctx.overridePermissions(shop.url, ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']);
    const ref = await page.waitForSelector('pierce/input#temper-ref', { visible: true });
    const shownRef = await ref!.evaluate((i) => (i as HTMLInputElement).value);
    const conversationId = await page.evaluate(() => (window as unknown as { Temper: (m: string) => { conversationId: string } }).Temper('getState').conversationId);
    assert.equal(shownRef, conversationId, 'the reference is the conversation id');
    assert.match(shownRef, /\S{8,}/);
    assert.ok((await sdkKeys(page)).length > 0, 'nothing forgotten before the visitor confirms');
    await page.click('pierce/button.copy');
    await page.waitForFunction(() => document.querySelector('temper-widget')?.shadowRoot?.querySelector('.ref-status')?.textContent === 'Copied.', { timeout: 10_000 });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), shownRef, 'the clipboard holds the reference');
    await page.click('pierce/button.forget-yes');
    const left = await waitFor(() => sdkKeys(page), (k) => k.length === 0, 'no SDK key left after Forget this chat', 15_000);
    assert.deepEqual(left, []);
    await waitFor(workerTargets, (w) => w.length === 0, 'no worker target after Forget', 15_000);
    assert.deepEqual(errors, []);
  } finally {
    await rec.stop();
    await ctx.close();
  }
});
