// Signed bearer tokens. A visitor token is `v1.<conversationId>.<expiry base36>[.<kid>].<HMAC>`; an agent token is
// `a1.<base64url JSON claims>[.<kid>].<HMAC>`. Each kind signs under its own prefix so one can never pass as the
// other. The key id names which key of a rotation list signed it; tokens of a single unnamed secret carry none.
// Signatures are compared as canonical base64url text, so each token has exactly one accepted spelling.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { toAgentProfile, type AgentProfile } from './agents/profile.js';

/** One key of a rotation list: a short id carried in every token it signs, and the key itself (≥ 32 bytes). */
export interface SecretEntry {
  /** 1–16 of `[A-Za-z0-9_-]`, unique in the list. Never reuse an id for another key. */
  kid: string;
  key: string | Uint8Array;
}

/**
 * An HMAC key: a string (UTF-8) or bytes of at least 32 bytes, or a rotation list of `{ kid, key }` whose first
 * entry signs and every entry verifies. The same shape serves session tokens, agent tokens and identity hashes.
 *
 * @example
 * const secret: Secret = [
 *   { kid: '2026-12', key: process.env.TEMPER_SECRET_NEW! }, // signs from now on
 *   { kid: '2026-06', key: process.env.TEMPER_SECRET_OLD! }, // still verifies what it signed
 * ];
 */
export type Secret = string | Uint8Array | readonly SecretEntry[];

/** A compiled `Secret`: the key that signs and every key that verifies, by id (`''` = the unnamed key). */
export interface Keyring {
  readonly signKid: string;
  readonly signKey: Buffer;
  readonly verify: ReadonlyMap<string, Buffer>;
}

const MIN_SECRET_BYTES = 32;
const ID = /^[A-Za-z0-9_-]{8,64}$/;
const KID = /^[A-Za-z0-9_-]{1,16}$/;

function keyBytes(secret: unknown, what: string): Buffer {
  if (typeof secret !== 'string' && !(secret instanceof Uint8Array))
    throw new TypeError(`${what} is required (a string or bytes of at least ${MIN_SECRET_BYTES} bytes)`);
  const key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (key.length < MIN_SECRET_BYTES)
    throw new RangeError(
      `${what} must be at least ${MIN_SECRET_BYTES} bytes (got ${key.length}); ` +
        "generate one with `node -e \"console.log(require('crypto').randomBytes(32).toString('hex'))\"`",
    );
  return key;
}

/**
 * Compiles a `Secret` into a keyring, refusing short or missing keys, bad or duplicate key ids and empty lists
 * with a message that says how. `what` names the option in messages.
 *
 * @example
 * const ring = toKeyring([{ kid: 'k2', key: newKey }, { kid: 'k1', key: oldKey }]); // signs with k2
 */
export function toKeyring(secret: unknown, what = 'createTemperServer: `secret`'): Keyring {
  if (!Array.isArray(secret)) {
    const key = keyBytes(secret, what);
    return { signKid: '', signKey: key, verify: new Map([['', key]]) };
  }
  if (secret.length === 0) throw new RangeError(`${what}: a key list needs at least one { kid, key } (a non-empty list)`);
  const verify = new Map<string, Buffer>();
  secret.forEach((e: unknown, i) => {
    const entry = e as Partial<SecretEntry> | null;
    if (!entry || typeof entry !== 'object') throw new TypeError(`${what}[${i}] must be { kid, key }`);
    if (typeof entry.kid !== 'string' || !KID.test(entry.kid))
      throw new TypeError(`${what}[${i}].kid must be 1–16 of [A-Za-z0-9_-] (got ${JSON.stringify(entry.kid)})`);
    if (verify.has(entry.kid)) throw new TypeError(`${what}: kid ${JSON.stringify(entry.kid)} appears twice (kids must be unique)`);
    verify.set(entry.kid, keyBytes(entry.key, `${what}[${i}].key`));
  });
  const first = secret[0] as SecretEntry;
  return { signKid: first.kid, signKey: verify.get(first.kid)!, verify };
}

function mac(key: Buffer, domain: string, payload: string): Buffer {
  return createHmac('sha256', key).update(`temper:${domain}:`).update(payload).digest();
}

/** Compares the given signature text with the canonical base64url of `expected`: one spelling per token. */
function sameMac(expected: Buffer, given: string): boolean {
  const want = Buffer.from(expected.toString('base64url'), 'latin1');
  const got = Buffer.from(given, 'latin1');
  // Length is not secret (always 43 characters); checking it first keeps timingSafeEqual from throwing.
  return got.length === want.length && timingSafeEqual(got, want);
}

/**
 * Verifies `sig` over `payload` with the key named `kid`; a token without a kid (made by a single unnamed
 * secret before a rotation list was configured) is tried against every key.
 */
function verifyMac(ring: Keyring, domain: string, payload: string, kid: string | null, sig: string): boolean {
  if (kid !== null) {
    const key = ring.verify.get(kid);
    return key !== undefined && sameMac(mac(key, domain, payload), sig);
  }
  for (const key of ring.verify.values()) if (sameMac(mac(key, domain, payload), sig)) return true;
  return false;
}

/** `payload[.kid].sig` for the ring's signing key. */
function sign(ring: Keyring, domain: string, payload: string): string {
  const signed = ring.signKid ? `${payload}.${ring.signKid}` : payload;
  return `${signed}.${mac(ring.signKey, domain, signed).toString('base64url')}`;
}

/**
 * Splits `token` into its payload parts (`n` of them), its kid (or null) and its signature, checking the kid's
 * shape; the MAC covers `payload[.kid]` exactly as written.
 */
function split(token: string, n: number): { parts: string[]; kid: string | null; signed: string; sig: string } | null {
  const all = token.split('.');
  if (all.length !== n + 1 && all.length !== n + 2) return null;
  const sig = all.pop()!;
  const kid = all.length === n + 1 ? all.pop()! : null;
  if (kid !== null && !KID.test(kid)) return null;
  const parts = all;
  return { parts, kid, signed: kid === null ? parts.join('.') : `${parts.join('.')}.${kid}`, sig };
}

/** Claims of a verified visitor token. */
export interface VisitorClaims {
  conversationId: string;
  /** Unix ms. */
  expiresAt: number;
}

export function signVisitorToken(ring: Keyring, claims: VisitorClaims): string {
  return sign(ring, 'visitor', `v1.${claims.conversationId}.${claims.expiresAt.toString(36)}`);
}

/**
 * Checks signature and shape; expiry is left to the caller (renewal accepts recently expired tokens).
 * Returns `null` for anything not signed by a key of `ring`.
 */
export function readVisitorToken(ring: Keyring, token: string): VisitorClaims | null {
  const t = split(token, 3);
  if (!t || t.parts[0] !== 'v1') return null;
  const [, cid, exp36] = t.parts as [string, string, string];
  if (!ID.test(cid) || !/^[0-9a-z]{1,12}$/.test(exp36)) return null;
  if (!verifyMac(ring, 'visitor', t.signed, t.kid, t.sig)) return null;
  return { conversationId: cid, expiresAt: parseInt(exp36, 36) };
}

/**
 * Roles of agent tokens, least to most privileged: `agent` handles chats, `supervisor` also reads reports,
 * `admin` also deletes conversations.
 *
 * @example
 * if (!AGENT_ROLES.includes(role)) throw new Error('unknown role');
 */
export const AGENT_ROLES = ['agent', 'supervisor', 'admin'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

/** Who an agent token speaks for. */
export interface AgentClaims {
  agentId: string;
  /** Display name shown to the visitor when this agent takes a chat. */
  name: string;
  role: AgentRole;
  /**
   * Unix ms after which the token is refused. Every token `createAgentToken` makes has one (issue 15): the
   * server refuses a token without it, or with one more than `MAX_AGENT_TOKEN_TTL_MS` ahead, with 401
   * `agent-token-expiry`.
   */
  expiresAt?: number;
  /** Languages, skills and chat limit the router matches chats to (agents and supervisors); absent = pull only. */
  profile?: AgentProfile;
}

export function signAgentToken(ring: Keyring, claims: AgentClaims): string {
  const body: Record<string, unknown> = { sub: claims.agentId, name: claims.name, role: claims.role };
  if (claims.expiresAt !== undefined) body.exp = claims.expiresAt;
  if (claims.profile !== undefined) body.prf = claims.profile;
  return sign(ring, 'agent', `a1.${Buffer.from(JSON.stringify(body), 'utf8').toString('base64url')}`);
}

export function readAgentToken(ring: Keyring, token: string, now: number): AgentClaims | null {
  const t = split(token, 2);
  if (!t || t.parts[0] !== 'a1') return null;
  const body = t.parts[1]!;
  if (!verifyMac(ring, 'agent', t.signed, t.kid, t.sig)) return null;
  let c: { sub?: unknown; name?: unknown; role?: unknown; exp?: unknown; prf?: unknown };
  try {
    c = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof c.sub !== 'string' || typeof c.name !== 'string' || !AGENT_ROLES.includes(c.role as AgentRole)) return null;
  if (c.exp !== undefined && (typeof c.exp !== 'number' || c.exp <= now)) return null;
  const claims: AgentClaims = { agentId: c.sub, name: c.name, role: c.role as AgentRole };
  if (typeof c.exp === 'number') claims.expiresAt = c.exp;
  if (c.prf !== undefined) {
    try {
      claims.profile = toAgentProfile(c.prf);
    } catch {
      return null;
    }
  }
  return claims;
}

// --- Staff access (issue 15, finding 7): every agent token expires ---

/**
 * The longest an agent token may live: 30 days. `createAgentToken` refuses a longer `ttlMs` / later
 * `expiresAt`, and the server refuses (401 `agent-token-expiry`) a token whose expiry lies further ahead than
 * this (plus a minute of clock skew) or that has none.
 *
 * @example
 * createAgentToken(secret, { agentId: 'a-1', name: 'Ann', role: 'agent', ttlMs: MAX_AGENT_TOKEN_TTL_MS });
 */
export const MAX_AGENT_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** Clock skew the server forgives when it checks that a token's expiry is within `MAX_AGENT_TOKEN_TTL_MS`. */
export const AGENT_TOKEN_SKEW_MS = 60_000;

/**
 * What `createAgentToken` signs: the claims plus an expiry, given either as `ttlMs` (from `now`) or as
 * `expiresAt` (Unix ms) — exactly one of the two, at most `MAX_AGENT_TOKEN_TTL_MS` ahead. `now` is the clock
 * to count from (default `Date.now()`; pass your server's clock in tests with a fake one).
 */
export type AgentTokenInput = Omit<AgentClaims, 'expiresAt'> &
  ({ ttlMs: number; expiresAt?: undefined } | { expiresAt: number; ttlMs?: undefined }) & { now?: number };

function expiryOf(input: { ttlMs?: unknown; expiresAt?: unknown; now?: unknown }): number {
  const how = 'pass ttlMs (e.g. 8 * 3_600_000 for one shift) or expiresAt (Unix ms), at most 30 days ahead';
  const now = input.now ?? Date.now();
  if (typeof now !== 'number' || !Number.isFinite(now)) throw new TypeError('createAgentToken: now must be Unix ms');
  if (input.ttlMs !== undefined && input.expiresAt !== undefined) throw new TypeError(`createAgentToken: give ttlMs or expiresAt, not both (${how})`);
  if (input.ttlMs === undefined && input.expiresAt === undefined) throw new TypeError(`createAgentToken: every agent token needs an expiry: ${how}`);
  const exp = input.ttlMs !== undefined ? now + (input.ttlMs as number) : (input.expiresAt as number);
  const field = input.ttlMs !== undefined ? 'ttlMs' : 'expiresAt';
  if (typeof (input.ttlMs ?? input.expiresAt) !== 'number' || !Number.isInteger(exp)) throw new TypeError(`createAgentToken: ${field} must be a whole number of ms`);
  if (exp <= now) throw new TypeError(`createAgentToken: ${field} must lie in the future (${how})`);
  if (exp - now > MAX_AGENT_TOKEN_TTL_MS) throw new TypeError(`createAgentToken: ${field} is more than 30 days ahead (${how}); sign staff in again instead`);
  return exp;
}

/**
 * Creates a signed agent token for the agent API (`Authorization: Bearer <token>`). Run it on your server,
 * e.g. after your own sign-in, with the same secret as `createTemperServer` (a rotation list signs with its
 * first key). Every token needs an expiry (`ttlMs` or `expiresAt`, at most 30 days ahead); a missing or longer
 * one throws a TypeError.
 *
 * @example
 * const token = createAgentToken(process.env.TEMPER_SECRET!, {
 *   agentId: 'a-17', name: 'Mei', role: 'agent', ttlMs: 8 * 3_600_000,
 *   profile: { languages: ['zh', 'en'], skills: ['payments', 'de-escalation'], maxChats: 3 },
 * });
 */
export function createAgentToken(secret: Secret, input: AgentTokenInput): string {
  if (!input || typeof input !== 'object') throw new TypeError('createAgentToken: claims must be an object');
  const claims: AgentClaims = { agentId: input.agentId, name: input.name, role: input.role, ...(input.profile !== undefined ? { profile: input.profile } : {}) };
  if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(claims.agentId)) throw new RangeError('createAgentToken: agentId must be 1–64 of [A-Za-z0-9_.@-]');
  if (typeof claims.name !== 'string' || claims.name.length < 1 || claims.name.length > 80)
    throw new RangeError('createAgentToken: name must be 1–80 characters');
  if (!AGENT_ROLES.includes(claims.role)) throw new RangeError(`createAgentToken: role must be one of ${AGENT_ROLES.join(', ')}`);
  const expiresAt = expiryOf(input);
  const profile = claims.profile === undefined ? undefined : toAgentProfile(claims.profile, 'createAgentToken: profile');
  return signAgentToken(toKeyring(secret, 'createAgentToken: `secret`'), { ...claims, expiresAt, ...(profile ? { profile } : {}) });
}
