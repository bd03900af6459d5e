// Staff access (issue 15, findings 7 and 8): who among the staff may read which transcript, the audit entry every
// read leaves (who, role, when, which conversation, how — never text), and the one staff view of text: card
// numbers always masked (data stored before masking on receipt, or by another Store writer, included), emails and
// phone numbers too when the host asks — except the contact a visitor left for a callback, which staff need.
import { maskCardNumbers, type ServerEvent } from '@temper/protocol';
import { EMAIL, PHONE } from './flow/callback.js';
import type { CallbackRequest, RoutingMeta } from './flow/types.js';
import { HttpError } from './http/error.js';
import type { ConversationRecord, StaffRead, Store } from './store.js';
import type { AgentClaims } from './token.js';

/**
 * Which transcripts supervisors (or admins) may read when they do not hold the chat themselves:
 * `all` — any; `escalated` (default) — only chats that were handed towards a person (queued, claimed, asked for
 * a person, or left a callback contact): a chat the visitor only had with the bot stays unread; `none` — none
 * (they see the board's levels and waits, and read a chat only after taking it over, which the visitor is told).
 */
export const READ_SCOPES = ['all', 'escalated', 'none'] as const;
export type ReadScope = (typeof READ_SCOPES)[number];

/** What the host may also mask in text shown to staff (card numbers are always masked). */
export const STAFF_MASKS = ['emails', 'phones'] as const;
export type StaffMask = (typeof STAFF_MASKS)[number];

/**
 * `createTemperServer({ staffAccess })`.
 *
 * @example
 * createTemperServer({ secret, staffAccess: { supervisorsRead: 'none', mask: ['emails', 'phones'] } });
 */
export interface StaffAccessOptions {
  /** Transcripts a supervisor may read without holding the chat. Default `'escalated'`. */
  supervisorsRead?: ReadScope;
  /** The same for admins. Default `'escalated'`. */
  adminsRead?: ReadScope;
  /**
   * Also mask these in every text staff see (transcripts, live events, exports, CSAT comments, notes, webhooks).
   * Default none. The contact a visitor left for a callback stays readable in its own messages and in
   * `GET /agent/callbacks`.
   */
  mask?: readonly StaffMask[];
}

/** The checked options. */
export interface StaffAccess {
  supervisorsRead: ReadScope;
  adminsRead: ReadScope;
  emails: boolean;
  phones: boolean;
}

/**
 * Checks `staffAccess` and fills the defaults; a bad value throws naming the option.
 *
 * @example
 * toStaffAccess({ supervisorsRead: 'all' }); // { supervisorsRead: 'all', adminsRead: 'escalated', emails: false, phones: false }
 */
export function toStaffAccess(o: StaffAccessOptions | undefined): StaffAccess {
  const what = 'createTemperServer: staffAccess';
  if (o !== undefined && (o === null || typeof o !== 'object')) throw new TypeError(`${what} must be an object`);
  const scope = (k: 'supervisorsRead' | 'adminsRead'): ReadScope => {
    const v = o?.[k] ?? 'escalated';
    if (!READ_SCOPES.includes(v)) throw new RangeError(`${what}.${k} must be one of ${READ_SCOPES.join(', ')} (got ${JSON.stringify(v)})`);
    return v;
  };
  const mask = o?.mask ?? [];
  if (!Array.isArray(mask) || mask.some((m) => !STAFF_MASKS.includes(m)))
    throw new RangeError(`${what}.mask must be a list of ${STAFF_MASKS.join(', ')} (got ${JSON.stringify(mask)})`);
  return { supervisorsRead: scope('supervisorsRead'), adminsRead: scope('adminsRead'), emails: mask.includes('emails'), phones: mask.includes('phones') };
}

/** True when the chat was ever handed towards a person (what `'escalated'` lets supervisors read). */
export function wasEscalated(c: ConversationRecord): boolean {
  const m = c.meta as RoutingMeta;
  return c.state === 'queued' || c.state === 'agent' || m.route === 'human' || m.wantsHuman === true || m.askedForHuman === true ||
    m.firstQueuedAt != null || m.lastAgentId !== undefined || m.callback != null;
}

/** The chat's holder, or staff whose role and scope allow it; throws 403/404 otherwise. Returns the record. */
export async function mayReadTranscript(store: Store, access: StaffAccess, agent: AgentClaims, id: string): Promise<ConversationRecord> {
  const c = await store.getConversation(id);
  if (!c) throw new HttpError('not-found', 'no such conversation');
  if (c.state === 'agent' && (c.meta as RoutingMeta).agentId === agent.agentId) return c;
  const scope = agent.role === 'admin' ? access.adminsRead : agent.role === 'supervisor' ? access.supervisorsRead : null;
  if (scope === null) throw new HttpError('forbidden', 'claim the conversation before reading it');
  if (scope === 'all' || (scope === 'escalated' && wasEscalated(c))) return c;
  throw new HttpError(
    'forbidden',
    scope === 'none'
      ? `${agent.role}s read only chats they hold here (staffAccess.${agent.role}sRead: 'none'); take it over to read it`
      : `this chat was never handed to a person; ${agent.role}s do not read bot-only chats here (staffAccess.${agent.role}sRead: 'escalated')`,
  );
}

/**
 * Audits one staff read of a transcript before the text goes out: who (`agentId`, `role`), when, which
 * conversation, how (`read`). No level or trend (a read is not a routing fact) and never text. A failed write
 * fails the read: nothing is shown unlogged.
 */
export function auditRead(store: Store, agent: AgentClaims, conversationId: string, read: StaffRead, at: number): Promise<void> {
  return store.appendAudit({ at, conversationId, action: 'transcript-read', agentId: agent.agentId, role: agent.role, read, level: null, trend: null, reasons: [] });
}

const EMAILS = new RegExp(EMAIL.source, 'g');
const MASK = '•';

/** `m•••@example.com`: the first character of the local part and the domain stay. */
const maskEmail = (e: string) => {
  const at = e.indexOf('@');
  return e[0] + MASK.repeat(Math.max(1, at - 1)) + e.slice(at);
};

/** Every digit but the last two becomes `•`; spacing stays. */
const maskPhone = (p: string) => {
  let keep = 2;
  return [...p].reverse().map((ch) => (/\d/.test(ch) ? (keep-- > 0 ? ch : MASK) : ch)).reverse().join('');
};

const digitsOf = (s: string) => s.replace(/\D/g, '');

/**
 * Text as staff see it: card numbers masked (always), and emails / phone numbers when `access` says so — but
 * not `keep`, the contact the visitor left for a callback.
 *
 * @example
 * staffText('card 4111 1111 1111 1111, mail me at mei@example.com', { ...access, emails: true });
 * // 'card •••• •••• •••• 1111, mail me at m••@example.com'
 */
export function staffText(text: string, access: Pick<StaffAccess, 'emails' | 'phones'>, keep?: CallbackRequest | null): string {
  let out = maskCardNumbers(text);
  if (access.emails) out = out.replace(EMAILS, (e) => (keep?.kind === 'email' && keep.contact === e ? e : maskEmail(e)));
  if (access.phones)
    out = out.replace(PHONE, (p) => {
      const d = digitsOf(p);
      if (d.length < 7 || d.length > 15) return p;
      return keep?.kind === 'phone' && digitsOf(keep.contact) === d ? p : maskPhone(p);
    });
  return out;
}

/** A stored event as staff see it: message text through `staffText`, every other event as is. */
export function staffEvent(e: ServerEvent, access: Pick<StaffAccess, 'emails' | 'phones'>, keep?: CallbackRequest | null): ServerEvent {
  return e.type === 'message' ? { ...e, text: staffText(e.text, access, keep) } : e;
}

/** Every string inside `v` (objects, arrays) through `staffText`; numbers, booleans and keys as they are. */
export function staffValue<T>(v: T, access: Pick<StaffAccess, 'emails' | 'phones'>): T {
  if (typeof v === 'string') return staffText(v, access) as T;
  if (Array.isArray(v)) return v.map((x) => staffValue(x, access)) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, staffValue(x, access)])) as T;
  return v;
}
