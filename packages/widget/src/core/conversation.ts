// The conversation engine, composed of its four parts: state (signals + storage, conversation-state.ts),
// transport (requests + session token, transport.ts), outbox (outbox.ts) and event stream (event-stream.ts).
// It knows nothing about the UI: the panel reads `state`'s signals.
import { schemas, validate } from '@temper/protocol';
import type { HandoffEvent, Locale, MessageEvent, ScoringState as ScoringStatus, Signal } from '@temper/protocol';
import { createConversationState } from './conversation-state.js';
import { createEventStream } from './event-stream.js';
import { createOutbox } from './outbox.js';
import { Refused, createTransport } from './transport.js';
import type { Prefs, WidgetError, WidgetEventMap } from './types.js';
import type { KV } from './kv.js';
import type { ResolvedOptions } from './options.js';
import { backoff } from './backoff.js';
import { asksFirst, effectiveScoring } from './scoring-mode.js';

export { backoff } from './backoff.js';

export interface ConversationDeps {
  /** The boot options; the conversation reads `endpoint`, `user` and `scoring`. */
  opts: Pick<ResolvedOptions, 'endpoint' | 'user' | 'scoring'>;
  /** The visitor's choices (their scoring switch). */
  prefs: Prefs;
  kv: KV;
  locale: () => Locale;
  emit: <E extends 'message' | 'handoff' | 'error'>(event: E, payload: WidgetEventMap[E]) => void;
}

/**
 * Creates the conversation engine for one booted widget.
 *
 * @example
 * const c = createConversation({ opts: { endpoint: '/temper/v1', user: undefined, scoring: 'on' }, prefs: {}, kv, locale: () => 'en', emit });
 * await c.load(); c.start(); c.send('Where is my order?');
 */
export function createConversation(d: ConversationDeps) {
  let stopped = false;
  let beginTimer: ReturnType<typeof setTimeout> | undefined;
  const reported = new Set<string>();
  const isStopped = () => stopped;
  const emitError = (e: WidgetError) => d.emit('error', e);
  const reportOnce = (e: WidgetError) => {
    // A request in flight when stop() came must not report into a widget that was shut down.
    if (stopped || reported.has(e.code)) return;
    reported.add(e.code);
    emitError(e);
  };
  // A malformed `user` is reported and ignored: the chat runs anonymously rather than not at all.
  const checked = validate(schemas.sessionRequest, { user: d.opts.user });
  if (!checked.ok) emitError({ code: 'bad-option', message: `boot: ${checked.error.message}` });
  const user = checked.ok ? d.opts.user : undefined;

  const state = createConversationState(d.kv, () => reportOnce({ code: 'storage-unavailable', message: 'Could not save the conversation on this device.' }));
  // Until the scoring chunk says more (unavailable, switched), what the host and the visitor chose.
  state.scoring.value = effectiveScoring(d.opts.scoring, asksFirst(), d.prefs.scoring).enabled ? 'on' : 'off';
  let scoringTold: Promise<unknown> = Promise.resolve();
  const heard = (m: MessageEvent | HandoffEvent) =>
    m.type === 'message' ? d.emit('message', m) : d.emit('handoff', m);
  const transport = createTransport({
    endpoint: d.opts.endpoint,
    user,
    state,
    locale: d.locale,
    emit: emitError,
    reportOnce,
    onSession(switched) {
      if (switched) stream.reset();
      stream.connect();
    },
  });
  const stream = createEventStream({ state, transport, reportOnce, heard, stopped: isStopped });
  const outbox = createOutbox({ state, transport, emit: emitError, reportOnce, delivered: heard, stopped: isStopped });

  // A signed-in customer may have a conversation on another device: open the session as soon as the chat is
  // used, so its transcript shows before they type. (Anonymous visitors open one with their first message.)
  function begin(): void {
    if (user && !state.record.value && !stopped)
      transport.session().catch((e) => e instanceof Refused || stopped || (beginTimer = setTimeout(begin, stream.backoff())));
  }

  const onOnline = () => {
    outbox.retryNow();
    stream.retryNow();
    begin();
  };

  return {
    /** The conversation's signals: what the panel renders. */
    state,
    load: () => state.load(user?.id),
    /** Retries now instead of waiting out the backoff (the visitor is looking at the chat). */
    retryNow: onOnline,
    start(): void {
      addEventListener('online', onOnline);
      stream.connect();
      void outbox.flush();
      begin();
    },
    /**
     * Queues a message. Returns null when it is queued, or the error (also emitted as `error`) that keeps it
     * out — too long, invalid — in which case the caller still has the text and must keep it.
     */
    send: (text: string): WidgetError | null => outbox.add(text),
    conversationId: () => state.record.value?.conversationId ?? null,
    /** The stored transcript, oldest first (the scorer replays it after a reload). */
    transcript: (): readonly MessageEvent[] => state.record.value?.messages ?? [],
    /** POSTs a signal; resolves to the HTTP status, rejects when the request did not reach the server. */
    async postSignal(signal: Signal): Promise<number> {
      const r = await transport.session();
      const { status } = await transport.request('POST', '/signals', signal, r.token);
      // A refused token is renewed by the next session() instead of being retried as it is.
      if (status === 401) transport.expire(r.token);
      return status;
    },
    // --- Messenger basics (issue 12): the lazily loaded rating and history views make their requests ---
    /** The verified customer (the `user` option), who may list their past conversations; absent: anonymous. */
    user,
    transport,
    /**
     * The scorer's status changed (switched on or off, unavailable): tell the server now if a conversation is
     * open (POST /scoring, retried while it cannot be reached); otherwise the next POST /sessions carries it.
     */
    setScoring(mode: ScoringStatus): void {
      if (state.scoring.value === mode) return;
      state.scoring.value = mode;
      if (!state.record.value) return;
      scoringTold = scoringTold.then(async () => {
        for (let attempt = 0; !stopped && state.scoring.value === mode; attempt++) {
          try {
            const r = await transport.session();
            const res = await transport.request('POST', '/scoring', { scoring: mode }, r.token);
            if (res.status === 401) transport.expire(r.token);
            else if (res.status < 500 && res.status !== 408 && res.status !== 429) return;
          } catch (e) {
            if (e instanceof Refused) return;
          }
          await new Promise((w) => setTimeout(w, backoff(attempt)));
        }
      });
    },
    stop(): void {
      stopped = true;
      removeEventListener('online', onOnline);
      stream.stop();
      outbox.stop();
      state.stop();
      clearTimeout(beginTimer);
    },
    /** Stops and deletes everything this conversation stored on the device. */
    async erase(): Promise<void> {
      this.stop();
      await state.erase();
    },
  };
}
export type Conversation = ReturnType<typeof createConversation>;
