// Identity verification over real sockets: a verified customer's conversation follows them to another
// device, a wrong hash is refused with identity-invalid and creates nothing, key rotation (an old listed key
// verifies, a removed one does not), and neither an anonymous session nor another customer ever gets it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createIdentityHash, createTemperServer } from '@temper/server';
import { messages, openEvents, post, SECRET, start, type Running } from './helpers.ts';

const OLD = 'identity-key-2026-06-0123456789abcdef0123456789';
const NEW = 'identity-key-2026-12-0123456789abcdef0123456789';
// Written out independently of the server's code: what a host's server in any language computes.
const hash = (key: string, id: string) => createHmac('sha256', key).update(id).digest('hex');

async function withServer(opts: Parameters<typeof start>[0], fn: (s: Running) => Promise<void>) {
  const s = await start({ limits: { perIp: false, perSession: false }, bot: async (_c, m) => ({ text: `Echo: ${m.text}`, understood: true }), ...opts });
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

async function send(s: Running, token: string, text: string) {
  const r = await post(s.base, '/messages', { id: `m-${Math.random().toString(36).slice(2, 12)}`, text }, token);
  assert.equal(r.status, 201, JSON.stringify(r.body));
}

test('the same verified customer gets the same conversation on a second device, with its transcript', async () => {
  await withServer({ identitySecret: NEW }, async (s) => {
    const user = { id: 'cust-1042', hash: hash(NEW, 'cust-1042') };
    const one = await post(s.base, '/sessions', { locale: 'en', user });
    assert.equal(one.status, 201, JSON.stringify(one.body));
    await send(s, one.body.token, 'Where is my order 1042?');
    s.clock.t += 60_000;
    const two = await post(s.base, '/sessions', { user });
    assert.equal(two.status, 200, 'resumed, not created');
    assert.equal(two.body.conversationId, one.body.conversationId);
    assert.notEqual(two.body.token, one.body.token, 'device 2 gets a token of its own');
    const es = await openEvents(s.base, two.body.token);
    const texts = messages(await es.take(4)).map((m) => m.text);
    es.close();
    assert.deepEqual(texts.slice(0, 2), ['Where is my order 1042?', 'Echo: Where is my order 1042?']);
    // Device 1 renewing its token keeps the conversation too.
    const renew = await post(s.base, '/sessions', { user }, one.body.token);
    assert.equal(renew.status, 200);
    assert.equal(renew.body.conversationId, one.body.conversationId);
    assert.equal((await s.handler.store.listConversations()).length, 1, 'one conversation in all');
  });
});

test('two devices opening at the same moment get one conversation', async () => {
  await withServer({ identitySecret: NEW }, async (s) => {
    const user = { id: 'cust-7', hash: hash(NEW, 'cust-7') };
    const rs = await Promise.all(Array.from({ length: 8 }, () => post(s.base, '/sessions', { user })));
    assert.deepEqual(rs.map((r) => r.status).sort(), [200, 200, 200, 200, 200, 200, 200, 201]);
    assert.equal(new Set(rs.map((r) => r.body.conversationId)).size, 1);
  });
});

test('a wrong hash is refused with 401 identity-invalid and creates no conversation', async () => {
  await withServer({ identitySecret: NEW }, async (s) => {
    const wrong = [
      hash(NEW, 'cust-1043'), // another customer's hash
      hash('someone-elses-key-0123456789abcdef0123456789', 'cust-1042'),
      hash(NEW, 'cust-1042').replace(/.$/, (c) => (c === '0' ? '1' : '0')), // one hex digit off
    ];
    for (const h of wrong) {
      const r = await post(s.base, '/sessions', { user: { id: 'cust-1042', hash: h } });
      assert.equal(r.status, 401);
      assert.equal(r.body.error.code, 'identity-invalid');
      assert.equal(r.body.error.field, 'user.hash');
    }
    assert.deepEqual(await s.handler.store.listConversations(), []);
    assert.equal(s.handler.stats().refused['identity-invalid'], 3);
  });
});

test('a user is validated strictly: id charset and length, hash exactly 64 lowercase hex, no other fields', async () => {
  await withServer({ identitySecret: NEW }, async (s) => {
    const good = hash(NEW, 'cust-1');
    const cases: Array<[unknown, string, string]> = [
      [{ id: 'li@example.com', hash: good }, 'bad-format', 'user.id'],
      [{ id: '', hash: good }, 'too-short', 'user.id'],
      [{ id: 'x'.repeat(129), hash: good }, 'too-long', 'user.id'],
      [{ id: 'cust-1', hash: good.toUpperCase() }, 'bad-format', 'user.hash'],
      [{ id: 'cust-1', hash: good.slice(2) }, 'too-short', 'user.hash'],
      [{ id: 'cust-1' }, 'missing-field', 'user.hash'],
      [{ id: 'cust-1', hash: good, email: 'li@example.com' }, 'unknown-field', 'user.email'],
      ['cust-1', 'not-an-object', 'user'],
    ];
    for (const [user, code, field] of cases) {
      const r = await post(s.base, '/sessions', { user });
      assert.equal(r.status, 400, JSON.stringify(user));
      assert.deepEqual([r.body.error.code, r.body.error.field], [code, field], JSON.stringify(user));
    }
  });
});

test('rotation: a hash made with an old listed key verifies; once the key is removed it does not', async () => {
  const user = { id: 'auth0|5f1c', hash: hash(OLD, 'auth0|5f1c') };
  await withServer({ identitySecret: [{ kid: '2026-12', key: NEW }, { kid: '2026-06', key: OLD }] }, async (s) => {
    assert.equal((await post(s.base, '/sessions', { user })).status, 201, 'old key still listed');
    const fresh = { id: 'auth0|5f1c', hash: createIdentityHash([{ kid: '2026-12', key: NEW }], 'auth0|5f1c') };
    assert.equal(fresh.hash, hash(NEW, 'auth0|5f1c'), 'createIdentityHash signs with the first key');
    assert.equal((await post(s.base, '/sessions', { user: fresh })).status, 200, 'new key verifies too, same conversation');
  });
  await withServer({ identitySecret: [{ kid: '2026-12', key: NEW }] }, async (s) => {
    const r = await post(s.base, '/sessions', { user });
    assert.deepEqual([r.status, r.body.error.code], [401, 'identity-invalid'], 'old key removed');
  });
});

test('without identitySecret every user is refused, and bad secrets throw at startup', async () => {
  await withServer({}, async (s) => {
    const r = await post(s.base, '/sessions', { user: { id: 'cust-1', hash: hash(NEW, 'cust-1') } });
    assert.deepEqual([r.status, r.body.error.code], [401, 'identity-invalid']);
    assert.match(r.body.error.message, /no identitySecret/);
  });
  assert.throws(() => createTemperServer({ secret: SECRET, identitySecret: 'short' }), /at least 32 bytes/);
  assert.throws(() => createTemperServer({ secret: SECRET, identitySecret: SECRET }), /must differ from `secret`/);
  assert.throws(() => createTemperServer({ secret: SECRET, identitySecret: [] }), /non-empty list/);
  assert.throws(() => createTemperServer({ secret: SECRET, identitySecret: [{ kid: 'a', key: NEW }, { kid: 'a', key: OLD }] }), /unique/);
  assert.throws(() => createIdentityHash(NEW, 'li@example.com'), /not an email/);
});

test('an anonymous session never sees a customer\'s conversation, and another customer never does', async () => {
  await withServer({ identitySecret: NEW }, async (s) => {
    const a = { id: 'cust-a', hash: hash(NEW, 'cust-a') };
    const b = { id: 'cust-b', hash: hash(NEW, 'cust-b') };
    const mine = await post(s.base, '/sessions', { user: a });
    await send(s, mine.body.token, 'my address is 12 Elm St');
    const anon = await post(s.base, '/sessions', {});
    assert.equal(anon.status, 201);
    assert.notEqual(anon.body.conversationId, mine.body.conversationId);
    const other = await post(s.base, '/sessions', { user: b });
    assert.equal(other.status, 201);
    assert.notEqual(other.body.conversationId, mine.body.conversationId);
    // A's token presented without a user (a shared browser after sign-out), or with B signed in: refused.
    for (const user of [undefined, b]) {
      const r = await post(s.base, '/sessions', user ? { user } : {}, mine.body.token);
      assert.deepEqual([r.status, r.body.error.code], [401, 'unauthorized'], JSON.stringify(user));
    }
    for (const t of [anon.body.token, other.body.token]) {
      const es = await openEvents(s.base, t);
      const seen = await Promise.race([es.take(1).then(() => 'an event'), new Promise((r) => setTimeout(() => r('nothing'), 300))]);
      es.close();
      assert.equal(seen, 'nothing', 'an empty conversation of its own');
    }
    // An anonymous visitor who signs in gets the customer's conversation, not the anonymous one renewed.
    const signedIn = await post(s.base, '/sessions', { user: a }, anon.body.token);
    assert.equal(signedIn.body.conversationId, mine.body.conversationId);
  });
});

test('deleting the conversation drops the binding: the customer then starts afresh', async () => {
  await withServer({ identitySecret: NEW }, async (s) => {
    const user = { id: 'cust-9', hash: hash(NEW, 'cust-9') };
    const one = await post(s.base, '/sessions', { user });
    assert.equal(await s.handler.deleteConversation(one.body.conversationId), true);
    assert.equal(await s.handler.store.getUserConversation('cust-9'), null);
    const two = await post(s.base, '/sessions', { user });
    assert.equal(two.status, 201);
    assert.notEqual(two.body.conversationId, one.body.conversationId);
  });
});
