// Messenger basics (issue 12): the CSAT card of /reports — how visitors rated closed chats, overall, bot vs
// person, per agent, and the latest comments (visitor text: in its own isolate, like every text people wrote).
import { h, Fragment } from 'preact';
import type { CsatReport, CsatSummary } from '@temper/server';
import { Bars } from './charts.tsx';

// --- Messenger basics (issue 12): CSAT labels, en and zh-CN ---
export const CSAT_TEXT = {
  en: {
    title: 'Visitor ratings (CSAT)',
    satisfied: 'rated 4 or 5',
    none: 'No ratings in this period.',
    ratings: (n: number) => `${n} rating${n === 1 ? '' : 's'}`,
    mean: (m: number) => `mean ${m.toFixed(2)} of 5`,
    byRoute: 'By who answered',
    byAgent: 'By agent',
    bot: 'Assistant (bot)',
    human: 'A person',
    who: 'Answered by',
    agent: 'Agent',
    count: 'Ratings',
    meanCol: 'Mean',
    csatCol: 'CSAT',
    distribution: 'Ratings by score',
    stars: (s: number) => `${s} of 5`,
    comments: 'Latest comments',
    noComments: 'No comments yet.',
  },
  'zh-CN': {
    title: '访客评分（CSAT）',
    satisfied: '评 4 或 5 分',
    none: '此期间没有评分。',
    ratings: (n: number) => `${n} 个评分`,
    mean: (m: number) => `平均 ${m.toFixed(2)} 分（满分 5）`,
    byRoute: '按回复方',
    byAgent: '按客服',
    bot: '智能助手',
    human: '人工客服',
    who: '回复方',
    agent: '客服',
    count: '评分数',
    meanCol: '平均分',
    csatCol: 'CSAT',
    distribution: '各分值评分数',
    stars: (s: number) => `${s} 分`,
    comments: '最新留言',
    noComments: '暂无留言。',
  },
} as const;
// --- end of CSAT labels ---

type Text = (typeof CSAT_TEXT)[keyof typeof CSAT_TEXT];
const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)} %`);
const mean = (x: number | null) => (x === null ? '—' : x.toFixed(2));

function Row({ label, s }: { label: string; s: CsatSummary }) {
  return (
    <tr>
      <th scope="row">
        <bdi>{label}</bdi>
      </th>
      <td class="num">{s.count}</td>
      <td class="num">{mean(s.mean)}</td>
      <td class="num">{pct(s.satisfied)}</td>
    </tr>
  );
}

function Head({ t, first }: { t: Text; first: string }) {
  return (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        <th scope="col">{t.count}</th>
        <th scope="col">{t.meanCol}</th>
        <th scope="col">{t.csatCol}</th>
      </tr>
    </thead>
  );
}

/**
 * The CSAT section of the reports page: the share of 4–5 ratings, the mean, the distribution, bot vs person,
 * per agent, and the latest comments.
 *
 * @example
 * {report.csat && <CsatCard csat={report.csat} />}
 */
export function CsatCard({ csat, lang = 'en' }: { csat: CsatReport; lang?: keyof typeof CSAT_TEXT }) {
  const t: Text = CSAT_TEXT[lang];
  return (
    <section class="card csat" aria-labelledby="c-csat">
      <h2 id="c-csat">{t.title}</h2>
      {csat.count === 0 ? (
        <p class="csat-none">{t.none}</p>
      ) : (
        <>
          <p class="big csat-satisfied">{pct(csat.satisfied)}</p>
          <p>
            {t.satisfied} · {t.ratings(csat.count)} · {t.mean(csat.mean ?? 0)}
          </p>
          <Bars title={t.distribution} rows={csat.distribution.map((n, i) => ({ label: t.stars(i + 1), value: n }))} />
          <h3>{t.byRoute}</h3>
          <table class="data csat-by-route">
            <Head t={t} first={t.who} />
            <tbody>
              <Row label={t.bot} s={csat.byRoute.bot} />
              <Row label={t.human} s={csat.byRoute.human} />
            </tbody>
          </table>
          {csat.byAgent.length > 0 && (
            <>
              <h3>{t.byAgent}</h3>
              <table class="data csat-by-agent">
                <Head t={t} first={t.agent} />
                <tbody>
                  {csat.byAgent.map((a) => (
                    <Row key={a.agentId} label={a.agentName} s={a} />
                  ))}
                </tbody>
              </table>
            </>
          )}
          <h3>{t.comments}</h3>
          {csat.comments.length === 0 ? (
            <p>{t.noComments}</p>
          ) : (
            <ul class="csat-comments">
              {csat.comments.map((c) => (
                <li key={c.conversationId} data-score={c.score}>
                  <span class="csat-score">{t.stars(c.score)}</span> · <bdi>{c.agentName ?? (c.route === 'bot' ? t.bot : t.human)}</bdi> ·{' '}
                  <time dateTime={new Date(c.at).toISOString()}>{new Date(c.at).toLocaleString()}</time>
                  {/* Visitor text, never HTML: Preact sets it as a text node. */}
                  <p class="csat-comment" dir="auto">
                    {c.comment}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
