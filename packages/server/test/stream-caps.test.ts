// Issue 11 findings 1–2 on the embedded default (memory coordination), over real sockets.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createAgentToken } from '@temper/server';
import { SECRET, openEvents, session, start } from './helpers.ts';
import { closeAll, perIpCap, twentyOnOneConversation } from './stream-caps.ts';

describe('stream caps (findings 1–2)', () => {
  test('twenty simultaneous streams on one conversation: the cap (5) is accepted, 15 get 429 with Retry-After', async () => {
    const s = await start({ limits: { perIp: false, perSession: false } });
    try {
      await twentyOnOneConversation([s.base], 5);
      const v = await session(s.base);
      const open = await Promise.all([1, 2, 3, 4, 5].map(() => openEvents(s.base, v.token)));
      const r = await fetch(`${s.base}/events`, { headers: { authorization: `Bearer ${v.token}` } });
      assert.equal(r.status, 429);
      assert.equal(r.headers.get('retry-after'), '15');
      assert.match((await r.json()).error.message, /this conversation \(at most 5\)/);
      assert.equal(s.handler.stats().openStreams, 5);
      await closeAll(open);
    } finally {
      await s.close();
    }
  });

  test('streams per IP and in total are capped (agent queue streams count too)', async () => {
    const s = await start({ limits: { perIp: false, perSession: false, streamsPerIp: 4, streams: 100 } });
    try {
      await perIpCap([s.base], 4);
    } finally {
      await s.close();
    }
    const t = await start({ limits: { perIp: false, perSession: false, streams: 3 } });
    try {
      const agent = createAgentToken(SECRET, { agentId: 'a-1', name: 'Ann', role: 'agent', ttlMs: 86_400_000 });
      const q = await fetch(`${t.base}/agent/queue/events`, { headers: { authorization: `Bearer ${agent}` } });
      assert.equal(q.status, 200);
      const v = await Promise.all([1, 2, 3].map(() => session(t.base)));
      const streams = await Promise.all(v.map((x) => openEvents(t.base, x.token)));
      assert.deepEqual(streams.map((x) => x.status).sort(), [200, 200, 429]);
      assert.match(await (await fetch(`${t.base}/events`, { headers: { authorization: `Bearer ${v[0]!.token}` } })).text(), /this service \(at most 3\)/);
      await q.body?.cancel();
      await closeAll(streams);
    } finally {
      await t.close();
    }
  });

  test('bad caps are refused', async () => {
    await assert.rejects(async () => start({ limits: { streamsPerConversation: 0 } }), /streamsPerConversation must be an integer ≥ 1/);
  });
});
