// The demo shop: static pages with the Temper snippet, the widget's files, and the host backend
// (@temper/server with the in-memory store and the bilingual FAQ bot), all on one origin under a strict CSP.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createAgentToken,
  createTemperServer,
  type Coordination,
  type Limits,
  type Logger,
  type RoutingConfig,
  type Store,
  type TrustProxy,
} from '@temper/server';
import { buildEgressManifest, STORAGE_ITEMS } from '@temper/protocol';
import { createFaqBot } from './faq-bot.ts';
import { PRODUCTS, agentPage, cartPage, checkoutPage, homePage, notFoundPage, productPage, reportsPage } from './pages.ts';
import { privacyPage } from './privacy-page.ts';
import { accountPage, demoCustomerSignIn, signedInCustomer, withCustomer } from './customers.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '../..');
/** Static roots: URL prefix → directory. Order matters: the first matching prefix wins. */
const STATIC: ReadonlyArray<readonly [string, string]> = [
  ['/temper/', join(repo, 'packages/widget/dist/cdn')],
  // The agent console and the reports page, built by the root rollup.config.mjs.
  ['/console/', join(here, 'dist')],
  ['/', join(here, 'public')],
];

/** The policy issue 6 asks for: no inline script or style, wasm allowed, everything from this origin. */
export const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; worker-src 'self'; " +
  "connect-src 'self'; img-src 'self' data:";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'Content-Type': TYPES['.html']!, 'Cache-Control': 'no-store' });
  res.end(html);
}

async function fresher(path: string, thanMs: number): Promise<boolean> {
  try {
    return (await stat(path)).mtimeMs >= thanMs;
  } catch {
    return false;
  }
}

async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
  for (const [prefix, dir] of STATIC) {
    if (!pathname.startsWith(prefix)) continue;
    const rel = normalize(decodeURIComponent(pathname.slice(prefix.length)));
    if (rel.startsWith('..') || rel.includes('\0')) return false;
    const file = join(dir, rel);
    try {
      const st = await stat(file);
      if (!st.isFile()) continue;
      // `npm run build` writes brotli copies of the widget's files (scripts/precompress.mjs); serve them as a
      // CDN would, so the wasm and the model cost what they would cost a real visitor.
      const br = /\bbr\b/.test(String(req.headers['accept-encoding'] ?? '')) && (await fresher(`${file}.br`, st.mtimeMs));
      const body = await readFile(br ? `${file}.br` : file);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Length': body.length,
        'Cache-Control': 'no-cache',
        Vary: 'Accept-Encoding',
        ...(br ? { 'Content-Encoding': 'br' } : {}),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      return true;
    } catch {
      // Not in this root: try the next one.
    }
  }
  return false;
}

export interface ShopOptions {
  port?: number;
  host?: string;
  /** HMAC secret for session tokens; a random one per process when absent (sessions end with the process). */
  secret?: string;
  /** Conversation store; the embedded in-memory one when absent. Pass one to keep chats across restarts. */
  store?: Store;
  /** Routing tunables, merged over `DEFAULT_ROUTING` (tests use it to rule out some reasons). */
  routing?: Partial<RoutingConfig>;
  /**
   * `POST /demo/agent-token` hands out agent and supervisor tokens to anyone who asks, so the demo can be tried
   * without accounts. Default true. A real host never has such a route: it makes agent tokens with
   * `createAgentToken` after its own staff sign-in.
   */
  demoSignIn?: boolean;
  /**
   * Identity secret of signed-in customers (`createTemperServer({ identitySecret })`); default
   * `TEMPER_IDENTITY_SECRET`, else a random one per process. The demo customer sign-in is at /account.
   */
  identitySecret?: string;
  /** What instances share besides the store (locks, notifications, rate limits); pass Redis's to run several. */
  coordination?: Coordination;
  /** Which proxies to believe for the client IP in `X-Forwarded-For` (see `createTemperServer`): your load balancer. */
  trustProxy?: TrustProxy;
  /** Request limits of the Temper handler (the server bench turns the per-IP and per-session buckets off). */
  limits?: Limits;
  /** Log sink of the Temper handler. */
  log?: Logger;
  /** Interval of SSE heartbeats (default 15 s): keep it below every proxy's idle timeout on the way. */
  heartbeatMs?: number;
}

/** Agent tokens of the demo sign-in last a working day. */
const DEMO_TOKEN_TTL_MS = 8 * 60 * 60 * 1000;
const DEMO_ROLES = ['agent', 'supervisor'] as const;

/** Reads a small JSON body; `null` when it is not JSON or too large (the demo route answers 400). */
async function readSmallJson(req: IncomingMessage, limit = 1024): Promise<unknown> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > limit) return null;
    chunks.push(c);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': TYPES['.json']!, 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

export interface RunningShop {
  server: Server;
  url: string;
  temper: ReturnType<typeof createTemperServer>;
  /** From now on `GET /healthz` answers 503 and every response closes its connection (`Connection: close`). */
  drain(): void;
  close(): Promise<void>;
}

/** How long `GET /healthz` waits for the store before calling the instance unhealthy. */
const HEALTH_TIMEOUT_MS = 1000;

/** Starts the shop and resolves once it listens. */
export async function startShop(opts: ShopOptions = {}): Promise<RunningShop> {
  const secret = opts.secret ?? (process.env.TEMPER_SECRET || randomBytes(32).toString('hex'));
  const identitySecret = opts.identitySecret ?? (process.env.TEMPER_IDENTITY_SECRET || randomBytes(32).toString('hex'));
  const temper = createTemperServer({
    secret,
    identitySecret,
    bot: createFaqBot(),
    ...(opts.store ? { store: opts.store } : {}),
    ...(opts.routing ? { routing: opts.routing } : {}),
    ...(opts.coordination ? { coordination: opts.coordination } : {}),
    ...(opts.trustProxy !== undefined ? { trustProxy: opts.trustProxy } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.heartbeatMs !== undefined ? { heartbeatMs: opts.heartbeatMs } : {}),
  });
  const demoSignIn = opts.demoSignIn ?? true;
  let draining = false;
  const manifest = buildEgressManifest(STORAGE_ITEMS);

  const server = createServer((req, res) => {
    securityHeaders(res);
    // While draining, every response ends its connection, so a load balancer's keep-alive connections to this
    // instance close one by one after their current request instead of being cut.
    if (draining) res.setHeader('Connection', 'close');
    const url = new URL(req.url ?? '/', 'http://shop.local');
    const path = url.pathname;
    temper(req, res, () => {
      void route(req, res, path, url).catch((e: unknown) => {
        console.error('shop: request failed', e);
        if (!res.headersSent) sendHtml(res, 500, notFoundPage());
        else res.end();
      });
    });
  });

  /**
   * DEMO ONLY: anyone may become an agent or a supervisor. A real host issues agent tokens from its own staff
   * authentication (with `createAgentToken(secret, …)` on the server) and has no route like this.
   */
  async function demoAgentToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = (await readSmallJson(req)) as { name?: unknown; role?: unknown } | null;
    const name = typeof body?.name === 'string' ? body.name.trim() : '';
    const role = body?.role;
    if (!name || name.length > 80 || /[\u0000-\u001f\u007f]/.test(name))
      return sendJson(res, 400, { error: { code: 'bad-format', field: 'name', message: 'name must be 1–80 printable characters' } });
    if (!DEMO_ROLES.includes(role as (typeof DEMO_ROLES)[number]))
      return sendJson(res, 400, { error: { code: 'not-allowed-value', field: 'role', message: `role must be one of ${DEMO_ROLES.join(', ')}` } });
    // A fresh id per sign-in: two people typing the same name are still two agents.
    const agentId = `demo-${randomBytes(6).toString('base64url')}`;
    const expiresAt = Date.now() + DEMO_TOKEN_TTL_MS;
    const token = createAgentToken(secret, { agentId, name, role: role as (typeof DEMO_ROLES)[number], expiresAt });
    sendJson(res, 201, { token, agentId, name, role, expiresAt });
  }

  /**
   * The load balancer's health check: 200 while this instance serves and its store answers (a read of a key that
   * does not exist: one round trip to Redis), 503 while draining or when the store is unreachable or slow.
   */
  async function health(res: ServerResponse): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const problem = draining
      ? 'draining'
      : await Promise.race([
          temper.store.getConversation('healthz-probe').then(
            () => null,
            (e: unknown) => `store: ${e instanceof Error ? e.message : String(e)}`,
          ),
          new Promise<string>((r) => (timer = setTimeout(r, HEALTH_TIMEOUT_MS, `store: no answer within ${HEALTH_TIMEOUT_MS} ms`))),
        ]);
    clearTimeout(timer);
    sendJson(res, problem ? 503 : 200, problem ? { ok: false, problem } : { ok: true });
  }

  async function route(req: IncomingMessage, res: ServerResponse, path: string, url: URL): Promise<void> {
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) return health(res);
    if (path === '/demo/customer' && req.method === 'POST') return demoCustomerSignIn(url, res);
    // Shop pages carry the signed-in customer's { id, hash } for the widget (see customers.ts).
    const customer = signedInCustomer(req);
    const page = (status: number, html: string) => sendHtml(res, status, withCustomer(html, customer, identitySecret));
    if (path === '/demo/agent-token' && demoSignIn) {
      if (req.method === 'POST') return demoAgentToken(req, res);
      res.writeHead(405, { Allow: 'POST' });
      res.end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' });
      res.end();
      return;
    }
    if (path === '/') return page(200, homePage());
    if (path === '/cart') return page(200, cartPage());
    if (path === '/checkout') return page(200, checkoutPage());
    if (path === '/privacy') return page(200, privacyPage(manifest));
    if (path === '/account') return page(200, accountPage(customer));
    if (path === '/agent') return sendHtml(res, 200, agentPage());
    if (path === '/reports') return sendHtml(res, 200, reportsPage());
    if (path === '/temper/egress-manifest.json') {
      res.writeHead(200, { 'Content-Type': TYPES['.json']! });
      res.end(JSON.stringify(manifest, null, 2));
      return;
    }
    const product = /^\/product\/([a-z-]+)$/.exec(path);
    const p = product && PRODUCTS.find((x) => x.id === product[1]);
    if (p) return page(200, productPage(p));
    if (await serveStatic(req, res, path)) return;
    page(404, notFoundPage());
  }

  const port = opts.port ?? 0;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  const url = `http://${host === '0.0.0.0' ? 'localhost' : host}:${typeof addr === 'object' && addr ? addr.port : port}`;
  return {
    server,
    url,
    temper,
    drain: () => {
      draining = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        temper.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const port = Number(process.env.PORT ?? 8080);
  startShop({ port, host: process.env.HOST ?? 'localhost' }).then(
    ({ url }) => {
      console.log(`\nTemper demo is running:\n`);
      console.log(`  Shop (with the chat widget)  ${url}/`);
      console.log(`  Agent console                ${url}/agent    (demo sign-in: any name, role agent)`);
      console.log(`  Reports                      ${url}/reports  (demo sign-in: role supervisor)`);
      console.log(`  Privacy / egress manifest    ${url}/privacy`);
      console.log(`\nThe demo sign-in (POST /demo/agent-token) gives anyone a staff token; a real host never has it.`);
      console.log(`Stop with Ctrl+C.`);
    },
    (e: NodeJS.ErrnoException) => {
      console.error(e.code === 'EADDRINUSE' ? `Port ${port} is in use: start with PORT=<another port> npm start` : e);
      process.exit(1);
    },
  );
}
