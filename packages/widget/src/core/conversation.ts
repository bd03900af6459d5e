// The conversation engine: session, outbox, event stream and transcript. It knows nothing about the UI; the
// widget core renders what `view()` returns and is told about changes through `changed`.
import {
  MAX_MESSAGE_LENGTH,
  STORAGE_KEYS,
  codePointLength,
  eventSchemas,
  validate,
  schemas,
} from '@temper/protocol';
import type { HandoffEvent, Locale, MessageEvent, ServerEvent, SessionResponse, Signal } from '@temper/protocol';
import type { KV } from './kv.js';
import { createClientId } from './ids.js';
import { createSseParser, type SseMessage } from './sse.js';
import type { ShownMessage, WidgetError, WidgetEventMap, WidgetUser } from './types.js';

interface ConversationRecord {
  /** The verified customer's id this conversation belongs to (the `user` option); absent: anonymous. */
  user?: string;
  token: string;
  conversationId: string;
  expiresAt: number;
  lastEventId: string | null;
  messages: MessageEvent[];
  handoff: HandoffEvent | null;
}

interface OutboxItem {
  id: string;
  text: string;
  at: number;
  failed?: boolean;
}

export interface ConversationDeps {
  endpoint: string;
  user?: WidgetUser | undefined;
  kv: KV;
  locale: () => Locale;
  emit: <E extends 'message' | 'handoff' | 'error'>(event: E, payload: WidgetEventMap[E]) => void;
  changed: () => void;
}

/** Keeps stored transcripts bounded; the server holds the full history. */
const MAX_KEPT = 200;
/** Renew the session token this long before it expires, so no request goes out with a dead token. */
const RENEW_MARGIN_MS = 60_000;
/** A typing indicator whose "stopped" event was lost must not spin forever. */
const TYPING_TIMEOUT_MS = 15_000;
const LAST_EVENT_ID = /^[0-9]{1,16}$/;
/** The server sends a heartbeat comment every 15 s by default; a stream silent for longer is presumed dead
 * (a laptop that slept, a proxy that dropped the connection without closing it) and is reopened. */
const STREAM_SILENCE_MS = 45_000;

class RetryLater extends Error {}
/** The server refused the `user` option: nothing is retried until the host boots again. */
class Refused extends Error {}

/**
 * Exponential backoff with "equal jitter", capped at 30 s, so many tabs coming back online do not stampede.
 *
 * @example
 * setTimeout(retry, backoff(attempt++)); // 0.5–1 s, then 1–2 s, 2–4 s, … up to 15–30 s
 */
export function backoff(attempt: number): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
  return base / 2 + Math.random() * (base / 2);
}

const keyOf = (m: MessageEvent) => m.clientId ?? m.id;

/**
 * Creates the conversation engine for one booted widget.
 *
 * @example
 * const c = createConversation({ endpoint: '/temper/v1', kv, locale: () => 'en', emit, changed });
 * await c.load(); c.start(); c.send('Where is my order?');
 */
export function createConversation(d: ConversationDeps) {
  let rec: ConversationRecord | null = null;
  let outbox: readonly OutboxItem[] = [];
  let writtenOutbox = outbox;
  let typing: 'bot' | 'agent' | null = null;
  let online = true;
  let stopped = false;
  let flushing = false;
  let stream: AbortController | null = null;
  let sendTimer: ReturnType<typeof setTimeout> | undefined;
  let streamTimer: ReturnType<typeof setTimeout> | undefined;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  let sendAttempt = 0;
  let streamAttempt = 0;
  let opening: Promise<ConversationRecord> | null = null;
  let refused = false;
  let writes: Promise<unknown> = Promise.resolve();
  const reported = new Set<string>();
  const base = d.endpoint.replace(/\/+$/, '');
  // A malformed `user` is reported and ignored: the chat runs anonymously rather than not at all.
  const checked = validate(schemas.sessionRequest, { user: d.user });
  if (!checked.ok) d.emit('error', { code: 'bad-option', message: `boot: ${checked.error.message}` });
  const user = checked.ok ? d.user : undefined;

  const reportOnce = (e: WidgetError) => {
    // A request in flight when stop() came must not report into a widget that was shut down.
    if (stopped || reported.has(e.code)) return;
    reported.add(e.code);
    d.emit('error', e);
  };

  function setOnline(v: boolean) {
    if (online === v) return;
    online = v;
    d.changed();
  }

  // No chaining needed: IndexedDB runs readwrite transactions on one store in the order they were created,
  // and writing at once narrows the window in which a navigation can lose the latest state.
  // The outbox is written only when this tab changed it (it is replaced, never mutated), so a second tab
  // saving its transcript cannot overwrite a message queued here with its older copy of the outbox.
  function save(): Promise<unknown> {
    const conv = rec ? { ...rec, messages: rec.messages.slice(-MAX_KEPT) } : null;
    const box = outbox === writtenOutbox ? null : (writtenOutbox = outbox);
    return (writes = Promise.all([
      conv ? d.kv.set(STORAGE_KEYS.conversation, conv) : d.kv.del(STORAGE_KEYS.conversation),
      box && d.kv.set(STORAGE_KEYS.outbox, box),
    ]).catch(() => reportOnce({ code: 'storage-unavailable', message: 'Could not save the conversation on this device.' })));
  }

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
      setOnline(true);
      return res;
    } catch (e) {
      if (!signal?.aborted) setOnline(false);
      throw new RetryLater(String(e));
    }
  }

  async function openSession(): Promise<ConversationRecord> {
    const payload = { locale: d.locale(), user };
    const open = async (token?: string) => {
      const r = await request('POST', '/sessions', payload, token);
      if (r.status === 401 && (await r.clone().json().catch(() => 0)).error?.code === 'identity-invalid') {
        refused = true;
        d.emit('error', { code: 'identity-invalid', message: 'The server refused user (wrong hash); no chat was started.' });
        d.changed();
        throw new Refused();
      }
      return r;
    };
    let res = await open(rec?.token);
    if (rec && res.status === 401) {
      // The server no longer knows this conversation (expired token, deleted, another server): start over,
      // keeping the outbox so nothing the visitor typed is lost.
      rec = null;
      d.changed();
      res = await open();
    }
    if (!res.ok) {
      reportOnce({ code: 'session-failed', message: `Could not open a chat session (HTTP ${res.status}); retrying.` });
      throw new RetryLater(`sessions ${res.status}`);
    }
    const s = (await res.json()) as SessionResponse;
    if (typeof s?.token !== 'string' || typeof s.conversationId !== 'string' || typeof s.expiresAt !== 'number')
      throw new RetryLater('bad session response');
    const same = rec?.conversationId === s.conversationId;
    rec = same && rec
      ? { ...rec, token: s.token, expiresAt: s.expiresAt }
      : { ...(user && { user: user.id }), token: s.token, conversationId: s.conversationId, expiresAt: s.expiresAt, lastEventId: null, messages: [], handoff: null };
    await save();
    if (!same) {
      stream?.abort();
      stream = null;
    }
    connect();
    return rec;
  }

  function session(): Promise<ConversationRecord> {
    if (refused) return Promise.reject(new Refused());
    if (rec && rec.expiresAt - Date.now() > RENEW_MARGIN_MS) return Promise.resolve(rec);
    return (opening ??= openSession().finally(() => (opening = null)));
  }

  function deliver(item: OutboxItem) {
    outbox = outbox.filter((o) => o.id !== item.id);
    if (rec && !rec.messages.some((m) => keyOf(m) === item.id)) {
      const local: MessageEvent = { type: 'message', id: item.id, from: 'visitor', text: item.text, at: item.at, clientId: item.id };
      rec.messages.push(local);
      d.emit('message', local);
    }
  }

  async function flush(): Promise<void> {
    if (flushing || stopped) return;
    flushing = true;
    clearTimeout(sendTimer);
    let renewed = false;
    try {
      for (;;) {
        const item = outbox.find((o) => !o.failed);
        if (!item || stopped) break;
        const r = await session();
        const res = await request('POST', '/messages', { id: item.id, text: item.text }, r.token);
        if (stopped) break;
        if (res.ok) {
          sendAttempt = 0;
          deliver(item);
        } else if (res.status === 401 || res.status === 403) {
          // The token was refused (server restarted with a new secret, conversation deleted): renew or start
          // over at once, once per flush, instead of waiting out a backoff first.
          r.expiresAt = 0;
          if (renewed) throw new RetryLater('token refused');
          renewed = true;
        } else if (res.status === 408 || res.status === 429 || res.status >= 500) {
          throw new RetryLater(`messages ${res.status}`);
        } else {
          // A refusal that retrying cannot fix (validation): keep the text on screen, marked as not sent.
          outbox = outbox.map((o) => (o === item ? { ...o, failed: true } : o));
          const why = await res.json().then((b: { error?: { message?: string } }) => b.error?.message, () => undefined);
          d.emit('error', { code: 'send-failed', message: `The server refused a message: ${why ?? `HTTP ${res.status}`}` });
        }
        await save();
        d.changed();
      }
    } catch (e) {
      if (e instanceof Refused) return;
      if (!(e instanceof RetryLater)) reportOnce({ code: 'send-failed', message: String(e) });
      if (!stopped) sendTimer = setTimeout(flush, backoff(sendAttempt++));
    } finally {
      flushing = false;
    }
  }

  function invalid(why: string) {
    reportOnce({ code: 'events-failed', message: `Ignored an invalid event from the server: ${why}` });
  }

  function apply(ev: ServerEvent) {
    if (!rec) return;
    if (ev.type === 'message') {
      const key = keyOf(ev);
      const i = rec.messages.findIndex((m) => keyOf(m) === key);
      if (i >= 0) rec.messages[i] = ev;
      else {
        rec.messages.push(ev);
        d.emit('message', ev);
      }
      if (ev.clientId && outbox.some((o) => o.id === ev.clientId)) outbox = outbox.filter((o) => o.id !== ev.clientId);
      if (typing === ev.from) typing = null;
    } else if (ev.type === 'typing') {
      typing = ev.active ? ev.from : null;
      clearTimeout(typingTimer);
      if (typing) typingTimer = setTimeout(() => ((typing = null), d.changed()), TYPING_TIMEOUT_MS);
    } else if (ev.type === 'handoff') {
      rec.handoff = ev;
      d.emit('handoff', ev);
    }
  }

  function onSse(m: SseMessage) {
    let data: unknown;
    try {
      data = JSON.parse(m.data);
    } catch {
      return invalid('not JSON');
    }
    const type = (data as { type?: unknown } | null)?.type;
    if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(eventSchemas, type))
      return invalid(`unknown event type ${JSON.stringify(type)}`);
    const spec = eventSchemas[type as keyof typeof eventSchemas];
    const v = validate(spec, data);
    if (!v.ok) return invalid(v.error.message);
    streamAttempt = 0;
    apply(v.value as ServerEvent);
    if (rec && LAST_EVENT_ID.test(m.id)) rec.lastEventId = m.id;
    void save();
    d.changed();
  }

  function connect(): void {
    if (stopped || !rec || stream) return;
    clearTimeout(streamTimer);
    const ac = new AbortController();
    stream = ac;
    void (async () => {
      try {
        const r = await session();
        const headers: Record<string, string> = { accept: 'text/event-stream' };
        if (r.lastEventId) headers['last-event-id'] = r.lastEventId;
        const res = await request('GET', '/events', undefined, r.token, headers, ac.signal);
        if (res.status === 401 || res.status === 403) r.expiresAt = 0;
        if (!res.ok || !res.body) throw new RetryLater(`events ${res.status}`);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        const push = createSseParser(onSse, r.lastEventId ?? '');
        for (;;) {
          const watchdog = setTimeout(() => ac.abort(), STREAM_SILENCE_MS);
          const { done, value } = await reader.read().finally(() => clearTimeout(watchdog));
          if (done) break;
          push(value);
        }
      } catch {
        // Network errors and aborts end the stream the same way; the reconnect below decides what to do.
      }
      if (stream === ac) {
        stream = null;
        // Reconnect unless stop() or a conversation switch aborted this stream (they clear `stream` first).
        if (!stopped) streamTimer = setTimeout(connect, backoff(streamAttempt++));
      }
    })();
  }

  // A signed-in customer may have a conversation on another device: open the session as soon as the chat is
  // used, so its transcript shows before they type. (Anonymous visitors open one with their first message.)
  function begin(): void {
    if (user && !rec && !stopped)
      session().catch((e) => e instanceof Refused || stopped || (streamTimer = setTimeout(begin, backoff(streamAttempt++))));
  }

  const onOnline = () => {
    sendAttempt = 0;
    streamAttempt = 0;
    void flush();
    if (!stream) connect();
    begin();
  };

  return {
    async load(): Promise<void> {
      const [c, o] = await Promise.all([
        d.kv.get<ConversationRecord>(STORAGE_KEYS.conversation),
        d.kv.get<OutboxItem[]>(STORAGE_KEYS.outbox),
      ]).catch(() => [undefined, undefined] as const);
      // What this device holds belongs to whoever was signed in when it was stored: a different customer (or
      // none, after sign-out) starts afresh and never sees it, nor sends what that person left unsent.
      const mine = c?.user === user?.id;
      if (mine && c && typeof c.token === 'string' && Array.isArray(c.messages)) rec = c;
      if (mine && Array.isArray(o)) outbox = writtenOutbox = o;
      if (c && !mine) await Promise.all([d.kv.del(STORAGE_KEYS.conversation), d.kv.del(STORAGE_KEYS.outbox)]).catch(() => undefined);
    },
    /** Retries now instead of waiting out the backoff (the visitor is looking at the chat). */
    retryNow: onOnline,
    start(): void {
      addEventListener('online', onOnline);
      connect();
      void flush();
      begin();
    },
    /** Queues a message; returns false (and reports why) when it cannot be sent at all. */
    send(text: string): boolean {
      const t = text.trim();
      if (!t) return false;
      if (codePointLength(t) > MAX_MESSAGE_LENGTH) {
        d.emit('error', { code: 'message-too-long', message: `Messages can be at most ${MAX_MESSAGE_LENGTH} characters.` });
        return false;
      }
      const item = { id: createClientId(), text: t, at: Date.now() };
      const v = validate(schemas.visitorMessage, { id: item.id, text: t });
      if (!v.ok) {
        d.emit('error', { code: 'send-failed', message: v.error.message });
        return false;
      }
      outbox = [...outbox, item];
      void save();
      d.changed();
      void flush();
      return true;
    },
    view(): { messages: ShownMessage[]; typing: 'bot' | 'agent' | null; handoff: HandoffEvent | null; online: boolean; refused: boolean } {
      const shown: ShownMessage[] = (rec?.messages ?? []).map((m) => ({
        key: keyOf(m),
        from: m.from,
        text: m.text,
        at: m.at,
        ...(m.name ? { name: m.name } : {}),
        status: 'sent',
      }));
      const have = new Set(shown.map((m) => m.key));
      for (const o of outbox)
        if (!have.has(o.id)) shown.push({ key: o.id, from: 'visitor', text: o.text, at: o.at, status: o.failed ? 'failed' : 'sending' });
      return { messages: shown, typing, handoff: rec?.handoff ?? null, online, refused };
    },
    conversationId: () => rec?.conversationId ?? null,
    /** The stored transcript, oldest first (the scorer replays it after a reload). */
    transcript: (): readonly MessageEvent[] => rec?.messages ?? [],
    /** POSTs a signal; resolves to the HTTP status, rejects when the request did not reach the server. */
    async postSignal(signal: Signal): Promise<number> {
      const r = await session();
      const { status } = await request('POST', '/signals', signal, r.token);
      // A refused token is renewed by the next session() instead of being retried as it is.
      if (status === 401) r.expiresAt = 0;
      return status;
    },
    stop(): void {
      stopped = true;
      removeEventListener('online', onOnline);
      stream?.abort();
      stream = null;
      clearTimeout(sendTimer);
      clearTimeout(streamTimer);
      clearTimeout(typingTimer);
    },
    /** Stops and deletes everything this conversation stored on the device. */
    async erase(): Promise<void> {
      this.stop();
      rec = null;
      outbox = [];
      await writes;
      await Promise.all(Object.values(STORAGE_KEYS).map((k) => d.kv.del(k))).catch(() => undefined);
    },
  };
}
export type Conversation = ReturnType<typeof createConversation>;
