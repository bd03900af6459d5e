// "Restarts lose nothing" for bot replies: a visitor message stored while the bot is on duty gets its reply
// even when the instance answering it stops mid-answer. Two createTemperServer instances on real sockets
// share one memory Store and Coordination; A's bot hangs (it ignores its abort signal), then A is shut down
// mid-answer, so its bot runner stops without storing a reply. B — the sweeper, or the visitor's retry of the
// message — must answer it, once. (examples/scale-out/test/instances.test.ts does the same with kill -9 of a
// real process on Redis.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createMemoryCoordination, createMemoryStore, type BotAdapter, type TemperServerOptions } from '@temper/server';
import { messages, post, session, start, until, type Running } from './helpers.ts';

/** B's bot: answers at once. */
const echo: BotAdapter = async (_c, m) => ({ text: `answer to: ${m.text}`, understood: true });

/** A's bot: never answers and ignores its abort signal; `called` resolves when it got the message. */
function hangingBot() {
  let called!: () => void;
  const calledP = new Promise<void>((r) => (called = r));
  const bot: BotAdapter = () => {
    called();
    return new Promise(() => undefined);
  };
  return { bot, called: calledP };
}

async function twoInstances(a: Partial<TemperServerOptions>, b: Partial<TemperServerOptions>) {
  const store = createMemoryStore();
  const coordination = createMemoryCoordination();
  const shared = { store, coordination, now: Date.now, botTimeoutMs: 60_000 };
  const A = await start({ ...shared, ...a });
  const B = await start({ ...shared, ...b });
  const closed = new Set<Running>();
  return {
    A,
    B,
    store,
    async stop(s: Running) {
      closed.add(s);
      await s.close();
    },
    async close() {
      for (const s of [A, B]) if (!closed.has(s)) await s.close();
      await coordination.close();
      await store.close();
    },
  };
}

const botReplies = async (p: { store: ReturnType<typeof createMemoryStore> }, cid: string) =>
  messages((await p.store.readEvents(cid, 0)).map((s) => ({ id: s.id, event: s.event }))).filter((m) => m.from === 'bot');

test('an instance stopped mid bot answer: the sweeper on another instance answers the owed reply, once', async () => {
  const hang = hangingBot();
  // B sweeps every 200 ms (sweepMs = min(15 s, heartbeatMs)); A would too, but it is gone.
  const p = await twoInstances({ bot: hang.bot, heartbeatMs: 200 }, { bot: echo, heartbeatMs: 200 });
  try {
    const v = await session(p.A.base);
    assert.equal((await post(p.A.base, '/messages', { id: 'msg-owed-0001', text: 'where is my parcel' }, v.token)).status, 201);
    await hang.called;
    const owed = await p.store.getBotOwed(v.conversationId);
    assert.ok(owed, 'the reply is marked owed while A answers');
    assert.deepEqual(await botReplies(p, v.conversationId), []);
    await p.stop(p.A);
    const replies = await until(async () => {
      const r = await botReplies(p, v.conversationId);
      return r.length > 0 && r;
    }, 'the recovered reply');
    assert.equal(replies[0]!.text, 'answer to: where is my parcel');
    assert.equal(await p.store.getBotOwed(v.conversationId), null, 'cleared once answered');
    // Several more sweeps: nobody answers it again.
    await sleep(800);
    assert.equal((await botReplies(p, v.conversationId)).length, 1);
    assert.equal(p.B.handler.stats().botRecovered, 1);
    const log = (await p.store.readEvents(v.conversationId, 0)).map((s) => s.event);
    assert.equal(log.filter((e) => e.type === 'message' && e.from === 'system').length, 0, 'no failure notice: A handed over, did not fail');
  } finally {
    await p.close();
  }
});

test('the visitor retries the message on another instance: its owed reply comes at once, not after a sweep', async () => {
  const hang = hangingBot();
  // A long heartbeat: no sweep runs during this test, so only the retry can bring the reply.
  const p = await twoInstances({ bot: hang.bot, heartbeatMs: 60_000 }, { bot: echo, heartbeatMs: 60_000 });
  try {
    const v = await session(p.A.base);
    const msg = { id: 'msg-owed-0002', text: 'refund please' };
    assert.equal((await post(p.A.base, '/messages', msg, v.token)).status, 201);
    await hang.called;
    await p.stop(p.A);
    const retry = await post(p.B.base, '/messages', msg, v.token);
    assert.equal(retry.status, 200);
    assert.equal(retry.body.duplicate, true);
    const replies = await until(async () => {
      const r = await botReplies(p, v.conversationId);
      return r.length > 0 && r;
    }, 'the reply after the retry', 3000);
    assert.equal(replies[0]!.text, 'answer to: refund please');
    // A second retry once it is answered triggers nothing.
    assert.equal((await post(p.B.base, '/messages', msg, v.token)).status, 200);
    await sleep(300);
    assert.equal((await botReplies(p, v.conversationId)).length, 1);
  } finally {
    await p.close();
  }
});

test('a slow bot that is still answering is not answered over: the owner holds the bot lock past the sweep bound', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let calls = 0;
  const slow: BotAdapter = async (_c, m) => {
    calls++;
    await gate;
    return { text: `slow answer to: ${m.text}`, understood: true };
  };
  const p = await twoInstances({ bot: slow, heartbeatMs: 100 }, { bot: slow, heartbeatMs: 100 });
  try {
    const v = await session(p.A.base);
    assert.equal((await post(p.A.base, '/messages', { id: 'msg-owed-0003', text: 'hello' }, v.token)).status, 201);
    // Ten sweep periods with the marker older than the bound: the sweeper finds it but the lock is held.
    await sleep(1000);
    assert.equal(calls, 1);
    assert.ok(await p.store.getBotOwed(v.conversationId), 'await p.store.getBotOwed(v.conversationId)');
    release();
    await until(async () => (await botReplies(p, v.conversationId)).length > 0, 'the reply');
    await sleep(400);
    assert.equal((await botReplies(p, v.conversationId)).length, 1);
    assert.equal(calls, 1);
    assert.equal(p.A.handler.stats().botRecovered + p.B.handler.stats().botRecovered, 0);
    assert.equal(await p.store.getBotOwed(v.conversationId), null);
  } finally {
    await p.close();
  }
});

test('no bot, a person holding the chat, or an ask for a person: nothing stays owed', async () => {
  const p = await twoInstances({ bot: echo }, { bot: echo });
  try {
    const v = await session(p.A.base);
    assert.equal((await post(p.A.base, '/messages', { id: 'msg-owed-0004', text: 'I want to talk to a human' }, v.token)).status, 201);
    await sleep(100);
    assert.equal(await p.store.getBotOwed(v.conversationId), null);
    assert.equal((await post(p.A.base, '/messages', { id: 'msg-owed-0005', text: 'hi' }, v.token)).status, 201);
    await until(async () => (await p.store.getBotOwed(v.conversationId)) === null, 'cleared after the answer');
  } finally {
    await p.close();
  }
});
