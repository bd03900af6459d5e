// Per-agent review from the audit log (levels, times, codes — no text): chats taken, de-escalation (level at
// claim → level at close), time to first reply, reply suggestions used, upset labels, and CSAT where the store
// keeps ratings.
import type { AuditEntry, Store } from '../store.js';
import { fromAtLeast, smallCount } from '../report-privacy.js';

/** One agent's row. Means are `null` when there was nothing to average. */
export interface AgentReportRow {
  agentId: string;
  /** Chats taken (claimed, assigned by the router, or taken over). */
  chats: number;
  /** Of those, handed to the agent by the router. */
  assigned: number;
  /** Chats closed by the agent. */
  closed: number;
  meanLevelAtClaim: number | null;
  meanLevelAtClose: number | null;
  /** Over chats the agent both took and closed in the window: mean of (level at claim − level at close). */
  meanDeEscalation: number | null;
  /** Of those, chats that closed at a lower level than they were taken at. */
  deEscalated: number;
  firstReply: { count: number; meanMs: number | null; medianMs: number | null };
  assistUsed: number;
  assistByScenario: Record<string, number>;
  labels: { upset: number; notUpset: number };
  /** CSAT over the agent's rated chats in the window (ratings given in it): count and mean score 1–5. */
  csat: { count: number; mean: number | null };
}

/** `GET /agent/reports/agents` response. */
export interface AgentReport {
  from: number;
  to: number;
  agents: AgentReportRow[];
}

const mean = (xs: number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100 : null);
const median = (xs: number[]) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
};

/**
 * Builds the per-agent report over `[from, to)` from audit entries (and ratings, when given).
 *
 * @example
 * const report = agentReportFrom(await store.readAudit({ from, to }), from, to);
 */
export function agentReportFrom(entries: readonly AuditEntry[], from: number, to: number, ratings: ReadonlyArray<{ agentId?: string; score: number }> = []): AgentReport {
  const rows = new Map<string, { row: AgentReportRow; claimLevels: number[]; closeLevels: number[]; replies: number[]; open: Map<string, number | null>; deltas: number[] }>();
  const of = (id: string) => {
    let r = rows.get(id);
    if (!r) {
      r = {
        row: { agentId: id, chats: 0, assigned: 0, closed: 0, meanLevelAtClaim: null, meanLevelAtClose: null, meanDeEscalation: null, deEscalated: 0, firstReply: { count: 0, meanMs: null, medianMs: null }, assistUsed: 0, assistByScenario: {}, labels: { upset: 0, notUpset: 0 }, csat: { count: 0, mean: null } },
        claimLevels: [],
        closeLevels: [],
        replies: [],
        open: new Map(),
        deltas: [],
      };
      rows.set(id, r);
    }
    return r;
  };
  for (const e of entries) {
    if (e.at < from || e.at >= to || !e.agentId) continue;
    const r = of(e.agentId);
    switch (e.action) {
      case 'claimed':
      case 'taken-over':
        r.row.chats++;
        if (e.matchReasons) r.row.assigned++;
        if (e.level !== null) r.claimLevels.push(e.level);
        r.open.set(e.conversationId, e.level);
        break;
      case 'closed': {
        r.row.closed++;
        if (e.level !== null) r.closeLevels.push(e.level);
        const at = r.open.get(e.conversationId);
        if (at !== undefined && at !== null && e.level !== null) {
          r.deltas.push(at - e.level);
          if (e.level < at) r.row.deEscalated++;
        }
        r.open.delete(e.conversationId);
        break;
      }
      case 'replied':
        if (e.waitMs !== undefined) r.replies.push(e.waitMs);
        break;
      case 'assist-used': {
        r.row.assistUsed++;
        const sc = e.reasons[0] ?? 'unknown';
        r.row.assistByScenario[sc] = (r.row.assistByScenario[sc] ?? 0) + 1;
        break;
      }
      case 'labeled':
        if (e.reasons[0] === 'upset') r.row.labels.upset++;
        else r.row.labels.notUpset++;
        break;
      default:
        break;
    }
  }
  const scores = new Map<string, number[]>();
  for (const x of ratings) if (x.agentId) scores.set(x.agentId, [...(scores.get(x.agentId) ?? []), x.score]);
  for (const [id, s] of scores) of(id).row.csat = { count: s.length, mean: mean(s) };
  const agents = [...rows.values()].map((r) => ({
    ...r.row,
    meanLevelAtClaim: mean(r.claimLevels),
    meanLevelAtClose: mean(r.closeLevels),
    meanDeEscalation: mean(r.deltas),
    firstReply: { count: r.replies.length, meanMs: mean(r.replies), medianMs: median(r.replies) },
  }));
  agents.sort((a, b) => b.chats - a.chats || (a.agentId < b.agentId ? -1 : 1));
  return { from, to, agents };
}

/** Reads the window's audit and ratings and builds the report. */
export async function buildAgentReport(store: Store, from: number, to: number): Promise<AgentReport> {
  // CSAT (issue 12's ratings): each rating names the agent who last held the chat.
  const [entries, ratings] = await Promise.all([store.readAudit({ from, to }), store.listRatings({ from, to })]);
  return agentReportFrom(entries, from, to, ratings);
}

const CSV_COLUMNS = ['agent_id', 'chats', 'assigned', 'closed', 'mean_level_at_claim', 'mean_level_at_close', 'mean_de_escalation', 'de_escalated', 'first_reply_count', 'first_reply_mean_ms', 'first_reply_median_ms', 'assist_used', 'labels_upset', 'labels_not_upset', 'csat_count', 'csat_mean'];

const cell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * The per-agent report as CSV (one row per agent; the header names the columns). Report privacy (issue 15):
 * counts 1…`minCount`−1 read `<5`, and a mean over fewer than `minCount` chats is empty (level at claim over
 * chats taken, level at close and de-escalation over chats closed, reply times over replies, CSAT over ratings).
 *
 * @example
 * await writeFile('agents.csv', agentReportCsv(await buildAgentReport(store, from, to)));
 */
export function agentReportCsv(r: AgentReport, minCount = 5): string {
  const k = minCount;
  const n = (x: number) => smallCount(x, k);
  const lines = [CSV_COLUMNS.join(',')];
  for (const a of r.agents)
    lines.push(
      [
        a.agentId, n(a.chats), n(a.assigned), n(a.closed),
        fromAtLeast(a.meanLevelAtClaim, a.chats, k), fromAtLeast(a.meanLevelAtClose, a.closed, k), fromAtLeast(a.meanDeEscalation, a.closed, k), n(a.deEscalated),
        n(a.firstReply.count), fromAtLeast(a.firstReply.meanMs, a.firstReply.count, k), fromAtLeast(a.firstReply.medianMs, a.firstReply.count, k),
        n(a.assistUsed), n(a.labels.upset), n(a.labels.notUpset), n(a.csat.count), fromAtLeast(a.csat.mean, a.csat.count, k),
      ]
        .map(cell)
        .join(','),
    );
  return lines.join('\r\n') + '\r\n';
}
