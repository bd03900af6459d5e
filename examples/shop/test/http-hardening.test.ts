// Issue 11 finding 8 over raw sockets against the shop: malformed % escapes and URLs are 400 (not 500, not a
// crash, no stack trace in the log), a client aborting mid-body is logged as such, slow requests are cut by
// explicit timeouts, and Node's own 400/408/431 replies carry the security headers. Finding 6: the demo sign-in
// is rate-limited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startShop, CSP, type RunningShop } from '../server.ts';

let shop: RunningShop;
let port: number;
const logged: string[] = [];
const original = { error: console.error, warn: console.warn };

before(async () => {
  console.error = (...a: unknown[]) => void logged.push(`error: ${a.map((x) => (x instanceof Error ? x.stack : String(x))).join(' ')}`);
  console.warn = (...a: unknown[]) => void logged.push(`warn: ${a.map(String).join(' ')}`);
  shop = await startShop({ httpTimeouts: { headersTimeoutMs: 600, requestTimeoutMs: 800, checkIntervalMs: 100 } });
  port = Number(new URL(shop.url).port);
});
after(async () => {
  await shop.close();
  console.error = original.error;
  console.warn = original.warn;
});

/** Writes `chunks` on a raw socket (with pauses), resolves with everything the server sent until it closed. */
function raw(chunks: Array<string | number>, opts: { abortAfter?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    let got = '';
    sock.setEncoding('utf8');
    sock.on('data', (d) => (got += d));
    sock.on('close', () => resolve(got));
    sock.on('error', (e) => (got ? resolve(got) : reject(e)));
    void (async () => {
      for (const c of chunks) {
        if (typeof c === 'number') await new Promise((r) => setTimeout(r, c));
        else sock.write(c);
      }
      if (opts.abortAfter !== undefined) {
        await new Promise((r) => setTimeout(r, opts.abortAfter));
        sock.destroy();
      }
    })();
  });
}

const status = (response: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
const get = (path: string) => raw([`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`]);

test('malformed % escapes and unparsable URLs get 400, never 500, and leave no stack trace in the log', async () => {
  logged.length = 0;
  for (const path of ['/%zz', '/%', '/temper/%E0%A4%A', '/console/%c0%af', '/product/%', '//', '//x:bad', '/\\\\']) {
    const r = await get(path);
    assert.equal(status(r), 400, `${path}: ${r.split('\r\n')[0]}`);
    assert.match(r, new RegExp(`Content-Security-Policy: ${CSP.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  }
  assert.equal(status(await get('/')), 200, 'the shop is still up');
  assert.deepEqual(logged, []);
});

test('a client aborting mid-body is logged as an abort, not as an internal error', async () => {
  logged.length = 0;
  const partial = (path: string) =>
    raw([`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"name":"A`], { abortAfter: 50 });
  await partial('/demo/agent-token');
  await partial('/temper/v1/sessions');
  await new Promise((r) => setTimeout(r, 100));
  assert.ok(!logged.some((l) => /request failed|internal|Error:/.test(l)), logged.join('\n'));
  assert.ok(logged.some((l) => /client aborted POST \/demo\/agent-token mid-body/.test(l)), logged.join('\n'));
});

test('slow headers and slow bodies are cut by the explicit timeouts with 408 and the security headers', async () => {
  const t0 = Date.now();
  const slowBody = await raw(['POST /temper/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{', 3000]);
  assert.equal(status(slowBody), 408, slowBody);
  assert.ok(Date.now() - t0 < 2500, `held ${Date.now() - t0} ms`);
  assert.match(slowBody, /X-Content-Type-Options: nosniff/);
  const slowHeaders = await raw(['GET / HTTP/1.1\r\nHost: x\r\n', 3000]);
  assert.equal(status(slowHeaders), 408);
  assert.equal(shop.server.keepAliveTimeout, 5000);
});

test("Node's own 400 and 431 replies carry the security headers", async () => {
  const bad = await raw(['GET / HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n']);
  assert.equal(status(bad), 400);
  assert.match(bad, /Content-Security-Policy: default-src 'self'/);
  assert.match(bad, /Connection: close/);
  const big = await raw([`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`]);
  assert.equal(status(big), 431);
  assert.match(big, /Referrer-Policy: strict-origin-when-cross-origin/);
});

test('the demo sign-in is rate-limited: a burst of 10, then 429 with Retry-After', async () => {
  const own = await startShop();
  const statuses: number[] = [];
  let retry: string | null = null;
  for (let i = 0; i < 14; i++) {
    const r = await fetch(`${own.url}/demo/agent-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Demo ${i}`, role: 'agent' }),
    });
    statuses.push(r.status);
    if (r.status === 429) retry = r.headers.get('retry-after');
    await r.arrayBuffer();
  }
  await own.close();
  assert.deepEqual([statuses.filter((s) => s === 201).length, statuses.filter((s) => s === 429).length], [10, 4]);
  assert.ok(Number(retry) >= 1, 'Number(retry) >= 1');
});
