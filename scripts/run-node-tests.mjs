// Node 20's `node --test` has no glob support (added in 21), so collect test files here.
// Usage: node scripts/run-node-tests.mjs [substring filter...]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const roots = ['packages', 'examples', 'scripts'];
const skip = new Set(['node_modules', 'dist', '.tmp']);
const files = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    if (skip.has(name)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    // Browser tests are *.browser.test.ts(x) and run under web-test-runner.
    else if (/\.test\.tsx?$/.test(name) && !/\.browser\.test\.tsx?$/.test(name) && /(^|\/)test\//.test(relative(root, p))) files.push(relative(root, p));
  }
}
for (const r of roots) walk(join(root, r));
const filters = process.argv.slice(2);
const chosen = files.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
if (chosen.length === 0) {
  console.error('run-node-tests: no test files matched');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...chosen], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
