// --- Language of a message (review of issue 12): the one rule the widget (the panel's labels follow what the
// visitor writes) and the server (the bot's reply language, detectLanguage) share, so they cannot disagree. ---
import type { Locale } from './wire.js';

/**
 * The language a message is written in, when its script says so: any Han character → `'zh-CN'`; two Latin words
 * (two letters or more each) and no Han → `'en'`; else `null` — an order number ("A1042"), one word ("ok"), emoji,
 * punctuation say nothing, and the caller keeps the language it had. Pure: no DOM, no Node globals.
 *
 * @example
 * writtenIn('我的订单在哪里？'); // 'zh-CN'
 * writtenIn('where is my parcel'); // 'en'
 * writtenIn('A1042'); // null
 */
export function writtenIn(text: string): Locale | null {
  return /\p{Script=Han}/u.test(text) ? 'zh-CN' : /[a-z]{2,}[^a-z]+[a-z]{2,}/i.test(text) ? 'en' : null;
}
