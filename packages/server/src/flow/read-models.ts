// What the agent console reads: the queue (no message text: position, priority, level, reasons, waiting time)
// and the chats an agent holds.
import type { AgentClaims } from '../token.js';
import type { Core } from './core.js';
import type { Queue } from './queue.js';
import { metaOf, type ChatItem, type QueueItem } from './types.js';

export function createReadModels(core: Core, queue: Queue) {
  const { store, now } = core;
  return {
    async queue(name?: string): Promise<QueueItem[]> {
      const t = now();
      const list = await queue.list(name);
      const perQueue = new Map<string, number>();
      const out: QueueItem[] = [];
      for (const c of list) {
        const m = metaOf(c);
        const q = m.queue ?? 'default';
        const position = (perQueue.get(q) ?? 0) + 1;
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
        });
      }
      return out;
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
        });
      }
      return out.sort((a, b) => a.claimedAt - b.claimedAt);
    },
  };
}
