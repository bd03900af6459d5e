// The SSE heartbeat against the load balancer's idle timeout, with the committed haproxy.cfg: a quiet stream
// whose instance beats more often than HAProxy's timeout stays open and still delivers; one whose instance beats
// less often is cut by HAProxy. (Deployed: TEMPER_LB_IDLE 60 s, heartbeat 15 s; here 1 s against 0.3 s and 10 s.)
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { API_BASE } from '@temper/protocol';
import { openEvents, post, session, type SseStream } from '../../../packages/server/test/helpers.ts';
import { startHaproxy, startInstance, stopAll, type Proc } from '../cluster.ts';

const procs: Proc[] = [];
const streams: SseStream[] = [];
after(async () => {
  for (const s of streams) s.close();
  await stopAll(procs, 'kill');
});

test('heartbeats keep a quiet stream open through HAProxy’s idle timeout; a stream without them is cut', async () => {
  const env = { TEMPER_SECRET: randomBytes(32).toString('hex') };
  const [beating, silent] = await Promise.all([
    startInstance('beating', { ...env, TEMPER_HEARTBEAT_MS: '300' }),
    startInstance('silent', { ...env, TEMPER_HEARTBEAT_MS: '10000' }),
  ]);
  procs.push(beating, silent);
  const idle = { TEMPER_LB_IDLE: '1s' };
  const [lbBeating, lbSilent] = await Promise.all([
    startHaproxy([`127.0.0.1:${beating.port}`], idle),
    startHaproxy([`127.0.0.1:${silent.port}`], idle),
  ]);
  procs.push(lbBeating, lbSilent);
  const a = await session(lbBeating.url + API_BASE);
  const b = await session(lbSilent.url + API_BASE);
  const t0 = Date.now();
  const kept = await openEvents(lbBeating.url + API_BASE, a.token);
  const cut = await openEvents(lbSilent.url + API_BASE, b.token);
  streams.push(kept, cut);
  assert.equal(kept.status, 200);
  assert.equal(cut.status, 200);

  await cut.ended;
  const cutAfter = Date.now() - t0;
  assert.ok(cutAfter >= 900 && cutAfter < 5000, `HAProxy cut the silent stream after its idle timeout (${cutAfter} ms)`);

  // The beating stream outlives twice the timeout, then still delivers on the same connection.
  await kept.waitComment(() => kept.comments.filter((c) => c === 'heartbeat').length >= 8);
  const r = await post(lbBeating.url + API_BASE, '/messages', { id: 'heartbeat-test-1', text: 'Still there?' }, a.token);
  assert.equal(r.status, 201);
  const m = await kept.until((f) => f.event.type === 'message' && f.event.from === 'visitor');
  assert.equal((m.event as { text: string }).text, 'Still there?');
  assert.ok(Date.now() - t0 > 2000, 'the beating stream was open for more than twice the idle timeout');
});
