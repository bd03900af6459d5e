// Tokens over real sockets: one accepted spelling per token (issue 11 finding 7), and key rotation with key ids.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createAgentToken, createMemoryStore, createTemperServer, MAX_AGENT_TOKEN_TTL_MS } from '@temper/server';
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

      const agent = createAgentToken(SECRET, { agentId: 'a-1', name: 'Ann', role: 'agent', ttlMs: 86_400_000 });
      const aAlts = alternativeSpellings(agent);
      assert.ok(aAlts.length >= 3, 'aAlts.length >= 3');
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
    const a0 = createAgentToken(OLD, { agentId: 'a-0', name: 'Zero', role: 'agent', ttlMs: 86_400_000 });
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
      const a2 = createAgentToken(step2, { agentId: 'a-2', name: 'Two', role: 'agent', ttlMs: 86_400_000 });
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
    assert.throws(() => createAgentToken([{ kid: 'k', key: 'short' }], { agentId: 'a', name: 'A', role: 'agent', ttlMs: 86_400_000 }), /createAgentToken/);
  });
});

describe('every agent token expires (issue 15, finding 7)', () => {
  /** An agent token as createAgentToken signed them before issue 15 (no `exp`), made by hand from the format. */
  function tokenWithClaims(body: Record<string, unknown>): string {
    const payload = `a1.${Buffer.from(JSON.stringify(body), 'utf8').toString('base64url')}`;
    const sig = createHmac('sha256', Buffer.from(SECRET, 'utf8')).update('temper:agent:').update(payload).digest('base64url');
    return `${payload}.${sig}`;
  }

  test('createAgentToken needs ttlMs or expiresAt, at most 30 days ahead', () => {
    const base = { agentId: 'a-1', name: 'Ann', role: 'agent' } as const;
    // @ts-expect-error: an expiry is required by the type too
    assert.throws(() => createAgentToken(SECRET, base), { name: 'TypeError', message: /needs an expiry: pass ttlMs/ });
    assert.throws(() => createAgentToken(SECRET, { ...base, ttlMs: MAX_AGENT_TOKEN_TTL_MS + 1 }), { name: 'TypeError', message: /more than 30 days ahead/ });
    assert.throws(() => createAgentToken(SECRET, { ...base, expiresAt: Date.now() - 1 }), { name: 'TypeError', message: /must lie in the future/ });
    assert.throws(() => createAgentToken(SECRET, { ...base, ttlMs: 1.5 }), { name: 'TypeError', message: /whole number/ });
    // @ts-expect-error: not both
    assert.throws(() => createAgentToken(SECRET, { ...base, ttlMs: 1000, expiresAt: Date.now() + 1000 }), { name: 'TypeError', message: /not both/ });
    const t = createAgentToken(SECRET, { ...base, ttlMs: 1000, now: 5_000 });
    const claims = JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString('utf8'));
    assert.equal(claims.exp, 6_000, 'ttlMs counts from `now`');
  });

  test('the server refuses a token without expiry, or with one beyond 30 days, with 401 agent-token-expiry', async () => {
    const s = await start({ limits: NO_LIMITS });
    try {
      const refusal = async (token: string) => {
        const r = await fetch(s.base + '/agent/queue', { headers: { authorization: `Bearer ${token}` } });
        return [r.status, ((await r.json()) as { error: { code: string } }).error.code];
      };
      assert.deepEqual(await refusal(tokenWithClaims({ sub: 'old', name: 'Old', role: 'admin' })), [401, 'agent-token-expiry']);
      assert.deepEqual(await refusal(tokenWithClaims({ sub: 'far', name: 'Far', role: 'agent', exp: s.clock.t + 365 * 86_400_000 })), [401, 'agent-token-expiry']);
      // The same hand-made format with a near expiry is accepted: the refusal is about the expiry alone.
      assert.equal(await agentGet(s.base, '/agent/queue', tokenWithClaims({ sub: 'ok', name: 'Ok', role: 'agent', exp: s.clock.t + 60_000 })), 200);
      const shift = createAgentToken(SECRET, { agentId: 'a-1', name: 'Ann', role: 'agent', ttlMs: 8 * 3_600_000, now: s.clock.t });
      assert.equal(await agentGet(s.base, '/agent/queue', shift), 200);
      s.clock.t += 8 * 3_600_000;
      assert.equal(await agentGet(s.base, '/agent/queue', shift), 401, 'refused once its expiry passed');
    } finally {
      await s.close();
    }
  });
});
