// The server's firewall for signals, over a real socket against the shop: whatever is not exactly
// `{ v, seq, level, trend }` with values in range is refused with 400 and a code naming what is wrong, counted in
// stats(), and changes nothing stored. packages/server/test/server.test.ts covers the same for message bodies
// (and a level out of range); this covers the signal, the only derived data that leaves the device.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStore } from '@temper/server';
import { ERROR_CODES } from '@temper/protocol';
import { startShop, type RunningShop } from '../server.ts';

const store = createMemoryStore();
let shop: RunningShop;
before(async () => {
  shop = await startShop({ store });
});
after(async () => {
  await shop?.close();
});

async function post(path: string, body: unknown, token?: string): Promise<{ status: number; body: { error?: { code: string; field?: string; message: string } } & Record<string, unknown> }> {
  const res = await fetch(`${shop.url}/temper/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as never };
}

test('signals with unknown fields, wrong types or values out of range are refused, counted, and store nothing', async () => {
  const s = await post('/sessions', { locale: 'en' });
  assert.equal(s.status, 201);
  const { token, conversationId } = s.body as unknown as { token: string; conversationId: string };
  const ok = await post('/signals', { v: 1, seq: 1, level: 1, trend: 1 }, token);
  assert.equal(ok.status, 200);
  const stateBefore = await store.getSignalState(conversationId);
  assert.equal(stateBefore?.seq, 1);
  const refusedBefore: Record<string, number | undefined> = { ...(shop.temper.stats().refusedByEndpoint['send-signal'] ?? {}) };

  const good = { v: 1, seq: 2, level: 2, trend: 1 };
  const cases: Array<[string, unknown, string, string | undefined]> = [
    ['unknown field: a probability', { ...good, p: 0.93 }, 'unknown-field', 'p'],
    ['unknown field: text', { ...good, text: 'I am furious' }, 'unknown-field', 'text'],
    ['unknown field: keystroke timing', { ...good, typingMs: [120, 95] }, 'unknown-field', 'typingMs'],
    ['unknown field: the conversation id', { ...good, cid: conversationId }, 'unknown-field', 'cid'],
    ['prototype key', '{"v":1,"seq":2,"level":2,"trend":1,"__proto__":{"x":1}}', 'unknown-field', '__proto__'],
    ['string for a level', { ...good, level: '2' }, 'wrong-type', 'level'],
    ['string for seq', { ...good, seq: '2' }, 'wrong-type', 'seq'],
    ['fraction for seq', { ...good, seq: 2.5 }, 'wrong-type', 'seq'],
    ['seq 0', { ...good, seq: 0 }, 'out-of-range', 'seq'],
    ['seq above 2^31-1', { ...good, seq: 2 ** 31 }, 'out-of-range', 'seq'],
    ['level 4', { ...good, level: 4 }, 'not-allowed-value', 'level'],
    ['level 1.5', { ...good, level: 1.5 }, 'not-allowed-value', 'level'],
    ['trend 2', { ...good, trend: 2 }, 'not-allowed-value', 'trend'],
    ['version 2', { ...good, v: 2 }, 'not-allowed-value', 'v'],
    ['missing trend', { v: 1, seq: 2, level: 2 }, 'missing-field', 'trend'],
    ['an array', '[1,2,2,1]', 'not-an-object', undefined],
    ['not JSON', '{"v":1,', 'bad-json', undefined],
  ];
  const counted: Record<string, number> = {};
  for (const [name, body, code, field] of cases) {
    const r = await post('/signals', body, token);
    assert.equal(r.status, 400, `${name}: status`);
    assert.equal(ERROR_CODES[r.body.error!.code as keyof typeof ERROR_CODES], 400, `${name}: a known 400 code`);
    assert.equal(r.body.error!.code, code, `${name}: code`);
    assert.equal(r.body.error!.field, field, `${name}: field`);
    assert.ok(r.body.error!.message.length > 0, `${name}: a message`);
    counted[code] = (counted[code] ?? 0) + 1;
  }
  // Counted per endpoint and code.
  const refused: Record<string, number | undefined> = shop.temper.stats().refusedByEndpoint['send-signal'] ?? {};
  for (const [code, n] of Object.entries(counted)) assert.equal(refused[code], (refusedBefore[code] ?? 0) + n, `stats counts ${code}`);
  // Nothing stored: the state is the accepted signal's, and it still holds only the known fields.
  const stateAfter = await store.getSignalState(conversationId);
  assert.deepEqual(stateAfter, stateBefore);
  assert.deepEqual(Object.keys(stateAfter!).sort(), ['at', 'history', 'level', 'seq', 'trend']);
  for (const h of stateAfter!.history) assert.deepEqual(Object.keys(h).sort(), ['at', 'level', 'seq', 'trend']);
  // And the next valid signal is accepted as seq 2: nothing refused consumed a seq.
  assert.equal((await post('/signals', good, token)).status, 200);
  assert.equal((await store.getSignalState(conversationId))?.level, 2);
});
