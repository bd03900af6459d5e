// The Lua scripts: every write that must be atomic is one script, loaded by name through ioredis
// `defineCommand` (EVALSHA, falling back to EVAL on NOSCRIPT — e.g. after Redis restarted and lost its script
// cache). Conversation scripts take the conversation's four keys as KEYS[1..4] (record, events, clientIds,
// signals, see keys.ts) and refresh the idle TTL of all four together, so a conversation's keys expire as one.

/** Refreshes the idle TTL of KEYS[1..4] to `ttl` ms (keys that do not exist yet are skipped by Redis). */
const TOUCH = `
local function touch(ttl)
  for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ttl) end
end
`;

/** Millisecond time of the Redis server (one clock for every instance). */
const NOW = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

/** Definitions handed to `defineCommand`: name → number of KEYS and source. */
export const SCRIPTS = {
  /**
   * Create a conversation. KEYS: record, events, clientIds, signals, all-set, state-set, wanting-set.
   * ARGV: id, record JSON, state, ttl, wants a person ('1'/'0'). → 1, or 0 when the id exists.
   */
  temperCreate: {
    numberOfKeys: 8,
    lua: `${TOUCH}
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
redis.call('HSET', KEYS[1], 'r', ARGV[2], 's', ARGV[3], 'v', 1)
redis.call('SADD', KEYS[5], ARGV[1])
redis.call('SADD', KEYS[6], ARGV[1])
if ARGV[5] == '1' then redis.call('SADD', KEYS[7], ARGV[1]) else redis.call('SREM', KEYS[7], ARGV[1]) end
redis.call('ZADD', KEYS[8], ARGV[6], ARGV[1])
touch(tonumber(ARGV[4]))
return 1`,
  },
  /**
   * Compare-and-set of a whole record on its version (updateConversation, transition). KEYS: record, events,
   * clientIds, signals, old state-set, new state-set, wanting-set. ARGV: id, expected version, record JSON,
   * new state, ttl, wants a person ('1'/'0'), expected record JSON or '' (versions restart at 1 when an id is
   * created again, so a write based on a record remembered from earlier checks the record itself too).
   * KEYS[8] / ARGV[8] (issue 15): the activity index and the record's activity time (last visitor message).
   * → 1 written, 0 version or record moved on (re-read and retry), -1 gone.
   */
  temperCas: {
    numberOfKeys: 8,
    lua: `${TOUCH}
local cur = redis.call('HMGET', KEYS[1], 'v', 'r')
local v = cur[1]
if not v then return -1 end
if v ~= ARGV[2] then return 0 end
if ARGV[7] ~= '' and cur[2] ~= ARGV[7] then return 0 end
redis.call('HSET', KEYS[1], 'r', ARGV[3], 's', ARGV[4], 'v', tonumber(v) + 1)
if KEYS[5] ~= KEYS[6] then
  redis.call('SREM', KEYS[5], ARGV[1])
  redis.call('SADD', KEYS[6], ARGV[1])
end
if ARGV[6] == '1' then redis.call('SADD', KEYS[7], ARGV[1]) else redis.call('SREM', KEYS[7], ARGV[1]) end
redis.call('ZADD', KEYS[8], ARGV[8], ARGV[1])
touch(tonumber(ARGV[5]))
return 1`,
  },
  /**
   * Append an event; with a clientId, only if no visitor message with that clientId is stored. KEYS: record,
   * events, clientIds, signals. ARGV: event JSON, ttl, clientId or '', channel.
   * → {1, id} appended; {0, id, storedJSON?} duplicate; {-1} unknown conversation.
   * The id is RPUSH's reply (the new length): gap-free by construction. Publishing inside the script makes
   * the order on the channel the order of the ids.
   */
  temperAppend: {
    numberOfKeys: 4,
    lua: `${TOUCH}
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
if ARGV[3] ~= '' then
  local seen = redis.call('HGET', KEYS[3], ARGV[3])
  if seen then return {0, tonumber(seen), redis.call('LINDEX', KEYS[2], tonumber(seen) - 1)} end
end
local id = redis.call('RPUSH', KEYS[2], ARGV[1])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[3], ARGV[3], id) end
touch(tonumber(ARGV[2]))
redis.call('PUBLISH', ARGV[4], '{"id":' .. id .. ',"event":' .. ARGV[1] .. '}')
return {1, id}`,
  },
  /**
   * Events after an id. KEYS: record, events. ARGV: start index, stop index (-1 = end).
   * → {exists, json…}; with `from` 0 and a known length, ids are start+1….
   */
  temperRead: {
    numberOfKeys: 2,
    lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
local items = redis.call('LRANGE', KEYS[2], ARGV[1], ARGV[2])
table.insert(items, 1, 1)
return items`,
  },
  /** Length of the log, for the baseline of a new subscription. KEYS: record, events. → length, or -1. */
  temperLength: {
    numberOfKeys: 2,
    lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
return redis.call('LLEN', KEYS[2])`,
  },
  /**
   * Signal seq compare-and-set. KEYS: record, events, clientIds, signals. ARGV: seq, signal JSON, history
   * length, ttl. → {'ok', history JSON…}; {'stale', lastSeq}; {'not-found'}.
   */
  temperSignal: {
    numberOfKeys: 4,
    lua: `${TOUCH}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'not-found'} end
local last = redis.call('HGET', KEYS[1], 'q')
if last and tonumber(ARGV[1]) <= tonumber(last) then return {'stale', last} end
redis.call('HSET', KEYS[1], 'q', ARGV[1])
redis.call('RPUSH', KEYS[4], ARGV[2])
redis.call('LTRIM', KEYS[4], -tonumber(ARGV[3]), -1)
touch(tonumber(ARGV[4]))
local out = redis.call('LRANGE', KEYS[4], 0, -1)
table.insert(out, 1, 'ok')
return out`,
  },
  /**
   * Delete a conversation. KEYS: record, events, clientIds, signals, all-set, wanting-set, every state-set.
   * ARGV: id, channel. → 1 deleted, 0 unknown. Announces `deleted` on the channel so every instance ends
   * its local subscriptions.
   */
  temperDelete: {
    numberOfKeys: 10,
    lua: `
local existed = redis.call('DEL', KEYS[1])
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
for i = 5, #KEYS do redis.call('SREM', KEYS[i], ARGV[1]) end
if existed == 1 then redis.call('PUBLISH', ARGV[2], 'deleted') end
return existed`,
  },
  /**
   * Drop a customer's binding if it still names the deleted conversation. KEYS: user binding. ARGV:
   * conversation id. A binding that a new session already moved on is left alone.
   */
  temperUnbindUser: {
    numberOfKeys: 1,
    lua: `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
  },
  /**
   * Append an audit entry. KEYS: seq counter, audit, audit entries, audit-of-conversation. ARGV: at,
   * conversation id, entry JSON without conversationId. The 12-digit seq orders entries with equal `at` like
   * the in-memory log (sorted sets break score ties by member, lexically).
   */
  temperAudit: {
    numberOfKeys: 4,
    lua: `
local seq = string.format('%012d', redis.call('INCR', KEYS[1]))
redis.call('ZADD', KEYS[2], ARGV[1], seq)
redis.call('HSET', KEYS[3], seq, ARGV[2] .. '|' .. ARGV[3])
redis.call('ZADD', KEYS[4], ARGV[1], seq)
return seq`,
  },
  /**
   * Audit entries in a time range. KEYS: index (audit or audit-of), audit entries. ARGV: min, max, limit (-1 =
   * all). → `<conversation id>|<entry JSON>` oldest first.
   */
  temperReadAudit: {
    numberOfKeys: 2,
    lua: `
local seqs = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
if #seqs == 0 then return {} end
return redis.call('HMGET', KEYS[2], unpack(seqs))`,
  },
  /**
   * Drop up to ARGV[2] audit entries with at < ARGV[1]. KEYS: audit, audit entries. ARGV: before, batch,
   * audit-of prefix. The per-conversation keys are derived from the entries; they carry the same hash tag as
   * KEYS[1] (one slot on Cluster). → how many were dropped.
   */
  temperPruneAudit: {
    numberOfKeys: 2,
    lua: `
local seqs = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
if #seqs == 0 then return 0 end
local entries = redis.call('HMGET', KEYS[2], unpack(seqs))
for i, seq in ipairs(seqs) do
  local cid = entries[i] and string.match(entries[i], '^([^|]*)|')
  if cid then redis.call('ZREM', ARGV[3] .. cid, seq) end
end
redis.call('ZREM', KEYS[1], unpack(seqs))
redis.call('HDEL', KEYS[2], unpack(seqs))
return #seqs`,
  },
  /**
   * Replace a conversation id by a pseudonym in the audit log. KEYS: audit entries, audit-of(id),
   * audit-of(pseudonym). ARGV: id, pseudonym. → how many entries.
   */
  temperRedactAudit: {
    numberOfKeys: 3,
    lua: `
local items = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
local cut = #ARGV[1] + 1
for i = 1, #items, 2 do
  local seq, at = items[i], items[i + 1]
  local entry = redis.call('HGET', KEYS[1], seq)
  if entry then redis.call('HSET', KEYS[1], seq, ARGV[2] .. string.sub(entry, cut)) end
  redis.call('ZADD', KEYS[3], at, seq)
end
redis.call('DEL', KEYS[2])
return #items / 2`,
  },
  /**
   * Mark a bot reply owed. KEYS: record, owed zset. ARGV: id, event id, at. The event id lives in the record
   * hash (field `b`, so it goes with the conversation), the time in the zset (the sweep's index).
   * → 1, or 0 when the conversation is unknown. A lower event id never lowers `b`.
   */
  temperOwe: {
    numberOfKeys: 2,
    lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local b = tonumber(redis.call('HGET', KEYS[1], 'b') or '0')
if tonumber(ARGV[2]) > b then redis.call('HSET', KEYS[1], 'b', ARGV[2]) end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1`,
  },
  /**
   * Clear an owed bot reply up to an event id (compare-and-delete). KEYS: record, owed zset. ARGV: id, up-to
   * event id. → 1 cleared, 0 not owed or owed for a later message.
   */
  temperUnowe: {
    numberOfKeys: 2,
    lua: `
local b = redis.call('HGET', KEYS[1], 'b')
if not b then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return 0
end
if tonumber(b) > tonumber(ARGV[2]) then return 0 end
redis.call('HDEL', KEYS[1], 'b')
redis.call('ZREM', KEYS[2], ARGV[1])
return 1`,
  },
  /**
   * Drop sorted-set index entries whose record no longer has field ARGV[1] (the owed-reply index and field
   * `b`; the ratings index and field `c`): conversation deleted or expired, or the marker cleared. KEYS: the
   * zset, then the record key of each id. ARGV: the field, then the ids. Like temperDropGone: an id marked
   * again meanwhile stays.
   */
  temperDropUnset: {
    lua: `
local n = 0
for i = 2, #ARGV do
  if redis.call('HEXISTS', KEYS[i], ARGV[1]) == 0 then n = n + redis.call('ZREM', KEYS[1], ARGV[i]) end
end
return n`,
  },
  /**
   * Drop index entries of conversations that expired. KEYS: the index set, then the record key of each id.
   * ARGV: the ids. Only ids whose record is still gone are removed (one created again meanwhile stays).
   */
  temperDropGone: {
    lua: `
local n = 0
for i, id in ipairs(ARGV) do
  if redis.call('EXISTS', KEYS[i + 1]) == 0 then n = n + redis.call('SREM', KEYS[1], id) end
end
return n`,
  },
  /**
   * Upsert an agent's presence and drop agents not seen since ARGV[4]. KEYS: agents hash, seen zset.
   * ARGV: agentId, presence JSON, lastSeen, drop-before.
   */
  temperPresence: {
    numberOfKeys: 2,
    lua: `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[4])
for _, a in ipairs(old) do redis.call('HDEL', KEYS[1], a) end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[4])
return #old`,
  },
  /** Release a lock if this holder still has it, and announce it. KEYS: lock. ARGV: token, channel, key. */
  temperUnlock: {
    numberOfKeys: 1,
    lua: `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1`,
  },
  /** Extend a lock this holder still has. KEYS: lock. ARGV: token, lease ms. → 1, or 0 when lost. */
  temperRelock: {
    numberOfKeys: 1,
    lua: `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])`,
  },
  /**
   * Token bucket (lazy refill, same arithmetic as the in-memory limiter). KEYS: bucket. ARGV: burst,
   * perSecond, now (ms). → '0' taken, else the seconds until a token is available; 'inf' when it never refills.
   * The key expires when the bucket would be full again, which is the same as a new bucket.
   */
  temperTake: {
    numberOfKeys: 1,
    lua: `
local burst, rate, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local b = redis.call('HMGET', KEYS[1], 't', 'a')
local tokens, at = burst, now
if b[1] then
  at = tonumber(b[2])
  local dt = math.max(0, now - at) / 1000
  tokens = math.min(burst, tonumber(b[1]) + dt * rate)
  at = math.max(at, now)
end
local wait = '0'
if tokens >= 1 then
  tokens = tokens - 1
elseif rate > 0 then
  wait = string.format('%.17g', (1 - tokens) / rate)
else
  wait = 'inf'
end
redis.call('HSET', KEYS[1], 't', string.format('%.17g', tokens), 'a', string.format('%.17g', at))
if rate > 0 then
  redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate * 1000) + 1000)
else
  redis.call('PEXPIRE', KEYS[1], 86400000)
end
return wait`,
  },
  /** Take a slot. KEYS: slots. ARGV: max, ttl ms, lease id. → 1 taken, 0 full. Lapsed leases are dropped first. */
  temperAcquire: {
    numberOfKeys: 1,
    lua: `${NOW}
local now = now_ms()
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
local top = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], tonumber(top[2]) + 1)
return 1`,
  },
  /** Extend a slot lease. KEYS: slots. ARGV: lease id, ttl ms. → 1 renewed, 0 lapsed. */
  temperRenew: {
    numberOfKeys: 1,
    lua: `${NOW}
local now = now_ms()
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
local top = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], tonumber(top[2]) + 1)
return 1`,
  },
  /** Visitor presence (issue 12): unlapsed leases of a slot key. KEYS: slots. → count (by Redis's clock). */
  temperHolders: {
    numberOfKeys: 1,
    lua: `${NOW}
return redis.call('ZCOUNT', KEYS[1], '(' .. now_ms(), '+inf')`,
  },
  // --- Messenger basics (issue 12): a customer's past conversations, CSAT ratings ---
  /**
   * Bind a customer to a conversation and put it first in their list of past conversations. KEYS: user
   * binding, user past zset. ARGV: conversation id, ttl, now (ms), how many to keep. Scores only increase (one
   * above the top when the clock did not move), so the order is the order of bindings.
   */
  temperBindUser: {
    numberOfKeys: 2,
    lua: `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local score = tonumber(ARGV[3])
local top = redis.call('ZREVRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if top[2] and tonumber(top[2]) >= score then score = tonumber(top[2]) + 1 end
redis.call('ZADD', KEYS[2], score, ARGV[1])
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[4]) + 1))
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1`,
  },
  /**
   * Store a conversation's rating in its record hash (field `c`, so it expires and is deleted with the record)
   * and index it by time. KEYS: record, ratings zset. ARGV: id, rating JSON, at. → 1, or 0 unknown conversation.
   */
  temperRate: {
    numberOfKeys: 2,
    lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'c', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1`,
  },
  // ---- Agents and supervisors (issue 14) ----
  /** Webhook outbox: add unless the id exists. KEYS: due, data. ARGV: id, JSON, dueAt. → 1, or 0 when it existed. */
  temperWebhookAdd: {
    numberOfKeys: 2,
    lua: `
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1`,
  },
  /**
   * Lease due deliveries: each is pushed back to the lease's end, so no other instance leases it meanwhile and
   * it is due again if its deliverer dies. KEYS: due, data. ARGV: now, lease end, limit. → the JSON of each.
   */
  temperWebhookLease: {
    numberOfKeys: 2,
    lua: `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
  local j = redis.call('HGET', KEYS[2], id)
  if j then
    redis.call('ZADD', KEYS[1], ARGV[2], id)
    out[#out + 1] = j
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return out`,
  },
  /** Replace a delivery that is still there. KEYS: due, data. ARGV: id, JSON, dueAt. → 1, or 0 when gone. */
  temperWebhookRetry: {
    numberOfKeys: 2,
    lua: `
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1`,
  },
  /** Append a staff note to a conversation that exists. KEYS: record, notes. ARGV: JSON, ttl. → 1, or 0. */
  temperNote: {
    numberOfKeys: 2,
    lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[2]))
return 1`,
  },
  // ---- Privacy go-live (issue 15) ----
  /** Retention: drop a conversation's signal history, keep its last seq. KEYS: record, signals. → 1, or 0 unknown. */
  temperClearSignals: {
    numberOfKeys: 2,
    lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('DEL', KEYS[2])
return 1`,
  },
  /**
   * Retention: replace list items in place (staff names removed from events or notes) if the conversation still
   * exists. KEYS: record, list. ARGV: index, JSON, index, JSON, … → 1, or 0 when the conversation is gone.
   * Items are only ever appended, so an index names the same item while the conversation lives.
   */
  temperSetItems: {
    numberOfKeys: 2,
    lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
for i = 1, #ARGV, 2 do redis.call('LSET', KEYS[2], tonumber(ARGV[i]), ARGV[i + 1]) end
return 1`,
  },
  /** Retention: replace the rating (staff name removed) if it is still there. KEYS: record. ARGV: expected JSON, new JSON. */
  temperSetRating: {
    numberOfKeys: 1,
    lua: `
if redis.call('HGET', KEYS[1], 'c') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'c', ARGV[2])
return 1`,
  },
  /**
   * Erasure: rewrite audit entries as anonymous ones. KEYS: audit, audit entries, audit-of(conversation).
   * ARGV: seq, new at, new member (\`anon-…|JSON\`), … Only the seqs given leave the conversation's index (an
   * entry appended meanwhile stays findable for the next call). → how many.
   */
  temperAnonAudit: {
    numberOfKeys: 3,
    lua: `
local n = 0
for i = 1, #ARGV, 3 do
  if redis.call('HEXISTS', KEYS[2], ARGV[i]) == 1 then
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 2])
    redis.call('ZADD', KEYS[1], ARGV[i + 1], ARGV[i])
    n = n + 1
  end
  redis.call('ZREM', KEYS[3], ARGV[i])
end
return n`,
  },
} as const;

export type ScriptName = keyof typeof SCRIPTS;
