// Issue 4's "must show", on the shop in real Chromium with the real model: a polite chat keeps level 0 and sends
// no signal; a souring chat raises the level, and every change produces exactly one POST /signals, the same
// signal the host sees through Temper('on', 'signal', cb), with seq increasing by one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HTTPRequest, Page } from 'puppeteer-core';
import { validate, schemas, type Signal } from '@temper/protocol';
import { useSharedShop } from './shop-world.ts';
import { openChat, sendMessage, waitForTranscript } from './widget-page.ts';

const env = useSharedShop({});

interface Recorded {
  posted: unknown[];
  events: () => Promise<Signal[]>;
}

/** Opens the shop in a fresh profile, records POST /signals bodies and the host-visible `signal` events. */
async function visit(): Promise<{ page: Page; rec: Recorded; close: () => Promise<void> }> {
  const ctx = await env.browser.browser.createBrowserContext();
  const page = await ctx.newPage();
  const posted: unknown[] = [];
  page.on('request', (r: HTTPRequest) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/temper/v1/signals') posted.push(JSON.parse(r.postData() ?? 'null'));
  });
  await page.goto(`${env.shop.url}/`);
  // What a host would write: listen through the public API, before or after load (the stub queues it).
  await page.evaluate(() => {
    const w = window as unknown as { Temper: (...a: unknown[]) => void; __signals: unknown[] };
    w.__signals = [];
    w.Temper('on', 'signal', (s: unknown) => w.__signals.push(s));
  });
  await openChat(page);
  await page.waitForFunction(() => (document.querySelector('temper-widget') as HTMLElement | null)?.dataset.scoring === 'ready', { timeout: 60_000 });
  const events = () => page.evaluate(() => (window as unknown as { __signals: Signal[] }).__signals);
  return { page, rec: { posted, events }, close: () => ctx.close() };
}

async function chat(page: Page, lines: readonly string[]): Promise<void> {
  for (let i = 0; i < lines.length; i++) {
    await sendMessage(page, lines[i]!);
    await waitForTranscript(page, (t) => t.filter((m) => m.from === 'bot').length >= i + 1, `the answer to message ${i + 1}`, 30_000);
  }
}

/** Waits until the page has settled: every host-visible signal has its POST and vice versa (or time runs out). */
async function settled(rec: Recorded): Promise<Signal[]> {
  const end = Date.now() + 10_000;
  let ev = await rec.events();
  while (Date.now() < end && ev.length !== rec.posted.length) {
    await new Promise((r) => setTimeout(r, 100));
    ev = await rec.events();
  }
  return ev;
}

test('a polite chat on the shop stays calm: no signal leaves the device', async () => {
  const { page, rec, close } = await visit();
  await chat(page, [
    'Hello! Could you tell me how long shipping takes?',
    'Thank you, that is helpful.',
    'Do you accept PayPal?',
    'Great, thanks a lot. Have a nice day!',
  ]);
  const ev = await settled(rec);
  assert.deepEqual(rec.posted, [], 'level 0 and steady: nothing to send');
  assert.deepEqual(ev, []);
  await close();
});

test('a souring chat raises the level; each change is one POST /signals, as the host sees it', async () => {
  const { page, rec, close } = await visit();
  await chat(page, [
    'Hi, where is my order?',
    'It still has not arrived and it has been two weeks.',
    'This is ridiculous. Nobody answers my emails!!',
    'Absolutely unacceptable, the worst service I have ever had!!!',
    'I am furious. Refund me NOW!!!',
  ]);
  const ev = await settled(rec);
  assert.ok(ev.length >= 1, 'the level changed at least once');
  assert.ok(ev.some((s) => s.level >= 2), `the level reached 2: ${JSON.stringify(ev)}`);
  // One POST per change, the very same signals, nothing else in them, seq 1, 2, 3, …
  assert.deepEqual(rec.posted, ev);
  for (const [i, s] of ev.entries()) {
    assert.equal(validate(schemas.signal, s).ok, true, JSON.stringify(s));
    assert.equal(s.seq, i + 1);
    if (i > 0) {
      const prev = ev[i - 1]!;
      assert.ok(prev.level !== s.level || prev.trend !== s.trend, 'a signal only when level or trend changed');
    }
  }
  // The host backend has the last one.
  const ids = await env.shop.temper.store.listConversations();
  const states = await Promise.all(ids.map((id) => env.shop.temper.store.getSignalState(id)));
  const last = ev[ev.length - 1]!;
  assert.ok(states.some((st) => st !== null && st.level === last.level && st.seq === last.seq), 'the server stored the last signal');
  await close();
});
