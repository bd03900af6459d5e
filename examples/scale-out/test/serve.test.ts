// `npm run serve` as a process: what it refuses to start with, what it turns on only when asked, its health
// check, and a clean shutdown on SIGTERM that ends open streams.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { missingBuild, readServeConfig, redactUrl } from '../../shop/serve.ts';
import { startInstance, stopAll, type Instance } from '../cluster.ts';
import { API_BASE } from '@temper/protocol';
import { openEvents, session } from '../../../packages/server/test/helpers.ts';

const serveTs = fileURLToPath(new URL('../../shop/serve.ts', import.meta.url));
const started: Instance[] = [];
after(() => stopAll(started, 'kill'));

/** Runs serve to completion (it must refuse, so it exits by itself) and returns its exit code and stderr. */
function refused(env: Record<string, string>): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', serveTs], {
    env: { ...process.env, PORT: '0', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, stderr: r.stderr };
}

test('serve refuses Redis without a shared secret, short secrets, bad ports and non-Redis URLs, with exit code 2', () => {
  let r = refused({ TEMPER_REDIS_URL: 'redis://127.0.0.1:1/0', TEMPER_SECRET: '' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /TEMPER_REDIS_URL is set but TEMPER_SECRET is not/);
  r = refused({ TEMPER_SECRET: 'too-short' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /TEMPER_SECRET must be at least 32 bytes \(got 9\)/);
  assert.throws(() => readServeConfig({ PORT: '70000' }), /PORT must be 0–65535/);
  assert.throws(() => readServeConfig({ PORT: '80a' }), /PORT must be 0–65535/);
  assert.throws(() => readServeConfig({ TEMPER_REDIS_URL: 'http://x', TEMPER_SECRET: 'x'.repeat(32) }), /must start with redis:\/\/ or rediss:\/\//);
  assert.throws(() => readServeConfig({ TEMPER_DEMO_SIGNIN: 'yes' }), /TEMPER_DEMO_SIGNIN must be 1 or 0/);
  assert.throws(() => readServeConfig({ TEMPER_HEARTBEAT_MS: '15s' }), /TEMPER_HEARTBEAT_MS must be 100–600000 milliseconds/);
  assert.equal(readServeConfig({ TEMPER_HEARTBEAT_MS: '5000' }).heartbeatMs, 5000);
  assert.equal(redactUrl('rediss://user:s3cret@redis.example:6380/0'), 'rediss://user:***@redis.example:6380/0');
  const c = readServeConfig({});
  assert.deepEqual([c.port, c.host, c.demoSignIn, c.trustProxy, c.redisUrl], [8080, '127.0.0.1', false, undefined, undefined]);
  assert.deepEqual(readServeConfig({ TEMPER_TRUST_PROXY: '127.0.0.1' }).trustProxy, ['127.0.0.1']);
  assert.deepEqual(readServeConfig({ TEMPER_TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy, ['loopback', '10.0.0.0/8']);
  assert.equal(readServeConfig({ TEMPER_TRUST_PROXY: '2' }).trustProxy, 2);
  assert.equal(readServeConfig({ TEMPER_TRUST_PROXY: '0' }).trustProxy, undefined);
  r = refused({ TEMPER_TRUST_PROXY: 'my-haproxy' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^serve: trustProxy: "my-haproxy" is not an IP address, a CIDR range or a preset name\n$/);
});

test('serve says what is missing when the shop is not built', () => {
  const empty = mkdtempSync(join(tmpdir(), 'temper-nobuild-'));
  try {
    assert.ok(missingBuild(empty).includes('packages/widget/dist/cdn/temper.js'), 'missingBuild(empty).includes(\'packages/widget/dist/cdn/temper.js\')');
    assert.deepEqual(missingBuild(), [], 'the build in this checkout is complete (npm test builds first)');
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test('demo sign-in is off unless TEMPER_DEMO_SIGNIN=1, and then serve warns', async () => {
  const secret = randomBytes(32).toString('hex');
  const plain = await startInstance('plain', { TEMPER_SECRET: secret });
  const demo = await startInstance('demo', { TEMPER_SECRET: secret, TEMPER_DEMO_SIGNIN: '1' });
  started.push(plain, demo);
  const ask = (base: string) =>
    fetch(`${base}/demo/agent-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Eve","role":"supervisor"}' });
  assert.notEqual((await ask(plain.url)).status, 201, 'no staff tokens for anyone by default');
  assert.doesNotMatch(plain.output(), /DEMO_SIGNIN/);
  assert.equal((await ask(demo.url)).status, 201);
  await demo.waitFor(/warning: TEMPER_DEMO_SIGNIN=1: POST \/demo\/agent-token gives ANYONE/, 'the demo sign-in warning');
  await stopAll([plain, demo]);
});

test('without TEMPER_SECRET serve warns; /healthz is 200; SIGTERM ends open streams and exits 0', async () => {
  const inst = await startInstance('single', { TEMPER_SECRET: '' });
  started.push(inst);
  await inst.waitFor(/warning: TEMPER_SECRET is not set/, 'the missing-secret warning');
  const h = await fetch(`${inst.url}/healthz`);
  assert.equal(h.status, 200);
  assert.deepEqual(await h.json(), { ok: true });
  const { token } = await session(inst.url + API_BASE);
  const stream = await openEvents(inst.url + API_BASE, token);
  assert.equal(await inst.stop(), 0, 'a clean exit');
  await stream.ended;
  assert.match(inst.output(), /serve: SIGTERM: draining and closing\nserve: closed/);
});
