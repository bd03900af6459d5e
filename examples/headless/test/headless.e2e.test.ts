// examples/headless in real Chromium under the strict CSP of issue 6 (`script-src 'self' 'wasm-unsafe-eval';
// worker-src 'self'`, no 'unsafe-eval', no blob:): the built worker, onnxruntime's wasm and the model load
// from the app's own origin, a calm chat stays calm, a souring one reaches level 2, and no CSP violation
// happens on the way. Needs `npm run build` (the test reads the built files).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { launchBrowser, type TestBrowser } from '../../shop/test/browser.ts';
import { CSP_REPORT_PATH, STRICT_CSP, startHeadlessServer } from '../serve.ts';
import { builtFiles } from '../../../scripts/lib/built-files.ts';

// report-uri makes violations inside the worker visible too: a page's securitypolicyviolation listener only
// sees the page's own.
const REPORTING = `; report-uri ${CSP_REPORT_PATH}`;

let browser: TestBrowser;
let site: Awaited<ReturnType<typeof startHeadlessServer>>;

before(async () => {
  site = await startHeadlessServer(0, STRICT_CSP + REPORTING);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await new Promise((r) => site?.server.close(r));
});

async function openApp(url = site.url): Promise<{ page: Page; violations: () => Promise<string[]>; errors: string[] }> {
  const page = await browser.browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  // Registered before any page script runs, so a violation during boot is caught too.
  await page.evaluateOnNewDocument(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => document.getElementById('status')?.dataset.state !== undefined, { timeout: 60_000 });
  return {
    page,
    errors,
    violations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
  };
}

async function waitFor(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(cond(), what);
}

async function chat(page: Page, texts: readonly string[]): Promise<{ level: string; signals: string[] }> {
  for (const text of texts) {
    const turns = await page.evaluate(() => Number(document.body.dataset.turns ?? 0));
    await page.type('#text', text);
    await page.keyboard.press('Enter');
    await page.waitForFunction((n: number) => Number(document.body.dataset.turns ?? 0) > n, { timeout: 20_000 }, turns);
  }
  return page.evaluate(() => ({
    level: document.getElementById('level')!.dataset.level ?? '',
    signals: [...document.querySelectorAll('#signals li')].map((li) => li.textContent ?? ''),
  }));
}

test('headless example: strict CSP, worker + wasm + model from the own origin, levels move, zero violations', async () => {
  const { page, violations, errors } = await openApp();
  const state = await page.$eval('#status', (el) => `${(el as HTMLElement).dataset.state}: ${el.textContent}`);
  assert.match(state, /^ready:/, state);

  const calm = await chat(page, ['Hi! When will my order ship?', 'Great, thanks a lot!']);
  assert.equal(calm.level, '0');
  assert.deepEqual(calm.signals, [], 'a calm chat sends nothing');

  const sour = await chat(page, [
    'My order still has not arrived and nobody answers my emails.',
    'This is ridiculous, I want a refund NOW!!!',
    'THIRD TIME ASKING. WHERE IS MY MONEY???',
  ]);
  assert.ok(Number(sour.level) >= 2, `level ${sour.level}`);
  assert.ok(sour.signals.length >= 1, 'sour.signals.length >= 1');
  for (const s of sour.signals) assert.match(s, /^POST \/temper\/v1\/signals \{"v":1,"seq":\d+,"level":[0-3],"trend":-?[01]\}$/);

  assert.deepEqual(await violations(), []);
  assert.deepEqual(site.reports, [], 'no violation report from the page or the worker');
  assert.deepEqual(errors, []);
  // Everything came from the app's own origin, the scorer's three files included.
  for (const f of Object.values(builtFiles().assets).map((name) => `/temper/${name}`)) {
    assert.ok(site.requests.includes(f), `${f} was not requested: ${site.requests}`);
  }
  await page.close();
});

test('headless example: a CSP without wasm-unsafe-eval degrades the scorer (wasm-failed); the chat goes on with no level', async () => {
  const strict = await startHeadlessServer(0, STRICT_CSP.replace(" 'wasm-unsafe-eval'", '') + REPORTING);
  try {
    const { page } = await openApp(strict.url);
    const state = await page.$eval('#status', (el) => `${(el as HTMLElement).dataset.state}: ${el.textContent}`);
    assert.match(state, /^degraded: .*\(wasm-failed\)/, state);
    const r = await chat(page, ['THIRD TIME ASKING. WHERE IS MY MONEY???', 'This is useless!!!']);
    assert.equal(r.level, '', 'no level is ever shown');
    assert.deepEqual(r.signals, [], 'no signal is ever produced');
    assert.equal(await page.$$eval('#log li.bot', (li) => li.length), 2, 'the bot still answers');
    // The positive control for the zero-reports check above: the worker's blocked wasm compile is reported.
    await waitFor(() => strict.reports.some((r) => r.includes('wasm-eval') || r.includes('wasm-unsafe-eval')), `reports: ${strict.reports}`);
    await page.close();
  } finally {
    await new Promise((r) => strict.server.close(r));
  }
});
