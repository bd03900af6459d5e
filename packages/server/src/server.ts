// createTemperServer: one Node request handler that serves the four visitor endpoints of the wire contract
// (ENDPOINTS in @temper/protocol) and the agent API (agent-api.ts) under a base path, and calls `next()` for
// everything else, so the same function mounts on http.createServer, Express and Fastify.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  API_BASE,
  ENDPOINTS,
  schemas,
  validate,
  type ErrorCode,
  type MessageAccepted,
  type MessageEvent,
  type SessionResponse,
  type SignalAccepted,
} from '@temper/protocol';
import type { BotAdapter } from './bot.js';
import { createAgentApi } from './agent-api.js';
import { createFlow, type Policy } from './flow.js';
import { bearerOf, clientIp, lastEventIdOf, openSse, readJson, sendError, sendJson } from './http.js';
import { createMemoryStore } from './memory-store.js';
import { createLimiter, type Limiter, type RateLimit } from './rate-limit.js';
import { decide, DEFAULT_ROUTING, type RoutingConfig } from './routing.js';
import type { ConversationRecord, Store, StoredEvent } from './store.js';
import { readVisitorToken, signVisitorToken, toKey, type Secret, type VisitorClaims } from './token.js';

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
}

/** Options of `createTemperServer`. */
export interface TemperServerOptions {
  /** HMAC key for session tokens (≥ 32 bytes). Keep it server-side; rotate by restarting with a new one. */
  secret: Secret;
  /** Where conversations live. Default `createMemoryStore()`. */
  store?: Store;
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
  /** Interval of SSE heartbeat comments. Default 15 000. */
  heartbeatMs?: number;
  /** Read the client IP from `X-Forwarded-For` and the host from `X-Forwarded-Host`. Only behind your own proxy. */
  trustProxy?: boolean;
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
  /** Request and refusal counters. */
  stats(): TemperStats;
  /** Deletes a conversation (transcript, signals, idempotency keys), ends its streams, pseudonymises its audit entries. */
  deleteConversation(conversationId: string): Promise<boolean>;
  /** Ends SSE streams and timers, waits for bot calls in flight; closes the store only if it created it. */
  close(): Promise<void>;
}

type EndpointId = (typeof ENDPOINTS)[number]['id'];

/** Per-request context shared with the agent API. */
export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  endpoint: string;
  ip: string;
}

const DEFAULT_TTL = 2 * 60 * 60 * 1000;
const DEFAULT_GRACE = 24 * 60 * 60 * 1000;
const REPLAY_PAGE = 500;
const MAX_STREAMS_PER_CONVERSATION = 5;
const DAY = 24 * 60 * 60 * 1000;

const defaultLog: Logger = (level, message, fields) => {
  if (level !== 'info') console.error(`[temper] ${level}: ${message}`, fields ?? '');
};

const newId = (bytes: number) => randomBytes(bytes).toString('base64url');

/**
 * Creates the Temper backend as one Node request handler serving `POST /sessions`, `POST /messages`,
 * `POST /signals` and `GET /events` (SSE) under `basePath`. Requests outside it go to `next()` (or get a 404).
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
  const now = options.now ?? Date.now;
  const log = options.log ?? defaultLog;
  const basePath = (options.basePath ?? API_BASE).replace(/\/+$/, '');
  const ttl = options.tokenTtlMs ?? DEFAULT_TTL;
  const grace = options.renewGraceMs ?? DEFAULT_GRACE;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const botName = options.botName ?? 'Assistant';
  const trustProxy = options.trustProxy === true;
  const bodyLimit = options.limits?.bodyBytes ?? 16 * 1024;
  if (!(ttl > 0)) throw new RangeError('createTemperServer: tokenTtlMs must be positive');
  if (!(bodyLimit > 0)) throw new RangeError('createTemperServer: limits.bodyBytes must be positive');
  const allowed = new Set(
    (options.allowedOrigins ?? []).map((o) => {
      try {
        return new URL(o).origin;
      } catch {
        throw new TypeError(`createTemperServer: allowedOrigins entry ${JSON.stringify(o)} is not an origin URL`);
      }
    }),
  );
  const limitOf = (l: RateLimit | false | undefined, d: RateLimit): Limiter | null =>
    l === false ? null : createLimiter(l ?? d);
  const ipLimiter = limitOf(options.limits?.perIp, { burst: 120, perSecond: 4 });
  const sessionLimiter = limitOf(options.limits?.perSession, { burst: 30, perSecond: 1 });

  const routing: RoutingConfig = { ...DEFAULT_ROUTING, ...options.routing };
  const retention = options.auditRetentionMs ?? 30 * DAY;

  const stats: TemperStats = { requests: 0, refused: {}, refusedByEndpoint: {}, openStreams: 0, botErrors: 0, decisions: 0 };
  const streams = new Map<string, Set<ServerResponse>>();
  const closing = new AbortController();
  let closed = false;
  const queueListeners = new Set<() => void>();

  const flow = createFlow({
    store,
    now,
    log,
    ...(options.bot ? { bot: options.bot } : {}),
    botName,
    policy: options.policy ?? decide,
    routing,
    presenceTtlMs: options.presenceTtlMs ?? 60_000,
    maxChatsPerAgent: options.maxChatsPerAgent ?? 3,
    expectedWaitSeconds: options.expectedWaitSeconds ?? 120,
    closing: closing.signal,
    counters: stats,
    onQueueChanged: () => {
      for (const l of [...queueListeners]) l();
    },
  });

  let onlineBefore = -1;
  const sweep = setInterval(() => {
    const t = now();
    ipLimiter?.sweep(t);
    sessionLimiter?.sweep(t);
    agentApi.sweep(t);
    void store.pruneAudit(t - retention).catch(() => undefined);
    // Presence expires silently (a closed laptop sends nothing): notice it here so waiting chats are re-routed.
    void flow.availability().then(
      (a) => {
        if (onlineBefore !== -1 && a.online !== onlineBefore) void flow.agentsChanged();
        onlineBefore = a.online;
      },
      () => undefined,
    );
  }, Math.min(15_000, heartbeatMs));
  sweep.unref();

  function refuse(ctx: Ctx, code: ErrorCode, message: string, field?: string, headers?: Record<string, string>): void {
    stats.refused[code] = (stats.refused[code] ?? 0) + 1;
    const byEp = (stats.refusedByEndpoint[ctx.endpoint] ??= {});
    byEp[code] = (byEp[code] ?? 0) + 1;
    sendError(ctx.res, code, message, field, headers);
  }

  // ---------------------------------------------------------------- origin / CORS

  function sameOrigin(req: IncomingMessage, origin: string): boolean {
    const fwd = trustProxy ? req.headers['x-forwarded-host'] : undefined;
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
        refuse(ctx, 'origin-not-allowed', `origin ${origin} is not allowed`);
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

  // ---------------------------------------------------------------- auth

  function rateLimited(ctx: Ctx, limiter: Limiter | null, key: string): boolean {
    if (!limiter) return false;
    const wait = limiter.take(key, now());
    if (wait === 0) return false;
    const secs = Number.isFinite(wait) ? Math.max(1, Math.ceil(wait)) : 3600;
    refuse(ctx, 'rate-limited', `too many requests; retry in ${secs} s`, undefined, { 'Retry-After': String(secs) });
    return true;
  }

  /** Verifies the visitor token and loads its conversation; answers 401 itself when that fails. */
  async function authVisitor(ctx: Ctx): Promise<ConversationRecord | null> {
    const token = bearerOf(ctx.req);
    const claims = token ? readVisitorToken(key, token) : null;
    if (!claims || claims.expiresAt <= now()) {
      refuse(ctx, 'unauthorized', token ? 'the session token is invalid or expired' : 'a Bearer session token is required');
      return null;
    }
    const conv = await store.getConversation(claims.conversationId);
    if (!conv) {
      refuse(ctx, 'unauthorized', 'the conversation of this token no longer exists');
      return null;
    }
    if (rateLimited(ctx, sessionLimiter, conv.id)) return null;
    return conv;
  }

  async function body<S extends Parameters<typeof validate>[0]>(ctx: Ctx, spec: S) {
    const r = await readJson(ctx.req, bodyLimit);
    if (!r.ok) {
      refuse(ctx, r.code, r.message);
      return null;
    }
    const v = validate(spec, r.value);
    if (!v.ok) {
      refuse(ctx, v.error.code, v.error.message, v.error.field);
      return null;
    }
    return v.value;
  }

  // ---------------------------------------------------------------- endpoints

  function issue(conversationId: string): SessionResponse {
    const claims: VisitorClaims = { conversationId, expiresAt: now() + ttl };
    return { token: signVisitorToken(key, claims), conversationId, expiresAt: claims.expiresAt };
  }

  async function openSession(ctx: Ctx): Promise<void> {
    const token = bearerOf(ctx.req);
    if (ctx.req.headers.authorization !== undefined && !token) {
      refuse(ctx, 'unauthorized', 'the Authorization header must be `Bearer <token>`');
      return;
    }
    const input = await body(ctx, schemas.sessionRequest);
    if (!input) return;
    if (token) {
      const claims = readVisitorToken(key, token);
      if (!claims || claims.expiresAt + grace <= now()) {
        refuse(ctx, 'unauthorized', 'the session token is invalid or too old to renew; open a new session without it');
        return;
      }
      const conv = await store.updateConversation(claims.conversationId, input.locale ? { locale: input.locale } : {});
      if (!conv) {
        refuse(ctx, 'unauthorized', 'the conversation of this token no longer exists');
        return;
      }
      if (rateLimited(ctx, sessionLimiter, conv.id)) return;
      sendJson(ctx.res, 200, issue(conv.id));
      return;
    }
    const record: ConversationRecord = { id: newId(16), createdAt: now(), state: 'bot', meta: {} };
    if (input.locale) record.locale = input.locale;
    await store.createConversation(record);
    await flow.opened(record);
    sendJson(ctx.res, 201, issue(record.id));
  }

  async function postMessage(ctx: Ctx): Promise<void> {
    const conv = await authVisitor(ctx);
    if (!conv) return;
    const input = await body(ctx, schemas.visitorMessage);
    if (!input) return;
    const message: MessageEvent & { clientId: string } = {
      type: 'message',
      id: newId(12),
      from: 'visitor',
      text: input.text,
      at: now(),
      clientId: input.id,
    };
    const r = await store.appendVisitorMessage(conv.id, message);
    const accepted: MessageAccepted = { id: input.id, duplicate: r.duplicate };
    if (r.duplicate) {
      sendJson(ctx.res, 200, accepted);
      return;
    }
    await store.updateConversation(conv.id, { lastVisitorAt: message.at });
    // Decide before answering, so a handoff (e.g. "转人工") is already visible when the response arrives.
    await flow.visitorMessage(conv.id, message);
    sendJson(ctx.res, 201, accepted);
  }

  async function postSignal(ctx: Ctx): Promise<void> {
    const conv = await authVisitor(ctx);
    if (!conv) return;
    const input = await body(ctx, schemas.signal);
    if (!input) return;
    const r = await store.recordSignal(conv.id, { seq: input.seq, level: input.level, trend: input.trend, at: now() });
    if (!r.ok) {
      if (r.reason === 'stale')
        refuse(ctx, 'stale-signal', `seq ${input.seq} is not above the last accepted seq ${r.lastSeq}`, 'seq');
      else refuse(ctx, 'unauthorized', 'the conversation of this token no longer exists');
      return;
    }
    await flow.signal(conv.id);
    const accepted: SignalAccepted = { seq: input.seq };
    sendJson(ctx.res, 200, accepted);
  }

  async function readEvents(ctx: Ctx): Promise<void> {
    const conv = await authVisitor(ctx);
    if (!conv) return;
    const after = lastEventIdOf(ctx.req, ctx.url);
    if (after === null) {
      refuse(ctx, 'bad-format', 'Last-Event-ID must be a non-negative integer', 'last-event-id');
      return;
    }
    await stream(ctx, conv.id, after);
  }

  /** Replays the log after `after`, then forwards live events; no gap and no duplicate between the two. */
  async function stream(ctx: Ctx, conversationId: string, after: number, onBeat?: () => void): Promise<void> {
    const { req, res } = ctx;
    let last = after;
    let live = false;
    let done = false;
    const pending: StoredEvent[] = [];
    const write = (s: StoredEvent) => {
      if (s.id <= last || done) return;
      last = s.id;
      res.write(`id: ${s.id}\ndata: ${JSON.stringify(s.event)}\n\n`);
    };
    const unsubscribe = await store.subscribe(conversationId, (s) => (live ? write(s) : pending.push(s)));
    openSse(res);
    let set = streams.get(conversationId);
    if (!set) streams.set(conversationId, (set = new Set()));
    if (set.size >= MAX_STREAMS_PER_CONVERSATION) set.values().next().value?.end();
    set.add(res);
    stats.openStreams++;
    const heartbeat = setInterval(() => {
      res.write(': heartbeat\n\n');
      onBeat?.();
    }, heartbeatMs);
    heartbeat.unref();
    const cleanup = () => {
      if (done) return;
      done = true;
      clearInterval(heartbeat);
      unsubscribe();
      stats.openStreams--;
      const s = streams.get(conversationId);
      s?.delete(res);
      if (s?.size === 0) streams.delete(conversationId);
    };
    req.on('close', cleanup);
    res.on('close', cleanup);
    try {
      for (;;) {
        const page = await store.readEvents(conversationId, last, REPLAY_PAGE);
        for (const s of page) write(s);
        if (page.length < REPLAY_PAGE || done) break;
      }
    } catch (e) {
      // The conversation was deleted while we replayed: end the stream, the client will get 401 next time.
      log('warn', 'event replay failed', { conversationId, error: String(e) });
      res.end();
      return;
    }
    for (const s of pending) write(s);
    pending.length = 0;
    live = true;
  }

  // ---------------------------------------------------------------- dispatch

  const routes: Record<string, (ctx: Ctx) => Promise<void>> = {};
  const handlers: Record<EndpointId, (ctx: Ctx) => Promise<void>> = {
    'open-session': openSession,
    'send-message': postMessage,
    'send-signal': postSignal,
    'read-events': readEvents,
  };
  for (const e of ENDPOINTS) routes[`${e.method} ${e.path}`] = handlers[e.id];
  const paths = new Map<string, string[]>();
  for (const e of ENDPOINTS) paths.set(e.path, [...(paths.get(e.path) ?? []), e.method]);
  const endpointId = new Map<string, string>(ENDPOINTS.map((e) => [e.path, e.id]));

  async function deleteConversation(id: string): Promise<boolean> {
    const existed = await store.deleteConversation(id);
    for (const res of streams.get(id) ?? []) res.end();
    streams.delete(id);
    if (existed) {
      // Keep the counts reports need, but cut the link to the deleted conversation.
      const pseudonym = `deleted-${newId(9)}`;
      await store.redactAudit(id, pseudonym);
      await store.appendAudit({ at: now(), conversationId: pseudonym, action: 'deleted', level: null, trend: null, reasons: [] });
    }
    return existed;
  }

  const agentStreams = new Set<ServerResponse>();
  const agentApi = createAgentApi({
    key,
    store,
    flow,
    now,
    bodyLimit,
    heartbeatMs,
    retentionMs: retention,
    agentLimit: options.limits?.perAgent ?? { burst: 120, perSecond: 20 },
    refuse,
    stream,
    queueListeners,
    openStreams: agentStreams,
    deleteConversation,
  });

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
      else sendError(res, 'not-found', `no route for ${path}`);
      return;
    }
    stats.requests++;
    const sub = path.slice(basePath.length) || '/';
    const ctx: Ctx = { req, res, url, endpoint: endpointId.get(sub) ?? 'other', ip: clientIp(req, trustProxy) };
    if (closed) return refuse(ctx, 'internal', 'the server is shutting down');
    if (!cors(ctx)) return;
    const methods = paths.get(sub);
    if (!methods && sub.startsWith('/agent/')) {
      agentApi.handle(ctx, sub).catch((e: unknown) => {
        log('error', 'agent request failed', { endpoint: ctx.endpoint, error: e instanceof Error ? e.message : String(e) });
        if (!res.headersSent) refuse(ctx, 'internal', 'internal error');
        else res.end();
      });
      return;
    }
    if (!methods) return refuse(ctx, 'not-found', `no endpoint ${sub} under ${basePath}`);
    const method = req.method ?? 'GET';
    const run = routes[`${method} ${sub}`];
    if (!run) return refuse(ctx, 'method-not-allowed', `${sub} accepts ${methods.join(', ')}`, undefined, { Allow: methods.join(', ') });
    if (rateLimited(ctx, ipLimiter, ctx.ip)) return;
    run(ctx).catch((e: unknown) => {
      log('error', 'request failed', { endpoint: ctx.endpoint, error: e instanceof Error ? e.message : String(e) });
      if (!res.headersSent) refuse(ctx, 'internal', 'internal error');
      else res.end();
    });
  }) as TemperHandler;

  Object.defineProperty(handler, 'store', { value: store, enumerable: true });
  handler.stats = () => structuredClone(stats);
  handler.deleteConversation = deleteConversation;
  handler.close = async () => {
    if (closed) return;
    closed = true;
    clearInterval(sweep);
    closing.abort();
    for (const set of streams.values()) for (const res of set) res.end();
    streams.clear();
    for (const res of agentStreams) res.end();
    agentStreams.clear();
    queueListeners.clear();
    // A bot that ignores its abortSignal must not hold shutdown hostage.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([flow.idle(), new Promise<void>((r) => (timer = setTimeout(r, 5000).unref()))]);
    clearTimeout(timer);
    if (ownStore) await store.close();
  };
  return handler;
}
