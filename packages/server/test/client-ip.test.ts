// The per-IP bucket must key on the closest hop that is not one of our proxies. Before this was fixed the first
// X-Forwarded-For entry was believed, so a client behind a real proxy could pick a fresh "IP" per request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTemperServer } from '@temper/server';
import { post, SECRET, start } from './helpers.js';

/** Statuses of `n` POST /sessions, each with its own X-Forwarded-For. */
async function statuses(base: string, xffs: string[]): Promise<number[]> {
  const out: number[] = [];
  for (const xff of xffs) out.push((await post(base, '/sessions', {}, undefined, { 'x-forwarded-for': xff })).status);
  return out;
}

const perIp = { burst: 2, perSecond: 0.001 };

test('trustProxy: true believes one proxy: a spoofed first X-Forwarded-For hop does not buy a fresh bucket', async () => {
  const s = await start({ trustProxy: true, limits: { perIp } });
  try {
    // What a proxy at 127.0.0.1 forwards: whatever the client sent, then the address it saw (203.0.113.7).
    const spoofed = [1, 2, 3, 4].map((i) => `198.51.100.${i}, 203.0.113.7`);
    assert.deepEqual(await statuses(s.base, spoofed), [201, 201, 429, 429]);
    // Another real client behind the same proxy has its own bucket.
    assert.deepEqual(await statuses(s.base, ['198.51.100.1, 203.0.113.8']), [201]);
  } finally {
    await s.close();
  }
});

test('a list of proxy addresses/CIDRs, or a hop count, walks right to left up to the first untrusted hop', async () => {
  for (const trustProxy of [['127.0.0.1', '10.0.0.0/8'], 2, 'loopback, uniquelocal'] as const) {
    const s = await start({ trustProxy, limits: { perIp } });
    try {
      // client 203.0.113.7 → proxy 10.1.2.3 → proxy 127.0.0.1 (the socket peer) → server
      const chain = [1, 2, 3].map((i) => `198.51.100.${i}, 203.0.113.7, 10.1.2.3`);
      assert.deepEqual(await statuses(s.base, chain), [201, 201, 429], `trustProxy ${JSON.stringify(trustProxy)}`);
      assert.deepEqual(await statuses(s.base, ['203.0.113.9, 10.1.2.3']), [201]);
    } finally {
      await s.close();
    }
  }
});

test('without trustProxy X-Forwarded-For is ignored: every request is the socket peer', async () => {
  const s = await start({ limits: { perIp } });
  try {
    assert.deepEqual(await statuses(s.base, ['203.0.113.1', '203.0.113.2', '203.0.113.3']), [201, 201, 429]);
  } finally {
    await s.close();
  }
});

test('X-Forwarded-Host counts for same-origin only from a trusted proxy', async () => {
  const trusted = await start({ trustProxy: true });
  const untrusted = await start({});
  try {
    const h = { origin: 'https://shop.example', 'x-forwarded-host': 'shop.example' };
    assert.equal((await post(trusted.base, '/sessions', {}, undefined, h)).status, 201);
    assert.equal((await post(untrusted.base, '/sessions', {}, undefined, h)).status, 403);
  } finally {
    await trusted.close();
    await untrusted.close();
  }
});

test('a trustProxy entry that is not an address, a CIDR or a preset is refused with a clear error', () => {
  assert.throws(() => createTemperServer({ secret: SECRET, trustProxy: ['10.0.0.0/8', 'proxy.internal'] }), /trustProxy: "proxy.internal" is not an IP address/);
  assert.throws(() => createTemperServer({ secret: SECRET, trustProxy: ['10.0.0.0/99'] }), /bad prefix length/);
  assert.throws(() => createTemperServer({ secret: SECRET, trustProxy: -1 }), /hop count/);
});
