/**
 * "Does this message ask for a person?" — the one definition the device (the scorer's ask-for-human cue) and the
 * server (the `asked-for-human` routing reason) share, so they cannot disagree (issue 9: they did on 9 of 12
 * probes). A deterministic rule on purpose: an explicit ask is a product decision, not a mood, and the model
 * handles the mood.
 *
 * What counts (decisions, each pinned by packages/protocol/test/handoff.test.ts):
 * - An ask names a person and a way of getting one: "talk to a human", "I need a manager", "get me an agent",
 *   "is there a real person I can talk to", 转人工, 找客服, 人工客服, 有没有真人, 叫你们经理来. A bare person word
 *   as the whole message counts too ("agent", "human please", 人工).
 * - Talking ABOUT a person is not an ask: "the agent said my parcel is lost", "my shipping agent lost it",
 *   "I spoke to someone yesterday", 客服根本不回复, 客服态度太差, 人工客服不回复. Those are complaints; the model
 *   scores them.
 * - Asking for information about support is not an ask: "customer service phone number?", 你们客服电话多少,
 *   客服几点上班.
 * - Asking what the chat is ("are you a real person?", 你是真人吗, 是机器人吗) is not an ask; the bot answers it.
 * - Look-alikes: human-readable, humane, user agent, 人工智能, 人工费 are not asks.
 *
 * Pure: no DOM, no Node globals; NFKC + case folding, so full-width ＡＧＥＮＴ and 转人工！ work.
 */

/** The phrase table. Exported so hosts and docs can show exactly what triggers a handoff. */
export const HANDOFF_PHRASES = {
  en: {
    /** The people a visitor asks for. */
    persons: ['human', 'humans', 'person', 'people', 'agent', 'agents', 'representative', 'rep', 'operator', 'manager', 'supervisor', 'staff', 'employee', 'advisor', 'adviser', 'colleague'],
    /** Also persons, but only after a talk-type verb ("speak to someone"; "I need someone to fix this" is not an ask). */
    vaguePersons: ['someone', 'somebody', 'anyone', 'anybody'],
    /** Multi-word persons. */
    personPhrases: ['real one', 'customer service', 'customer support', 'support team', 'your team', 'live support', 'person in charge'],
    /** Verbs of talking to or reaching someone: they take vague persons too. */
    talkVerbs: ['talk', 'speak', 'chat', 'connect', 'transfer', 'put', 'pass', 'get', 'reach', 'contact', 'escalate'],
    /** Verbs of wanting: they take only definite persons. */
    wantVerbs: ['want', 'need', 'give', 'request', 'prefer', 'bring'],
    /** Words allowed between the verb and the person ("speak to a real person", "get me your supervisor"). */
    fillers: ['me', 'us', 'to', 'with', 'through', 'over', 'in', 'touch', 'a', 'an', 'the', 'your', 'one', 'of', 'some', 'real', 'live', 'actual', 'human', 'proper', 'senior', 'customer', 'service', 'support', 'talk', 'speak', 'please', 'pls', 'just', 'now', 'this', 'it'],
    /** Phrases that ask on their own. */
    phrases: ['real person', 'real human', 'real people', 'live agent', 'live person', 'live human', 'human agent', 'actual person', 'actual human', 'not a bot', 'no more bots', 'stop the bot', 'no bots'],
    /** "is there a <person>", "do you have a <person>". */
    isThere: ['is there', 'are there', 'do you have', 'have you got', 'any'],
    /** A message of at most three such words, at least one a person, is an ask ("human please", "agent now!!"). */
    alone: ['agent', 'human', 'person', 'representative', 'rep', 'operator', 'manager', 'supervisor', 'real', 'live', 'please', 'pls', 'plz', 'now', 'a', 'an', 'asap', 'hello', 'hi', 'hey'],
    /** Questions about what the chat is, removed before matching: "are you a real person? I want a human" still asks. */
    natureQuestion: /\b(?:are you|is this|am i (?:talking|speaking|chatting) (?:to|with)|is that)(?: a| an| even a)? (?:real person|real human|human|person|bot|robot|machine|chatbot|ai)\b/g,
    /** "I'm not a robot" (a captcha) is not "no bots". */
    notRobot: /\b(?:i'?m|i am) not a (?:robot|bot)\b/g,
    /** Negated asks: "I don't need a human". */
    negations: ['dont', "don't", 'do not', 'no need to', 'no need for'],
  },
  zh: {
    /** Asks built on 人工 (human service) or 真人. */
    patterns: [
      /(?:转|找|要|接|换|切|切换到|切到|叫|呼叫|联系|申请|给我|帮我转|帮我找)(?:一下|个|下|到)?(?:人工|真人)/,
      /人工(?:客服|服务|坐席|座席|接待|处理|回复)(?!态度|说|讲|告诉|回复|回答|不|没|太|也|都|一直|根本|真|很|怎么)/,
      /真人(?:客服|服务|回复|回答|接待|聊)/,
      /(?:有没有|有无|有)(?:人工|真人)/,
      /(?:人工|真人)(?:呢|在吗|在不在|在哪|吗)/,
      /^(?:人工|真人|客服)[啊呀吧吗呢！!？?。.，,~～\s]*$/,
      // 客服 only with a verb of asking, or asked after ("客服呢", "客服在吗"); 客服 alone is a topic.
      /(?:找|转|要|联系|叫|换|接|请|呼叫|让)(?:一下|个|下|你们的?|真正的|你们)?客服(?!电话|热线|邮箱|时间|工作|几点|上班|下班|说|态度)/,
      /客服(?:呢|在吗|在不在|在哪|在哪里|出来|快出来|人呢)/,
      // A manager or whoever is in charge.
      /(?:找|叫|要|让|请)(?:你们的?|你们)?(?:经理|主管|领导|负责人|店长)(?!说|讲|告诉)/,
      // "No bots."
      /(?:不要|别|不想|不想要|不用)(?:再)?(?:跟|和|同)?(?:机器人|自动回复)/,
    ],
    /** Removed before matching: look-alikes of 人工 and questions about what the chat is. */
    removed: [/人工(?:智能|费用?|成本|草坪?|合成|湖|岛|降雨|呼吸|授精|养殖|种植|色素)/g, /(?:你|您|这|这个|对面)?(?:是|是不是)(?:真人|人工|机器人|ai|AI)(?:吗|吧|啊|呢|还是机器人|还是真人)?/g],
  },
} as const;

const HAN = /\p{Script=Han}/u;

function foldEn(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[’‘`]/g, "'");
}

function words(text: string): string[] {
  return text.match(/[a-z']+/g) ?? [];
}

function asksEn(raw: string): boolean {
  const t = HANDOFF_PHRASES.en;
  let text = foldEn(raw).replace(t.natureQuestion, ' ').replace(t.notRobot, ' ');
  text = ` ${text.replace(/[^a-z'\s]+/g, ' ').replace(/\s+/g, ' ').trim()} `;
  const w = words(text);
  if (w.length === 0) return false;
  const persons = new Set<string>(t.persons);
  const vague = new Set<string>(t.vaguePersons);
  const fillers = new Set<string>(t.fillers);
  const talk = new Set<string>(t.talkVerbs);
  const want = new Set<string>(t.wantVerbs);
  // Multi-word persons become one token so the verb rule can see them.
  let joined = text;
  for (const p of t.personPhrases) joined = joined.replaceAll(` ${p} `, ` ${p.replace(/ /g, '_')} `);
  const tok = joined.trim().split(' ');
  const isPerson = (x: string, allowVague: boolean) => persons.has(x) || x.includes('_') || (allowVague && vague.has(x));
  const negated = (i: number) => {
    const before = ` ${tok.slice(Math.max(0, i - 3), i).join(' ')} `;
    return t.negations.some((n) => before.includes(` ${n} `));
  };
  for (let i = 0; i < tok.length; i++) {
    const v = tok[i] as string;
    const isTalk = talk.has(v);
    if (!isTalk && !want.has(v)) continue;
    for (let j = i + 1; j < Math.min(tok.length, i + 7); j++) {
      const x = tok[j] as string;
      if (isPerson(x, isTalk)) {
        if (!negated(i)) return true;
        break;
      }
      if (!fillers.has(x)) break;
    }
  }
  if (t.phrases.some((p) => text.includes(` ${p} `))) return true;
  for (const q of t.isThere) {
    const at = text.indexOf(` ${q} `);
    if (at < 0) continue;
    const rest = text.slice(at + q.length + 2).split(' ').slice(0, 4);
    for (const x of rest) {
      if (persons.has(x)) return true;
      if (!fillers.has(x)) break;
    }
  }
  // A short message that is only the word: "agent", "human please", "AGENT NOW!!". Never with Han characters
  // around it ("我的快递agent说丢了" talks about one).
  if (w.length <= 3 && !HAN.test(raw)) {
    const alone = new Set<string>(t.alone);
    if (w.every((x) => alone.has(x)) && w.some((x) => persons.has(x))) return true;
  }
  return false;
}

function asksZh(raw: string): boolean {
  const t = HANDOFF_PHRASES.zh;
  let text = raw.normalize('NFKC').replace(/\s+/g, '');
  for (const re of t.removed) text = text.replace(re, '');
  return t.patterns.some((re) => re.test(text));
}

/**
 * True when the visitor's message explicitly asks for a person (a human agent), in English or Chinese.
 * `lang` limits the check to that language's phrases; without it both apply (mixed messages: "转人工 please").
 *
 * @example
 * ```ts
 * asksForHuman('I need a manager'); // true
 * asksForHuman('转人工'); // true
 * asksForHuman('你们客服电话多少'); // false: 客服 is the topic, not an ask
 * asksForHuman('the agent said my parcel is lost'); // false: about a person, not asking for one
 * ```
 */
export function asksForHuman(text: string, lang?: 'en' | 'zh'): boolean {
  if (typeof text !== 'string') throw new TypeError('asksForHuman: text must be a string');
  if (lang === 'en') return asksEn(text);
  if (lang === 'zh') return asksZh(text);
  return asksZh(text) || asksEn(text);
}
