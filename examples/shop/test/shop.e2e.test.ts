// The shop as a visitor uses it: real Chromium, the real shop server on a real socket, the widget from its
// built files. Covers issue 2's "must show": FAQ answers in English and Chinese, the transcript surviving a
// page navigation, and messages typed while the server is down arriving exactly once when it is back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createMemoryStore } from '@temper/server';
import { startShop, CSP, type RunningShop } from '../server.ts';
import { launchBrowser, type TestBrowser } from './browser.ts';
import { openChat, sendMessage, transcript, waitForTranscript } from './widget-page.ts';
import { builtFiles } from '../../../scripts/lib/built-files.ts';

const secret = randomBytes(32).toString('hex');
const store = createMemoryStore();
let shop: RunningShop;
let browser: TestBrowser;

before(async () => {
  shop = await startShop({ secret, store });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await shop?.close();
});

const hasCjk = (s: string) => /[\u4e00-\u9fff]/.test(s);

test('the shop serves its pages under the strict CSP, with the snippet', async () => {
  const res = await fetch(`${shop.url}/product/kettle`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-security-policy'), CSP);
  const html = await res.text();
  assert.match(html, /<script src="\/temper\/snippet\.js" data-src="\/temper\/temper\.js" referrerpolicy="no-referrer" defer><\/script>/);
  const js = await fetch(`${shop.url}/temper/temper.js`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type') ?? '', /javascript/);
  // The wasm goes out brotli-compressed to clients that accept it (fetch decodes it back transparently).
  const wasm = await fetch(`${shop.url}/temper/${builtFiles().assets.wasm}`, { headers: { 'accept-encoding': 'br' } });
  assert.equal(wasm.headers.get('content-encoding'), 'br');
  // Content-hashed files are cached for a year (a returning visitor downloads nothing); the two names a page
  // references directly keep their names across releases, so they are cached briefly.
  assert.equal(wasm.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  const panel = await fetch(`${shop.url}/temper/${builtFiles().cdn.panel.file}`);
  assert.equal(panel.status, 200);
  assert.equal(panel.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.equal(js.headers.get('cache-control'), 'public, max-age=300');
  const bytes = new Uint8Array(await wasm.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d], 'decodes to a wasm module');
});

test('a visitor asks in English and Chinese, navigates, and loses nothing while the server is down', async () => {
  const page = await browser.browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource|ERR_CONNECTION_REFUSED|net::/.test(m.text())) errors.push(m.text());
  });

  await page.goto(`${shop.url}/`);
  await openChat(page);

  await sendMessage(page, 'Where is my order? I want to track it');
  let t = await waitForTranscript(page, (t) => t.some((m) => m.from === 'bot'), 'an English bot answer');
  const en = t.find((m) => m.from === 'bot')!;
  assert.match(en.text, /order|track/i, 'the FAQ bot answers about orders');
  assert.ok(!hasCjk(en.text), 'the English question gets an English answer');

  await sendMessage(page, '我想退货，怎么办？');
  t = await waitForTranscript(page, (t) => t.filter((m) => m.from === 'bot').length >= 2, 'a Chinese bot answer');
  const zh = t.filter((m) => m.from === 'bot')[1]!;
  assert.ok(hasCjk(zh.text), `the Chinese question gets a Chinese answer: ${zh.text}`);
  assert.match(zh.text, /退/, 'the answer is about returns');

  // Another page of the shop: a full navigation, new document, new widget instance.
  await page.goto(`${shop.url}/cart`);
  await openChat(page);
  t = await waitForTranscript(page, (t) => t.length >= 4, 'the transcript after navigating');
  assert.deepEqual(
    t.filter((m) => m.from === 'visitor').map((m) => m.text),
    ['Where is my order? I want to track it', '我想退货，怎么办？'],
  );

  // Let on-device scoring finish loading first: the worker fetches its wasm and model from this server, and
  // this test is about the chat's outbox, not about a scorer that loses its server mid-download.
  await page.waitForFunction(() => (document.querySelector('temper-widget') as HTMLElement | null)?.dataset.scoring === 'ready', { timeout: 60_000 });

  // The server goes away. What the visitor sends now waits on the device…
  const port = new URL(shop.url).port;
  await shop.close();
  await sendMessage(page, 'Are you still there? My refund is missing');
  t = await waitForTranscript(
    page,
    (t) => t.some((m) => m.text === 'Are you still there? My refund is missing' && m.status === 'sending'),
    'the offline message shown as sending',
  );
  // …and arrives once the server is back (same store, same port, same secret: a restart).
  shop = await startShop({ secret, store, port: Number(port) });
  t = await waitForTranscript(
    page,
    (t) =>
      t.some((m) => m.text === 'Are you still there? My refund is missing' && m.status === 'sent') &&
      t.filter((m) => m.from === 'bot').length >= 3,
    'the queued message delivered and answered',
    30_000,
  );
  const mine = t.filter((m) => m.text === 'Are you still there? My refund is missing');
  assert.equal(mine.length, 1, 'shown once');

  // Exactly once on the server too.
  const ids = await store.listConversations();
  assert.equal(ids.length, 1, 'one conversation for one visitor');
  const events = await store.readEvents(ids[0]!, 0);
  const stored = events.filter((e) => e.event.type === 'message' && e.event.from === 'visitor' && e.event.text === 'Are you still there? My refund is missing');
  assert.equal(stored.length, 1, 'stored exactly once');
  assert.deepEqual(errors, []);
  await page.close();
});
