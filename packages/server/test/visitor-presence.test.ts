// Visitor presence (issue 12, defect 7) over real sockets: a visitor is "here" while an event stream of theirs
// is open on any instance; a queued chat whose visitor has been away `abandonAfterMs` leaves the line (others
// move up and are told), and returns to its old place when the visitor comes back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAgentToken, createMemoryCoordination, createMemoryStore } from '@temper/server';
import { SECRET, api, openEvents, post, session, start, waitFor, type Running, type SseFrame, type SseStream } from './helpers.ts';

const agent = createAgentToken(SECRET, { agentId: 'agent-p', name: 'Mei', role: 'agent', ttlMs: 86_400_000 });
const queuedAt = (n: number) => (f: SseFrame) => f.event.type === 'handoff' && f.event.state === 'queued' && f.event.position === n;

/** Polls `read` until `ok` holds (the sweep and the stream close are asynchronous); generous, never a sleep. */
const queue = (s: Running) =>
  api(s, 'GET', '/agent/queue', agent).then((r) => {
    if (r.status !== 200) throw new Error(`GET /agent/queue answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body as { items: any[]; left: any[] };
  });
type Queue = Awaited<ReturnType<typeof queue>>;
/** Polls the queue every 100 ms: 10 requests a second stays inside the agent's rate limit (20/s, burst 120). */
const waitQueue = (s: Running, ok: (q: Queue) => boolean, what: string) => waitFor(() => queue(s), ok, what, 15_000, 100);

async function queuedVisitor(s: Running, n: number): Promise<{ token: string; conversationId: string; ev: SseStream }> {
  const v = await session(s.base);
  const ev = await openEvents(s.base, v.token);
  await post(s.base, '/messages', { id: `pres-ask-${n}`.padEnd(10, '0'), text: 'I want a human' }, v.token);
  await ev.until((f) => f.event.type === 'handoff' && f.event.state === 'queued');
  return { ...v, ev };
}

test('a visitor who left takes no place in line after abandonAfterMs, and gets it back on return', async () => {
  // A short heartbeat makes the sweep (which marks abandonment) run every 100 ms.
  const s = await start({ heartbeatMs: 100, abandonAfterMs: 60_000 });
  try {
    await api(s, 'POST', '/agent/presence', agent, { status: 'online' });
    const first = await queuedVisitor(s, 1);
    s.clock.t += 1_000;
    const second = await queuedVisitor(s, 2);
    let q = await waitQueue(s, (q) => q.items.length === 2 && q.items.every((i) => i.visitor === 'here'), 'both here');
    assert.deepEqual(q.items.map((i) => [i.conversationId, i.position]), [[first.conversationId, 1], [second.conversationId, 2]]);

    // The first visitor closes the tab: away at once, still in line until abandonAfterMs has passed.
    first.ev.close();
    q = await waitQueue(s, (q) => q.items[0]?.visitor === 'away', 'the first visitor away');
    assert.equal(q.items[0].conversationId, first.conversationId);
    assert.equal(typeof q.items[0].visitorLeftAt, 'number');
    assert.deepEqual(q.left, []);

    s.clock.t += 60_000;
    q = await waitQueue(s, (q) => q.left.length === 1, 'the abandoned chat out of line');
    assert.deepEqual(q.items.map((i) => [i.conversationId, i.position]), [[second.conversationId, 1]]);
    assert.deepEqual(q.left.map((i) => [i.conversationId, i.visitor, i.position]), [[first.conversationId, 'left', 0]]);
    // The visitor behind moved up and was told so, with the wait for first place.
    const moved = await second.ev.until(queuedAt(1));
    assert.ok(moved.event.type === 'handoff' && moved.event.waitSeconds === 120, 'moved.event.type === \'handoff\' && moved.event.waitSeconds === 120');
    const audit = await s.handler.store.readAudit({ conversationId: first.conversationId });
    assert.ok(audit.some((e) => e.action === 'abandoned'), 'audit.some((e) => e.action === \'abandoned\')');

    // The first visitor comes back (a new stream): back in line ahead of the second, and told where they are.
    const back = await openEvents(s.base, first.token, String(first.ev.frames.at(-1)!.id));
    // Coming back clears the abandonment first and then renumbers the line (refreshPositions), so
    // the listing can show both in line a moment before the order is back: wait for the settled line.
    q = await waitQueue(
      s,
      (q) => q.left.length === 0 && q.items.length === 2 && q.items[0]?.conversationId === first.conversationId && q.items.every((i) => i.visitor === 'here'),
      'back in line, first again',
    );
    assert.deepEqual(q.items.map((i) => [i.conversationId, i.position, i.visitor]), [[first.conversationId, 1, 'here'], [second.conversationId, 2, 'here']]);
    await back.until(queuedAt(1));
    await second.ev.until(queuedAt(2));
    back.close();
    second.ev.close();
  } finally {
    await s.close();
  }
});

test('presence holds across instances: two tabs on two instances, the visitor is here until both close', async () => {
  const store = createMemoryStore();
  const coordination = createMemoryCoordination();
  const clock = { t: Date.now() };
  const shared = { store, coordination, now: () => clock.t, heartbeatMs: 100, abandonAfterMs: 30_000 };
  const a = await start(shared);
  const b = await start(shared);
  try {
    await api(a, 'POST', '/agent/presence', agent, { status: 'online' });
    const v = await queuedVisitor(a, 3);
    const tab2 = await openEvents(b.base, v.token);
    await tab2.waitComment((c) => c === 'heartbeat');
    v.ev.close();
    // Closing the tab on A while one is open on B leaves the visitor here (checked on B, after A's close).
    await waitFor(() => coordination.holders(`presence:visitor:{${v.conversationId}}`), (n) => n === 1, 'one stream left');
    clock.t += 30_000;
    await new Promise((r) => setTimeout(r, 400)); // four sweeps at 100 ms: give abandonment every chance to happen wrongly
    let q = await queue(b);
    assert.deepEqual([q.items[0]?.visitor, q.left.length], ['here', 0]);
    tab2.close();
    q = await waitQueue(a, (q) => q.items[0]?.visitor === 'away', 'away once the last tab closed');
    clock.t += 30_000;
    q = await waitQueue(b, (q) => q.left.length === 1 && q.items.length === 0, 'out of line');
  } finally {
    await a.close();
    await b.close();
  }
});

test('a client that never opens a stream is never marked away', async () => {
  const s = await start({ heartbeatMs: 100, abandonAfterMs: 1_000 });
  try {
    await api(s, 'POST', '/agent/presence', agent, { status: 'online' });
    const v = await session(s.base);
    await post(s.base, '/messages', { id: 'http-only-1', text: 'agent' }, v.token);
    s.clock.t += 10_000;
    const q = await waitQueue(s, (q) => q.items.length === 1, 'queued');
    assert.deepEqual([q.items[0].visitor, q.items[0].visitorLeftAt, q.left.length], ['unknown', null, 0]);
  } finally {
    await s.close();
  }
});

test('abandonAfterMs and callbackWithinHours are checked', async () => {
  await assert.rejects(start({ abandonAfterMs: -1 }), RangeError);
  await assert.rejects(start({ callbackWithinHours: 0 }), RangeError);
});
