// The decision: who can take chats now, the routing state of one conversation, the policy's answer, and
// applying it (queue it, take it out of a dead queue, re-position, tell the visitor honestly that no one is
// free). Always called under the conversation's lock.
import { waitMinutes, type Level, type Trend } from '@temper/protocol';
import type { RoutingState } from '../routing.js';
import type { AuditEntry, ConversationRecord, SignalState } from '../store.js';
import type { Core } from './core.js';
import type { Queue } from './queue.js';
import { TEXT } from './texts.js';
import { metaOf, type Availability, type RoutingMeta } from './types.js';

export function createDecision(core: Core, queue: Queue) {
  const { store, now } = core;

  async function availability(): Promise<Availability> {
    const t = now();
    const agents = (await store.listAgents()).filter((a) => a.status === 'online' && t - a.lastSeen < core.presenceTtlMs);
    if (agents.length === 0) return { online: 0, free: 0, agents };
    const load = new Map<string, number>();
    for (const c of await store.listByState('agent')) {
      const id = metaOf(c).agentId;
      if (id) load.set(id, (load.get(id) ?? 0) + 1);
    }
    return { online: agents.length, free: agents.filter((a) => (load.get(a.agentId) ?? 0) < (a.profile?.maxChats ?? core.maxChatsPerAgent)).length, agents };
  }

  function routingState(c: ConversationRecord, signal: { level: Level; trend: Trend } | null, a: Availability): RoutingState {
    const m = metaOf(c);
    return {
      level: signal?.level ?? null,
      trend: signal?.trend ?? null,
      botNotUnderstood: m.botNotUnderstood ?? 0,
      askedForHuman: m.askedForHuman === true,
      turns: m.turns ?? 0,
      agentsOnline: a.online,
      agentsFree: a.free,
      now: now(),
      language: core.languageOf(c),
      current: m.route ? { route: m.wantsHuman ? 'human' : m.route, tone: m.tone ?? 'neutral' } : null,
      assigned: c.state === 'agent',
      levelAtHandBack: m.levelAtHandBack ?? null,
      queuedAt: c.state === 'queued' ? (m.queuedAt ?? null) : null,
    };
  }

  /** Decides and applies; call under `core.lock`. */
  async function evaluate(
    conversationId: string,
    trigger: NonNullable<AuditEntry['trigger']>,
    /** Sees the signal state the decision read (the supervisor board reuses it instead of reading again). */
    observe?: (signal: SignalState | null) => void,
  ): Promise<ConversationRecord | null> {
    // Read together (one round trip on a pipelining store): the record, the signal and who is online. A closed
    // or deleted conversation wastes the other two reads, which is rare; every decision saves two round trips.
    const [c, signal, a] = await Promise.all([store.getConversation(conversationId), store.getSignalState(conversationId), availability()]);
    observe?.(signal);
    if (!c || c.state === 'closed') return c;
    const decided = core.policy(routingState(c, signal, a), core.routing);
    // Queues by language and skill (issue 14, agents.queueBySkill): the topic's skill splits the language queue.
    const skill = core.agents.queueBySkill && metaOf(c).topic ? core.agents.topicSkills[metaOf(c).topic!] : undefined;
    const decision = skill ? { ...decided, queue: `${decided.queue}-${skill}` } : decided;
    core.counters.decisions++;
    const audited = core.audit({
      at: now(),
      conversationId,
      action: 'decision',
      trigger,
      route: decision.route,
      tone: decision.tone,
      priority: decision.priority,
      queue: decision.queue,
      state: c.state,
      level: signal?.level ?? null,
      trend: signal?.trend ?? null,
      reasons: [...decision.reasons],
    });
    const noOne = decision.reasons.find((r) => r === 'no-agent-available' || r === 'outside-hours');
    const m = metaOf(c);
    const patch: RoutingMeta = {
      route: decision.route,
      tone: decision.tone,
      priority: decision.priority,
      queue: decision.queue,
      reasons: decision.reasons,
      wantsHuman: decision.route === 'human' || noOne !== undefined,
    };
    // The audit entry and the patch are independent writes (core.audit never rejects): send them together.
    let rec = (await Promise.all([store.updateConversation(conversationId, { meta: { ...patch } }), audited]))[0] ?? c;
    const lang = core.languageOf(c);
    if (decision.route === 'human' && c.state === 'bot') {
      const t = now();
      const moved = await store.transition(conversationId, ['bot'], {
        state: 'queued',
        meta: { queuedAt: t, firstQueuedAt: m.firstQueuedAt ?? t, toldNoAgent: null, position: null, abandonedAt: null },
      });
      if (moved.ok) {
        rec = moved.record;
        await core.audit({ at: t, conversationId, action: 'queued', queue: decision.queue, priority: decision.priority, level: signal?.level ?? null, trend: signal?.trend ?? null, reasons: [...decision.reasons] });
        const waiting = await queue.list(decision.queue);
        const position = waiting.findIndex((x) => x.id === conversationId) + 1 || waiting.length + 1;
        const wait = queue.expectedWait(position, a.online);
        await store.updateConversation(conversationId, { meta: { position, waitSeconds: wait } });
        await core.append(conversationId, { type: 'handoff', state: 'queued', position, waitSeconds: wait });
        await core.system(conversationId, TEXT.queued[lang](position, waitMinutes(wait)));
        await queue.refreshPositions(decision.queue, a.online);
      }
    } else if (decision.route === 'bot' && c.state === 'queued') {
      // Every agent went away while this visitor waited: say so instead of leaving them in a dead queue.
      const moved = await store.transition(conversationId, ['queued'], { state: 'bot', meta: { queuedAt: null, position: null } });
      if (moved.ok) {
        rec = moved.record;
        await core.append(conversationId, { type: 'handoff', state: 'bot' });
        core.onQueueChanged();
      }
    } else if (c.state === 'queued' && decision.priority !== m.priority) {
      await queue.refreshPositions(decision.queue, a.online);
    }
    if (noOne && metaOf(rec).toldNoAgent !== noOne) {
      await core.system(conversationId, TEXT[noOne][lang]);
      rec = (await store.updateConversation(conversationId, { meta: { toldNoAgent: noOne } })) ?? rec;
    }
    return rec;
  }

  return { availability, evaluate };
}

export type DecisionMaker = ReturnType<typeof createDecision>;
