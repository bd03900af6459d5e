// Makes sure a Chromium/Chrome is available for the browser tests. If none is found and we are root with
// apt-get, installs Debian's `chromium`; otherwise stops with a message saying what to do.
import { execFileSync } from 'node:child_process';
import { findBrowser } from './browser.mjs';

let found;
try {
  found = findBrowser();
} catch (e) {
  console.error(`ensure-browser: ${e.message}`);
  process.exit(1);
}
if (found) {
  console.log(`ensure-browser: using ${found}`);
  process.exit(0);
}
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
let hasApt = false;
try {
  execFileSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' });
  hasApt = true;
} catch {}
if (!isRoot || !hasApt) {
  console.error(
    'ensure-browser: no Chromium or Chrome found.\n' +
      '  Install one (Debian/Ubuntu: sudo apt-get install chromium) or set CHROME_PATH to its binary, then run npm test again.' +
      (hasApt ? '' : '\n  (apt-get is not available here, so it could not be installed automatically.)'),
  );
  process.exit(1);
}
console.log('ensure-browser: no Chromium found; installing Debian chromium with apt-get (one time)…');
try {
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
} catch (e) {
  console.error(`ensure-browser: apt-get install chromium failed (${e.message}). Install Chromium by hand or set CHROME_PATH.`);
  process.exit(1);
}
const after = findBrowser();
if (!after) {
  console.error('ensure-browser: chromium was installed but no binary was found on PATH; set CHROME_PATH.');
  process.exit(1);
}
console.log(`ensure-browser: installed ${after}`);
