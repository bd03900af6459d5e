// Signed bearer tokens. A visitor token is `v1.<conversationId>.<expiry base36>.<HMAC>`; an agent token is
// `a1.<base64url JSON claims>.<HMAC>`. Each kind signs under its own prefix so one can never pass as the other.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The HMAC key: a string (UTF-8) or bytes, at least 32 bytes long. */
export type Secret = string | Uint8Array;

const MIN_SECRET_BYTES = 32;
const ID = /^[A-Za-z0-9_-]{8,64}$/;

/** Turns the configured secret into key bytes, refusing short or missing ones with a message that says how. */
export function toKey(secret: unknown): Buffer {
  if (typeof secret !== 'string' && !(secret instanceof Uint8Array))
    throw new TypeError('createTemperServer: `secret` is required (a string or bytes of at least 32 bytes)');
  const key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (key.length < MIN_SECRET_BYTES)
    throw new RangeError(
      `createTemperServer: \`secret\` must be at least ${MIN_SECRET_BYTES} bytes (got ${key.length}); ` +
        "generate one with `node -e \"console.log(require('crypto').randomBytes(32).toString('hex'))\"`",
    );
  return key;
}

function mac(key: Buffer, domain: string, payload: string): Buffer {
  return createHmac('sha256', key).update(`temper:${domain}:`).update(payload).digest();
}

function sameMac(expected: Buffer, given: string): boolean {
  const b = Buffer.from(given, 'base64url');
  // Length is not secret (always 32); checking it first keeps timingSafeEqual from throwing.
  return b.length === expected.length && timingSafeEqual(b, expected);
}

/** Claims of a verified visitor token. */
export interface VisitorClaims {
  conversationId: string;
  /** Unix ms. */
  expiresAt: number;
}

export function signVisitorToken(key: Buffer, claims: VisitorClaims): string {
  const payload = `v1.${claims.conversationId}.${claims.expiresAt.toString(36)}`;
  return `${payload}.${mac(key, 'visitor', payload).toString('base64url')}`;
}

/**
 * Checks signature and shape; expiry is left to the caller (renewal accepts recently expired tokens).
 * Returns `null` for anything not signed by `key`.
 */
export function readVisitorToken(key: Buffer, token: string): VisitorClaims | null {
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== 'v1') return null;
  const [, cid, exp36, sig] = parts as [string, string, string, string];
  if (!ID.test(cid) || !/^[0-9a-z]{1,12}$/.test(exp36)) return null;
  if (!sameMac(mac(key, 'visitor', `v1.${cid}.${exp36}`), sig)) return null;
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
  /** Unix ms after which the token is refused; absent = no expiry. */
  expiresAt?: number;
}

export function signAgentToken(key: Buffer, claims: AgentClaims): string {
  const body: Record<string, unknown> = { sub: claims.agentId, name: claims.name, role: claims.role };
  if (claims.expiresAt !== undefined) body.exp = claims.expiresAt;
  const payload = `a1.${Buffer.from(JSON.stringify(body), 'utf8').toString('base64url')}`;
  return `${payload}.${mac(key, 'agent', payload).toString('base64url')}`;
}

export function readAgentToken(key: Buffer, token: string, now: number): AgentClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== 'a1') return null;
  const [, body, sig] = parts as [string, string, string];
  if (!sameMac(mac(key, 'agent', `a1.${body}`), sig)) return null;
  let c: { sub?: unknown; name?: unknown; role?: unknown; exp?: unknown };
  try {
    c = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof c.sub !== 'string' || typeof c.name !== 'string' || !AGENT_ROLES.includes(c.role as AgentRole)) return null;
  if (c.exp !== undefined && (typeof c.exp !== 'number' || c.exp <= now)) return null;
  const claims: AgentClaims = { agentId: c.sub, name: c.name, role: c.role as AgentRole };
  if (typeof c.exp === 'number') claims.expiresAt = c.exp;
  return claims;
}

/**
 * Creates a signed agent token for the agent API (`Authorization: Bearer <token>`). Run it on your server,
 * e.g. after your own sign-in, with the same secret as `createTemperServer`.
 *
 * @example
 * const token = createAgentToken(process.env.TEMPER_SECRET!, { agentId: 'a-17', name: 'Mei', role: 'agent' });
 */
export function createAgentToken(secret: Secret, claims: AgentClaims): string {
  if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(claims.agentId)) throw new RangeError('createAgentToken: agentId must be 1–64 of [A-Za-z0-9_.@-]');
  if (typeof claims.name !== 'string' || claims.name.length < 1 || claims.name.length > 80)
    throw new RangeError('createAgentToken: name must be 1–80 characters');
  if (!AGENT_ROLES.includes(claims.role)) throw new RangeError(`createAgentToken: role must be one of ${AGENT_ROLES.join(', ')}`);
  return signAgentToken(toKey(secret), claims);
}
