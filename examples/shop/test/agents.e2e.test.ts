// Agents and supervisors (issue 14) end to end: the agent console and the supervisor's board in real Chromium
// against the real shop server on a real socket. Visitors talk over the same HTTP API the widget uses (their
// signals are set exactly, which the real model could not promise); everything staff see and do is in the browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Page } from 'puppeteer-core';
import { API_BASE } from '@temper/protocol';
import { newPage, startWorld, stopWorld, useShopBrowser, type World } from './shop-world.ts';
import { goOnline } from './agent-console.ts';
import { waitFor } from './poll.ts';

useShopBrowser();

/** A staff member signed in through the console's demo form, with the languages and skills ticked. */
async function staff(w: World, name: string, role: 'agent' | 'supervisor', languages: string[] = [], skills: string[] = []): Promise<Page> {
  const page = await newPage(w, name);
  await page.goto(`${w.shop.url}/agent`);
  const input = await page.waitForSelector('#signin-name', { visible: true });
  await input!.type(name);
  await page.click(`input[name="role"][value="${role}"]`);
  for (const l of languages) await page.click(`input[name="language"][value="${l}"]`);
  for (const k of skills) await page.click(`input[name="skill"][value="${k}"]`);
  await page.click('.signin-form button[type="submit"]');
  if (role === 'agent') await goOnline(page);
  else await page.waitForSelector('.board');
  return page;
}

/** A visitor on the widget's HTTP API (real socket): session, messages, signals. */
async function visitor(w: World, locale: 'en' | 'zh-CN') {
  const base = w.shop.url + API_BASE;
  const r = await fetch(`${base}/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locale }) });
  const { token, conversationId } = (await r.json()) as { token: string; conversationId: string };
  let seq = 0;
  const send = async (path: string, body: unknown) => {
    const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    assert.ok(res.status < 300, `${path}: ${res.status}`);
  };
  return {
    id: conversationId,
    say: (text: string) => send('/messages', { id: `e2e-${randomBytes(6).toString('hex')}`, text }),
    signal: (level: number, trend: number) => send('/signals', { v: 1, seq: ++seq, level, trend }),
  };
}

const state = async (w: World, id: string) => (await w.store.getConversation(id))!;
const shownChat = (page: Page) =>
  page.evaluate(() => ({
    reasons: document.querySelector<HTMLElement>('.match-reasons')?.dataset.reasons ?? '',
    text: document.querySelector('.match-reasons')?.textContent ?? '',
    chats: [...document.querySelectorAll<HTMLElement>('.chat-list .chat-open')].map((b) => b.dataset.conversationId),
  }));

test('an angry Chinese chat goes to the Chinese de-escalation agent with the reasons; suggestions fill the composer on Alt+1', async () => {
  const w = await startWorld();
  try {
    const tom = await staff(w, 'Tom', 'agent', ['en'], ['orders', 'payments']);
    const mei = await staff(w, 'Mei', 'agent', ['zh', 'en'], ['de-escalation']);
    const v = await visitor(w, 'zh-CN');
    await v.say('我的订单到底在哪里？已经等了两个星期了');
    // The FAQ bot answers and names the topic (late-delivery) before the signal turns the chat angry.
    await waitFor(async () => (await state(w, v.id)).meta.topic, (t) => t === 'late-delivery', 'the bot topic');
    await v.signal(3, 1);
    const shown = await waitFor(() => shownChat(mei), (s) => s.reasons !== '', 'the chat open in Mei’s console with reasons');
    assert.equal(shown.reasons, 'language skill-unmatched de-escalation');
    assert.match(shown.text, /speaks the language.*de-escalates/);
    assert.deepEqual(shown.chats, [v.id]);
    assert.equal((await state(w, v.id)).meta.agentName, 'Mei');
    assert.deepEqual((await shownChat(tom)).chats, [], 'Tom (English only) did not get it');

    // Level 3: suggestions in Chinese, late delivery first (the topic); Alt+1 fills the composer, nothing is sent.
    await mei.waitForSelector('.assist .assist-suggestion');
    const first = await mei.$eval('.assist-suggestion[data-key="1"]', (li) => ({ scenario: (li as HTMLElement).dataset.scenario, text: li.querySelector('.assist-text')?.textContent ?? '' }));
    assert.equal(first.scenario, 'late-delivery');
    assert.match(first.text, /[\u4e00-\u9fff]/);
    assert.equal(await mei.$eval('.assist', (s) => (s as HTMLElement).dataset.language), 'zh');
    await mei.keyboard.down('Alt');
    await mei.keyboard.press('Digit1');
    await mei.keyboard.up('Alt');
    await waitFor(() => mei.$eval('#reply-input', (t) => (t as HTMLTextAreaElement).value), (val) => val === first.text, 'the composer filled');
    const events = (await w.store.readEvents(v.id, 0)).map((e) => e.event);
    assert.equal(events.some((e) => e.type === 'message' && e.from === 'agent'), false, 'never sent automatically');
    await waitFor(async () => (await w.store.readAudit({ conversationId: v.id })).filter((e) => e.action === 'assist-used').map((e) => e.reasons[0]), (r) => r[0] === 'late-delivery', 'the use counted');
    // The agent edits and sends it herself.
    await mei.focus('#reply-input');
    await mei.keyboard.press('Enter');
    await waitFor(async () => (await w.store.readEvents(v.id, 0)).filter((e) => e.event.type === 'message' && e.event.from === 'agent').length, (n) => n === 1, 'her reply');
    // The feedback label.
    await mei.click('.label-upset');
    await waitFor(async () => (await state(w, v.id)).meta.label, (l) => (l as { upset?: boolean } | undefined)?.upset === true, 'the label');
    assert.deepEqual(w.errors, []);
  } finally {
    await stopWorld(w);
  }
});

test('emotional load: a third angry chat goes to the equally qualified colleague, and the console suggests a break', async () => {
  const w = await startWorld({ agents: { breakAfter: 2 } });
  try {
    const ann = await staff(w, 'Ann', 'agent', ['en'], ['de-escalation']);
    for (const n of [1, 2]) {
      const v = await visitor(w, 'en');
      await v.signal(3, 0);
      await waitFor(async () => (await state(w, v.id)).meta.agentName, (a) => a === 'Ann', `angry chat ${n} to Ann`);
    }
    await ann.waitForSelector('.break-notice');
    assert.match(await ann.$eval('.break-notice', (p) => p.textContent ?? ''), /2 angry chats in a row/);
    const bob = await staff(w, 'Bob', 'agent', ['en'], ['de-escalation']);
    const third = await visitor(w, 'en');
    await third.signal(3, 0);
    const shown = await waitFor(() => shownChat(bob), (s) => s.reasons !== '', 'the third chat in Bob’s console');
    assert.equal(shown.reasons, 'language de-escalation load-protected');
    assert.match(shown.text, /spared a colleague a third angry chat/);
    assert.equal((await state(w, third.id)).meta.agentName, 'Bob');
    assert.deepEqual(w.errors, []);
  } finally {
    await stopWorld(w);
  }
});

test('the supervisor sees a rising chat on the live board, notes it and takes it over', async () => {
  const w = await startWorld();
  try {
    const sam = await staff(w, 'Sam', 'supervisor');
    const ann = await staff(w, 'Ann', 'agent', ['en'], ['orders']);
    const v = await visitor(w, 'en');
    await v.say('Where is my order? It is late again');
    await v.signal(1, 0);
    await sam.waitForSelector(`.board-chats tr[data-conversation-id="${v.id}"]`);
    const t0 = Date.now();
    await v.signal(1, 1);
    await sam.waitForSelector(`.board-warnings li[data-conversation-id="${v.id}"]`, { timeout: 15_000 });
    console.log(`# board: rising chat on the supervisor's board in Chromium ${Date.now() - t0} ms after its signal was sent (target ≤ 2000 ms)`);
    assert.match(await sam.$eval(`.board-warnings li[data-conversation-id="${v.id}"]`, (li) => li.textContent ?? ''), /Level 1 uneasy, rising for/);
    // It gets worse; Ann gets it from the router; the board shows who has it; Sam leaves a note and takes over.
    await v.signal(2, 1);
    await waitFor(async () => (await state(w, v.id)).meta.agentName, (a) => a === 'Ann', 'Ann assigned');
    await waitFor(() => sam.$eval(`.board-chats tr[data-conversation-id="${v.id}"] .b-agent`, (td) => td.textContent ?? ''), (t) => t.startsWith('Ann'), 'the board shows Ann');
    await sam.click(`.board-chats tr[data-conversation-id="${v.id}"] .b-note`);
    await sam.type(`.board-chats tr[data-conversation-id="${v.id}"] .b-note-form textarea`, 'Second late parcel this month: offer the shipping back');
    await sam.click(`.board-chats tr[data-conversation-id="${v.id}"] .b-note-form button[type="submit"]`);
    await waitFor(async () => (await w.store.listStaffNotes(v.id)).length, (n) => n === 1, 'the note');
    await sam.click(`.board-chats tr[data-conversation-id="${v.id}"] .b-takeover`);
    await waitFor(async () => (await state(w, v.id)).meta.agentName, (a) => a === 'Sam', 'the take-over');
    await waitFor(() => shownChat(ann), (s) => s.chats.length === 0, 'gone from Ann’s chats');
    // The per-agent review on /reports: Ann took one chat (routed), Sam one (take-over).
    await sam.goto(`${w.shop.url}/reports`);
    await sam.waitForSelector('.agent-report .agents-table tbody tr');
    const rows = await sam.$$eval('.agents-table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent ?? '')));
    assert.equal(rows.length, 2);
    assert.deepEqual(rows.map((r) => r.slice(1)).sort(), [['1', '0'], ['1', '1']]);
    assert.ok(await sam.$('.agent-report svg.bars-chart'), 'await sam.$(\'.agent-report svg.bars-chart\')');
    assert.deepEqual(w.errors, []);
  } finally {
    await stopWorld(w);
  }
});
