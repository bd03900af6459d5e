// Messenger basics (issue 12): the CSAT part of `GET /agent/reports` — the ratings visitors gave at close,
// summarised overall, by route (bot or person) and by agent, with the latest comments for the support team.
import type { RatedConversation } from './store.js';

/** Ratings summarised: how many, the mean score, how many of each score, and the CSAT share. */
export interface CsatSummary {
  count: number;
  /** Mean score 1–5, rounded to 2 decimals; `null` without ratings. */
  mean: number | null;
  /** Ratings per score: index 0 = score 1 … index 4 = score 5. */
  distribution: [number, number, number, number, number];
  /** The CSAT figure: share of ratings that are 4 or 5 (0–1, 4 decimals); `null` without ratings. */
  satisfied: number | null;
}

/** The `csat` field of `GET /agent/reports`: ratings given in the report's window. */
export interface CsatReport extends CsatSummary {
  /** Chats the bot answered to the end, and chats a person answered. */
  byRoute: { bot: CsatSummary; human: CsatSummary };
  /** Per agent who last held a rated chat, most ratings first. */
  byAgent: Array<CsatSummary & { agentId: string; agentName: string }>;
  /** The latest comments (at most 50, newest first): visitor text, for staff only. */
  comments: Array<{ conversationId: string; at: number; score: number; route: 'bot' | 'human'; agentName: string | null; comment: string }>;
}

const COMMENTS = 50;

function summarise(ratings: readonly RatedConversation[]): CsatSummary {
  const distribution: CsatSummary['distribution'] = [0, 0, 0, 0, 0];
  let sum = 0;
  for (const r of ratings) {
    distribution[r.score - 1]!++;
    sum += r.score;
  }
  const n = ratings.length;
  return {
    count: n,
    mean: n ? Math.round((sum / n) * 100) / 100 : null,
    distribution,
    satisfied: n ? Math.round(((distribution[3] + distribution[4]) / n) * 10_000) / 10_000 : null,
  };
}

/**
 * Summarises ratings (as `Store.listRatings` returns them, one per conversation) overall, by route and by agent.
 *
 * @example
 * const csat = buildCsatReport(await store.listRatings({ from, to }));
 * console.log(csat.satisfied, csat.byAgent[0]?.mean);
 */
export function buildCsatReport(ratings: readonly RatedConversation[]): CsatReport {
  const byAgent = new Map<string, RatedConversation[]>();
  for (const r of ratings) {
    if (r.route !== 'human' || r.agentId === undefined) continue;
    const list = byAgent.get(r.agentId) ?? [];
    list.push(r);
    byAgent.set(r.agentId, list);
  }
  return {
    ...summarise(ratings),
    byRoute: { bot: summarise(ratings.filter((r) => r.route === 'bot')), human: summarise(ratings.filter((r) => r.route === 'human')) },
    byAgent: [...byAgent]
      .map(([agentId, list]) => ({ agentId, agentName: list.at(-1)!.agentName ?? agentId, ...summarise(list) }))
      .sort((a, b) => b.count - a.count || a.agentName.localeCompare(b.agentName)),
    comments: ratings
      .filter((r) => r.comment !== undefined)
      .slice(-COMMENTS)
      .reverse()
      .map((r) => ({ conversationId: r.conversationId, at: r.at, score: r.score, route: r.route, agentName: r.agentName ?? null, comment: r.comment! })),
  };
}

/** A spreadsheet would run a cell that starts with = + - @ (or a tab/CR) as a formula: visitor text never does. */
const inert = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

/** The `csat` CSV table: one row per rating, oldest first (used by `reportCsv`). */
export function csatRows(ratings: readonly RatedConversation[]): Array<Array<string | number | null>> {
  return [
    ['rated_at', 'score', 'route', 'agent_id', 'agent_name', 'comment'],
    ...ratings.map((r) => [new Date(r.at).toISOString(), r.score, r.route, r.agentId ?? '', inert(r.agentName ?? ''), inert(r.comment ?? '')]),
  ];
}
