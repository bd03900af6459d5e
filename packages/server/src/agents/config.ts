// Checks `createTemperServer({ agents })` once at start, so a typo fails loudly instead of routing wrongly.
import { DEFAULT_AGENT_ROUTING, type AgentRoutingConfig } from './matching.js';
import { AGENT_SKILLS, type AgentSkill } from './profile.js';

export function toAgentRouting(input: Partial<AgentRoutingConfig> | undefined): AgentRoutingConfig {
  const c: AgentRoutingConfig = { ...DEFAULT_AGENT_ROUTING, ...input, topicSkills: { ...(input?.topicSkills ?? DEFAULT_AGENT_ROUTING.topicSkills) } };
  const what = 'createTemperServer: agents';
  if (c.assign !== 'auto' && c.assign !== 'pull') throw new RangeError(`${what}.assign must be 'auto' or 'pull', got ${String(c.assign)}`);
  for (const [topic, skill] of Object.entries(c.topicSkills))
    if (!AGENT_SKILLS.includes(skill as AgentSkill)) throw new RangeError(`${what}.topicSkills.${topic}: ${String(skill)} is not one of ${AGENT_SKILLS.join(', ')}`);
  for (const k of ['deEscalationLevel', 'angryLevel'] as const)
    if (![0, 1, 2, 3].includes(c[k])) throw new RangeError(`${what}.${k} must be a level 0–3, got ${String(c[k])}`);
  for (const k of ['maxAngryInARow', 'breakAfter'] as const)
    if (!Number.isInteger(c[k]) || c[k] < 1) throw new RangeError(`${what}.${k} must be an integer ≥ 1, got ${String(c[k])}`);
  if (!(c.loadWindowMs > 0)) throw new RangeError(`${what}.loadWindowMs must be positive`);
  return c;
}
