// Three `npm run serve` instances on one real redis-server, over real sockets, each its own process:
// a conversation spread over all three, a claim race between two instances, and a stop of every instance plus a
// kill -9 of Redis (restarted from its AOF), after which the same token replays the whole conversation and
// resumes from the middle.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createAgentToken } from '@temper/server';
import { API_BASE } from '@temper/protocol';
import { openEvents, post, session, type SseFrame, type SseStream } from '../../../packages/server/test/helpers.ts';
import { startInstance, startRedis, stopAll, type Instance, type RedisServer } from '../cluster.ts';
import { describe, getJson } from './visitor.ts';

const secret = randomBytes(32).toString('hex');
let redis: RedisServer | undefined;
let instances: Instance[] = [];
const streams: SseStream[] = [];
const api = (i: Instance | undefined) => i!.url + API_BASE;

after(async () => {
  for (const s of streams) s.close();
  await stopAll(instances, 'kill');
  await redis?.stop();
});

async function startAll(): Promise<Instance[]> {
  redis ??= await startRedis();
  const env = { TEMPER_SECRET: secret, TEMPER_REDIS_URL: redis.url };
  instances = await Promise.all(['A', 'B', 'C'].map((n) => startInstance(n, env)));
  return instances;
}

async function stopEverything(): Promise<void> {
  for (const s of streams.splice(0)) s.close();
  const codes = await Promise.all(instances.map((i) => i.stop()));
  assert.deepEqual(codes, [0, 0, 0], 'every instance drains and exits 0 on SIGTERM');
  instances = [];
  // kill -9 and start again on the same directory: only what reached the AOF comes back.
  await redis!.restart();
}

const agentToken = (agentId: string, name: string, role: 'agent' | 'supervisor' = 'agent') =>
  createAgentToken(secret, { agentId, name, role, expiresAt: Date.now() + 3600_000 });
const supervisor = agentToken('sup-1', 'Sam', 'supervisor');

/** The conversation's log as the server holds it (the agent API's transcript read, for a supervisor). */
async function serverLog(i: Instance | undefined, conversationId: string): Promise<SseFrame[]> {
  const r = await getJson(`${api(i)}/agent/conversations/${conversationId}`, supervisor);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.events as SseFrame[];
}

let clientSeq = 0;
const say = async (i: Instance | undefined, text: string) =>
  (await post(api(i), '/messages', { id: `scale-out-${++clientSeq}`, text }, token)).status;
const ids = (frames: SseFrame[]) => frames.map((f) => f.id);
const gapFree = (frames: SseFrame[], from = 1) => ids(frames).every((id, k) => id === from + k);
const isMessage = (from: string, text?: string) => (f: SseFrame) =>
  f.event.type === 'message' && f.event.from === from && (text === undefined || f.event.text === text);

let token = '';
let conversationId = '';
let before: SseFrame[] = [];

test('session on A, stream on B, message on C: the visitor message and the bot reply arrive on B', async () => {
  const [a, b, c] = await startAll();
  ({ token, conversationId } = await session(api(a)));
  const onB = await openEvents(api(b), token);
  streams.push(onB);
  assert.equal(await say(c, 'Where is my order? I want to track it'), 201);
  const visitor = await onB.until(isMessage('visitor', 'Where is my order? I want to track it'));
  const bot = await onB.until(isMessage('bot'));
  assert.match(String((bot.event as { text: string }).text), /order|track/i, 'the FAQ bot (running on C) answered');
  assert.ok(visitor.id < bot.id, 'visitor.id < bot.id');
  assert.ok(gapFree(onB.frames), `ids 1, 2, 3… without gaps: ${describe(onB.frames)}`);
});

test('two agents on two instances claim one chat at the same moment: exactly one 2xx, the other 409', async () => {
  const [a, b, c] = instances;
  const ann = agentToken('agent-ann', 'Ann');
  const bo = agentToken('agent-bo', 'Bo');
  assert.equal((await post(api(a), '/agent/presence', { status: 'online' }, ann)).status, 200);
  const presence = await post(api(b), '/agent/presence', { status: 'online' }, bo);
  assert.equal(presence.status, 200);
  assert.equal(presence.body.agentsOnline, 2, 'presence is shared: B counts the agent who went online on A');
  assert.equal(await say(c, 'I want a human'), 201);
  // The queue is shared too: the chat queued through C is on A's queue, once.
  const queue = await getJson(`${api(a)}/agent/queue`, ann);
  assert.equal(queue.status, 200);
  assert.deepEqual((queue.body.items as Array<{ conversationId: string }>).map((i) => i.conversationId), [conversationId]);
  const claims = await Promise.all([
    post(api(a), `/agent/conversations/${conversationId}/claim`, {}, ann),
    post(api(b), `/agent/conversations/${conversationId}/claim`, {}, bo),
  ]);
  const statuses = claims.map((r) => r.status).sort();
  assert.ok(statuses[0]! >= 200 && statuses[0]! < 300 && statuses[1] === 409, `one 2xx and one 409, got ${statuses.join(', ')}`);
  const winner = claims.find((r) => r.status < 300)!.body.agent as { agentId: string; name: string };
  const onB = streams[0]!;
  // The visitor's stream (still on B) shows the handoff to exactly one person.
  await onB.until((f) => f.event.type === 'handoff' && f.event.state === 'agent');
  const toAgent = onB.frames.filter((f) => f.event.type === 'handoff' && f.event.state === 'agent');
  assert.equal(toAgent.length, 1, `one handoff to a person: ${describe(onB.frames)}`);
  assert.equal((toAgent[0]!.event as { name?: string }).name, winner.name, 'the visitor sees the name of the agent who won');
  const annWon = winner.agentId === 'agent-ann';
  const text = 'Hi, I am here. Let me look at your order.';
  const reply = await post(annWon ? api(a) : api(b), `/agent/conversations/${conversationId}/messages`, { text }, annWon ? ann : bo);
  assert.ok(reply.status >= 200 && reply.status < 300, JSON.stringify(reply.body));
  await onB.until(isMessage('agent'));
  assert.equal(await say(a, 'Thanks, it is order 1042'), 201);
  await onB.until(isMessage('visitor', 'Thanks, it is order 1042'));
  // Everything B streamed is the server's log, exactly.
  before = await serverLog(c, conversationId);
  assert.deepEqual(onB.frames, before, 'the live stream on B equals the stored log');
  assert.ok(gapFree(before) && before.length >= 6, describe(before));
});

test('after stopping every instance and killing Redis, the same token replays everything and resumes from the middle exactly', async () => {
  assert.ok(before.length > 0, 'runs after the tests above');
  await stopEverything();
  const [a, b, c] = await startAll();

  // Whole conversation from Last-Event-ID 0, on each instance.
  for (const inst of [a!, b!, c!]) {
    const s = await openEvents(api(inst), token, '0');
    streams.push(s);
    assert.deepEqual(await s.take(before.length), before, `${inst.name} replays the whole log, same ids and events`);
    s.close();
  }

  // From the middle: exactly the events after it, on B, then the next live one with the next id and nothing else.
  const middle = before[Math.floor(before.length / 2)]!.id;
  const resumed = await openEvents(api(b), token, String(middle));
  streams.push(resumed);
  const expected = before.filter((f) => f.id > middle);
  assert.deepEqual(await resumed.take(expected.length), expected, 'the replay after the middle');
  assert.equal(await say(c, 'Are you still there?'), 201);
  const [next] = await resumed.take(1);
  assert.deepEqual(
    [next!.id, next!.event.type, (next!.event as { text?: string }).text],
    [before.at(-1)!.id + 1, 'message', 'Are you still there?'],
    `the next event is the new message with the next id, no duplicate or gap before it: ${describe(resumed.frames)}`,
  );

  // The claim survived: the chat is still with its agent, and the stored log continues without a gap.
  const log = await serverLog(a, conversationId);
  assert.ok(gapFree(log), describe(log));
  const r = await getJson(`${api(a)}/agent/conversations/${conversationId}`, supervisor);
  assert.equal(r.body.conversation.state, 'agent');
});
