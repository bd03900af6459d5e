// The egress proof of issue 6: a whole scripted conversation on the shop (calm → frustrated → a person) in real
// Chromium, every request of the page and of its workers recorded over the DevTools protocol, and each one held
// against packages/protocol/egress-manifest.json — endpoints, headers, body fields and their ranges, SDK files —
// using the manifest's own data. Drafts (typed, never sent) must appear nowhere. What the SDK left on the device
// must be listed in the manifest's storage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createAgentToken, createMemoryStore } from '@temper/server';
import { useSharedShop } from './shop-world.ts';
import { openChat, sendMessage, transcript, waitForTranscript } from './widget-page.ts';
import { readDeviceStorage, startRecorder, type RecordedRequest } from './cdp-recorder.ts';
import { waitFor } from './poll.ts';
import { checkEgress, matchEndpoint, unlistedStorage, type Manifest } from './egress-check.ts';

const manifest = JSON.parse(readFileSync(new URL('../../../packages/protocol/egress-manifest.json', import.meta.url), 'utf8')) as Manifest;
const secret = randomBytes(32).toString('hex');
const store = createMemoryStore();
const env = useSharedShop({ secret, store });

const api = (r: RecordedRequest, id: string) => {
  const e = matchEndpoint(manifest, r.method, new URL(r.url));
  return e?.id === id;
};

async function agentCall(path: string, body: unknown): Promise<unknown> {
  const token = createAgentToken(secret, { agentId: 'egress-agent', name: 'Mei', role: 'agent', expiresAt: Date.now() + 3600_000 });
  const res = await fetch(`${env.shop.url}/temper/v1/agent${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  assert.ok(res.ok, `agent ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as unknown;
}

test('the checker refuses what the manifest does not allow (so the proof below can fail)', () => {
  const origin = 'http://127.0.0.1:1';
  const ok: RecordedRequest = {
    index: 0,
    from: 'page',
    requestId: '1',
    method: 'POST',
    url: `${origin}/temper/v1/signals`,
    type: 'Fetch',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${'a'.repeat(40)}` },
    wireHeaders: { host: '127.0.0.1:1', 'content-length': '37' },
    postData: JSON.stringify({ v: 1, seq: 1, level: 2, trend: 1 }),
    status: 200,
  };
  assert.deepEqual(checkEgress(manifest, [ok], origin, ['DRAFT-x']), []);
  const bad = (patch: Partial<RecordedRequest>) => checkEgress(manifest, [{ ...ok, ...patch }], origin, ['DRAFT-x']);
  const signal = (b: unknown) => bad({ postData: JSON.stringify(b) });
  assert.match(signal({ v: 1, seq: 1, level: 2, trend: 1, p: 0.93 }).join(), /field p is not in the manifest/);
  assert.match(signal({ v: 1, seq: 1, level: '2', trend: 1 }).join(), /field level "2" is not one of/);
  assert.match(signal({ v: 1, seq: 0, level: 2, trend: 1 }).join(), /field seq 0 is outside/);
  assert.match(signal({ v: 1, seq: 1, level: 2 }).join(), /field trend is missing \(a required field\)/);
  const session = (b: unknown) => bad({ url: `${origin}/temper/v1/sessions`, headers: { 'content-type': 'application/json' }, postData: JSON.stringify(b) });
  const user = { id: 'cust-1042', hash: 'a'.repeat(64) };
  assert.deepEqual(session({ locale: 'en', user }), []);
  assert.match(session({ user: { ...user, email: 'li@example.com' } }).join(), /field user email is not in the manifest/);
  assert.match(session({ user: { id: 'li@example.com', hash: user.hash } }).join(), /field user id does not match/);
  assert.match(session({ user: { id: user.id } }).join(), /field user hash is missing/);
  assert.match(bad({ headers: { ...ok.headers, 'x-typing-ms': '120' } }).join(), /header x-typing-ms is in neither/);
  assert.match(bad({ headers: { ...ok.headers, authorization: 'Bearer short' } }).join(), /header authorization .* does not match/);
  assert.match(bad({ url: `${origin}/temper/v1/signals?d=DRAFT-x` }).join(), /carries the draft DRAFT-x.*query string/);
  assert.match(bad({ wireHeaders: { ...ok.wireHeaders, 'x-draft': 'DRAFT-x' } }).join(), /carries the draft/);
  assert.match(bad({ url: `${origin}/temper/v1/keystrokes` }).join(), /not a request of the manifest/);
  assert.match(bad({ method: 'GET', url: `${origin}/temper/telemetry.js`, postData: null }).join(), /not in the manifest's assets/);
  assert.match(bad({ method: 'GET', url: `${origin}/shop.css?draft=1`, postData: null }).join(), /query string on a page/);
  assert.match(bad({ url: 'http://evil.example/collect' }).join(), /not the shop's origin/);
  assert.match(bad({ postData: JSON.stringify({ id: 'abcdefgh1', text: 'DRAFT-x' }), url: `${origin}/temper/v1/messages` }).join(), /carries the draft/);
  assert.deepEqual(unlistedStorage(manifest, [{ area: 'localStorage', key: 'temper/kv/keystrokes' }]), [{ area: 'localStorage', key: 'temper/kv/keystrokes' }]);
});

test('the shop publishes the same manifest: /temper/egress-manifest.json and the tables of /privacy', async () => {
  const served = await (await fetch(`${env.shop.url}/temper/egress-manifest.json`)).json();
  assert.deepEqual(served, manifest, 'the served manifest is the committed one (run `npm run build` if not)');
  const html = await (await fetch(`${env.shop.url}/privacy`)).text();
  for (const r of manifest.requests) {
    assert.ok(html.includes(`<code>${r.method} ${manifest.apiBase}${r.path}</code>`), `/privacy lists ${r.id}`);
    for (const f of r.body?.fields ?? []) assert.ok(html.includes(`<td><code>${f.name}</code></td>`), `/privacy lists ${r.id}.${f.name}`);
  }
  // One row per storage key (issue 12: keys listed once), naming every area the key can live in.
  for (const st of manifest.storage) {
    const row = new RegExp(`<tr><td><code>${st.key}</code></td><td>(.*?)</td>`).exec(html);
    assert.ok(row, `/privacy lists ${st.key}`);
    assert.ok(row[1]!.toLowerCase().includes(st.area.toLowerCase()), `/privacy lists ${st.key} in ${st.area}: ${row[1]}`);
    assert.equal(html.split(`<tr><td><code>${st.key}</code></td>`).length, 2, `/privacy lists ${st.key} once`);
  }
});

test('a whole conversation, calm → frustrated → a person, sends only what the manifest lists, and no draft', async () => {
  const ctx = await env.browser.browser.createBrowserContext();
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const rec = await startRecorder(page);
  const tag = randomBytes(6).toString('hex');
  const draftDeleted = `DRAFTDEL-${tag}`;
  const draftKept = `DRAFT-${tag}`;
  const draftCleared = `DRAFTCLR-${tag}`;
  try {
    await page.goto(`${env.shop.url}/`);
    await page.waitForFunction(() => typeof (window as unknown as { Temper?: unknown }).Temper === 'function');
    await page.evaluate(() => {
      const w = window as unknown as { Temper: (...a: unknown[]) => void; __seen: { signals: unknown[]; handoffs: Array<{ state: string }> } };
      w.__seen = { signals: [], handoffs: [] };
      w.Temper('on', 'signal', (s: unknown) => w.__seen.signals.push(s));
      w.Temper('on', 'handoff', (h: { state: string }) => w.__seen.handoffs.push(h));
    });
    await openChat(page);
    await page.waitForFunction(() => document.querySelector<HTMLElement>('temper-widget')?.dataset.scoring === 'ready', { timeout: 60_000 });

    // A draft typed and then deleted key by key, before anything is sent.
    const input = await page.waitForSelector('pierce/textarea.input', { visible: true });
    await input!.type(draftDeleted);
    for (let i = 0; i < draftDeleted.length; i++) await page.keyboard.press('Backspace');
    assert.equal(await input!.evaluate((t) => (t as HTMLTextAreaElement).value), '');

    const bots = (t: Array<{ from: string }>) => t.filter((m) => m.from === 'bot').length;
    const calm = ['Hi, do you ship to Canada?', 'How long does delivery usually take?'];
    const angry = [
      'This is ridiculous. My order is two weeks late and nobody helps me!!!',
      'WORST SERVICE EVER. I am so angry, your answers are useless!!!',
      'You keep giving me the same useless answer. I am furious and I want my money back NOW!!!',
    ];
    let expectBots = 0;
    for (const text of [...calm, ...angry]) {
      await sendMessage(page, text);
      expectBots++;
      await waitForTranscript(page, (t) => bots(t) >= expectBots, `bot answer ${expectBots}`, 30_000);
    }
    // The frustration reached the server as signals (the scorer works on what the visitor sent).
    await waitFor(async () => rec.requests.filter((r) => api(r, 'send-signal')).length, (n) => n >= 1, 'a POST /signals', 30_000);

    // A draft written and then wiped with select-all + delete, between two sends.
    await input!.type(draftCleared);
    await input!.click({ count: 3 });
    await page.keyboard.down('Control');
    await page.keyboard.press('KeyA');
    await page.keyboard.up('Control');
    await page.keyboard.press('Delete');
    assert.equal(await input!.evaluate((t) => (t as HTMLTextAreaElement).value), '');

    // A person is online; the visitor asks for one.
    await agentCall('/presence', { status: 'online' });
    await sendMessage(page, 'I want to talk to a real person');
    await waitFor(
      () => page.evaluate(() => (window as unknown as { __seen: { handoffs: Array<{ state: string }> } }).__seen.handoffs.map((h) => h.state)),
      (s) => s.includes('queued'),
      'a handoff to the queue',
      30_000,
    );
    const banner = await page.evaluate(() => document.querySelector('temper-widget')?.shadowRoot?.querySelector<HTMLElement>('.banner')?.innerText ?? '');
    assert.match(banner, /person|line/i, 'the handoff banner is shown');

    // A draft left in the composer while the agent joins and replies (the widget keeps talking to the server).
    await input!.type(draftKept);
    const [conversationId] = await store.listConversations();
    assert.ok(conversationId, 'conversationId');
    await agentCall(`/conversations/${conversationId}/claim`, {});
    await agentCall(`/conversations/${conversationId}/messages`, { text: `Hi, Mei here (${tag}). Let me look.` });
    await waitForTranscript(page, (t) => t.some((m) => m.from === 'agent' && m.text.includes(tag)), 'the agent reply', 30_000);
    assert.equal(await input!.evaluate((t) => (t as HTMLTextAreaElement).value), draftKept, 'the draft is still unsent in the composer');
    const reported = await page.evaluate(() => (window as unknown as { __seen: { signals: unknown[] } }).__seen.signals);
    // Leaving the page (pagehide: the moment beacons would go) with the draft still there, then coming back.
    await page.goto(`${env.shop.url}/cart`);
    await openChat(page);
    await waitForTranscript(page, (t) => t.some((m) => m.from === 'agent' && m.text.includes(tag)), 'the transcript after navigating');

    await rec.settle();
    const reqs = rec.requests;
    if (process.env.EGRESS_DEBUG) console.log(reqs.map((r) => `${r.from} ${r.method} ${r.url} ${r.type} ${r.status}`).join('\n'), rec.workers.map((w) => `${w.from} ${w.detached}`));
    // Not vacuous: the conversation really happened on the wire.
    const count = (id: string) => reqs.filter((r) => api(r, id)).length;
    assert.ok(count('open-session') >= 1, 'a session was opened');
    const sentIds = new Set(reqs.filter((r) => api(r, 'send-message')).map((r) => (JSON.parse(r.postData!) as { id: string }).id));
    assert.equal(sentIds.size, calm.length + angry.length + 1, 'every sent message went out (retries share an id)');
    assert.ok(count('send-signal') >= 1, 'at least one signal was POSTed');
    assert.ok(count('read-events') >= 1, 'the event stream was read');
    assert.ok(reqs.some((r) => /temper-scorer-worker\.[\w-]+\.js$/.test(r.url)), 'the scorer worker was loaded');
    assert.ok(reqs.some((r) => /\.onnx$/.test(r.url)), 'the model was loaded');
    assert.ok(reqs.some((r) => r.from.startsWith('worker') && /\.wasm$/.test(r.url)), "the worker's own wasm request was recorded");

    assert.deepEqual(checkEgress(manifest, reqs, env.shop.url, [draftDeleted, draftCleared, draftKept]), []);

    // The signals the page reported are exactly the bodies that were POSTed, and hold the manifest's fields only.
    const posted = reqs.filter((r) => api(r, 'send-signal')).map((r) => JSON.parse(r.postData!) as Record<string, unknown>);
    const signalFields = manifest.requests.find((e) => e.id === 'send-signal')!.body!.fields.map((f) => f.name).sort();
    for (const s of posted) assert.deepEqual(Object.keys(s).sort(), signalFields);
    assert.deepEqual(reported, posted.slice(0, reported.length), 'the signal hook shows what was sent');

    // Every key the SDK wrote on the device is in the manifest's storage list (the cart is the shop's own).
    const items = (await readDeviceStorage(page)).filter((i) => !(i.area === 'localStorage' && i.key === 'shop-cart'));
    assert.ok(items.some((i) => i.area === 'indexedDB' && i.key === 'temper/kv/conversation'), `the conversation is stored: ${JSON.stringify(items)}`);
    assert.ok(items.some((i) => i.area === 'indexedDB' && i.key === 'temper/kv/signals'), 'the signals record is stored');
    assert.deepEqual(unlistedStorage(manifest, items), []);
    assert.deepEqual(errors, []);
  } finally {
    await rec.stop();
    await ctx.close();
  }
});

// Issue 15, findings 1 and 8: the shop opened at a URL that carries an order number and an email (as a checkout or
// a mail link does). No file request of the widget — temper.js, the lazy chunks, the worker, the model, the wasm —
// nor any API call carries the page's path or query as Referer; a card number typed in the chat leaves the device
// masked; and what came from the browser's cache (the worker, started from the copy fetched without a Referer)
// never went on the network.
test('file requests carry no page path or query in Referer, and a typed card number is masked on the wire', async () => {
  const ctx = await env.browser.browser.createBrowserContext();
  const page = await ctx.newPage();
  const rec = await startRecorder(page);
  const secretQuery = 'order=A12345&email=li%40example.com';
  try {
    await page.goto(`${env.shop.url}/cart?${secretQuery}`);
    await openChat(page);
    await page.waitForFunction(() => document.querySelector<HTMLElement>('temper-widget')?.dataset.scoring === 'ready', { timeout: 60_000 });
    await sendMessage(page, 'my card is 4111 1111 1111 1111, can you refund it?');
    await waitForTranscript(page, (t) => t.some((m) => m.from === 'bot'), 'a bot answer', 30_000);
    await waitForTranscript(page, (t) => t.some((m) => m.from === 'visitor' && m.text.includes('•••• •••• •••• 1111')), 'the masked message in the thread');
    await rec.settle();
    // Every request of the SDK: its files and its API (the shop's own CSS and scripts are the host's business).
    const reqs = rec.requests.filter((r) => r.url.startsWith(`${env.shop.url}/temper/`));
    if (process.env.EGRESS_DEBUG) console.log(reqs.map((r) => `${r.from} ${r.url} cache=${r.fromCache} wire=${r.wireHeaders ? Object.keys(r.wireHeaders).join(",") : "null"} status=${r.status} hdr=${JSON.stringify(r.headers.referer)}`).join('\n'));
    // Not vacuous: every kind of file was requested.
    for (const f of [/\/temper\/temper\.js$/, /temper-panel\.[\w-]+\.js$/, /temper-scoring\.[\w-]+\.js$/, /temper-scorer-worker\.[\w-]+\.js$/, /\.onnx$/, /\.wasm$/])
      assert.ok(reqs.some((r) => f.test(r.url)), `requested: ${f}`);
    // The Referer as the page set it (Chromium reports it there) and as it went on the wire, when the wire was seen
    // (a worker's main script started from the cache, or a worker's own request, may have no wire record).
    for (const r of reqs) {
      for (const referer of [r.headers.referer, r.wireHeaders?.referer])
        assert.ok(!referer || referer === `${env.shop.url}/`, `${r.from}: ${r.method} ${r.url} sent Referer ${referer}`);
      for (const v of [...Object.values(r.headers), ...Object.values(r.wireHeaders ?? {})])
        assert.ok(!v.includes('A12345') && !v.includes('/cart'), `${r.url}: a header carries the page's URL: ${v}`);
    }
    // The worker's script: fetched once without a Referer on the wire, and the Worker then started from that copy.
    const worker = reqs.filter((r) => /temper-scorer-worker\.[\w-]+\.js$/.test(r.url) && r.from === 'page');
    assert.ok(worker.some((r) => r.wireHeaders !== null && !r.wireHeaders.referer), 'the worker script went on the wire without a Referer');
    const posted = reqs.filter((r) => api(r, 'send-message')).map((r) => r.postData ?? '');
    assert.ok(posted.length >= 1, 'the message was POSTed');
    for (const body of posted) {
      assert.ok(!/4111 1111 1111 1111|4111111111111111/.test(body), `a full card number on the wire: ${body}`);
      assert.match(body, /•••• •••• •••• 1111/);
    }
    const stored = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((ok, fail) => {
        const o = indexedDB.open('temper');
        o.onsuccess = () => ok(o.result);
        o.onerror = () => fail(o.error);
      });
      const r = db.transaction('kv').objectStore('kv').getAll();
      const all = await new Promise<unknown[]>((ok) => (r.onsuccess = () => ok(r.result)));
      db.close();
      return JSON.stringify(all);
    });
    assert.ok(!/4111 1111 1111 1111|4111111111111111/.test(stored), 'no full card number in IndexedDB');
    assert.ok(stored.includes('•••• •••• •••• 1111'), 'the masked number is what is stored');
  } finally {
    await rec.stop();
    await ctx.close();
  }
});


// Issue 15, finding 2: the "shared device" mode (`storage: 'session'`) leaves nothing once the tab is closed — no
// transcript in IndexedDB, localStorage or sessionStorage, and a new tab of the same browser shows no chat.
test("shared-device mode (storage: 'session') leaves nothing after the tab closes", async () => {
  const ctx = await env.browser.browser.createBrowserContext();
  try {
    const page = await ctx.newPage();
    // The host's boot call, as a shared-computer site would write it: the snippet keeps this queue and replays it.
    await page.evaluateOnNewDocument(() => {
      const q: unknown[] = [];
      const w = window as unknown as { Temper: ((...a: unknown[]) => void) & { q?: unknown[] } };
      w.Temper = Object.assign(
        function (...a: unknown[]) {
          if (a[0] === 'boot') a[1] = { ...(a[1] as object), storage: 'session' };
          q.push(a);
        },
        { q },
      );
    });
    await page.goto(`${env.shop.url}/`);
    await openChat(page);
    await sendMessage(page, 'Do you ship to Canada? My name is Li Wei.');
    await waitForTranscript(page, (t) => t.some((m) => m.from === 'bot'), 'a bot answer', 30_000);
    const during = await readDeviceStorage(page);
    assert.ok(during.some((i) => i.area === 'sessionStorage' && i.key === 'temper/kv/conversation'), `kept in this tab: ${JSON.stringify(during)}`);
    assert.deepEqual(during.filter((i) => i.area !== 'sessionStorage' && i.key !== 'shop-cart'), [], 'nothing outside sessionStorage');
    await page.close();

    const next = await ctx.newPage();
    await next.goto(`${env.shop.url}/`);
    await next.waitForFunction(() => (window as unknown as { Temper?: { loaded?: boolean } }).Temper?.loaded === true);
    const left = (await readDeviceStorage(next)).filter((i) => i.key.startsWith('temper'));
    assert.deepEqual(left, [], 'nothing of the chat is left on the device');
    await openChat(next);
    assert.deepEqual(await transcript(next), [], 'the next person sees no chat');
  } finally {
    await ctx.close();
  }
});

// Issue 15, finding 3: a message the host sent with Temper('send') before the visitor opened the chat (and so before
// the mood-detection notice was shown) is never scored, and nothing of the scorer — createScorer, the worker, the
// model (the wasm comes after the worker) — is fetched before the notice is on screen.
test("what Temper('send') sent before the chat was opened is never scored; nothing for scoring loads before the notice", async () => {
  const ctx = await env.browser.browser.createBrowserContext();
  const page = await ctx.newPage();
  const rec = await startRecorder(page);
  try {
    await page.evaluateOnNewDocument(() => {
      // When the notice first appears in the widget's shadow root (performance.now(), the clock of resource timing).
      const w = window as unknown as { __noticeAt?: number; __bots: number };
      w.__bots = 0;
      const attach = Element.prototype.attachShadow;
      Element.prototype.attachShadow = function (init: ShadowRootInit) {
        const root = attach.call(this, init);
        new MutationObserver(() => {
          if (w.__noticeAt === undefined && root.querySelector('.privacy .notice')) w.__noticeAt = performance.now();
        }).observe(root, { childList: true, subtree: true });
        return root;
      };
    });
    await page.goto(`${env.shop.url}/`);
    await page.waitForFunction(() => (window as unknown as { Temper?: { loaded?: boolean } }).Temper?.loaded === true);
    await page.evaluate(() => {
      const w = window as unknown as { Temper: (...a: unknown[]) => void; __bots: number };
      w.Temper('on', 'message', (m: { from: string }) => void (m.from === 'bot' && w.__bots++));
      w.Temper('send', 'This is RIDICULOUS. Two weeks late and nobody helps me!!!');
      w.Temper('send', 'WORST SERVICE EVER. I am furious, I want my money back NOW!!!');
    });
    await page.waitForFunction(() => (window as unknown as { __bots: number }).__bots >= 2, { timeout: 30_000 });
    const scorerFile = /temper-scorer\.[\w-]+\.js$|temper-scorer-worker\.[\w-]+\.js$|\.onnx$|\.wasm$/;
    assert.deepEqual(rec.requests.filter((r) => scorerFile.test(r.url)).map((r) => r.url), [], 'nothing of the scorer before the chat is opened');

    await openChat(page);
    await page.waitForFunction(() => document.querySelector<HTMLElement>('temper-widget')?.dataset.scoring === 'ready', { timeout: 60_000 });
    const timing = await page.evaluate(() => ({
      noticeAt: (window as unknown as { __noticeAt?: number }).__noticeAt ?? null,
      files: performance.getEntriesByType('resource').map((e) => ({ name: e.name, start: e.startTime })),
    }));
    assert.ok(timing.noticeAt !== null, 'the notice was shown');
    const scorerFiles = timing.files.filter((f) => scorerFile.test(f.name));
    assert.ok(scorerFiles.some((f) => /\.onnx$/.test(f.name)) && scorerFiles.some((f) => /worker/.test(f.name)), `the model and the worker were fetched: ${JSON.stringify(scorerFiles)}`);
    for (const f of scorerFiles) assert.ok(f.start >= timing.noticeAt!, `${f.name} was fetched at ${f.start} ms, before the notice (${timing.noticeAt} ms)`);

    // A message after the notice is read by the scorer; the two from before never were (they would have sent a signal).
    const readSignals = () =>
      page.evaluate(async () => {
        const db = await new Promise<IDBDatabase>((ok, fail) => {
          const o = indexedDB.open('temper');
          o.onsuccess = () => ok(o.result);
          o.onerror = () => fail(o.error);
        });
        const r = db.transaction('kv').objectStore('kv').get('signals');
        const v = await new Promise<unknown>((ok) => (r.onsuccess = () => ok(r.result)));
        db.close();
        return (v ?? null) as { since: string | null; upTo: string | null } | null;
      });
    const marked = await waitFor(readSignals, (s) => Boolean(s?.since), 'the record marks where scoring starts');
    await sendMessage(page, 'Thanks. Could you check the status of my order, please?');
    await waitFor(() => page.evaluate(() => (window as unknown as { __bots: number }).__bots), (n) => n >= 3, 'the third bot answer', 30_000);
    await waitFor(readSignals, (s) => s?.upTo !== marked!.since, 'the scorer read the new message', 30_000);
    await rec.settle();
    assert.deepEqual(rec.requests.filter((r) => api(r, 'send-signal')).map((r) => r.postData), [], 'no signal: nothing from before the notice was scored');
  } finally {
    await rec.stop();
    await ctx.close();
  }
});
