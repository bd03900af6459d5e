// One table of outputs for the whole repo. Every shipped file is built here; `tsc -b` only writes .d.ts.
// The browser files a visitor downloads are named in ONE place, `CDN_ENTRIES` and `SCORER_ASSETS` below; the
// build writes their final (content-hashed) names to packages/widget/dist/cdn/manifest.json and
// packages/assets/dist/assets.json, and everything else (temper.js, createScorer's defaults, size-limit, the
// benchmark, precompress, the shop, the tests) reads those two files instead of naming a file again.
import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { builtinModules } from 'node:module';
import esbuild from 'rollup-plugin-esbuild';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const ts = (extra = {}) =>
  esbuild({ target: 'es2020', jsxFactory: 'h', jsxFragment: 'Fragment', sourceMap: true, ...extra });
const min = () =>
  terser({ ecma: 2020, module: true, compress: { passes: 2 }, format: { comments: false } });

/** npm ESM output of a package: dependencies stay external (the app's bundler dedupes them). */
function npmPackage(dir, inputs, external = []) {
  const input = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, `packages/${dir}/src/${v}`]));
  return {
    input,
    external: (id) => nodeBuiltins.includes(id) || /^(@temper\/|preact|@preact\/|comlink|onnxruntime-web|idb-keyval)/.test(id) || external.includes(id),
    output: { dir: `packages/${dir}/dist`, format: 'es', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    plugins: [ts()],
  };
}

const browserPlugins = () => [nodeResolve({ browser: true, exportConditions: ['browser', 'import', 'default'] }), stripSchemaDocs(), ts({ minify: false }), min()];

/** A browser file served from a CDN or the host's own origin, as one classic script: everything bundled and minified. */
function cdnScript(input, file, extra = {}) {
  return {
    input,
    output: { file: `${CDN_DIR}/${file}`, format: 'iife', sourcemap: true, inlineDynamicImports: true },
    plugins: [...browserPlugins(), ...(extra.plugins ?? [])],
  };
}

/** On the CDN, the scoring glue's `import('@temper/scorer')` is createScorer alone (not the featurizer exports). */
function scorerAlias() {
  return {
    name: 'temper-scorer-alias',
    resolveId(id) {
      return id === '@temper/scorer' || id === '@temper/scorer/create-scorer' ? resolve(CDN_ENTRIES.scorer) : null;
    },
  };
}

/**
 * The protocol's schemas carry `purpose` and `origin` texts for the egress manifest and its readers; the browser
 * never reads them at run time. Dropping them from the CDN files saves about a kilobyte of temper.js, which
 * has a 5 KB budget. The npm build keeps them (an app's own bundler decides there).
 */
function stripSchemaDocs() {
  const field = /\b(purpose|origin):\s*(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`)\s*,?/g;
  return {
    name: 'temper-strip-schema-docs',
    transform(code, id) {
      if (!/[\\/]packages[\\/]protocol[\\/]dist[\\/]/.test(id)) return null;
      return { code: code.replace(field, ''), map: null };
    },
  };
}

/**
 * Writes snippet.html next to snippet.js: the exact tags a host pastes, both the strict-CSP form (an external
 * file) and the inline form, so the documented snippet can never drift from the built one.
 */
function snippetHtml() {
  return {
    name: 'temper-snippet-html',
    generateBundle(_, bundle) {
      const js = Object.values(bundle).find((c) => c.type === 'chunk' && c.fileName === 'snippet.js');
      if (!js) this.error('snippet.js missing from the bundle');
      const code = js.code.replace(/\n?\/\/# sourceMappingURL=.*$/m, '').trim();
      if (code.includes('</script')) this.error('the inline snippet must not contain </script');
      this.emitFile({
        type: 'asset',
        fileName: 'snippet.html',
        source:
          '<!-- Temper: strict-CSP install (no inline script). Serve dist/cdn/ at /temper/. -->\n' +
          '<script src="/temper/snippet.js" data-src="/temper/temper.js" referrerpolicy="no-referrer"></script>\n\n' +
          '<!-- Temper: inline install (needs \'unsafe-inline\' or a nonce in script-src). -->\n' +
          `<script data-src="/temper/temper.js">${code}</script>\n`,
      });
    },
  };
}

/** Where the CDN files and the scorer's assets are written (the two folders a snippet host serves at one URL). */
export const CDN_DIR = 'packages/widget/dist/cdn';
export const ASSETS_DIR = 'packages/assets/dist';

/**
 * The lazily loaded CDN files: ES modules built in ONE rollup run so they share their common code (Preact,
 * the protocol's validators, strings) as chunks instead of each carrying a copy. Content-hashed names:
 * a host serves them `immutable`; temper.js learns the names at build time (see `cdnFileNames`).
 * Key = the logical name used in manifest.json, size-limit and the benchmark.
 */
export const CDN_ENTRIES = {
  // The panel UI (Preact + signals) and the conversation engine, loaded on first open, send or hover.
  panel: 'packages/widget/src/entrypoints/panel.ts',
  // The privacy bar and the scoring glue, loaded on first open (or idle); it loads `scorer` only while
  // scoring is on, so a visitor with scoring off never downloads createScorer, comlink or the worker.
  scoring: 'packages/widget/src/entrypoints/scoring.ts',
  // createScorer + comlink: what `import('@temper/scorer')` in the scoring glue resolves to on the CDN.
  scorer: 'packages/scorer/src/create-scorer.ts',
  // The rating card and past conversations (issue 12): what the panel's `import()` loads when a chat closes or
  // a signed-in customer opens "Past conversations". An entry so the manifest (and the size budget) name it.
  messenger: 'packages/widget/src/messenger/Messenger.tsx',
};

/**
 * What the scorer worker loads at run time, shipped in @temper/assets with content-hashed names. The worker is
 * built (a classic script); onnxruntime's wasm and the model are copied (rollup does not follow the glue's
 * `new URL(…, import.meta.url)`). Key = the logical name in assets.json.
 */
export const SCORER_ASSETS = {
  worker: 'packages/scorer/src/worker.ts',
  wasm: 'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm',
  model: 'models/temper-frustration-v2.onnx',
};

/** Final names, filled by the builds below in table order (rollup runs an array config one build at a time). */
const built = { cdn: null, assets: null };

/**
 * Emits the wasm and the model next to the worker, then writes assets.json (logical name → file) and the
 * package's index.js: one `new URL('./file', import.meta.url)` per asset, the pattern Vite, webpack 5, Parcel
 * and esbuild-based bundlers follow to emit a file hashed. The index's types are packages/assets/index.d.ts.
 */
function scorerAssets() {
  const refs = {};
  return {
    name: 'temper-scorer-assets',
    buildStart() {
      for (const key of ['wasm', 'model']) {
        const file = SCORER_ASSETS[key];
        if (!existsSync(file)) this.error(`${file} is missing: ${key === 'model' ? 'train a model (npm run train)' : 'run npm ci'}`);
        refs[key] = this.emitFile({ type: 'asset', name: basename(file), source: readFileSync(file) });
      }
    },
    generateBundle(_, bundle) {
      const worker = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry);
      const files = { worker: worker.fileName, wasm: this.getFileName(refs.wasm), model: this.getFileName(refs.model) };
      built.assets = files;
      this.emitFile({ type: 'asset', fileName: 'assets.json', source: `${JSON.stringify(files, null, 2)}\n` });
      const url = (f) => `new URL(${JSON.stringify(`./${f}`)}, import.meta.url).href`;
      this.emitFile({
        type: 'asset',
        fileName: 'index.js',
        source:
          '// Generated by rollup.config.mjs: the scorer\'s assets by URL, so a bundler emits them (hashed) with the app.\n' +
          `export const files = Object.freeze(${JSON.stringify(files)});\n` +
          `export const workerUrl = ${url(files.worker)};\n` +
          `export const wasmUrl = ${url(files.wasm)};\n` +
          `export const modelUrl = ${url(files.model)};\n`,
      });
    },
  };
}

/**
 * Every module the panel imports statically goes into the panel's own file. The scoring glue never runs without
 * the panel (it scores the panel's conversation), so what it shares with the panel (the protocol's validators,
 * strings, and Preact for any UI it renders) it imports from there: a visitor who opens the chat fetches no
 * extra shared chunk, and there is one copy of each module. Without this rollup split a 2.9 KB gz chunk off the
 * panel and `temper.js + panel` grew 905 B gz (measured with `npm run size`).
 */
function intoPanel(id, { getModuleInfo }) {
  const panel = resolve(CDN_ENTRIES.panel);
  const seen = new Set();
  const reaches = (m) => m === panel || (!seen.has(m) && (seen.add(m), (getModuleInfo(m)?.importers ?? []).some(reaches)));
  return reaches(id) ? 'panel' : undefined;
}

/** Static import closure of every CDN entry (what a visitor downloads when that file is imported). */
function cdnManifest() {
  return {
    name: 'temper-cdn-manifest',
    generateBundle(_, bundle) {
      const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
      const byFile = new Map(chunks.map((c) => [c.fileName, c]));
      const closure = (c, seen = new Set()) => {
        for (const i of c.imports) if (!seen.has(i)) (seen.add(i), closure(byFile.get(i), seen));
        return seen;
      };
      const files = {};
      for (const c of chunks) if (c.isEntry) files[c.name] = { file: c.fileName, imports: [...closure(c)] };
      for (const k of Object.keys(CDN_ENTRIES)) if (!files[k]) this.error(`CDN entry ${k} missing from the bundle`);
      built.cdn = files;
    },
  };
}

/**
 * temper.js and createScorer learn the hashed names at build time: `cdn-files.ts` (names used in development
 * and tests that import the sources) is replaced by the names the lazy build and the assets build produced.
 */
function cdnFileNames() {
  return {
    name: 'temper-cdn-file-names',
    load(id) {
      if (!/[\\/]entrypoints[\\/]cdn-files\.ts$/.test(id)) return null;
      if (!built.cdn) this.error('temper.js is built before the lazy CDN files (check the table order)');
      return `export const LAZY_FILES = ${JSON.stringify({ panel: built.cdn.panel.file, scoring: built.cdn.scoring.file })};\n`;
    },
  };
}

/** Writes manifest.json next to temper.js (its last build): every CDN file by logical name, and the assets. */
function writeManifest() {
  return {
    name: 'temper-write-manifest',
    generateBundle() {
      const fixed = { snippet: { file: 'snippet.js', imports: [] }, temper: { file: 'temper.js', imports: [] } };
      const manifest = { files: { ...fixed, ...built.cdn }, assets: built.assets };
      this.emitFile({ type: 'asset', fileName: 'manifest.json', source: `${JSON.stringify(manifest, null, 2)}\n` });
    },
  };
}

/**
 * In a classic worker there is no `document`, but rollup's IIFE stand-in for `import.meta.url` reads
 * `document.baseURI`: onnxruntime's glue evaluates it while loading the wasm and would throw. A worker's own
 * URL is `self.location.href`.
 */
function workerImportMeta() {
  return {
    name: 'temper-worker-import-meta',
    resolveImportMeta(prop) {
      if (prop === 'url') return 'self.location.href';
      return null;
    },
  };
}

/** Copies an example's static files (index.html, …) into its dist/. */
function copyStatic(files) {
  return {
    name: 'temper-copy-static',
    generateBundle() {
      for (const f of files) this.emitFile({ type: 'asset', fileName: basename(f), source: readFileSync(f) });
    },
  };
}

const table = [
  npmPackage('protocol', { index: 'index.ts' }),
  npmPackage('server', { index: 'index.ts' }),
  npmPackage('server-redis', { index: 'index.ts' }, ['ioredis']),
  npmPackage('widget', { index: 'entrypoints/index.ts' }),
  npmPackage('scorer', { index: 'index.ts', 'create-scorer': 'create-scorer.ts', worker: 'worker.ts' }),
  npmPackage('react', { index: 'index.ts' }, ['react']),
  // @temper/assets: the scorer worker, a classic script (IIFE) with comlink, onnxruntime-web's wasm-only glue
  // and the featurizer inside, so any origin can self-host it as one file (no blob:, no import from another
  // origin), plus the wasm and the model next to it, all content-hashed.
  {
    input: SCORER_ASSETS.worker,
    output: {
      dir: ASSETS_DIR,
      format: 'iife',
      sourcemap: true,
      entryFileNames: 'temper-scorer-worker.[hash].js',
      assetFileNames: '[name].[hash][extname]',
    },
    plugins: [...browserPlugins(), workerImportMeta(), scorerAssets()],
  },
  // The lazy CDN files (panel, scoring glue, createScorer) in one run: shared code becomes shared chunks.
  {
    input: CDN_ENTRIES,
    // The panel's file may export more than its entry does (what the scoring glue imports from it): no facade.
    preserveEntrySignatures: 'allow-extension',
    output: {
      dir: CDN_DIR,
      format: 'es',
      sourcemap: true,
      entryFileNames: 'temper-[name].[hash].js',
      chunkFileNames: 'temper-[name].[hash].js',
      manualChunks: intoPanel,
    },
    plugins: [scorerAlias(), ...browserPlugins(), cdnManifest()],
  },
  // examples/headless: the scorer alone behind an app's own chat UI (imports @temper/scorer's dist/).
  {
    input: 'examples/headless/src/app.ts',
    output: { dir: 'examples/headless/dist', format: 'es', sourcemap: true, entryFileNames: 'app.js', chunkFileNames: '[name]-[hash].js' },
    plugins: [nodeResolve({ browser: true, exportConditions: ['browser', 'import', 'default'] }), ts({ minify: false }), min(), copyStatic(['examples/headless/index.html', 'examples/headless/style.css'])],
  },
  // The snippet hosts paste: a queue stub plus an async loader.
  cdnScript('packages/widget/src/snippet/snippet.ts', 'snippet.js', { plugins: [snippetHtml()] }),
  // temper.js: launcher + core, a classic script (IIFE) so it needs no CORS from a CDN. Built after the lazy
  // files, whose hashed names it loads; it writes manifest.json.
  cdnScript('packages/widget/src/entrypoints/cdn.ts', 'temper.js', { plugins: [cdnFileNames(), writeManifest()] }),
  // The app developer's path: an app importing @temper/widget from npm (resolved to the package's dist/).
  {
    input: 'examples/npm-app/src/app.ts',
    output: { dir: 'examples/npm-app/dist', format: 'es', sourcemap: true, entryFileNames: 'app.js', chunkFileNames: '[name]-[hash].js' },
    plugins: [nodeResolve({ browser: true, exportConditions: ['browser', 'import', 'default'] }), ts({ minify: false }), min()],
  },
  // examples/shop: the agent console (/agent) and the supervisors' reports (/reports), Preact apps served from
  // examples/shop/dist at /console/; they share one chunk (preact, signals, the API client). The stylesheet is
  // a real file because the shop's CSP has no 'unsafe-inline'.
  {
    input: { agent: 'examples/shop/agent/main.tsx', reports: 'examples/shop/agent/reports-main.tsx' },
    output: { dir: 'examples/shop/dist', format: 'es', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: 'shared-[hash].js' },
    plugins: [nodeResolve({ browser: true, exportConditions: ['browser', 'import', 'default'] }), ts({ minify: false }), min(), copyStatic(['examples/shop/agent/console.css'])],
  },
];

// While packages are being built up, entries whose source does not exist yet are left out loudly.
export default table.filter((t) => {
  const inputs = typeof t.input === 'string' ? [t.input] : Object.values(t.input);
  const missing = inputs.filter((i) => !existsSync(i));
  if (missing.length) console.warn(`rollup: skipping entry, missing ${missing.join(', ')}`);
  return missing.length === 0;
});
