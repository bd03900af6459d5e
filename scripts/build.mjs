// npm run build: the egress manifest and PRIVACY.md's inventory (both generated from @temper/protocol), bundles
// (rollup), declarations (tsc -b), brotli copies of the CDN files and assets, then prints sizes (size-limit).
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
function run(cmd, args) {
  const t = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`build: \`${cmd} ${args.join(' ')}\` failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
  console.log(`build: ${[cmd, ...args].join(' ')} (${Date.now() - t} ms)`);
}
const bin = (name) => `${root}node_modules/.bin/${name}`;
run(process.execPath, ['--import', 'tsx', 'scripts/gen-manifest.ts']);
run(process.execPath, ['--import', 'tsx', 'scripts/gen-privacy.ts']);
// The browser files are content-hashed: without a clean folder every change would leave the old names behind.
// The same holds for the npm builds' hashed chunks (they would be packed into the tarballs) and the examples'.
// The packages' other dist files stay: tsc -b keeps its declarations there, incrementally.
const hashed = [
  'packages/widget/dist/cdn',
  'packages/assets/dist',
  ...readdirSync(`${root}packages`).map((p) => `packages/${p}/dist/chunks`),
  ...['npm-app', 'headless', 'shop'].map((e) => `examples/${e}/dist`),
];
for (const dir of hashed) rmSync(`${root}${dir}`, { recursive: true, force: true });
run(bin('rollup'), ['-c', '--silent']);
run(bin('tsc'), ['-b']);
run(process.execPath, ['scripts/precompress.mjs']);
// Prints the size-limit table; over-budget fails `npm run size` (and `npm test`), not the build.
spawnSync(bin('size-limit'), [], { cwd: root, stdio: 'inherit' });
