// The life of a conversation between bot and people: every visitor message, bot reply and signal goes through
// the routing policy (decision.ts); decisions are audited (never text) and applied — queueing with an honest
// position and wait (queue.ts), careful bot tone when no one is free (bot-runner.ts), atomic claims, hand-back
// and close (agent-commands.ts), and what consoles read (read-models.ts). Each conversation's decisions run
// under one lock on the shared Coordination, so several instances never interleave them.
import { waitMinutes, type MessageEvent } from '@temper/protocol';
import { detectLanguage } from '../bot.js';
import { asksForHuman } from '../routing.js';
import type { ConversationRecord, SignalState } from '../store.js';
import { createAssigner } from '../agents/assigner.js';
import { createAgentCommands } from './agent-commands.js';
import { createBotRunner } from './bot-runner.js';
import { findContact, onlyContact } from './callback.js';
import { createCore } from './core.js';
import { createDecision } from './decision.js';
import { createQueue } from './queue.js';
import { createReadModels } from './read-models.js';
import { TEXT } from './texts.js';
import { metaOf, type CallbackRequest, type FlowDeps } from './types.js';
import { createVisitorPresence } from './visitor-presence.js';

export type { Availability, CallbackItem, CallbackRequest, ChatItem, FlowDeps, Policy, QueueItem, RoutingMeta, VisitorState } from './types.js';

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

  const visitors = createVisitorPresence(core, queue, async () => (await decision.availability()).online);

  /**
   * An ask for a person always gets an answer (issue 12, defect 3: asked a second time with no one online, the
   * visitor got silence — the notice is said once and the bot stays out of asks). Says nothing when this very
   * message already got its notice (queued now, or told no one is free for the first time). Returns false when
   * no one spoke for the server, so the bot answers instead.
   */
  async function answerAsk(before: ConversationRecord, after: ConversationRecord): Promise<boolean> {
    const b = metaOf(before);
    const m = metaOf(after);
    if ((before.state === 'bot' && after.state === 'queued') || m.toldNoAgent !== b.toldNoAgent) return true;
    const lang = core.languageOf(after);
    const h = core.callbackWithinHours;
    if (after.state === 'queued') {
      const position = m.position ?? 1;
      const wait = m.waitSeconds ?? queue.expectedWait(position, (await decision.availability()).online);
      await core.system(after.id, TEXT.stillQueued[lang](position, waitMinutes(wait)));
      return true;
    }
    const noOne = (m.reasons ?? []).find((r) => r === 'no-agent-available' || r === 'outside-hours');
    if (!noOne) return false;
    if (m.callback) await core.system(after.id, TEXT.callbackKept[lang](m.callback.contact, h));
    else await core.system(after.id, (noOne === 'outside-hours' ? TEXT.stillOutsideHours : TEXT.stillNoAgent)[lang](h));
    return true;
  }

  /** Keeps a contact the visitor left after being invited to (issue 12, defect 4), and confirms it. */
  async function keepCallback(c: ConversationRecord, callback: CallbackRequest): Promise<void> {
    const s = await store.getSignalState(c.id);
    await core.audit({ at: callback.at, conversationId: c.id, action: 'callback-requested', state: c.state, level: s?.level ?? null, trend: s?.trend ?? null, reasons: metaOf(c).reasons ?? [] });
    await core.system(c.id, TEXT.callbackSaved[core.languageOf(c)](callback.contact, core.callbackWithinHours));
    d.onQueueChanged();
  }

  return {
    availability: decision.availability,
    queue: read.queue,
    /** Visitor presence (issue 12): queued chats whose visitor left, out of line. */
    left: read.left,
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

    /**
     * After a new visitor message is stored: update counters, decide, then let the bot answer if it should.
     * `typed` is the text before card masking (issue 15): a callback contact is looked for in it, so a long
     * phone number that happens to pass Luhn stays usable for staff; everything else reads the stored text.
     */
    async visitorMessage(conversationId: string, message: MessageEvent, eventId: number, typed = message.text): Promise<void> {
      const asked = asksForHuman(message.text);
      const contact = findContact(typed);
      const skipBot = await core.lock(conversationId, async () => {
        let c = await store.getConversation(conversationId);
        if (!c) return true;
        if (c.state === 'closed') {
          const reopened = await store.transition(conversationId, ['closed'], {
            state: 'bot',
            meta: { route: 'bot', tone: 'neutral', wantsHuman: false, askedForHuman: false, botNotUnderstood: 0, turns: 0, agentId: null, agentName: null, toldNoAgent: null, callback: null },
          });
          if (reopened.ok) {
            c = reopened.record;
            await core.append(conversationId, { type: 'handoff', state: 'bot' });
          }
        }
        const m = metaOf(c);
        // A contact counts as a callback request only where the visitor was invited to leave one: told that
        // no one is free, while the bot has the chat (an email mentioned to an agent is just chat).
        const callback: CallbackRequest | null = contact && c.state === 'bot' && m.toldNoAgent ? { ...contact, at: message.at } : null;
        const before = await store.updateConversation(conversationId, {
          meta: {
            turns: (m.turns ?? 0) + 1,
            askedForHuman: m.askedForHuman === true || asked,
            language: detectLanguage(message.text, c.locale),
            ...(callback ? { callback } : {}),
          },
        });
        const after = await decision.evaluate(conversationId, 'message');
        // A person's chat gets no bot at all.
        if (!before || !after || after.state === 'agent' || after.state === 'closed') return true;
        if (callback) {
          await keepCallback(after, callback);
          // "my email is …" is answered by the confirmation; a question beside the contact still gets the bot.
          if (onlyContact(message.text, callback.contact) && !asked) return true;
        }
        // The ask itself gets the handoff notice (or, asked again, where things stand), not a bot answer.
        return asked && (callback !== null || (await answerAsk(before, after)));
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

    /** Visitor presence (issue 12): a visitor event stream opened / closed (see visitor-presence.ts). */
    visitorArrived: visitors.arrived,
    visitorDeparted: visitors.departed,
    /** Sweeper only: visitors whose streams lapsed are marked away; those away long enough leave the line. */
    sweepVisitors: visitors.sweep,
    /** Callback requests (issue 12) open for staff, newest first. */
    callbacks: read.callbacks,

    /** Waits for decisions and bot calls in flight (for close()). */
    idle: core.idle,
  };
}

export type Flow = ReturnType<typeof createFlow>;
