// examples/react-app end to end, as a new user would run it: the five Temper packages packed (`npm pack`), installed
// into a Vite 8 + React 19 app from those tarballs, type-checked, built (development mode, so StrictMode mounts
// every effect twice as in `vite dev`), served with a real @temper/server under a strict CSP, driven in Chromium.
// Also: the packed @temper/react renders on a server (renderToString) without touching the browser.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { extname, join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer-core';
import { createTemperServer, type TemperHandler } from '@temper/server';
import { launchBrowser, type TestBrowser } from '../../shop/test/browser.ts';
import { openChat, sendMessage, transcript, waitForTranscript } from '../../shop/test/widget-page.ts';

const app = new URL('..', import.meta.url).pathname;
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; worker-src 'self'; connect-src 'self'; img-src 'self' data:";
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.onnx': 'application/octet-stream', '.map': 'application/json' };

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): void {
  const r = spawnSync(cmd, args, { cwd: app, encoding: 'utf8', env: { ...process.env, ...env } });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
}

let temper: TemperHandler;
let server: Server;
let url: string;
let browser: TestBrowser;
const signals: Array<{ level: number }> = [];

before(async () => {
  run(process.execPath, ['pack-temper.mjs']);
  // No lockfile: the tarballs change with every build, and the app's other versions are pinned exactly.
  run('npm', ['install', '--no-package-lock', '--no-audit', '--no-fund', '--prefer-offline']);
  run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.']);
  run(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--mode', 'development', '--logLevel', 'warn'], { NODE_ENV: 'development' });
  temper = createTemperServer({
    secret: 'react-app-e2e-secret-0123456789abcdef0123',
    limits: { perSession: false, perIp: false },
    log: () => {},
    bot: async (_c, m) => ({ text: `Echo: ${m.text}`, understood: true }),
  });
  const record = temper.store.recordSignal.bind(temper.store);
  temper.store.recordSignal = async (id, s) => {
    const r = await record(id, s);
    if (r.ok) signals.push({ level: s.level });
    return r;
  };
  const dist = join(app, 'dist');
  server = createServer((req, res) => {
    res.setHeader('Content-Security-Policy', CSP);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path.startsWith('/temper/v1/')) return temper(req, res);
    const rel = normalize(path === '/' ? 'index.html' : decodeURIComponent(path.slice(1)));
    const file = join(dist, rel);
    if (rel.startsWith('..') || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  await temper?.close();
});

test('installing the packed widget does not install onnxruntime-web; Vite emits the worker, wasm and model hashed', () => {
  assert.ok(existsSync(join(app, 'node_modules/@temper/widget/package.json')), 'existsSync(join(app, \'node_modules/@temper/widget/package.json\'))');
  assert.ok(!existsSync(join(app, 'node_modules/onnxruntime-web')), 'onnxruntime-web is not installed');
  const emitted = readdirSync(join(app, 'dist/assets'));
  for (const re of [/^temper-scorer-worker\.[\w-]+\.js$/, /^ort-wasm-simd-threaded\.[\w-]+\.wasm$/, /^temper-frustration-v2\.[\w-]+\.onnx$/])
    assert.ok(emitted.some((f) => re.test(f)), `${re} emitted: ${emitted.join(', ')}`);
});

test('the packed @temper/react renders on a server: children only, no browser needed', async () => {
  const req = createRequire(join(app, 'package.json'));
  const React = req('react') as typeof import('react');
  const { renderToString } = req('react-dom/server') as typeof import('react-dom/server');
  // The package is ESM-only (its exports map has `import`, not `require`): load the file that map names.
  const pkg = join(app, 'node_modules/@temper/react');
  const entry = (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { exports: { '.': { import: string } } }).exports['.'].import;
  const { TemperProvider } = (await import(pathToFileURL(join(pkg, entry)).href)) as typeof import('@temper/react');
  const html = renderToString(React.createElement(TemperProvider, { options: { endpoint: '/temper/v1' } }, React.createElement('p', null, 'shop')));
  assert.equal(html, '<p>shop</p>');
});

const widgets = (page: Page) => page.evaluate(() => document.querySelectorAll('temper-widget').length);
const status = (page: Page) => page.$eval('#status', (e) => e.textContent);
const conversation = (page: Page) => page.$eval('#conversation', (e) => e.textContent);

test('StrictMode, a route change and a reload keep one widget and the same conversation; signals arrive', async () => {
  const page = await browser.browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  await page.goto(`${url}/`);
  await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'ready', { timeout: 60_000 });
  assert.equal(await widgets(page), 1, 'StrictMode mounted the provider twice, but one widget runs');

  await page.click('#open-chat');
  await sendMessage(page, 'Hello from React');
  await waitForTranscript(page, (t) => t.some((m) => m.text === 'Echo: Hello from React'), 'the bot reply', 30_000);
  await page.waitForFunction(() => (document.querySelector('#conversation')?.textContent ?? '') !== '', { timeout: 10_000 });
  const id = await conversation(page);

  // A route without the chat unmounts the provider (destroy(): UI gone, storage kept), then it comes back.
  await page.click('#toggle');
  await page.waitForFunction(() => document.querySelectorAll('temper-widget').length === 0, { timeout: 10_000 });
  await page.click('#toggle');
  await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'ready', { timeout: 30_000 });
  assert.equal(await widgets(page), 1);
  assert.equal(await conversation(page), id, 'the same conversation after remounting');

  await page.reload();
  await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'ready', { timeout: 60_000 });
  assert.equal(await conversation(page), id, 'the same conversation after a reload');
  await openChat(page);
  await waitForTranscript(page, (t) => t.some((m) => m.text === 'Hello from React'), 'the transcript after the reload', 30_000);
  assert.equal((await transcript(page)).filter((m) => m.text === 'Hello from React').length, 1, 'the message once');

  // Scoring runs from the files Vite emitted: an angry visitor's level reaches the server.
  await page.waitForFunction(() => (document.querySelector('temper-widget') as HTMLElement | null)?.dataset.scoring === 'ready', { timeout: 120_000 });
  for (const text of ['This is the third time I ask and NOBODY answers!!!', 'Unbelievable. WORST service ever, I want a refund NOW!!!']) {
    await sendMessage(page, text);
    await waitForTranscript(page, (t) => t.some((m) => m.text === `Echo: ${text}`), 'the reply', 30_000);
  }
  const deadline = Date.now() + 30_000;
  while (!signals.some((s) => s.level >= 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.ok(signals.some((s) => s.level >= 1), `a raised level reached the server: ${JSON.stringify(signals)}`);
  assert.deepEqual(errors, []);
  await page.close();
});
