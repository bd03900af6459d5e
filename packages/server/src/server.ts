// createTemperServer, the composition root: reads the options, builds the parts — store and coordination,
// the flow (flow/), presence, event streams, the one route table (routes/) — wires the cross-instance channels,
// and returns one Node request handler that serves everything under `basePath` and calls `next()` for the rest,
// so the same function mounts on http.createServer, Express and Fastify.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_BASE, type ErrorCode } from '@temper/protocol';
import { createFlow } from './flow/index.js';
import { compileTrust, clientIp } from './http/client-ip.js';
import { cors, originSet } from './http/cors.js';
import { HttpError, rateLimited, sendError } from './http/error.js';
import { channels } from './keys.js';
import { createMemoryCoordination } from './memory-coordination.js';
import { createMemoryStore } from './memory-store.js';
import type { Logger, TemperHandler, TemperServerOptions, TemperStats } from './options.js';
import { createPresence } from './presence.js';
import { checkRateLimit, type RateLimit } from './rate-limit.js';
import { createEventStreams } from './routes/events.js';
import { createRouter } from './routes/router.js';
import type { Ctx, Services } from './routes/types.js';
import { decide, DEFAULT_ROUTING, type RoutingConfig } from './routing.js';
import { toKeyring } from './token.js';
import { toIdentityKeys } from './identity.js';
import { toAgentRouting } from './agents/config.js';
import { createWebhooks } from './webhooks/webhooks.js';
import { createBoard } from './supervisor/board.js';
import { toReplyLibrary } from './assist/library.js';
import { createReportScheduler } from './supervisor/schedule.js';
import type { AuditEntry } from './store.js';
import { createRetention, toRetention } from './privacy/retention.js';
import { createDataSubjects } from './privacy/dsr.js';
import { toStaffAccess } from './staff-access.js';
import { toReportPrivacy } from './report-privacy.js';

const DEFAULT_TTL = 2 * 60 * 60 * 1000;
const DEFAULT_GRACE = 24 * 60 * 60 * 1000;

const defaultLog: Logger = (level, message, fields) => {
  if (level !== 'info') console.error(`[temper] ${level}: ${message}`, fields ?? '');
};

function limitOf(l: RateLimit | false | undefined, d: RateLimit, name: string): RateLimit | null {
  if (l === false) return null;
  const limit = l ?? d;
  checkRateLimit(limit, `createTemperServer: limits.${name}`);
  return limit;
}

function count(v: number | undefined, d: number, name: string): number {
  const n = v ?? d;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`createTemperServer: limits.${name} must be an integer ≥ 1, got ${String(v)}`);
  return n;
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
  const key = toKeyring(options?.secret);
  const identityKeys = options.identitySecret === undefined ? [] : toIdentityKeys(options.identitySecret, [...key.verify.values()]);
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
  const botTimeoutMs = options.botTimeoutMs ?? 10_000;
  if (!(botTimeoutMs > 0) || !Number.isFinite(botTimeoutMs)) throw new RangeError('createTemperServer: botTimeoutMs must be a positive number of ms');
  if (!(heartbeatMs > 0)) throw new RangeError('createTemperServer: heartbeatMs must be positive');
  const allowed = originSet(options.allowedOrigins ?? []);
  const limits = {
    perIp: limitOf(options.limits?.perIp, { burst: 120, perSecond: 4 }, 'perIp'),
    perSession: limitOf(options.limits?.perSession, { burst: 30, perSecond: 1 }, 'perSession'),
    perAgent: limitOf(options.limits?.perAgent, { burst: 120, perSecond: 20 }, 'perAgent'),
    sessionsPerIp: limitOf(options.limits?.sessionsPerIp, { burst: 50, perSecond: 200 / 86_400 }, 'sessionsPerIp'),
    sessions: limitOf(options.limits?.sessions, { burst: 300, perSecond: 30 }, 'sessions'),
    invalidTokens: limitOf(options.limits?.invalidTokens, { burst: 20, perSecond: 0.5 }, 'invalidTokens'),
  };
  const streamCaps = {
    perConversation: count(options.limits?.streamsPerConversation, 5, 'streamsPerConversation'),
    perIp: count(options.limits?.streamsPerIp, 50, 'streamsPerIp'),
    total: count(options.limits?.streams, 10_000, 'streams'),
  };
  const routing: RoutingConfig = { ...DEFAULT_ROUTING, ...options.routing };
  const agentRouting = toAgentRouting(options.agents);
  const retentionConfig = toRetention(options.retention, options.auditRetentionMs);
  const retention = retentionConfig.auditMs;
  const abandonAfterMs = options.abandonAfterMs ?? 120_000;
  if (!(abandonAfterMs >= 0) || !Number.isFinite(abandonAfterMs)) throw new RangeError('createTemperServer: abandonAfterMs must be a non-negative number of ms');
  const callbackWithinHours = options.callbackWithinHours ?? 24;
  if (!Number.isInteger(callbackWithinHours) || callbackWithinHours < 1) throw new RangeError('createTemperServer: callbackWithinHours must be a whole number of hours ≥ 1');

  const stats: TemperStats = { requests: 0, refused: {}, refusedByEndpoint: {}, openStreams: 0, botErrors: 0, botRecovered: 0, decisions: 0, webhooksSent: 0, webhooksFailed: 0, webhooksDropped: 0, retention: { runs: 0, skipped: 0, failures: 0, lastRunAt: null, transcriptsDeleted: 0, signalsCleared: 0, staffNamesRemoved: 0, auditArchived: 0, auditPruned: 0 } };
  const board = createBoard({
    store,
    coordination,
    now,
    config: agentRouting,
    presenceTtlMs: options.presenceTtlMs ?? 60_000,
    languageOf: (c) => ((c.meta as { language?: 'en' | 'zh' }).language ?? (c.locale === 'zh-CN' ? 'zh' : 'en')),
    idleMs: options.boardIdleMs ?? 30 * 60_000,
  });
  const staffAccess = toStaffAccess(options.staffAccess);
  const reportPrivacy = toReportPrivacy(options.reportPrivacy);
  const assist = options.assist ? { library: toReplyLibrary(options.assist.library, 'createTemperServer: assist.library'), fromLevel: options.assist.fromLevel ?? 2 } : null;
  /** Issue 14: webhooks and the supervisor board follow the audit log as it is written. */
  const auditHooks: Array<(e: AuditEntry) => void> = [];
  const webhooks = options.webhooks ? createWebhooks(options.webhooks, { store, now, log, counters: stats }) : null;
  if (webhooks) auditHooks.push(webhooks.fromAudit);
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
    botTimeoutMs: botTimeoutMs,
    policy: options.policy ?? decide,
    routing,
    presenceTtlMs: options.presenceTtlMs ?? 60_000,
    maxChatsPerAgent: options.maxChatsPerAgent ?? 3,
    expectedWaitSeconds: options.expectedWaitSeconds ?? 120,
    abandonAfterMs,
    callbackWithinHours,
    closing: closing.signal,
    counters: stats,
    onQueueChanged: queueChanged,
    agents: agentRouting,
    onAudit: (entry) => auditHooks.forEach((h) => h(entry)),
    onSignal: (record, signal) => board.signalled(record, signal),
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
      await retentionSweeper.pruneAuditNow();
      // Owed bot replies older than one sweep whose instance no longer holds their bot lock (died, shut down).
      await flow.recoverOwedReplies(t - sweepMs);
      await flow.sweepVisitors(t);
    },
  });
  const events = createEventStreams({ store, coordination, log, heartbeatMs, streamBufferBytes, caps: streamCaps, counters: stats });

  /** Deletes a conversation's stored data and ends its streams on every instance; the audit log is the caller's. */
  async function purge(id: string): Promise<boolean> {
    const existed = await store.deleteConversation(id);
    events.endConversation(id);
    if (existed) await coordination.publish(channels.deleted, id).catch(() => undefined);
    return existed;
  }

  async function deleteConversation(id: string): Promise<boolean> {
    const existed = await purge(id);
    if (existed) {
      // Keep the counts reports need, but cut the link to the deleted conversation.
      const pseudonym = `deleted-${randomBytes(9).toString('base64url')}`;
      await store.redactAudit(id, pseudonym);
      await store.appendAudit({ at: now(), conversationId: pseudonym, action: 'deleted', level: null, trend: null, reasons: [] });
    }
    return existed;
  }

  // Issue 15: retention sweeps and data-subject requests.
  const retentionSweeper = createRetention(retentionConfig, { store, coordination, now, log, deleteConversation, stats: stats.retention });
  const dataSubjects = createDataSubjects({ store, now, archive: retentionConfig.archive, purge });

  const services: Services = {
    key,
    identityKeys,
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
    pruneAudit: () => retentionSweeper.pruneAuditNow(),
    dataSubjects,
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
    board,
    agentRouting,
    assist,
    staffAccess,
    reportPrivacy,
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

  const reports = options.reports
    ? createReportScheduler(options.reports, { store, coordination, now, log, privacy: reportPrivacy, hasWebhooks: webhooks !== null, emit: (type, data, key) => webhooks!.emit(type, data, now(), key) })
    : null;

  const sweep = setInterval(() => void presence.sweep(), sweepMs);
  sweep.unref();

  // ---------------------------------------------------------------- dispatch

  function serve(req: IncomingMessage, res: ServerResponse, url: URL): void {
    stats.requests++;
    const sub = url.pathname.slice(basePath.length) || '/';
    const matching = router.match(sub);
    const endpoint = (matching.find((r) => r.method === req.method) ?? matching[0])?.id ?? 'other';
    const ctx: Ctx = { req, res, url, sub, endpoint, ip: clientIp(req, trust) };
    try {
      if (closed) throw new HttpError('internal', 'the server is shutting down');
      if (!cors(req, res, allowed, trust)) return;
    } catch (e) {
      return refuse(ctx, e as HttpError);
    }
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
  handler.runRetention = () => retentionSweeper.run();
  Object.defineProperty(handler, 'dataSubjects', { value: dataSubjects, enumerable: true });
  handler.emitWebhook = (type, data, key) => (webhooks ? webhooks.emit(type, data, now(), key) : Promise.resolve(false));
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
    await reports?.close();
    await retentionSweeper.close();
    await webhooks?.close();
    if (ownCoordination) await coordination.close();
    if (ownStore) await store.close();
  };
  return handler;
}
