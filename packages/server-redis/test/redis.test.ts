// What only Redis has: durability across a kill -9 of redis-server (AOF), client reconnects, catching up on
// events published while the subscriber was away, idle TTL, credentials and TLS from the URL, clear errors.
// Every case runs against a real redis-server the test starts on a free loopback port.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerEvent } from '@temper/protocol';
import type { StoredEvent } from '@temper/server';
import { createRedisBackend, keyspace, type RedisBackend, type RedisBackendOptions } from '@temper/server-redis';
import { startRedis, type RedisServer } from './redis-server.js';
import { until } from '../../server/test/helpers.ts';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const msg = (n: number): ServerEvent => ({ type: 'message', id: `m${n}`, from: 'bot', text: `reply ${n}`, at: 1_700_000_000_000 + n });
const conv = (id: string, state: 'bot' | 'queued' | 'agent' = 'bot') => ({ id, createdAt: 1_700_000_000_000, state, meta: { queue: 'general' } });

/** Backends opened by a case, closed after it; background errors are collected for the case to check. */
function opener(url: () => string) {
  const open: RedisBackend[] = [];
  const errors: Error[] = [];
  return {
    errors,
    async backend(extra: Partial<RedisBackendOptions> = {}) {
      const b = await createRedisBackend({ url: url(), onError: (e) => void errors.push(e), ...extra });
      open.push(b);
      return b;
    },
    async closeAll() {
      await Promise.all(open.splice(0).map((b) => b.close()));
    },
  };
}

describe('Redis durability and reconnects', () => {
  let redis: RedisServer;
  before(async () => {
    redis = await startRedis();
  });
  after(() => redis.stop());

  test('kill -9 of redis-server and a restart on the same AOF keep everything; the same clients reconnect', async () => {
    const o = opener(() => redis.url);
    try {
      const a = await o.backend({ prefix: 'dur', redisOptions: { retryStrategy: () => 50 } });
      const b = await o.backend({ prefix: 'dur', redisOptions: { retryStrategy: () => 50 } });
      await a.store.createConversation(conv('c1'));
      await a.store.createConversation(conv('c2', 'queued'));
      await a.store.createConversation(conv('c3', 'queued'));
      for (let i = 1; i <= 5; i++) await a.store.appendEvent('c1', msg(i));
      await a.store.appendVisitorMessage('c1', { type: 'message', id: 'v1', from: 'visitor', text: '你好', at: 1, clientId: 'client-0001' });
      const claim = await b.store.transition('c2', ['queued'], { state: 'agent', meta: { agentId: 'ana' } });
      assert.equal(claim.ok, true);
      await a.store.recordSignal('c1', { seq: 1, level: 1, trend: 1, at: 10 });
      await a.store.recordSignal('c1', { seq: 2, level: 3, trend: 1, at: 20 });
      await a.store.appendAudit({ at: 100, conversationId: 'c2', action: 'claimed', level: 3, trend: 1, reasons: ['asked'], agentId: 'ana', waitMs: 5 });
      await a.store.setAgentPresence({ agentId: 'ana', name: 'Ana', role: 'agent', status: 'online', lastSeen: Date.now() });
      const heard: StoredEvent[] = [];
      await b.store.subscribe('c1', (e) => heard.push(e));

      await redis.kill9();
      await redis.restart();

      // Same backends, no new objects: they reconnect by themselves (scripts are re-sent after NOSCRIPT).
      assert.deepEqual(await a.store.getConversation('c2'), { ...conv('c2', 'agent'), meta: { queue: 'general', agentId: 'ana' } });
      assert.deepEqual((await b.store.readEvents('c1', 0)).map((e) => e.id), [1, 2, 3, 4, 5, 6]);
      assert.deepEqual((await b.store.readEvents('c1', 5))[0]?.event, { type: 'message', id: 'v1', from: 'visitor', text: '你好', at: 1, clientId: 'client-0001' });
      assert.deepEqual((await a.store.listByState('queued')).map((c) => c.id), ['c3']);
      assert.deepEqual((await a.store.listByState('agent')).map((c) => c.id), ['c2']);
      assert.equal((await b.store.transition('c2', ['queued'], { state: 'agent', meta: { agentId: 'bo' } })).ok, false, 'the claim still holds');
      assert.deepEqual((await a.store.getSignalState('c1'))?.history.map((h) => h.seq), [1, 2]);
      assert.deepEqual(await b.store.recordSignal('c1', { seq: 2, level: 0, trend: -1, at: 30 }), { ok: false, reason: 'stale', lastSeq: 2 });
      assert.deepEqual(await a.store.readAudit(), [{ at: 100, conversationId: 'c2', action: 'claimed', level: 3, trend: 1, reasons: ['asked'], agentId: 'ana', waitMs: 5 }]);
      assert.deepEqual((await b.store.listAgents()).map((x) => x.agentId), ['ana']);
      const retry = await b.store.appendVisitorMessage('c1', { type: 'message', id: 'v1', from: 'visitor', text: '你好', at: 1, clientId: 'client-0001' });
      assert.deepEqual([retry.duplicate, retry.stored?.id], [true, 6], 'idempotency keys survived');
      assert.equal((await a.store.appendEvent('c1', msg(7))).id, 7, 'ids continue without a gap');
      // The subscription made before the crash was renewed on the new connection.
      await until(() => heard.some((e) => e.id === 7), 'the live event after the restart');
      assert.deepEqual(heard.map((e) => e.id), [7]);
      assert.equal(await a.coordination.withLock('conv:c1', async () => 'locks work', { waitMs: 2000 }), 'locks work');
    } finally {
      await o.closeAll();
    }
  });

  test('events published while the subscriber was disconnected are read from the log: none missed, none twice', async () => {
    const o = opener(() => redis.url);
    try {
      // A slow reconnect (300 ms) makes sure the appends below happen while nobody is subscribed.
      const reader = await o.backend({ prefix: 'gap', redisOptions: { retryStrategy: () => 300 } });
      const writer = await o.backend({ prefix: 'gap' });
      await writer.store.createConversation(conv('c1'));
      await writer.store.appendEvent('c1', msg(1));
      const heard: number[] = [];
      await reader.store.subscribe('c1', (e) => heard.push(e.id));
      await writer.store.appendEvent('c1', msg(2));
      await until(() => heard.length === 1, 'the first live event');

      await writer.redis.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      const channel = keyspace('gap').conversation('c1').channel;
      const subscribers = async () => ((await writer.redis.pubsub('NUMSUB', channel)) as [string, number])[1];
      assert.equal(await subscribers(), 0);
      for (let i = 3; i <= 6; i++) await writer.store.appendEvent('c1', msg(i));
      assert.equal(await subscribers(), 0, 'the four events were published to nobody');

      await until(() => heard.length >= 5, 'the missed events');
      await writer.store.appendEvent('c1', msg(7));
      await until(() => heard.length >= 6, 'the next live event');
      await sleep(100);
      assert.deepEqual(heard, [2, 3, 4, 5, 6, 7]);
      assert.ok(o.errors.some((e) => /subscriber connection/.test(e.message)), 'the outage was reported');
    } finally {
      await o.closeAll();
    }
  });

  test('while Redis is down commands fail with a clear error instead of hanging; after it is back they work', async () => {
    const o = opener(() => redis.url);
    try {
      const b = await o.backend({ prefix: 'down', redisOptions: { retryStrategy: () => 100, maxRetriesPerRequest: 1 } });
      await b.store.createConversation(conv('c1'));
      await redis.kill9();
      const err = await b.store.getConversation('c1').then(
        () => null,
        (e: Error) => e,
      );
      assert.ok(err instanceof Error, 'rejected');
      // Which one depends on where the command was when the socket died: queued (max retries), written (closed).
      assert.match(err.message, /max retries per request|Connection is closed|ECONNREFUSED|ECONNRESET|EPIPE/, err.message);
      await redis.restart();
      await until(async () => (await b.store.getConversation('c1').catch(() => null)) !== null, 'the reconnect', 10_000);
      assert.equal((await b.store.appendEvent('c1', msg(1))).id, 1);
    } finally {
      await o.closeAll();
    }
  });

  test('close() releases the locks this instance holds at once (not after the lease) and ends its subscriptions', async () => {
    const o = opener(() => redis.url);
    try {
      const a = await o.backend({ prefix: 'close' });
      const b = await o.backend({ prefix: 'close' });
      void a.coordination.withLock('k', () => new Promise<void>(() => undefined), { leaseMs: 60_000 }).catch(() => undefined);
      await a.store.createConversation(conv('c1'));
      const heard: number[] = [];
      await a.store.subscribe('c1', (e) => heard.push(e.id));
      const onChannel: string[] = [];
      await a.coordination.subscribe('queue', (m) => onChannel.push(m));
      await sleep(30);
      await a.close();
      const t0 = Date.now();
      assert.equal(await b.coordination.withLock('k', async () => 'free', { waitMs: 2000 }), 'free');
      assert.ok(Date.now() - t0 < 1000, 'released by close, not by the 60 s lease');
      await b.store.appendEvent('c1', msg(1));
      await b.coordination.publish('queue', 'changed');
      await sleep(100);
      assert.deepEqual([heard, onChannel], [[], []]);
      await assert.rejects(a.store.subscribe('c1', () => undefined), /closed/);
    } finally {
      await o.closeAll();
    }
  });

  test('idle TTL: a conversation\'s keys expire together; every write starts the period again', async () => {
    const o = opener(() => redis.url);
    try {
      const b = await o.backend({ prefix: 'ttl', conversationTtlMs: 600 });
      const k = keyspace('ttl').conversation('c1');
      await b.store.createConversation(conv('c1', 'queued'));
      await b.store.appendVisitorMessage('c1', { type: 'message', id: 'v1', from: 'visitor', text: 'hi', at: 1, clientId: 'client-0001' });
      await b.store.recordSignal('c1', { seq: 1, level: 1, trend: 0, at: 1 });
      await b.store.setRating('c1', { score: 4, at: 1, route: 'bot' });
      await sleep(300);
      await b.store.appendEvent('c1', msg(2));
      const ttls = await Promise.all([k.record, k.events, k.clientIds, k.signals].map((key) => b.redis.pttl(key)));
      for (const t of ttls) assert.ok(t > 500 && t <= 600, `refreshed to ≈ 600 ms, got ${ttls.join(', ')}`);
      assert.ok(Math.max(...ttls) - Math.min(...ttls) <= 5, 'all four keys expire at the same moment');
      await sleep(400);
      assert.ok(await b.store.getConversation('c1'), 'alive 700 ms after creation: the append refreshed it');
      await sleep(400);
      assert.equal(await b.store.getConversation('c1'), null);
      assert.equal(await b.redis.exists(k.record, k.events, k.clientIds, k.signals), 0);
      assert.deepEqual(await b.store.listByState('queued'), []);
      assert.deepEqual(await b.store.listConversations(), []);
      assert.equal(await b.redis.scard(keyspace('ttl').state('queued')), 0, 'the index entry was dropped');
      assert.deepEqual(await b.store.listRatings(), [], 'the rating expired with its conversation');
      assert.equal(await b.redis.zcard(keyspace('ttl').ratings), 0, 'and its index entry was dropped');
    } finally {
      await o.closeAll();
    }
  });

  test('agents not seen for agentRetentionMs drop out of listAgents', async () => {
    const o = opener(() => redis.url);
    try {
      const clock = { t: 1_700_000_000_000 };
      const b = await o.backend({ prefix: 'agents', agentRetentionMs: 1000, now: () => clock.t });
      await b.store.setAgentPresence({ agentId: 'old', name: 'Old', role: 'agent', status: 'online', lastSeen: clock.t });
      clock.t += 600;
      await b.store.setAgentPresence({ agentId: 'new', name: 'New', role: 'agent', status: 'online', lastSeen: clock.t });
      assert.deepEqual((await b.store.listAgents()).map((a) => a.agentId).sort(), ['new', 'old']);
      clock.t += 600;
      assert.deepEqual((await b.store.listAgents()).map((a) => a.agentId), ['new']);
      await b.store.setAgentPresence({ agentId: 'new', name: 'New', role: 'agent', status: 'offline', lastSeen: clock.t });
      assert.deepEqual(await b.redis.hkeys(keyspace('agents').agents), ['new'], 'the next write removed the old entry');
    } finally {
      await o.closeAll();
    }
  });

  test('key layout: every conversation key carries the conversation\'s hash tag; nothing else is written', async () => {
    const o = opener(() => redis.url);
    try {
      const b = await o.backend({ prefix: 'layout' });
      await b.store.createConversation(conv('Ab_9-x', 'queued'));
      await b.store.appendVisitorMessage('Ab_9-x', { type: 'message', id: 'v1', from: 'visitor', text: 'hi', at: 1, clientId: 'client-0001' });
      await b.store.recordSignal('Ab_9-x', { seq: 1, level: 1, trend: 0, at: 1 });
      await b.store.appendAudit({ at: 1, conversationId: 'Ab_9-x', action: 'opened', level: null, trend: null, reasons: [] });
      await b.store.setAgentPresence({ agentId: 'ana', name: 'Ana', role: 'agent', status: 'online', lastSeen: Date.now() });
      await b.store.setRating('Ab_9-x', { score: 5, at: 1, route: 'bot' });
      await b.store.setUserConversation('cust|1', 'Ab_9-x');
      const keys = (await b.redis.keys('layout:*')).sort();
      // Redis Cluster hashes only the part between the first `{` and the next `}`.
      const tag = (key: string) => /\{([^}]+)\}/.exec(key)?.[1];
      assert.deepEqual(
        keys.map((key) => [key, tag(key)]),
        [
          ['layout:user:{cust|1}', 'cust|1'],
          ['layout:user:{cust|1}:past', 'cust|1'],
          ['layout:{Ab_9-x}:conv', 'Ab_9-x'],
          ['layout:{Ab_9-x}:events', 'Ab_9-x'],
          ['layout:{Ab_9-x}:ids', 'Ab_9-x'],
          ['layout:{Ab_9-x}:signals', 'Ab_9-x'],
          ['layout:{layout:g}:activity', 'layout:g'],
          ['layout:{layout:g}:agents', 'layout:g'],
          ['layout:{layout:g}:agents-seen', 'layout:g'],
          ['layout:{layout:g}:audit', 'layout:g'],
          ['layout:{layout:g}:audit-entries', 'layout:g'],
          ['layout:{layout:g}:audit-seq', 'layout:g'],
          ['layout:{layout:g}:audit:Ab_9-x', 'layout:g'],
          ['layout:{layout:g}:conversations', 'layout:g'],
          ['layout:{layout:g}:ratings', 'layout:g'],
          ['layout:{layout:g}:state:queued', 'layout:g'],
        ],
      );
      // Coordination keys keep a hash tag they already have (the server's per-conversation keys), else get one.
      const ks = keyspace('layout');
      assert.equal(ks.lock('conv:{Ab_9-x}:lock'), 'layout:lock:conv:{Ab_9-x}:lock');
      assert.equal(tag(ks.bucket('rate:conv:{Ab_9-x}')), 'Ab_9-x');
      assert.equal(ks.slots('sweeper'), 'layout:slots:{sweeper}');
      let held = '';
      await b.coordination.withLock('conv:{Ab_9-x}:lock', async () => {
        held = String(await b.redis.exists('layout:lock:conv:{Ab_9-x}:lock'));
      });
      assert.equal(held, '1', 'the lock lives under that key');
      await assert.rejects(b.store.createConversation(conv('bad{id}')), /conversation id "bad\{id\}" must be/);
      await assert.rejects(b.store.appendAudit({ at: 1, conversationId: 'a|b', action: 'opened', level: null, trend: null, reasons: [] }), TypeError);
    } finally {
      await o.closeAll();
    }
  });
});

describe('Redis credentials and TLS from the URL', () => {
  test('--requirepass: the password in the URL works; a wrong or missing one is refused with a clear error', async () => {
    const redis = await startRedis({ password: 'p@ss w0rd/ä' });
    const o = opener(() => redis.url);
    try {
      assert.match(redis.url, /^redis:\/\/:p%40ss%20w0rd%2F%C3%A4@127\.0\.0\.1:\d+\/0$/);
      const a = await o.backend({ prefix: 'auth' });
      const b = await o.backend({ prefix: 'auth' });
      await a.store.createConversation(conv('c1'));
      const heard: number[] = [];
      await b.store.subscribe('c1', (e) => heard.push(e.id));
      await a.store.appendEvent('c1', msg(1));
      await until(() => heard.length === 1, 'the event on the authenticated subscriber');
      const wrong = redis.url.replace(/:[^:@/]+@/, ':nope@');
      const err = await createRedisBackend({ url: wrong, connectTimeoutMs: 3000 }).then(() => null, (e: Error) => e);
      assert.ok(err, 'err');
      assert.match(err.message, /cannot connect to redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0: .*(WRONGPASS|invalid password)/);
      assert.doesNotMatch(err.message, /nope/, 'the password is not in the message');
      const none = redis.url.replace(/:[^:@/]+@/, '');
      const err2 = await createRedisBackend({ url: none, connectTimeoutMs: 3000 }).then(() => null, (e: Error) => e);
      assert.match(String(err2?.message), /NOAUTH|Authentication required/);
    } finally {
      await o.closeAll();
      await redis.stop();
    }
  });

  test('rediss:// with a self-signed certificate: works with its CA, refused without', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'temper-tls-'));
    try {
      const cert = join(dir, 'cert.pem');
      const key = join(dir, 'key.pem');
      try {
        execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
          '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
      } catch (e) {
        // Fail loudly: a TLS test that skips itself would pass on a machine where TLS was never tried.
        throw new Error(`openssl could not make a test certificate (apt-get install openssl): ${(e as Error).message}`);
      }
      // Debian's redis-server is built with TLS; one without it fails here with Redis's own message.
      const redis = await startRedis({ password: 'tls-secret', tls: { cert, key, ca: cert } });
      const o = opener(() => redis.url);
      try {
        assert.match(redis.url, /^rediss:\/\//);
        const ca = readFileSync(cert);
        const a = await o.backend({ prefix: 'tls', redisOptions: { tls: { ca } } });
        const b = await o.backend({ prefix: 'tls', redisOptions: { tls: { ca } } });
        await a.store.createConversation(conv('c1'));
        const heard: number[] = [];
        await b.store.subscribe('c1', (e) => heard.push(e.id));
        await a.store.appendEvent('c1', msg(1));
        await until(() => heard.length === 1, 'the event over TLS');
        assert.equal(await b.coordination.take('k', { burst: 1, perSecond: 1 }, 0), 0);
        const err = await createRedisBackend({ url: redis.url, connectTimeoutMs: 3000 }).then(() => null, (e: Error) => e);
        assert.match(String(err?.message), /cannot connect to rediss:\/\/.*(self.signed|certificate)/i);
        const plain = await createRedisBackend({ url: redis.url.replace('rediss:', 'redis:'), connectTimeoutMs: 1500 }).then(() => null, (e: Error) => e);
        assert.match(String(plain?.message), /cannot connect to redis:\/\//, 'plain TCP to a TLS port fails clearly');
      } finally {
        await o.closeAll();
        await redis.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('bad options are refused before connecting', async () => {
    await assert.rejects(createRedisBackend({ url: 'http://127.0.0.1:6379' }), /must start with redis:\/\/ or rediss:\/\//);
    await assert.rejects(createRedisBackend({ url: 'not a url' }), /is not a URL/);
    await assert.rejects(createRedisBackend({ url: 'redis://127.0.0.1:1', prefix: 'a b' }), /prefix "a b"/);
    await assert.rejects(createRedisBackend({ url: 'redis://127.0.0.1:1', conversationTtlMs: 0 }), /conversationTtlMs must be a positive number/);
    const t0 = Date.now();
    await assert.rejects(createRedisBackend({ url: 'redis://127.0.0.1:1/0', connectTimeoutMs: 500 }), /cannot connect to redis:\/\/127\.0\.0\.1:1\/0/);
    assert.ok(Date.now() - t0 < 3000, 'gives up within about connectTimeoutMs');
  });
});
