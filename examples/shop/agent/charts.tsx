// Small hand-written SVG charts for the reports page. Colours come from classes in console.css (the CSP allows
// no style attributes); every chart has a title/description for screen readers and the page also shows the
// numbers as text.
import { h } from 'preact';
import { LEVEL_NAMES } from '@temper/protocol';
import { T } from './i18n.ts';

export interface LevelBucket {
  start: number;
  counts: [number, number, number, number];
}

const W = 640;

function fmtTime(t: number, bucketMs: number): string {
  const d = new Date(t);
  if (bucketMs >= 86_400_000) return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/**
 * Conversations by their highest level in each time bucket, as stacked bars (calm at the bottom).
 *
 * @example
 * <LevelChart buckets={report.levels} bucketMs={report.bucketMs} />
 */
export function LevelChart({ buckets, bucketMs }: { buckets: LevelBucket[]; bucketMs: number }) {
  const H = 200;
  const pad = { l: 32, r: 8, t: 8, b: 24 };
  const max = Math.max(1, ...buckets.map((b) => b.counts.reduce((a, c) => a + c, 0)));
  const n = Math.max(1, buckets.length);
  const slot = (W - pad.l - pad.r) / n;
  const bw = Math.max(1, slot * 0.8);
  const y = (v: number) => pad.t + (H - pad.t - pad.b) * (1 - v / max);
  const labelEvery = Math.max(1, Math.ceil(n / 8));
  return (
    <svg class="chart level-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="lc-title lc-desc">
      <title id="lc-title">{T.levelsOverTime}</title>
      <desc id="lc-desc">{T.levelChartDesc}</desc>
      <line class="axis" x1={pad.l} x2={W - pad.r} y1={y(0)} y2={y(0)} />
      <text x={pad.l - 4} y={y(max) + 4} text-anchor="end">
        {max}
      </text>
      <text x={pad.l - 4} y={y(0)} text-anchor="end">
        0
      </text>
      {buckets.map((b, i) => {
        let acc = 0;
        const x = pad.l + i * slot + (slot - bw) / 2;
        return (
          <g key={b.start}>
            {b.counts.map((c, lvl) => {
              if (c === 0) return null;
              const top = y(acc + c);
              const bottom = y(acc);
              acc += c;
              return (
                <rect key={lvl} class={`bar-${lvl}`} x={x} y={top} width={bw} height={Math.max(0.5, bottom - top)}>
                  <title>{`${fmtTime(b.start, bucketMs)}: ${c} ${T.levels[lvl] ?? LEVEL_NAMES[lvl as 0 | 1 | 2 | 3]}`}</title>
                </rect>
              );
            })}
            {i % labelEvery === 0 && (
              <text x={x + bw / 2} y={H - 6} text-anchor="middle">
                {fmtTime(b.start, bucketMs)}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

/**
 * A ring showing a share (0..1), e.g. the handoff rate.
 *
 * @example
 * <Ring value={report.handoffRate} label="Handoff rate" />
 */
export function Ring({ value, label }: { value: number; label: string }) {
  const r = 40;
  const c = 2 * Math.PI * r;
  const v = Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0));
  return (
    <svg class="chart ring-chart" viewBox="0 0 120 120" width="120" height="120" role="img" aria-label={`${label}: ${Math.round(v * 100)}%`}>
      <circle class="ring-bg" cx="60" cy="60" r={r} />
      <circle
        class="ring"
        cx="60"
        cy="60"
        r={r}
        stroke-dasharray={`${c * v} ${c}`}
        transform="rotate(-90 60 60)"
      />
      <text x="60" y="66" text-anchor="middle" class="ring-text">
        {`${Math.round(v * 100)}%`}
      </text>
    </svg>
  );
}

/**
 * Horizontal bars with labels and values, e.g. decisions by reason or the time-to-person figures.
 *
 * @example
 * <Bars title="Decisions by reason" rows={[{ label: 'calm', value: 12 }]} />
 */
export function Bars({ title, rows, format = String }: { title: string; rows: Array<{ label: string; value: number }>; format?: (v: number) => string }) {
  const rowH = 22;
  const labelW = 190;
  const valueW = 70;
  const H = Math.max(1, rows.length) * rowH + 4;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const span = W - labelW - valueW;
  return (
    <svg class="chart bars-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title}: ${rows.map((r) => `${r.label} ${format(r.value)}`).join(', ') || 'no data'}`}>
      {rows.length === 0 && (
        <text x="4" y="16">
          No data in this period.
        </text>
      )}
      {rows.map((r, i) => (
        <g key={r.label}>
          <text x={labelW - 6} y={i * rowH + 15} text-anchor="end">
            {r.label}
          </text>
          <rect class="bar" x={labelW} y={i * rowH + 4} width={Math.max(r.value > 0 ? 1 : 0, (span * r.value) / max)} height={rowH - 8} />
          <text x={labelW + (span * r.value) / max + 6} y={i * rowH + 15}>
            {format(r.value)}
          </text>
        </g>
      ))}
    </svg>
  );
}
