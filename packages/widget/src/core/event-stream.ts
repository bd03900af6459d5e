// The event stream: GET /events read with fetch (EventSource cannot send an Authorization header, which would
// force the token into the URL), every event validated against the wire schema before it touches the state,
// resumed from Last-Event-ID after a drop, and reopened when it goes silent.
import { eventSchemas, validate } from '@temper/protocol';
import type { HandoffEvent, MessageEvent, ServerEvent } from '@temper/protocol';
import { backoff } from './backoff.js';
import type { ConversationState } from './conversation-state.js';
import { createSseParser, type SseMessage } from './sse.js';
import { RetryLater, type Transport } from './transport.js';
import type { WidgetError } from './types.js';

const LAST_EVENT_ID = /^[0-9]{1,16}$/;
/** The server sends a heartbeat comment every 15 s by default; a stream silent for longer is presumed dead
 * (a laptop that slept, a proxy that dropped the connection without closing it) and is reopened. */
const STREAM_SILENCE_MS = 45_000;

export interface EventStreamDeps {
  state: ConversationState;
  transport: Transport;
  reportOnce: (e: WidgetError) => void;
  /** A valid event changed the transcript or the handoff: the host hears about it. */
  heard: (ev: MessageEvent | HandoffEvent) => void;
  stopped: () => boolean;
}

/**
 * Creates the event stream of one conversation. `connect()` is idempotent; `reset()` drops the stream of a
 * conversation that was replaced, so the next `connect()` opens one for the new conversation.
 *
 * @example
 * const stream = createEventStream({ state, transport, reportOnce, heard, stopped });
 * stream.connect();
 */
export function createEventStream(d: EventStreamDeps) {
  const { state, transport } = d;
  const { record } = state;
  let stream: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;

  const invalid = (why: string) => d.reportOnce({ code: 'events-failed', message: `Ignored an invalid event from the server: ${why}` });

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
    const v = validate(eventSchemas[type as keyof typeof eventSchemas], data);
    if (!v.ok) return invalid(v.error.message);
    attempt = 0;
    const news = state.apply(v.value as ServerEvent);
    if (LAST_EVENT_ID.test(m.id)) state.update({ lastEventId: m.id });
    void state.save();
    if (news) d.heard(news);
  }

  function connect(): void {
    if (d.stopped() || !record.value || stream) return;
    clearTimeout(timer);
    const ac = new AbortController();
    stream = ac;
    void (async () => {
      try {
        const r = await transport.session();
        const headers: Record<string, string> = { accept: 'text/event-stream' };
        if (r.lastEventId) headers['last-event-id'] = r.lastEventId;
        const res = await transport.request('GET', '/events', undefined, r.token, headers, ac.signal);
        if (res.status === 401 || res.status === 403) transport.expire(r.token);
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
        if (!d.stopped()) timer = setTimeout(connect, backoff(attempt++));
      }
    })();
  }

  return {
    connect,
    /** The conversation was replaced: the open stream belongs to the old one. */
    reset(): void {
      stream?.abort();
      stream = null;
    },
    /** Reconnects now (back online, the visitor is looking) instead of waiting out the backoff. */
    retryNow(): void {
      attempt = 0;
      if (!stream) connect();
    },
    /** The next reconnect delay, shared with the session retries of a signed-in customer. */
    backoff: () => backoff(attempt++),
    stop(): void {
      stream?.abort();
      stream = null;
      clearTimeout(timer);
    },
  };
}
