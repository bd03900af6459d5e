// The set-up the shop's multi-person end-to-end tests share: one Chromium per test file, and per test a "world" —
// the real shop server on a real socket with its own memory store — whose pages (one browser context per person
// unless told otherwise) report page errors, console errors and CSP violations into `world.errors`.
import { after, before } from 'node:test';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'puppeteer-core';
import { createMemoryStore, type Store } from '@temper/server';
import { startShop, type RunningShop, type ShopOptions } from '../server.ts';
import { launchBrowser, type TestBrowser } from './browser.ts';

let browser: TestBrowser | undefined;

/**
 * Registers the file's `before`/`after` hooks: checks the agent console is built, launches Chromium once for the
 * file and closes it at the end. Call it once at the top level of a test file.
 *
 * @example
 * useShopBrowser();
 * test('…', async () => { const w = await startWorld(); try { … } finally { await stopWorld(w); } });
 */
export function useShopBrowser(): void {
  before(async () => {
    const built = fileURLToPath(new URL('../dist/agent.js', import.meta.url));
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first (it bundles the agent console)`);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    browser = undefined;
  });
}

/** One test's shop: its server, store, secrets, the browser contexts it opened and the errors its pages reported. */
export interface World {
  shop: RunningShop;
  store: Store;
  /** The shop's session/agent-token secret (for `createAgentToken`). */
  secret: string;
  /** The shop's identity-verification secret (for signing a customer id the way the host does). */
  identitySecret: string;
  contexts: BrowserContext[];
  errors: string[];
}

/**
 * Starts the shop on a free loopback port with a fresh memory store and random secrets.
 *
 * @example
 * const w = await startWorld({ heartbeatMs: 300 });
 */
export async function startWorld(opts: Omit<ShopOptions, 'store' | 'secret' | 'identitySecret'> = {}): Promise<World> {
  const secret = randomBytes(32).toString('hex');
  const identitySecret = randomBytes(32).toString('hex');
  const store = createMemoryStore();
  const shop = await startShop({ secret, identitySecret, store, ...opts });
  return { shop, store, secret, identitySecret, contexts: [], errors: [] };
}

/**
 * Closes the world's browser contexts and its shop (it does not check `w.errors`: the test does).
 *
 * @example
 * try { … assert.deepEqual(w.errors, []); } finally { await stopWorld(w); }
 */
export async function stopWorld(w: World): Promise<void> {
  for (const c of w.contexts) await c.close().catch(() => undefined);
  await w.shop.close();
}

/**
 * A new browser context (own cookies, storage, IndexedDB: one device or person), closed by `stopWorld`.
 *
 * @example
 * const device = await newContext(w); const tab = await newPage(w, 'visitor', { context: device });
 */
export async function newContext(w: World): Promise<BrowserContext> {
  if (!browser) throw new Error('no browser: call useShopBrowser() at the top of the test file');
  const ctx = await browser.browser.createBrowserContext();
  w.contexts.push(ctx);
  return ctx;
}

/**
 * A page (in a new context unless one is given; a 390×844 touch phone with `phone`), its page errors, console
 * errors and CSP violations pushed to `w.errors` as `label: text`. Failed fetches the browser logs as "Failed to
 * load resource" are not errors (a refused request is often what a test is after).
 *
 * @example
 * const agent = await newPage(w, 'agent Mei');
 */
export async function newPage(w: World, label: string, opts: { context?: BrowserContext; phone?: boolean } = {}): Promise<Page> {
  const page = await (opts.context ?? (await newContext(w))).newPage();
  if (opts.phone) await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  page.on('pageerror', (e) => w.errors.push(`${label}: ${String(e)}`));
  page.on('console', (m) => {
    const t = m.text();
    if (/Content.Security.Policy|Refused to/i.test(t) || (m.type() === 'error' && !/Failed to load resource|net::/.test(t)))
      w.errors.push(`${label}: ${t}`);
  });
  return page;
}

/** What `useSharedShop` hands a test file: the file's one shop server and one Chromium, set once `before` ran. */
export interface SharedShop {
  readonly shop: RunningShop;
  readonly browser: TestBrowser;
}

/**
 * For files whose tests share one shop server and one Chromium (the single-visitor e2e tests): registers the
 * `before` hook that starts both and the `after` hook that closes them. Call it once at the top level.
 *
 * @example
 * const env = useSharedShop({ secret: randomBytes(32).toString('hex') });
 * test('…', async () => { const page = await env.browser.newPage(); await page.goto(env.shop.url); });
 */
export function useSharedShop(options: ShopOptions = {}): SharedShop {
  let shop: RunningShop | undefined;
  let shared: TestBrowser | undefined;
  before(async () => {
    shop = await startShop(options);
    shared = await launchBrowser();
  });
  after(async () => {
    await shared?.close();
    await shop?.close();
  });
  const ready = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`useSharedShop: the ${what} is not started yet (use it inside a test)`);
    return v;
  };
  return {
    get shop() {
      return ready(shop, 'shop');
    },
    get browser() {
      return ready(shared, 'browser');
    },
  };
}
