// Data-subject requests (issue 15, finding 6): find a visitor's conversations (by the conversation reference the
// widget shows before "Forget", or by the host's verified user id), export one as JSON (GDPR Art. 15 / 20), and
// erase it — transcript, signals, rating, notes, the customer's link, pending webhooks — with its audit entries
// anonymised (not pseudonymised): see `anonymiseAuditEntry` for exactly what an anonymised entry keeps.
import type { HandoffState, Level, Locale, Trend } from '@temper/protocol';
import { anonymiseAuditEntry, type AuditEntry, type ConversationRecord, type Store } from '../store.js';
import { anonymiseArchive, type AuditArchive } from './retention.js';

/** The `schema` value of `ConversationExport`; a later incompatible shape gets a new one. */
export const CONVERSATION_EXPORT_SCHEMA = 'temper.conversation-export.v1';

/** How to find a data subject's conversations: the reference they quote, or the host's verified user id. */
export type DataSubjectQuery = { conversationId: string } | { userId: string };

/** One conversation found by `find`. */
export interface FoundConversation {
  conversationId: string;
  createdAt: number;
  /** Last visitor message (Unix ms), or null. */
  lastVisitorAt: number | null;
  state: HandoffState;
  /** The verified user id it belongs to, or null (anonymous visitor). */
  userId: string | null;
  /** Chat messages stored (visitor, bot, agent, system). */
  messages: number;
}

/**
 * A conversation as handed to its data subject (GDPR Art. 15 access / Art. 20 portability). Times are Unix
 * ms. Card numbers appear masked, as they were stored. Staff are named as the visitor saw them in the chat;
 * staff ids are left out. Review `staffNotes` before you hand the file over (they are about the visitor, but
 * written by staff).
 */
export interface ConversationExport {
  schema: typeof CONVERSATION_EXPORT_SCHEMA;
  exportedAt: number;
  conversation: {
    id: string;
    createdAt: number;
    lastVisitorAt: number | null;
    state: HandoffState;
    locale: Locale | null;
    userId: string | null;
    /** The scoring mode the widget reported: 'on' | 'off' | 'unavailable', or null. */
    scoring: string | null;
  };
  /** Every chat message, oldest first. `name` = the bot's or agent's display name. */
  messages: Array<{ from: 'visitor' | 'bot' | 'agent' | 'system'; text: string; at: number; name?: string }>;
  /** The frustration signals the visitor's device sent (level 0–3, trend −1/0/1) and a summary. */
  signals: {
    count: number;
    /** How many signals had each level (index = level). */
    byLevel: [number, number, number, number];
    history: Array<{ level: Level; trend: Trend; at: number }>;
  };
  rating: { score: number; comment?: string; at: number } | null;
  /** The contact left for a callback, or null. */
  callback: { kind: string; contact: string; at: number } | null;
  staffNotes: Array<{ at: number; text: string }>;
  /** What was decided about the conversation and why (routing; Art. 15(1)(h)): the audit entries still kept. */
  decisions: Array<{ at: number; action: AuditEntry['action']; route?: string; state?: string; level: Level | null; trend: Trend | null; reasons: string[]; waitMs?: number }>;
}

/** What `erase` did. */
export interface ErasureResult {
  conversationId: string;
  /** Whether the conversation (transcript and all) was still stored and is now deleted. */
  deleted: boolean;
  /** Audit entries anonymised in the Store. */
  auditAnonymised: number;
  /** Folder-archive files rewritten with the entries anonymised (`retention.auditArchive.dir`). */
  archiveFiles: string[];
  /** Whether a callback archive's `erase` was called. */
  archiveNotified: boolean;
  /** Webhook deliveries still in the outbox that named the conversation, dropped. */
  webhooksDropped: number;
}

/** `handler.dataSubjects`: the programmatic data-subject API (the admin routes call the same). */
export interface DataSubjects {
  /** Conversations of a reference or a verified user id (newest first for a user; at most 50). */
  find(query: DataSubjectQuery): Promise<FoundConversation[]>;
  /** The export of one conversation, or null when it is not stored (deleted, expired, never existed). */
  export(conversationId: string): Promise<ConversationExport | null>;
  /** Erases one conversation and anonymises its audit trail. Safe to repeat. */
  erase(conversationId: string): Promise<ErasureResult>;
}

export interface DsrDeps {
  store: Store;
  now: () => number;
  archive: AuditArchive | null;
  /** Deletes the conversation's stored data and ends its streams, without touching the audit log. */
  purge(id: string): Promise<boolean>;
}

const REF = /^[A-Za-z0-9_.:-]{1,200}$/;

/** A reference as pasted (whitespace around it trimmed), or a TypeError saying what is wrong. */
function reference(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new TypeError(`${what} must be a string`);
  const id = v.trim();
  if (!REF.test(id)) throw new TypeError(`${what} ${JSON.stringify(v)} is not a conversation reference (1–200 of A–Z a–z 0–9 _ . : -)`);
  return id;
}

export function createDataSubjects(d: DsrDeps): DataSubjects {
  const { store, now } = d;

  async function found(r: ConversationRecord): Promise<FoundConversation> {
    const events = await store.readEvents(r.id, 0);
    return {
      conversationId: r.id,
      createdAt: r.createdAt,
      lastVisitorAt: r.lastVisitorAt ?? null,
      state: r.state,
      userId: r.userId ?? null,
      messages: events.filter((e) => e.event.type === 'message').length,
    };
  }

  return {
    async find(q) {
      if (q === null || typeof q !== 'object') throw new TypeError('find needs { conversationId } or { userId }');
      if ('conversationId' in q) {
        const r = await store.getConversation(reference(q.conversationId, 'conversationId'));
        return r ? [await found(r)] : [];
      }
      if (!('userId' in q) || typeof q.userId !== 'string' || q.userId.length === 0) throw new TypeError('find needs { conversationId } or { userId } (a non-empty string)');
      const out: FoundConversation[] = [];
      for (const id of await store.listUserConversations(q.userId, 50)) {
        const r = await store.getConversation(id);
        if (r && r.userId === q.userId) out.push(await found(r));
      }
      return out;
    },

    async export(conversationId) {
      const id = reference(conversationId, 'conversationId');
      const r = await store.getConversation(id);
      if (!r) return null;
      const [events, signal, rating, notes, audit] = await Promise.all([
        store.readEvents(id, 0),
        store.getSignalState(id),
        store.getRating(id),
        store.listStaffNotes(id),
        store.readAudit({ conversationId: id }),
      ]);
      const history = (signal?.history ?? []).map(({ level, trend, at }) => ({ level, trend, at }));
      const byLevel: [number, number, number, number] = [0, 0, 0, 0];
      for (const h of history) byLevel[h.level]++;
      const cb = (r.meta as { callback?: { kind: string; contact: string; at: number } | null }).callback ?? null;
      return {
        schema: CONVERSATION_EXPORT_SCHEMA,
        exportedAt: now(),
        conversation: {
          id,
          createdAt: r.createdAt,
          lastVisitorAt: r.lastVisitorAt ?? null,
          state: r.state,
          locale: r.locale ?? null,
          userId: r.userId ?? null,
          scoring: typeof r.meta['scoring'] === 'string' ? (r.meta['scoring'] as string) : null,
        },
        messages: events.flatMap((e) => (e.event.type === 'message' ? [{ from: e.event.from, text: e.event.text, at: e.event.at, ...(e.event.name ? { name: e.event.name } : {}) }] : [])),
        signals: { count: history.length, byLevel, history },
        rating: rating ? { score: rating.score, ...(rating.comment === undefined ? {} : { comment: rating.comment }), at: rating.at } : null,
        callback: cb ? { kind: cb.kind, contact: cb.contact, at: cb.at } : null,
        staffNotes: notes.map((n) => ({ at: n.at, text: n.text })),
        decisions: audit.map((a) => ({
          at: a.at,
          action: a.action,
          ...(a.route ? { route: a.route } : {}),
          ...(a.state ? { state: a.state } : {}),
          level: a.level,
          trend: a.trend,
          reasons: a.reasons,
          ...(a.waitMs === undefined ? {} : { waitMs: a.waitMs }),
        })),
      };
    },

    async erase(conversationId) {
      const id = reference(conversationId, 'conversationId');
      const deleted = await d.purge(id);
      const auditAnonymised = await store.anonymiseAudit(id);
      let archiveFiles: string[] = [];
      let archiveNotified = false;
      if (d.archive && 'dir' in d.archive) archiveFiles = await anonymiseArchive(d.archive.dir, id);
      else if (d.archive?.erase) {
        await d.archive.erase(id);
        archiveNotified = true;
      }
      // Pending webhooks carry the conversation id (and a level): the host must not get them after erasure.
      let webhooksDropped = 0;
      const needle = JSON.stringify(id);
      for (const w of await store.listWebhooks(10_000)) if (w.body.includes(needle) && (await store.completeWebhook(w.id))) webhooksDropped++;
      if (deleted || auditAnonymised > 0) {
        // Accountability (Art. 5(2)): that an erasure happened, itself anonymous.
        await store.appendAudit(anonymiseAuditEntry({ at: now(), conversationId: id, action: 'deleted', level: null, trend: null, reasons: [] }, false));
      }
      return { conversationId: id, deleted, auditAnonymised, archiveFiles, archiveNotified, webhooksDropped };
    },
  };
}
