// The SSE object's backpressure over a real socket: a reader that stops reading is dropped once its backlog
// passes limits.streamBufferBytes (the server does not buffer for it without bound), and on reconnect with
// Last-Event-ID it still gets every event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { API_BASE } from '@temper/protocol';
import { openEvents, session, start } from './helpers.ts';

test('a stream whose reader stopped reading is dropped past streamBufferBytes; a resume misses nothing', async () => {
  const s = await start({ limits: { streamBufferBytes: 64 * 1024 } });
  try {
    const v = await session(s.base);
    const { port } = new URL(s.url);
    const sock = connect(Number(port), '127.0.0.1');
    await new Promise<void>((r) => sock.once('connect', r));
    sock.write(`GET ${API_BASE}/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${v.token}\r\nAccept: text/event-stream\r\n\r\n`);
    // Read the response head, then stop reading: the kernel buffers fill, write() returns false, the backlog grows.
    await new Promise<void>((r) => sock.once('data', () => r()));
    sock.pause();
    assert.equal(s.handler.stats().openStreams, 1);
    const text = 'x'.repeat(4000);
    let appended = 0;
    const closed = new Promise<void>((r) => sock.once('close', () => r()));
    for (let i = 0; i < 5000 && s.handler.stats().openStreams > 0; i++) {
      await s.handler.store.appendEvent(v.conversationId, { type: 'message', id: `m${i}`, from: 'agent', text, at: 0, name: 'A' });
      appended++;
      if (i % 50 === 0) await sleep(1);
    }
    assert.equal(s.handler.stats().openStreams, 0, 'the stalled stream was dropped');
    assert.ok(appended < 5000, `dropped after ${appended} events of 4 KB`);
    sock.resume();
    await closed;
    const ev = await openEvents(s.base, v.token, '0');
    const all = await ev.take(appended);
    assert.deepEqual(all.map((f) => f.id), Array.from({ length: appended }, (_, i) => i + 1));
    ev.close();
  } finally {
    await s.close();
  }
});
