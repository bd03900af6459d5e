// The routing policy: a pure function from what the server knows about a conversation to a decision, with
// reason codes that explain it. Pure so that it is testable in isolation, replayable from the audit log, and
// replaceable by a host's own policy with the same signature.
import { asksForHuman as sharedAsksForHuman, type Level, type Trend } from '@temper/protocol';
import type { Tone } from './bot.js';

/**
 * Every reason code a decision can carry (also the keys of `decisionsByReason` in reports).
 *
 * @example
 * for (const r of ROUTING_REASONS) console.log(r, report.decisionsByReason[r] ?? 0);
 */
export const ROUTING_REASONS = [
  /** Nothing calls for a person: the bot answers in its neutral tone. */
  'calm',
  /** The visitor's level is at or above `handoffLevel`. */
  'level-high',
  /** Early handoff: the level is rising from `earlyHandoffFromLevel` or above, and the bot already failed. */
  'rising',
  /** The visitor asked for a person in their own words. */
  'asked-for-human',
  /** The bot did not understand `botFailuresForHandoff` replies. */
  'bot-failed-twice',
  /** The conversation went on for `maxBotTurns` visitor messages without resolution. */
  'many-turns',
  /** The level is at `carefulLevel` or above: the bot stays but answers carefully. */
  'uneasy',
  /** A person is wanted but no agent is online: the bot answers carefully and says so. */
  'no-agent-available',
  /** A person is wanted but it is outside business hours. */
  'outside-hours',
  /** Agents are online but all are at capacity: the visitor waits in the queue. */
  'all-agents-busy',
  /** The previous route or tone is kept so the chat does not bounce. */
  'hysteresis-hold',
  /** An agent has the chat. */
  'agent-assigned',
] as const;
export type RoutingReason = (typeof ROUTING_REASONS)[number];

/** What the policy looks at. Built by the server from stored state; never contains message text. */
export interface RoutingState {
  /** Latest signal level, `null` when the widget sent none (scoring off). */
  level: Level | null;
  trend: Trend | null;
  /** Bot replies marked `understood: false` since the chat was last handed back to the bot. */
  botNotUnderstood: number;
  /** The visitor asked for a person (detected server-side in their sent messages) since the last hand-back. */
  askedForHuman: boolean;
  /** Visitor messages since the last hand-back. */
  turns: number;
  /** Agents online for this conversation's queue, and how many of them have room for one more chat. */
  agentsOnline: number;
  agentsFree: number;
  /** Unix ms, for business hours. */
  now: number;
  language: 'en' | 'zh';
  /** The conversation's current decision, for hysteresis. */
  current: { route: 'bot' | 'human'; tone: Tone } | null;
  /** True while an agent has the chat. */
  assigned: boolean;
  /** Level at the last hand-back to the bot: `level-high` then needs a higher level (hysteresis). */
  levelAtHandBack: Level | null;
  /** Unix ms when the conversation was queued, for priority by waiting time. */
  queuedAt: number | null;
}

/** Opening hours in one time zone. Days are 0 = Sunday … 6 = Saturday; times are `HH:MM`, `to` exclusive. */
export interface BusinessHours {
  timeZone: string;
  days: readonly number[];
  from: string;
  to: string;
}

/** Tunables of `decide`. Every field has a default (see `DEFAULT_ROUTING`). */
export interface RoutingConfig {
  /** Level that hands over to a person. Default 2 (frustrated). */
  handoffLevel: Level;
  /** Level from which a rising trend plus a failed bot reply hands over early. Default 1. */
  earlyHandoffFromLevel: Level;
  /** Not-understood bot replies that hand over. Default 2. */
  botFailuresForHandoff: number;
  /** Level from which the bot turns careful. Default 1. */
  carefulLevel: Level;
  /** Level at or below which a careful tone relaxes back to neutral (with a non-rising trend). Default 0. */
  relaxLevel: Level;
  /** Visitor messages after which a person is offered; 0 disables. Default 0. */
  maxBotTurns: number;
  /** Opening hours; `null` = always open. Default `null`. */
  businessHours: BusinessHours | null;
  /** Queue name per language. Default `{ en: 'en', zh: 'zh' }`. */
  queues: Record<'en' | 'zh', string>;
}

/** The outcome. `priority` is higher for more urgent chats; the queue sorts by it, then by waiting time. */
export interface Decision {
  route: 'bot' | 'human';
  tone: Tone;
  priority: number;
  queue: string;
  reasons: RoutingReason[];
}

/**
 * Default tunables of the routing policy.
 *
 * @example
 * const config = { ...DEFAULT_ROUTING, handoffLevel: 3 };
 */
export const DEFAULT_ROUTING: RoutingConfig = {
  handoffLevel: 2,
  earlyHandoffFromLevel: 1,
  botFailuresForHandoff: 2,
  carefulLevel: 1,
  relaxLevel: 0,
  maxBotTurns: 0,
  businessHours: null,
  queues: { en: 'en', zh: 'zh' },
};

const hhmm = (s: string) => {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s);
  if (!m) throw new RangeError(`business hours: ${JSON.stringify(s)} is not HH:MM`);
  return Number(m[1]) * 60 + Number(m[2]);
};
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Whether `now` falls inside the opening hours (`null` = always open).
 *
 * @example
 * isOpen({ timeZone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }, Date.now());
 */
export function isOpen(hours: BusinessHours | null, now: number): boolean {
  if (!hours) return true;
  let f = formatters.get(hours.timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: hours.timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(hours.timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(now).map((p) => [p.type, p.value]));
  const day = WEEKDAYS.indexOf(parts.weekday ?? '');
  const minute = Number(parts.hour) * 60 + Number(parts.minute);
  return hours.days.includes(day) && minute >= hhmm(hours.from) && minute < hhmm(hours.to);
}

/**
 * The routing policy: decides who answers and how, with the reasons. Pure and deterministic.
 *
 * - A person is wanted on an explicit ask, a level at `handoffLevel`, a rising trend from
 *   `earlyHandoffFromLevel` once the bot has failed, `botFailuresForHandoff` failed replies, or `maxBotTurns`.
 * - Hysteresis: once a person is wanted the route stays `human` until an agent hands back; after a hand-back
 *   the level must exceed the level at hand-back (or a new trigger occur); a careful tone relaxes only at
 *   `relaxLevel` with a non-rising trend.
 * - No agent online or outside hours: the bot keeps the chat, careful, and the reasons say why.
 *
 * @example
 * const d = decide({ ...state, level: 3, trend: 1 }, DEFAULT_ROUTING);
 * // { route: 'human', tone: 'careful', priority: 35, queue: 'en', reasons: ['level-high'] }
 */
export function decide(state: RoutingState, config: RoutingConfig = DEFAULT_ROUTING): Decision {
  const reasons: RoutingReason[] = [];
  const level = state.level ?? 0;
  const queue = config.queues[state.language];

  if (state.askedForHuman) reasons.push('asked-for-human');
  if (level >= config.handoffLevel && (state.levelAtHandBack === null || level > state.levelAtHandBack)) reasons.push('level-high');
  if (state.trend === 1 && level >= config.earlyHandoffFromLevel && state.botNotUnderstood >= 1) reasons.push('rising');
  if (state.botNotUnderstood >= config.botFailuresForHandoff) reasons.push('bot-failed-twice');
  if (config.maxBotTurns > 0 && state.turns >= config.maxBotTurns) reasons.push('many-turns');
  let wantsHuman = reasons.length > 0;
  if (!wantsHuman && (state.assigned || state.current?.route === 'human')) {
    wantsHuman = true;
    reasons.push('hysteresis-hold');
  }
  if (state.assigned) reasons.push('agent-assigned');

  let priority =
    level * 10 +
    (state.askedForHuman ? 5 : 0) +
    (state.trend === 1 ? 3 : 0) +
    Math.min(state.botNotUnderstood, 3) * 2;
  if (state.queuedAt !== null) priority += Math.min(10, Math.floor((state.now - state.queuedAt) / 60_000));

  let route: Decision['route'] = 'bot';
  let tone: Tone = 'neutral';
  if (wantsHuman) {
    tone = 'careful';
    if (state.assigned) route = 'human';
    else if (!isOpen(config.businessHours, state.now)) reasons.push('outside-hours');
    else if (state.agentsOnline === 0) reasons.push('no-agent-available');
    else {
      route = 'human';
      if (state.agentsFree === 0) reasons.push('all-agents-busy');
    }
  } else {
    const uneasy = level >= config.carefulLevel;
    const relaxed = level <= config.relaxLevel && state.trend !== 1;
    if (uneasy) {
      tone = 'careful';
      reasons.push('uneasy');
    } else if (state.current?.tone === 'careful' && !relaxed) {
      tone = 'careful';
      reasons.push('hysteresis-hold');
    } else reasons.push('calm');
  }
  return { route, tone, priority, queue, reasons };
}

/**
 * Whether a visitor's own message asks for a person (English or Chinese). Used server-side on sent messages.
 * The one definition in `@temper/protocol` (a phrase table shared with the device's scorer), re-exported here
 * under its old name so the two sides cannot disagree.
 *
 * @example
 * asksForHuman('I want to talk to a real person') // true
 * asksForHuman('转人工') // true
 * asksForHuman('你们客服电话多少') // false
 */
export const asksForHuman: (text: string, lang?: 'en' | 'zh') => boolean = sharedAsksForHuman;
