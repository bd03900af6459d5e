// The example receiver against a real Temper server over real sockets: signed events arrive, a failed attempt
// is retried with the same idempotency key, forged requests are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAgentToken, signWebhook } from '@temper/server';
import { SECRET, post, session, start, until } from '../../../packages/server/test/helpers.ts';
import { startReceiver } from '../receiver.ts';

const HOOK_SECRET = 'webhook-secret-webhook-secret-0123456789';

test('signed conversation events reach the receiver, again after it failed once, with one idempotency key', async () => {
  const r = await startReceiver({ secret: HOOK_SECRET, failFirst: true });
  const s = await start({ webhooks: { url: r.url, secret: HOOK_SECRET, backoffMs: 50, pollMs: 25 } });
  // The helper's clock stands still; let it follow real time so backoff delays pass.
  const tick = setInterval(() => (s.clock.t = Date.now()), 10);
  try {
    const agent = createAgentToken(SECRET, { agentId: 'ana', name: 'Ana', role: 'agent', ttlMs: 86_400_000 });
    await post(s.base, '/agent/presence', { status: 'online' }, agent);
    const v = await session(s.base, 'en');
    await post(s.base, '/signals', { v: 1, seq: 1, level: 3, trend: 1 }, v.token);
    await until(() => r.events.some((e) => e.type === 'conversation.queued'), 'queued');
    assert.equal((await post(s.base, `/agent/conversations/${v.conversationId}/claim`, {}, agent)).status, 200);
    assert.equal((await post(s.base, `/agent/conversations/${v.conversationId}/close`, {}, agent)).status, 200);
    await until(() => r.events.length >= 3, 'three events');
    // Each event backs off on its own, so claimed and closed may arrive in either order (README: not ordered).
    assert.deepEqual(r.events.map((e) => e.type).sort(), ['conversation.claimed', 'conversation.closed', 'conversation.queued']);
    const byType = (t: string) => r.events.find((e) => e.type === t)!;
    assert.ok(byType('conversation.claimed').createdAt <= byType('conversation.closed').createdAt, 'createdAt tells the order');
    for (const e of r.events) {
      assert.equal(e.data.conversationId, v.conversationId);
      const tries = r.requests.filter((q) => q.key === e.id);
      // Failed once (503), then delivered: same key, attempts 1 and 2, both genuine.
      assert.deepEqual(tries.map((q) => [q.status, q.attempt, q.verified, q.type]), [[503, 1, true, e.type], [200, 2, true, e.type]]);
    }
    assert.equal(byType('conversation.claimed').data.agentId, 'ana');
    assert.equal(typeof byType('conversation.claimed').data.waitMs, 'number');
    assert.equal(JSON.stringify(r.events).includes('text'), false, 'no message text in any event');
    // The receiver stored the third event before Temper read its 200: wait for the sender's side.
    await until(() => s.handler.stats().webhooksSent === 3, 'three deliveries counted');
    assert.deepEqual(await s.handler.store.listWebhooks(), []);
    const stats = s.handler.stats();
    assert.deepEqual([stats.webhooksSent, stats.webhooksFailed, stats.webhooksDropped], [3, 3, 0]);

    // A forged signature, a stale one, and the right one.
    const body = JSON.stringify({ id: 'wh_forged', type: 'conversation.closed', createdAt: 1, data: {} });
    const send = (sig: string) => fetch(r.url, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'wh_forged', 'temper-signature': sig }, body });
    assert.equal((await send(signWebhook('another-secret-another-secret-0123456789', body, Date.now()))).status, 401);
    assert.equal((await send(signWebhook(HOOK_SECRET, body, Date.now() - 10 * 60_000))).status, 401);
    assert.equal((await send(signWebhook(HOOK_SECRET, body, Date.now()))).status, 503, 'genuine: the receiver’s fail-first answers');
  } finally {
    clearInterval(tick);
    await s.close();
    await r.close();
  }
});

test('an event the receiver never takes is dropped after maxAttempts; emitWebhook and bad options', async () => {
  const r = await startReceiver({ secret: 'not-the-same-secret-not-the-same-secret' });
  const s = await start({ webhooks: { url: r.url, secret: HOOK_SECRET, backoffMs: 10, pollMs: 20, maxAttempts: 3, events: ['callback.requested'] } });
  const tick = setInterval(() => (s.clock.t = Date.now()), 5);
  try {
    assert.equal(await s.handler.emitWebhook('callback.requested', { conversationId: 'c-1', phone: null }, 'wh_cb_1'), true);
    assert.equal(await s.handler.emitWebhook('callback.requested', { conversationId: 'c-1' }, 'wh_cb_1'), false, 'same key once');
    assert.equal(await s.handler.emitWebhook('conversation.queued', {}), false, 'not subscribed');
    await until(() => s.handler.stats().webhooksDropped === 1, 'the drop');
    assert.deepEqual(r.requests.map((q) => [q.status, q.attempt]), [[401, 1], [401, 2], [401, 3]]);
    assert.deepEqual(await s.handler.store.listWebhooks(), []);
  } finally {
    clearInterval(tick);
    await s.close();
    await r.close();
  }
  await assert.rejects(start({ webhooks: { url: 'ftp://x', secret: HOOK_SECRET } }), /http or https/);
  await assert.rejects(start({ webhooks: { url: 'http://127.0.0.1:1/', secret: 'short' } }), /at least 32 bytes/);
});

test('a callback the visitor leaves while no one is online reaches the receiver as callback.requested, without the contact', async () => {
  const r = await startReceiver({ secret: HOOK_SECRET });
  const s = await start({ webhooks: { url: r.url, secret: HOOK_SECRET, pollMs: 25, events: ['callback.requested'] } });
  try {
    const v = await session(s.base, 'en');
    assert.equal((await post(s.base, '/messages', { id: 'cb-000001', text: 'I want to talk to a real person' }, v.token)).status, 201);
    assert.equal((await post(s.base, '/messages', { id: 'cb-000002', text: 'my email is dana@example.com' }, v.token)).status, 201);
    await until(() => r.events.length === 1, 'callback.requested');
    const e = r.events[0]!;
    assert.equal(e.type, 'callback.requested');
    assert.equal(e.data.conversationId, v.conversationId);
    assert.equal(JSON.stringify(e).includes('dana@'), false, 'the contact stays on the host: staff read it with the agent API');
  } finally {
    await s.close();
    await r.close();
  }
});
