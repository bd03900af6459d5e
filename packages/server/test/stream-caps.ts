// The stream caps of issue 11 (findings 1 and 2) as checks over real sockets, shared by the memory test (one
// instance) and the Redis test (two instances on one redis-server): whatever instance a stream lands on, at most
// the cap is open and the rest get 429 with Retry-After.
import assert from 'node:assert/strict';
import { openEvents, session, type SseStream } from './helpers.ts';

/** Opens `n` streams at once for `token`, spread round-robin over `bases`. */
export async function openAtOnce(bases: readonly string[], token: string, n: number): Promise<SseStream[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => openEvents(bases[i % bases.length]!, token)));
}

export function closeAll(streams: SseStream[]): Promise<unknown> {
  for (const s of streams) s.close();
  return Promise.all(streams.map((s) => s.ended));
}

/** Twenty simultaneous streams on one conversation: exactly `cap` accepted, the others 429; a freed slot is reusable. */
export async function twentyOnOneConversation(bases: readonly string[], cap: number): Promise<void> {
  const v = await session(bases[0]!);
  const streams = await openAtOnce(bases, v.token, 20);
  try {
    const ok = streams.filter((s) => s.status === 200);
    const refused = streams.filter((s) => s.status === 429);
    assert.equal(ok.length, cap, `accepted ${ok.length} of 20, cap ${cap}`);
    assert.equal(refused.length, 20 - cap);
    // The accepted ones are live streams (their first heartbeat or connect comment arrived).
    await Promise.all(ok.map((s) => s.waitComment((c) => c === 'connected')));
    // Closing one frees its slot on every instance (released on close, not after the lease).
    const one = ok[0]!;
    one.close();
    await one.ended;
    let again: SseStream | null = null;
    for (let i = 0; i < 50 && again?.status !== 200; i++) {
      again?.close();
      again = await openEvents(bases[bases.length - 1]!, v.token);
      if (again.status !== 200) await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(again!.status, 200, 'a freed slot is taken again');
    streams.push(again!);
    const extra = await openEvents(bases[0]!, v.token);
    streams.push(extra);
    assert.equal(extra.status, 429, 'still at most the cap');
  } finally {
    await closeAll(streams);
  }
}

/** Streams of different conversations from one address: `perIp` accepted, then 429. */
export async function perIpCap(bases: readonly string[], perIp: number): Promise<void> {
  const tokens = await Promise.all(Array.from({ length: perIp + 3 }, () => session(bases[0]!)));
  const streams = await Promise.all(tokens.map((t, i) => openEvents(bases[i % bases.length]!, t.token)));
  try {
    const statuses = streams.map((s) => s.status);
    assert.equal(statuses.filter((x) => x === 200).length, perIp, statuses.join(','));
    assert.equal(statuses.filter((x) => x === 429).length, 3);
  } finally {
    await closeAll(streams);
  }
}
