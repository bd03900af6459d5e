// Words for the numbers and codes the agent API returns. Only types come from @temper/server: its runtime is
// Node code and must not end up in a browser bundle.
import type { Level, ScoringState, Trend } from '@temper/protocol';
import { levelWords, staffLocale, T, trendWords } from './i18n.ts';
import type { RoutingReason, VisitorState } from '@temper/server';

/** What each routing reason means, for agents and supervisors; checked complete against the server's list. */
export const REASON_TEXT = {
  calm: 'calm',
  'level-high': 'frustration level high',
  rising: 'frustration rising',
  'asked-for-human': 'asked for a person',
  'bot-failed-twice': 'bot did not understand twice',
  'many-turns': 'many turns',
  uneasy: 'uneasy',
  'no-agent-available': 'no agent available',
  'outside-hours': 'outside business hours',
  'all-agents-busy': 'all agents busy',
  'hysteresis-hold': 'held (no bouncing)',
  'agent-assigned': 'agent assigned',
} as const satisfies Record<RoutingReason, string>;

/**
 * A reason code in words (unknown codes from a newer server are shown as they are).
 *
 * @example
 * describeReason('asked-for-human'); // 'asked for a person'
 */
export const describeReason = (r: string): string => ((staffLocale() === 'zh-CN' ? REASON_TEXT_ZH : REASON_TEXT) as Record<string, string>)[r] ?? r;

/** The same in Simplified Chinese (issue 12: the console in zh-CN). */
export const REASON_TEXT_ZH = {
  calm: '平静',
  'level-high': '沮丧程度高',
  rising: '情绪上升',
  'asked-for-human': '要求人工客服',
  'bot-failed-twice': '机器人两次未理解',
  'many-turns': '对话轮次多',
  uneasy: '不安',
  'no-agent-available': '无客服在线',
  'outside-hours': '非工作时间',
  'all-agents-busy': '客服全忙',
  'hysteresis-hold': '保持（避免来回切换）',
  'agent-assigned': '已分配客服',
} as const satisfies Record<RoutingReason, string>;

/**
 * A level as its number and name, e.g. "2 frustrated"; `null` (the visitor's scoring is off) as "not scored".
 *
 * @example
 * levelText(2); // '2 frustrated'
 */
export const levelText = (l: Level | null): string => levelWords(l);

/**
 * A trend in words.
 *
 * @example
 * trendText(1); // 'rising'
 */
export const trendText = (t: Trend | null): string => trendWords(t);

/** Arrow shown next to the trend word (decorative; the word is what screen readers read). */
export const trendArrow = (t: Trend | null): string => (t === null ? '' : t > 0 ? '↑' : t < 0 ? '↓' : '→');

/**
 * A duration as m:ss (or h:mm:ss).
 *
 * @example
 * duration(75_000); // '1:15'
 */
export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

// Scoring status and visitor presence (issue 12).

/**
 * The level an agent reads, told apart from "not scored" by the scoring status the widget reports: no signal
 * with scoring on is a calm visitor (signals are sent only when the level changes); off or unavailable is "not
 * scored"; a widget that never reported the status and sent no signal is "no signal yet".
 *
 * @example
 * scoredLevelText(null, 'on');  // '0 calm'
 * scoredLevelText(null, 'off'); // 'not scored (turned off)'
 */
export function scoredLevelText(l: Level | null, scoring: ScoringState | null | undefined): string {
  if (scoring === 'off') return T.scoringOff;
  if (scoring === 'unavailable') return T.scoringUnavailable;
  if (l !== null) return levelText(l);
  return scoring === 'on' ? levelText(0) : T.noSignalYet;
}

/**
 * Where the visitor is, for the queue and chat rows: "here", "left 2:05 ago", "left 2:05 ago · out of line";
 * empty when presence is not tracked (a client without an event stream).
 *
 * @example
 * presenceText('away', Date.now() - 65_000, Date.now()); // 'Visitor left 1:05 ago'
 */
export function presenceText(v: VisitorState | undefined, leftAt: number | null | undefined, now: number): string {
  if (v === 'here') return T.visitorHere;
  if (v !== 'away' && v !== 'left') return '';
  const left = T.visitorLeft(leftAt == null ? '' : duration(now - leftAt));
  return v === 'left' ? `${left}${T.outOfLine}` : left;
}
