// Two createTemperServer instances, each on its own real socket and its own Redis backend (own connections),
// on one real redis-server: what the visitor and the agents see must be that of one server. (The process-level
// version with three `npm run serve` processes and HAProxy lives in the scale-out tests.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAgentToken, type BotAdapter, type TemperServerOptions } from '@temper/server';
import { createRedisBackend, type RedisBackend } from '@temper/server-redis';
import { SECRET, api, openEvents, post, session, start, type Running, type SseFrame } from '../../server/test/helpers.ts';
import { startRedis, type RedisServer } from './redis-server.js';

const agentA = createAgentToken(SECRET, { agentId: 'agent-a', name: 'Ana', role: 'agent', ttlMs: 86_400_000 });
const agentB = createAgentToken(SECRET, { agentId: 'agent-b', name: 'Bo', role: 'agent', ttlMs: 86_400_000 });
const admin = createAgentToken(SECRET, { agentId: 'admin-r', name: 'Ada', role: 'admin', ttlMs: 86_400_000 });
const echoBot: BotAdapter = async (_c, m) => ({ text: `echo: ${m.text}`, understood: true });

let redis: RedisServer;
let n = 0;
before(async () => {
  redis = await startRedis();
});
after(() => redis.stop());

interface Pair {
  a: Running;
  b: Running;
  close(): Promise<void>;
}

async function pair(opts: Partial<TemperServerOptions> = {}): Promise<Pair> {
  const prefix = `srv${++n}`;
  const backends: RedisBackend[] = [];
  const instance = async () => {
    const backend = await createRedisBackend({ url: redis.url, prefix });
    backends.push(backend);
    return start({ store: backend.store, coordination: backend.coordination, bot: echoBot, ...opts });
  };
  const a = await instance();
  const b = await instance();
  return {
    a,
    b,
    async close() {
      await a.close();
      await b.close();
      await Promise.all(backends.map((x) => x.close()));
    },
  };
}

const isHandoff = (state: string) => (f: SseFrame) => f.event.type === 'handoff' && f.event.state === state;

test('session on A, stream on B, message on A: the visitor message and the bot reply arrive on B; a resume on A replays exactly', async () => {
  const p = await pair();
  try {
    const v = await session(p.a.base);
    const ev = await openEvents(p.b.base, v.token);
    assert.equal(ev.status, 200);
    assert.equal((await post(p.a.base, '/messages', { id: 'rs-0000001', text: 'where is my parcel?' }, v.token)).status, 201);
    const reply = await ev.until((f) => f.event.type === 'message' && f.event.from === 'bot');
    assert.ok(reply.event.type === 'message' && reply.event.text === 'echo: where is my parcel?', 'reply.event.type === \'message\' && reply.event.text === \'echo: where is my parcel?\'');
    const mine = ev.frames.find((f) => f.event.type === 'message' && f.event.from === 'visitor');
    assert.ok(mine, 'the visitor message came through B');
    const ids = ev.frames.map((f) => f.id);
    assert.deepEqual(ids, Array.from({ length: ids.length }, (_, i) => i + 1), 'ids 1, 2, 3… on B');
    ev.close();
    // Resume from the middle on the other instance: exactly the rest.
    const mid = Math.floor(ids.length / 2);
    const again = await openEvents(p.a.base, v.token, String(mid));
    const rest = await again.take(ids.length - mid);
    assert.deepEqual(rest.map((f) => f.id), ids.slice(mid));
    again.close();
  } finally {
    await p.close();
  }
});

test('two agents on two instances claim one chat at the same moment: exactly one 2xx, the other 409', async () => {
  const p = await pair();
  try {
    assert.equal((await api(p.a, 'POST', '/agent/presence', agentA, { status: 'online' })).status, 200);
    assert.equal((await api(p.b, 'POST', '/agent/presence', agentB, { status: 'online' })).status, 200);
    const v = await session(p.b.base);
    const ev = await openEvents(p.a.base, v.token);
    assert.equal((await post(p.b.base, '/messages', { id: 'rc-0000001', text: 'I want to talk to a human' }, v.token)).status, 201);
    await ev.until(isHandoff('queued'));
    const claims = await Promise.all([
      api(p.a, 'POST', `/agent/conversations/${v.conversationId}/claim`, agentA),
      api(p.b, 'POST', `/agent/conversations/${v.conversationId}/claim`, agentB),
    ]);
    const statuses = claims.map((c) => c.status).sort();
    assert.equal(statuses.filter((s) => s >= 200 && s < 300).length, 1, `statuses ${statuses.join(', ')}`);
    assert.ok(statuses.includes(409), `statuses ${statuses.join(', ')}`);
    await ev.until(isHandoff('agent'));
    ev.close();
  } finally {
    await p.close();
  }
});

test('rate-limit buckets are shared by both instances through Redis', async () => {
  const p = await pair({ limits: { perIp: { burst: 4, perSecond: 0.001 }, perSession: false } });
  try {
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await post((i % 2 ? p.a : p.b).base, '/sessions', {})).status);
    assert.deepEqual(statuses, [201, 201, 201, 201, 429, 429]);
  } finally {
    await p.close();
  }
});

test('deleting a conversation on A ends its stream on B, and its token then gets 401 on B', async () => {
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
