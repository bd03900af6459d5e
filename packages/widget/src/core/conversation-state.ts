// The conversation's state as signals, and its persistence. Everything the panel shows is derived from these
// with `computed`; the transport, the outbox and the event stream only write them. Records are replaced,
// never mutated, so every write is a signal change the panel sees.
import { computed, signal } from '@preact/signals';
import { STORAGE_KEYS, maskCardNumbers } from '@temper/protocol';
import type { HandoffEvent, MessageEvent, ScoringState as ScoringStatus, ServerEvent } from '@temper/protocol';
import type { KV } from './kv.js';
import type { ShownMessage } from './types.js';

export interface ConversationRecord {
  /** The verified customer's id this conversation belongs to (the `user` option); absent: anonymous. */
  user?: string;
  token: string;
  conversationId: string;
  expiresAt: number;
  lastEventId: string | null;
  messages: readonly MessageEvent[];
  handoff: HandoffEvent | null;
  /** Messenger basics (issue 12): the device id of the last visitor message an agent has seen. */
  seen?: string;
  /** Messenger basics (issue 12): the score the visitor gave this conversation when it closed. */
  rated?: number;
  /**
   * Issue 15 (expiry on the device): when the last message joined the transcript (ms, device clock). A boot more
   * than `idleExpiryHours` later deletes the conversation, the outbox and the signals record before showing anything.
   */
  activeAt?: number;
}

export interface OutboxItem {
  id: string;
  text: string;
  at: number;
  failed?: boolean;
}

/** Keeps stored transcripts bounded; the server holds the full history. */
const MAX_KEPT = 200;
/** A typing indicator whose "stopped" event was lost must not spin forever. */
const TYPING_TIMEOUT_MS = 15_000;

export const keyOf = (m: MessageEvent) => m.clientId ?? m.id;

/**
 * Creates the state of one conversation: `record` (session + transcript), `outbox`, `typing`, `online`,
 * `refused`, and the derived `messages` (what the panel lists) and `handoff`.
 *
 * @example
 * const st = createConversationState(kv, () => report('storage-unavailable'));
 * effect(() => console.log(st.messages.value.length));
 */
export function createConversationState(kv: KV, onSaveError: () => void) {
  const record = signal<ConversationRecord | null>(null);
  const outbox = signal<readonly OutboxItem[]>([]);
  const typing = signal<'bot' | 'agent' | null>(null);
  const online = signal(true);
  const refused = signal(false);
  /** Whether this device scores, as the server is told (issue 12, defect 8); set by the conversation. */
  const scoring = signal<ScoringStatus>('off');
  let writtenOutbox = outbox.value;
  let writes: Promise<unknown> = Promise.resolve();
  let typingTimer: ReturnType<typeof setTimeout> | undefined;

  const messages = computed((): readonly ShownMessage[] => {
    const r = record.value;
    // Every visitor message up to the one an agent reported seen is seen (issue 12).
    let seenLeft = r?.seen !== undefined && r.messages.some((m) => m.clientId === r.seen);
    const shown: ShownMessage[] = (r?.messages ?? []).map((m) => {
      const seen = seenLeft && m.from === 'visitor';
      if (m.clientId === r?.seen) seenLeft = false;
      return {
        key: keyOf(m),
        from: m.from,
        text: m.text,
        at: m.at,
        ...(m.name ? { name: m.name } : {}),
        status: 'sent',
        ...(seen ? { seen } : {}),
      };
    });
    const have = new Set(shown.map((m) => m.key));
    for (const o of outbox.value)
      if (!have.has(o.id)) shown.push({ key: o.id, from: 'visitor', text: o.text, at: o.at, status: o.failed ? 'failed' : 'sending' });
    return shown;
  });
  const handoff = computed(() => record.value?.handoff ?? null);

  const update = (patch: Partial<ConversationRecord>) => {
    const r = record.value;
    if (r) record.value = { ...r, ...patch };
  };

  return {
    record,
    outbox,
    typing,
    online,
    refused,
    scoring,
    messages,
    handoff,
    update,
    /** Adds a message to the transcript (or replaces the copy with its key); true when it is new. */
    addMessage(m: MessageEvent): boolean {
      const r = record.value;
      if (!r) return false;
      const key = keyOf(m);
      const i = r.messages.findIndex((x) => keyOf(x) === key);
      // A new message is activity: `activeAt` starts the idle expiry again (issue 15; session.ts checks it at boot).
      update(i < 0 ? { messages: [...r.messages, m], activeAt: Date.now() } : { messages: r.messages.map((x, j) => (j === i ? m : x)) });
      return i < 0;
    },
    /** Applies one validated server event; returns what the host should hear about, if anything. */
    apply(ev: ServerEvent): MessageEvent | HandoffEvent | null {
      if (!record.value) return null;
      if (ev.type === 'typing') {
        typing.value = ev.active ? ev.from : null;
        clearTimeout(typingTimer);
        if (ev.active) typingTimer = setTimeout(() => (typing.value = null), TYPING_TIMEOUT_MS);
        return null;
      }
      if (ev.type === 'handoff') {
        update({ handoff: ev });
        return ev;
      }
      if (ev.type === 'seen') {
        update({ seen: ev.clientId });
        return null;
      }
      // Event types added later (other features) are not messages: ignored unless handled above.
      if (ev.type !== 'message') return null;
      // Issue 15, finding 8: whoever wrote it (an agent quoting a number, an older server), no full card number is
      // stored or shown on the device, nor handed to the host's `message` listeners.
      const msg = { ...ev, text: maskCardNumbers(ev.text) };
      const added = this.addMessage(msg);
      if (ev.clientId && outbox.value.some((o) => o.id === ev.clientId)) outbox.value = outbox.value.filter((o) => o.id !== ev.clientId);
      if (typing.value === ev.from) typing.value = null;
      return added ? msg : null;
    },
    async load(user: string | undefined): Promise<void> {
      const [c, o] = await Promise.all([
        kv.get<ConversationRecord>(STORAGE_KEYS.conversation),
        kv.get<OutboxItem[]>(STORAGE_KEYS.outbox),
      ]).catch(() => [undefined, undefined] as const);
      // What this device holds belongs to whoever was signed in when it was stored: a different customer (or
      // none, after sign-out) starts afresh and never sees it, nor sends what that person left unsent.
      const mine = c?.user === user;
      // Masked again on load: a transcript stored by an older widget may hold full card numbers (issue 15).
      if (mine && c && typeof c.token === 'string' && Array.isArray(c.messages))
        record.value = { ...c, messages: c.messages.map((m) => ({ ...m, text: maskCardNumbers(m.text) })) };
      if (mine && Array.isArray(o)) {
        const masked = o.map((x) => ({ ...x, text: maskCardNumbers(x.text) }));
        // Written back at the next save only if masking changed it (another tab may own a newer outbox).
        outbox.value = masked;
        writtenOutbox = masked.some((x, i) => x.text !== o[i]!.text) ? [] : masked;
      }
      if (c && !mine) await Promise.all([kv.del(STORAGE_KEYS.conversation), kv.del(STORAGE_KEYS.outbox)]).catch(() => undefined);
    },
    // No chaining needed: IndexedDB runs readwrite transactions on one store in the order they were created,
    // and writing at once narrows the window in which a navigation can lose the latest state.
    // The outbox is written only when this tab changed it (it is replaced, never mutated), so a second tab
    // saving its transcript cannot overwrite a message queued here with its older copy of the outbox.
    save(): Promise<unknown> {
      const r = record.value;
      const conv = r ? { ...r, messages: r.messages.slice(-MAX_KEPT) } : null;
      const box = outbox.value === writtenOutbox ? null : (writtenOutbox = outbox.value);
      return (writes = Promise.all([
        conv ? kv.set(STORAGE_KEYS.conversation, conv) : kv.del(STORAGE_KEYS.conversation),
        box && kv.set(STORAGE_KEYS.outbox, box),
      ]).catch(onSaveError));
    },
    stop(): void {
      clearTimeout(typingTimer);
    },
    /** Forgets the conversation here and deletes everything the widget stored on the device. */
    async erase(): Promise<void> {
      clearTimeout(typingTimer);
      record.value = null;
      outbox.value = [];
      await writes;
      await Promise.all(Object.values(STORAGE_KEYS).map((k) => kv.del(k))).catch(() => undefined);
    },
  };
}
export type ConversationState = ReturnType<typeof createConversationState>;
