// Issue 9's "must show", on the shop in real Chromium with the shipped model scoring on the device:
// - a Chinese visitor asking 怎么退货 and 可以用支付宝付款吗 gets the FAQ bot's plain answers: no apology (the careful
//   tone), no signal above calm (no POST /signals with level ≥ 1), no handoff;
// - an English visitor resigning over three messages gets the careful tone (on the next answer; see the test).
// The expected replies are computed by the same FAQ bot called directly with each tone, so the test checks the
// tone the server chose, not a copy of the bot's wording.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { HTTPRequest, Page } from 'puppeteer-core';
import { createMemoryStore, type BotContext, type Store } from '@temper/server';
import type { MessageEvent, Signal } from '@temper/protocol';
import { createFaqBot } from '../faq-bot.ts';
import { startShop, type RunningShop } from '../server.ts';
import { widgetBanner } from './agent-console.ts';
import { launchBrowser, type TestBrowser } from './browser.ts';
import { openChat, sendMessage, waitForTranscript, type ShownMessage } from './widget-page.ts';

let browser: TestBrowser;
let shop: RunningShop;
let store: Store;
before(async () => {
  store = createMemoryStore();
  shop = await startShop({ secret: randomBytes(32).toString('hex'), store });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await shop?.close();
});

interface Visit {
  page: Page;
  /** Bodies of every POST /signals the page made. */
  posted: Signal[];
  /** File names of the models the page loaded. */
  models: string[];
  close: () => Promise<void>;
}

async function visit(): Promise<Visit> {
  const ctx = await browser.browser.createBrowserContext();
  const page = await ctx.newPage();
  const posted: Signal[] = [];
  const models: string[] = [];
  page.on('request', (r: HTTPRequest) => {
    const path = new URL(r.url()).pathname;
    if (r.method() === 'POST' && path === '/temper/v1/signals') posted.push(JSON.parse(r.postData() ?? 'null') as Signal);
    if (path.endsWith('.onnx')) models.push(path.split('/').pop()!);
  });
  await page.goto(`${shop.url}/`);
  await openChat(page);
  await page.waitForFunction(() => document.querySelector<HTMLElement>('temper-widget')?.dataset.scoring === 'ready', { timeout: 60_000 });
  return { page, posted, models, close: () => ctx.close() };
}

const bots = (t: ShownMessage[]) => t.filter((m) => m.from === 'bot');
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * Sends one message and waits for the bot's answer, then gives the on-device scorer time to score the message
 * and POST its signal (if any) before the next one. Scoring takes milliseconds; 1.5 s is slack for a loaded
 * machine, not a performance claim. Nothing can be polled for here: "no signal" is the absence of a request.
 */
async function say(v: Visit, text: string): Promise<string> {
  const before = bots(await waitForTranscript(v.page, () => true, 'transcript')).length;
  await sendMessage(v.page, text);
  const t = await waitForTranscript(v.page, (t) => bots(t).length > before, `the answer to "${text}"`, 30_000);
  await new Promise((r) => setTimeout(r, 1_500));
  return squash(bots(t).at(-1)!.text);
}

/** What the shop's FAQ bot answers to `text` in a tone, called directly (no server, no model). */
async function botSays(text: string, over: Pick<BotContext, 'tone'> & Partial<BotContext>): Promise<string> {
  const m: MessageEvent = { type: 'message', id: 'expected', from: 'visitor', text, at: 0, clientId: 'expected-01' };
  const ctx: BotContext = { language: /\p{Script=Han}/u.test(text) ? 'zh' : 'en', abortSignal: new AbortController().signal, ...over };
  const r = await createFaqBot()({ id: 'expected', transcript: [] }, m, ctx);
  return squash(r!.text);
}

async function handoffs(): Promise<number> {
  let n = 0;
  for (const id of await store.listConversations()) for (const e of await store.readEvents(id, 0)) if (e.event.type === 'handoff') n++;
  return n;
}

test('zh: 怎么退货 and 可以用支付宝付款吗 get plain answers — no apology, no signal above calm, no handoff', async () => {
  const v = await visit();
  // v1 (issue 9's measurement) failed here: 怎么退货 → level 1, so the Alipay question got 很抱歉给您带来了困扰.
  assert.equal(v.models.length, 1, `the page loaded one model: ${v.models.join(', ')}`);
  const before = await handoffs();
  try {
    for (const q of ['怎么退货', '可以用支付宝付款吗']) {
      const got = await say(v, q);
      const plain = await botSays(q, { tone: 'neutral' });
      const careful = await botSays(q, { tone: 'careful' });
      assert.notEqual(plain, careful, 'the two tones differ for this question');
      assert.equal(got, plain, `"${q}" got the careful tone (the level the device reported: ${JSON.stringify(v.posted)})`);
      assert.doesNotMatch(got, /抱歉/, `"${q}": no apology`);
    }
    assert.deepEqual(v.posted.filter((s) => s.level >= 1), [], 'no signal above calm left the device');
    assert.equal(await widgetBanner(v.page), '', 'no handoff banner');
    assert.equal(await handoffs(), before, 'no handoff event');
  } finally {
    await v.close();
  }
});

test('en: a visitor resigning over three messages gets the careful tone', async () => {
  const v = await visit();
  try {
    for (const l of ["ok this still isn't sorted", 'I give up honestly', 'whatever, forget it']) await say(v, l);
    assert.ok(v.posted.some((s) => s.level >= 1), `the device reported at least uneasy: ${JSON.stringify(v.posted)}`);
    // The server picks the tone of a reply from the last signal it holds when the message arrives, and the
    // device scores a message while it is being sent, so whether the answer to the third message already carries
    // that message's own signal is a race. The visitor's next message is past the race: its answer is careful.
    const next = 'so where is my parcel now?';
    const got = await say(v, next);
    const careful = [await botSays(next, { tone: 'careful' }), await botSays(next, { tone: 'careful', noAgentAvailable: true })];
    assert.notEqual(got, await botSays(next, { tone: 'neutral' }), `"${next}" was answered in the neutral tone`);
    assert.ok(careful.includes(got), `"${next}" got the careful answer: ${got}`);
  } finally {
    await v.close();
  }
});
