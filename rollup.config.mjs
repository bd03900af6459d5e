// One table of outputs for the whole repo. Every shipped file is built here; `tsc -b` only writes .d.ts.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
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

/** Browser files served from a CDN or the host's own origin: everything bundled and minified. */
function cdnFile(input, file, format, extra = {}) {
  return {
    input,
    output: { file: `packages/widget/dist/cdn/${file}`, format, sourcemap: true, name: extra.name, inlineDynamicImports: true },
    plugins: [nodeResolve({ browser: true, exportConditions: ['browser', 'import', 'default'] }), stripSchemaDocs(), ts({ minify: false }), min(), ...(extra.plugins ?? [])],
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
          '<script src="/temper/snippet.js" data-src="/temper/temper.js"></script>\n\n' +
          '<!-- Temper: inline install (needs \'unsafe-inline\' or a nonce in script-src). -->\n' +
          `<script data-src="/temper/temper.js">${code}</script>\n`,
      });
    },
  };
}

/**
 * Copies files the scorer worker loads at run time next to it: onnxruntime's wasm (rollup does not follow the
 * glue's `new URL(…, import.meta.url)`) and the shipped models. A host then self-hosts one folder.
 */
function copyScorerAssets() {
  const files = () => {
    const wasm = 'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm';
    const models = existsSync('models') ? readdirSync('models').filter((f) => f.endsWith('.onnx')).map((f) => `models/${f}`) : [];
    return [wasm, ...models];
  };
  return {
    name: 'temper-copy-scorer-assets',
    generateBundle() {
      const list = files();
      if (list.length < 2) this.warn('no models/*.onnx yet: the scorer will be degraded until a model is trained');
      for (const f of list) this.emitFile({ type: 'asset', fileName: basename(f), source: readFileSync(f) });
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
  npmPackage('scorer', { index: 'index.ts', worker: 'worker.ts' }),
  // The scorer worker: a classic script (IIFE) with comlink, onnxruntime-web's wasm-only glue and the
  // featurizer inside, so any origin can self-host it as one file (no blob:, no import from another origin),
  // plus the wasm and the model next to it.
  cdnFile('packages/scorer/src/worker.ts', 'temper-scorer-worker.js', 'iife', { plugins: [workerImportMeta(), copyScorerAssets()] }),
  // createScorer for the CDN: an ES module the widget (or any page) loads with import() when scoring starts.
  // Its import.meta.url is the CDN folder, so the worker, wasm and model defaults resolve with no options.
  cdnFile('packages/scorer/src/create-scorer.ts', 'temper-scorer.js', 'es'),
  // examples/headless: the scorer alone behind an app's own chat UI (imports @temper/scorer's dist/).
  {
    input: 'examples/headless/src/app.ts',
    output: { dir: 'examples/headless/dist', format: 'es', sourcemap: true, entryFileNames: 'app.js', chunkFileNames: '[name]-[hash].js' },
    plugins: [nodeResolve({ browser: true, exportConditions: ['browser', 'import', 'default'] }), ts({ minify: false }), min(), copyStatic(['examples/headless/index.html', 'examples/headless/style.css'])],
  },
  // The snippet hosts paste: a queue stub plus an async loader.
  cdnFile('packages/widget/src/snippet/snippet.ts', 'snippet.js', 'iife', { plugins: [snippetHtml()] }),
  // temper.js: launcher + core, a classic script (IIFE) so it needs no CORS from a CDN.
  cdnFile('packages/widget/src/entrypoints/cdn.ts', 'temper.js', 'iife'),
  // Lazy chunks: ES modules loaded by dynamic import() from temper.js when first needed.
  cdnFile('packages/widget/src/entrypoints/panel.ts', 'temper-panel.js', 'es'),
  // The privacy bar and the scoring glue, loaded on first open (or idle); it loads temper-scorer.js only while
  // scoring is on, so a visitor with scoring off never downloads createScorer, comlink or the worker.
  cdnFile('packages/widget/src/entrypoints/scoring-cdn.ts', 'temper-scoring.js', 'es'),
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
