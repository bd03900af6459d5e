// Retention in code (issue 15, finding 5): a sweep that deletes transcripts, signals and staff names after their
// retention, counted from a conversation's last visitor message, and keeps the audit log for `auditDays`,
// handing every entry to an archive (a folder of JSON Lines files, or the host's callback) before it leaves the
// Store, so Redis need not hold years of operation logs. Every instance runs the timer; one sweeps at a time
// (a shared Coordination lock); a sweep is idempotent, so a crash mid-way only leaves work for the next one.
import { mkdir, readdir, readFile, rename, writeFile, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Coordination } from '../coordination.js';
import { LockTimeoutError } from '../coordination.js';
import { activeAt, anonymiseConversationAudit, type AuditEntry, type ConversationRecord, type Store } from '../store.js';

const DAY = 86_400_000;
/** The longest retention accepted, in days (100 years): customer-service rules ask for ≥ 6 years of logs. */
export const MAX_RETENTION_DAYS = 36_525;

/** What an archive callback is told with each batch of audit entries. */
export interface AuditArchiveBatch {
  /** Entries with `at` before this (Unix ms) are being archived in this sweep; all of them come before the prune. */
  before: number;
  /** 0, 1, 2… within one sweep. */
  index: number;
}

/**
 * Where audit entries go before they leave the Store: a folder (one `temper-audit-<from>--<before>.jsonl` file
 * per sweep, one entry per line, written under a temporary name and renamed), or the host's `write` (called
 * with batches of up to 1 000 entries, oldest first; the prune waits until every batch resolved, and a
 * rejection keeps the entries in the Store for the next sweep). `erase` (callback archives) is called by a
 * data-subject erasure with the conversation id, so the host can anonymise its copy too; folder archives are
 * rewritten by Temper itself.
 */
export type AuditArchive =
  | { dir: string }
  | {
      write(entries: readonly AuditEntry[], batch: AuditArchiveBatch): Promise<void>;
      erase?(conversationId: string): Promise<void>;
    };

/** `createTemperServer({ retention })` (issue 15). Days are counted from a conversation's last visitor message. */
export interface RetentionOptions {
  /**
   * After this many days without a visitor message a conversation is deleted whole: messages and other events,
   * its record, rating, staff notes and the customer's link to it (its audit entries stay, under a random
   * pseudonym, until `auditDays`). Default 30.
   */
  transcriptsDays?: number;
  /** After this many days the conversation's frustration signals (levels, trends) are dropped. Default 7; ≤ `transcriptsDays`. */
  signalsDays?: number;
  /**
   * After this many days staff names are removed from the conversation (agent messages, staff notes, the
   * rating, `meta.agentName` / `lastAgentName` of a chat no agent holds). Default = `transcriptsDays`; ≤ it.
   */
  staffNamesDays?: number;
  /** Audit entries are kept in the Store this many days (≥ 1, up to 36 525). Default 30 (or `auditRetentionMs`). */
  auditDays?: number;
  /** Audit entries go here before they are pruned (see `AuditArchive`). Absent = pruned without a copy. */
  auditArchive?: AuditArchive;
  /** How often each instance tries to sweep. Default 3 600 000 (1 h); at least 1 000. */
  sweepMs?: number;
}

/** Retention counters in `stats().retention`, since this instance started. */
export interface RetentionStats {
  /** Sweeps this instance ran (another instance's sweeps are counted there). */
  runs: number;
  /** Sweeps skipped because another instance was sweeping. */
  skipped: number;
  failures: number;
  /** Unix ms of this instance's last finished sweep, or null. */
  lastRunAt: number | null;
  transcriptsDeleted: number;
  signalsCleared: number;
  staffNamesRemoved: number;
  auditArchived: number;
  auditPruned: number;
}

/** What one sweep did (`handler.runRetention()`); `skipped` when another instance held the sweep. */
export interface RetentionRun {
  skipped: boolean;
  at: number;
  transcriptsDeleted: number;
  signalsCleared: number;
  staffNamesRemoved: number;
  auditArchived: number;
  auditPruned: number;
  /** Archive files written (folder archives). */
  files: string[];
}

/** The checked settings, in ms. */
export interface RetentionConfig {
  transcriptsMs: number;
  signalsMs: number;
  staffNamesMs: number;
  auditMs: number;
  sweepMs: number;
  archive: AuditArchive | null;
}

const KNOWN = new Set(['transcriptsDays', 'signalsDays', 'staffNamesDays', 'auditDays', 'auditArchive', 'sweepMs']);

function days(v: unknown, d: number, name: string): number {
  if (v === undefined) return d;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > MAX_RETENTION_DAYS)
    throw new RangeError(`createTemperServer: retention.${name} must be a number of days > 0 and ≤ ${MAX_RETENTION_DAYS}, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * Checks `createTemperServer({ retention })` and turns it into ms. Throws a RangeError / TypeError naming the
 * option for a bad value, an unknown key (a typo would silently keep the default), a signals or staff-names
 * retention longer than the transcript's, or both `retention.auditDays` and `auditRetentionMs`.
 *
 * @example
 * toRetention({ transcriptsDays: 90, signalsDays: 7, auditDays: 2200, auditArchive: { dir: '/var/lib/temper/audit' } }, undefined);
 */
export function toRetention(o: RetentionOptions | undefined, auditRetentionMs: number | undefined): RetentionConfig {
  if (o !== undefined && (o === null || typeof o !== 'object' || Array.isArray(o))) throw new TypeError('createTemperServer: retention must be an object');
  const r = o ?? {};
  for (const k of Object.keys(r))
    if (!KNOWN.has(k)) throw new TypeError(`createTemperServer: retention.${k} is not an option (known: ${[...KNOWN].join(', ')})`);
  if (r.auditDays !== undefined && auditRetentionMs !== undefined)
    throw new TypeError('createTemperServer: give retention.auditDays or auditRetentionMs, not both');
  if (auditRetentionMs !== undefined && !(auditRetentionMs > 0 && auditRetentionMs <= MAX_RETENTION_DAYS * DAY))
    throw new RangeError(`createTemperServer: auditRetentionMs must be > 0 and ≤ ${MAX_RETENTION_DAYS} days, got ${String(auditRetentionMs)}`);
  const transcripts = days(r.transcriptsDays, 30, 'transcriptsDays');
  const signals = days(r.signalsDays, Math.min(7, transcripts), 'signalsDays');
  const names = days(r.staffNamesDays, transcripts, 'staffNamesDays');
  if (signals > transcripts)
    throw new RangeError(`createTemperServer: retention.signalsDays (${signals}) is longer than transcriptsDays (${transcripts}); signals go with their transcript at the latest`);
  if (names > transcripts)
    throw new RangeError(`createTemperServer: retention.staffNamesDays (${names}) is longer than transcriptsDays (${transcripts}); names go with their transcript at the latest`);
  const auditMs = auditRetentionMs ?? days(r.auditDays, 30, 'auditDays') * DAY;
  const sweepMs = r.sweepMs ?? 3_600_000;
  if (typeof sweepMs !== 'number' || !Number.isFinite(sweepMs) || sweepMs < 1000)
    throw new RangeError(`createTemperServer: retention.sweepMs must be ≥ 1000, got ${JSON.stringify(r.sweepMs)}`);
  let archive: AuditArchive | null = null;
  if (r.auditArchive !== undefined) {
    const a = r.auditArchive as { dir?: unknown; write?: unknown; erase?: unknown };
    const dirOk = typeof a?.dir === 'string' && a.dir.length > 0;
    const writeOk = typeof a?.write === 'function';
    if (dirOk === writeOk) throw new TypeError('createTemperServer: retention.auditArchive must be { dir: string } or { write(entries, batch) }');
    if (a.erase !== undefined && typeof a.erase !== 'function') throw new TypeError('createTemperServer: retention.auditArchive.erase must be a function');
    archive = r.auditArchive;
  }
  return { transcriptsMs: transcripts * DAY, signalsMs: signals * DAY, staffNamesMs: names * DAY, auditMs, sweepMs, archive };
}

export interface RetentionDeps {
  store: Store;
  coordination: Coordination;
  now: () => number;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
  /** Deletes a conversation the way the server does (streams ended, audit pseudonymised). */
  deleteConversation(id: string): Promise<boolean>;
  stats: RetentionStats;
}

const PAGE = 100;
const AUDIT_PAGE = 1000;
const LOCK = 'temper:retention';

/** Conversations a sweep works on at once: independent store calls, overlapped so round trips add up less. */
const PARALLEL = 10;

/** Runs `fn` over `items`, at most `PARALLEL` at a time; the first failure rejects (after the batch it is in). */
async function inParallel<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += PARALLEL) await Promise.all(items.slice(i, i + PARALLEL).map(fn));
}

const iso = (t: number) => new Date(t).toISOString().replace(/[:.]/g, '-');

export function createRetention(c: RetentionConfig, d: RetentionDeps) {
  const { store, now, log } = d;
  /**
   * Where the signal and staff-name passes resume: conversations active before it were handled by an earlier
   * sweep of this instance (activity only moves forward). A new instance starts at the transcript cutoff.
   */
  const cursor: { signals?: number; names?: number } = {};

  /**
   * Calls `fn` for every conversation active in [from, before), oldest first. Pages resume at the last page's
   * time (inclusive, skipping ids already done); a page that is all one time — more conversations at one ms
   * than a page holds — is asked for again twice as large, so ties never stall the pass.
   */
  async function eachInactive(from: number, before: number, fn: (r: ConversationRecord) => Promise<void>): Promise<void> {
    const done = new Set<string>();
    let at = from;
    let limit = PAGE;
    for (;;) {
      const page = await store.listInactive({ before, from: at, limit });
      const fresh = page.filter((r) => !done.has(r.id));
      await inParallel(fresh, async (r) => {
        await fn(r);
        done.add(r.id);
      });
      if (page.length < limit) return;
      const lastAt = activeAt(page[page.length - 1]!);
      if (lastAt === at && fresh.length < page.length) limit *= 2;
      else [at, limit] = [lastAt, PAGE];
    }
  }

  async function archiveAudit(before: number, run: RetentionRun): Promise<void> {
    const archive = c.archive;
    if (!archive) return;
    let from: number | undefined;
    let limit = AUDIT_PAGE;
    let index = 0;
    let file: string | null = null;
    let tmp: string | null = null;
    for (;;) {
      const page = await store.readAudit({ ...(from === undefined ? {} : { from }), to: before, limit });
      if (page.length === 0) break;
      let batch = page;
      let last = false;
      if (page.length === limit) {
        const lastAt = page[page.length - 1]!.at;
        // Entries with the page's last time may go on in the next page: take them with the next one.
        batch = page.filter((e) => e.at < lastAt);
        if (batch.length === 0) {
          limit *= 2;
          continue;
        }
        from = lastAt;
        limit = AUDIT_PAGE;
      } else last = true;
      if ('dir' in archive) {
        if (file === null) {
          await mkdir(archive.dir, { recursive: true });
          file = join(archive.dir, `temper-audit-${iso(batch[0]!.at)}--${iso(before)}.jsonl`);
          tmp = `${file}.tmp`;
          await writeFile(tmp, '');
        }
        await appendFile(tmp!, batch.map((e) => JSON.stringify(e)).join('\n') + '\n');
      } else await archive.write(batch, { before, index });
      index++;
      run.auditArchived += batch.length;
      if (last) break;
    }
    if (file !== null && tmp !== null) {
      await rename(tmp, file);
      run.files.push(file);
    }
  }

  async function sweep(): Promise<RetentionRun> {
    const t = now();
    const run: RetentionRun = { skipped: false, at: t, transcriptsDeleted: 0, signalsCleared: 0, staffNamesRemoved: 0, auditArchived: 0, auditPruned: 0, files: [] };
    // 1. Transcripts: deleted ones leave the index, so the first page is always the next one.
    const transcriptCut = t - c.transcriptsMs;
    for (;;) {
      const page = await store.listInactive({ before: transcriptCut, limit: PAGE });
      let deleted = 0;
      await inParallel(page, async (r) => {
        if (await d.deleteConversation(r.id)) deleted++;
      });
      run.transcriptsDeleted += deleted;
      if (page.length < PAGE || deleted === 0) break;
    }
    // 2. Signals, 3. staff names: from where this instance's last sweep stopped.
    const signalCut = t - c.signalsMs;
    if (signalCut > transcriptCut)
      await eachInactive(cursor.signals ?? transcriptCut, signalCut, async (r) => {
        if ((await store.getSignalState(r.id)) !== null && (await store.clearSignals(r.id))) run.signalsCleared++;
      });
    cursor.signals = signalCut;
    const nameCut = t - c.staffNamesMs;
    if (nameCut > transcriptCut)
      await eachInactive(cursor.names ?? transcriptCut, nameCut, async (r) => {
        const m = r.meta as { agentName?: unknown; lastAgentName?: unknown };
        const known = [m.agentName, m.lastAgentName].filter((x): x is string => typeof x === 'string');
        run.staffNamesRemoved += await store.redactStaffNames(r.id, known);
        // A chat an agent still holds keeps the name its console shows.
        if (r.state !== 'agent' && ((m.agentName ?? null) !== null || (m.lastAgentName ?? null) !== null)) {
          await store.updateConversation(r.id, { meta: { agentName: null, lastAgentName: null } });
          run.staffNamesRemoved++;
        }
      });
    cursor.names = nameCut;
    // 4. Audit: archived first (if configured), then pruned. A failed archive keeps the entries for next time.
    const auditCut = t - c.auditMs;
    await archiveAudit(auditCut, run);
    run.auditPruned = await store.pruneAudit(auditCut);
    if (c.archive && run.auditPruned !== run.auditArchived)
      log('warn', 'retention: audit entries pruned differ from those archived (an entry was written in the past meanwhile)', { archived: run.auditArchived, pruned: run.auditPruned });
    return run;
  }

  let running: Promise<RetentionRun> | null = null;

  /** One sweep now, unless another instance is sweeping (then `skipped`). Rejects when the sweep failed. */
  function runOnce(): Promise<RetentionRun> {
    running ??= (async () => {
      const s = d.stats;
      try {
        const r = await d.coordination.withLock(LOCK, sweep, { leaseMs: 60_000, waitMs: 0 });
        s.runs++;
        s.lastRunAt = now();
        s.transcriptsDeleted += r.transcriptsDeleted;
        s.signalsCleared += r.signalsCleared;
        s.staffNamesRemoved += r.staffNamesRemoved;
        s.auditArchived += r.auditArchived;
        s.auditPruned += r.auditPruned;
        if (r.transcriptsDeleted + r.signalsCleared + r.staffNamesRemoved + r.auditPruned > 0)
          log('info', 'retention sweep', { transcriptsDeleted: r.transcriptsDeleted, signalsCleared: r.signalsCleared, staffNamesRemoved: r.staffNamesRemoved, auditArchived: r.auditArchived, auditPruned: r.auditPruned, files: r.files });
        return r;
      } catch (e) {
        if (e instanceof LockTimeoutError) {
          s.skipped++;
          return { skipped: true, at: now(), transcriptsDeleted: 0, signalsCleared: 0, staffNamesRemoved: 0, auditArchived: 0, auditPruned: 0, files: [] };
        }
        s.failures++;
        log('error', 'retention sweep failed', { error: e instanceof Error ? e.message : String(e) });
        throw e;
      }
    })().finally(() => (running = null));
    return running;
  }

  const timer = setInterval(() => void runOnce().catch(() => undefined), c.sweepMs);
  timer.unref();

  return {
    run: runOnce,
    /** Without an archive the server may prune at read time too (reports); with one only the sweep prunes. */
    pruneAuditNow: (): Promise<number> => (c.archive ? Promise.resolve(0) : store.pruneAudit(now() - c.auditMs)),
    async close(): Promise<void> {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}

/**
 * Data-subject erasure reaches folder archives too: every `temper-audit-*.jsonl` file in `dir` holding entries
 * of `conversationId` is rewritten with those entries anonymised (temporary file, then rename). Resolves the
 * files it rewrote.
 *
 * @example
 * await anonymiseArchive('/var/lib/temper/audit', 'Xk2…');
 */
export async function anonymiseArchive(dir: string, conversationId: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return [];
    throw e;
  }
  const needle = `"conversationId":${JSON.stringify(conversationId)}`;
  const out: string[] = [];
  for (const name of names.filter((n) => /^temper-audit-.*\.jsonl$/.test(n)).sort()) {
    const file = join(dir, name);
    const text = await readFile(file, 'utf8');
    if (!text.includes(needle)) continue;
    const lines = text.split('\n').filter((l) => l !== '');
    const entries = lines.map((l) => JSON.parse(l) as AuditEntry);
    const mine = entries.filter((e) => e.conversationId === conversationId);
    const anon = anonymiseConversationAudit(mine);
    let i = 0;
    const next = entries.map((e) => (e.conversationId === conversationId ? anon[i++]! : e));
    await writeFile(`${file}.tmp`, next.map((e) => JSON.stringify(e)).join('\n') + '\n');
    await rename(`${file}.tmp`, file);
    out.push(file);
  }
  return out;
}
