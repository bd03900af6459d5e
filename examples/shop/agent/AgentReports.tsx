// Per-agent review on /reports (issue 14): chats, de-escalation (level at claim → at close), time to first reply,
// suggestions used, labels and CSAT, as charts and a table, with the CSV download.
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { AgentReport } from '@temper/server';
import { agentApi, agentBlob, type Auth } from './api.ts';
import { Bars } from './charts.tsx';
import { duration } from './labels.ts';
import { T } from './i18n.ts';

const fmt = (v: number | null, digits = 2) => (v === null ? '—' : v.toFixed(digits));

/**
 * The agents section of the reports page, for the window `[from, to)`.
 *
 * @example
 * <AgentReports auth={auth} from={from} to={to} onSave={save} />
 */
export function AgentReports({ auth, from, to, onSave }: { auth: Auth; from: number; to: number; onSave: (blob: Blob, name: string) => void }) {
  const [report, setReport] = useState<AgentReport | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    agentApi<AgentReport>(auth, 'GET', `/reports/agents?from=${from}&to=${to}`).then(
      (r) => live && setReport(r),
      (e: unknown) => live && setError(T.couldNotLoadAgents(e instanceof Error ? e.message : String(e))),
    );
    return () => {
      live = false;
    };
  }, [from, to]);
  if (error) return <p class="error" role="alert">{error}</p>;
  if (!report) return null;
  const rows = report.agents;
  return (
    <section class="card agent-report" aria-labelledby="c-agents">
      <h2 id="c-agents">{T.agents}</h2>
      <div class="cards">
        <div>
          <h3>{T.deEscalation}</h3>
          <Bars title={T.deEscalationBars} rows={rows.filter((a) => a.meanDeEscalation !== null).map((a) => ({ label: a.agentId, value: Math.max(0, a.meanDeEscalation!) }))} format={(v) => v.toFixed(2)} />
        </div>
        <div>
          <h3>{T.firstReplyTitle}</h3>
          <Bars title={T.firstReplyBars} rows={rows.filter((a) => a.firstReply.medianMs !== null).map((a) => ({ label: a.agentId, value: a.firstReply.medianMs! }))} format={duration} />
        </div>
        <div>
          <h3>{T.chatsTaken}</h3>
          <Bars title={T.chatsBars} rows={rows.map((a) => ({ label: a.agentId, value: a.chats }))} />
        </div>
      </div>
      <table class="data agents-table">
        <thead>
          <tr>
            <th scope="col">{T.agent}</th>
            <th scope="col">{T.colChats}</th>
            <th scope="col">{T.colRouted}</th>
            <th scope="col">{T.colClaimClose}</th>
            <th scope="col">{T.colCalmer}</th>
            <th scope="col">{T.colFirstReply}</th>
            <th scope="col">{T.colSuggestions}</th>
            <th scope="col">{T.colUpset}</th>
            <th scope="col">CSAT</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((a) => (
            <tr key={a.agentId} data-agent-id={a.agentId}>
              <td>
                <bdi>{a.agentId}</bdi>
              </td>
              <td class="num">{a.chats}</td>
              <td class="num">{a.assigned}</td>
              <td class="num">
                {fmt(a.meanLevelAtClaim)} → {fmt(a.meanLevelAtClose)}
              </td>
              <td class="num">{a.deEscalated}</td>
              <td class="num">{a.firstReply.medianMs === null ? '—' : duration(a.firstReply.medianMs)}</td>
              <td class="num">{a.assistUsed}</td>
              <td class="num">
                {a.labels.upset} / {a.labels.notUpset}
              </td>
              <td class="num">{a.csat.count > 0 ? `${fmt(a.csat.mean, 1)} (${a.csat.count})` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="downloads">
        <button type="button" class="download-agents-csv" onClick={() => void agentBlob(auth, `/reports/agents.csv?from=${from}&to=${to}`).then((b) => onSave(b, 'temper-agents.csv'))}>
          {T.agentsCsv}
        </button>
      </div>
    </section>
  );
}
