// The shop's privacy page renders the SDK's egress manifest, so what a privacy officer reads is generated
// from the same definitions the code validates against.
import type { EgressManifest, ManifestField } from '@temper/protocol';
import { layout } from './pages.ts';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function range(f: ManifestField): string {
  if (f.values) return `one of ${f.values.map((v) => JSON.stringify(v)).join(', ')}`;
  if (f.min !== undefined) return `${f.min} … ${f.max}`;
  if (f.maxLength !== undefined) return `${f.minLength}–${f.maxLength} characters${f.pattern ? `, /${f.pattern}/` : ''}`;
  return '';
}

export function privacyPage(m: EgressManifest): string {
  const rows = m.requests
    .flatMap((r) =>
      (r.body?.fields ?? []).map(
        (f) => `<tr><td><code>${r.method} ${esc(m.apiBase + r.path)}</code></td><td><code>${esc(f.name)}</code></td>` +
          `<td>${f.type}</td><td>${esc(range(f))}</td><td>${f.userText ? '<strong>yes</strong>' : 'no'}</td><td>${esc(f.purpose)}</td></tr>`,
      ),
    )
    .join('\n        ');
  const reqs = m.requests
    .map((r) => `<tr><td><code>${r.method} ${esc(m.apiBase + r.path)}</code></td><td>${esc(r.purpose)}</td><td>${esc(r.when)}</td>` +
      `<td>${r.headers.map((h) => `<code>${esc(h.name)}</code>`).join(', ')}</td></tr>`)
    .join('\n        ');
  const storage = m.storage
    .map((s) => `<tr><td>${s.area}</td><td><code>${esc(s.key)}</code></td><td>${esc(s.holds)}</td><td>${esc(s.deleted)}</td></tr>`)
    .join('\n        ');
  return layout(
    'Privacy',
    `    <div class="privacy">
    <h1>What the chat sends</h1>
    <p>The chat on this site uses Temper. Mood detection runs on your device; only a coarse calm-to-frustrated
    level and its trend are shared, never text or scores. This table is generated from the SDK's
    <a href="/temper/egress-manifest.json">egress manifest</a>: the SDK can send nothing else.</p>
    <h2>Requests</h2>
    <table id="requests">
      <thead><tr><th>Request</th><th>Purpose</th><th>When</th><th>Headers set by the SDK</th></tr></thead>
      <tbody>
        ${reqs}
      </tbody>
    </table>
    <h2>Fields</h2>
    <table id="fields">
      <thead><tr><th>Request</th><th>Field</th><th>Type</th><th>Range</th><th>Typed by you</th><th>Purpose</th></tr></thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
    <h2>Stored on your device</h2>
    <table id="storage">
      <thead><tr><th>Where</th><th>Key</th><th>Holds</th><th>Deleted</th></tr></thead>
      <tbody>
        ${storage}
      </tbody>
    </table>
    <h2>Never sent</h2>
    <ul>
      ${m.neverSent.map((n) => `<li>${esc(n)}</li>`).join('\n      ')}
    </ul>
    </div>`,
    '/privacy',
  );
}
