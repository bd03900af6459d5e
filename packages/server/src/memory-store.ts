// The embedded default store: everything in one process's memory. Atomicity is free here because each
// method runs to completion on the event loop before any other request is handled.
import type { MessageEvent, ServerEvent } from '@temper/protocol';
import type {
  ConversationRecord,
  EventListener,
  SignalState,
  SignalWrite,
  Store,
  StoredEvent,
  VisitorAppend,
} from './store.js';

/** Options of `createMemoryStore`. */
export interface MemoryStoreOptions {
  /** Signals kept per conversation in `SignalState.history` (oldest dropped first). Default 50. */
  signalHistory?: number;
}

interface Entry {
  record: ConversationRecord;
  events: StoredEvent[];
  /** clientId → event id of the stored visitor message. */
  clientIds: Map<string, number>;
  signal: SignalState | null;
  listeners: Set<EventListener>;
}

function cloneRecord(r: ConversationRecord): ConversationRecord {
  return { ...r, meta: structuredClone(r.meta) };
}

/**
 * Creates the in-memory store: conversations, event logs and signal state live in this process and are gone
 * when it exits. Use it for a single instance; implement `Store` (e.g. on Redis) to run several.
 *
 * @example
 * const temper = createTemperServer({ secret, store: createMemoryStore() });
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): Store {
  const historyMax = options.signalHistory ?? 50;
  const conversations = new Map<string, Entry>();

  function entry(id: string): Entry {
    const e = conversations.get(id);
    if (!e) throw Object.assign(new Error(`unknown conversation ${id}`), { code: 'not-found' });
    return e;
  }

  function publish(e: Entry, stored: StoredEvent): void {
    for (const l of [...e.listeners]) {
      try {
        l(stored);
      } catch {
        // A failing subscriber must not stop the others or the writer.
      }
    }
  }

  function push(e: Entry, event: ServerEvent): StoredEvent {
    const stored: StoredEvent = { id: e.events.length + 1, event: structuredClone(event) };
    e.events.push(stored);
    publish(e, stored);
    return stored;
  }

  return {
    async createConversation(record) {
      if (conversations.has(record.id)) throw new Error(`conversation ${record.id} exists`);
      conversations.set(record.id, {
        record: cloneRecord(record),
        events: [],
        clientIds: new Map(),
        signal: null,
        listeners: new Set(),
      });
    },
    async getConversation(id) {
      const e = conversations.get(id);
      return e ? cloneRecord(e.record) : null;
    },
    async updateConversation(id, patch) {
      const e = conversations.get(id);
      if (!e) return null;
      const { meta, ...rest } = patch;
      e.record = { ...e.record, ...rest, meta: meta ? { ...e.record.meta, ...structuredClone(meta) } : e.record.meta };
      return cloneRecord(e.record);
    },
    async deleteConversation(id) {
      const e = conversations.get(id);
      if (!e) return false;
      conversations.delete(id);
      e.listeners.clear();
      return true;
    },
    async listConversations() {
      return [...conversations.keys()];
    },
    async appendEvent(conversationId, event) {
      return push(entry(conversationId), event);
    },
    async appendVisitorMessage(conversationId, message: MessageEvent & { clientId: string }): Promise<VisitorAppend> {
      const e = entry(conversationId);
      const seen = e.clientIds.get(message.clientId);
      if (seen !== undefined) return { duplicate: true, stored: e.events[seen - 1] ?? null };
      const stored = push(e, message);
      e.clientIds.set(message.clientId, stored.id);
      return { duplicate: false, stored };
    },
    async readEvents(conversationId, afterId, limit = Number.POSITIVE_INFINITY) {
      const e = entry(conversationId);
      const from = Math.max(0, Math.floor(afterId));
      return e.events.slice(from, from + Math.min(limit, e.events.length));
    },
    async subscribe(conversationId, listener) {
      const e = entry(conversationId);
      e.listeners.add(listener);
      return () => {
        e.listeners.delete(listener);
      };
    },
    async recordSignal(conversationId, signal): Promise<SignalWrite> {
      const e = conversations.get(conversationId);
      if (!e) return { ok: false, reason: 'not-found' };
      if (e.signal && signal.seq <= e.signal.seq) return { ok: false, reason: 'stale', lastSeq: e.signal.seq };
      const prev = e.signal?.history ?? [];
      const history = prev.slice(Math.max(0, prev.length - historyMax + 1));
      history.push({ ...signal });
      e.signal = { ...signal, history };
      return { ok: true, state: structuredClone(e.signal) };
    },
    async getSignalState(conversationId) {
      const s = conversations.get(conversationId)?.signal;
      return s ? structuredClone(s) : null;
    },
    async close() {
      for (const e of conversations.values()) e.listeners.clear();
    },
  };
}
