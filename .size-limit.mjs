// Size budgets (size-limit): what a user pays for, by name. The file names come from the build's manifests
// (packages/widget/dist/cdn/manifest.json, packages/assets/dist/assets.json), never from a second list.
// Limits move only by hand, in a commit that says why. gzip -9 where today's budgets were set in gzip; brotli
// where the target is given in brotli (the model). `npm run size` checks them; the build only prints them.
import { readFileSync } from 'node:fs';

const cdn = 'packages/widget/dist/cdn/';
const assets = 'packages/assets/dist/';
let manifest;
try {
  manifest = JSON.parse(readFileSync(`${cdn}manifest.json`, 'utf8'));
} catch (e) {
  throw new Error(`size-limit: ${cdn}manifest.json is missing (${e.message}); run \`npm run build\` first`);
}
/** A CDN file with every chunk it imports statically (what the browser fetches when that file loads). */
const closure = (...names) => [...new Set(names.flatMap((n) => [manifest.files[n].file, ...manifest.files[n].imports]))].map((f) => cdn + f);
const file = { disablePlugins: ['@size-limit/esbuild'] };

/**
 * The app developer's path: esbuild bundles `import { createWidget } from '@temper/widget'` for the browser; what
 * the widget loads with `import()` (panel, scoring glue, scorer) stays out, as an app's bundler splits it into
 * lazy chunks: the figure is what the widget adds to the app's entry chunk.
 */
const lazyStaysOut = {
  name: 'lazy-stays-out',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (a) => (a.kind === 'dynamic-import' ? { path: a.path, external: true } : undefined));
  },
};
const npmEntry = (c) => ({ ...c, format: 'esm', platform: 'browser', plugins: [...(c.plugins ?? []), lazyStaysOut] });

export default [
  { name: 'snippet', path: closure('snippet'), limit: '1 KiB', gzip: true, ...file },
  // 5 KiB → 5.3 KiB for issue 12 (defect 5): the launcher places the widget over the visual viewport itself
  // (VisualViewport tracking, the RTL containing-block correction, the host-as-viewport CSS: +262 B gz), so it is
  // on-screen on pages wider than the phone before the panel chunk loads (5,388 B measured at the move).
  // 5.3 → 5.4 KiB (5,529 B) for issue 13 item 2: the idle-preload rule in the launcher (only after the notice was
  // seen, not on Save-Data or 2g, after the page's load: ≈ 89 B gz) and the content-hashed lazy names (≈ 16 B);
  // 5,474 B measured at the move, on main as of 13:10 UTC.
  // 5.4 → 5.45 KiB (5,580 B) for issue 12 (defect 11): the conversation's language (prefs.locale, set by the visitor's
  // switch or what they write) applied by the core to the launcher and the panel; 5,543 B measured at the move.
  // 5.45 → 5.6 KiB (5,734 B) by hand for issue 15 (finding 2): the idle expiry must run at boot, before the launcher
  // shows anything, so it is in temper.js (activeAt/outbox times vs idleExpiryHours, deleting three keys: ≈ 110 B
  // gz), with the option checks of idleExpiryHours and privacyPolicyUrl (≈ 90 B); 5.72 kB measured (was 5,520 B).
  { name: 'temper.js (launcher + core, every page)', path: closure('temper'), limit: '5.6 KiB', gzip: true, ...file },
  // 20.5 KiB was `temper.js + panel` (issue 11: identity verification cost 471 B gz). Since the lazy files share
  // one copy of each module (issue 12), what the panel and the scoring glue share lives in the panel's file and
  // both load on first open, so the budget covers both: 20.5 KiB + the glue's 4,211 B of then = 25,203 B,
  // rounded up to 24.7 KiB (25,293 B) because the shared bindings cost 42 B (25,204 B measured at the move).
  // 24.7 → 27.3 KiB (27,955 B) and the panel 16.5 → 17.5 KiB (17,920 B) by hand for issue 12, measured 27,842 and
  // 17,788 B on main as of 13:10 UTC: the restructure and the messenger fixes in the panel (new-messages pill,
  // too-long message kept, composer growth, language switch, seen receipts) and temper.js's growth above. Lower them
  // as bytes are won back (rating and past conversations as lazy chunks of the panel, for one).
  // 27.3 → 27.5 KiB and the panel 17.5 → 17.6 KiB for issue 12 (defect 11), measured 28,119 and 17,997 B after
  // merging: the language switch in the panel header, following the language the visitor writes in, the
  // per-message lang that gives CJK Simplified Chinese glyphs on English pages.
  // 27.5 → 28.5 KiB (29,184 B) and the panel 17.6 → 18.5 KiB (18,944 B) by hand at the end of the issue-12 work,
  // measured 28,920 and 18,820 B on merged main (14:00 UTC): the agent's initials, "seen" receipts and the
  // "Past conversations" button in the panel (≈ 630 B gz; the rating card and history views themselves are the lazy
  // messenger file below), the scoring status sent for agents (defect 8) and the defects' fixes measured together
  // (≈ 1.09 kB gz, of which ≈ 300 B already in the 17.6 KiB above). Bytes to win back: a panel rendered inside one
  // signals effect saved 1,139 B but broke follow/new-messages; worth another try with its own tests.
  // 28.5 → 31.25 KiB (32,000 B) and the panel 18.5 → 19 KiB (19,456 B) by hand for issue 15, measured 31.81 kB and
  // 19.39 kB (were 28,920 and 18,820 B): maskCardNumbers in the panel's conversation engine (finding 8, PCI DSS: the
  // outbox masks before store/show/send; ≈ 370 B gz), the "card number was masked" status under the thread, en +
  // zh-CN (≈ 200 B), temper.js's expiry above, and the glue's growth below.
  // The panel 19 → 19.1 KiB (19,558 B) by hand for the scroll-pinning fix, measured 19.51 kB (was 19.39 kB): the
  // reader's input on the list (wheel, touch, pointer, keys) unpins before a render or the 40 px bottom margin
  // can pull them back down (≈ 120 B gz; no smaller form of it fit the 66 B left).
  { name: 'temper.js + panel + scoring glue (first open)', path: closure('temper', 'panel', 'scoring'), limit: '31.25 KiB', gzip: true, ...file },
  { name: 'panel (lazy)', path: closure('panel'), limit: '19.1 KiB', gzip: true, ...file },
  // Rating at close and a verified customer's past conversations (issue 12): loaded only when one is shown.
  { name: 'rating + past conversations (lazy)', path: closure('messenger').slice(0, 1), limit: '3.2 KiB', gzip: true, ...file },
  // 4.2 KiB → 4.6 KiB for issue 12: the privacy bar's strings are back in the glue's own module
  // (ui/privacy-strings.ts) instead of riding in the panel's file on every first open (4,590 B measured).
  // 4.6 → 6.6 KiB (6,758 B) by hand for issue 15, 6.69 kB measured (was 4,578 B): the AI Act Art. 50(3) notice en +
  // zh-CN (purpose, recipient, automated routing, what is shared, off), the "what's stored" and card-masking lines,
  // the Forget confirmation with the copyable conversation reference (UI + CSS), the policy link and the
  // first-notice rule (nothing scored from before it). Bytes to win back: load only the visitor's language's strings.
  { name: 'privacy bar + scoring glue (lazy)', path: closure('scoring').slice(0, 1), limit: '6.6 KiB', gzip: true, ...file },
  { name: 'createScorer (lazy, scoring on)', path: closure('scorer'), limit: '5 KiB', gzip: true, ...file },
  // 36 → 37 KiB for v2.6's featurizer (temper-feat-6: VADER's contrast, booster words and quotations; +0.87 kB
  // measured then, 36.96 kB; 36.88 kB since the rule checks became one table): the booster list is VADER's 44 words, kept whole rather than trimmed to the common ones.
  { name: 'scorer worker', path: assets + manifest.assets.worker, limit: '37 KiB', gzip: true, ...file },
  // Issue 13's target for the model: ≤ 400,000 B brotli.
  { name: 'model', path: assets + manifest.assets.model, limit: '400 kB', brotli: true, ...file },
  // onnxruntime-web 1.30's SIMD wasm (not ours to shrink here: a reduced build needs emscripten, see issue 13).
  { name: 'onnxruntime wasm', path: assets + manifest.assets.wasm, limit: '3.6 MiB', gzip: true, ...file },
  {
    name: "npm entry: import { createWidget } from '@temper/widget'",
    path: 'packages/widget/dist/index.js',
    import: '{ createWidget }',
    modifyEsbuildConfig: npmEntry,
    limit: '9 KiB',
    gzip: true,
  },
];
