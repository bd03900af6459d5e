// What agents do to a conversation: claim it (atomic: of several concurrent claims on any instances exactly
// one wins, by the store's compare-and-set), write and type in it, hand it back to the bot, close it.
// Refusals are thrown as HttpError (404, 409, 403) and answered by the dispatcher.
import { maskCardNumbers } from '@temper/protocol';
import { HttpError } from '../http/error.js';
import type { ConversationRecord, StoredEvent } from '../store.js';
import type { AgentClaims } from '../token.js';
import type { Core } from './core.js';
import { newId } from './core.js';
import type { DecisionMaker } from './decision.js';
import type { Queue } from './queue.js';
import { TEXT } from './texts.js';
import { metaOf } from './types.js';

const notFound = () => new HttpError('not-found', 'no such conversation');

export function createAgentCommands(core: Core, queue: Queue, decision: DecisionMaker) {
  const { store, now } = core;

  /** The conversation, if `agent` holds it; throws otherwise. */
  async function held(conversationId: string, agent: AgentClaims, what: string): Promise<ConversationRecord> {
    const c = await store.getConversation(conversationId);
    if (!c) throw notFound();
    if (c.state !== 'agent' || metaOf(c).agentId !== agent.agentId) throw new HttpError('conflict', what);
    return c;
  }

  /** Supervisors and admins may act on a chat another agent holds; agents may not. */
  function mayTouch(c: ConversationRecord, agent: AgentClaims): void {
    if (c.state === 'agent' && metaOf(c).agentId !== agent.agentId && agent.role === 'agent')
      throw new HttpError('forbidden', 'another agent has this chat');
  }

  return {
    /** `via`: the router assigned it (agent matching, issue 14) for these reasons. */
    async claim(conversationId: string, agent: AgentClaims, via?: { matchReasons: string[] }): Promise<ConversationRecord> {
      return core.lock(conversationId, async () => {
        const t = now();
        const r = await store.transition(conversationId, ['queued', 'bot'], {
          state: 'agent',
          meta: {
            agentId: agent.agentId,
            agentName: agent.name,
            claimedAt: t,
            route: 'human',
            wantsHuman: false,
            position: null,
            lastAgentId: agent.agentId,
            lastAgentName: agent.name,
            firstReplyAt: null,
            assignedBy: via ? 'router' : 'agent',
            matchReasons: via?.matchReasons ?? null,
          },
        });
        if (!r.ok) {
          if (!r.record) throw notFound();
          const by = metaOf(r.record).agentName;
          throw new HttpError('conflict', r.record.state === 'agent' ? `already claimed${by ? ` by ${by}` : ''}` : `the conversation is ${r.record.state}`);
        }
        const m = metaOf(r.record);
        const from = m.firstQueuedAt ?? null;
        const waitMs = from === null ? undefined : Math.max(0, t - from);
        if (waitMs !== undefined) queue.recordWait(waitMs);
        const s = await store.getSignalState(conversationId);
        await core.audit({
          at: t,
          conversationId,
          action: 'claimed',
          agentId: agent.agentId,
          queue: m.queue ?? 'default',
          state: 'agent',
          level: s?.level ?? null,
          trend: s?.trend ?? null,
          reasons: m.reasons ?? [],
          ...(waitMs !== undefined ? { waitMs } : {}),
          ...(via ? { matchReasons: [...via.matchReasons] } : {}),
        });
        await core.append(conversationId, { type: 'handoff', state: 'agent', name: agent.name.slice(0, 80) });
        await core.system(conversationId, TEXT.joined[core.languageOf(r.record)](agent.name));
        const a = await decision.availability();
        await queue.refreshPositions(m.queue, a.online);
        return r.record;
      });
    },

    async message(conversationId: string, agent: AgentClaims, text: string): Promise<StoredEvent> {
      const c = await held(conversationId, agent, 'claim the conversation before writing to it');
      const cm = c.meta as { claimedAt?: number | null; firstReplyAt?: number | null };
      const t = now();
      // When staff last wrote: the supervisor board's waiting time (issue 14).
      await store.updateConversation(conversationId, { meta: { lastStaffAt: t, ...(cm.claimedAt && !cm.firstReplyAt ? { firstReplyAt: t } : {}) } });
      if (cm.claimedAt && !cm.firstReplyAt) {
        // Time to first reply (agent reports, issue 14): the first message after the claim.
        const s = await store.getSignalState(conversationId);
        await core.audit({ at: t, conversationId, action: 'replied', agentId: agent.agentId, level: s?.level ?? null, trend: s?.trend ?? null, reasons: [], waitMs: Math.max(0, t - cm.claimedAt) });
      }
      await core.append(conversationId, { type: 'typing', from: 'agent', active: false });
      const stored = await core.append(conversationId, { type: 'message', id: newId(12), from: 'agent', text: maskCardNumbers(text), at: now(), name: agent.name.slice(0, 80) });
      if (!stored) throw notFound();
      return stored;
    },

    async typing(conversationId: string, agent: AgentClaims, active: boolean): Promise<void> {
      await held(conversationId, agent, 'claim the conversation first');
      await core.append(conversationId, { type: 'typing', from: 'agent', active });
    },

    /** Hands the chat back to the bot; the counters that led to the handoff start over. */
    async release(conversationId: string, agent: AgentClaims): Promise<ConversationRecord> {
      return core.lock(conversationId, async () => {
        const c = await store.getConversation(conversationId);
        if (!c) throw notFound();
        mayTouch(c, agent);
        const s = await store.getSignalState(conversationId);
        const r = await store.transition(conversationId, ['agent', 'queued'], {
          state: 'bot',
          meta: {
            route: 'bot',
            tone: 'neutral',
            wantsHuman: false,
            askedForHuman: false,
            botNotUnderstood: 0,
            turns: 0,
            agentId: null,
            agentName: null,
            queuedAt: null,
            position: null,
            toldNoAgent: null,
            levelAtHandBack: s?.level ?? null,
            // Callback requests (issue 12): the agent who had the chat dealt with it.
            callback: null,
          },
        });
        if (!r.ok) throw r.record ? new HttpError('conflict', `the conversation is ${r.record.state}`) : notFound();
        await core.audit({ at: now(), conversationId, action: 'released', agentId: agent.agentId, state: 'bot', route: 'bot', level: s?.level ?? null, trend: s?.trend ?? null, reasons: [] });
        await core.append(conversationId, { type: 'handoff', state: 'bot' });
        await core.system(conversationId, TEXT.released[core.languageOf(r.record)]);
        core.onQueueChanged();
        return r.record;
      });
    },

    async close(conversationId: string, agent: AgentClaims): Promise<ConversationRecord> {
      return core.lock(conversationId, async () => {
        const c = await store.getConversation(conversationId);
        if (!c) throw notFound();
        mayTouch(c, agent);
        const r = await store.transition(conversationId, ['agent', 'queued', 'bot'], {
          state: 'closed',
          meta: { agentId: null, agentName: null, queuedAt: null, position: null, wantsHuman: false },
        });
        if (!r.ok) throw r.record ? new HttpError('conflict', 'already closed') : notFound();
        const s = await store.getSignalState(conversationId);
        await core.audit({ at: now(), conversationId, action: 'closed', agentId: agent.agentId, state: 'closed', level: s?.level ?? null, trend: s?.trend ?? null, reasons: [] });
        await core.append(conversationId, { type: 'handoff', state: 'closed' });
        await core.system(conversationId, TEXT.closed[core.languageOf(r.record)]);
        core.onQueueChanged();
        return r.record;
      });
    },

    /**
     * Messenger basics (issue 12): the agent holding the chat has seen the visitor's messages up to event
     * `upTo`. Appends one `seen` event when that covers a visitor message not reported seen yet (a console
     * calling on every new event adds nothing to the log otherwise). Resolves the event id the visitor now
     * knows is seen (unchanged when nothing new was covered).
     */
    async seen(conversationId: string, agent: AgentClaims, upTo: number): Promise<number> {
      return core.lock(conversationId, async () => {
        const c = await held(conversationId, agent, 'claim the conversation before marking it seen');
        const before = metaOf(c).seenUpTo ?? 0;
        if (upTo <= before) return before;
        const events = await store.readEvents(conversationId, before, upTo - before);
        const last = events.at(-1)?.id ?? before;
        if (last < upTo) throw new HttpError('out-of-range', `upTo ${upTo} is past the last event (${last})`, 'upTo');
        const visitor = events.filter((e) => e.event.type === 'message' && e.event.from === 'visitor' && e.event.clientId).at(-1);
        if (!visitor || visitor.event.type !== 'message') return before;
        await store.updateConversation(conversationId, { meta: { seenUpTo: visitor.id } });
        await core.append(conversationId, { type: 'seen', upTo: visitor.id, clientId: visitor.event.clientId!, at: now() });
        return visitor.id;
      });
    },
  };
}
