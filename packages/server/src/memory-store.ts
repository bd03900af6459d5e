// The embedded default store: everything in one process's memory. Atomicity is free here because each
// method runs to completion on the event loop before any other request is handled.
import type { MessageEvent, ServerEvent } from '@temper/protocol';
import type { HandoffState } from '@temper/protocol';
import { activeAt, anonymiseConversationAudit, redactStaffNamesIn } from './store.js';
import type {
  AgentPresence,
  AuditEntry,
  BotOwed,
  ConversationRecord,
  EventListener,
  RatedConversation,
  Rating,
  SignalState,
  SignalWrite,
  StaffNote,
  Store,
  StoredEvent,
  Transition,
  VisitorAppend,
  WebhookDelivery,
} from './store.js';

/** Options of `createMemoryStore`. */
export interface MemoryStoreOptions {
  /** Signals kept per conversation in `SignalState.history` (oldest dropped first). Default 50. */
  signalHistory?: number;
  /** Audit entries kept at most (oldest dropped first), on top of time-based retention. Default 1 000 000. */
  maxAuditEntries?: number;
  /**
   * A conversation nobody wrote to (no event, signal or update) for this long is deleted, as Redis expires it
   * in `@temper/server-redis` (same default): 7 days. A visitor token lives 2 h and renews for 24 h after that,
   * so nobody can resume such a conversation anyway.
   */
  conversationTtlMs?: number;
  /** How often expired conversations are swept (each creation also drops the expired ones). Default 60 000. */
  sweepMs?: number;
  /** Clock of the expiry. Default `Date.now`. */
  now?: () => number;
}

interface Entry {
  record: ConversationRecord;
  events: StoredEvent[];
  /** clientId → event id of the stored visitor message. */
  clientIds: Map<string, number>;
  signal: SignalState | null;
  /** Issue 15: the last accepted signal seq, kept when `clearSignals` drops the history. */
  lastSeq: number;
  listeners: Set<EventListener>;
}

/** Freezes `v` and everything reachable from it (JSON-like data: plain objects and arrays). */
function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/**
 * Records and signal states are immutable: a write builds a new frozen object (copying only what the caller
 * passed in), reads hand out the stored object itself. Nothing on the read path copies, and no caller can
 * change stored state through what it was given.
 */
function freezeRecord(r: ConversationRecord): ConversationRecord {
  return Object.freeze({ ...r, meta: deepFreeze(r.meta) });
}

/**
 * Creates the in-memory store: conversations, event logs and signal state live in this process and are gone
 * when it exits; a conversation idle for `conversationTtlMs` (7 days) is deleted. Use it for a single instance; implement `Store` (e.g. on Redis) to run several.
 *
 * @example
 * const temper = createTemperServer({ secret, store: createMemoryStore() });
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): Store {
  const historyMax = options.signalHistory ?? 50;
  const auditMax = options.maxAuditEntries ?? 1_000_000;
  const ttl = options.conversationTtlMs ?? 7 * 24 * 60 * 60 * 1000;
  const sweepMs = options.sweepMs ?? 60_000;
  const now = options.now ?? Date.now;
  if (!(ttl > 0)) throw new RangeError('createMemoryStore: conversationTtlMs must be positive');
  if (!(sweepMs > 0)) throw new RangeError('createMemoryStore: sweepMs must be positive');
  const conversations = new Map<string, Entry>();
  /** id → last write (Unix ms), least recently written first: a write moves the id to the end. */
  const written = new Map<string, number>();
  const byState = new Map<HandoffState, Set<string>>();
  /** Ids of 'bot' conversations with meta.wantsHuman (see `Store.listWantingHuman`). */
  const wanting = new Set<string>();
  const agents = new Map<string, AgentPresence>();
  /** Owed bot replies (see `Store.markBotOwed`): only the answers in flight, so a small map. */
  const owed = new Map<string, BotOwed>();
  /** Verified customer id → their conversation (`Store.getUserConversation`). */
  const users = new Map<string, string>();
  let audit: AuditEntry[] = [];
  /** Messenger basics (issue 12): conversation id → its rating, and customer id → conversation ids, latest last. */
  const ratings = new Map<string, Rating>();
  const userPast = new Map<string, string[]>();
  /** Issue 14: the webhook outbox (id → delivery) and staff notes per conversation. */
  const webhooks = new Map<string, WebhookDelivery>();
  const notes = new Map<string, StaffNote[]>();

  function index(id: string, from: HandoffState | null, to: HandoffState | null, record: ConversationRecord | null): void {
    if (record && record.state === 'bot' && record.meta['wantsHuman'] === true) wanting.add(id);
    else wanting.delete(id);
    if (from === to) return;
    if (from) byState.get(from)?.delete(id);
    if (to) {
      let set = byState.get(to);
      if (!set) byState.set(to, (set = new Set()));
      set.add(id);
    }
  }

  function apply(e: Entry, patch: Parameters<Store['updateConversation']>[1]): ConversationRecord {
    const { meta, ...rest } = patch;
    const before = e.record.state;
    e.record = freezeRecord({ ...e.record, ...rest, meta: meta ? { ...e.record.meta, ...structuredClone(meta) } : e.record.meta });
    index(e.record.id, before, e.record.state, e.record);
    place(e.record.id, activeAt(e.record));
    return e.record;
  }

  /**
   * Issue 15: the retention index — entries sorted by time, then id; each id's live entry in `activityOf`.
   * Times only grow in practice, so a new or moved entry is pushed at the end; a removed one is marked dead
   * (no splice at the front, where retention deletes) and dropped when dead entries are half of the array.
   */
  interface Activity {
    at: number;
    id: string;
    live: boolean;
  }
  let activity: Activity[] = [];
  let dead = 0;
  const activityOf = new Map<string, Activity>();
  function activityIndex(at: number, id: string): number {
    let lo = 0;
    let hi = activity.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const a = activity[mid]!;
      if (a.at < at || (a.at === at && a.id < id)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  function unplace(id: string): void {
    const a = activityOf.get(id);
    if (!a) return;
    activityOf.delete(id);
    a.live = false;
    if (++dead > 1000 && dead * 2 > activity.length) {
      activity = activity.filter((x) => x.live);
      dead = 0;
    }
  }
  function place(id: string, at: number): void {
    if (activityOf.get(id)?.at === at) return;
    unplace(id);
    const a: Activity = { at, id, live: true };
    activityOf.set(id, a);
    const last = activity[activity.length - 1];
    if (!last || last.at < at || (last.at === at && last.id < id)) activity.push(a);
    else activity.splice(activityIndex(at, id), 0, a);
  }

  /** First index whose entry is at or after `t` (the log is time-ordered). */
  function auditIndex(t: number): number {
    let lo = 0;
    let hi = audit.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (audit[mid]!.at < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  function records(ids: Iterable<string> | undefined): ConversationRecord[] {
    const out: ConversationRecord[] = [];
    for (const id of ids ?? []) {
      const e = conversations.get(id);
      if (e) out.push(e.record);
    }
    return out;
  }

  function entry(id: string): Entry {
    const e = conversations.get(id);
    if (!e) throw Object.assign(new Error(`unknown conversation ${id}`), { code: 'not-found' });
    return e;
  }

  function touch(id: string): void {
    written.delete(id);
    written.set(id, now());
  }

  function remove(id: string): boolean {
    const e = conversations.get(id);
    if (!e) return false;
    conversations.delete(id);
    written.delete(id);
    unplace(id);
    owed.delete(id);
    notes.delete(id);
    index(id, e.record.state, null, null);
    const u = e.record.userId;
    if (u !== undefined && users.get(u) === id) users.delete(u);
    ratings.delete(id);
    if (u !== undefined) {
      const past = userPast.get(u)?.filter((x) => x !== id) ?? [];
      if (past.length > 0) userPast.set(u, past);
      else userPast.delete(u);
    }
    e.listeners.clear();
    return true;
  }

  /** Deletes the conversations idle past the TTL: O(expired), since `written` is in write order. */
  function expire(): void {
    const cutoff = now() - ttl;
    for (const [id, at] of written) {
      if (at > cutoff) break;
      remove(id);
    }
  }
  const sweeper = setInterval(expire, sweepMs);
  sweeper.unref?.();

  function publish(e: Entry, stored: StoredEvent): void {
    for (const l of [...e.listeners]) {
      try {
        l(stored);
      } catch {
        // A failing subscriber must not stop the others or the writer.
      }
    }
  }

  function push(e: Entry, event: ServerEvent): StoredEvent {
    touch(e.record.id);
    const stored: StoredEvent = { id: e.events.length + 1, event: structuredClone(event) };
    e.events.push(stored);
    publish(e, stored);
    return stored;
  }

  return {
    async createConversation(record) {
      if (conversations.has(record.id)) throw new Error(`conversation ${record.id} exists`);
      conversations.set(record.id, {
        record: freezeRecord({ ...record, meta: structuredClone(record.meta) }),
        events: [],
        clientIds: new Map(),
        signal: null,
        lastSeq: 0,
        listeners: new Set(),
      });
      index(record.id, null, record.state, record);
      place(record.id, activeAt(record));
      expire();
      touch(record.id);
    },
    async getConversation(id) {
      const e = conversations.get(id);
      return e ? e.record : null;
    },
    async updateConversation(id, patch) {
      const e = conversations.get(id);
      if (!e) return null;
      touch(id);
      return apply(e, patch);
    },
    async transition(id, from, patch): Promise<Transition> {
      const e = conversations.get(id);
      if (!e) return { ok: false, record: null };
      if (!from.includes(e.record.state)) return { ok: false, record: e.record };
      touch(id);
      return { ok: true, record: apply(e, patch) };
    },
    async listByState(state) {
      return records(byState.get(state));
    },
    async listWantingHuman() {
      return records(wanting);
    },
    async getUserConversation(userId) {
      return users.get(userId) ?? null;
    },
    async setUserConversation(userId, conversationId) {
      users.set(userId, conversationId);
      const past = (userPast.get(userId) ?? []).filter((x) => x !== conversationId);
      past.push(conversationId);
      userPast.set(userId, past.slice(-USER_PAST_MAX));
    },
    async setAgentPresence(p) {
      agents.set(p.agentId, { ...p });
    },
    async listAgents() {
      return [...agents.values()].map((a) => ({ ...a }));
    },
    async appendAudit(entry) {
      const copy = { ...entry, reasons: [...entry.reasons] };
      // Entries normally arrive in time order; an injected clock may step back, so keep the log sorted.
      if (audit.length === 0 || audit[audit.length - 1]!.at <= copy.at) audit.push(copy);
      else audit.splice(auditIndex(copy.at + 1), 0, copy);
      if (audit.length > auditMax) audit.splice(0, audit.length - auditMax);
    },
    async readAudit(q = {}) {
      const start = q.from === undefined ? 0 : auditIndex(q.from);
      const end = q.to === undefined ? audit.length : auditIndex(q.to);
      const out: AuditEntry[] = [];
      for (let i = start; i < end && out.length < (q.limit ?? Number.POSITIVE_INFINITY); i++) {
        const a = audit[i]!;
        if (q.conversationId === undefined || a.conversationId === q.conversationId) out.push({ ...a, reasons: [...a.reasons] });
      }
      return out;
    },
    async pruneAudit(before) {
      const n = auditIndex(before);
      if (n > 0) audit = audit.slice(n);
      return n;
    },
    async redactAudit(conversationId, pseudonym) {
      for (const a of audit) if (a.conversationId === conversationId) a.conversationId = pseudonym;
    },
    async deleteConversation(id) {
      return remove(id);
    },
    async listConversations() {
      return [...conversations.keys()];
    },
    async appendEvent(conversationId, event) {
      return push(entry(conversationId), event);
    },
    async appendVisitorMessage(conversationId, message: MessageEvent & { clientId: string }): Promise<VisitorAppend> {
      const e = entry(conversationId);
      const seen = e.clientIds.get(message.clientId);
      if (seen !== undefined) return { duplicate: true, stored: e.events[seen - 1] ?? null };
      const stored = push(e, message);
      e.clientIds.set(message.clientId, stored.id);
      return { duplicate: false, stored };
    },
    async readEvents(conversationId, afterId, limit = Number.POSITIVE_INFINITY) {
      const e = entry(conversationId);
      const from = Math.max(0, Math.floor(afterId));
      return e.events.slice(from, from + Math.min(limit, e.events.length));
    },
    async subscribe(conversationId, listener) {
      const e = entry(conversationId);
      e.listeners.add(listener);
      return () => {
        e.listeners.delete(listener);
      };
    },
    async recordSignal(conversationId, signal): Promise<SignalWrite> {
      const e = conversations.get(conversationId);
      if (!e) return { ok: false, reason: 'not-found' };
      if (e.lastSeq > 0 && signal.seq <= e.lastSeq) return { ok: false, reason: 'stale', lastSeq: e.lastSeq };
      touch(conversationId);
      e.lastSeq = signal.seq;
      const entry = Object.freeze({ seq: signal.seq, level: signal.level, trend: signal.trend, at: signal.at });
      // The new history shares the (frozen) entries of the old one: a copy of ≤ 50 references per signal.
      const prev = e.signal?.history ?? [];
      const history = prev.slice(Math.max(0, prev.length - historyMax + 1));
      history.push(entry);
      e.signal = Object.freeze({ ...entry, history: Object.freeze(history) as SignalState['history'] });
      return { ok: true, state: e.signal };
    },
    async getSignalState(conversationId) {
      return conversations.get(conversationId)?.signal ?? null;
    },
    async markBotOwed(conversationId, afterEventId, at) {
      checkOwedArgs(afterEventId, at);
      if (!conversations.has(conversationId)) return false;
      const prev = owed.get(conversationId);
      owed.set(conversationId, { conversationId, afterEventId: Math.max(afterEventId, prev?.afterEventId ?? 0), at });
      return true;
    },
    async getBotOwed(conversationId) {
      const o = owed.get(conversationId);
      return o ? { ...o } : null;
    },
    async clearBotOwed(conversationId, upToEventId) {
      checkOwedArgs(upToEventId, 0);
      const o = owed.get(conversationId);
      if (!o || o.afterEventId > upToEventId) return false;
      owed.delete(conversationId);
      return true;
    },
    async listBotOwed(olderThan, limit = 100) {
      const out = [...owed.values()].filter((o) => o.at < olderThan);
      out.sort((a, b) => a.at - b.at);
      return out.slice(0, limit).map((o) => ({ ...o }));
    },
    // --- Messenger basics (issue 12) ---
    async setRating(conversationId, rating) {
      checkRating(rating);
      if (!conversations.has(conversationId)) return false;
      ratings.set(conversationId, Object.freeze({ ...rating }));
      return true;
    },
    async getRating(conversationId) {
      const r = ratings.get(conversationId);
      return r ? { ...r } : null;
    },
    async listRatings(q = {}) {
      const out: RatedConversation[] = [];
      for (const [conversationId, r] of ratings)
        if ((q.from === undefined || r.at >= q.from) && (q.to === undefined || r.at < q.to)) out.push({ ...r, conversationId });
      out.sort((a, b) => a.at - b.at);
      return out.slice(0, q.limit ?? out.length);
    },
    async listUserConversations(userId, limit = 20) {
      return (userPast.get(userId) ?? []).slice().reverse().slice(0, Math.max(0, Math.floor(limit)));
    },
    async close() {
      clearInterval(sweeper);
      for (const e of conversations.values()) e.listeners.clear();
    },

    // ---- Agents and supervisors (issue 14) ----
    async enqueueWebhook(d) {
      checkWebhookDelivery(d);
      if (webhooks.has(d.id)) return false;
      webhooks.set(d.id, Object.freeze({ ...d }));
      return true;
    },
    async leaseWebhooks(t, leaseMs, limit) {
      const due = [...webhooks.values()].filter((d) => d.dueAt <= t).sort((a, b) => a.dueAt - b.dueAt || (a.id < b.id ? -1 : 1)).slice(0, Math.max(0, limit));
      for (const d of due) webhooks.set(d.id, Object.freeze({ ...d, dueAt: t + leaseMs }));
      return due.map((d) => ({ ...d }));
    },
    async retryWebhook(d) {
      checkWebhookDelivery(d);
      if (!webhooks.has(d.id)) return false;
      webhooks.set(d.id, Object.freeze({ ...d }));
      return true;
    },
    async completeWebhook(id) {
      return webhooks.delete(id);
    },
    async listWebhooks(limit = 100) {
      return [...webhooks.values()].sort((a, b) => a.dueAt - b.dueAt || (a.id < b.id ? -1 : 1)).slice(0, limit).map((d) => ({ ...d }));
    },
    async addStaffNote(conversationId, note) {
      checkStaffNote(note);
      entry(conversationId);
      const list = notes.get(conversationId) ?? [];
      list.push(Object.freeze({ ...note }));
      notes.set(conversationId, list);
    },
    async listStaffNotes(conversationId) {
      return (notes.get(conversationId) ?? []).map((n) => ({ ...n }));
    },

    // ---- Privacy go-live (issue 15) ----
    async listInactive(q) {
      checkInactiveQuery(q);
      const out: ConversationRecord[] = [];
      const limit = q.limit ?? 100;
      for (let i = q.from === undefined ? 0 : activityIndex(q.from, ''); i < activity.length && out.length < limit; i++) {
        const a = activity[i]!;
        if (a.at >= q.before) break;
        if (a.live) out.push(conversations.get(a.id)!.record);
      }
      return out;
    },
    async clearSignals(conversationId) {
      const e = conversations.get(conversationId);
      if (!e) return false;
      e.signal = null;
      return true;
    },
    async redactStaffNames(conversationId, names = []) {
      const e = conversations.get(conversationId);
      if (!e) return 0;
      const changed = redactStaffNamesIn(e.events.map((s) => s.event), names);
      let n = changed.size;
      e.events = e.events.map((s, i) => (changed.has(i) ? { id: s.id, event: changed.get(i)! } : s));
      const list = notes.get(conversationId);
      if (list) notes.set(conversationId, list.map((note) => (note.name === '' ? note : (n++, Object.freeze({ ...note, name: '' })))));
      const r = ratings.get(conversationId);
      if (r?.agentName !== undefined) {
        const { agentName: _a, ...rest } = r;
        ratings.set(conversationId, Object.freeze(rest));
        n++;
      }
      return n;
    },
    async anonymiseAudit(conversationId) {
      const mine = audit.filter((a) => a.conversationId === conversationId);
      if (mine.length === 0) return 0;
      const anon = anonymiseConversationAudit(mine);
      audit = audit.filter((a) => a.conversationId !== conversationId).concat(anon);
      // Rounded times move entries earlier: keep the log in time order (a stable sort keeps ties in order).
      audit.sort((a, b) => a.at - b.at);
      return anon.length;
    },
  };
}

/**
 * Issue 15: throws unless `q` is a `listInactive` query every Store accepts — a finite `before` (and `from`,
 * when given) and an integer limit ≥ 0 — so both stores refuse the same input.
 *
 * @example
 * checkInactiveQuery({ before: Date.now() - 30 * 86_400_000, limit: 100 });
 */
export function checkInactiveQuery(q: { before: number; from?: number; limit?: number }): void {
  if (typeof q?.before !== 'number' || !Number.isFinite(q.before)) throw new TypeError(`listInactive: before must be a finite number (Unix ms), got ${String(q?.before)}`);
  if (q.from !== undefined && !Number.isFinite(q.from)) throw new TypeError(`listInactive: from must be a finite number (Unix ms), got ${String(q.from)}`);
  if (q.limit !== undefined && !(Number.isInteger(q.limit) && q.limit >= 0)) throw new RangeError(`listInactive: limit must be an integer ≥ 0, got ${String(q.limit)}`);
}

/** How many conversation ids a customer's list keeps (`Store.listUserConversations`), newest kept. */
const USER_PAST_MAX = 50;

/** Messenger basics (issue 12): a rating must have a 1–5 score and a finite time (as the Redis store checks). */
function checkRating(r: Rating): void {
  if (![1, 2, 3, 4, 5].includes(r.score)) throw new RangeError(`rating score must be 1–5, got ${String(r.score)}`);
  if (typeof r.at !== 'number' || !Number.isFinite(r.at)) throw new TypeError(`rating time must be a finite number (Unix ms), got ${String(r.at)}`);
  if (r.route !== 'bot' && r.route !== 'human') throw new RangeError(`rating route must be bot or human, got ${String(r.route)}`);
}

/**
 * Issue 14: throws a TypeError unless `d` is a webhook delivery a Store accepts (every Store implementation
 * checks with this, so they refuse the same input).
 *
 * @example
 * checkWebhookDelivery({ id: 'wh_1', type: 'conversation.queued', body: '{}', createdAt: 0, dueAt: 0, attempts: 0 });
 */
export function checkWebhookDelivery(d: WebhookDelivery): void {
  if (typeof d.id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(d.id)) throw new TypeError(`webhook delivery id must be 1–64 of [A-Za-z0-9_-], got ${JSON.stringify(d.id)}`);
  if (typeof d.body !== 'string' || typeof d.type !== 'string') throw new TypeError('webhook delivery needs a string type and body');
  if (!Number.isFinite(d.dueAt) || !Number.isInteger(d.attempts) || d.attempts < 0) throw new TypeError('webhook delivery needs a finite dueAt and an integer attempts ≥ 0');
}

/**
 * Issue 14: throws unless `n` is a staff note a Store accepts (text 1–2000 characters).
 *
 * @example
 * checkStaffNote({ id: 'n1', at: Date.now(), agentId: 'sup-1', name: 'Sam', text: 'Offered a refund already' });
 */
export function checkStaffNote(n: StaffNote): void {
  if (typeof n.text !== 'string' || n.text.length < 1 || n.text.length > 2000) throw new RangeError('a staff note must be 1–2000 characters');
  if (typeof n.id !== 'string' || typeof n.agentId !== 'string' || typeof n.name !== 'string' || !Number.isFinite(n.at)) throw new TypeError('a staff note needs id, at, agentId and name');
}

/** The owed-reply methods take a positive integer event id and a finite time. */
function checkOwedArgs(eventId: number, at: number): void {
  if (!Number.isSafeInteger(eventId) || eventId < 1) throw new RangeError(`bot-owed event id must be a positive integer, got ${String(eventId)}`);
  if (typeof at !== 'number' || !Number.isFinite(at)) throw new TypeError(`bot-owed time must be a finite number (Unix ms), got ${String(at)}`);
}
