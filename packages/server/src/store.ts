// The storage contract of @temper/server. Every method is async and every write that must be atomic is one
// call, so that a Redis implementation can map each method onto one command or one Lua script (INCR + XADD
// for the event log, HSETNX for idempotent appends, a compare-and-set script for signal seqs) and several
// server instances behind a load balancer can share conversations and resume each other's SSE streams.
import type { HandoffState, Level, Locale, MessageEvent, RatingScore, ServerEvent, Trend } from '@temper/protocol';
import type { AgentProfile } from './agents/profile.js';
import type { AgentRole } from './token.js';
import { randomBytes } from 'node:crypto';

/** One event of a conversation's ordered, append-only log. `id` is 1, 2, 3… per conversation. */
export interface StoredEvent {
  /** Conversation-local integer id, strictly increasing without gaps; the SSE `id:` line. */
  readonly id: number;
  readonly event: ServerEvent;
}

/** What the server keeps about one conversation besides its event log. Never holds message text. */
export interface ConversationRecord {
  readonly id: string;
  /** Unix ms. */
  readonly createdAt: number;
  locale?: Locale;
  /** Who answers the visitor now. */
  state: HandoffState;
  /** Unix ms of the last visitor message, for waiting times and retention. */
  lastVisitorAt?: number;
  /** Free-form, JSON-serialisable fields the routing layer keeps (route, tone, queue, agent…). */
  meta: Record<string, unknown>;
  /**
   * The host's opaque id of the verified customer this conversation belongs to (identity verification), set
   * when the conversation is created and never changed; absent for anonymous visitors.
   */
  readonly userId?: string;
}

/** The latest minimized signal of a conversation plus a bounded history (oldest first). */
export interface SignalState {
  seq: number;
  level: Level;
  trend: Trend;
  /** Unix ms when the server accepted it. */
  at: number;
  history: Array<{ seq: number; level: Level; trend: Trend; at: number }>;
}

/** Result of `Store.appendVisitorMessage`. */
export type VisitorAppend =
  | { readonly duplicate: false; readonly stored: StoredEvent }
  | { readonly duplicate: true; readonly stored: StoredEvent | null };

/** Result of `Store.recordSignal`: `stale` when `seq` is not above the last accepted one. */
export type SignalWrite =
  | { readonly ok: true; readonly state: SignalState }
  | { readonly ok: false; readonly reason: 'stale'; readonly lastSeq: number }
  | { readonly ok: false; readonly reason: 'not-found' };

/** Result of `Store.transition`: the record after the change, or why it did not happen. */
export type Transition =
  | { readonly ok: true; readonly record: ConversationRecord }
  | { readonly ok: false; readonly record: ConversationRecord | null };

/** A bot reply owed to a visitor (see `Store.markBotOwed`). */
export interface BotOwed {
  readonly conversationId: string;
  /** Event id of the visitor message the bot must answer (the latest one, when several are owed). */
  readonly afterEventId: number;
  /** Unix ms of the latest `markBotOwed` for this conversation. */
  readonly at: number;
}

/** An agent's presence as the agent API last saw it. */
export interface AgentPresence {
  agentId: string;
  name: string;
  role: AgentRole;
  status: 'online' | 'offline';
  /** Unix ms of the agent's last request or stream heartbeat. */
  lastSeen: number;
  /** Agent matching (issue 14): the profile from the agent's token; stored as given (JSON), absent = pull only. */
  profile?: AgentProfile;
}

/** One audit record: what was decided and why. By construction it has no field that could hold message text. */
export interface AuditEntry {
  /** Unix ms. */
  at: number;
  /** The conversation, or a random pseudonym after the conversation was deleted. */
  conversationId: string;
  /**
   * `abandoned` (issue 12): a queued chat left the line because its visitor was away; `callback-requested`
   * (issue 12): the visitor left a contact to be called back (the contact itself is never in the audit log).
   * Agents and supervisors (issue 14): `replied` an agent's first reply after a claim, `assist-used` a reply
   * suggestion used (its scenario in `reasons`), `labeled` an agent's upset / not-upset label (in `reasons`),
   * `taken-over` a supervisor's take-over.
   */
  action:
    | 'opened'
    | 'decision'
    | 'queued'
    | 'claimed'
    | 'released'
    | 'closed'
    | 'deleted'
    | 'abandoned'
    | 'callback-requested'
    | 'replied'
    | 'assist-used'
    | 'labeled'
    | 'taken-over'
    // Staff access (issue 15): a staff member read a transcript (who, when, which conversation, how; never text).
    | 'transcript-read';
  /** What caused a decision. */
  trigger?: 'message' | 'signal' | 'bot-reply' | 'agents-changed' | 'reopened';
  route?: 'bot' | 'human';
  tone?: 'neutral' | 'careful';
  priority?: number;
  queue?: string;
  state?: HandoffState;
  level: Level | null;
  trend: Trend | null;
  reasons: string[];
  agentId?: string;
  /** For `claimed`: ms from first queued to claimed (time to a person); for `replied`: ms from claim to first reply. */
  waitMs?: number;
  /** Agent matching (issue 14), for `claimed` by the router: why this agent (`MATCH_REASONS` codes). */
  matchReasons?: string[];
  // --- Staff access (issue 15, finding 7) ---
  /** For `transcript-read`: the reader's role when they read it (with `agentId`, who). */
  role?: AgentRole;
  /** For `transcript-read`: what was read (`STAFF_READS`), never the text itself. */
  read?: StaffRead;
  // Privacy go-live (issue 15): an entry of an erased visitor's conversation (`Store.anonymiseAudit`).
  /** The entry was anonymised: its id is its own random `anon-…` (shared with no other entry), `at` is rounded down to the hour. */
  anonymous?: true;
  /** On an anonymised entry: the first `decision` / first `queued` of its conversation, so reports still count that conversation (and its handoff) once. */
  first?: true;
}

/**
 * Staff access (issue 15): the ways staff read a transcript, each one audited as `transcript-read` with `read`
 * set: `conversation` = `GET /agent/conversations/:id` (the console opening a chat), `events` = its live event
 * stream, `transcript-export` = `GET /agent/conversations/:id/transcript`, `feedback-export` = the chat's
 * visitor messages in `GET /agent/feedback.jsonl` (one entry per exported chat), `data-subject-export` = an
 * admin's `GET /agent/privacy/conversations/:id/export` (a data-subject request).
 *
 * @example
 * const reads = (await store.readAudit({ conversationId })).filter((e) => e.action === 'transcript-read');
 */
export const STAFF_READS = ['conversation', 'events', 'transcript-export', 'feedback-export', 'data-subject-export'] as const;
export type StaffRead = (typeof STAFF_READS)[number];

/** Filter of `Store.readAudit`; bounds are Unix ms, `to` exclusive. */
export interface AuditQuery {
  from?: number;
  to?: number;
  conversationId?: string;
  limit?: number;
}

/** Called with every event appended to a conversation after `subscribe` resolved. */
export type EventListener = (stored: StoredEvent) => void;

/**
 * Storage for conversations, their ordered event logs, signal state and live fan-out. The in-memory
 * implementation is `createMemoryStore()`; implement this interface to share state between instances.
 * Records and signal states a Store returns may be frozen and shared between callers (the memory store does
 * that instead of copying): treat them as read-only. Whatever a caller passed in or got back, changing it must
 * never change stored state — copy or freeze (the conformance suite checks it).
 *
 * @example
 * const store: Store = createMemoryStore();
 * await store.createConversation({ id: 'c1', createdAt: Date.now(), state: 'bot', meta: {} });
 * const e = await store.appendEvent('c1', { type: 'typing', from: 'bot', active: true });
 * console.log(e.id); // 1
 */
export interface Store {
  /** Stores a new conversation record. Rejects if the id exists. */
  createConversation(record: ConversationRecord): Promise<void>;
  /** The record, or `null` when unknown or deleted. */
  getConversation(id: string): Promise<ConversationRecord | null>;
  /**
   * Applies `patch` to the record atomically (for Redis: WATCH/MULTI or a script) and returns the result, or
   * `null` when the conversation does not exist. `meta` is merged one level deep.
   */
  updateConversation(
    id: string,
    patch: Partial<Omit<ConversationRecord, 'id' | 'createdAt' | 'meta' | 'userId'>> & { meta?: Record<string, unknown> },
  ): Promise<ConversationRecord | null>;
  /** Removes the conversation, its event log, signals and idempotency keys; ends live subscriptions. */
  deleteConversation(id: string): Promise<boolean>;
  /** Lists conversation ids (for retention sweeps and reports). */
  listConversations(): Promise<string[]>;

  /** Appends an event with the next integer id and publishes it to subscribers. Rejects for an unknown id. */
  appendEvent(conversationId: string, event: ServerEvent): Promise<StoredEvent>;
  /**
   * Appends a visitor message unless one with the same `message.clientId` is already stored, atomically (two
   * concurrent retries store it once). A duplicate returns the stored event when it is still in the log.
   */
  appendVisitorMessage(
    conversationId: string,
    message: MessageEvent & { clientId: string },
  ): Promise<VisitorAppend>;
  /** Events with `id > afterId`, oldest first, at most `limit` of them. */
  readEvents(conversationId: string, afterId: number, limit?: number): Promise<StoredEvent[]>;
  /**
   * Calls `listener` for every event appended from now on. Resolves once the subscription is live, with a
   * function that ends it. Read missed events with `readEvents` after subscribing, then skip ids already seen.
   */
  subscribe(conversationId: string, listener: EventListener): Promise<() => void>;

  /** Accepts a signal only if `seq` is above the last accepted one (compare-and-set). */
  recordSignal(
    conversationId: string,
    signal: { seq: number; level: Level; trend: Trend; at: number },
  ): Promise<SignalWrite>;
  /** Latest signal state, or `null` when none was accepted yet. */
  getSignalState(conversationId: string): Promise<SignalState | null>;

  /**
   * Compare-and-set on `state`: applies `patch` only if the current state is one of `from`. This is what makes
   * claims atomic (two agents claiming at once: exactly one sees `ok: true`).
   */
  transition(
    id: string,
    from: readonly HandoffState[],
    patch: Partial<Omit<ConversationRecord, 'id' | 'createdAt' | 'meta' | 'userId'>> & { meta?: Record<string, unknown> },
  ): Promise<Transition>;
  /** Conversations currently in `state` (an index, not a scan, in a real store). */
  listByState(state: HandoffState): Promise<ConversationRecord[]>;
  /**
   * Conversations in state `'bot'` whose `meta.wantsHuman` is `true`: visitors who want a person that no one
   * could take yet. The server re-evaluates exactly these (plus the queue) whenever agents come or go, so this
   * must be an index kept up to date by every write (`createConversation`, `updateConversation`, `transition`,
   * `deleteConversation`), never a scan of `listByState('bot')` — with 200k conversations that scan stalled the
   * whole server for seconds. `meta.wantsHuman` is the one meta field a Store has to read.
   */
  listWantingHuman(): Promise<ConversationRecord[]>;

  /**
   * The id of the conversation bound to a verified customer (cross-device continuity), or `null`. It may name
   * a conversation that no longer exists (expired): callers check. A Redis store keeps the binding at most as
   * long as a conversation (its idle TTL, refreshed by `setUserConversation`).
   */
  getUserConversation(userId: string): Promise<string | null>;
  /**
   * Binds `userId` to `conversationId` (replacing any earlier binding) and refreshes its lifetime. The server
   * calls it under the Coordination lock of that user, so two devices never bind two conversations at once.
   * `deleteConversation` removes the binding when it points to the deleted conversation.
   */
  setUserConversation(userId: string, conversationId: string): Promise<void>;
  /**
   * Records durably that the bot owes the visitor a reply to event `afterEventId` (one marker per conversation:
   * a later mark raises `afterEventId` and `at`, a lower id never lowers it). The server marks right after
   * storing a visitor message the bot will answer and clears when the reply (or the bot's failure notice) is
   * stored, so an instance that dies mid-answer leaves the marker for another instance to find with
   * `listBotOwed`. Resolves false (nothing recorded) for an unknown conversation. `deleteConversation` drops it.
   */
  markBotOwed(conversationId: string, afterEventId: number, at: number): Promise<boolean>;
  /** The owed reply of one conversation, or `null`. */
  getBotOwed(conversationId: string): Promise<BotOwed | null>;
  /**
   * Clears the marker if its `afterEventId` is at most `upToEventId` (compare-and-delete: answering an older
   * message does not clear a newer one's). Resolves true when it cleared.
   */
  clearBotOwed(conversationId: string, upToEventId: number): Promise<boolean>;
  /** Owed replies marked before `olderThan` (Unix ms), oldest first, at most `limit` (default 100). An index. */
  listBotOwed(olderThan: number, limit?: number): Promise<BotOwed[]>;
  /** Stores an agent's presence (upsert by `agentId`). */
  setAgentPresence(presence: AgentPresence): Promise<void>;
  listAgents(): Promise<AgentPresence[]>;

  /** Appends to the decision audit log (time-ordered). */
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Entries matching `query`, oldest first. */
  readAudit(query?: AuditQuery): Promise<AuditEntry[]>;
  /** Drops entries older than `before` (retention); returns how many. */
  pruneAudit(before: number): Promise<number>;
  /** Replaces a conversation's id in the audit log by `pseudonym` (after the conversation is deleted). */
  redactAudit(conversationId: string, pseudonym: string): Promise<void>;

  /** Releases resources (connections, timers). */
  close(): Promise<void>;

  // --- Messenger basics (issue 12): CSAT ratings and a verified customer's past conversations ---
  /**
   * Stores the visitor's rating of a conversation, replacing an earlier one (one rating per conversation; the
   * time index moves to the new `at`). Resolves false (nothing stored) for an unknown conversation. The rating
   * lives as long as its conversation: `deleteConversation` (and expiry) drops it.
   */
  setRating(conversationId: string, rating: Rating): Promise<boolean>;
  /** The conversation's rating, or `null`. */
  getRating(conversationId: string): Promise<Rating | null>;
  /** Ratings whose `at` is in `[from, to)`, oldest first, at most `limit`. A time index, not a scan of conversations. */
  listRatings(query?: RatingQuery): Promise<RatedConversation[]>;
  /**
   * Ids of the conversations ever bound to `userId` by `setUserConversation` (which records each binding here
   * too), most recently bound first, without repeats, at most `limit` (default 20; a store keeps at least the
   * latest 50). Ids of conversations that no longer exist may be listed (or already dropped): callers check.
   * `deleteConversation` removes the id from its customer's list.
   */
  listUserConversations(userId: string, limit?: number): Promise<string[]>;

  // ---- Agents and supervisors (issue 14) ----

  /**
   * Webhooks to the host: stores a delivery in the shared outbox, due at `delivery.dueAt`. Idempotent by `id`
   * (the idempotency key the host sees): a second enqueue of the same id changes nothing and resolves false.
   */
  enqueueWebhook(delivery: WebhookDelivery): Promise<boolean>;
  /**
   * Leases up to `limit` deliveries due at `now`, earliest due first: each becomes due again at `now + leaseMs`
   * (so a deliverer that dies mid-request leaves it for any instance to retry), atomically, so two instances
   * never lease the same delivery at once. The returned records carry their stored `attempts` and `lastError`.
   */
  leaseWebhooks(now: number, leaseMs: number, limit: number): Promise<WebhookDelivery[]>;
  /**
   * Replaces a leased delivery after a failed attempt (new `dueAt`, `attempts`, `lastError`); resolves false
   * when it is no longer in the outbox (completed meanwhile), and stores nothing then.
   */
  retryWebhook(delivery: WebhookDelivery): Promise<boolean>;
  /** Removes a delivery (delivered, or given up); resolves whether it was there. */
  completeWebhook(id: string): Promise<boolean>;
  /** Deliveries in the outbox, earliest due first, at most `limit` (default 100): for stats and tests. */
  listWebhooks(limit?: number): Promise<WebhookDelivery[]>;

  /**
   * Supervisor notes: appends a note only staff see to a conversation. Rejects for an unknown conversation.
   * `deleteConversation` removes its notes; they expire with the conversation.
   */
  addStaffNote(conversationId: string, note: StaffNote): Promise<void>;
  /** The conversation's staff notes, oldest first (empty for an unknown conversation). */
  listStaffNotes(conversationId: string): Promise<StaffNote[]>;

  // ---- Privacy go-live (issue 15): retention and data-subject requests ----

  /**
   * Retention: conversations whose last visitor message (`lastVisitorAt`, or `createdAt` when the visitor
   * never wrote) is before `query.before` and at or after `query.from`, least recently active first, at most
   * `limit` (default 100). An index kept by `createConversation`, `updateConversation`, `transition` and
   * `deleteConversation` (Redis: a sorted set), re-checked against the record, so a returned record always
   * satisfies the query.
   */
  listInactive(query: InactiveQuery): Promise<ConversationRecord[]>;
  /**
   * Retention: drops the conversation's signal history (`getSignalState` then answers `null`); the last
   * accepted seq is kept, so a replayed old signal is still refused as stale. Resolves false for an unknown
   * conversation.
   */
  clearSignals(conversationId: string): Promise<boolean>;
  /**
   * Retention: removes staff names from a conversation with `redactStaffNamesIn` — `name` of its agent
   * messages and agent handoff events, those names (and `names`) inside system messages ("Mei joined"), `name`
   * of its staff notes (set to `''`), `agentName` of its rating — and resolves how many it changed (0 for an
   * unknown conversation). Events keep their ids. The record's `meta` is the caller's to change.
   */
  redactStaffNames(conversationId: string, names?: readonly string[]): Promise<number>;
  /**
   * Data-subject erasure: anonymises every audit entry of `conversationId` with `anonymiseAuditEntry` — each
   * gets its own random id, its time rounded down to the hour, and loses levels, reasons, agent ids and
   * everything else that could tie it to the visitor (see `anonymiseAuditEntry`). Resolves how many entries.
   * Unlike `redactAudit`, no two entries share an id afterwards.
   */
  anonymiseAudit(conversationId: string): Promise<number>;
}

/** What a staff name becomes inside a system message after `redactStaffNames` (issue 15). */
export const REDACTED_NAME = '•••';

/**
 * Issue 15: the events of a conversation with staff names removed (both stores use it): `name` dropped from
 * agent messages and agent handoffs, and every such name (plus `extra`, e.g. the record's agent names) of two
 * or more characters replaced by `REDACTED_NAME` in system message texts. Returns the changed events by index.
 *
 * @example
 * redactStaffNamesIn([{ type: 'message', id: 'a', from: 'agent', text: 'hi', at: 1, name: 'Mei' }], []);
 * // Map { 0 => { type: 'message', id: 'a', from: 'agent', text: 'hi', at: 1 } }
 */
export function redactStaffNamesIn(events: readonly ServerEvent[], extra: readonly string[] = []): Map<number, ServerEvent> {
  const names = new Set(extra.filter((x) => typeof x === 'string' && x.length >= 2));
  for (const e of events) if ((e.type === 'message' && e.from === 'agent') || (e.type === 'handoff' && e.state === 'agent')) if (e.name && e.name.length >= 2) names.add(e.name);
  const sorted = [...names].sort((a, b) => b.length - a.length);
  const out = new Map<number, ServerEvent>();
  events.forEach((e, i) => {
    if (((e.type === 'message' && e.from === 'agent') || (e.type === 'handoff' && e.state === 'agent')) && e.name !== undefined) {
      const { name: _n, ...rest } = e;
      out.set(i, rest as ServerEvent);
    } else if (e.type === 'message' && e.from === 'system' && sorted.some((x) => e.text.includes(x))) {
      let text = e.text;
      for (const x of sorted) text = text.split(x).join(REDACTED_NAME);
      out.set(i, { ...e, text });
    }
  });
  return out;
}

/** Filter of `Store.listInactive` (issue 15); bounds are Unix ms, `before` exclusive. */
export interface InactiveQuery {
  before: number;
  from?: number;
  limit?: number;
}

/**
 * When a conversation was last active for retention (issue 15): its last visitor message, else its creation.
 *
 * @example
 * activeAt({ createdAt: 1000, lastVisitorAt: 5000 }); // 5000
 */
export const activeAt = (r: Pick<ConversationRecord, 'createdAt' | 'lastVisitorAt'>): number => Math.max(r.createdAt, r.lastVisitorAt ?? 0);

const HOUR = 3_600_000;

/**
 * Issue 15: the anonymous form of an audit entry (both stores use it, so they agree). Kept: the action, what
 * triggered it, the route and state, the queue name, the wait (to the second) — the fields the routing report
 * adds up — and, for a staff `transcript-read`, what kind of read and the reader's role (not who); `first` marks the first `decision` / `queued` of the conversation when `first` says so, so the report
 * still counts the conversation and its handoff once. Dropped: the conversation id (a fresh random `anon-…`
 * per entry, never shared), the exact time (rounded down to the hour, which keeps every hour, day, week and
 * month bucket), level and trend (`null`), reasons (`[]`), tone and priority (they follow from the level),
 * agent ids and match reasons (no staff member tied to the visitor).
 *
 * @example
 * anonymiseAuditEntry({ at: 1_700_000_123_456, conversationId: 'c1', action: 'claimed', agentId: 'sam', level: 3, trend: 1, reasons: ['level-high'], waitMs: 61_234 }, false);
 * // { at: 1_699_999_200_000, conversationId: 'anon-…', action: 'claimed', level: null, trend: null, reasons: [], waitMs: 61_000, anonymous: true }
 */
export function anonymiseAuditEntry(entry: AuditEntry, first: boolean): AuditEntry {
  const out: AuditEntry = {
    at: Math.floor(entry.at / HOUR) * HOUR,
    conversationId: `anon-${randomBytes(12).toString('base64url')}`,
    action: entry.action,
    level: null,
    trend: null,
    reasons: [],
    anonymous: true,
  };
  if (entry.trigger !== undefined) out.trigger = entry.trigger;
  if (entry.route !== undefined) out.route = entry.route;
  if (entry.state !== undefined) out.state = entry.state;
  if (entry.queue !== undefined) out.queue = entry.queue;
  if (entry.waitMs !== undefined) out.waitMs = Math.round(entry.waitMs / 1000) * 1000;
  // A staff read (issue 15, finding 7) keeps what kind of read and the reader's role, never who.
  if (entry.read !== undefined) out.read = entry.read;
  if (entry.role !== undefined) out.role = entry.role;
  if (first && (entry.action === 'decision' || entry.action === 'queued')) out.first = true;
  return out;
}

/**
 * Issue 15: anonymises one conversation's audit entries (oldest first, as `readAudit` returns them) with
 * `anonymiseAuditEntry`, marking its first `decision` and first `queued` — how both stores do it.
 *
 * @example
 * const anon = anonymiseConversationAudit(await store.readAudit({ conversationId: 'c1' }));
 */
export function anonymiseConversationAudit(entries: readonly AuditEntry[]): AuditEntry[] {
  const seen = new Set<string>();
  return entries.map((e) => {
    const first = !e.anonymous && !seen.has(e.action);
    seen.add(e.action);
    return anonymiseAuditEntry(e, first);
  });
}


// --- Messenger basics (issue 12) ---
/** A visitor's rating of a closed conversation (`POST /rating`), with who was answering when it closed. */
export interface Rating {
  score: RatingScore;
  /** What the visitor wrote with the rating (their text: staff-only, dropped with the conversation). */
  comment?: string;
  /** Unix ms when it was given. */
  at: number;
  /** The conversation's route when it closed: the bot, or a person. */
  route: 'bot' | 'human';
  /** The agent who last held the chat, when a person answered it. */
  agentId?: string;
  agentName?: string;
}

/** A rating and the conversation it belongs to (`Store.listRatings`). */
export interface RatedConversation extends Rating {
  conversationId: string;
}

/** Filter of `Store.listRatings`; bounds are Unix ms, `to` exclusive. */
export interface RatingQuery {
  from?: number;
  to?: number;
  limit?: number;
}


/** One webhook delivery in the outbox (issue 14). `body` is the exact JSON the host receives. */
export interface WebhookDelivery {
  /** Idempotency key: the same for every attempt (`Idempotency-Key` header, `id` in the body). 1–64 of [A-Za-z0-9_-]. */
  readonly id: string;
  /** Event type, e.g. `conversation.claimed`. */
  readonly type: string;
  /** The JSON body, signed as is. */
  readonly body: string;
  /** Unix ms when it was first enqueued. */
  readonly createdAt: number;
  /** Unix ms when it is due next. */
  dueAt: number;
  /** Attempts made so far. */
  attempts: number;
  lastError?: string;
}

/** A staff-only note on a conversation (issue 14). Never shown to the visitor, never sent to the widget. */
export interface StaffNote {
  readonly id: string;
  readonly at: number;
  readonly agentId: string;
  readonly name: string;
  /** 1–2000 characters. */
  readonly text: string;
}
