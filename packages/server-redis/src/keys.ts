// Every Redis key and channel name of @temper/server-redis comes from here, so the layout documented in the
// README is the layout the code uses. A conversation's keys share the hash tag `{<conversation id>}`: on Redis
// Cluster they land in one slot, and every script that writes a conversation touches only that conversation's
// keys (plus, for create / state change / delete, the state index, see the README's Cluster notes). Keys that
// belong to no conversation (indexes, audit, presence) share the tag `{<prefix>:g}`.
import type { HandoffState } from '@temper/protocol';

/** Conversation ids and pseudonyms the store accepts: base64url and a few separators; no `{`, `}` or `|`. */
const ID = /^[A-Za-z0-9_.:-]{1,200}$/;

/** Throws a `TypeError` naming `what` unless `id` can be used inside a key and an audit member. */
export function checkId(id: unknown, what = 'conversation id'): asserts id is string {
  if (typeof id !== 'string' || !ID.test(id)) {
    throw new TypeError(
      `@temper/server-redis: ${what} ${JSON.stringify(id)} must be 1–200 characters of A–Z a–z 0–9 _ . : -`,
    );
  }
}

/**
 * A caller's key as it goes into a Redis key: kept as it is when it already has a hash tag (the server's
 * `conv:{<id>}:lock` lands in the conversation's slot), else wrapped in one, so each key has a stable slot.
 */
const tagged = (key: string) => (/\{[^}]+\}/.test(key) ? key : `{${key}}`);

/**
 * The key function: every key and channel name the backend uses, for one `prefix` (see the README's key
 * layout). Exported for operations: inspecting a conversation, or a health check reading one key.
 *
 * @example
 * const k = keyspace('temper').conversation('c1');
 * await backend.redis.llen(k.events); // how many events conversation c1 has
 */
export function keyspace(prefix: string) {
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(prefix)) {
    throw new TypeError(`@temper/server-redis: prefix ${JSON.stringify(prefix)} must be 1–64 characters of A–Z a–z 0–9 _ . : -`);
  }
  const g = `${prefix}:{${prefix}:g}`;
  /**
   * String: the conversation id bound to a verified customer (the host's opaque user id), PX = the
   * conversation TTL, refreshed on every session of that customer. Its own hash tag (one slot per customer).
   */
  function user(userId: string): string {
    if (typeof userId !== 'string' || !/^[A-Za-z0-9_.:|-]{1,128}$/.test(userId))
      throw new TypeError(`@temper/server-redis: user id ${JSON.stringify(userId)} must be 1–128 characters of A–Z a–z 0–9 _ . : | -`);
    return `${prefix}:user:{${userId}}`;
  }
  return {
    prefix,
    /** The keys of one conversation, in the order every conversation script takes them as KEYS[1..4]. */
    conversation(id: string) {
      checkId(id);
      const t = `${prefix}:{${id}}`;
      return {
        /** Hash: `r` record JSON, `s` state, `v` version (compare-and-set), `q` last accepted signal seq. */
        record: `${t}:conv`,
        /** List of event JSON; an event's id is its position + 1 (RPUSH's reply). */
        events: `${t}:events`,
        /** Hash: visitor message clientId → event id (idempotent appends). */
        clientIds: `${t}:ids`,
        /** List of accepted signals (JSON), bounded to the history length. */
        signals: `${t}:signals`,
        /** Pub/sub channel: every appended event as `{"id":n,"event":…}`, and `deleted` when it is deleted. */
        channel: `${t}:ch`,
      };
    },
    /** String: the conversation id bound to a verified customer (see `user` above). */
    user,
    /**
     * Messenger basics (issue 12): sorted set of the conversations ever bound to a verified customer, score =
     * when bound (Unix ms), the latest 50 kept, PX = the conversation TTL; in the customer's slot.
     */
    userPast: (userId: string) => `${user(userId)}:past`,
    /** Messenger basics (issue 12): sorted set of rated conversations, score = when rated (the rating is the record's `c`). */
    ratings: `${g}:ratings`,
    /** Set of every conversation id (for listConversations; entries of expired conversations are dropped lazily). */
    all: `${g}:conversations`,
    /** Set of 'bot' conversations whose meta.wantsHuman is true (listWantingHuman), kept with the record. */
    wanting: `${g}:wanting`,
    /** Sorted set of conversations the bot owes a reply, score = when marked (the event id is the record's `b`). */
    botOwed: `${g}:bot-owed`,
    /** Set of conversation ids per state, kept with the record by the same script. */
    state: (s: HandoffState) => `${g}:state:${s}`,
    /** Sorted set of audit seqs (12 digits), score = at: the time index. */
    audit: `${g}:audit`,
    /** Hash seq → `<conversation id>|<entry JSON without conversationId>`. */
    auditEntries: `${g}:audit-entries`,
    /** The seqs of one conversation, score = at (readAudit by conversation, redactAudit, prune). */
    auditOf: (id: string) => `${g}:audit:${id}`,
    /** The prefix of `auditOf` keys, for the prune script that derives them from members (same slot). */
    auditOfPrefix: `${g}:audit:`,
    /** Counter that orders audit entries with equal timestamps. */
    auditSeq: `${g}:audit-seq`,
    /** Hash agentId → presence JSON, and a sorted set agentId → lastSeen for retention. */
    agents: `${g}:agents`,
    agentsSeen: `${g}:agents-seen`,
    /** Issue 14: the webhook outbox — sorted set id → due time, hash id → delivery JSON. */
    webhooksDue: `${g}:webhooks-due`,
    webhooks: `${g}:webhooks`,
    /** Issue 15: sorted set of conversation ids, score = last visitor message (else creation), for retention. */
    activity: `${g}:activity`,
    /** Issue 14: list of a conversation's staff notes (JSON), on the conversation's slot. */
    notes: (id: string) => {
      checkId(id);
      return `${prefix}:{${id}}:notes`;
    },
    /** Channel on which lock releases are announced (message = the lock key), so waiters wake at once. */
    lockReleased: `${g}:lock-released`,
    /** A lock: string value = the holder's random token, PX = lease. */
    lock: (key: string) => `${prefix}:lock:${tagged(key)}`,
    /** A token bucket: hash `t` tokens, `a` last refill (ms). */
    bucket: (key: string) => `${prefix}:bucket:${tagged(key)}`,
    /** Leased slots: sorted set lease id → expiry (ms, Redis clock). */
    slots: (key: string) => `${prefix}:slots:${tagged(key)}`,
    /** A Coordination pub/sub channel. */
    channel: (name: string) => `${prefix}:chan:${name}`,
  };
}

export type Keyspace = ReturnType<typeof keyspace>;
