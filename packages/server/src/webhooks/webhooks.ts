// Webhooks to the host: events about conversations (never message text) go into the Store's outbox first and
// are delivered from there by whichever instance leases them — signed with HMAC-SHA256, retried with
// exponential backoff, each with one idempotency key for all its attempts — so a host can mirror chats into its
// own helpdesk. Delivery is at least once: a deliverer that dies mid-request leaves its lease to lapse and
// another instance sends the event again with the same key; receivers dedupe by `Idempotency-Key`.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AuditEntry, Store, WebhookDelivery } from '../store.js';
import { staffValue } from '../staff-access.js';

/** Webhooks mask card numbers only: emails and phone patterns would also hit dates and ids in reports. */
const CARDS_ONLY = { emails: false, phones: false } as const;

/**
 * The event types a host can receive.
 *
 * @example
 * createTemperServer({ secret, webhooks: { url, secret: hookSecret, events: ['conversation.claimed'] } });
 */
export const WEBHOOK_EVENTS = ['conversation.queued', 'conversation.claimed', 'conversation.closed', 'callback.requested', 'report.created'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Options of `createTemperServer({ webhooks })`. */
export interface WebhookOptions {
  /** Where to POST events (http or https). */
  url: string;
  /** HMAC-SHA256 key of the `Temper-Signature` header (≥ 32 bytes); share it with the receiver only. */
  secret: string | Uint8Array;
  /** Which events to send. Default all of `WEBHOOK_EVENTS`. */
  events?: readonly WebhookEvent[];
  /** Attempts before an event is dropped (logged as an error). Default 10. */
  maxAttempts?: number;
  /** Delay before the first retry; doubles per attempt, up to `maxBackoffMs`, plus up to 20 % jitter. Default 1000. */
  backoffMs?: number;
  /** Longest delay between attempts. Default 15 minutes. */
  maxBackoffMs?: number;
  /** One attempt's time limit. Default 10 000. */
  timeoutMs?: number;
  /** How often every instance looks for due deliveries. Default 1000. */
  pollMs?: number;
}

/** The JSON body every webhook request carries. */
export interface WebhookBody {
  /** Idempotency key: the same on every attempt of this event (also the `Idempotency-Key` header). */
  id: string;
  type: WebhookEvent;
  /** Unix ms of the event. */
  createdAt: number;
  data: Record<string, unknown>;
}

const SIG_HEADER = 'temper-signature';

/**
 * The `Temper-Signature` header value for `body` at time `t` (Unix ms): `t=<t>,v1=<hex HMAC-SHA256 of "t.body">`.
 *
 * @example
 * const header = signWebhook(secret, JSON.stringify(body), Date.now());
 */
export function signWebhook(secret: string | Uint8Array, body: string, t: number): string {
  const mac = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${mac}`;
}

/**
 * Checks a webhook request as the receiver sees it: the raw body (exactly as received), its
 * `Temper-Signature` header, and a tolerance against replays. True when genuine and fresh.
 *
 * @example
 * if (!verifyWebhook(secret, rawBody, req.headers['temper-signature'])) return res.writeHead(401).end();
 */
export function verifyWebhook(
  secret: string | Uint8Array,
  body: string,
  header: string | string[] | undefined,
  options: { toleranceMs?: number; now?: number } = {},
): boolean {
  if (typeof header !== 'string') return false;
  const m = /^t=(\d{1,16}),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  const t = Number(m[1]);
  if (Math.abs((options.now ?? Date.now()) - t) > (options.toleranceMs ?? 5 * 60_000)) return false;
  const want = Buffer.from(signWebhook(secret, body, t).slice(-64), 'hex');
  return timingSafeEqual(want, Buffer.from(m[2]!, 'hex'));
}

export interface WebhookDeps {
  store: Store;
  now: () => number;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
  counters: { webhooksSent: number; webhooksFailed: number; webhooksDropped: number };
}

export interface Webhooks {
  /** Puts an event into the outbox (resolves false when this event was enqueued before: same key). */
  emit(type: WebhookEvent, data: Record<string, unknown>, at?: number, key?: string): Promise<boolean>;
  /** The audit hook: conversation events from the audit log as it is written. */
  fromAudit(entry: AuditEntry): void;
  /** Delivers what is due now (the poll timer calls it; tests may too). */
  pump(): Promise<void>;
  close(): Promise<void>;
}

/** Validates the options once at start. */
export function checkWebhookOptions(o: WebhookOptions): Required<Omit<WebhookOptions, 'secret' | 'url' | 'events'>> & { url: URL; secret: string | Uint8Array; events: Set<WebhookEvent> } {
  const what = 'createTemperServer: webhooks';
  let url: URL;
  try {
    url = new URL(o.url);
  } catch {
    throw new TypeError(`${what}.url must be an absolute http(s) URL, got ${JSON.stringify(o.url)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`${what}.url must be http or https`);
  const len = typeof o.secret === 'string' ? Buffer.byteLength(o.secret) : o.secret?.byteLength;
  if (!(typeof len === 'number' && len >= 32)) throw new RangeError(`${what}.secret must be at least 32 bytes`);
  for (const e of o.events ?? []) if (!WEBHOOK_EVENTS.includes(e)) throw new RangeError(`${what}.events: ${String(e)} is not one of ${WEBHOOK_EVENTS.join(', ')}`);
  const pos = (v: number | undefined, d: number, name: string) => {
    const n = v ?? d;
    if (!(n > 0) || !Number.isFinite(n)) throw new RangeError(`${what}.${name} must be a positive number, got ${String(v)}`);
    return n;
  };
  return {
    url,
    secret: o.secret,
    events: new Set(o.events ?? WEBHOOK_EVENTS),
    maxAttempts: Math.floor(pos(o.maxAttempts, 10, 'maxAttempts')),
    backoffMs: pos(o.backoffMs, 1000, 'backoffMs'),
    maxBackoffMs: pos(o.maxBackoffMs, 15 * 60_000, 'maxBackoffMs'),
    timeoutMs: pos(o.timeoutMs, 10_000, 'timeoutMs'),
    pollMs: pos(o.pollMs, 1000, 'pollMs'),
  };
}

// Keyed by string: `callback-requested` is the audit action of the callback capture (issue 12, h-srv12).
const AUDIT_EVENTS: Readonly<Record<string, WebhookEvent>> = {
  'callback-requested': 'callback.requested',
  queued: 'conversation.queued',
  claimed: 'conversation.claimed',
  'taken-over': 'conversation.claimed',
  closed: 'conversation.closed',
};

const BATCH = 20;

export function createWebhooks(options: WebhookOptions, d: WebhookDeps): Webhooks {
  const o = checkWebhookOptions(options);
  const { store, now, log } = d;
  const inflight = new Set<Promise<void>>();
  const aborts = new AbortController();
  let closed = false;
  let pumping: Promise<void> | null = null;
  let kick = false;
  // A lease outlives one attempt by a margin, so a slow but live attempt is not sent twice.
  const leaseMs = o.timeoutMs + Math.min(5_000, o.timeoutMs);

  const keyOf = (parts: readonly unknown[]) => `wh_${createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 32)}`;

  async function emit(type: WebhookEvent, data: Record<string, unknown>, at = now(), key?: string): Promise<boolean> {
    if (!o.events.has(type) || closed) return false;
    const id = key ?? keyOf([type, data, at]);
    // Staff access (issue 15): no full card number leaves in a webhook, whoever emitted the data.
    const body: WebhookBody = { id, type, createdAt: at, data: staffValue(data, CARDS_ONLY) };
    const ok = await store.enqueueWebhook({ id, type, body: JSON.stringify(body), createdAt: at, dueAt: now(), attempts: 0 });
    if (ok) soon();
    return ok;
  }

  function soon(): void {
    if (kick || closed) return;
    kick = true;
    setImmediate(() => {
      kick = false;
      void pump();
    });
  }

  function backoff(attempts: number): number {
    const base = Math.min(o.maxBackoffMs, o.backoffMs * 2 ** (attempts - 1));
    return Math.round(base * (1 + Math.random() * 0.2));
  }

  async function deliver(w: WebhookDelivery): Promise<void> {
    const attempt = w.attempts + 1;
    let error: string | null = null;
    const ac = new AbortController();
    const onClose = () => ac.abort();
    aborts.signal.addEventListener('abort', onClose, { once: true });
    const timer = setTimeout(() => ac.abort(new Error(`timed out after ${o.timeoutMs} ms`)), o.timeoutMs);
    try {
      const res = await fetch(o.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'temper-webhooks/1',
          'temper-event': w.type,
          'idempotency-key': w.id,
          'temper-attempt': String(attempt),
          // Wall-clock time, not the injectable `now`: the receiver checks freshness against its own clock.
          [SIG_HEADER]: signWebhook(o.secret, w.body, Date.now()),
        },
        body: w.body,
        redirect: 'manual',
        signal: ac.signal,
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status < 200 || res.status > 299) error = `HTTP ${res.status}`;
    } catch (e) {
      // Shutting down: the lease lapses and another instance (or this one after a restart) sends it again.
      if (aborts.signal.aborted) return;
      error = ac.signal.aborted ? String((ac.signal.reason as Error)?.message ?? 'timed out') : e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
    } finally {
      clearTimeout(timer);
      aborts.signal.removeEventListener('abort', onClose);
    }
    if (error === null) {
      await store.completeWebhook(w.id);
      d.counters.webhooksSent++;
      return;
    }
    d.counters.webhooksFailed++;
    if (attempt >= o.maxAttempts) {
      d.counters.webhooksDropped++;
      log('error', 'webhook dropped after its last attempt', { id: w.id, type: w.type, attempts: attempt, error });
      await store.completeWebhook(w.id);
      return;
    }
    log('warn', 'webhook attempt failed; retrying', { id: w.id, type: w.type, attempt, error });
    await store.retryWebhook({ ...w, attempts: attempt, lastError: error.slice(0, 200), dueAt: now() + backoff(attempt) });
  }

  async function pumpOnce(): Promise<void> {
    for (;;) {
      if (closed) return;
      const due = await store.leaseWebhooks(now(), leaseMs, BATCH);
      if (due.length === 0) return;
      await Promise.all(
        due.map((w) => {
          const p = deliver(w).catch((e: unknown) => log('error', 'webhook delivery failed', { id: w.id, error: String(e) }));
          inflight.add(p);
          return p.finally(() => inflight.delete(p));
        }),
      );
      if (due.length < BATCH) return;
    }
  }

  function pump(): Promise<void> {
    return (pumping ??= pumpOnce()
      .catch((e: unknown) => log('warn', 'webhook outbox unavailable', { error: e instanceof Error ? e.message : String(e) }))
      .finally(() => {
        pumping = null;
      }));
  }

  const timer = setInterval(() => void pump(), o.pollMs);
  timer.unref();

  return {
    emit,
    pump,
    fromAudit(entry) {
      const type = AUDIT_EVENTS[entry.action];
      if (!type || !o.events.has(type)) return;
      const data: Record<string, unknown> = {
        conversationId: entry.conversationId,
        level: entry.level,
        trend: entry.trend,
        reasons: entry.reasons,
        ...(entry.queue !== undefined ? { queue: entry.queue } : {}),
        ...(entry.priority !== undefined ? { priority: entry.priority } : {}),
        ...(entry.agentId !== undefined ? { agentId: entry.agentId } : {}),
        ...(entry.waitMs !== undefined ? { waitMs: entry.waitMs } : {}),
        ...(entry.matchReasons !== undefined ? { matchReasons: entry.matchReasons } : {}),
        ...(entry.action === 'taken-over' ? { takenOver: true } : {}),
      };
      // The key is derived from the audit entry, so the same event enqueued twice is sent once.
      const p = emit(type, data, entry.at, keyOf([type, entry.conversationId, entry.at, entry.agentId ?? null])).then(
        () => undefined,
        (e: unknown) => log('error', 'webhook enqueue failed', { type, error: e instanceof Error ? e.message : String(e) }),
      );
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    },
    async close() {
      closed = true;
      clearInterval(timer);
      aborts.abort();
      await Promise.allSettled([...inflight]);
      await pumping;
    },
  };
}
