// PRIVACY.md's inventory must be what scripts/gen-privacy.ts renders from the committed egress manifest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { END, START, privacyPath, readManifest, renderInventory, updatePrivacy } from '../gen-privacy.ts';

test('PRIVACY.md holds the inventory generated from egress-manifest.json (run `npm run build` if not)', () => {
  const doc = readFileSync(privacyPath, 'utf8');
  assert.equal(doc, updatePrivacy(doc, readManifest()), 'PRIVACY.md is stale: run `npm run build` (or `node --import tsx scripts/gen-privacy.ts`)');
});

test('the inventory names every request, field, storage key and never-sent item of the manifest', () => {
  const m = readManifest();
  const md = renderInventory(m);
  for (const r of m.requests) {
    assert.ok(md.includes(`\`${r.method} ${m.apiBase}${r.path}\``), r.id);
    for (const f of r.body?.fields ?? []) assert.ok(md.includes(`| \`${r.method} ${r.path}\` | \`${f.name}\` |`), `${r.id}.${f.name}`);
  }
  // One row per key, naming every area the key can live in (issue 12: the same keys were listed twice).
  for (const s of m.storage) {
    const rows = md.split('\n').filter((l) => l.startsWith(`| \`${s.key}\` |`));
    assert.equal(rows.length, 1, `${s.key} listed once`);
    assert.ok(rows[0]!.includes(s.area === 'indexedDB' ? 'IndexedDB' : s.area), `${s.area} ${s.key}`);
  }
  for (const a of m.assets) assert.ok(md.includes(`| \`${a.file}\` |`), a.file);
  for (const n of m.neverSent) assert.ok(md.includes(`- ${n}`), n);
});

test('a changed manifest makes the check fail, and missing markers are an error', () => {
  const m = readManifest();
  const doc = `intro\n${START}\n${renderInventory(m)}\n${END}\noutro\n`;
  assert.equal(updatePrivacy(doc, m), doc);
  const grown = { ...m, neverSent: [...m.neverSent, 'Something new.'] } as unknown as typeof m;
  assert.notEqual(updatePrivacy(doc, grown), doc);
  assert.throws(() => updatePrivacy('no markers here', m), /needs the markers/);
});
