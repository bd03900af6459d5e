import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { validate, schemas, eventSchemas, codePointLength, MAX_MESSAGE_LENGTH, buildEgressManifest, STORAGE_ITEMS, ERROR_CODES, waitMinutes } from '@temper/protocol';
import { manifestText } from '../../../scripts/gen-manifest.ts';

const code = (spec: Parameters<typeof validate>[0], v: unknown) => {
  const r = validate(spec, v);
  return r.ok ? 'ok' : r.error.code;
};

test('a well-formed signal passes and keeps its value', () => {
  const r = validate(schemas.signal, { v: 1, seq: 3, level: 2, trend: 1 });
  assert.deepEqual(r, { ok: true, value: { v: 1, seq: 3, level: 2, trend: 1 } });
});

test('signals: extra fields, strings for numbers, out-of-range values are refused with codes', () => {
  assert.equal(code(schemas.signal, { v: 1, seq: 1, level: 1, trend: 0, text: 'hi' }), 'unknown-field');
  assert.equal(code(schemas.signal, { v: 1, seq: 1, level: '2', trend: 0 }), 'wrong-type');
  assert.equal(code(schemas.signal, { v: 1, seq: 1, level: 4, trend: 0 }), 'not-allowed-value');
  assert.equal(code(schemas.signal, { v: 1, seq: 1, level: 1.5, trend: 0 }), 'not-allowed-value');
  assert.equal(code(schemas.signal, { v: 1, seq: 0, level: 1, trend: 0 }), 'out-of-range');
  assert.equal(code(schemas.signal, { v: 1, seq: 1.5, level: 1, trend: 0 }), 'wrong-type');
  assert.equal(code(schemas.signal, { v: 2, seq: 1, level: 1, trend: 0 }), 'not-allowed-value');
  assert.equal(code(schemas.signal, { v: 1, level: 1, trend: 0 }), 'missing-field');
  assert.equal(code(schemas.signal, [1, 2]), 'not-an-object');
  assert.equal(code(schemas.signal, null), 'not-an-object');
  const r = validate(schemas.signal, { v: 1, seq: 1, level: 1, trend: 0, p: 0.9 });
  assert.equal(!r.ok && r.error.field, 'p');
});

test('messages: length in code points, lone surrogates, control characters, id format', () => {
  const id = 'abcDEF12_-';
  assert.equal(code(schemas.visitorMessage, { id, text: 'hello 你好 👋' }), 'ok');
  assert.equal(code(schemas.visitorMessage, { id, text: '' }), 'too-short');
  assert.equal(code(schemas.visitorMessage, { id, text: 'a'.repeat(MAX_MESSAGE_LENGTH + 1) }), 'too-long');
  // 2000 emoji are 4000 UTF-16 units but 2000 characters: allowed.
  assert.equal(code(schemas.visitorMessage, { id, text: '😀'.repeat(MAX_MESSAGE_LENGTH) }), 'ok');
  assert.equal(code(schemas.visitorMessage, { id, text: 'bad \uD800 half' }), 'lone-surrogate');
  assert.equal(code(schemas.visitorMessage, { id, text: 'bad \uDC00' }), 'lone-surrogate');
  assert.equal(code(schemas.visitorMessage, { id, text: 'bell \u0007' }), 'control-character');
  assert.equal(code(schemas.visitorMessage, { id, text: 'two\nlines\ttab' }), 'ok');
  assert.equal(code(schemas.visitorMessage, { id: 'short', text: 'x' }), 'too-short');
  assert.equal(code(schemas.visitorMessage, { id: 'has space!', text: 'x' }), 'bad-format');
  assert.equal(code(schemas.visitorMessage, { id, text: 42 }), 'wrong-type');
  assert.equal(codePointLength('a😀b'), 3);
});

test('events validate, and an unknown event field is refused', () => {
  const msg = { type: 'message', id: 'e1', from: 'bot', text: 'Hi', at: Date.now(), understood: true };
  assert.equal(code(eventSchemas.message, msg), 'ok');
  assert.equal(code(eventSchemas.message, { ...msg, html: '<b>' }), 'unknown-field');
  assert.equal(code(eventSchemas.handoff, { type: 'handoff', state: 'queued', position: 2 }), 'ok');
  assert.equal(code(eventSchemas.handoff, { type: 'handoff', state: 'lost' }), 'not-allowed-value');
});

test('every validation code is a wire error code', () => {
  for (const c of ['not-an-object', 'unknown-field', 'missing-field', 'wrong-type', 'too-short', 'too-long', 'bad-format', 'lone-surrogate', 'control-character', 'out-of-range', 'not-allowed-value'])
    assert.equal(ERROR_CODES[c as keyof typeof ERROR_CODES], 400, c);
});

test('messenger basics: ratings, history requests and seen events validate strictly', () => {
  const user = { id: 'cust-1042', hash: 'a'.repeat(64) };
  assert.equal(code(schemas.rating, { score: 5 }), 'ok');
  assert.equal(code(schemas.rating, { score: 1, comment: '慢，但解决了' }), 'ok');
  assert.equal(code(schemas.rating, { score: 0 }), 'not-allowed-value');
  assert.equal(code(schemas.rating, { score: '5' }), 'wrong-type');
  assert.equal(code(schemas.rating, { score: 4, comment: '' }), 'too-short');
  assert.equal(code(schemas.rating, { score: 4, comment: 'x'.repeat(1001) }), 'too-long');
  assert.equal(code(schemas.rating, { comment: 'no score' }), 'missing-field');
  assert.equal(code(schemas.pastConversations, { user }), 'ok');
  assert.equal(code(schemas.pastConversations, {}), 'missing-field');
  assert.equal(code(schemas.pastConversations, { user: { id: 'cust-1042' } }), 'missing-field');
  assert.equal(code(schemas.pastConversation, { user, conversationId: 'abcdefgh12' }), 'ok');
  assert.equal(code(schemas.pastConversation, { user, conversationId: '../etc' }), 'too-short');
  assert.equal(code(eventSchemas.seen, { type: 'seen', upTo: 3, clientId: 'client-0001', at: 1 }), 'ok');
  assert.equal(code(eventSchemas.seen, { type: 'seen', upTo: 0, clientId: 'client-0001', at: 1 }), 'out-of-range');
  assert.equal(code(eventSchemas.seen, { type: 'seen', upTo: 3, at: 1 }), 'missing-field');
});

test('the committed egress manifest is the generated one, and flags user text only on messages and rating comments', () => {
  const committed = readFileSync(new URL('../egress-manifest.json', import.meta.url), 'utf8');
  assert.equal(committed, manifestText(), 'egress-manifest.json is stale: run npm run build');
  const m = buildEgressManifest(STORAGE_ITEMS);
  const withText = m.requests.filter((r) => r.holdsUserText).map((r) => r.id);
  assert.deepEqual(withText, ['send-message', 'rate-conversation']);
  const signal = m.requests.find((r) => r.id === 'send-signal');
  assert.deepEqual(signal?.body?.fields.map((f) => f.name), ['v', 'seq', 'level', 'trend']);
});

test('waitMinutes: one rounding for banner and notice (up, at least 1); bad input throws', () => {
  assert.deepEqual([0, 1, 59, 60, 61, 119, 120, 600].map(waitMinutes), [1, 1, 1, 1, 2, 2, 2, 10]);
  assert.throws(() => waitMinutes(-1), RangeError);
  assert.throws(() => waitMinutes(Number.NaN), RangeError);
});
