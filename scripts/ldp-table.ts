// Prints what local differential privacy on the level costs: `node --import tsx scripts/ldp-table.ts`.
// k-ary randomized response over the 4 levels: truth kept with p = e^ε/(e^ε+3), else one of the 3 others.
import { ldpTruthProbability } from '../packages/scorer/src/minimizer.ts';

const rows = [['ε', 'P(true level)', 'P(≥2 | true 0)', 'P(<2 | true 2)', 'sd of a share, n=1000', 'n for ±5% (95%)']];
for (const eps of [0.5, 1, 2, 4]) {
  const p = ldpTruthProbability(eps);
  const q = (1 - p) / 3;
  rows.push([
    String(eps),
    p.toFixed(3),
    // A calm conversation reported as frustrated or angry (a false handoff trigger) …
    (2 * q).toFixed(3),
    // … and a frustrated one reported as calm or uneasy (a missed one).
    (2 * q).toFixed(3),
    (Math.sqrt(0.25 / 1000) / (p - q)).toFixed(3),
    String(Math.ceil((1.96 * 0.5) ** 2 / 0.05 ** 2 / (p - q) ** 2)),
  ]);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(`| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`);
