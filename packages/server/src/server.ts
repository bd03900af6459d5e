// createTemperServer, the composition root: reads the options, builds the parts — store and coordination,
// the flow (flow/), presence, event streams, the one route table (routes/) — wires the cross-instance channels,
// and returns one Node request handler that serves everything under `basePath` and calls `next()` for the rest,
// so the same function mounts on http.createServer, Express and Fastify.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_BASE, type ErrorCode } from '@temper/protocol';
import type { BotAdapter } from './bot.js';
import type { Coordination } from './coordination.js';
import { createFlow, type Policy } from './flow/index.js';
import { compileTrust, clientIp, peerTrusted, type TrustProxy } from './http/client-ip.js';
import { HttpError, rateLimited, sendError } from './http/error.js';
import { channels } from './keys.js';
import { createMemoryCoordination } from './memory-coordination.js';
import { createMemoryStore } from './memory-store.js';
import { createPresence } from './presence.js';
import { checkRateLimit, type RateLimit } from './rate-limit.js';
import { createEventStreams } from './routes/events.js';
import { createRouter } from './routes/router.js';
import type { Ctx, Services } from './routes/types.js';
import { decide, DEFAULT_ROUTING, type RoutingConfig } from './routing.js';
import type { Store } from './store.js';
import { toKey, type Secret } from './token.js';

/** Log sink. `fields` never contain message text or tokens. */
export type Logger = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

/** Limits on what one client can send. */
export interface Limits {
  /** Largest accepted request body in bytes. Default 16 KiB. */
  bodyBytes?: number;
  /** Token bucket per conversation (all authenticated requests). Default `{ burst: 30, perSecond: 1 }`; `false` disables. */
  perSession?: RateLimit | false;
  /** Token bucket per client IP (visitor endpoints). Default `{ burst: 120, perSecond: 4 }`; `false` disables. */
  perIp?: RateLimit | false;
  /** Token bucket per agent (agent API). Default `{ burst: 120, perSecond: 20 }`; `false` disables. */
  perAgent?: RateLimit | false;
  /**
   * Bytes an SSE stream may queue for a reader that does not keep up (the socket said "full" and has not
   * drained); past this the stream is dropped and the client resumes with Last-Event-ID. Default 1 MiB.
   */
  streamBufferBytes?: number;
}

/** Options of `createTemperServer`. */
export interface TemperServerOptions {
  /** HMAC key for session tokens (≥ 32 bytes). Keep it server-side; rotate by restarting with a new one. */
  secret: Secret;
  /** Where conversations live. Default `createMemoryStore()`. */
  store?: Store;
  /**
   * What instances share besides the store: per-conversation locks, queue and presence notifications, rate-limit
   * buckets. Default `createMemoryCoordination()` (one process). Pass the same one as every instance's peers,
   * e.g. `@temper/server-redis`'s `backend.coordination`, so N instances behave as one.
   */
  coordination?: Coordination;
  /** Answers visitor messages while no person has the chat. */
  bot?: BotAdapter;
  /** Display name on bot messages. Default `'Assistant'`. */
  botName?: string;
  /** Path prefix of every endpoint. Default `API_BASE` (`/temper/v1`). */
  basePath?: string;
  /** Origins (e.g. `https://shop.example`) allowed to call cross-origin. Same-origin requests are always allowed. */
  allowedOrigins?: readonly string[];
  limits?: Limits;
  /** Lifetime of a visitor token. Default 2 hours. */
  tokenTtlMs?: number;
  /** How long after expiry a token may still be renewed by `POST /sessions`. Default 24 hours. */
  renewGraceMs?: number;
  /**
   * Interval of SSE heartbeat comments. Default 15 000 — below the idle timeouts of common proxies and load
   * balancers (30–60 s), so an idle stream is not cut.
   */
  heartbeatMs?: number;
  /**
   * Which proxies in front of the server to believe for the client IP (`X-Forwarded-For`, read right to left
   * up to the first untrusted hop) and the host (`X-Forwarded-Host`). `false` (default): none. `true`: one
   * proxy, the socket peer. A number: that many proxies. A list: proxy addresses and CIDR ranges (or
   * `'loopback'`, `'linklocal'`, `'uniquelocal'`).
   */
  trustProxy?: TrustProxy;
  /** Clock (Unix ms); inject one in tests. Default `Date.now`. */
  now?: () => number;
  /** Log sink. Default: warnings and errors to `console.error`. */
  log?: Logger;
  /** Tunables of the routing policy, merged over `DEFAULT_ROUTING`. */
  routing?: Partial<RoutingConfig>;
  /** Replaces the routing policy (same signature as `decide`). */
  policy?: Policy;
  /** An agent counts as online this long after their last request or stream heartbeat. Default 60 000. */
  presenceTtlMs?: number;
  /** Chats one agent holds before counting as busy. Default 3. */
  maxChatsPerAgent?: number;
  /** Expected wait per queue position before any claim was observed. Default 120 s. */
  expectedWaitSeconds?: number;
  /** How long audit entries are kept. Default 30 days. */
  auditRetentionMs?: number;
}

/** Counters since start. `refused` counts error responses by code; `refusedByEndpoint` splits them by endpoint id. */
export interface TemperStats {
  requests: number;
  refused: Partial<Record<ErrorCode, number>>;
  refusedByEndpoint: Record<string, Partial<Record<ErrorCode, number>>>;
  openStreams: number;
  botErrors: number;
  /** Routing decisions taken (each is also in the audit log). */
  decisions: number;
}

/** The request handler returned by `createTemperServer`. */
export interface TemperHandler {
  (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): void;
  /** The store in use (the default in-memory one unless you passed your own). */
  readonly store: Store;
  /** The coordination in use (the default in-memory one unless you passed your own). */
  readonly coordination: Coordination;
  /** Request and refusal counters. */
  stats(): TemperStats;
  /** Deletes a conversation (transcript, signals, idempotency keys), ends its streams, pseudonymises its audit entries. */
  deleteConversation(conversationId: string): Promise<boolean>;
  /** Ends SSE streams and timers, waits for bot calls in flight; closes the store and coordination only if it created them. */
  close(): Promise<void>;
}

const DEFAULT_TTL = 2 * 60 * 60 * 1000;
const DEFAULT_GRACE = 24 * 60 * 60 * 1000;
const DAY = 24 * 60 * 60 * 1000;

const defaultLog: Logger = (level, message, fields) => {
  if (level !== 'info') console.error(`[temper] ${level}: ${message}`, fields ?? '');
};

function limitOf(l: RateLimit | false | undefined, d: RateLimit, name: string): RateLimit | null {
  if (l === false) return null;
  const limit = l ?? d;
  checkRateLimit(limit, `createTemperServer: limits.${name}`);
  return limit;
}

/**
 * Creates the Temper backend as one Node request handler serving `POST /sessions`, `POST /messages`,
 * `POST /signals`, `GET /events` (SSE) and the agent API under `basePath`. Requests outside it go to `next()`
 * (or get a 404). Instances that share one `store` and one `coordination` behave as one server.
 *
 * @example
 * import { createServer } from 'node:http';
 * const temper = createTemperServer({ secret: process.env.TEMPER_SECRET!, allowedOrigins: ['https://shop.example'] });
 * createServer(temper).listen(8080);
 */
export function createTemperServer(options: TemperServerOptions): TemperHandler {
  const key = toKey(options?.secret);
  const ownStore = !options.store;
  const store = options.store ?? createMemoryStore();
  const ownCoordination = !options.coordination;
  const coordination = options.coordination ?? createMemoryCoordination();
  const now = options.now ?? Date.now;
  const log = options.log ?? defaultLog;
  const basePath = (options.basePath ?? API_BASE).replace(/\/+$/, '');
  const ttl = options.tokenTtlMs ?? DEFAULT_TTL;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const trust = compileTrust(options.trustProxy);
  const bodyLimit = options.limits?.bodyBytes ?? 16 * 1024;
  const streamBufferBytes = options.limits?.streamBufferBytes ?? 1 << 20;
  if (!(ttl > 0)) throw new RangeError('createTemperServer: tokenTtlMs must be positive');
  if (!(bodyLimit > 0)) throw new RangeError('createTemperServer: limits.bodyBytes must be positive');
  if (!(streamBufferBytes > 0)) throw new RangeError('createTemperServer: limits.streamBufferBytes must be positive');
  if (!(heartbeatMs > 0)) throw new RangeError('createTemperServer: heartbeatMs must be positive');
  const allowed = new Set(
    (options.allowedOrigins ?? []).map((o) => {
      try {
        return new URL(o).origin;
      } catch {
        throw new TypeError(`createTemperServer: allowedOrigins entry ${JSON.stringify(o)} is not an origin URL`);
      }
    }),
  );
  const limits = {
    perIp: limitOf(options.limits?.perIp, { burst: 120, perSecond: 4 }, 'perIp'),
    perSession: limitOf(options.limits?.perSession, { burst: 30, perSecond: 1 }, 'perSession'),
    perAgent: limitOf(options.limits?.perAgent, { burst: 120, perSecond: 20 }, 'perAgent'),
  };
  const routing: RoutingConfig = { ...DEFAULT_ROUTING, ...options.routing };
  const retention = options.auditRetentionMs ?? 30 * DAY;

  const stats: TemperStats = { requests: 0, refused: {}, refusedByEndpoint: {}, openStreams: 0, botErrors: 0, decisions: 0 };
  const closing = new AbortController();
  let closed = false;
  const queueListeners = new Set<() => void>();

  // Queue changes go out on a channel and come back to every instance (this one too): a claim on A refreshes
  // the queue streams on B. Bursts within one tick are sent once.
  let queuePublishPending = false;
  const queueChanged = () => {
    if (queuePublishPending || closed) return;
    queuePublishPending = true;
    setImmediate(() => {
      queuePublishPending = false;
      coordination.publish(channels.queue, '').catch((e: unknown) => log('warn', 'queue notification failed', { error: String(e) }));
    });
  };

  const flow = createFlow({
    store,
    coordination,
    now,
    log,
    ...(options.bot ? { bot: options.bot } : {}),
    botName: options.botName ?? 'Assistant',
    policy: options.policy ?? decide,
    routing,
    presenceTtlMs: options.presenceTtlMs ?? 60_000,
    maxChatsPerAgent: options.maxChatsPerAgent ?? 3,
    expectedWaitSeconds: options.expectedWaitSeconds ?? 120,
    closing: closing.signal,
    counters: stats,
    onQueueChanged: queueChanged,
  });

  const sweepMs = Math.min(15_000, heartbeatMs);
  const presence = createPresence({
    store,
    coordination,
    flow,
    now,
    log,
    sweepMs,
    onSweep: async (t) => {
      await store.pruneAudit(t - retention);
    },
  });
  const events = createEventStreams({ store, log, heartbeatMs, streamBufferBytes, counters: stats });

  async function deleteConversation(id: string): Promise<boolean> {
    const existed = await store.deleteConversation(id);
    events.endConversation(id);
    if (existed) {
      await coordination.publish(channels.deleted, id).catch(() => undefined);
      // Keep the counts reports need, but cut the link to the deleted conversation.
      const pseudonym = `deleted-${randomBytes(9).toString('base64url')}`;
      await store.redactAudit(id, pseudonym);
      await store.appendAudit({ at: now(), conversationId: pseudonym, action: 'deleted', level: null, trend: null, reasons: [] });
    }
    return existed;
  }

  const services: Services = {
    key,
    store,
    coordination,
    flow,
    now,
    log,
    bodyLimit,
    heartbeatMs,
    streamBufferBytes,
    tokenTtlMs: ttl,
    renewGraceMs: options.renewGraceMs ?? DEFAULT_GRACE,
    auditRetentionMs: retention,
    limits,
    async take(bucket, limit) {
      if (!limit) return;
      const wait = await coordination.take(bucket, limit, now());
      if (wait > 0) throw rateLimited(wait);
    },
    events,
    presence,
    queueListeners,
    deleteConversation,
  };

  function refused(ctx: Ctx, e: HttpError): void {
    const code: ErrorCode = e.code;
    stats.refused[code] = (stats.refused[code] ?? 0) + 1;
    const byEp = (stats.refusedByEndpoint[ctx.endpoint] ??= {});
    byEp[code] = (byEp[code] ?? 0) + 1;
  }
  const refuse = (ctx: Ctx, e: HttpError) => {
    refused(ctx, e);
    sendError(ctx.res, e);
  };
  const router = createRouter(services, basePath, refused);

  // The channels every instance listens on. Requests wait until they are live, so nothing published by a
  // peer right after this instance started is missed.
  const unsubscribes: Array<() => void> = [];
  let ready = false;
  const live = Promise.all([
    coordination.subscribe(channels.queue, () => {
      for (const l of [...queueListeners]) l();
    }),
    coordination.subscribe(channels.deleted, (id) => events.endConversation(id)),
    presence.start().then(() => () => undefined),
  ]).then(
    (stops) => {
      unsubscribes.push(...stops);
      ready = true;
    },
    (e: unknown) => {
      // Without the channels this instance still serves correctly, but its consoles miss peers' changes.
      log('error', 'could not subscribe to coordination channels', { error: e instanceof Error ? e.message : String(e) });
      ready = true;
    },
  );

  const sweep = setInterval(() => void presence.sweep(), sweepMs);
  sweep.unref();

  // ---------------------------------------------------------------- origin / CORS

  function sameOrigin(req: IncomingMessage, origin: string): boolean {
    const fwd = peerTrusted(req, trust) ? req.headers['x-forwarded-host'] : undefined;
    const host = (Array.isArray(fwd) ? fwd[0] : fwd) ?? req.headers.host;
    try {
      return typeof host === 'string' && new URL(origin).host === host.toLowerCase();
    } catch {
      return false;
    }
  }

  /** Returns false (after answering) when the origin is refused or the request was a preflight. */
  function cors(ctx: Ctx): boolean {
    const { req, res } = ctx;
    res.setHeader('Vary', 'Origin');
    const origin = req.headers.origin;
    if (typeof origin === 'string' && !sameOrigin(req, origin)) {
      if (!allowed.has(origin)) {
        refuse(ctx, new HttpError('origin-not-allowed', `origin ${origin} is not allowed`));
        return false;
      }
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type, Last-Event-ID, Accept',
        'Access-Control-Max-Age': '600',
        'Content-Length': '0',
      });
      res.end();
      return false;
    }
    return true;
  }

  // ---------------------------------------------------------------- dispatch

  function serve(req: IncomingMessage, res: ServerResponse, url: URL): void {
    stats.requests++;
    const sub = url.pathname.slice(basePath.length) || '/';
    const matching = router.match(sub);
    const endpoint = (matching.find((r) => r.method === req.method) ?? matching[0])?.id ?? 'other';
    const ctx: Ctx = { req, res, url, sub, endpoint, ip: clientIp(req, trust) };
    if (closed) return refuse(ctx, new HttpError('internal', 'the server is shutting down'));
    if (!cors(ctx)) return;
    void router.dispatch(ctx, matching);
  }

  const handler = ((req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => {
    // Express strips a mount path from req.url; originalUrl keeps it, so both mounting styles work.
    const rawUrl = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
    let url: URL;
    try {
      url = new URL(rawUrl, 'http://temper.invalid');
    } catch {
      url = new URL('http://temper.invalid/');
    }
    const path = url.pathname;
    if (path !== basePath && !path.startsWith(`${basePath}/`)) {
      if (next) next();
      else sendError(res, new HttpError('not-found', `no route for ${path}`));
      return;
    }
    if (ready) serve(req, res, url);
    else void live.then(() => serve(req, res, url));
  }) as TemperHandler;

  Object.defineProperty(handler, 'store', { value: store, enumerable: true });
  Object.defineProperty(handler, 'coordination', { value: coordination, enumerable: true });
  handler.stats = () => structuredClone(stats);
  handler.deleteConversation = deleteConversation;
  handler.close = async () => {
    if (closed) return;
    closed = true;
    clearInterval(sweep);
    closing.abort();
    await live;
    for (const stop of unsubscribes.splice(0)) stop();
    events.endAll();
    queueListeners.clear();
    await presence.stop();
    // A bot that ignores its abortSignal must not hold shutdown hostage.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([flow.idle(), new Promise<void>((r) => (timer = setTimeout(r, 5000).unref()))]);
    clearTimeout(timer);
    if (ownCoordination) await coordination.close();
    if (ownStore) await store.close();
  };
  return handler;
}
