// Memory per idle conversation in Redis. Starts its own redis-server (loopback, free port, AOF on), runs one
// real conversation through createTemperServer over HTTP (session, three visitor messages answered by a bot,
// two signals) on the Redis store, then stores N copies of exactly what the server wrote (record, events,
// idempotency keys, signals; then the audit entries) and prints INFO memory's used_memory per conversation.
//
//   node --import tsx packages/server-redis/scripts/memory.ts [N=10000]
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_BASE, type MessageEvent } from '@temper/protocol';
import { createTemperServer, type BotAdapter } from '@temper/server';
import { createRedisBackend, keyspace } from '@temper/server-redis';
import { startRedis } from '../test/redis-server.js';

const N = Number(process.argv[2] ?? 10_000);
if (!Number.isInteger(N) || N < 1) throw new Error('usage: memory.ts [number of conversations]');

const redis = await startRedis();
const backend = await createRedisBackend({ url: redis.url, prefix: 'mem' });
const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await backend.redis.info('memory'))![1]);

try {
  // 1. One conversation as the real server writes it.
  const bot: BotAdapter = async (_c, m) => ({ text: `Thanks — about “${m.text.slice(0, 40)}”: orders ship within 2 working days.`, understood: true });
  const temper = createTemperServer({ secret: 'memory-figure-secret-memory-figure-secret-00', store: backend.store, bot, log: () => {} });
  const http = createServer(temper);
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}${API_BASE}`;
  const post = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const s = (await post('/sessions', { locale: 'en' })) as { token: string; conversationId: string };
  const texts = ['Hi, where is my order #4411?', 'It was supposed to arrive on Monday.', 'OK, thank you!'];
  for (const [i, text] of texts.entries()) {
    await post('/messages', { id: `client-000${i}`, text }, s.token);
    if (i < 2) await post('/signals', { v: 1, seq: i + 1, level: i, trend: 1 }, s.token);
  }
  const id = s.conversationId;
  // Wait for the bot replies to land.
  for (let t = 0; (await backend.store.readEvents(id, 0)).filter((e) => e.event.type === 'message').length < 6 && t < 200; t++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  await temper.close();
  await new Promise<void>((r) => http.close(() => r()));

  const record = (await backend.store.getConversation(id))!;
  const events = await backend.store.readEvents(id, 0);
  const signal = await backend.store.getSignalState(id);
  const audit = await backend.store.readAudit({ conversationId: id });
  const k = keyspace('mem').conversation(id);
  const perKey = await Promise.all([k.record, k.events, k.clientIds, k.signals].map(async (key) => [key.split(':').pop(), await backend.redis.memory('USAGE', key)] as const));

  // 2. N idle copies.
  const copy = async (i: number) => {
    const cid = `${id.slice(0, 10)}${String(i).padStart(8, '0')}`;
    await backend.store.createConversation({ ...record, id: cid });
    for (const e of events) {
      const ev = e.event as MessageEvent;
      if (ev.type === 'message' && ev.from === 'visitor' && ev.clientId) await backend.store.appendVisitorMessage(cid, { ...ev, clientId: ev.clientId });
      else await backend.store.appendEvent(cid, e.event);
    }
    for (const h of signal?.history ?? []) await backend.store.recordSignal(cid, h);
    return cid;
  };
  const batch = async (from: number, to: number, f: (i: number) => Promise<unknown>) => {
    for (let i = from; i < to; i += 200) await Promise.all(Array.from({ length: Math.min(200, to - i) }, (_, j) => f(i + j)));
  };
  const before = await usedMemory();
  const t0 = Date.now();
  await batch(0, N, copy);
  const afterConversations = await usedMemory();
  await batch(0, N, async (i) => {
    const cid = `${id.slice(0, 10)}${String(i).padStart(8, '0')}`;
    for (const a of audit) await backend.store.appendAudit({ ...a, conversationId: cid });
  });
  const afterAudit = await usedMemory();
  const seconds = (Date.now() - t0) / 1000;

  const perConv = (afterConversations - before) / N;
  const perAudit = (afterAudit - afterConversations) / N;
  const kinds = events.map((e) => (e.event.type === 'message' ? `${e.event.type}:${e.event.from}` : e.event.type));
  console.log(`Redis memory per idle conversation (redis-server ${(await backend.redis.info('server')).match(/redis_version:(\S+)/)?.[1]}, ${N} conversations)`);
  console.log(`  each as the server wrote it: ${events.length} events (${kinds.join(', ')}), ${signal?.history.length ?? 0} signals, ${audit.length} audit entries`);
  console.log(`  conversation keys (record, event log, idempotency keys, signals, index entries): ${Math.round(perConv)} B per conversation`);
  console.log(`  its audit entries (time index, entry, per-conversation index): ${Math.round(perAudit)} B per conversation`);
  console.log(`  total: ${Math.round(perConv + perAudit)} B per conversation → ${((perConv + perAudit) * 1e6 / 2 ** 30).toFixed(2)} GiB per million idle conversations`);
  console.log(`  MEMORY USAGE of the template's keys: ${perKey.map(([n, b]) => `${n} ${b} B`).join(', ')}`);
  console.log(`  (stored ${N} conversations + audit in ${seconds.toFixed(1)} s over one connection)`);
} finally {
  await backend.close();
  await redis.stop();
}
