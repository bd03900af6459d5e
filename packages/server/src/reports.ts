// Reports computed from the audit log alone (reason codes, levels, times — no text), as JSON and CSV.
import { LEVEL_NAMES } from '@temper/protocol';
import type { AuditEntry, RatedConversation } from './store.js';
import { csatRows, type CsatReport } from './csat.js';
import { fromAtLeast, smallCount, toReportPrivacy, type ReportPrivacy } from './report-privacy.js';

/** `GET /agent/reports` response. Times are Unix ms; `to` is exclusive. */
export interface Report {
  from: number;
  to: number;
  bucketMs: number;
  /** Per time bucket: conversations by the highest level they reported in it (index = level 0..3). */
  levels: Array<{ start: number; counts: [number, number, number, number] }>;
  /** Conversations with at least one routing decision in the window. */
  conversations: number;
  /** Of those, conversations that were queued for a person. */
  handoffs: number;
  /** handoffs / conversations (0 when there were none). */
  handoffRate: number;
  /** Time from first queued to claimed, over claims in the window. `null` fields when there were no claims. */
  timeToPerson: { count: number; meanMs: number | null; medianMs: number | null; p90Ms: number | null; maxMs: number | null };
  decisions: number;
  decisionsByReason: Record<string, number>;
  decisionsByRoute: { bot: number; human: number };
  outcomes: { claimed: number; released: number; closed: number };
  /** Issue 12: visitors who left a contact to be called back while no one was free (counts; contacts are not in the audit log). */
  callbacksRequested: number;
  /** Issue 12: queued chats that left the line because their visitor was away `abandonAfterMs`. */
  abandoned: number;
  /** Messenger basics (issue 12): ratings given in the window (`GET /agent/reports` always fills it). */
  csat?: CsatReport;
}

/**
 * The CSV tables `GET /agent/reports.csv?table=` serves.
 *
 * @example
 * const links = REPORT_TABLES.map((t) => `${base}/agent/reports.csv?table=${t}`);
 */
export const REPORT_TABLES = ['levels', 'reasons', 'summary', 'time-to-person', 'csat'] as const;
export type ReportTable = (typeof REPORT_TABLES)[number];

function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? null;
}

/**
 * Builds a report over `[from, to)` from audit entries.
 *
 * @example
 * const report = buildReport(await store.readAudit({ from, to }), from, to, 3_600_000);
 */
export function buildReport(entries: readonly AuditEntry[], from: number, to: number, bucketMs: number): Report {
  const buckets = Math.max(1, Math.ceil((to - from) / bucketMs));
  const perBucket: Array<Map<string, number>> = Array.from({ length: buckets }, () => new Map());
  const active = new Set<string>();
  const queued = new Set<string>();
  const waits: number[] = [];
  const byReason: Record<string, number> = {};
  const byRoute = { bot: 0, human: 0 };
  const outcomes = { claimed: 0, released: 0, closed: 0 };
  let decisions = 0;
  let callbacksRequested = 0;
  let abandoned = 0;
  let anonymousConversations = 0;
  let anonymousHandoffs = 0;
  for (const e of entries) {
    if (e.at < from || e.at >= to) continue;
    if (e.level !== null) {
      const b = perBucket[Math.floor((e.at - from) / bucketMs)];
      if (b) b.set(e.conversationId, Math.max(b.get(e.conversationId) ?? 0, e.level));
    }
    switch (e.action) {
      case 'decision':
        decisions++;
        // An anonymised conversation (issue 15) has one id per entry: it counts once, by its first decision.
        if (!e.anonymous) active.add(e.conversationId);
        else if (e.first) anonymousConversations++;
        if (e.route) byRoute[e.route]++;
        for (const r of e.reasons) byReason[r] = (byReason[r] ?? 0) + 1;
        break;
      case 'queued':
        if (!e.anonymous) queued.add(e.conversationId);
        else if (e.first) anonymousHandoffs++;
        break;
      case 'claimed':
        outcomes.claimed++;
        if (e.waitMs !== undefined) waits.push(e.waitMs);
        break;
      case 'released':
        outcomes.released++;
        break;
      case 'closed':
        outcomes.closed++;
        break;
      case 'callback-requested':
        callbacksRequested++;
        break;
      case 'abandoned':
        abandoned++;
        break;
    }
  }
  waits.sort((a, b) => a - b);
  const handoffs = [...queued].filter((c) => active.has(c)).length + anonymousHandoffs;
  const conversations = active.size + anonymousConversations;
  return {
    from,
    to,
    bucketMs,
    levels: perBucket.map((m, i) => {
      const counts: [number, number, number, number] = [0, 0, 0, 0];
      for (const l of m.values()) counts[l as 0 | 1 | 2 | 3]++;
      return { start: from + i * bucketMs, counts };
    }),
    conversations,
    handoffs,
    handoffRate: conversations === 0 ? 0 : handoffs / conversations,
    timeToPerson: {
      count: waits.length,
      meanMs: waits.length ? Math.round(waits.reduce((a, b) => a + b, 0) / waits.length) : null,
      medianMs: quantile(waits, 0.5),
      p90Ms: quantile(waits, 0.9),
      maxMs: waits.at(-1) ?? null,
    },
    decisions,
    decisionsByReason: byReason,
    decisionsByRoute: byRoute,
    outcomes,
    callbacksRequested,
    abandoned,
  };
}

const cell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const rows = (r: Array<Array<string | number | null>>) => r.map((x) => x.map(cell).join(',')).join('\r\n') + '\r\n';

/**
 * One table of a report as CSV (RFC 4180, header row first). `time-to-person` needs the raw entries, `csat`
 * the ratings of the window. Report privacy (issue 15, `privacy`, default `minCount` 5): counts 1…k−1 read
 * `<5`, figures computed from fewer than k conversations (rates, means, percentiles) are empty, time-to-person
 * is one row per queue (queues with fewer than k claims merged into `(other queues)`) unless `claimRows`, and
 * without `perAgent` the csat table leaves agent id and name empty.
 *
 * @example
 * const csv = reportCsv(report, 'levels', entries);
 */
export function reportCsv(
  report: Report,
  table: ReportTable,
  entries: readonly AuditEntry[] = [],
  ratings: readonly RatedConversation[] = [],
  privacy: ReportPrivacy = toReportPrivacy(undefined),
): string {
  const k = privacy.minCount;
  const n = (x: number) => smallCount(x, k);
  switch (table) {
    case 'csat':
      return rows(csatRows(privacy.perAgent ? ratings : ratings.map(({ agentId: _id, agentName: _name, ...r }) => r)));
    case 'levels':
      return rows([
        ['bucket_start', ...LEVEL_NAMES],
        ...report.levels.map((b) => [new Date(b.start).toISOString(), ...b.counts.map(n)]),
      ]);
    case 'reasons':
      return rows([
        ['reason', 'decisions'],
        ...Object.entries(report.decisionsByReason).sort((a, b) => b[1] - a[1]).map(([r, c]) => [r, n(c)]),
      ]);
    case 'summary': {
      const ttp = report.timeToPerson;
      return rows([
        ['metric', 'value'],
        ['from', new Date(report.from).toISOString()],
        ['to', new Date(report.to).toISOString()],
        ['conversations', n(report.conversations)],
        ['handoffs', n(report.handoffs)],
        ['handoff_rate', fromAtLeast(Number(report.handoffRate.toFixed(4)), Math.min(report.conversations, report.handoffs || k), k)],
        ['time_to_person_count', n(ttp.count)],
        ['time_to_person_mean_ms', fromAtLeast(ttp.meanMs, ttp.count, k)],
        ['time_to_person_median_ms', fromAtLeast(ttp.medianMs, ttp.count, k)],
        ['time_to_person_p90_ms', fromAtLeast(ttp.p90Ms, ttp.count, k)],
        ['decisions', n(report.decisions)],
        ['decisions_bot', n(report.decisionsByRoute.bot)],
        ['decisions_human', n(report.decisionsByRoute.human)],
        ['claimed', n(report.outcomes.claimed)],
        ['released', n(report.outcomes.released)],
        ['closed', n(report.outcomes.closed)],
        ['callbacks_requested', n(report.callbacksRequested)],
        ['abandoned', n(report.abandoned)],
      ]);
    }
    case 'time-to-person': {
      const claims = entries.filter((e) => e.action === 'claimed' && e.waitMs !== undefined && e.at >= report.from && e.at < report.to);
      if (privacy.claimRows)
        return rows([['claimed_at', 'queue', 'wait_ms'], ...claims.map((e) => [new Date(e.at).toISOString(), e.queue ?? '', e.waitMs ?? null])]);
      return rows([['queue', 'claims', 'mean_ms', 'median_ms', 'p90_ms'], ...waitsByQueue(claims, k)]);
    }
  }
}

/** Time to a person per queue; queues with fewer than `k` claims pooled into one `(other queues)` row. */
function waitsByQueue(claims: readonly AuditEntry[], k: number): Array<Array<string | number | null>> {
  const byQueue = new Map<string, number[]>();
  for (const e of claims) byQueue.set(e.queue ?? '', [...(byQueue.get(e.queue ?? '') ?? []), e.waitMs!]);
  const big = [...byQueue].filter(([, w]) => w.length >= k).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const rest = [...byQueue].filter(([, w]) => w.length < k).flatMap(([, w]) => w);
  const row = (queue: string, waits: number[]) => {
    const s = [...waits].sort((a, b) => a - b);
    const mean = Math.round(s.reduce((a, b) => a + b, 0) / s.length);
    return [queue, smallCount(s.length, k), fromAtLeast(mean, s.length, k), fromAtLeast(quantile(s, 0.5), s.length, k), fromAtLeast(quantile(s, 0.9), s.length, k)];
  };
  return [...big.map(([q, w]) => row(q, w)), ...(rest.length ? [row('(other queues)', rest)] : [])];
}
