// Which free agent gets a chat: a pure function from the chat (language, topic, level) and the agents who could
// take it (profile, open chats, recent emotional load) to one agent and the reason codes that explain why.
// Pure so it can be tested alone, replayed from the audit log, and replaced by a host's own matcher.
import type { Level } from '@temper/protocol';
import type { AgentLanguage, AgentProfile, AgentSkill } from './profile.js';

/**
 * Every reason code an agent match can carry (also what reports count).
 *
 * @example
 * for (const r of MATCH_REASONS) console.log(r, report.matchReasons[r] ?? 0);
 */
export const MATCH_REASONS = [
  /** The agent speaks the chat's language. */
  'language',
  /** No agent online speaks the chat's language: any free agent takes it rather than nobody. */
  'language-unmatched',
  /** The agent has the skill of the chat's topic (what the bot understood the visitor wants). */
  'skill',
  /** The chat's topic is known but no free agent of its language has that skill. */
  'skill-unmatched',
  /** The chat is at the de-escalation level and the agent de-escalates. */
  'de-escalation',
  /** The chat is at the de-escalation level but no free agent of its language de-escalates. */
  'de-escalation-unmatched',
  /** Another, equally qualified agent would have had a third angry chat in a row: this one takes it instead. */
  'load-protected',
  /** Every qualified agent is on a run of angry chats: the least loaded of them takes it. */
  'angry-run-unavoidable',
  /** Chosen among equally qualified agents for the lower emotional load over the last hour. */
  'lower-load',
  /** Chosen among equally qualified, equally loaded agents for holding fewer chats. */
  'fewer-chats',
  /** Agents of the chat's language are online but none has room: the chat waits for one. */
  'language-agents-busy',
  /** No agent with a profile has room for another chat. */
  'no-free-agent',
] as const;
export type MatchReason = (typeof MATCH_REASONS)[number];

/** Tunables of agent matching and emotional load. Every field has a default (see `DEFAULT_AGENT_ROUTING`). */
export interface AgentRoutingConfig {
  /**
   * `auto`: a queued chat goes straight to the best free agent (with reasons); `pull`: agents claim from the
   * queue themselves and the queue shows whom the router recommends. Default `auto`.
   */
  assign: 'auto' | 'pull';
  /** Bot intent (`BotReply.topic`) → the skill it needs. Unlisted topics need no skill. */
  topicSkills: Record<string, AgentSkill>;
  /** Level from which a chat wants an agent with `de-escalation`. Default 2 (frustrated). */
  deEscalationLevel: Level;
  /** Level from which a chat counts as angry for an agent's run and the break suggestion. Default 2. */
  angryLevel: Level;
  /** Angry chats in a row after which another qualified free agent gets the next angry one. Default 2. */
  maxAngryInARow: number;
  /** Angry chats in a row after which the console suggests a short break. Default 3. */
  breakAfter: number;
  /** The window of an agent's emotional load (Σ level at claim of the chats taken in it). Default 1 hour. */
  loadWindowMs: number;
  /** Queue names by language and topic skill (`zh-payments`) instead of by language only. Default false. */
  queueBySkill: boolean;
}

/**
 * Default agent routing: automatic assignment, the shop's intents mapped to skills, de-escalation from level 2,
 * no third angry chat in a row, a break suggested after three.
 *
 * @example
 * createTemperServer({ secret, agents: { ...DEFAULT_AGENT_ROUTING, maxAngryInARow: 1 } });
 */
export const DEFAULT_AGENT_ROUTING: AgentRoutingConfig = {
  assign: 'auto',
  topicSkills: {
    'order-status': 'orders',
    'late-delivery': 'orders',
    shipping: 'orders',
    returns: 'orders',
    damaged: 'orders',
    stock: 'orders',
    invoice: 'payments',
    refund: 'payments',
    payment: 'payments',
    'checkout-error': 'technical',
  },
  deEscalationLevel: 2,
  angryLevel: 2,
  maxAngryInARow: 2,
  breakAfter: 3,
  loadWindowMs: 60 * 60 * 1000,
  queueBySkill: false,
};

/** An agent's emotional load over the last `loadWindowMs`. */
export interface AgentLoad {
  /** Σ level at claim of the chats taken in the window (chats × level). */
  score: number;
  /** Chats taken in the window. */
  chats: number;
  /** Angry chats (level ≥ `angryLevel` at claim) taken one after the other, most recent last. */
  angryInARow: number;
  /** True when `angryInARow` ≥ `breakAfter`. */
  breakSuggested: boolean;
}

/** One agent who could take the chat. */
export interface MatchCandidate {
  agentId: string;
  name: string;
  profile: AgentProfile;
  /** Chats the agent holds now. */
  active: number;
  /** Chats the agent may hold (profile `maxChats`, else the server's `maxChatsPerAgent`). */
  capacity: number;
  load: AgentLoad;
}

/** The chat to place. */
export interface MatchChat {
  language: AgentLanguage;
  /** The bot's intent for this chat, if it understood one. */
  topic: string | null;
  level: Level | null;
}

/** The outcome: the chosen agent (or `null`: the chat waits) and why. */
export interface Match {
  agentId: string | null;
  name: string | null;
  reasons: MatchReason[];
  /** The skill the topic needs, if any. */
  skill: AgentSkill | null;
}

/**
 * Picks the best free agent for a chat: its language, then the skill of its topic, then (at level ≥
 * `deEscalationLevel`) de-escalation, then emotional load (never a third angry chat in a row when an equally
 * qualified agent is free), then the fewest open chats.
 *
 * @example
 * const m = matchAgent({ language: 'zh', topic: 'refund', level: 3 }, candidates, DEFAULT_AGENT_ROUTING);
 * // { agentId: 'mei', reasons: ['language', 'skill', 'de-escalation'], … }
 */
export function matchAgent(chat: MatchChat, candidates: readonly MatchCandidate[], config: AgentRoutingConfig = DEFAULT_AGENT_ROUTING): Match {
  const skill = chat.topic !== null ? (config.topicSkills[chat.topic] ?? null) : null;
  const level = chat.level ?? 0;
  const wantsDeEscalation = level >= config.deEscalationLevel;
  const angry = level >= config.angryLevel;
  const none = (reasons: MatchReason[]): Match => ({ agentId: null, name: null, reasons, skill });

  const speakers = candidates.filter((c) => c.profile.languages.includes(chat.language));
  const free = (list: readonly MatchCandidate[]) => list.filter((c) => c.active < c.capacity);
  let pool = free(speakers);
  const reasons: MatchReason[] = [];
  if (pool.length > 0) reasons.push('language');
  else if (speakers.length > 0) return none(['language-agents-busy']);
  else {
    pool = free(candidates);
    if (pool.length === 0) return none(['no-free-agent']);
    reasons.push('language-unmatched');
  }

  const hasSkill = (c: MatchCandidate) => (skill !== null && c.profile.skills.includes(skill) ? 1 : 0);
  const deEsc = (c: MatchCandidate) => (wantsDeEscalation && c.profile.skills.includes('de-escalation') ? 1 : 0);
  const onRun = (c: MatchCandidate) => angry && c.load.angryInARow >= config.maxAngryInARow;
  // Qualification first (skill, then de-escalation), lexicographically: the best-qualified tier is the pool.
  const qual = (c: MatchCandidate) => hasSkill(c) * 2 + deEsc(c);
  const top = Math.max(...pool.map(qual));
  const tier = pool.filter((c) => qual(c) === top);
  const sample = tier[0]!;
  if (skill !== null) reasons.push(hasSkill(sample) ? 'skill' : 'skill-unmatched');
  if (wantsDeEscalation) reasons.push(deEsc(sample) ? 'de-escalation' : 'de-escalation-unmatched');

  const rested = tier.filter((c) => !onRun(c));
  let finalists = tier;
  if (rested.length > 0 && rested.length < tier.length) {
    finalists = rested;
    reasons.push('load-protected');
  } else if (rested.length === 0) reasons.push('angry-run-unavoidable');

  const sorted = [...finalists].sort((a, b) => a.load.score - b.load.score || a.active - b.active || (a.agentId < b.agentId ? -1 : 1));
  const best = sorted[0]!;
  const next = sorted[1];
  if (next) {
    if (best.load.score < next.load.score) reasons.push('lower-load');
    else if (best.active < next.active) reasons.push('fewer-chats');
  }
  return { agentId: best.agentId, name: best.name, reasons, skill };
}

/**
 * An agent's emotional load from the levels at claim of the chats they took, oldest first, within the window.
 *
 * @example
 * loadOf([3, 2, 0, 2, 3], DEFAULT_AGENT_ROUTING) // { score: 10, chats: 5, angryInARow: 2, breakSuggested: false }
 */
export function loadOf(levelsAtClaim: ReadonlyArray<Level | null>, config: AgentRoutingConfig = DEFAULT_AGENT_ROUTING): AgentLoad {
  let score = 0;
  let run = 0;
  for (const l of levelsAtClaim) {
    score += l ?? 0;
    run = (l ?? 0) >= config.angryLevel ? run + 1 : 0;
  }
  return { score, chats: levelsAtClaim.length, angryInARow: run, breakSuggested: run >= config.breakAfter };
}
