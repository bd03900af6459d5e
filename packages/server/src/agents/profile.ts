// Agent profiles: what an agent can take — languages, skills, how many chats at once. The host puts the profile
// into the agent's token (`createAgentToken(secret, { …, profile, ttlMs })`) after its own staff sign-in, so every
// instance sees the same profile without a lookup; presence carries it to the router.

/**
 * The skills routing knows. `de-escalation` is what a frustrated or angry visitor (level ≥ 2) is routed to.
 *
 * @example
 * const profile = { languages: ['zh'], skills: ['payments', 'de-escalation'], maxChats: 2 };
 * if (!profile.skills.every((s) => AGENT_SKILLS.includes(s))) throw new Error('unknown skill');
 */
export const AGENT_SKILLS = ['orders', 'payments', 'technical', 'de-escalation'] as const;
export type AgentSkill = (typeof AGENT_SKILLS)[number];

/** Languages agents answer in (the two the product supports). */
export const AGENT_LANGUAGES = ['en', 'zh'] as const;
export type AgentLanguage = (typeof AGENT_LANGUAGES)[number];

/** What one agent can take. */
export interface AgentProfile {
  /** Languages the agent answers in; at least one. */
  languages: AgentLanguage[];
  /** Topics the agent knows and whether they de-escalate; may be empty. */
  skills: AgentSkill[];
  /** Chats the agent holds at most (overrides `maxChatsPerAgent`). */
  maxChats?: number;
}

/**
 * Checks a profile and returns a normalised copy (sorted, duplicates dropped); throws a RangeError that names
 * the bad field otherwise.
 *
 * @example
 * toAgentProfile({ languages: ['zh', 'en'], skills: ['orders'] }) // { languages: ['en', 'zh'], skills: ['orders'] }
 */
export function toAgentProfile(input: unknown, what = 'profile'): AgentProfile {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new RangeError(`${what} must be an object`);
  const p = input as Record<string, unknown>;
  for (const k of Object.keys(p))
    if (k !== 'languages' && k !== 'skills' && k !== 'maxChats') throw new RangeError(`${what}: unknown field ${JSON.stringify(k)}`);
  const list = <T extends string>(v: unknown, allowed: readonly T[], field: string, min: number): T[] => {
    if (!Array.isArray(v) || v.length < min || v.length > 16) throw new RangeError(`${what}.${field} must be a list of ${min}–16 of ${allowed.join(', ')}`);
    for (const x of v) if (!allowed.includes(x as T)) throw new RangeError(`${what}.${field}: ${JSON.stringify(x)} is not one of ${allowed.join(', ')}`);
    return allowed.filter((a) => v.includes(a));
  };
  const out: AgentProfile = { languages: list(p.languages, AGENT_LANGUAGES, 'languages', 1), skills: list(p.skills ?? [], AGENT_SKILLS, 'skills', 0) };
  if (p.maxChats !== undefined) {
    if (!Number.isInteger(p.maxChats) || (p.maxChats as number) < 1 || (p.maxChats as number) > 50)
      throw new RangeError(`${what}.maxChats must be an integer 1–50, got ${String(p.maxChats)}`);
    out.maxChats = p.maxChats as number;
  }
  return out;
}
