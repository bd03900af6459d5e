// Packs the five Temper packages this app uses into .packs/ (as npm would publish them: the repo must be built,
// `npm run build` at the root), so `npm install` here installs exactly what a user would get from the registry.
// The app depends on all five tarballs, so npm never asks the registry for an @temper package.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';

const here = new URL('.', import.meta.url).pathname;
const packs = `${here}.packs`;
rmSync(packs, { recursive: true, force: true });
mkdirSync(packs);
for (const p of ['protocol', 'assets', 'scorer', 'widget', 'react']) {
  const r = spawnSync('npm', ['pack', '--silent', '--pack-destination', packs], { cwd: `${here}../../packages/${p}`, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm pack in packages/${p} failed: ${r.stderr}`);
  console.log(`packed ${r.stdout.trim()}`);
}
