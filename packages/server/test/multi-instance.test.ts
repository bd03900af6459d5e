// Two createTemperServer instances, each on its own real socket, sharing one memory Store and one memory
// Coordination: they must behave as one server. This proves the wiring (what goes through Coordination);
// @temper/server-redis's conformance suite proves the Redis implementation of the same interfaces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createAgentToken,
  createMemoryCoordination,
  createMemoryStore,
  type Coordination,
  type Store,
  type TemperServerOptions,
} from '@temper/server';
import { SECRET, api, openEvents, post, session, start, type Running, type SseFrame } from './helpers.ts';

const agent = createAgentToken(SECRET, { agentId: 'agent-m', name: 'Mei', role: 'agent', ttlMs: 86_400_000 });
const supervisor = createAgentToken(SECRET, { agentId: 'sup-m', name: 'Sam', role: 'supervisor', ttlMs: 86_400_000 });

interface Pair {
  a: Running;
  b: Running;
  store: Store;
  coordination: Coordination;
  clock: { t: number };
  close(): Promise<void>;
}

async function pair(opts: Partial<TemperServerOptions> = {}, store: Store = createMemoryStore()): Promise<Pair> {
  const coordination = createMemoryCoordination();
  const clock = { t: Date.now() };
  const shared = { store, coordination, now: () => clock.t, ...opts };
  const a = await start(shared);
  const b = await start(shared);
  return {
    a,
    b,
    store,
    coordination,
    clock,
    async close() {
      await a.close();
      await b.close();
      await coordination.close();
      await store.close();
    },
  };
}

const presence = (s: Running, status: 'online' | 'offline') => api(s, 'POST', '/agent/presence', agent, { status });
const isHandoff = (state: string) => (f: SseFrame) => f.event.type === 'handoff' && f.event.state === state;

test('decisions of one conversation never interleave, even when A and B take its requests at the same moment', async () => {
  // The store is real; this wrapper only records the order of two calls of every decision and widens the gap
  // between them, so that two decisions running at once would show as S S A A instead of S A S A.
  const inner = createMemoryStore();
  const order: string[] = [];
  const store: Store = {
    ...inner,
    async getSignalState(id) {
      order.push('S');
      await sleep(5);
      return inner.getSignalState(id);
    },
    async appendAudit(entry) {
      if (entry.action === 'decision') order.push('A');
      return inner.appendAudit(entry);
    },
  };
  const p = await pair({}, store);
  try {
    const v = await session(p.a.base);
    let seq = 0;
    for (let round = 0; round < 8; round++) {
      const [x, y] = round % 2 === 0 ? [p.a, p.b] : [p.b, p.a];
      const r = await Promise.all([
        post(x.base, '/messages', { id: `lock-${String(round).padStart(6, '0')}`, text: 'where is my parcel' }, v.token),
        post(y.base, '/signals', { v: 1, seq: ++seq, level: 1, trend: 0 }, v.token),
      ]);
      assert.deepEqual(r.map((q) => q.status), [201, 200]);
    }
    assert.equal(order.length, 32, '16 decisions, each one S and one A');
    assert.equal(order.join(''), 'SA'.repeat(16));
  } finally {
    await p.close();
  }
});

test('an agent online on A is seen by routing on B, and a handoff made on B reaches the queue stream on A', async () => {
  const p = await pair();
  try {
    assert.equal((await presence(p.a, 'online')).status, 200);
    const queue = await openEvents(`${p.a.base}/agent/queue`, agent);
    assert.equal(queue.status, 200);
    assert.deepEqual(((await queue.take(1))[0]!.event as unknown as { items: unknown[] }).items, []);
    const v = await session(p.b.base);
    const ev = await openEvents(p.b.base, v.token);
    assert.equal((await post(p.b.base, '/messages', { id: 'xi-0000001', text: 'I want to talk to a human' }, v.token)).status, 201);
    const queued = await ev.until(isHandoff('queued'));
    assert.ok(queued.event.type === 'handoff' && queued.event.position === 1, 'B routed to a person because of the agent on A');
    const snap = await queue.until((f) => (f.event as unknown as { items: Array<{ conversationId: string }> }).items.length > 0);
    assert.equal((snap.event as unknown as { items: Array<{ conversationId: string }> }).items[0]!.conversationId, v.conversationId);
    // The claim on A is seen by the visitor's stream on B (Store.subscribe) and the queue empties on A.
    assert.equal((await api(p.a, 'POST', `/agent/conversations/${v.conversationId}/claim`, agent)).status, 200);
    await ev.until(isHandoff('agent'));
    await queue.until((f) => (f.event as unknown as { items: unknown[] }).items.length === 0);
    ev.close();
    queue.close();
  } finally {
    await p.close();
  }
});

test('an agent going online on A re-routes a visitor waiting on B; going offline on B sends them back to the bot', async () => {
  const p = await pair();
  try {
    const v = await session(p.b.base);
    const ev = await openEvents(p.b.base, v.token);
    await post(p.b.base, '/messages', { id: 'rr-0000001', text: 'let me talk to a real person' }, v.token);
    const notice = await ev.until((f) => f.event.type === 'message' && f.event.from === 'system');
    assert.ok(notice.event.type === 'message' && /No one from our team is online/.test(notice.event.text), 'notice.event.type === \'message\' && /No one from our team is online/.test(notice.event.text)');
    assert.equal((await presence(p.a, 'online')).status, 200);
    await ev.until(isHandoff('queued'));
    assert.equal((await presence(p.b, 'offline')).status, 200);
    await ev.until(isHandoff('bot'));
    ev.close();
  } finally {
    await p.close();
  }
});

test('rate-limit buckets are shared: per session and per IP across A and B', async () => {
  const p = await pair({ limits: { perIp: { burst: 5, perSecond: 0.001 }, perSession: { burst: 2, perSecond: 0.001 } } });
  try {
    const v = await session(p.a.base); // ip 1
    assert.equal((await post(p.a.base, '/signals', { v: 1, seq: 1, level: 0, trend: 0 }, v.token)).status, 200); // ip 2, session 1
    assert.equal((await post(p.b.base, '/signals', { v: 1, seq: 2, level: 0, trend: 0 }, v.token)).status, 200); // ip 3, session 2
    const s3 = await post(p.a.base, '/signals', { v: 1, seq: 3, level: 0, trend: 0 }, v.token); // ip 4, session empty
    assert.deepEqual([s3.status, s3.body.error.code], [429, 'rate-limited']);
    assert.equal((await post(p.b.base, '/sessions', {})).status, 201); // ip 5
    assert.equal((await post(p.a.base, '/sessions', {})).status, 429, 'the IP bucket filled on both instances together');
  } finally {
    await p.close();
  }
});

test('presence expiry is noticed once, by one instance, not once per instance', async () => {
  // heartbeatMs 40 → each instance sweeps every 40 ms (real time); the injected clock decides who expired.
  // Reading presence is slowed down (as over a network) so that two instances sweeping at nearly the same time
  // would both see the expiry before either re-routed it.
  const inner = createMemoryStore();
  const store: Store = {
    ...inner,
    async listAgents() {
      await sleep(30);
      return inner.listAgents();
    },
  };
  const p = await pair({ heartbeatMs: 40, presenceTtlMs: 60_000 }, store);
  try {
    await presence(p.a, 'online');
    const v = await session(p.b.base);
    const ev = await openEvents(p.b.base, v.token);
    await post(p.b.base, '/messages', { id: 'ex-0000001', text: 'I want a human' }, v.token);
    await ev.until(isHandoff('queued'));
    await sleep(200); // both instances have swept with the agent online
    p.clock.t += 61_000; // the agent's laptop closed a minute ago
    await ev.until(isHandoff('bot'));
    await sleep(300); // several more sweeps on both
    const audit = (await api(p.b, 'GET', `/agent/audit?conversationId=${v.conversationId}`, supervisor)).body.entries as Array<{ action: string; trigger?: string }>;
    const reRouted = audit.filter((e) => e.action === 'decision' && e.trigger === 'agents-changed');
    assert.equal(reRouted.length, 1, `re-evaluated ${reRouted.length} times`);
    ev.close();
  } finally {
    await p.close();
  }
});

test('deleting a conversation on A ends its stream on B', async () => {
  const admin = createAgentToken(SECRET, { agentId: 'admin-m', name: 'Ada', role: 'admin', ttlMs: 86_400_000 });
  const p = await pair();
  try {
    const v = await session(p.a.base);
    const ev = await openEvents(p.b.base, v.token);
    assert.equal((await api(p.a, 'DELETE', `/agent/conversations/${v.conversationId}`, admin)).status, 200);
    await ev.ended;
    assert.equal((await post(p.b.base, '/signals', { v: 1, seq: 1, level: 0, trend: 0 }, v.token)).status, 401);
  } finally {
    await p.close();
  }
});
