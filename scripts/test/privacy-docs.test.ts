// The DPO documents (docs/privacy/*.md, issue 15 finding 9) name options, exports, values, routes, files and npm
// scripts in code format. Each must exist in the code that ships, so renaming an option (or a feature that never
// landed) fails here instead of leaving a document that tells a privacy officer about a setting nobody can set.
// Routes are asked of a real server on a loopback port: it must answer something other than "no such endpoint".
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { API_BASE } from '@temper/protocol';
import { createTemperServer, type TemperHandler } from '@temper/server';

const root = new URL('../../', import.meta.url).pathname;
const docsDir = join(root, 'docs/privacy');

/** Every file below `dir` whose name matches `re`, skipping build output and dependencies. */
function files(dir: string, re: RegExp, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name === 'test' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, re, out);
    else if (re.test(name)) out.push(p);
  }
  return out;
}

/** The shipped source a document may point at: packages' src, the demo shop (server, console, serve) and scripts. */
function corpus(): { words: Set<string>; quoted: Set<string> } {
  const src = [
    ...readdirSync(join(root, 'packages')).flatMap((p) => files(join(root, 'packages', p, 'src'), /\.(ts|tsx)$/)),
    ...files(join(root, 'examples/shop'), /\.(ts|tsx)$/),
    ...files(join(root, 'scripts'), /\.(ts|mjs)$/),
  ];
  const words = new Set<string>();
  const quoted = new Set<string>();
  for (const f of src) {
    const text = readFileSync(f, 'utf8');
    for (const w of text.match(/[A-Za-z_$][\w$]*/g) ?? []) words.add(w);
    for (const m of text.matchAll(/'([^'\\\n]*)'|"([^"\\\n]*)"|`([^`\\\n$]*)`/g)) quoted.add(m[1] ?? m[2] ?? m[3]!);
  }
  return { words, quoted };
}

const IDENT_PATH = /^[A-Za-z_$][\w$]*(?:\(\))?(?:\.[A-Za-z_$][\w$]*(?:\(\))?)*$/;
const ROUTE = /^(GET|POST|PUT|PATCH|DELETE) (\/[^\s?]*)(?:\?\S*)?$/;
const FILE = /^(?:(?:packages|examples|scripts|models|docs)\/[\w.\-/]+|[A-Z][\w-]*\.md)$/;

export interface DocRefs {
  /** `a.b.c` / `f()`: every segment must be a name in the source. */
  names: string[];
  /** `'value'`: must be a string literal in the source. */
  values: string[];
  /** `METHOD /path`: the server must have the endpoint. */
  routes: Array<{ method: string; path: string }>;
  files: string[];
  npmScripts: string[];
  packages: string[];
}

/** What a markdown document names in inline code (fenced blocks are examples and are not read). */
export function docRefs(md: string): DocRefs {
  const refs: DocRefs = { names: [], values: [], routes: [], files: [], npmScripts: [], packages: [] };
  const prose = md.replace(/^```[\s\S]*?^```/gm, '');
  for (const [, raw] of prose.matchAll(/`([^`\n]+)`/g)) {
    const span = raw!.trim();
    let m: RegExpMatchArray | null;
    if (IDENT_PATH.test(span)) refs.names.push(span);
    else if ((m = /^'([^']+)'$/.exec(span))) refs.values.push(m[1]!);
    else if ((m = ROUTE.exec(span))) refs.routes.push({ method: m[1]!, path: m[2]! });
    else if ((m = /^npm run ([\w:-]+)/.exec(span))) refs.npmScripts.push(m[1]!);
    else if ((m = /^(@temper\/[\w-]+)$/.exec(span))) refs.packages.push(m[1]!);
    else if (FILE.test(span)) refs.files.push(span);
    else if ((m = /^([A-Za-z_$][\w$.]*): (.+)$/.exec(span))) {
      // `key: value`, as in `storage: 'session'` or `schema: 'temper.conversation-export.v1'`.
      refs.names.push(m[1]!);
      const v = /^'([^']+)'$/.exec(m[2]!.trim());
      if (v) refs.values.push(v[1]!);
    }
  }
  return refs;
}

/** The references of `refs` that do not exist, as readable lines, each once (routes are checked separately). */
export function missing(refs: DocRefs, c: { words: Set<string>; quoted: Set<string> }): string[] {
  const out = new Set<string>();
  for (const n of refs.names)
    for (const seg of n.replace(/\(\)/g, '').split('.')) if (!c.words.has(seg)) out.add(`name \`${n}\`: no "${seg}" in the source`);
  for (const v of refs.values) if (!c.quoted.has(v)) out.add(`value '${v}': no such string in the source`);
  for (const f of refs.files) if (!existsSync(join(root, f))) out.add(`file ${f}: does not exist`);
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  for (const s of refs.npmScripts) if (!(s in scripts)) out.add(`npm run ${s}: no such script in package.json`);
  const names = new Set(readdirSync(join(root, 'packages')).map((p) => join(root, 'packages', p, 'package.json')).filter(existsSync).map((f) => (JSON.parse(readFileSync(f, 'utf8')) as { name: string }).name));
  for (const p of refs.packages) if (!names.has(p)) out.add(`package ${p}: not in packages/`);
  return [...out];
}

const docs = readdirSync(docsDir).filter((f) => f.endsWith('.md')).sort();
const c = corpus();

test('the checker refuses what does not exist (a renamed option, value, file, script, package)', () => {
  const refs = docRefs(
    'Set `retention.transcriptDayz`, `tokenTtlMs`, `storage: \'sessoin\'`, see `packages/server/README.txt`, `npm run no-such-script`, `@temper/nope`.\n```ts\nnotChecked.inFence()\n```',
  );
  assert.deepEqual(missing(refs, c), [
    'name `retention.transcriptDayz`: no "transcriptDayz" in the source',
    "value 'sessoin': no such string in the source",
    'file packages/server/README.txt: does not exist',
    'npm run no-such-script: no such script in package.json',
    'package @temper/nope: not in packages/',
  ]);
});

for (const doc of docs) {
  test(`docs/privacy/${doc}: every option, export, value, file and script it names exists`, () => {
    const refs = docRefs(readFileSync(join(docsDir, doc), 'utf8'));
    assert.ok(refs.names.length + refs.values.length + refs.files.length + refs.routes.length > 0 || doc === 'README.md', 'reads some references');
    assert.deepEqual(missing(refs, c), []);
  });
}

// Routes: a real server answers each documented one without a token. A missing endpoint is a 404 "no endpoint …"
// or a 405 from the router; anything else (401, 400, 201) means the route is there.
let server: Server;
let handler: TemperHandler;
let url: string;
before(async () => {
  handler = createTemperServer({ secret: 'privacy-docs-test-secret-0123456789abcdef', log: () => {} });
  server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await handler.close();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

async function routeExists(method: string, path: string): Promise<string | null> {
  const full = (path.startsWith(API_BASE) ? path : API_BASE + path).replace(/:[A-Za-z]+/g, 'c_docs-check-0001');
  const ac = new AbortController();
  const res = await fetch(url + full, {
    method,
    headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
    ...(method === 'GET' ? {} : { body: '{}' }),
    signal: ac.signal,
  });
  const text = res.headers.get('content-type')?.startsWith('application/json') ? await res.text() : '';
  ac.abort(); // an event stream would stay open
  if (res.status === 405) return `${method} ${path}: 405, the path exists for another method only`;
  if (res.status === 404 && /"no (agent )?endpoint/.test(text)) return `${method} ${path}: no such endpoint`;
  return null;
}

test('the checker refuses a route that does not exist', async () => {
  assert.match((await routeExists('GET', '/agent/privacy/no-such-route')) ?? '', /no such endpoint/);
  assert.equal(await routeExists('POST', '/messages'), null);
});

test('every route the documents name is an endpoint of @temper/server', async () => {
  const problems: string[] = [];
  for (const doc of docs)
    for (const r of docRefs(readFileSync(join(docsDir, doc), 'utf8')).routes) {
      const p = await routeExists(r.method, r.path);
      if (p) problems.push(`${doc}: ${p}`);
    }
  assert.deepEqual(problems, []);
});
