// The outbox: messages the visitor wrote, kept on the device until the server has stored them, sent one at a
// time in order and retried with backoff; each carries a client id so a retry is stored once.
import { MAX_MESSAGE_LENGTH, codePointLength, maskCardNumbers, schemas, validate } from '@temper/protocol';
import type { MessageEvent } from '@temper/protocol';
import { backoff } from './backoff.js';
import { keyOf, type ConversationState, type OutboxItem } from './conversation-state.js';
import { createClientId } from './ids.js';
import { Refused, RetryLater, type Transport } from './transport.js';
import type { WidgetError } from './types.js';

export interface OutboxDeps {
  state: ConversationState;
  transport: Transport;
  emit: (e: WidgetError) => void;
  reportOnce: (e: WidgetError) => void;
  /** A message the server stored that the event stream had not shown yet. */
  delivered: (m: MessageEvent) => void;
  stopped: () => boolean;
}

/**
 * Creates the outbox of one conversation.
 *
 * @example
 * const box = createOutbox({ state, transport, emit, reportOnce, delivered, stopped });
 * box.add('Where is my order?'); // null: queued; otherwise the error that kept it out
 */
export function createOutbox(d: OutboxDeps) {
  const { state, transport } = d;
  const { record, outbox } = state;
  let flushing = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;

  function deliver(item: OutboxItem) {
    outbox.value = outbox.value.filter((o) => o.id !== item.id);
    const local: MessageEvent = { type: 'message', id: item.id, from: 'visitor', text: item.text, at: item.at, clientId: item.id };
    const r = record.value;
    if (r && !r.messages.some((m) => keyOf(m) === item.id) && state.addMessage(local)) d.delivered(local);
  }

  async function flush(): Promise<void> {
    if (flushing || d.stopped()) return;
    flushing = true;
    clearTimeout(timer);
    let renewed = false;
    try {
      for (;;) {
        const item = outbox.value.find((o) => !o.failed);
        if (!item || d.stopped()) break;
        const r = await transport.session();
        const res = await transport.request('POST', '/messages', { id: item.id, text: item.text }, r.token);
        if (d.stopped()) break;
        if (res.ok) {
          attempt = 0;
          deliver(item);
        } else if (res.status === 401 || res.status === 403) {
          // The token was refused (server restarted with a new secret, conversation deleted): renew or start
          // over at once, once per flush, instead of waiting out a backoff first.
          transport.expire(r.token);
          if (renewed) throw new RetryLater('token refused');
          renewed = true;
        } else if (res.status === 408 || res.status === 429 || res.status >= 500) {
          throw new RetryLater(`messages ${res.status}`);
        } else {
          // A refusal that retrying cannot fix (validation): keep the text on screen, marked as not sent.
          outbox.value = outbox.value.map((o) => (o.id === item.id ? { ...o, failed: true } : o));
          const why = await res.json().then((b: { error?: { message?: string } }) => b.error?.message, () => undefined);
          d.emit({ code: 'send-failed', message: `The server refused a message: ${why ?? `HTTP ${res.status}`}` });
        }
        await state.save();
      }
    } catch (e) {
      if (e instanceof Refused) return;
      if (!(e instanceof RetryLater)) d.reportOnce({ code: 'send-failed', message: String(e) });
      if (!d.stopped()) timer = setTimeout(flush, backoff(attempt++));
    } finally {
      flushing = false;
    }
  }

  return {
    flush,
    /**
     * Queues a message. Returns null when it is queued, or the error that keeps it out (also emitted): the
     * caller keeps the text (the composer does not clear), so nothing the visitor wrote is lost.
     */
    add(text: string): WidgetError | null {
      // Issue 15, finding 8 (PCI DSS): a card number is masked before it is stored, shown or sent, so neither this
      // device nor the shop's backend ever holds the full number. The server masks on receipt too.
      const t = maskCardNumbers(text.trim());
      if (!t) return { code: 'send-failed', message: 'empty message' };
      const length = codePointLength(t);
      let error: WidgetError | null = null;
      const item = { id: createClientId(), text: t, at: Date.now() };
      if (length > MAX_MESSAGE_LENGTH)
        error = { code: 'message-too-long', message: `Messages can be at most ${MAX_MESSAGE_LENGTH} characters (this one has ${length}).` };
      else {
        const v = validate(schemas.visitorMessage, { id: item.id, text: t });
        if (!v.ok) error = { code: 'send-failed', message: v.error.message };
      }
      if (error) return d.emit(error), error;
      outbox.value = [...outbox.value, item];
      void state.save();
      void flush();
      return null;
    },
    /** Retries now instead of waiting out the backoff. */
    retryNow(): void {
      attempt = 0;
      void flush();
    },
    stop(): void {
      clearTimeout(timer);
    },
  };
}
