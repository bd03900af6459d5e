// What every part of the flow needs: appending events (a deleted conversation is not an error here), system
// messages, audit, the conversation's language, and the per-conversation lock that holds across instances.
import { randomBytes } from 'node:crypto';
import type { ServerEvent } from '@temper/protocol';
import { keys } from '../keys.js';
import type { AuditEntry, ConversationRecord, StoredEvent } from '../store.js';
import type { Lang } from './texts.js';
import { metaOf, type FlowDeps } from './types.js';

export const newId = (bytes: number) => randomBytes(bytes).toString('base64url');

export function createCore(d: FlowDeps) {
  const { store, now, log } = d;
  const inflight = new Set<Promise<unknown>>();

  /** Tracks `p` so that `idle()` (server close) can wait for it. */
  function track<T>(p: Promise<T>): Promise<T> {
    inflight.add(p);
    const done = () => inflight.delete(p);
    p.then(done, done);
    return p;
  }

  async function append(conversationId: string, event: ServerEvent): Promise<StoredEvent | null> {
    try {
      return await store.appendEvent(conversationId, event);
    } catch (e) {
      // Deleted meanwhile: nothing to deliver.
      log('warn', 'could not append event', { conversationId, type: event.type, error: String(e) });
      return null;
    }
  }

  return {
    ...d,
    track,
    append,

    /** Runs `fn` while no other task of this conversation runs, on any instance (decisions must not interleave). */
    lock<T>(conversationId: string, fn: () => Promise<T>): Promise<T> {
      return track(d.coordination.withLock(keys.conversation(conversationId), fn));
    },

    system(conversationId: string, text: string): Promise<StoredEvent | null> {
      return append(conversationId, { type: 'message', id: newId(12), from: 'system', text, at: now() });
    },

    audit(entry: AuditEntry): Promise<void> {
      d.onAudit?.(entry);
      return store.appendAudit(entry).catch((e: unknown) => log('error', 'audit append failed', { error: String(e) }));
    },

    languageOf: (c: ConversationRecord): Lang => metaOf(c).language ?? (c.locale === 'zh-CN' ? 'zh' : 'en'),

    async idle(): Promise<void> {
      await Promise.allSettled([...inflight]);
    },
  };
}

export type Core = ReturnType<typeof createCore>;
