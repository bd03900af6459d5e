// The public option, handler and stats types of `createTemperServer` (server.ts builds from them).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorCode, Level } from '@temper/protocol';
import type { ReplyLibrary } from './assist/library.js';
import type { ReportOptions } from './supervisor/schedule.js';
import type { BotAdapter } from './bot.js';
import type { Coordination } from './coordination.js';
import type { Policy } from './flow/index.js';
import type { TrustProxy } from './http/client-ip.js';
import type { RateLimit } from './rate-limit.js';
import type { AgentRoutingConfig } from './agents/matching.js';
import type { RoutingConfig } from './routing.js';
import type { WebhookEvent, WebhookOptions } from './webhooks/webhooks.js';
import type { Store } from './store.js';
import type { Secret } from './token.js';
import type { IdentitySecret } from './identity.js';
import type { RetentionOptions, RetentionRun, RetentionStats } from './privacy/retention.js';
import type { DataSubjects } from './privacy/dsr.js';
import type { StaffAccessOptions } from './staff-access.js';
import type { ReportPrivacyOptions } from './report-privacy.js';

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
   * New conversations per client IP (`POST /sessions` without a token; renewals do not count), a day-scale
   * bucket: a burst of 50, then 200 a day (`{ burst: 50, perSecond: 200 / 86_400 }`), so at most 250 a day
   * from one address. Raise it if many visitors share one address (a large office NAT); `false` disables.
   */
  sessionsPerIp?: RateLimit | false;
  /**
   * New conversations in total, across every instance on one coordination. Default `{ burst: 300,
   * perSecond: 30 }` (≈ 2.6 million a day); `false` disables.
   */
  sessions?: RateLimit | false;
  /**
   * Refused bearer tokens (401: invalid, expired, of a deleted conversation, or missing) per client IP. Past it
   * the answer is 429 instead of 401, so tokens cannot be guessed at full speed. Default `{ burst: 20,
   * perSecond: 0.5 }`; `false` disables.
   */
  invalidTokens?: RateLimit | false;
  /**
   * Bytes an SSE stream may queue for a reader that does not keep up (the socket said "full" and has not
   * drained); past this the stream is dropped and the client resumes with Last-Event-ID. Default 1 MiB.
   */
  streamBufferBytes?: number;
  /**
   * Open SSE streams (visitor and agent) one conversation may have, across every instance on one coordination.
   * A stream past it gets 429 with `Retry-After`. Default 5 (a visitor with a few tabs, plus the agent).
   */
  streamsPerConversation?: number;
  /** Open SSE streams one client IP may have (see `trustProxy`), across instances. Default 50. */
  streamsPerIp?: number;
  /**
   * Open SSE streams in total, across every instance on one coordination: keep it below what your instances'
   * file-descriptor limits (`ulimit -n`) add up to. Default 10 000.
   */
  streams?: number;
}

/** Options of `createTemperServer`. */
export interface TemperServerOptions {
  /**
   * HMAC key of session and agent tokens (≥ 32 bytes), or a rotation list `[{ kid, key }, …]`: the first entry
   * signs, every entry verifies (see the README's "Key rotation"). Keep it server-side.
   */
  secret: Secret;
  /**
   * Turns on identity verification of the host's signed-in customers: `POST /sessions` then accepts
   * `user: { id, hash }` when `hash` is the lowercase hex HMAC-SHA256 of `id` under this key (or under any key
   * of a `{ kid, key }[]` list, for rotation), and gives that customer their open conversation on any device.
   * A wrong hash gets 401 `identity-invalid`. Each key ≥ 32 bytes and different from `secret`. Without it,
   * every `user` is refused with `identity-invalid`. Compute hashes with `createIdentityHash`.
   */
  identitySecret?: IdentitySecret;
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
  /**
   * How long one bot answer may take. Past it the bot's `abortSignal` aborts, its typing indicator goes off, the
   * visitor is told (a system message) and the next message gets its turn. Default 10 000.
   */
  botTimeoutMs?: number;
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
  /** How long audit entries are kept. Default 30 days. Same as `retention.auditDays` (give one of them). */
  auditRetentionMs?: number;
  /**
   * Agent matching and emotional load (issue 14), merged over `DEFAULT_AGENT_ROUTING`: with `assign: 'auto'`
   * (the default) a queued chat goes to the best free agent whose token carries a `profile`; agents without a
   * profile keep claiming from the queue.
   */
  agents?: Partial<AgentRoutingConfig>;
  /**
   * Webhooks to the host (issue 14): conversation.queued / .claimed / .closed (and callback.requested,
   * report.created) POSTed to `url`, HMAC-signed, retried with backoff from the Store's outbox. Absent = none.
   */
  webhooks?: WebhookOptions;
  /**
   * Reply assist (issue 14): the host's library of suggested replies by scenario, en and zh (check a JSON file
   * with `toReplyLibrary`). Suggestions are offered from `fromLevel` (default 2). Absent = assist off.
   */
  assist?: { library: ReplyLibrary; fromLevel?: Level };
  /**
   * Scheduled reports (issue 14): after each UTC day / week / month, the routing and per-agent reports of the
   * period as JSON and CSV, to a folder or as a `report.created` webhook; made once across instances.
   */
  reports?: ReportOptions;
  /** Bot chats leave the supervisor board after this long without a visitor message. Default 30 minutes. */
  boardIdleMs?: number;
  /**
   * Visitor presence (issue 12): a queued chat whose visitor has had no event stream open for this long (they
   * closed the tab or went offline) leaves the line — it takes no place and counts in no one's wait — and
   * returns at its old place when the visitor comes back. Agents see it under "Visitor left". Default 120 000
   * (2 min: a reload or a walk through the shop's pages reconnects within seconds).
   */
  abandonAfterMs?: number;
  /**
   * Callback requests (issue 12): the promise told to a visitor who leaves an email or phone number while no
   * one is free ("a person will get back to you within N hours"). Default 24.
   */
  callbackWithinHours?: number;
  /**
   * Retention in code (issue 15): transcripts, signals and staff names deleted after their retention (days
   * since the conversation's last visitor message), audit entries kept `auditDays` and archived before they
   * are pruned. Defaults: transcripts 30, signals 7, staff names = transcripts, audit 30; swept hourly by one
   * instance at a time. See the README's "Retention".
   */
  retention?: RetentionOptions;
  /**
   * Staff access (issue 15): which transcripts supervisors and admins may read without holding the chat
   * (`supervisorsRead` / `adminsRead`: `'all'`, `'escalated'` — the default: never a bot-only chat — or
   * `'none'`), and what else to mask in text staff see (`mask: ['emails', 'phones']`; card numbers are always
   * masked). Every staff read of a transcript is audited as `transcript-read` whatever this says.
   */
  staffAccess?: StaffAccessOptions;
  /**
   * Report privacy (issue 15): exports (CSV, scheduled reports) show counts below `minCount` (default 5) as
   * `<5` and leave figures computed from so few conversations empty; time-to-person is aggregated per queue
   * unless `claimRows: true`; `perAgent: false` turns per-agent reports off (API, CSV, CSAT by agent, schedule).
   */
  reportPrivacy?: ReportPrivacyOptions;
}

/** Counters since start. `refused` counts error responses by code; `refusedByEndpoint` splits them by endpoint id. */
export interface TemperStats {
  requests: number;
  refused: Partial<Record<ErrorCode, number>>;
  refusedByEndpoint: Record<string, Partial<Record<ErrorCode, number>>>;
  openStreams: number;
  botErrors: number;
  /** Bot replies this instance answered for an instance that died or shut down mid-answer (owed replies). */
  botRecovered: number;
  /** Routing decisions taken (each is also in the audit log). */
  decisions: number;
  /** Webhooks (issue 14) this instance delivered, attempts that failed, and events dropped after the last attempt. */
  webhooksSent: number;
  webhooksFailed: number;
  webhooksDropped: number;
  /** Retention sweeps (issue 15) of this instance and what they deleted. */
  retention: RetentionStats;
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
  /**
   * Issue 14: puts an event into the webhook outbox (no-op without `webhooks`, or for a type not in
   * `webhooks.events`); `key` is its idempotency key (default: derived from type, data and time).
   */
  emitWebhook(type: WebhookEvent, data: Record<string, unknown>, key?: string): Promise<boolean>;
  /**
   * Issue 15: runs one retention sweep now (the timer runs one every `retention.sweepMs`); `skipped` when
   * another instance is sweeping. Rejects when the sweep failed (nothing is lost: the next one retries).
   */
  runRetention(): Promise<RetentionRun>;
  /** Issue 15: data-subject requests — find, export (JSON), erase with the audit anonymised. See the README's "Data-subject requests". */
  readonly dataSubjects: DataSubjects;
  /** Ends SSE streams and timers, waits for bot calls in flight; closes the store and coordination only if it created them. */
  close(): Promise<void>;
}
