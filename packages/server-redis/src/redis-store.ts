// The Store of @temper/server on Redis. One script per atomic write (scripts.ts); records are stored as JSON
// and changed by compare-and-set on a version, so `meta` is merged in JavaScript exactly like the in-memory
// store does it (Redis's cjson would turn `[]` into `{}` and round numbers to 14 digits).
import { HANDOFF_STATES, type HandoffState, type MessageEvent, type ServerEvent } from '@temper/protocol';
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
  Store,
  StoredEvent,
  Transition,
  VisitorAppend,
} from '@temper/server';
import { checkStaffNote, checkWebhookDelivery, type StaffNote, type WebhookDelivery } from '@temper/server';
import { activeAt, anonymiseConversationAudit, checkInactiveQuery, redactStaffNamesIn } from '@temper/server';
import type { Redis } from 'ioredis';
import type { RunScript, Subscriber } from './connection.js';
import { checkId, type Keyspace } from './keys.js';

/** The owed-reply methods take a positive integer event id and a finite time (as the memory store checks). */
function checkOwedArgs(eventId: number, at: number): void {
  if (!Number.isSafeInteger(eventId) || eventId < 1) throw new RangeError(`@temper/server-redis: bot-owed event id must be a positive integer, got ${String(eventId)}`);
  if (typeof at !== 'number' || !Number.isFinite(at)) throw new TypeError(`@temper/server-redis: bot-owed time must be a finite number (Unix ms), got ${String(at)}`);
}

/** How many conversation ids a customer's list keeps (`Store.listUserConversations`), as the memory store does. */
const USER_PAST_MAX = 50;

/** Messenger basics (issue 12): a rating must have a 1–5 score, a finite time and a route (as the memory store checks). */
function checkRating(r: Rating): void {
  if (![1, 2, 3, 4, 5].includes(r.score)) throw new RangeError(`@temper/server-redis: rating score must be 1–5, got ${String(r.score)}`);
  if (typeof r.at !== 'number' || !Number.isFinite(r.at)) throw new TypeError(`@temper/server-redis: rating time must be a finite number (Unix ms), got ${String(r.at)}`);
  if (r.route !== 'bot' && r.route !== 'human') throw new RangeError(`@temper/server-redis: rating route must be bot or human, got ${String(r.route)}`);
}

/** Settings the store needs from `createRedisBackend`. */
export interface RedisStoreSettings {
  keys: Keyspace;
  redis: Redis;
  run: RunScript;
  subscriber: Subscriber;
  conversationTtlMs: number;
  agentRetentionMs: number;
  signalHistory: number;
  now: () => number;
  onError: (e: Error) => void;
}

type Patch = Parameters<Store['updateConversation']>[1];

/** How often a compare-and-set is retried when other writers keep changing the record. */
const CAS_ATTEMPTS = 100;
/**
 * Records this instance read or wrote last (see `recent` in createRedisStore). One request reads a record and
 * writes it moments later, so a small window is enough.
 */
const RECENT_RECORDS = 1024;
/** Audit entries dropped per script call by pruneAudit (keeps Redis responsive with millions of entries). */
const PRUNE_BATCH = 1000;

function notFound(id: string): Error {
  return Object.assign(new Error(`unknown conversation ${id}`), { code: 'not-found' });
}

function parseRecord(json: string): ConversationRecord {
  return JSON.parse(json) as ConversationRecord;
}

const wants = (r: ConversationRecord) => (r.state === 'bot' && r.meta['wantsHuman'] === true ? '1' : '0');

function merge(record: ConversationRecord, patch: Patch): ConversationRecord {
  const { meta, ...rest } = patch;
  return { ...record, ...rest, meta: meta ? { ...record.meta, ...structuredClone(meta) } : record.meta };
}

/** One conversation's live fan-out on this instance. */
interface Live {
  listeners: Set<EventListener>;
  /** Highest id delivered (or the log length when the subscription went live); null while not yet known. */
  lastId: number | null;
  /** Messages that arrived before `lastId` was known. */
  early: StoredEvent[];
  /** Serialises gap-filling reads so listeners see ids in order. */
  chain: Promise<void>;
  /** Ends the channel subscription. */
  stop: () => void;
  /** Resolves once the channel is live and `lastId` is known. */
  ready: Promise<void>;
}

export function createRedisStore(s: RedisStoreSettings): Store {
  const { keys, redis, run, subscriber, now, onError } = s;
  const ttl = s.conversationTtlMs;
  const stateKeys = HANDOFF_STATES.map((st) => keys.state(st));
  const live = new Map<string, Live>();
  let closed = false;

  const convKeys = (id: string) => {
    const k = keys.conversation(id);
    return { k, four: [k.record, k.events, k.clientIds, k.signals] as const };
  };

  /**
   * The record JSON and version this instance last read or wrote, by id, oldest first (bounded). A write
   * merges into the remembered record and sends it along: the script writes only if the stored record is still
   * exactly that one, so the read before the write — a round trip — is saved when nobody wrote in between,
   * and a stale entry costs one refused attempt. JSON, not objects: callers may change what they were given.
   */
  const recent = new Map<string, { json: string; version: string }>();
  function remember(id: string, json: string, version: string): void {
    recent.delete(id);
    recent.set(id, { json, version });
    if (recent.size > RECENT_RECORDS) recent.delete(recent.keys().next().value!);
  }

  async function readRecord(id: string): Promise<{ record: ConversationRecord; version: string } | null> {
    const [json, version] = await redis.hmget(keys.conversation(id).record, 'r', 'v');
    if (!json || !version) {
      recent.delete(id);
      return null;
    }
    remember(id, json, version);
    return { record: parseRecord(json), version };
  }

  /** Writes `next` over the record at `version` (and, when `expected` is given, exactly that JSON). */
  async function write(id: string, before: ConversationRecord, version: string, next: ConversationRecord, expected: string): Promise<unknown> {
    const json = JSON.stringify(next);
    const { four } = convKeys(id);
    const r = await run('temperCas', [...four, keys.state(before.state), keys.state(next.state), keys.wanting, keys.activity], [
      id,
      version,
      json,
      next.state,
      ttl,
      wants(next),
      expected,
      activeAt(next),
    ]);
    if (r === 1) remember(id, json, String(Number(version) + 1));
    else recent.delete(id);
    return r;
  }

  /** Merge into the remembered record if there is one; else (or if it moved on) read, check `from`, merge, write; repeat. */
  async function cas(id: string, from: readonly HandoffState[] | null, patch: Patch): Promise<Transition> {
    const known = recent.get(id);
    if (known) {
      const before = parseRecord(known.json);
      // A remembered state outside `from` may be stale: only a fresh read may refuse.
      if (!from || from.includes(before.state)) {
        const next = merge(before, patch);
        const r = await write(id, before, known.version, next, known.json);
        if (r === 1) return { ok: true, record: next };
        if (r === -1) return { ok: false, record: null };
      }
    }
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const cur = await readRecord(id);
      if (!cur) return { ok: false, record: null };
      if (from && !from.includes(cur.record.state)) return { ok: false, record: cur.record };
      const next = merge(cur.record, patch);
      const r = await write(id, cur.record, cur.version, next, '');
      if (r === 1) return { ok: true, record: next };
      if (r === -1) return { ok: false, record: null };
    }
    throw new Error(`@temper/server-redis: conversation ${id} changed ${CAS_ATTEMPTS} times while updating it; giving up`);
  }

  function parseEvents(items: readonly string[], firstId: number): StoredEvent[] {
    return items.map((json, i) => ({ id: firstId + i, event: JSON.parse(json) as ServerEvent }));
  }

  async function readEvents(conversationId: string, afterId: number, limit = Number.POSITIVE_INFINITY): Promise<StoredEvent[]> {
    const { k } = convKeys(conversationId);
    const from = Math.max(0, Math.floor(afterId));
    if (!(limit > 0)) {
      if ((await redis.exists(k.record)) === 0) throw notFound(conversationId);
      return [];
    }
    const stop = Number.isFinite(limit) ? from + Math.floor(limit) - 1 : -1;
    const r = (await run('temperRead', [k.record, k.events], [from, stop])) as [number, ...string[]];
    if (r[0] !== 1) throw notFound(conversationId);
    return parseEvents(r.slice(1) as string[], from + 1);
  }

  function deliver(l: Live, stored: StoredEvent): void {
    if (l.lastId === null || stored.id <= l.lastId) return;
    l.lastId = stored.id;
    for (const f of [...l.listeners]) {
      try {
        f(stored);
      } catch {
        // A failing subscriber must not stop the others.
      }
    }
  }

  /** Delivers `stored`, first reading any ids between the last delivered one and it (a missed message). */
  function receive(id: string, l: Live, stored: StoredEvent | null): void {
    if (l.lastId === null) {
      if (stored) l.early.push(stored);
      return;
    }
    if (stored && stored.id === l.lastId + 1 && l.chain === idle) {
      deliver(l, stored);
      return;
    }
    const step = l.chain.then(async () => {
      if (live.get(id) !== l || l.lastId === null) return;
      if (stored && stored.id <= l.lastId) return;
      // Catch up from the log: everything after lastId (the message itself is in there too).
      for (;;) {
        const page = await readEvents(id, l.lastId, 500);
        for (const e of page) deliver(l, e);
        if (page.length < 500) break;
      }
    });
    const tail = step.catch((e: Error) => {
      if ((e as { code?: string }).code === 'not-found') return;
      onError(new Error(`@temper/server-redis: catching up conversation ${id} after a missed message failed: ${e.message}`));
    });
    l.chain = tail;
    void tail.then(() => {
      if (l.chain === tail) l.chain = idle;
    });
  }
  const idle = Promise.resolve();

  // After the subscriber reconnected, read what each live conversation missed while it was away.
  subscriber.onResubscribed(() => {
    for (const [id, l] of live) receive(id, l, null);
  });

  function endLive(id: string): void {
    const l = live.get(id);
    if (!l) return;
    live.delete(id);
    l.listeners.clear();
    l.stop();
  }

  /** Conversations that expired (idle TTL) leave their id in the indexes; drop those ids now. */
  async function dropGone(index: string, ids: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += 500) {
      const batch = ids.slice(i, i + 500);
      await run('temperDropGone', [index, ...batch.map((id) => keys.conversation(id).record)], batch);
    }
  }

  /** Records of the ids in index `key` that still satisfy `holds` (ids of expired conversations are dropped). */
  async function fromIndex(key: string, holds: (r: ConversationRecord) => boolean): Promise<ConversationRecord[]> {
    const ids = await redis.smembers(key);
    if (ids.length === 0) return [];
    const pipe = redis.pipeline();
    for (const id of ids) pipe.hget(keys.conversation(id).record, 'r');
    const rows = (await pipe.exec()) ?? [];
    const out: ConversationRecord[] = [];
    const gone: string[] = [];
    rows.forEach(([err, json], i) => {
      if (err) throw err;
      if (typeof json !== 'string') gone.push(ids[i]!);
      else {
        const r = parseRecord(json);
        if (holds(r)) out.push(r);
      }
    });
    await dropGone(key, gone);
    return out;
  }

  return {
    async createConversation(record) {
      const { four } = convKeys(record.id);
      const json = JSON.stringify(record);
      const ok = await run('temperCreate', [...four, keys.all, keys.state(record.state), keys.wanting, keys.activity], [
        record.id,
        json,
        record.state,
        ttl,
        wants(record),
        activeAt(record),
      ]);
      if (ok !== 1) throw new Error(`conversation ${record.id} exists`);
      remember(record.id, json, '1');
    },
    async getConversation(id) {
      return (await readRecord(id))?.record ?? null;
    },
    async updateConversation(id, patch) {
      const r = await cas(id, null, patch);
      return r.ok ? r.record : null;
    },
    transition(id, from, patch) {
      return cas(id, from, patch);
    },
    listByState(state) {
      return fromIndex(keys.state(state), (r) => r.state === state);
    },
    listWantingHuman() {
      return fromIndex(keys.wanting, (r) => wants(r) === '1');
    },

    async markBotOwed(conversationId, afterEventId, at) {
      checkOwedArgs(afterEventId, at);
      const record = keys.conversation(conversationId).record;
      return (await run('temperOwe', [record, keys.botOwed], [conversationId, afterEventId, at])) === 1;
    },
    async getBotOwed(conversationId) {
      const rows = (await redis
        .pipeline()
        .hget(keys.conversation(conversationId).record, 'b')
        .zscore(keys.botOwed, conversationId)
        .exec()) ?? [];
      for (const [err] of rows) if (err) throw err;
      const b = rows[0]?.[1] as string | null | undefined;
      const at = rows[1]?.[1] as string | null | undefined;
      if (!b || at === null || at === undefined) return null;
      return { conversationId, afterEventId: Number(b), at: Number(at) };
    },
    async clearBotOwed(conversationId, upToEventId) {
      checkOwedArgs(upToEventId, 0);
      const record = keys.conversation(conversationId).record;
      return (await run('temperUnowe', [record, keys.botOwed], [conversationId, upToEventId])) === 1;
    },
    async listBotOwed(olderThan, limit = 100) {
      const rows = await redis.zrangebyscore(keys.botOwed, '-inf', `(${olderThan}`, 'WITHSCORES', 'LIMIT', 0, Math.max(0, Math.floor(limit)));
      const ids: string[] = [];
      for (let i = 0; i < rows.length; i += 2) ids.push(rows[i]!);
      if (ids.length === 0) return [];
      const pipe = redis.pipeline();
      for (const id of ids) pipe.hget(keys.conversation(id).record, 'b');
      const bs = ((await pipe.exec()) ?? []).map(([err, b]) => {
        if (err) throw err;
        return b as string | null;
      });
      const out: BotOwed[] = [];
      const gone: string[] = [];
      ids.forEach((id, i) => {
        const b = bs[i];
        if (b) out.push({ conversationId: id, afterEventId: Number(b), at: Number(rows[2 * i + 1]) });
        else gone.push(id);
      });
      if (gone.length > 0) await run('temperDropUnset', [keys.botOwed, ...gone.map((id) => keys.conversation(id).record)], ['b', ...gone]);
      return out;
    },

    async setAgentPresence(p) {
      await run('temperPresence', [keys.agents, keys.agentsSeen], [p.agentId, JSON.stringify(p), p.lastSeen, now() - s.agentRetentionMs]);
    },
    async listAgents() {
      const all = await redis.hvals(keys.agents);
      const cutoff = now() - s.agentRetentionMs;
      return all.map((j) => JSON.parse(j) as AgentPresence).filter((a) => a.lastSeen >= cutoff);
    },
    async appendAudit(entry) {
      checkId(entry.conversationId);
      const { conversationId, ...rest } = entry;
      await run('temperAudit', [keys.auditSeq, keys.audit, keys.auditEntries, keys.auditOf(conversationId)], [
        entry.at,
        conversationId,
        JSON.stringify(rest),
      ]);
    },
    async readAudit(q = {}) {
      if (q.conversationId !== undefined) checkId(q.conversationId);
      const index = q.conversationId === undefined ? keys.audit : keys.auditOf(q.conversationId);
      const min = q.from === undefined ? '-inf' : String(q.from);
      const max = q.to === undefined ? '+inf' : `(${q.to}`;
      const limit = q.limit === undefined ? -1 : Math.max(0, Math.floor(q.limit));
      if (limit === 0) return [];
      const rows = (await run('temperReadAudit', [index, keys.auditEntries], [min, max, limit])) as Array<string | null>;
      return rows.flatMap((row) => {
        if (row === null) return [];
        const bar = row.indexOf('|');
        return [{ ...(JSON.parse(row.slice(bar + 1)) as Omit<AuditEntry, 'conversationId'>), conversationId: row.slice(0, bar) }];
      });
    },
    async pruneAudit(before) {
      let total = 0;
      for (;;) {
        const n = (await run('temperPruneAudit', [keys.audit, keys.auditEntries], [before, PRUNE_BATCH, keys.auditOfPrefix])) as number;
        total += n;
        if (n < PRUNE_BATCH) return total;
      }
    },
    async redactAudit(conversationId, pseudonym) {
      checkId(conversationId);
      checkId(pseudonym, 'pseudonym');
      await run('temperRedactAudit', [keys.auditEntries, keys.auditOf(conversationId), keys.auditOf(pseudonym)], [conversationId, pseudonym]);
    },
    async deleteConversation(id) {
      const { k, four } = convKeys(id);
      const json = await redis.hget(k.record, 'r');
      const r = await run('temperDelete', [...four, keys.all, keys.wanting, ...stateKeys], [id, k.channel]);
      await redis.del(keys.notes(id));
      recent.delete(id);
      endLive(id);
      const userId = json === null ? undefined : parseRecord(json).userId;
      if (userId !== undefined) {
        await run('temperUnbindUser', [keys.user(userId)], [id]);
        await redis.zrem(keys.userPast(userId), id);
      }
      await redis.multi().zrem(keys.ratings, id).zrem(keys.activity, id).exec();
      return r === 1;
    },
    async getUserConversation(userId) {
      return redis.get(keys.user(userId));
    },
    async setUserConversation(userId, conversationId) {
      checkId(conversationId);
      await run('temperBindUser', [keys.user(userId), keys.userPast(userId)], [conversationId, ttl, now(), USER_PAST_MAX]);
    },
    async listConversations() {
      const ids = await redis.smembers(keys.all);
      if (ids.length === 0) return [];
      const pipe = redis.pipeline();
      for (const id of ids) pipe.exists(keys.conversation(id).record);
      const rows = (await pipe.exec()) ?? [];
      await dropGone(keys.all, ids.filter((_, i) => rows[i]?.[1] !== 1));
      return ids.filter((_, i) => rows[i]?.[1] === 1);
    },
    async appendEvent(conversationId, event) {
      const { k, four } = convKeys(conversationId);
      const json = JSON.stringify(event);
      const r = (await run('temperAppend', four, [json, ttl, '', k.channel])) as number[];
      if (r[0] === -1) throw notFound(conversationId);
      return { id: r[1]!, event: JSON.parse(json) as ServerEvent };
    },
    async appendVisitorMessage(conversationId, message: MessageEvent & { clientId: string }): Promise<VisitorAppend> {
      const { k, four } = convKeys(conversationId);
      if (typeof message.clientId !== 'string' || message.clientId === '') {
        throw new TypeError('@temper/server-redis: appendVisitorMessage needs a non-empty message.clientId');
      }
      const json = JSON.stringify(message);
      const r = (await run('temperAppend', four, [json, ttl, message.clientId, k.channel])) as [number, number?, string?];
      if (r[0] === -1) throw notFound(conversationId);
      if (r[0] === 1) return { duplicate: false, stored: { id: r[1]!, event: JSON.parse(json) as ServerEvent } };
      return { duplicate: true, stored: r[2] ? { id: r[1]!, event: JSON.parse(r[2]) as ServerEvent } : null };
    },
    readEvents,
    async subscribe(conversationId, listener) {
      if (closed) throw new Error('@temper/server-redis: the store is closed');
      const { k } = convKeys(conversationId);
      let entry = live.get(conversationId);
      if (!entry) {
        const l: Live = { listeners: new Set(), lastId: null, early: [], chain: idle, stop: () => undefined, ready: idle };
        live.set(conversationId, l);
        l.ready = (async () => {
          l.stop = await subscriber.subscribe(k.channel, (m) => {
            if (live.get(conversationId) !== l) return;
            if (m === 'deleted') return endLive(conversationId);
            receive(conversationId, l, JSON.parse(m) as StoredEvent);
          });
          // The channel is live: from here on no message is missed, so the log's length is the baseline.
          const length = (await run('temperLength', [k.record, k.events], [])) as number;
          if (length < 0) throw notFound(conversationId);
          l.lastId = length;
          for (const e of l.early.splice(0).sort((a, b) => a.id - b.id)) receive(conversationId, l, e);
        })();
        l.ready.catch(() => {
          if (live.get(conversationId) === l) {
            live.delete(conversationId);
            l.stop();
          }
        });
        entry = l;
      }
      await entry.ready;
      if (live.get(conversationId) !== entry) throw notFound(conversationId);
      const l = entry;
      l.listeners.add(listener);
      return () => {
        l.listeners.delete(listener);
        if (l.listeners.size === 0 && live.get(conversationId) === l) endLive(conversationId);
      };
    },
    async recordSignal(conversationId, signal): Promise<SignalWrite> {
      const { four } = convKeys(conversationId);
      const r = (await run('temperSignal', four, [signal.seq, JSON.stringify(signal), s.signalHistory, ttl])) as string[];
      if (r[0] === 'not-found') return { ok: false, reason: 'not-found' };
      if (r[0] === 'stale') return { ok: false, reason: 'stale', lastSeq: Number(r[1]) };
      const history = r.slice(1).map((j) => JSON.parse(j) as SignalState['history'][number]);
      return { ok: true, state: { ...signal, history } };
    },
    async getSignalState(conversationId) {
      const items = await redis.lrange(keys.conversation(conversationId).signals, 0, -1);
      if (items.length === 0) return null;
      const history = items.map((j) => JSON.parse(j) as SignalState['history'][number]);
      return { ...history[history.length - 1]!, history };
    },
    // --- Messenger basics (issue 12) ---
    async setRating(conversationId, rating) {
      checkRating(rating);
      const json = JSON.stringify(rating);
      return (await run('temperRate', [keys.conversation(conversationId).record, keys.ratings], [conversationId, json, rating.at])) === 1;
    },
    async getRating(conversationId) {
      const json = await redis.hget(keys.conversation(conversationId).record, 'c');
      return json ? (JSON.parse(json) as Rating) : null;
    },
    async listRatings(q = {}) {
      const min = q.from === undefined ? '-inf' : String(q.from);
      const max = q.to === undefined ? '+inf' : `(${q.to}`;
      const limit = q.limit === undefined ? -1 : Math.max(0, Math.floor(q.limit));
      if (limit === 0) return [];
      const ids = await redis.zrangebyscore(keys.ratings, min, max, 'LIMIT', 0, limit);
      if (ids.length === 0) return [];
      const pipe = redis.pipeline();
      for (const id of ids) pipe.hget(keys.conversation(id).record, 'c');
      const out: RatedConversation[] = [];
      const gone: string[] = [];
      ((await pipe.exec()) ?? []).forEach(([err, json], i) => {
        if (err) throw err;
        if (typeof json === 'string') out.push({ ...(JSON.parse(json) as Rating), conversationId: ids[i]! });
        else gone.push(ids[i]!);
      });
      if (gone.length > 0) await run('temperDropUnset', [keys.ratings, ...gone.map((id) => keys.conversation(id).record)], ['c', ...gone]);
      return out;
    },
    async listUserConversations(userId, limit = 20) {
      const n = Math.max(0, Math.floor(limit));
      return n === 0 ? [] : redis.zrevrange(keys.userPast(userId), 0, n - 1);
    },
    async close() {
      closed = true;
      for (const id of [...live.keys()]) endLive(id);
    },

    // ---- Agents and supervisors (issue 14) ----
    async enqueueWebhook(d) {
      checkWebhookDelivery(d);
      return (await run('temperWebhookAdd', [keys.webhooksDue, keys.webhooks], [d.id, JSON.stringify(d), d.dueAt])) === 1;
    },
    async leaseWebhooks(t, leaseMs, limit) {
      if (limit <= 0) return [];
      const list = (await run('temperWebhookLease', [keys.webhooksDue, keys.webhooks], [t, t + leaseMs, Math.floor(limit)])) as string[];
      return list.map((j) => JSON.parse(j) as WebhookDelivery);
    },
    async retryWebhook(d) {
      checkWebhookDelivery(d);
      return (await run('temperWebhookRetry', [keys.webhooksDue, keys.webhooks], [d.id, JSON.stringify(d), d.dueAt])) === 1;
    },
    async completeWebhook(id) {
      const [, removed] = (await redis.multi().zrem(keys.webhooksDue, id).hdel(keys.webhooks, id).exec()) ?? [];
      return removed?.[1] === 1;
    },
    async listWebhooks(limit = 100) {
      const ids = await redis.zrange(keys.webhooksDue, 0, String(limit - 1));
      if (ids.length === 0) return [];
      const json = await redis.hmget(keys.webhooks, ...ids);
      return json.filter((j): j is string => j !== null).map((j) => JSON.parse(j) as WebhookDelivery);
    },
    async addStaffNote(conversationId, note) {
      checkStaffNote(note);
      const { k } = convKeys(conversationId);
      // The notes list gets the conversation's idle TTL from its last note: notes outlive neither the chat nor
      // that TTL (a chat still active a full TTL after its last note keeps going without them).
      if ((await run('temperNote', [k.record, keys.notes(conversationId)], [JSON.stringify(note), ttl])) !== 1) throw notFound(conversationId);
    },
    async listStaffNotes(conversationId) {
      return (await redis.lrange(keys.notes(conversationId), 0, -1)).map((j) => JSON.parse(j) as StaffNote);
    },

    // ---- Privacy go-live (issue 15) ----
    async listInactive(q) {
      checkInactiveQuery(q);
      const limit = q.limit ?? 100;
      const out: ConversationRecord[] = [];
      // Pages of the index; ids of expired conversations are dropped, stale scores corrected, until `limit` match.
      let offset = 0;
      while (out.length < limit) {
        const ids = await redis.zrangebyscore(keys.activity, q.from === undefined ? '-inf' : String(q.from), `(${q.before}`, 'LIMIT', offset, limit);
        if (ids.length === 0) break;
        const pipe = redis.pipeline();
        for (const id of ids) pipe.hget(keys.conversation(id).record, 'r');
        const rows = (await pipe.exec()) ?? [];
        const gone: string[] = [];
        const moved: Array<[number, string]> = [];
        rows.forEach(([err, json], i) => {
          if (err) throw err;
          if (typeof json !== 'string') return void gone.push(ids[i]!);
          const r = parseRecord(json);
          const t = activeAt(r);
          if (t < q.before && (q.from === undefined || t >= q.from)) {
            if (out.length < limit) out.push(r);
          } else moved.push([t, r.id]);
        });
        if (gone.length > 0) await redis.zrem(keys.activity, ...gone);
        // GT: never lower a score a concurrent write raised.
        for (const [t, id] of moved) await redis.zadd(keys.activity, 'GT', t, id);
        if (ids.length < limit) break;
        offset += ids.length - gone.length - moved.length;
      }
      return out;
    },
    async clearSignals(conversationId) {
      const { k } = convKeys(conversationId);
      return (await run('temperClearSignals', [k.record, k.signals], [])) === 1;
    },
    async redactStaffNames(conversationId, names = []) {
      const { k } = convKeys(conversationId);
      let n = 0;
      const write = async (list: string, changes: Map<number, unknown>) => {
        if (changes.size === 0) return;
        const args: Array<string | number> = [];
        for (const [i, v] of changes) args.push(i, JSON.stringify(v));
        if ((await run('temperSetItems', [k.record, list], args)) === 1) n += changes.size;
      };
      const events = (await redis.lrange(k.events, 0, -1)).map((j) => JSON.parse(j) as ServerEvent);
      await write(k.events, redactStaffNamesIn(events, names));
      const notes = (await redis.lrange(keys.notes(conversationId), 0, -1)).map((j) => JSON.parse(j) as StaffNote);
      await write(keys.notes(conversationId), new Map(notes.flatMap((note, i) => (note.name === '' ? [] : [[i, { ...note, name: '' }] as const]))));
      const rating = await redis.hget(k.record, 'c');
      if (rating) {
        const r = JSON.parse(rating) as Rating;
        if (r.agentName !== undefined) {
          delete r.agentName;
          if ((await run('temperSetRating', [k.record], [rating, JSON.stringify(r)])) === 1) n++;
        }
      }
      return n;
    },
    async anonymiseAudit(conversationId) {
      checkId(conversationId);
      const own = keys.auditOf(conversationId);
      const items = await redis.zrange(own, '0', '-1');
      if (items.length === 0) return 0;
      const rows = await redis.hmget(keys.auditEntries, ...items);
      const seqs: string[] = [];
      const entries: AuditEntry[] = [];
      rows.forEach((row, i) => {
        if (row === null) return;
        const bar = row.indexOf('|');
        seqs.push(items[i]!);
        entries.push({ ...(JSON.parse(row.slice(bar + 1)) as Omit<AuditEntry, 'conversationId'>), conversationId });
      });
      const args: Array<string | number> = [];
      anonymiseConversationAudit(entries).forEach((a, i) => {
        const { conversationId: anonId, ...rest } = a;
        args.push(seqs[i]!, a.at, `${anonId}|${JSON.stringify(rest)}`);
      });
      // Entries whose data was already gone (pruned meanwhile) only leave the index.
      for (const [i, row] of rows.entries()) if (row === null) args.push(items[i]!, 0, '');
      return (await run('temperAnonAudit', [keys.audit, keys.auditEntries, own], args)) as number;
    },
  };
}
