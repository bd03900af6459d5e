// Tokens over real sockets: one accepted spelling per token (issue 11 finding 7), and key rotation with key ids.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createAgentToken, createMemoryStore, createTemperServer } from '@temper/server';
import { SECRET, post, session, start } from './helpers.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_~';
const NO_LIMITS = { perIp: false, perSession: false, perAgent: false, invalidTokens: false } as const;

/**
 * Every other spelling of `token` whose signature decodes to the same bytes: one character substituted or
 * inserted anywhere in the signature (the last character carries padding bits; decoders skip stray characters).
 */
function alternativeSpellings(token: string): string[] {
  const cut = token.lastIndexOf('.');
  const head = token.slice(0, cut + 1);
  const sig = token.slice(cut + 1);
  const bytes = Buffer.from(sig, 'base64url');
  const out = new Set<string>();
  for (let i = 0; i <= sig.length; i++)
    for (const c of ALPHABET)
      for (const alt of [sig.slice(0, i) + c + sig.slice(i), sig.slice(0, i) + c + sig.slice(i + 1)])
        if (alt !== sig && Buffer.from(alt, 'base64url').equals(bytes)) out.add(head + alt);
  return [...out];
}

async function agentGet(base: string, path: string, token: string): Promise<number> {
  const r = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
  await r.arrayBuffer();
  return r.status;
}

describe('token spellings (finding 7)', () => {
  test('every alternative spelling of a visitor token and of an agent token is refused', async () => {
    const s = await start({ limits: NO_LIMITS });
    try {
      const v = await session(s.base);
      const vAlts = alternativeSpellings(v.token);
      assert.ok(vAlts.length >= 3, `expected several alternative spellings, found ${vAlts.length}`);
      for (const alt of vAlts) {
        const r = await post(s.base, '/signals', { v: 1, seq: 1, level: 1, trend: 0 }, alt);
        assert.equal(r.status, 401, `visitor token spelled ${alt.slice(-8)} was accepted`);
      }
      assert.equal((await post(s.base, '/signals', { v: 1, seq: 1, level: 1, trend: 0 }, v.token)).status, 200);

      const agent = createAgentToken(SECRET, { agentId: 'a-1', name: 'Ann', role: 'agent' });
      const aAlts = alternativeSpellings(agent);
      assert.ok(aAlts.length >= 3);
      for (const alt of aAlts) assert.equal(await agentGet(s.base, '/agent/queue', alt), 401, `agent token spelled ${alt.slice(-8)} was accepted`);
      assert.equal(await agentGet(s.base, '/agent/queue', agent), 200);
    } finally {
      await s.close();
    }
  });
});

describe('key rotation', () => {
  const OLD = 'old-key-old-key-old-key-old-key-0123456789';
  const NEW = 'new-key-new-key-new-key-new-key-0123456789';

  test('a list of { kid, key }: the first signs, every key verifies, a removed key stops verifying', async () => {
    // Step 0: one unnamed secret. Step 1: the new key added behind it. Step 2: the new key first. Step 3: old key gone.
    const store = createMemoryStore();
    const s0 = await start({ secret: OLD, store, limits: NO_LIMITS });
    const v0 = await session(s0.base);
    const a0 = createAgentToken(OLD, { agentId: 'a-0', name: 'Zero', role: 'agent' });
    assert.equal(v0.token.split('.').length, 4, 'an unnamed secret keeps the kid-less format');
    await s0.close();

    const step1 = [
      { kid: 'k1', key: OLD },
      { kid: 'k2', key: NEW },
    ];
    const s1 = await start({ secret: step1, store, limits: NO_LIMITS });
    const v1 = await session(s1.base);
    assert.equal(v1.token.split('.')[3], 'k1', 'the first key signs and names itself');
    await s1.close();

    const step2 = [
      { kid: 'k2', key: NEW },
      { kid: 'k1', key: OLD },
    ];
    const s2 = await start({ secret: step2, store, limits: NO_LIMITS });
    try {
      const v2 = await session(s2.base);
      assert.equal(v2.token.split('.')[3], 'k2');
      const a2 = createAgentToken(step2, { agentId: 'a-2', name: 'Two', role: 'agent' });
      assert.equal(a2.split('.')[2], 'k2');
      // Everything made before still verifies: kid-less (tried against every key), k1, k2.
      for (const t of [v0.token, v1.token, v2.token])
        assert.equal((await post(s2.base, '/sessions', {}, t)).status, 200, `visitor token ${t.slice(0, 30)}… refused`);
      for (const t of [a0, a2]) assert.equal(await agentGet(s2.base, '/agent/queue', t), 200);
      // A token claiming a kid it was not signed with is refused; so is an unknown kid.
      const parts = v2.token.split('.');
      assert.equal((await post(s2.base, '/sessions', {}, [...parts.slice(0, 3), 'k1', parts[4]].join('.'))).status, 401);
      assert.equal((await post(s2.base, '/sessions', {}, [...parts.slice(0, 3), 'k9', parts[4]].join('.'))).status, 401);
    } finally {
      await s2.close();
    }

    const s3 = await start({ secret: [{ kid: 'k2', key: NEW }], store, limits: NO_LIMITS });
    try {
      assert.equal((await post(s3.base, '/sessions', {}, v1.token)).status, 401, 'a token of a removed key is refused');
      assert.equal((await post(s3.base, '/sessions', {}, v0.token)).status, 401);
      assert.equal(await agentGet(s3.base, '/agent/queue', a0), 401);
    } finally {
      await s3.close();
      await store.close();
    }
  });

  test('bad rotation lists are refused with a clear error', () => {
    assert.throws(() => createTemperServer({ secret: [] }), /at least one \{ kid, key \}/);
    assert.throws(() => createTemperServer({ secret: [{ kid: 'a b', key: OLD }] }), /kid must be 1–16/);
    assert.throws(() => createTemperServer({ secret: [{ kid: 'k', key: OLD }, { kid: 'k', key: NEW }] }), /appears twice/);
    assert.throws(() => createTemperServer({ secret: [{ kid: 'k', key: 'short' }] }), /secret`\[0\]\.key must be at least 32 bytes/);
    assert.throws(() => createAgentToken([{ kid: 'k', key: 'short' }], { agentId: 'a', name: 'A', role: 'agent' }), /createAgentToken/);
  });
});
