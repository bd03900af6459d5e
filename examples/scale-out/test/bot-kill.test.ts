// "Restarts lose nothing" for bot replies, for real: two `npm run serve` processes on one redis-server. The bot
// is made slow (TEMPER_TEST_BOT_DELAY_MS, test only); instance A is killed with SIGKILL while its bot is
// answering a visitor message, so A never stores the reply nor clears the owed-reply marker. Instance B finds
// the marker (its sweeper, once A's bot lock lease lapsed) and answers: the reply arrives on the visitor's
// stream on B, exactly once.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { API_BASE } from '@temper/protocol';
import { openEvents, post, session, type SseFrame, type SseStream } from '../../../packages/server/test/helpers.ts';
import { startInstance, startRedis, stopAll, type Instance, type RedisServer } from '../cluster.ts';
import { describe } from './visitor.ts';

const BOT_DELAY_MS = 1500;
// B's sweep runs every heartbeat (sweepMs = min(15 s, heartbeat)); A's bot lock lapses ≤ 10 s after the kill.
const HEARTBEAT_MS = 500;
const RECOVERY_BOUND_MS = 10_000 + 3 * HEARTBEAT_MS + BOT_DELAY_MS + 5000;

let redis: RedisServer | undefined;
let instances: Instance[] = [];
let stream: SseStream | undefined;
const api = (i: Instance) => i.url + API_BASE;

after(async () => {
  stream?.close();
  await stopAll(instances, 'kill');
  await redis?.stop();
});

const isBotMessage = (f: SseFrame) => f.event.type === 'message' && f.event.from === 'bot';

test('kill -9 of the instance whose bot is answering: another instance answers the owed reply, once', async () => {
  redis = await startRedis();
  const env = {
    TEMPER_SECRET: randomBytes(32).toString('hex'),
    TEMPER_REDIS_URL: redis.url,
    TEMPER_TEST_BOT_DELAY_MS: String(BOT_DELAY_MS),
    TEMPER_HEARTBEAT_MS: String(HEARTBEAT_MS),
  };
  instances = await Promise.all(['A', 'B'].map((n) => startInstance(n, env)));
  const [a, b] = instances as [Instance, Instance];
  const { token } = await session(api(a));
  stream = await openEvents(api(b), token);
  const text = 'Where is my order? I want to track it';
  assert.equal((await post(api(a), '/messages', { id: 'bot-kill-0001', text }, token)).status, 201);
  // A's bot is now thinking (typing on), its reply BOT_DELAY_MS away: kill A.
  await stream.until((f) => f.event.type === 'typing' && f.event.from === 'bot' && f.event.active);
  await a.kill();
  const killedAt = Date.now();
  assert.equal(stream.frames.filter(isBotMessage).length, 0, 'A died before its reply');

  // Polled here rather than with `until`: its guard is shorter than A's lock lease.
  let reply: SseFrame | undefined;
  while (!(reply = stream.frames.find(isBotMessage)) && Date.now() - killedAt < RECOVERY_BOUND_MS) await sleep(50);
  const tookMs = Date.now() - killedAt;
  assert.ok(reply, `no bot reply within ${RECOVERY_BOUND_MS} ms of the kill: ${describe(stream.frames)}`);
  assert.ok(tookMs < RECOVERY_BOUND_MS, `the reply came ${tookMs} ms after the kill (bound ${RECOVERY_BOUND_MS} ms)`);
  assert.match(String((reply.event as { text: string }).text), /order|track/i, 'the FAQ answer to that message');
  // A few more sweeps and bot delays: no second answer, no failure notice.
  await sleep(4 * HEARTBEAT_MS + BOT_DELAY_MS);
  assert.equal(stream.frames.filter(isBotMessage).length, 1, `one bot reply: ${describe(stream.frames)}`);
  assert.equal(stream.frames.filter((f) => f.event.type === 'message' && f.event.from === 'system').length, 0, describe(stream.frames));
  assert.match(b.output(), /answering a bot reply owed by an instance that stopped/);
  console.log(`bot reply recovered by B ${tookMs} ms after kill -9 of A`);
});
