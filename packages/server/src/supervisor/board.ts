// The supervisor's live board: every open chat (level, trend, route, waiting time, agent), the early-warning
// list of chats that started rising, and each online agent's emotional load. A rising signal marks the chat
// (`meta.warnedAt`) and is announced on a channel every instance listens to, so a board open on any instance
// gets a fresh snapshot within one coalescing tick of the signal — an event stream, not polling.
import type { Level, Trend } from '@temper/protocol';
import { agentLoads } from '../agents/assigner.js';
import type { AgentLoad, AgentRoutingConfig } from '../agents/matching.js';
import type { AgentProfile } from '../agents/profile.js';
import type { Coordination } from '../coordination.js';
import type { ConversationRecord, SignalState, Store } from '../store.js';
import type { RoutingMeta } from '../flow/types.js';

/** The channel that carries "this conversation changed for the board" (message = conversation id). */
export const BOARD_CHANNEL = 'board-changed';

/** One open chat on the board. No message text. */
export interface BoardChat {
  conversationId: string;
  state: 'bot' | 'queued' | 'agent';
  level: Level | null;
  trend: Trend | null;
  route: 'bot' | 'human' | null;
  queue: string | null;
  language: 'en' | 'zh';
  topic: string | null;
  /** How long the visitor has been waiting: in the queue since queued, with an agent since their unanswered message. */
  waitingMs: number;
  agentId: string | null;
  agentName: string | null;
  /** Unix ms when the chat started rising (early warning), or null. */
  warnedAt: number | null;
  /** Why the router picked the agent (agent matching), if it did. */
  matchReasons: string[];
  /** Staff notes on the chat. */
  notes: number;
}

/** One online agent on the board. */
export interface BoardAgent {
  agentId: string;
  name: string;
  role: string;
  profile: AgentProfile | null;
  chats: number;
  load: AgentLoad;
}

/** `GET /agent/board` and every frame of `GET /agent/board/events`. */
export interface Board {
  at: number;
  chats: BoardChat[];
  /** Chats with a warning, longest-warned first. */
  warnings: Array<{ conversationId: string; warnedAt: number; sinceMs: number; level: Level | null; agentName: string | null }>;
  agents: BoardAgent[];
}

/** Rising, the way the issue defines it: trend +1 from uneasy (level ≥ 1) or above. */
export const isRising = (level: Level, trend: Trend) => level >= 1 && trend === 1;

export interface BoardDeps {
  store: Store;
  coordination: Coordination;
  now: () => number;
  config: AgentRoutingConfig;
  presenceTtlMs: number;
  languageOf(c: ConversationRecord): 'en' | 'zh';
  /** Bot chats with no visitor message for this long leave the board. */
  idleMs: number;
}

export function createBoard(d: BoardDeps) {
  const { store, now } = d;

  /** After an accepted signal: set or clear the warning, then tell every board. Call under the conversation's lock. */
  async function signalled(c: ConversationRecord, s: SignalState): Promise<void> {
    const conversationId = c.id;
    const warnedAt = (c.meta as RoutingMeta).warnedAt ?? null;
    const rising = isRising(s.level, s.trend);
    if (rising && warnedAt === null) await store.updateConversation(conversationId, { meta: { warnedAt: s.at } });
    else if (!rising && s.trend !== 1 && warnedAt !== null) await store.updateConversation(conversationId, { meta: { warnedAt: null } });
    await changed(conversationId);
  }

  function changed(conversationId: string): Promise<void> {
    return d.coordination.publish(BOARD_CHANNEL, conversationId).catch(() => undefined);
  }

  async function snapshot(): Promise<Board> {
    const t = now();
    const [bot, queued, held, agents, loads] = await Promise.all([
      store.listByState('bot'),
      store.listByState('queued'),
      store.listByState('agent'),
      store.listAgents(),
      agentLoads(store, t, d.config),
    ]);
    // Bot chats only while the visitor is around (or a warning stands): the board is for chats that need eyes.
    const open = [...queued, ...held, ...bot.filter((c) => t - (c.lastVisitorAt ?? c.createdAt) < d.idleMs || (c.meta as RoutingMeta).warnedAt)];
    const chats: BoardChat[] = await Promise.all(
      open.map(async (c) => {
        const m = c.meta as RoutingMeta & { lastStaffAt?: number };
        const [s, notes] = await Promise.all([store.getSignalState(c.id), store.listStaffNotes(c.id)]);
        const lastVisitor = c.lastVisitorAt ?? 0;
        const waitingMs =
          c.state === 'queued'
            ? t - (m.queuedAt ?? t)
            : c.state === 'agent' && lastVisitor > Math.max(m.lastStaffAt ?? 0, m.claimedAt ?? 0)
              ? t - lastVisitor
              : 0;
        return {
          conversationId: c.id,
          state: c.state as BoardChat['state'],
          level: s?.level ?? null,
          trend: s?.trend ?? null,
          route: m.route ?? null,
          queue: m.queue ?? null,
          language: d.languageOf(c),
          topic: m.topic ?? null,
          waitingMs: Math.max(0, waitingMs),
          agentId: m.agentId ?? null,
          agentName: m.agentName ?? null,
          warnedAt: m.warnedAt ?? null,
          matchReasons: m.matchReasons ?? [],
          notes: notes.length,
        };
      }),
    );
    const order = { queued: 0, agent: 1, bot: 2 } as const;
    chats.sort((a, b) => (b.level ?? -1) - (a.level ?? -1) || order[a.state] - order[b.state] || b.waitingMs - a.waitingMs || (a.conversationId < b.conversationId ? -1 : 1));
    const warnings = chats
      .filter((c) => c.warnedAt !== null)
      .map((c) => ({ conversationId: c.conversationId, warnedAt: c.warnedAt!, sinceMs: Math.max(0, t - c.warnedAt!), level: c.level, agentName: c.agentName }))
      .sort((a, b) => a.warnedAt - b.warnedAt);
    const active = new Map<string, number>();
    for (const c of held) {
      const id = (c.meta as RoutingMeta).agentId;
      if (id) active.set(id, (active.get(id) ?? 0) + 1);
    }
    const none: AgentLoad = { score: 0, chats: 0, angryInARow: 0, breakSuggested: false };
    const board: BoardAgent[] = agents
      .filter((a) => a.status === 'online' && t - a.lastSeen < d.presenceTtlMs)
      .map((a) => ({ agentId: a.agentId, name: a.name, role: a.role, profile: a.profile ?? null, chats: active.get(a.agentId) ?? 0, load: loads.get(a.agentId) ?? none }))
      .sort((a, b) => b.load.score - a.load.score || (a.agentId < b.agentId ? -1 : 1));
    return { at: t, chats, warnings, agents: board };
  }

  return { signalled, changed, snapshot };
}

export type BoardService = ReturnType<typeof createBoard>;
