// The demo shop: static pages with the Temper snippet, the widget's files, and the host backend
// (@temper/server with the in-memory store and the bilingual FAQ bot), all on one origin under a strict CSP.
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createAgentToken,
  createTemperServer,
  toAgentProfile,
  toReplyLibrary,
  type AgentProfile,
  type AgentRoutingConfig,
  type WebhookOptions,
  type BotAdapter,
  type Coordination,
  type Limits,
  type Logger,
  type RoutingConfig,
  type Store,
  type TrustProxy,
  type StaffAccessOptions,
  type ReportPrivacyOptions,
} from '@temper/server';
import { buildEgressManifest, STORAGE_ITEMS } from '@temper/protocol';
import { createFaqBot, matchIntent } from './faq-bot.ts';
import { PRODUCTS, agentPage, pageLocale, cartPage, checkoutPage, homePage, notFoundPage, productPage, reportsPage } from './pages.ts';
import { privacyPage } from './privacy-page.ts';
import { accountPage, demoCustomerSignIn, signedInCustomer, withCustomer } from './customers.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '../..');
/** Static roots: URL prefix → directory. Order matters: the first matching prefix wins. */
const STATIC: ReadonlyArray<readonly [string, string]> = [
  // One URL folder, two packages: the widget's CDN files and the scorer's assets (createScorer finds the
  // assets next to itself), as a host that copies both folders into one would serve them.
  ['/temper/', join(repo, 'packages/widget/dist/cdn')],
  ['/temper/', join(repo, 'packages/assets/dist')],
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

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
};

function securityHeaders(res: ServerResponse): void {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
}

/**
 * Timeouts of the shop's HTTP server, set explicitly rather than left to Node's defaults (a slow body was held
 * ≈ 311 s: requestTimeout 300 s checked every 30 s). A host running @temper/server on its own server should set
 * the same three. SSE streams are unaffected: requestTimeout covers receiving the request, not the response.
 */
export const HTTP_TIMEOUTS = {
  /** The request line and headers must arrive within this. */
  headersTimeoutMs: 10_000,
  /** The whole request, body included, must arrive within this (bodies here are ≤ 16 KiB). */
  requestTimeoutMs: 20_000,
  /** An idle keep-alive connection is closed after this (`npm run serve` raises it above the balancer's). */
  keepAliveTimeoutMs: 5_000,
  /** How often Node checks the two request timeouts (its default, 30 s, makes them up to 30 s late). */
  checkIntervalMs: 1_000,
} as const;

/**
 * Answers what Node's HTTP parser refused (malformed request line or headers: 400; headers too large: 431;
 * request timeout: 408) with the same security headers as every other response, instead of Node's bare reply.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  // As Node does: answer only on a connection that has not sent anything yet. On a keep-alive connection that
  // already carried responses, a reply now could be read as the answer to the next request.
  if (err.code === 'ECONNRESET' || !socket.writable || (socket as Duplex & { bytesWritten?: number }).bytesWritten !== 0) {
    socket.destroy();
    return;
  }
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const body = `${status} ${STATUS_CODES[status]}\n`;
  const headers = {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    Connection: 'close',
  };
  const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head}\r\n${body}`);
}

/** A client that hung up before its request body was complete: nothing to answer, not a server error. */
function clientAborted(req: IncomingMessage, e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return (!req.complete && req.destroyed) || code === 'ECONNRESET' || code === 'ECONNABORTED' || (e as Error | null)?.message === 'aborted';
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'Content-Type': TYPES['.html']!, 'Cache-Control': 'no-store' });
  res.end(html);
}

/**
 * Cache policy of the widget's files. Content-hashed names (`temper-panel.<hash>.js`, the worker, wasm and model)
 * never change content, so a returning visitor downloads nothing: a year, `immutable`. The two names a page
 * references directly (snippet.js, temper.js) and manifest.json keep their names across releases: 5 minutes,
 * so a release reaches every visitor within that. Everything else the shop serves is revalidated.
 */
export function cacheControl(prefix: string, name: string): string {
  if (prefix !== '/temper/') return 'no-cache';
  return /\.[A-Za-z0-9_-]{8}\.(?:js|wasm|onnx)(?:\.map)?$/.test(name) ? 'public, max-age=31536000, immutable' : 'public, max-age=300';
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
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname.slice(prefix.length));
    } catch {
      // A malformed % escape (`/%zz`) is the client's mistake, not ours.
      sendHtml(res, 400, notFoundPage());
      return true;
    }
    const rel = normalize(decoded);
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
        'Cache-Control': cacheControl(prefix, rel),
        Vary: 'Accept-Encoding',
        ...(br ? { 'Content-Encoding': 'br' } : {}),
        // Issue 15, finding 1: the scorer worker takes its referrer policy from its own response, so what it fetches
        // (onnxruntime's wasm) carries no Referer either.
        ...(prefix === '/temper/' ? { 'Referrer-Policy': 'no-referrer' } : {}),
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
  /** Visitor presence (issue 12): how long a queued visitor may be gone before the chat leaves the line (default 2 min). */
  abandonAfterMs?: number;
  /** Callback requests (issue 12): the "we will get back to you within N hours" promise (default 24). */
  callbackWithinHours?: number;
  /**
   * TEST ONLY: the FAQ bot waits this long before each answer (honouring its abort signal), so a test can kill
   * an instance while its bot is mid-answer. Never set it in production. `npm run serve`: TEMPER_TEST_BOT_DELAY_MS.
   */
  testBotDelayMs?: number;
  /** Staff access and report privacy (issue 15), passed to `createTemperServer`. */
  staffAccess?: StaffAccessOptions;
  reportPrivacy?: ReportPrivacyOptions;
  /** `createTemperServer`'s `expectedWaitSeconds` (a queue wait before any claim was timed). Default 120. */
  expectedWaitSeconds?: number;
  /** Webhooks to the host (issue 14), passed to `createTemperServer`. */
  webhooks?: WebhookOptions;
  /** Agent matching and emotional load (issue 14), merged over `DEFAULT_AGENT_ROUTING`. */
  agents?: Partial<AgentRoutingConfig>;
  /** Overrides of `HTTP_TIMEOUTS` (tests shorten them). */
  httpTimeouts?: Partial<Record<keyof typeof HTTP_TIMEOUTS, number>>;
}

/**
 * Demo sign-ins per client address (the socket peer; behind a balancer that is the balancer, so it becomes one
 * shared budget): a burst of 10, then one every 30 s, in the shared coordination so it holds across instances.
 */
export const DEMO_SIGNIN_LIMIT = { burst: 10, perSecond: 1 / 30 } as const;

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

/** TEST ONLY (`testBotDelayMs`): `bot`, answering `ms` later unless its abort signal fires first. */
function delayed(bot: BotAdapter, ms: number): BotAdapter {
  return async (conversation, message, ctx) => {
    await sleep(ms, undefined, { signal: ctx.abortSignal });
    return bot(conversation, message, ctx);
  };
}

/** The shop's suggested replies (reply assist), checked once at start: a broken edit fails loudly here. */
const REPLY_LIBRARY = toReplyLibrary(JSON.parse(await readFile(join(here, 'reply-library.json'), 'utf8')), 'examples/shop/reply-library.json');

/** Intents that say nothing about what the visitor needs (they keep the chat's earlier topic). */
const NOT_A_TOPIC = new Set(['human', 'thanks', 'greeting']);

/**
 * The FAQ bot's replies name the intent it matched as `topic`, which agent matching maps to a skill (issue 14):
 * a refund question goes to an agent with `payments`.
 */
function withTopic(bot: BotAdapter): BotAdapter {
  return async (conversation, message, ctx) => {
    const reply = await bot(conversation, message, ctx);
    const topic = matchIntent(message.text, ctx.language);
    return reply && topic && !NOT_A_TOPIC.has(topic) ? { ...reply, topic } : reply;
  };
}

/** Starts the shop and resolves once it listens. */
export async function startShop(opts: ShopOptions = {}): Promise<RunningShop> {
  const secret = opts.secret ?? (process.env.TEMPER_SECRET || randomBytes(32).toString('hex'));
  const identitySecret = opts.identitySecret ?? (process.env.TEMPER_IDENTITY_SECRET || randomBytes(32).toString('hex'));
  const temper = createTemperServer({
    secret,
    identitySecret,
    bot: withTopic(opts.testBotDelayMs ? delayed(createFaqBot(), opts.testBotDelayMs) : createFaqBot()),
    ...(opts.store ? { store: opts.store } : {}),
    ...(opts.routing ? { routing: opts.routing } : {}),
    ...(opts.coordination ? { coordination: opts.coordination } : {}),
    ...(opts.trustProxy !== undefined ? { trustProxy: opts.trustProxy } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.heartbeatMs !== undefined ? { heartbeatMs: opts.heartbeatMs } : {}),
    ...(opts.abandonAfterMs !== undefined ? { abandonAfterMs: opts.abandonAfterMs } : {}),
    ...(opts.callbackWithinHours !== undefined ? { callbackWithinHours: opts.callbackWithinHours } : {}),
    ...(opts.staffAccess ? { staffAccess: opts.staffAccess } : {}),
    ...(opts.reportPrivacy ? { reportPrivacy: opts.reportPrivacy } : {}),
    ...(opts.expectedWaitSeconds !== undefined ? { expectedWaitSeconds: opts.expectedWaitSeconds } : {}),
    ...(opts.webhooks ? { webhooks: opts.webhooks } : {}),
    ...(opts.agents ? { agents: opts.agents } : {}),
    // Reply assist (issue 14): the shop's own library, a JSON file its staff can edit.
    assist: { library: REPLY_LIBRARY },
  });
  const demoSignIn = opts.demoSignIn ?? true;
  let draining = false;
  const manifest = buildEgressManifest(STORAGE_ITEMS);

  const timeouts = { ...HTTP_TIMEOUTS, ...opts.httpTimeouts };
  const server = createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      keepAliveTimeout: timeouts.keepAliveTimeoutMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
    },
    (req, res) => {
      securityHeaders(res);
      // While draining, every response ends its connection, so a load balancer's keep-alive connections to this
      // instance close one by one after their current request instead of being cut.
      if (draining) res.setHeader('Connection', 'close');
      let url: URL;
      try {
        // `GET //x` is a valid request line but not a valid relative URL: before, this threw in the listener.
        url = new URL(req.url ?? '/', 'http://shop.local');
      } catch {
        return sendHtml(res, 400, notFoundPage());
      }
      const path = url.pathname;
      temper(req, res, () => {
        void route(req, res, path, url).catch((e: unknown) => {
          if (clientAborted(req, e)) {
            console.warn(`shop: client aborted ${req.method} ${path} mid-body`);
            res.destroy();
            return;
          }
          console.error(`shop: request failed: ${req.method} ${path}: ${e instanceof Error ? e.message : String(e)}`);
          if (!res.headersSent) sendHtml(res, 500, notFoundPage());
          else res.end();
        });
      });
    },
  );
  server.on('clientError', answerClientError);

  /**
   * DEMO ONLY: anyone may become an agent or a supervisor. A real host issues agent tokens from its own staff
   * authentication (with `createAgentToken(secret, …)` on the server) and has no route like this.
   */
  async function demoAgentToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const wait = await temper.coordination.take(`demo-signin:${req.socket.remoteAddress ?? 'unknown'}`, DEMO_SIGNIN_LIMIT, Date.now());
    if (wait > 0) {
      const secs = Math.ceil(wait);
      res.setHeader('Retry-After', String(secs));
      return sendJson(res, 429, { error: { code: 'rate-limited', message: `too many demo sign-ins; retry in ${secs} s` } });
    }
    const body = (await readSmallJson(req)) as { name?: unknown; role?: unknown; profile?: unknown } | null;
    const name = typeof body?.name === 'string' ? body.name.trim() : '';
    const role = body?.role;
    if (!name || name.length > 80 || /[\u0000-\u001f\u007f]/.test(name))
      return sendJson(res, 400, { error: { code: 'bad-format', field: 'name', message: 'name must be 1–80 printable characters' } });
    if (!DEMO_ROLES.includes(role as (typeof DEMO_ROLES)[number]))
      return sendJson(res, 400, { error: { code: 'not-allowed-value', field: 'role', message: `role must be one of ${DEMO_ROLES.join(', ')}` } });
    let profile: AgentProfile | undefined;
    try {
      if (body?.profile !== undefined) profile = toAgentProfile(body.profile);
    } catch (e) {
      return sendJson(res, 400, { error: { code: 'not-allowed-value', field: 'profile', message: (e as Error).message } });
    }
    // A fresh id per sign-in: two people typing the same name are still two agents.
    const agentId = `demo-${randomBytes(6).toString('base64url')}`;
    const expiresAt = Date.now() + DEMO_TOKEN_TTL_MS;
    const token = createAgentToken(secret, { agentId, name, role: role as (typeof DEMO_ROLES)[number], expiresAt, ...(profile ? { profile } : {}) });
    sendJson(res, 201, { token, agentId, name, role, expiresAt, ...(profile ? { profile } : {}) });
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
    if (path === '/privacy') return page(200, privacyPage(manifest, pageLocale(url, req.headers['accept-language'])));
    if (path === '/account') return page(200, accountPage(customer));
    if (path === '/agent') return sendHtml(res, 200, agentPage(pageLocale(url, req.headers['accept-language'])));
    if (path === '/reports') return sendHtml(res, 200, reportsPage(pageLocale(url, req.headers['accept-language'])));
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
