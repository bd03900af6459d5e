// The bot adapter contract: the host plugs any bot (rules, an LLM, a vendor API) in as one async function.
import { writtenIn, type Level, type Locale, type MessageEvent, type Trend } from '@temper/protocol';

/** How the bot should sound. `careful`: apologise, shorter steps, offer a person (set by the routing policy). */
export type Tone = 'neutral' | 'careful';

/** What the bot may know about the conversation. No token, no raw signals history, no other conversation. */
export interface BotConversation {
  readonly id: string;
  readonly locale?: Locale;
  /** Earlier messages of this conversation (visitor, bot, agent, system), oldest first, excluding `message`. */
  readonly transcript: readonly MessageEvent[];
}

/** Per-call context. */
export interface BotContext {
  /** `careful` when the visitor seems frustrated or no person is free. */
  readonly tone: Tone;
  /** Language to answer in: the message's script when it is clear, else the conversation's locale. */
  readonly language: 'en' | 'zh';
  /** Latest minimized signal, if the widget sent one. */
  readonly signal?: { readonly level: Level; readonly trend: Trend };
  /** True when no person can take the chat now (the bot should say so honestly, not pretend). */
  readonly noAgentAvailable?: boolean;
  /**
   * Set while the visitor waits in line for a person (issue 12): their place and the expected wait they were
   * told (the same figure as the widget's banner). The bot should not offer a person then — one is coming.
   */
  readonly queue?: { readonly position: number; readonly waitSeconds: number };
  /** True when the visitor already left an email or phone number for a callback (issue 12): do not ask again. */
  readonly callbackRequested?: boolean;
  /** Aborted when the server closes; long bot calls should stop. */
  readonly abortSignal: AbortSignal;
}

/** A bot's answer. `understood: false` marks replies where the bot did not understand (counts toward handoff). */
export interface BotReply {
  readonly text: string;
  readonly understood: boolean;
  /** Display name for this reply (defaults to the server's `botName`). */
  readonly name?: string;
  /**
   * The intent the bot understood (`order-status`, `refund`…; lowercase letters, digits and `-`, ≤ 40). The
   * server keeps the latest as the chat's topic; agent matching maps it to a skill (`agents.topicSkills`).
   */
  readonly topic?: string;
}

/**
 * A bot: gets the visitor's message and answers, or returns `null` to stay silent. Throwing is safe: the
 * visitor's message is already stored; the server logs the error and posts a system message.
 *
 * @example
 * const echo: BotAdapter = async (_conversation, message) => ({ text: `You said: ${message.text}`, understood: true });
 */
export type BotAdapter = (conversation: BotConversation, message: MessageEvent, ctx: BotContext) => Promise<BotReply | null>;

/**
 * The language to answer a message in: what the message is written in by `writtenIn` from @temper/protocol (the
 * rule the widget's labels follow too: Han → Chinese, two Latin words → English), otherwise the conversation's
 * locale (an order number or an "ok" does not switch a Chinese conversation to English).
 *
 * @example
 * detectLanguage('我的订单在哪里') // 'zh'
 * detectLanguage('A1042', 'zh-CN') // 'zh'
 */
export function detectLanguage(text: string, locale?: Locale): 'en' | 'zh' {
  return (writtenIn(text) ?? locale) === 'zh-CN' ? 'zh' : 'en';
}
