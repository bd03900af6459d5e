// Scheduled reports: the period that just ended, as JSON and CSV, to a folder and as a signed webhook; once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore, lastPeriod, type AuditEntry } from '@temper/server';
import { startReceiver } from '../../../examples/webhook-receiver/receiver.ts';
import { start, until } from './helpers.ts';

const T = Date.UTC(2026, 11, 2, 0, 5); // Wednesday 2 December 2026, 00:05 UTC
const HOOK = 'webhook-secret-webhook-secret-0123456789';

test('periods are UTC days, ISO weeks and calendar months', () => {
  assert.deepEqual(lastPeriod('day', T), { from: Date.UTC(2026, 11, 1), to: Date.UTC(2026, 11, 2) });
  assert.deepEqual(lastPeriod('week', T), { from: Date.UTC(2026, 10, 23), to: Date.UTC(2026, 10, 30) });
  assert.deepEqual(lastPeriod('month', T), { from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 11, 1) });
  assert.deepEqual(lastPeriod('month', Date.UTC(2027, 0, 3)), { from: Date.UTC(2026, 11, 1), to: Date.UTC(2027, 0, 1) });
});

test('the day that ended is written to a folder and sent to the webhook, once; bad options are refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'temper-reports-'));
  const store = createMemoryStore();
  const day = Date.UTC(2026, 11, 1, 10);
  const e = (at: number, action: AuditEntry['action'], over: Partial<AuditEntry> = {}): AuditEntry => ({ at, conversationId: 'conv-000001', action, level: 2, trend: 0, reasons: [], ...over });
  await store.appendAudit(e(day, 'decision', { route: 'human', reasons: ['level-high'] }));
  await store.appendAudit(e(day + 1, 'queued'));
  await store.appendAudit(e(day + 2, 'claimed', { agentId: 'ana', waitMs: 2000, level: 3 }));
  await store.appendAudit(e(day + 3, 'replied', { agentId: 'ana', waitMs: 1500 }));
  await store.appendAudit(e(day + 4, 'closed', { agentId: 'ana', level: 1 }));
  await store.appendAudit(e(Date.UTC(2026, 11, 2, 0, 1), 'opened', { level: null }), );
  const r = await startReceiver({ secret: HOOK });
  const s = await start({ store, now: () => T, webhooks: { url: r.url, secret: HOOK, pollMs: 20 }, reports: { schedule: [{ period: 'day', to: { dir } }, { period: 'day', to: { webhook: true } }], checkMs: 30 } });
  s.clock.t = T;
  try {
    await until(() => existsSync(join(dir, 'temper-day-2026-12-01-agents.csv')) && r.events.length === 1, 'the reports');
    const json = JSON.parse(readFileSync(join(dir, 'temper-day-2026-12-01.json'), 'utf8'));
    assert.deepEqual([json.period, json.from, json.to, json.report.handoffs, json.report.outcomes.claimed], ['day', Date.UTC(2026, 11, 1), Date.UTC(2026, 11, 2), 1, 1]);
    assert.deepEqual(json.agents.map((a: { agentId: string; chats: number; meanDeEscalation: number }) => [a.agentId, a.chats, a.meanDeEscalation]), [['ana', 1, 2]]);
    // Report privacy (issue 15): one chat is below the default minCount 5, so the CSVs show <5 and no means.
    assert.match(readFileSync(join(dir, 'temper-day-2026-12-01-agents.csv'), 'utf8'), /\r\nana,<5,0,<5,,,,<5,<5,,,0,0,0,0,\r\n/);
    assert.match(readFileSync(join(dir, 'temper-day-2026-12-01-summary.csv'), 'utf8'), /\r\nhandoffs,<5\r\n/);
    const hook = r.events[0]!;
    assert.deepEqual([hook.type, hook.id, (hook.data as { period: string }).period], ['report.created', 'wh_report_day_20261201', 'day']);
    assert.match((hook.data as { csv: { agents: string } }).csv.agents, /^agent_id,/);
    // More checks later: nothing is made twice.
    await new Promise((res) => setTimeout(res, 120));
    assert.deepEqual(readdirSync(dir).sort(), ['temper-day-2026-12-01-agents.csv', 'temper-day-2026-12-01-summary.csv', 'temper-day-2026-12-01.json']);
    assert.equal(r.requests.length, 1);
  } finally {
    await s.close();
    await r.close();
    rmSync(dir, { recursive: true, force: true });
  }
  await assert.rejects(start({ reports: { schedule: [{ period: 'year' as 'day', to: { dir } }] } }), /period must be one of day, week, month/);
  await assert.rejects(start({ reports: { schedule: [{ period: 'day', to: { webhook: true } }] } }), /need the webhooks option/);
});
