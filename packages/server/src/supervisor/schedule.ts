// Scheduled reports: after each day, week (Monday to Monday) and month (UTC), the routing report and the
// per-agent report of the period just ended, as JSON and CSV, written to a folder or sent as a `report.created`
// webhook (through the outbox, so it is retried like any event). One instance makes each report: the first to
// take the period's slot on the shared Coordination (held for two periods) does it, the others skip it.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Coordination } from '../coordination.js';
import { buildReport, reportCsv } from '../reports.js';
import type { Store } from '../store.js';
import type { WebhookEvent } from '../webhooks/webhooks.js';
import { agentReportCsv, buildAgentReport } from './agent-report.js';
import type { ReportPrivacy } from '../report-privacy.js';

export const REPORT_PERIODS = ['day', 'week', 'month'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

/** One scheduled report: which period, and where it goes. */
export interface ReportSchedule {
  period: ReportPeriod;
  /** A folder (`temper-<period>-<YYYY-MM-DD>.json`, `…-summary.csv`, `…-agents.csv`), or the webhook. */
  to: { dir: string } | { webhook: true };
}

/** `createTemperServer({ reports })`. */
export interface ReportOptions {
  schedule: readonly ReportSchedule[];
  /** How often to look for a period that just ended. Default 60 000. */
  checkMs?: number;
}

const DAY = 86_400_000;

/** The last complete period before `now` (UTC): `[from, to)`. */
export function lastPeriod(period: ReportPeriod, now: number): { from: number; to: number } {
  const d = new Date(now);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (period === 'day') return { from: midnight - DAY, to: midnight };
  if (period === 'week') {
    const monday = midnight - ((d.getUTCDay() + 6) % 7) * DAY;
    return { from: monday - 7 * DAY, to: monday };
  }
  const first = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return { from: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1), to: first };
}

export function checkReportOptions(o: ReportOptions): void {
  const what = 'createTemperServer: reports';
  if (!Array.isArray(o.schedule)) throw new TypeError(`${what}.schedule must be a list`);
  for (const [i, s] of o.schedule.entries()) {
    if (!REPORT_PERIODS.includes(s.period)) throw new RangeError(`${what}.schedule[${i}].period must be one of ${REPORT_PERIODS.join(', ')}`);
    const to = s.to as { dir?: unknown; webhook?: unknown };
    if (!(typeof to?.dir === 'string' && to.dir.length > 0) && to?.webhook !== true) throw new TypeError(`${what}.schedule[${i}].to must be { dir } or { webhook: true }`);
  }
  if (o.checkMs !== undefined && !(o.checkMs > 0)) throw new RangeError(`${what}.checkMs must be positive`);
}

export interface SchedulerDeps {
  store: Store;
  coordination: Coordination;
  now: () => number;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
  emit: (type: WebhookEvent, data: Record<string, unknown>, key: string) => Promise<boolean>;
  hasWebhooks: boolean;
  /** Report privacy (issue 15): small counts suppressed in the CSVs; per-agent figures left out when off. */
  privacy: ReportPrivacy;
}

export function createReportScheduler(o: ReportOptions, d: SchedulerDeps) {
  checkReportOptions(o);
  for (const s of o.schedule)
    if ('webhook' in s.to && !d.hasWebhooks) throw new TypeError('createTemperServer: reports sent to the webhook need the webhooks option');
  let running: Promise<void> | null = null;

  async function make(s: ReportSchedule, from: number, to: number): Promise<void> {
    const perAgent = d.privacy.perAgent;
    const [entries, agents] = await Promise.all([d.store.readAudit({ from, to }), perAgent ? buildAgentReport(d.store, from, to) : null]);
    const report = buildReport(entries, from, to, s.period === 'day' ? 3_600_000 : DAY);
    const stamp = new Date(from).toISOString().slice(0, 10);
    const json = { period: s.period, from, to, report, ...(agents ? { agents: agents.agents } : {}) };
    const summaryCsv = reportCsv(report, 'summary', entries, [], d.privacy);
    const agentsCsv = agents ? agentReportCsv(agents, d.privacy.minCount) : null;
    if ('dir' in s.to) {
      await mkdir(s.to.dir, { recursive: true });
      const base = join(s.to.dir, `temper-${s.period}-${stamp}`);
      const files: Array<readonly [string, string]> = [[`${base}.json`, JSON.stringify(json, null, 2)], [`${base}-summary.csv`, summaryCsv]];
      if (agentsCsv !== null) files.push([`${base}-agents.csv`, agentsCsv]);
      // Written under a temporary name and renamed, so a reader never sees half a file.
      for (const [file, body] of files) {
        await writeFile(`${file}.tmp`, body);
        await rename(`${file}.tmp`, file);
      }
    } else await d.emit('report.created', { ...json, csv: { summary: summaryCsv, ...(agentsCsv !== null ? { agents: agentsCsv } : {}) } }, `wh_report_${s.period}_${stamp.replace(/-/g, '')}`);
    d.log('info', 'scheduled report made', { period: s.period, from, to });
  }

  async function tick(): Promise<void> {
    const t = d.now();
    for (const s of o.schedule) {
      const { from, to } = lastPeriod(s.period, t);
      const where = 'dir' in s.to ? `dir:${s.to.dir}` : 'webhook';
      const slot = `report:${s.period}:${from}:${where}`;
      const lease = await d.coordination.acquire(slot, 1, 2 * (to - from) + DAY);
      if (!lease) continue;
      try {
        await make(s, from, to);
      } catch (e) {
        // Give the slot back so the next check (on any instance) tries again.
        await d.coordination.release(slot, lease).catch(() => undefined);
        d.log('error', 'scheduled report failed', { period: s.period, error: e instanceof Error ? e.message : String(e) });
      }
    }
  }

  const timer = setInterval(() => void run(), o.checkMs ?? 60_000);
  timer.unref();
  const run = () => (running ??= tick().finally(() => (running = null)));
  void run();
  return {
    run,
    async close() {
      clearInterval(timer);
      await running;
    },
  };
}
