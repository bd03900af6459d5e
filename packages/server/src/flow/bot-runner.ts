// The bot: one answer at a time per conversation (in order on this instance, exclusive across instances),
// typing around it, its reply validated like any event, failures told to the visitor, and a reply that comes
// back after a person took the chat dropped. A reply the bot did not understand feeds the next decision.
import { eventSchemas, validate, type MessageEvent } from '@temper/protocol';
import { detectLanguage, type BotReply } from '../bot.js';
import { keys } from '../keys.js';
import type { Core } from './core.js';
import { newId } from './core.js';
import type { DecisionMaker } from './decision.js';
import { TEXT } from './texts.js';
import { metaOf } from './types.js';

const TRANSCRIPT_FOR_BOT = 50;
// A slow model may take this long per answer; waiting behind another instance's answer is bounded by it.
const BOT_WAIT_MS = 120_000;

export function createBotRunner(core: Core, decision: DecisionMaker) {
  const { store, now, log } = core;
  const chains = new Map<string, Promise<void>>();

  function schedule(conversationId: string, message: MessageEvent): void {
    if (!core.bot) return;
    const prev = chains.get(conversationId) ?? Promise.resolve();
    const next = prev
      .then(() => core.coordination.withLock(keys.bot(conversationId), () => answer(conversationId, message), { waitMs: BOT_WAIT_MS }))
      .catch((e: unknown) => log('error', 'bot task failed', { conversationId, error: String(e) }));
    chains.set(conversationId, next);
    core.track(next);
    void next.then(() => {
      if (chains.get(conversationId) === next) chains.delete(conversationId);
    });
  }

  async function answer(conversationId: string, message: MessageEvent): Promise<void> {
    const bot = core.bot;
    if (!bot || core.closing.aborted) return;
    const c = await store.getConversation(conversationId);
    if (!c || c.state === 'agent' || c.state === 'closed') return;
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
    try {
      reply = await bot({ id: c.id, ...(c.locale ? { locale: c.locale } : {}), transcript }, message, {
        tone: m.tone ?? 'neutral',
        language,
        ...(signal ? { signal: { level: signal.level, trend: signal.trend } } : {}),
        ...(noAgent ? { noAgentAvailable: true } : {}),
        abortSignal: core.closing,
      });
      if (reply !== null) {
        const probe = { type: 'message', id: 'x', from: 'bot', text: reply?.text, at: 0, understood: reply?.understood };
        const v = validate(eventSchemas.message, probe);
        if (!v.ok) throw new TypeError(`bot reply refused: ${v.error.message}`);
      }
    } catch (e) {
      failed = true;
      core.counters.botErrors++;
      log('error', 'bot failed', { conversationId, error: e instanceof Error ? e.message : String(e) });
    }
    await core.append(conversationId, { type: 'typing', from: 'bot', active: false });
    // A person may have taken the chat while the bot was thinking: their word wins, the bot's reply is dropped.
    const after = await store.getConversation(conversationId);
    if (!after || after.state === 'agent' || after.state === 'closed') return;
    if (failed) await core.system(conversationId, TEXT.botError[language]);
    else if (reply) {
      const name = (reply.name ?? core.botName).slice(0, 80);
      await core.append(conversationId, {
        type: 'message',
        id: newId(12),
        from: 'bot',
        text: reply.text,
        at: now(),
        understood: reply.understood,
        ...(name ? { name } : {}),
      });
    }
    if (failed || reply?.understood === false) {
      await core.lock(conversationId, async () => {
        const cur = await store.getConversation(conversationId);
        if (!cur) return;
        await store.updateConversation(conversationId, { meta: { botNotUnderstood: (metaOf(cur).botNotUnderstood ?? 0) + 1 } });
        await decision.evaluate(conversationId, 'bot-reply');
      });
    }
  }

  return { schedule };
}
