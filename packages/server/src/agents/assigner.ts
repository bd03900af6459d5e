// Automatic assignment: when a chat is queued (or an agent comes online or gets room), the router hands it to
// the best free agent with a profile (matching.ts) and claims it for them with the same atomic claim an agent's
// own click uses, so a concurrent manual claim still wins exactly once. One assignment at a time across every
// instance (a shared lock), so two chats never both see the same last free slot.
import type { Coordination } from '../coordination.js';
import type { AgentPresence, AuditEntry, ConversationRecord, Store } from '../store.js';
import type { AgentClaims } from '../token.js';
import { loadOf, matchAgent, type AgentLoad, type AgentRoutingConfig, type Match, type MatchCandidate } from './matching.js';

const ASSIGN_LOCK = 'agents:assign';

export interface AssignerDeps {
  store: Store;
  coordination: Coordination;
  now: () => number;
  config: AgentRoutingConfig;
  maxChatsPerAgent: number;
  presenceTtlMs: number;
  languageOf(c: ConversationRecord): 'en' | 'zh';
  /** The atomic claim; rejects (409) when someone else claimed first. */
  claim(conversationId: string, agent: AgentClaims, via: { matchReasons: string[] }): Promise<unknown>;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

/** Emotional load of every agent who took a chat in the window, from the audit log's claims (oldest first). */
export async function agentLoads(store: Store, now: number, config: AgentRoutingConfig): Promise<Map<string, AgentLoad>> {
  const claims = (await store.readAudit({ from: now - config.loadWindowMs })).filter(
    (e): e is AuditEntry & { agentId: string } => (e.action === 'claimed' || e.action === 'taken-over') && typeof e.agentId === 'string',
  );
  const levels = new Map<string, Array<AuditEntry['level']>>();
  for (const e of claims) {
    const l = levels.get(e.agentId) ?? [];
    l.push(e.level);
    levels.set(e.agentId, l);
  }
  return new Map([...levels].map(([id, l]) => [id, loadOf(l, config)]));
}

const NO_LOAD: AgentLoad = { score: 0, chats: 0, angryInARow: 0, breakSuggested: false };

export function createAssigner(d: AssignerDeps) {
  const { store, now, config } = d;

  /** Online agents with a profile, with their open chats and load. */
  async function candidates(online: readonly AgentPresence[]): Promise<MatchCandidate[]> {
    const t = now();
    const withProfile = online.filter((a) => a.profile && a.status === 'online' && t - a.lastSeen < d.presenceTtlMs);
    if (withProfile.length === 0) return [];
    const active = new Map<string, number>();
    for (const c of await store.listByState('agent')) {
      const id = (c.meta as { agentId?: string }).agentId;
      if (id) active.set(id, (active.get(id) ?? 0) + 1);
    }
    const loads = await agentLoads(store, t, config);
    return withProfile.map((a) => ({
      agentId: a.agentId,
      name: a.name,
      profile: a.profile!,
      active: active.get(a.agentId) ?? 0,
      capacity: a.profile!.maxChats ?? d.maxChatsPerAgent,
      load: loads.get(a.agentId) ?? NO_LOAD,
    }));
  }

  /** The match for one chat now (no claim). */
  async function recommend(c: ConversationRecord, online: readonly AgentPresence[]): Promise<Match | null> {
    const list = await candidates(online);
    if (list.length === 0) return null;
    const s = await store.getSignalState(c.id);
    const topic = typeof c.meta.topic === 'string' ? c.meta.topic : null;
    return matchAgent({ language: d.languageOf(c), topic, level: s?.level ?? null }, list, config);
  }

  /**
   * Hands the queued chats `ids` (all queued ones when absent), most urgent first, to the best free agents.
   * Returns the assignments made.
   */
  async function assign(ids?: readonly string[]): Promise<Array<{ conversationId: string; agentId: string; reasons: string[] }>> {
    if (config.assign !== 'auto') return [];
    // Cheap checks before the shared lock: most messages belong to chats nobody needs to assign.
    if (ids) {
      const recs = await Promise.all(ids.map((id) => store.getConversation(id)));
      if (!recs.some((c) => c?.state === 'queued')) return [];
    }
    if (!(await store.listAgents()).some((a) => a.profile && a.status === 'online')) return [];
    return d.coordination.withLock(ASSIGN_LOCK, async () => {
      const online = await store.listAgents();
      if (!online.some((a) => a.profile && a.status === 'online')) return [];
      const queued = (await store.listByState('queued'))
        // A chat out of line because its visitor left (issue 12's abandonAfterMs) waits for them to come back.
        .filter((c) => (!ids || ids.includes(c.id)) && !c.meta.abandonedAt)
        .sort((a, b) => Number(b.meta.priority ?? 0) - Number(a.meta.priority ?? 0) || Number(a.meta.queuedAt ?? 0) - Number(b.meta.queuedAt ?? 0));
      const done: Array<{ conversationId: string; agentId: string; reasons: string[] }> = [];
      for (const c of queued) {
        const m = await recommend(c, online);
        if (!m) break;
        await store.updateConversation(c.id, { meta: { match: { agentId: m.agentId, reasons: m.reasons, at: now() } } });
        if (!m.agentId) continue;
        const agent = online.find((a) => a.agentId === m.agentId)!;
        try {
          await d.claim(c.id, { agentId: agent.agentId, name: agent.name, role: agent.role, ...(agent.profile ? { profile: agent.profile } : {}) }, { matchReasons: m.reasons });
          done.push({ conversationId: c.id, agentId: agent.agentId, reasons: m.reasons });
        } catch (e) {
          // Claimed by hand meanwhile, closed, or deleted: nothing to assign.
          d.log('info', 'assignment lost to a concurrent change', { conversationId: c.id, error: e instanceof Error ? e.message : String(e) });
        }
      }
      return done;
    }, { waitMs: 30_000 });
  }

  return { assign, recommend, candidates };
}

export type Assigner = ReturnType<typeof createAssigner>;
