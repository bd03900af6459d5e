// The bot: one answer at a time per conversation (in order on this instance, exclusive across instances),
// typing around it, its reply validated like any event, failures told to the visitor, and a reply that comes
// back after a person took the chat dropped. A reply the bot did not understand feeds the next decision.
// Every reply owed is marked in the Store (`markBotOwed`) until its answer is stored; an instance that dies
// (or shuts down) mid-answer leaves the marker, and the sweeper instance — or the visitor's retry of the
// message — answers it elsewhere. Whoever answers checks the marker under the conversation's bot lock
// first, so each owed reply is answered once.
import { eventSchemas, maskCardNumbers, validate, type MessageEvent } from '@temper/protocol';
import { detectLanguage, type BotReply } from '../bot.js';
import { LockTimeoutError } from '../coordination.js';
import { keys } from '../keys.js';
import { asksForHuman } from '../routing.js';
import type { Core } from './core.js';
import { newId } from './core.js';
import type { DecisionMaker } from './decision.js';
import { TEXT } from './texts.js';
import { metaOf } from './types.js';

const TRANSCRIPT_FOR_BOT = 50;
// Waiting behind another instance's answer: its bot call is bounded by botTimeoutMs, plus the appends around it.
const lockWaitMs = (botTimeoutMs: number) => botTimeoutMs + 30_000;
// The sweeper only looks: a held bot lock means the owner is alive (its lease lapses when it dies), so it
// tries again on its next sweep rather than queue behind a live answer.
const SWEEP_LOCK_WAIT_MS = 250;
const OWED_PER_SWEEP = 100;

export function createBotRunner(core: Core, decision: DecisionMaker) {
  const { store, now, log } = core;
  const chains = new Map<string, Promise<void>>();
  /** Conversations with a recovery queued on this instance (a burst of retries queues one). */
  const recovering = new Set<string>();

  function enqueue(conversationId: string, task: () => Promise<void>, waitMs: number): Promise<void> {
    const prev = chains.get(conversationId) ?? Promise.resolve();
    const next = prev
      .then(() => core.coordination.withLock(keys.bot(conversationId), task, { waitMs }))
      .catch((e: unknown) => {
        if (!(e instanceof LockTimeoutError)) log('error', 'bot task failed', { conversationId, error: String(e) });
      });
    chains.set(conversationId, next);
    core.track(next);
    void next.then(() => {
      if (chains.get(conversationId) === next) chains.delete(conversationId);
    });
    return next;
  }

  /** Answers `message` (event `eventId`), which the route marked owed. */
  function schedule(conversationId: string, message: MessageEvent, eventId: number): void {
    if (!core.bot) return;
    enqueue(
      conversationId,
      async () => {
        // Cleared meanwhile: another instance recovered it (or a later message's answer covered it).
        const owed = await store.getBotOwed(conversationId);
        if (owed && owed.afterEventId >= eventId) await answer(conversationId, message, eventId);
      },
      lockWaitMs(core.botTimeoutMs),
    );
  }

  /** Answers the reply owed in `conversationId`, if it still is, once (checked under the bot lock). */
  function recover(conversationId: string, waitMs: number): Promise<void> {
    if (!core.bot || recovering.has(conversationId) || core.closing.aborted) return Promise.resolve();
    recovering.add(conversationId);
    return enqueue(
      conversationId,
      async () => {
        recovering.delete(conversationId);
        const owed = await store.getBotOwed(conversationId);
        if (!owed || core.closing.aborted) return;
        const [first, ...later] = await store.readEvents(conversationId, owed.afterEventId - 1);
        const message = first?.event;
        // Answered already (the owner stored the reply, or a person or system message followed, then died
        // before clearing), not a visitor message, or an ask for a person: nothing for the bot to say.
        const answered = later.some((s) => s.event.type === 'message' && s.event.from !== 'visitor');
        if (!message || message.type !== 'message' || message.from !== 'visitor' || answered || asksForHuman(message.text)) {
          await store.clearBotOwed(conversationId, owed.afterEventId);
          return;
        }
        core.counters.botRecovered++;
        log('warn', 'answering a bot reply owed by an instance that stopped', { conversationId, eventId: owed.afterEventId });
        await answer(conversationId, message, owed.afterEventId);
      },
      waitMs,
    ).finally(() => recovering.delete(conversationId));
  }

  /** A visitor retried the message of event `eventId`: answer it now if it is still owed and nobody answers. */
  async function retried(conversationId: string, eventId: number): Promise<void> {
    if (!core.bot || chains.has(conversationId)) return;
    const owed = await store.getBotOwed(conversationId);
    if (owed && owed.afterEventId >= eventId) void recover(conversationId, lockWaitMs(core.botTimeoutMs));
  }

  /** Sweeper: recovers replies owed since before `olderThan` that no instance is answering. */
  async function recoverOwed(olderThan: number): Promise<number> {
    if (!core.bot) return 0;
    const owed = (await store.listBotOwed(olderThan, OWED_PER_SWEEP)).filter((o) => !chains.has(o.conversationId));
    await Promise.all(owed.map((o) => recover(o.conversationId, SWEEP_LOCK_WAIT_MS)));
    return owed.length;
  }

  async function answer(conversationId: string, message: MessageEvent, eventId: number): Promise<void> {
    const bot = core.bot;
    if (!bot || core.closing.aborted) return;
    const c = await store.getConversation(conversationId);
    if (!c) return;
    // A person's chat (or a closed one) gets no bot: the reply is no longer owed.
    if (c.state === 'agent' || c.state === 'closed') return void (await store.clearBotOwed(conversationId, eventId));
    const m = metaOf(c);
    const language = detectLanguage(message.text, c.locale);
    const transcript = (await store.readEvents(conversationId, 0))
      .map((s) => s.event)
      .filter((e): e is MessageEvent => e.type === 'message' && e.id !== message.id)
      .slice(-TRANSCRIPT_FOR_BOT);
    const signal = await store.getSignalState(conversationId);
    const noAgent = (m.reasons ?? []).some((r) => r === 'no-agent-available' || r === 'outside-hours');
    await core.append(conversationId, { type: 'typing', from: 'bot', active: true });
    let reply: BotReply | null = null;
    let failed = false;
    let timedOut = false;
    // The bot's signal aborts on server close or after botTimeoutMs; we stop waiting at the timeout either way,
    // so a bot that ignores its signal can hang only itself, not the conversation.
    const ac = new AbortController();
    // On shutdown we stop waiting at once and leave the reply owed: another instance answers it.
    let onClose = () => undefined as void;
    const closed = new Promise<never>((_, reject) => {
      onClose = () => {
        ac.abort(core.closing.reason);
        reject(new Error('server closing'));
      };
    });
    closed.catch(() => undefined);
    core.closing.addEventListener('abort', onClose, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        ac.abort(new Error(`bot timed out after ${core.botTimeoutMs} ms`));
        reject(ac.signal.reason);
      }, core.botTimeoutMs);
    });
    try {
      const call = bot({ id: c.id, ...(c.locale ? { locale: c.locale } : {}), transcript }, message, {
        tone: m.tone ?? 'neutral',
        language,
        ...(signal ? { signal: { level: signal.level, trend: signal.trend } } : {}),
        ...(noAgent ? { noAgentAvailable: true } : {}),
        ...(c.state === 'queued' && m.position ? { queue: { position: m.position, waitSeconds: m.waitSeconds ?? 0 } } : {}),
        ...(m.callback ? { callbackRequested: true } : {}),
        abortSignal: ac.signal,
      });
      // A late rejection of an abandoned call must not become an unhandled rejection.
      call.catch(() => undefined);
      reply = await Promise.race([call, timeout, closed]);
      if (reply !== null) {
        const probe = { type: 'message', id: 'x', from: 'bot', text: reply?.text, at: 0, understood: reply?.understood };
        const v = validate(eventSchemas.message, probe);
        if (!v.ok) throw new TypeError(`bot reply refused: ${v.error.message}`);
      }
    } catch (e) {
      if (core.closing.aborted) {
        await core.append(conversationId, { type: 'typing', from: 'bot', active: false });
        log('info', 'bot answer left owed for another instance (shutting down)', { conversationId });
        return;
      }
      failed = true;
      core.counters.botErrors++;
      log('error', timedOut ? 'bot timed out' : 'bot failed', { conversationId, error: e instanceof Error ? e.message : String(e) });
    } finally {
      clearTimeout(timer);
      core.closing.removeEventListener('abort', onClose);
    }
    await core.append(conversationId, { type: 'typing', from: 'bot', active: false });
    // A person may have taken the chat while the bot was thinking: their word wins, the bot's reply is dropped.
    const after = await store.getConversation(conversationId);
    if (!after) return;
    if (after.state === 'agent' || after.state === 'closed') return void (await store.clearBotOwed(conversationId, eventId));
    if (failed) await core.system(conversationId, (timedOut ? TEXT.botTimeout : TEXT.botError)[language]);
    else if (reply) {
      const name = (reply.name ?? core.botName).slice(0, 80);
      await core.append(conversationId, {
        type: 'message',
        id: newId(12),
        from: 'bot',
        // Card numbers (issue 15): a bot that echoes the visitor's text must not store a full number either.
        text: maskCardNumbers(reply.text),
        at: now(),
        understood: reply.understood,
        ...(name ? { name } : {}),
      });
      // The bot's intent names the chat's topic, which agent matching maps to a skill (issue 14).
      if (reply.topic !== undefined && /^[a-z0-9][a-z0-9-]{0,39}$/.test(reply.topic) && reply.topic !== metaOf(after).topic)
        await store.updateConversation(conversationId, { meta: { topic: reply.topic } });
    }
    await store.clearBotOwed(conversationId, eventId);
    if (failed || reply?.understood === false) {
      await core.lock(conversationId, async () => {
        const cur = await store.getConversation(conversationId);
        if (!cur) return;
        await store.updateConversation(conversationId, { meta: { botNotUnderstood: (metaOf(cur).botNotUnderstood ?? 0) + 1 } });
        await decision.evaluate(conversationId, 'bot-reply');
      });
    }
  }

  return { schedule, retried, recoverOwed };
}
