// Three `npm run serve` instances on one real redis-server, over real sockets, each its own process:
// a conversation spread over all three, a claim race between two instances, and a full stop of every instance
// and a kill -9 of Redis (restarted from its AOF), after which the same token replays the whole conversation and resumes from the middle.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createAgentToken } from '@temper/server';
import { startInstance, startRedis, stopAll, type Instance, type RedisServer } from '../cluster.ts';
import { agentCall, describe, openSession, openStream, postMessage, type OpenStream, type SseEvent } from './visitor.ts';

const secret = randomBytes(32).toString('hex');
let redis: RedisServer | undefined;
let instances: Instance[] = [];
const streams: OpenStream[] = [];

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
async function serverLog(base: string, conversationId: string): Promise<SseEvent[]> {
  const r = await agentCall(base, supervisor, 'GET', `/conversations/${conversationId}`);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return (r.json.events as Array<{ id: number; event: SseEvent['data'] }>).map((e) => ({ id: e.id, data: e.event }));
}

const ids = (events: SseEvent[]) => events.map((e) => e.id);
const gapFree = (events: SseEvent[], from = 1) => ids(events).every((id, i) => id === from + i);

let token = '';
let conversationId = '';
let before: SseEvent[] = [];

test('session on A, stream on B, message on C: the visitor message and the bot reply arrive on B', async () => {
  const [a, b, c] = await startAll();
  ({ token, conversationId } = await openSession(a!.url));
  const onB = await openStream(b!.url, token);
  streams.push(onB);
  assert.equal(await postMessage(c!.url, token, 'Where is my order? I want to track it'), 201);
  const events = await onB.until(
    (e) => e.some((x) => x.data.type === 'message' && x.data.from === 'bot'),
    'the bot reply on B',
  );
  const visitor = events.find((e) => e.data.type === 'message' && e.data.from === 'visitor');
  assert.equal(visitor?.data.text, 'Where is my order? I want to track it');
  const bot = events.find((e) => e.data.type === 'message' && e.data.from === 'bot')!;
  assert.match(String(bot.data.text), /order|track/i, 'the FAQ bot (running on C) answered');
  assert.ok(visitor!.id < bot.id);
  assert.ok(gapFree(events), `ids 1, 2, 3… without gaps: ${describe(events)}`);
});

test('two agents on two instances claim one chat at the same moment: exactly one 2xx, the other 409', async () => {
  const [a, b, c] = instances;
  const ann = agentToken('agent-ann', 'Ann');
  const bo = agentToken('agent-bo', 'Bo');
  assert.equal((await agentCall(a!.url, ann, 'POST', '/presence', { status: 'online' })).status, 200);
  const presence = await agentCall(b!.url, bo, 'POST', '/presence', { status: 'online' });
  assert.equal(presence.status, 200);
  assert.equal(presence.json.agentsOnline, 2, 'presence is shared: B counts the agent who went online on A');
  assert.equal(await postMessage(c!.url, token, 'I want a human'), 201);
  // The queue is shared too: the chat queued through C is on A's queue.
  const queue = await agentCall(a!.url, ann, 'GET', '/queue');
  assert.equal(queue.status, 200);
  assert.deepEqual(
    (queue.json.items as Array<{ conversationId: string }>).map((i) => i.conversationId),
    [conversationId],
    'the chat is queued once',
  );
  const claims = await Promise.all([
    agentCall(a!.url, ann, 'POST', `/conversations/${conversationId}/claim`),
    agentCall(b!.url, bo, 'POST', `/conversations/${conversationId}/claim`),
  ]);
  const statuses = claims.map((r) => r.status).sort();
  assert.ok(statuses[0]! >= 200 && statuses[0]! < 300 && statuses[1] === 409, `one 2xx and one 409, got ${statuses.join(', ')}`);
  const winner = claims.find((r) => r.status < 300)!.json.agent as { agentId: string; name: string };
  const onB = streams[0]!;
  // The visitor's stream (still on B) shows the handoff to exactly one person.
  const events = await onB.until((e) => e.some((x) => x.data.type === 'handoff' && x.data.state === 'agent'), 'the handoff to the winner');
  const toAgent = events.filter((x) => x.data.type === 'handoff' && x.data.state === 'agent');
  assert.equal(toAgent.length, 1, `one handoff to a person: ${describe(events)}`);
  assert.equal(toAgent[0]!.data.name, winner.name, 'the visitor sees the name of the agent who won');
  const annWon = winner.agentId === 'agent-ann';
  const reply = await agentCall(annWon ? a!.url : b!.url, annWon ? ann : bo, 'POST', `/conversations/${conversationId}/messages`, {
    text: 'Hi, I am here. Let me look at your order.',
  });
  assert.ok(reply.status >= 200 && reply.status < 300, JSON.stringify(reply.json));
  await onB.until((e) => e.some((x) => x.data.type === 'message' && x.data.from === 'agent'), 'the agent reply on B');
  assert.equal(await postMessage(a!.url, token, 'Thanks, it is order 1042'), 201);
  await onB.until((e) => e.some((x) => x.data.type === 'message' && x.data.text === 'Thanks, it is order 1042'), 'the last visitor message');
  // Everything B streamed is the server's log, exactly.
  before = await serverLog(c!.url, conversationId);
  assert.deepEqual(onB.events, before, 'the live stream on B equals the stored log');
  assert.ok(gapFree(before) && before.length >= 6, describe(before));
});

test('after stopping every instance and killing Redis, the same token replays everything and resumes from the middle exactly', async () => {
  assert.ok(before.length > 0, 'runs after the tests above');
  await stopEverything();
  const [a, b, c] = await startAll();

  // Whole conversation from Last-Event-ID 0, on each instance.
  for (const inst of [a!, b!, c!]) {
    const s = await openStream(inst.url, token, 0);
    streams.push(s);
    const got = await s.until((e) => e.length >= before.length, `the full replay on ${inst.name}`);
    assert.deepEqual(got.slice(0, before.length), before, `${inst.name} replays the whole log, same ids and events`);
    s.close();
  }

  // From the middle: exactly the events after it, on B, then the next live one with the next id and nothing else.
  const middle = before[Math.floor(before.length / 2)]!.id;
  const resumed = await openStream(b!.url, token, middle);
  streams.push(resumed);
  const expected = before.filter((e) => e.id > middle);
  await resumed.until((e) => e.length >= expected.length, 'the replay after the middle');
  assert.equal(await postMessage(c!.url, token, 'Are you still there?'), 201);
  const got = await resumed.until((e) => e.some((x) => x.data.text === 'Are you still there?'), 'the new message after the restart');
  const next = before.at(-1)!.id + 1;
  assert.deepEqual(ids(got.slice(0, expected.length + 1)), [...ids(expected), next], `no duplicate, no gap: ${describe(got)}`);
  assert.deepEqual(got.slice(0, expected.length), expected);

  // The claim survived: the chat is still with its agent, and the stored log continues without a gap.
  const log = await serverLog(a!.url, conversationId);
  assert.ok(gapFree(log), describe(log));
  const r = await agentCall(a!.url, supervisor, 'GET', `/conversations/${conversationId}`);
  assert.equal(r.json.conversation.state, 'agent');
});
