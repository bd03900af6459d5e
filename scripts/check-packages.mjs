// npm run check:packages: every publishable package as npm would publish it (`npm pack`), checked on the tarball
// by publint (--strict: warnings fail too) and @arethetypeswrong/cli (ESM-only profile: the packages ship ESM
// only, with types next to each entry). Prints each tarball's packed and unpacked size. Run by `npm test` after the build.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules/.bin', name);
const dirs = readdirSync(join(root, 'packages')).map((d) => join(root, 'packages', d)).filter((d) => {
  try {
    return !JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')).private;
  } catch {
    return false;
  }
});
const out = mkdtempSync(join(tmpdir(), 'temper-pack-'));
const rows = [];
let failed = 0;
try {
  for (const dir of dirs) {
    const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: dir, encoding: 'utf8' });
    if (pack.status !== 0) {
      console.error(`check-packages: npm pack failed in ${dir}\n${pack.stderr}`);
      failed++;
      continue;
    }
    const [info] = JSON.parse(pack.stdout);
    const tgz = join(out, info.filename);
    rows.push([info.name, info.size, info.unpackedSize, info.entryCount]);
    for (const [tool, args] of [
      ['publint', ['--strict', tgz]],
      ['attw', ['--profile', 'esm-only', '--format', 'ascii', '--no-emoji', '--no-color', tgz]],
    ]) {
      const r = spawnSync(bin(tool), args, { cwd: dir, encoding: 'utf8' });
      if (r.status !== 0) {
        failed++;
        console.error(`check-packages: ${tool} found problems in ${info.name}:\n${r.stdout}${r.stderr}`);
      }
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
const fmt = (n) => n.toLocaleString('en-US').padStart(12);
console.log(`${'package'.padEnd(24)} ${'packed B'.padStart(12)} ${'unpacked B'.padStart(12)} ${'files'.padStart(6)}`);
for (const [name, size, unpacked, n] of rows) console.log(`${name.padEnd(24)} ${fmt(size)} ${fmt(unpacked)} ${String(n).padStart(6)}`);
if (failed) {
  console.error(`check-packages: ${failed} problem(s); publint and attw must be clean for every package`);
  process.exit(1);
}
console.log(`check-packages: publint and attw clean for ${rows.length} packages`);
