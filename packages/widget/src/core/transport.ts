// The transport: every request the conversation makes, and the session token behind them (opened with the
// first message, renewed before it expires, started over when the server no longer knows it).
import type { Locale, SessionResponse } from '@temper/protocol';
import type { ConversationRecord, ConversationState } from './conversation-state.js';
import type { WidgetError, WidgetUser } from './types.js';

/** Renew the session token this long before it expires, so no request goes out with a dead token. */
const RENEW_MARGIN_MS = 60_000;

/** The request did not reach the server, or the server asked for a retry: try again later. */
export class RetryLater extends Error {}
/** The server refused the `user` option: nothing is retried until the host boots again. */
export class Refused extends Error {}

export interface TransportDeps {
  endpoint: string;
  user: WidgetUser | undefined;
  state: ConversationState;
  locale: () => Locale;
  emit: (e: WidgetError) => void;
  reportOnce: (e: WidgetError) => void;
  /** A session was opened or renewed; `switched`: it is a different conversation than before. */
  onSession: (switched: boolean) => void;
}

/**
 * Creates the transport of one conversation.
 *
 * @example
 * const t = createTransport({ endpoint: '/temper/v1', user, state, locale, emit, reportOnce, onSession });
 * const res = await t.request('POST', '/messages', body, (await t.session()).token);
 */
export function createTransport(d: TransportDeps) {
  const base = d.endpoint.replace(/\/+$/, '');
  const { state } = d;
  const { record, online, refused } = state;
  let opening: Promise<ConversationRecord> | null = null;

  async function request(method: 'GET' | 'POST', path: string, body?: object, token?: string, extra?: Record<string, string>, signal?: AbortSignal) {
    // Headers are exactly those listed for the endpoint in the egress manifest (ENDPOINTS), nothing more.
    const headers: Record<string, string> = { ...extra };
    if (body) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    try {
      const res = await fetch(base + path, {
        method,
        headers,
        body: body ? JSON.stringify(body) : null,
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
        cache: 'no-store',
        signal: signal ?? null,
      });
      online.value = true;
      return res;
    } catch (e) {
      if (!signal?.aborted) online.value = false;
      throw new RetryLater(String(e));
    }
  }

  async function openSession(): Promise<ConversationRecord> {
    const payload = { locale: d.locale(), user: d.user, scoring: state.scoring.value };
    const open = async (token?: string) => {
      const r = await request('POST', '/sessions', payload, token);
      if (r.status === 401 && (await r.clone().json().catch(() => 0)).error?.code === 'identity-invalid') {
        refused.value = true;
        d.emit({ code: 'identity-invalid', message: 'The server refused user (wrong hash); no chat was started.' });
        throw new Refused();
      }
      return r;
    };
    const had = record.value;
    let res = await open(had?.token);
    if (had && res.status === 401) {
      // The server no longer knows this conversation (expired token, deleted, another server): start over,
      // keeping the outbox so nothing the visitor typed is lost.
      record.value = null;
      res = await open();
    }
    if (!res.ok) {
      d.reportOnce({ code: 'session-failed', message: `Could not open a chat session (HTTP ${res.status}); retrying.` });
      throw new RetryLater(`sessions ${res.status}`);
    }
    const s = (await res.json()) as SessionResponse;
    if (typeof s?.token !== 'string' || typeof s.conversationId !== 'string' || typeof s.expiresAt !== 'number')
      throw new RetryLater('bad session response');
    const rec = record.value;
    const same = rec?.conversationId === s.conversationId;
    record.value = same && rec
      ? { ...rec, token: s.token, expiresAt: s.expiresAt }
      : { ...(d.user && { user: d.user.id }), token: s.token, conversationId: s.conversationId, expiresAt: s.expiresAt, lastEventId: null, messages: [], handoff: null };
    await state.save();
    d.onSession(!same);
    return record.value!;
  }

  return {
    request,
    /** The current session, opened or renewed first when needed (one request at a time). */
    session(): Promise<ConversationRecord> {
      if (refused.value) return Promise.reject(new Refused());
      const rec = record.value;
      if (rec && rec.expiresAt - Date.now() > RENEW_MARGIN_MS) return Promise.resolve(rec);
      return (opening ??= openSession().finally(() => (opening = null)));
    },
    /** The server refused this token: the next `session()` renews it (or starts over) instead of reusing it. */
    expire(token: string): void {
      if (record.value?.token === token) state.update({ expiresAt: 0 });
    },
  };
}
export type Transport = ReturnType<typeof createTransport>;
