// The life of a conversation between bot and people: every visitor message, bot reply and signal goes through
// the routing policy (decision.ts); decisions are audited (never text) and applied — queueing with an honest
// position and wait (queue.ts), careful bot tone when no one is free (bot-runner.ts), atomic claims, hand-back
// and close (agent-commands.ts), and what consoles read (read-models.ts). Each conversation's decisions run
// under one lock on the shared Coordination, so several instances never interleave them.
import type { MessageEvent } from '@temper/protocol';
import { detectLanguage } from '../bot.js';
import { asksForHuman } from '../routing.js';
import type { ConversationRecord, SignalState } from '../store.js';
import { createAssigner } from '../agents/assigner.js';
import { createAgentCommands } from './agent-commands.js';
import { createBotRunner } from './bot-runner.js';
import { createCore } from './core.js';
import { createDecision } from './decision.js';
import { createQueue } from './queue.js';
import { createReadModels } from './read-models.js';
import { metaOf, type FlowDeps } from './types.js';

export type { Availability, ChatItem, FlowDeps, Policy, QueueItem, RoutingMeta } from './types.js';

export function createFlow(d: FlowDeps) {
  const core = createCore(d);
  const { store } = core;
  const queue = createQueue(core);
  const decision = createDecision(core, queue);
  const bot = createBotRunner(core, decision);
  const commands = createAgentCommands(core, queue, decision);
  const read = createReadModels(core, queue);
  const assigner = createAssigner({
    store,
    coordination: d.coordination,
    now: d.now,
    config: d.agents,
    maxChatsPerAgent: d.maxChatsPerAgent,
    presenceTtlMs: d.presenceTtlMs,
    languageOf: core.languageOf,
    claim: commands.claim,
    log: d.log,
  });
  /** Agent matching (issue 14): hands queued chats to the best free agents; never fails the caller. */
  const assign = (ids?: string[]) =>
    core.track(assigner.assign(ids)).catch((e: unknown) => {
      d.log('error', 'assignment failed', { error: e instanceof Error ? e.message : String(e) });
      return [];
    });

  return {
    availability: decision.availability,
    queue: read.queue,
    chats: read.chats,
    claim: (id: string, agent: Parameters<typeof commands.claim>[1]) => commands.claim(id, agent),
    agentMessage: commands.message,
    agentTyping: commands.typing,
    async release(...a: Parameters<typeof commands.release>) {
      const r = await commands.release(...a);
      await assign();
      return r;
    },
    async close(...a: Parameters<typeof commands.close>) {
      const r = await commands.close(...a);
      await assign();
      return r;
    },
    assign,
    assigner,
    core,
    /** Messenger basics (issue 12): "seen" receipts. */
    agentSeen: commands.seen,

    async opened(c: ConversationRecord): Promise<void> {
      await core.audit({ at: c.createdAt, conversationId: c.id, action: 'opened', level: null, trend: null, reasons: [] });
    },

    /**
     * Right after a visitor message is stored: records the bot reply owed for it (when a bot is configured and
     * no person holds the chat), so any instance can answer it if this one dies first.
     */
    async oweReply(c: ConversationRecord, eventId: number): Promise<void> {
      if (d.bot && c.state !== 'agent') await store.markBotOwed(c.id, eventId, core.now());
    },

    /** A retried (duplicate) visitor message: if its reply is still owed, make sure someone answers it. */
    async visitorRetried(conversationId: string, eventId: number): Promise<void> {
      await bot.retried(conversationId, eventId);
    },

    /** Sweeper only: answers replies owed since before `olderThan` whose instance stopped answering. */
    recoverOwedReplies: bot.recoverOwed,

    /** After a new visitor message is stored: update counters, decide, then let the bot answer if it should. */
    async visitorMessage(conversationId: string, message: MessageEvent, eventId: number): Promise<void> {
      const asked = asksForHuman(message.text);
      const skipBot = await core.lock(conversationId, async () => {
        let c = await store.getConversation(conversationId);
        if (!c) return true;
        if (c.state === 'closed') {
          const reopened = await store.transition(conversationId, ['closed'], {
            state: 'bot',
            meta: { route: 'bot', tone: 'neutral', wantsHuman: false, askedForHuman: false, botNotUnderstood: 0, turns: 0, agentId: null, agentName: null, toldNoAgent: null },
          });
          if (reopened.ok) {
            c = reopened.record;
            await core.append(conversationId, { type: 'handoff', state: 'bot' });
          }
        }
        const m = metaOf(c);
        await store.updateConversation(conversationId, {
          meta: {
            turns: (m.turns ?? 0) + 1,
            askedForHuman: m.askedForHuman === true || asked,
            language: detectLanguage(message.text, c.locale),
          },
        });
        const after = await decision.evaluate(conversationId, 'message');
        // The ask itself gets the handoff notice, not a bot answer; a person's chat gets no bot at all.
        return asked || !after || after.state === 'agent' || after.state === 'closed';
      });
      const assigned = await assign([conversationId]);
      if (!skipBot && assigned.length === 0) bot.schedule(conversationId, message, eventId);
      else if (d.bot) await store.clearBotOwed(conversationId, eventId);
    },

    /** After a signal was accepted. */
    async signal(conversationId: string): Promise<void> {
      const r = await core.lock(conversationId, async () => {
        let signal: SignalState | null = null;
        const rec = await decision.evaluate(conversationId, 'signal', (s) => (signal = s));
        if (rec && signal) await d.onSignal?.(rec, signal);
        return rec;
      });
      if (r?.state === 'queued') await assign([conversationId]);
    },

    /**
     * Presence changed: chats waiting for a person may now get one (or lose their queue). Touches only those
     * (`listWantingHuman` and the queue, both indexes), never every conversation.
     */
    async agentsChanged(): Promise<void> {
      const waiting = [...(await store.listWantingHuman()), ...(await store.listByState('queued'))];
      for (const c of waiting) await core.lock(c.id, () => decision.evaluate(c.id, 'agents-changed'));
      await assign();
      d.onQueueChanged();
    },

    /** The widget reported another scoring status (issue 12): consoles show it, so they refresh. */
    scoringChanged(): void {
      d.onQueueChanged();
    },

    /** Waits for decisions and bot calls in flight (for close()). */
    idle: core.idle,
  };
}

export type Flow = ReturnType<typeof createFlow>;
