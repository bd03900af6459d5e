// Identity verification and bidi isolation (issue 11), end to end: real Chromium against the real shop on a
// real socket, one browser context per device or person (own cookies, own IndexedDB).
// - The same verified customer on two devices gets the same conversation (the transcript appears on device 2,
//   and what device 2 sends shows on device 1); an anonymous visitor and another customer see nothing of it;
//   after sign-out the device shows nothing of it either.
// - A forged hash is refused: the `error` event with `identity-invalid`, the panel's message (en and zh-CN),
//   no conversation started, no retries.
// - Finding 9: a name with U+202E cannot reorder the labels around it (bounding boxes of the rendered words),
//   and visitor text renders in its own isolate, in the widget and in the agent console.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { Page } from 'puppeteer-core';
import { newPage, startWorld, stopWorld, useShopBrowser, type World } from './shop-world.ts';
import { openChat, sendMessage, transcript, waitForTranscript } from './widget-page.ts';
import { clickClaim, goOnline, signIn, waitForConsoleTranscript, waitForQueue } from './agent-console.ts';
import { waitFor } from './poll.ts';

useShopBrowser();

/** A device: its own browser context (cookies, IndexedDB), with page errors and CSP violations collected (the refused
 * hash's 401 is expected: newPage does not count the browser's "Failed to load resource" lines). */
const newDevice = (w: World, label: string): Promise<Page> => newPage(w, label);

/** Signs the device in as a demo customer through the shop's /account page (a real form POST). */
async function signInAsCustomer(page: Page, w: World, id: string): Promise<void> {
  await page.goto(`${w.shop.url}/account`);
  await Promise.all([page.waitForNavigation(), page.click(`button.sign-in-as[data-customer="${id}"]`)]);
  assert.match(await page.$eval('#account-status', (p) => p.textContent ?? ''), new RegExp(`customer id ${id}`));
}

const customerConversations = async (w: World, userId: string | undefined) => {
  const out: string[] = [];
  for (const id of await w.store.listConversations()) if ((await w.store.getConversation(id))?.userId === userId) out.push(id);
  return out;
};

/** Errors the widget emitted on this page (recorded by a listener added with Temper('on', 'error')). */
const widgetErrors = (p: Page) => p.evaluate(() => ((window as unknown as { __errors?: Array<{ code: string }> }).__errors ?? []).map((e) => e.code));

test('a verified customer gets the same conversation on a second device; an anonymous visitor and another customer see nothing of it', async () => {
  const w = await startWorld();
  try {
    const one = await newDevice(w, 'device 1');
    await signInAsCustomer(one, w, 'cust-1042');
    await one.goto(`${w.shop.url}/`);
    await openChat(one);
    await sendMessage(one, 'Where is my order 1042? It has not arrived.');
    await waitForTranscript(one, (t) => t.some((m) => m.from === 'bot'), 'the bot answers on device 1');
    const [cid] = await customerConversations(w, 'cust-1042');
    assert.ok(cid, 'the conversation belongs to cust-1042 on the server');

    const two = await newDevice(w, 'device 2');
    await signInAsCustomer(two, w, 'cust-1042');
    await two.goto(`${w.shop.url}/product/kettle`);
    await openChat(two);
    const onTwo = await waitForTranscript(two, (t) => t.some((m) => m.text.includes('order 1042')) && t.some((m) => m.from === 'bot'), 'the transcript on device 2, before typing');
    assert.equal(onTwo[0]?.from, 'visitor');
    await sendMessage(two, 'Sent from my phone: any update?');
    await waitForTranscript(one, (t) => t.some((m) => m.text === 'Sent from my phone: any update?'), 'device 2’s message on device 1');
    assert.deepEqual(await customerConversations(w, 'cust-1042'), [cid], 'still one conversation');

    const anon = await newDevice(w, 'anonymous');
    await anon.goto(`${w.shop.url}/`);
    await openChat(anon);
    await sendMessage(anon, 'Hello, do you ship to Canada?');
    const anonT = await waitForTranscript(anon, (t) => t.some((m) => m.from === 'bot'), 'the anonymous visitor’s bot answer');
    assert.ok(!anonT.some((m) => /1042|phone/.test(m.text)), `anonymous sees nothing of it: ${JSON.stringify(anonT)}`);

    const other = await newDevice(w, 'another customer');
    await signInAsCustomer(other, w, 'cust-2077');
    await other.goto(`${w.shop.url}/`);
    await openChat(other);
    await waitFor(() => customerConversations(w, 'cust-2077'), (c) => c.length === 1, 'cust-2077’s own session');
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(await transcript(other), [], 'another customer sees an empty chat of their own');

    // Device 1 signs out: the shop's pages are anonymous again and the widget drops the customer's chat.
    await one.goto(`${w.shop.url}/account`);
    await Promise.all([one.waitForNavigation(), one.click('button.sign-out')]);
    await one.goto(`${w.shop.url}/`);
    await openChat(one);
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(await transcript(one), [], 'after sign-out the device shows nothing of the customer’s chat');
    assert.deepEqual(w.errors, []);
  } finally {
    await stopWorld(w);
  }
});

test('a forged hash is refused: identity-invalid, a clear message in the panel (en, zh-CN), no conversation started', async () => {
  const w = await startWorld();
  try {
    const page = await newDevice(w, 'forger');
    const sessionPosts: number[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith('/temper/v1/sessions') && r.request().method() === 'POST') sessionPosts.push(r.status());
    });
    await page.goto(`${w.shop.url}/`);
    await page.waitForSelector('pierce/button.launcher', { visible: true });
    // What someone could do in devtools: claim to be cust-1042 with a hash not made by the shop's server.
    const forged = createHmac('sha256', 'not-the-shops-identity-secret-0123456789abcdef').update('cust-1042').digest('hex');
    const boot = (locale: 'en' | 'zh-CN') =>
      page.evaluate(
        async (hash, locale) => {
          const T = (window as unknown as { Temper: (...a: unknown[]) => unknown }).Temper;
          const w = window as unknown as { __errors: Array<{ code: string }> };
          w.__errors = [];
          await T('shutdown');
          T('on', 'error', (e: { code: string }) => w.__errors.push(e));
          T('boot', { endpoint: '/temper/v1', locale, user: { id: 'cust-1042', hash } });
          T('open');
        },
        forged,
        locale,
      );
    const before = (await w.store.listConversations()).length;
    await boot('en');
    await waitFor(() => widgetErrors(page), (e) => e.includes('identity-invalid'), 'the identity-invalid error event');
    const shown = await page.evaluate(() => {
      const root = document.querySelector('temper-widget')!.shadowRoot!;
      const p = root.querySelector<HTMLElement>('p.offline')!;
      return { hidden: p.hidden, role: p.getAttribute('role'), text: p.textContent, disabled: root.querySelector<HTMLTextAreaElement>('textarea.input')!.disabled };
    });
    assert.deepEqual(shown, {
      hidden: false,
      role: 'alert',
      text: 'We could not verify your account, so the chat cannot start. Please sign in again.',
      disabled: true,
    });
    await new Promise((r) => setTimeout(r, 2500));
    assert.deepEqual(sessionPosts, [401], 'one refused POST /sessions, not retried');
    assert.equal((await w.store.listConversations()).length, before, 'no conversation was started');
    assert.equal(w.shop.temper.stats().refused['identity-invalid'], 1);
    assert.deepEqual(await transcript(page), []);

    await boot('zh-CN');
    await waitFor(() => widgetErrors(page), (e) => e.includes('identity-invalid'), 'identity-invalid again (zh-CN)');
    const zh = await page.evaluate(() => document.querySelector('temper-widget')!.shadowRoot!.querySelector<HTMLElement>('p.offline')!.textContent);
    assert.equal(zh, '无法验证您的账户，聊天无法开始，请重新登录。');
    assert.equal((await w.store.listConversations()).length, before);
    assert.deepEqual(w.errors, []);
  } finally {
    await stopWorld(w);
  }
});

/** Left edges of each word's rendered box (Range rects) in the first element matching `selector` that holds them all. */
function wordBoxes(page: Page, selector: string, words: string[], inWidget: boolean) {
  return page.evaluate(
    (selector, words, inWidget) => {
      const root: ParentNode = inWidget ? document.querySelector('temper-widget')!.shadowRoot! : document;
      const el = [...root.querySelectorAll(selector)].find((e) => words.every((x) => e.textContent!.includes(x)));
      if (!el) return null;
      const out: Record<string, number> = {};
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        for (const word of words) {
          const i = n.textContent!.indexOf(word);
          if (i < 0 || word in out) continue;
          const r = document.createRange();
          r.setStart(n, i);
          r.setEnd(n, i + word.length);
          out[word] = r.getBoundingClientRect().left;
        }
      }
      return out;
    },
    selector,
    words,
    inWidget,
  );
}

const increasing = (xs: number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]!);

test('bidi controls in names and visitor text cannot reorder what surrounds them, in the widget and the console (finding 9)', async () => {
  const w = await startWorld();
  try {
    const RLO = '\u202E';
    const agent = await newDevice(w, 'agent');
    await signIn(agent, w.shop.url, `${RLO}Mei`);
    await goOnline(agent);
    const visitor = await newDevice(w, 'visitor');
    await visitor.goto(`${w.shop.url}/`);
    await openChat(visitor);
    await sendMessage(visitor, `I want a human ${RLO}gnihtemos`);
    const [item] = await waitForQueue(agent, (q) => q.length === 1, 'the chat in the queue');
    await clickClaim(agent, item!.conversationId);
    await waitForConsoleTranscript(agent, (l) => l.some((x) => x.from === 'visitor'), 'the transcript in the console');

    // The widget's banner "<name> joined the chat.": the words after the name stay in reading order.
    await waitFor(() => wordBoxes(visitor, '.banner', ['joined', 'the', 'chat'], true), (b) => !!b && Object.keys(b).length === 3, 'the agent banner');
    const banner = (await wordBoxes(visitor, '.banner', ['joined', 'the', 'chat'], true))!;
    assert.ok(increasing([banner.joined!, banner.the!, banner.chat!]), `banner words left to right: ${JSON.stringify(banner)}`);
    const nameRight = await visitor.evaluate(() => document.querySelector('temper-widget')!.shadowRoot!.querySelector('.banner bdi')!.getBoundingClientRect().right);
    assert.ok(nameRight <= banner.joined! + 0.5, 'the name stays before "joined"');

    // The console: the handoff line "<name> took the chat." and the header "Signed in as <name> (agent)".
    const took = await waitFor(() => wordBoxes(agent, '.transcript li.handoff', ['took', 'the', 'chat'], false), (b) => !!b && Object.keys(b).length === 3, 'the console handoff line');
    assert.ok(increasing([took!.took!, took!.the!, took!.chat!]), `console handoff words left to right: ${JSON.stringify(took)}`);
    const header = (await wordBoxes(agent, '.who-am-i', ['Signed', 'as', 'agent'], false))!;
    assert.ok(increasing([header.Signed!, header.as!, header.agent!]), `console header in order: ${JSON.stringify(header)}`);

    // Visitor text: its own element with its own direction and an isolate, in both places (in the widget the
    // bubble is dir=auto since issue 12's RTL fix, so an Arabic message reads right to left).
    const widgetText = await visitor.evaluate(() => {
      const b = document.querySelector('temper-widget')!.shadowRoot!.querySelector<HTMLElement>('li.msg.visitor .bubble')!;
      return { dir: b.getAttribute('dir'), bidi: getComputedStyle(b).unicodeBidi, text: b.querySelector('.text')!.textContent };
    });
    assert.deepEqual(widgetText, { dir: 'auto', bidi: 'isolate', text: `I want a human ${RLO}gnihtemos` });
    const consoleText = await agent.evaluate(() => {
      const t = document.querySelector('.transcript li.msg.from-visitor .text')!;
      return { dir: t.getAttribute('dir'), bidi: getComputedStyle(t).unicodeBidi, who: getComputedStyle(document.querySelector('.transcript li.msg .who')!).unicodeBidi };
    });
    assert.deepEqual(consoleText, { dir: 'auto', bidi: 'isolate', who: 'isolate' });
    // And the visitor's time label stays right of the text in the console line.
    const line = await agent.evaluate(() => {
      const [who, text, at] = ['.who', '.text', '.at'].map((s) => document.querySelector(`.transcript li.msg.from-visitor ${s}`)!.getBoundingClientRect());
      return { who: who!.right, textLeft: text!.left, textRight: text!.right, at: at!.left };
    });
    assert.ok(line.who <= line.textLeft && line.textRight <= line.at, `who | text | time in order: ${JSON.stringify(line)}`);
    assert.deepEqual(w.errors, []);
  } finally {
    await stopWorld(w);
  }
});
