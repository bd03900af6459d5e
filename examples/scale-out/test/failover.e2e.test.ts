// A visitor in real Chromium talks to the shop through HAProxy (the committed haproxy.cfg) in front of three
// `npm run serve` instances on one real redis-server. Mid-conversation, the instance holding the visitor's event
// stream is killed with SIGKILL: the widget reconnects through the balancer to another instance, and every
// message — the visitor's and the bot's — is shown exactly once, in order, equal to the server's log.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { HTTPResponse } from 'puppeteer-core';
import { createAgentToken } from '@temper/server';
import { API_BASE } from '@temper/protocol';
import { launchBrowser, type TestBrowser } from '../../shop/test/browser.ts';
import { openChat, sendMessage, transcript, waitForTranscript, type ShownMessage } from '../../shop/test/widget-page.ts';
import { waitFor } from '../../shop/test/poll.ts';
import { startHaproxy, startInstance, startRedis, stopAll, type Balancer, type Instance, type RedisServer } from '../cluster.ts';
import { getJson } from './visitor.ts';

const secret = randomBytes(32).toString('hex');
let redis: RedisServer;
let instances: Instance[] = [];
let lb: Balancer;
let browser: TestBrowser;

before(async () => {
  redis = await startRedis();
  // Trust exactly the balancer's address for X-Forwarded-For (HAProxy replaces whatever the client sent).
  // The test reads a bot-only chat's log as a supervisor: staffAccess 'all' (issue 15; the default is 'escalated').
  const env = { TEMPER_SECRET: secret, TEMPER_REDIS_URL: redis.url, TEMPER_TRUST_PROXY: '127.0.0.1', TEMPER_SUPERVISORS_READ: 'all' };
  instances = await Promise.all(['s1', 's2', 's3'].map((n) => startInstance(n, env)));
  lb = await startHaproxy(instances.map((i) => `127.0.0.1:${i.port}`));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stopAll([lb, ...instances], 'kill');
  await redis?.stop();
});

test('kill -9 of the instance holding the visitor stream: the widget reconnects, nothing missed or duplicated', async () => {
  const page = await browser.browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // Which instance served each event stream (HAProxy names it in X-Temper-Instance), and the session.
  const streamServers: string[] = [];
  let session: { token: string; conversationId: string } | undefined;
  page.on('response', (r: HTTPResponse) => {
    const path = new URL(r.url()).pathname;
    if (path === `${API_BASE}/events` && r.status() === 200) streamServers.push(r.headers()['x-temper-instance'] ?? '?');
    if (path === `${API_BASE}/sessions` && r.status() === 201) void r.json().then((j: typeof session) => (session = j));
  });

  await page.goto(`${lb.url}/`);
  await openChat(page);
  await sendMessage(page, 'Where is my order? I want to track it');
  await waitForTranscript(page, (t) => t.filter((m) => m.from === 'bot').length === 1, 'the first bot answer');
  // Let on-device scoring finish loading (its wasm and model come through the balancer too): this test is about
  // the chat stream, not a scorer download cut by the kill.
  await page.waitForFunction(() => (document.querySelector('temper-widget') as HTMLElement | null)?.dataset.scoring === 'ready', {
    timeout: 60_000,
  });

  const holderName = streamServers.at(-1)!;
  const holder = instances.find((i) => i.name === holderName);
  assert.ok(holder, `the stream's instance is named by HAProxy (${streamServers.join(', ')})`);
  const streamsBefore = streamServers.length;
  await holder.kill();

  // Sent while the widget's stream is down: the POST goes to a live instance (HAProxy redispatches a refused
  // connection), and the widget must pick up the reply after it reconnects, from its Last-Event-ID.
  await sendMessage(page, 'How long does shipping take?');
  await waitForTranscript(page, (t) => t.filter((m) => m.from === 'bot').length === 2, 'the second bot answer, after the kill');
  await waitFor(async () => streamServers.length, (n) => n > streamsBefore, 'the widget reconnecting its stream');
  const now = streamServers.at(-1)!;
  assert.notEqual(now, holderName, 'the new stream is on another instance');

  await sendMessage(page, '我想退货，怎么办？');
  const shown = await waitForTranscript(page, (t) => t.filter((m) => m.from === 'bot').length === 3, 'the third bot answer');

  const visitor = shown.filter((m) => m.from === 'visitor');
  assert.deepEqual(
    visitor.map((m) => m.text),
    ['Where is my order? I want to track it', 'How long does shipping take?', '我想退货，怎么办？'],
    'each visitor message once, in order',
  );
  // The transcript is the server's log, message for message (the log read through a surviving instance).
  assert.ok(session, 'the session response was seen');
  const alive = instances.find((i) => i !== holder)!;
  const sup = createAgentToken(secret, { agentId: 'sup', name: 'Sup', role: 'supervisor', expiresAt: Date.now() + 600_000 });
  const r = await getJson(`${alive.url}${API_BASE}/agent/conversations/${session.conversationId}`, sup);
  assert.equal(r.status, 200);
  const logged = (r.body.events as Array<{ id: number; event: { type: string; from?: string; text?: string } }>)
    .filter((e) => e.event.type === 'message')
    .map((e) => ({ from: e.event.from!, text: e.event.text! }));
  const seen = (t: ShownMessage[]) => t.filter((m) => m.from !== 'system').map((m) => ({ from: m.from, text: m.text }));
  assert.deepEqual(seen(await transcript(page)), logged, 'the widget shows exactly the stored messages, in order');
  assert.equal(logged.length, 6);
  assert.deepEqual(errors, []);
  await page.close();
});
