// What the agent console reads: the queue (no message text: position, priority, level, reasons, waiting time)
// and the chats an agent holds.
import type { AgentClaims } from '../token.js';
import type { Core } from './core.js';
import type { Queue } from './queue.js';
import type { ConversationRecord } from '../store.js';
import { metaOf, visitorStateOf, type CallbackItem, type ChatItem, type QueueItem } from './types.js';

export function createReadModels(core: Core, queue: Queue) {
  const { store, now } = core;

  async function items(list: ConversationRecord[], inLine: boolean): Promise<QueueItem[]> {
    const t = now();
    const perQueue = new Map<string, number>();
    const out: QueueItem[] = [];
    for (const c of list) {
      const m = metaOf(c);
      const q = m.queue ?? 'default';
      // Chats whose visitor left (issue 12) hold no place: their position is 0.
      const position = inLine ? (perQueue.get(q) ?? 0) + 1 : 0;
      perQueue.set(q, position);
      const s = await store.getSignalState(c.id);
      out.push({
        conversationId: c.id,
        queue: q,
        position,
        priority: m.priority ?? 0,
        level: s?.level ?? null,
        trend: s?.trend ?? null,
        reasons: m.reasons ?? [],
        queuedAt: m.queuedAt ?? t,
        waitingMs: t - (m.queuedAt ?? t),
        language: core.languageOf(c),
        turns: m.turns ?? 0,
        botNotUnderstood: m.botNotUnderstood ?? 0,
        scoring: m.scoring ?? null,
        visitor: visitorStateOf(c),
        visitorLeftAt: m.visitorLeftAt ?? null,
        callback: m.callback ?? null,
      });
    }
    return out;
  }

  return {
    /** The chats in line, in the order they will be served. */
    queue: async (name?: string): Promise<QueueItem[]> => items(await queue.list(name), true),
    /** Visitor presence (issue 12): queued chats whose visitor left (position 0); they return when the visitor does. */
    left: async (name?: string): Promise<QueueItem[]> => items(await queue.abandoned(name), false),

    /**
     * Callback requests (issue 12) still open: contacts left by visitors who want a person no one could be
     * (wanting a person, or queued). Read from the two indexes routing keeps, never a scan. Staff only.
     */
    async callbacks(): Promise<CallbackItem[]> {
      const seen = new Set<string>();
      const out: CallbackItem[] = [];
      for (const c of [...(await store.listWantingHuman()), ...(await store.listByState('queued'))]) {
        const cb = metaOf(c).callback;
        if (!cb || seen.has(c.id)) continue;
        seen.add(c.id);
        out.push({ ...cb, conversationId: c.id, state: c.state, language: core.languageOf(c), visitor: visitorStateOf(c) });
      }
      return out.sort((a, b) => b.at - a.at);
    },

    async chats(agent: AgentClaims): Promise<ChatItem[]> {
      const all = await store.listByState('agent');
      const mine = agent.role === 'agent' ? all.filter((c) => metaOf(c).agentId === agent.agentId) : all;
      const out: ChatItem[] = [];
      for (const c of mine) {
        const m = metaOf(c);
        const s = await store.getSignalState(c.id);
        const events = await store.readEvents(c.id, 0);
        out.push({
          conversationId: c.id,
          queue: m.queue ?? 'default',
          agentId: m.agentId ?? '',
          agentName: m.agentName ?? '',
          claimedAt: m.claimedAt ?? 0,
          level: s?.level ?? null,
          trend: s?.trend ?? null,
          language: core.languageOf(c),
          lastEventId: events.at(-1)?.id ?? 0,
          scoring: m.scoring ?? null,
          visitor: visitorStateOf(c),
          visitorLeftAt: m.visitorLeftAt ?? null,
          callback: m.callback ?? null,
        });
      }
      return out.sort((a, b) => a.claimedAt - b.claimedAt);
    },
  };
}
