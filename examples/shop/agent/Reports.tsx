import { h, Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { LEVEL_NAMES } from '@temper/protocol';
import type { CallbackItem, Report } from '@temper/server';
import { agentApi, agentBlob, saveBlob as save, type Auth } from './api.ts';
import { Bars, LevelChart, Ring } from './charts.tsx';
import { describeReason, duration } from './labels.ts';
import { CsatCard } from './CsatReport.tsx';
import { otherLanguageHref, staffLocale, T } from './i18n.ts';
import { AgentReports } from './AgentReports.tsx';

const RANGES = {
  hour: { label: 'Last hour', ms: 3_600_000, bucket: 'minute' },
  day: { label: 'Last 24 hours', ms: 86_400_000, bucket: 'hour' },
  week: { label: 'Last 7 days', ms: 7 * 86_400_000, bucket: 'hour' },
  month: { label: 'Last 30 days', ms: 30 * 86_400_000, bucket: 'day' },
} as const;
type RangeKey = keyof typeof RANGES;

const CSV_TABLES = [
  ['summary', 'Summary'],
  ['levels', 'Levels over time'],
  ['reasons', 'Decisions by reason'],
  ['time-to-person', 'Time to a person'],
  ['csat', 'Ratings (CSAT)'],
] as const;

/**
 * The supervisors' reports: level distribution over time, handoff rate, time to a person and decisions by
 * reason, drawn as small SVG charts, with JSON and CSV downloads.
 *
 * @example
 * render(<Reports auth={auth} onSignOut={…} />, app);
 */
export function Reports({ auth, onSignOut }: { auth: Auth; onSignOut: () => void }) {
  const [range, setRange] = useState<RangeKey>('day');
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(false);
  const [query, setQuery] = useState('');
  /** Callback requests still open (issue 12): contacts, for staff only. */
  const [callbacks, setCallbacks] = useState<CallbackItem[]>([]);

  const load = async (key: RangeKey) => {
    const r = RANGES[key];
    const to = Date.now() + 1;
    const q = `?from=${to - r.ms}&to=${to}&bucket=${r.bucket}`;
    setLoading(true);
    setError('');
    try {
      const [r, cb] = await Promise.all([agentApi<Report>(auth, 'GET', `/reports${q}`), agentApi<{ items: CallbackItem[] }>(auth, 'GET', '/callbacks')]);
      setReport(r);
      setCallbacks(cb.items);
      setQuery(q);
    } catch (e) {
      setError(T.couldNotLoadReport(e instanceof Error ? e.message : String(e)));
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    void load(range);
  }, [range]);

  const download = async (path: string, name: string) => {
    setError('');
    try {
      save(await agentBlob(auth, path), name);
    } catch (e) {
      setError(T.downloadFailed(e instanceof Error ? e.message : String(e)));
    }
  };

  const reasons = report
    ? Object.entries(report.decisionsByReason)
        .filter(([, n]) => n > 0)
        .sort((a, b) => b[1] - a[1])
        .map(([r, n]) => ({ label: describeReason(r), value: n }))
    : [];
  const ttp = report?.timeToPerson;

  return (
    <main class="reports" aria-busy={loading}>
      <header class="bar">
        <h1>{T.reports}</h1>
        <p class="who-am-i">
          {T.signedInAs}{' '}
          <strong>
            <bdi>{auth.name}</bdi>
          </strong>{' '}
          ({T.roleName(auth.role)})
        </p>
        <a href="/agent">{T.consoleTitle}</a>
        <a href={otherLanguageHref()} lang={staffLocale() === 'zh-CN' ? 'en' : 'zh-CN'} class="lang-switch">
          {T.otherLanguage}
        </a>
        <button type="button" class="signout" onClick={onSignOut}>
          {T.signOut}
        </button>
      </header>
      <div class="controls">
        <label>
          {T.period}
          <select value={range} onChange={(e) => setRange((e.currentTarget as HTMLSelectElement).value as RangeKey)}>
            {Object.entries(RANGES).map(([k, v]) => (
              <option key={k} value={k}>
                {T.ranges[k as RangeKey] ?? v.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" class="refresh" onClick={() => void load(range)}>
          {T.refresh}
        </button>
        <div class="downloads" role="group" aria-label={T.downloads}>
          <button type="button" class="download-json" disabled={!query} onClick={() => void download(`/reports${query}`, 'temper-report.json')}>
            JSON
          </button>
          {CSV_TABLES.map(([t, label]) => (
            <button
              key={t}
              type="button"
              class={`download-csv csv-${t}`}
              disabled={!query}
              onClick={() => void download(`/reports.csv${query}&table=${t}`, `temper-${t}.csv`)}
            >
              CSV: {T.csvTables[t] ?? label}
            </button>
          ))}
        </div>
      </div>
      <p class="error" role="alert">
        {error}
      </p>
      {report && (
        <>
          <div class="cards">
            <section class="card" aria-labelledby="c-conv">
              <h2 id="c-conv">{T.conversations}</h2>
              <p class="big conversations">{report.conversations}</p>
              <p>{T.routingDecisions(report.decisions)}</p>
            </section>
            <section class="card" aria-labelledby="c-rate">
              <h2 id="c-rate">{T.handoffRate}</h2>
              <Ring value={report.handoffRate} label={T.handoffRate} />
              <p class="handoffs">
                {T.handedToPerson(report.handoffs, report.conversations)}
              </p>
            </section>
            <section class="card" aria-labelledby="c-ttp">
              <h2 id="c-ttp">{T.timeToPerson}</h2>
              <p class="big">{ttp && ttp.count > 0 ? duration(ttp.medianMs ?? 0) : '—'}</p>
              <p>
                {T.medianOf(ttp?.count ?? 0)}
                {ttp && ttp.count > 0 ? ` · p90 ${duration(ttp.p90Ms ?? 0)} · max ${duration(ttp.maxMs ?? 0)}` : ''}
              </p>
            </section>
            <section class="card" aria-labelledby="c-out">
              <h2 id="c-out">{T.outcomes}</h2>
              <p>
                {T.outcomeLine(report.outcomes.claimed, report.outcomes.released, report.outcomes.closed)}
              </p>
              <p>
                {T.routesLine(report.decisionsByRoute.bot, report.decisionsByRoute.human)}
              </p>
            </section>
          </div>
          {report.csat && <CsatCard csat={report.csat} lang={document.documentElement.lang === 'zh-CN' ? 'zh-CN' : 'en'} />}
          <section class="card" aria-labelledby="c-levels">
            <h2 id="c-levels">{T.levelsOverTime}</h2>
            <LevelChart buckets={report.levels} bucketMs={report.bucketMs} />
            <p class="hint">{T.levelsHint}</p>
            <ul class="legend" aria-hidden="true">
              {LEVEL_NAMES.map((n, i) => (
                <li key={n}>
                  <span class={`swatch l${i}`} />
                  {i} {T.levels[i] ?? n}
                </li>
              ))}
            </ul>
            <details>
              <summary>{T.showAsTable}</summary>
              <table class="data">
                <thead>
                  <tr>
                    <th scope="col">{T.colFrom}</th>
                    {LEVEL_NAMES.map((n) => (
                      <th key={n} scope="col">
                        {T.levels[LEVEL_NAMES.indexOf(n)] ?? n}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {report.levels
                    .filter((b) => b.counts.some((c) => c > 0))
                    .map((b) => (
                      <tr key={b.start}>
                        <th scope="row">{new Date(b.start).toLocaleString()}</th>
                        {b.counts.map((c, i) => (
                          <td key={i} class="num">
                            {c}
                          </td>
                        ))}
                      </tr>
                    ))}
                </tbody>
              </table>
            </details>
          </section>
          <section class="card callbacks-report" aria-labelledby="c-callbacks">
            <h2 id="c-callbacks">{T.callbackRequested}</h2>
            <p class="callbacks-count">
              {T.callbacksCount(report.callbacksRequested, report.abandoned)}
            </p>
            {callbacks.length > 0 && (
              <table>
                <caption>{T.openCallbacks}</caption>
                <thead>
                  <tr>
                    <th scope="col">{T.colContact}</th>
                    <th scope="col">{T.colKind}</th>
                    <th scope="col">{T.colLeftAt}</th>
                    <th scope="col">{T.chat}</th>
                  </tr>
                </thead>
                <tbody>
                  {callbacks.map((c) => (
                    <tr key={c.conversationId} data-conversation-id={c.conversationId}>
                      <td>
                        <bdi class="contact">{c.contact}</bdi>
                      </td>
                      <td>{T.callbackKind(c.kind)}</td>
                      <td>{new Date(c.at).toLocaleString()}</td>
                      <td>{c.state}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section class="card" aria-labelledby="c-reasons">
            <h2 id="c-reasons">{T.decisionsByReason}</h2>
            <Bars title={T.decisionsByReason} rows={reasons} />
          </section>
          {ttp && ttp.count > 0 && (
            <section class="card" aria-labelledby="c-ttp2">
              <h2 id="c-ttp2">{T.timeToPersonDetail}</h2>
              <Bars
                title={T.timeToPerson}
                rows={[
                  { label: T.statMean, value: ttp.meanMs ?? 0 },
                  { label: T.statMedian, value: ttp.medianMs ?? 0 },
                  { label: 'p90', value: ttp.p90Ms ?? 0 },
                  { label: 'max', value: ttp.maxMs ?? 0 },
                ]}
                format={duration}
              />
            </section>
          )}
          {/* Per-agent review (issue 14). */}
          <AgentReports auth={auth} from={report.from} to={report.to} onSave={save} />
        </>
      )}
    </main>
  );
}
