// Reply assist: suggested replies for a chat at level ≥ 2, in its language, by scenario (late delivery, refund,
// broken item, repeated contact, ultimatum), from a library the host edits as JSON. The console inserts one
// into the composer on a key press; nothing here ever sends a message.
import type { Level } from '@temper/protocol';

/** One scenario of the library. */
export interface ReplyScenario {
  /** `late-delivery`, `refund`… (lowercase letters, digits, `-`). */
  id: string;
  title: { en: string; zh: string };
  /** Bot topics (intents) for which this scenario comes first. */
  topics?: string[];
  /** Offered first from this level (e.g. an ultimatum at 3). */
  fromLevel?: Level;
  replies: { en: string[]; zh: string[] };
}

/** The host-editable library (`createTemperServer({ assist: { library } })`), e.g. read from a JSON file. */
export interface ReplyLibrary {
  scenarios: ReplyScenario[];
}

/** What the console gets for one chat. */
export interface Suggestions {
  /** True when the chat's level is at or above `fromLevel` (default 2): the console shows the suggestions. */
  active: boolean;
  level: Level | null;
  language: 'en' | 'zh';
  topic: string | null;
  /** Most relevant first. */
  scenarios: Array<{ id: string; title: string; replies: string[] }>;
}

const ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

/**
 * Checks a reply library (as parsed from the host's JSON) and returns it; throws a RangeError naming the first
 * bad field.
 *
 * @example
 * const library = toReplyLibrary(JSON.parse(await readFile('reply-library.json', 'utf8')));
 */
export function toReplyLibrary(input: unknown, what = 'reply library'): ReplyLibrary {
  const fail = (m: string): never => {
    throw new RangeError(`${what}: ${m}`);
  };
  if (typeof input !== 'object' || input === null || !Array.isArray((input as ReplyLibrary).scenarios)) fail('must be { "scenarios": [...] }');
  const seen = new Set<string>();
  const texts = (v: unknown, where: string): string[] => {
    if (!Array.isArray(v) || v.length === 0 || v.length > 20) return fail(`${where} must be a list of 1–20 replies`);
    for (const t of v) if (typeof t !== 'string' || t.trim().length === 0 || t.length > 2000) fail(`${where}: every reply is 1–2000 characters`);
    return [...(v as string[])];
  };
  const scenarios = (input as { scenarios: unknown[] }).scenarios.map((raw, i): ReplyScenario => {
    const s = raw as Partial<ReplyScenario>;
    const at = `scenarios[${i}]`;
    if (typeof s !== 'object' || s === null) return fail(`${at} must be an object`);
    if (typeof s.id !== 'string' || !ID.test(s.id)) fail(`${at}.id must be 1–40 of a–z 0–9 -`);
    if (seen.has(s.id!)) fail(`${at}.id ${s.id} appears twice`);
    seen.add(s.id!);
    if (typeof s.title?.en !== 'string' || typeof s.title?.zh !== 'string') fail(`${at}.title needs en and zh`);
    if (s.topics !== undefined && (!Array.isArray(s.topics) || !s.topics.every((t) => typeof t === 'string' && ID.test(t)))) fail(`${at}.topics must be a list of topic ids`);
    if (s.fromLevel !== undefined && ![0, 1, 2, 3].includes(s.fromLevel)) fail(`${at}.fromLevel must be 0–3`);
    return {
      id: s.id!,
      title: { en: s.title!.en, zh: s.title!.zh },
      ...(s.topics ? { topics: [...s.topics] } : {}),
      ...(s.fromLevel !== undefined ? { fromLevel: s.fromLevel } : {}),
      replies: { en: texts(s.replies?.en, `${at}.replies.en`), zh: texts(s.replies?.zh, `${at}.replies.zh`) },
    };
  });
  if (scenarios.length === 0) fail('has no scenarios');
  return { scenarios };
}

/**
 * The suggestions for one chat: scenarios whose topics include the chat's topic first, then those whose
 * `fromLevel` the chat reached (most demanding first), then the rest in library order.
 *
 * @example
 * suggest(library, { level: 3, language: 'zh', topic: 'refund', repeated: false }).scenarios[0].id // 'refund'
 */
export function suggest(
  library: ReplyLibrary,
  chat: { level: Level | null; language: 'en' | 'zh'; topic: string | null; repeated: boolean },
  fromLevel: Level = 2,
): Suggestions {
  const level = chat.level ?? 0;
  const score = (s: ReplyScenario) =>
    (chat.topic !== null && s.topics?.includes(chat.topic) ? 100 : 0) +
    (s.id === 'repeated-contact' && chat.repeated ? 50 : 0) +
    (s.fromLevel !== undefined && level >= s.fromLevel ? 10 + s.fromLevel : 0);
  const ranked = library.scenarios
    .map((s, i) => ({ s, i, score: score(s) }))
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .map(({ s }) => ({ id: s.id, title: s.title[chat.language], replies: s.replies[chat.language] }));
  return { active: level >= fromLevel, level: chat.level, language: chat.language, topic: chat.topic, scenarios: ranked };
}
