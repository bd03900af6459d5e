// Where the browser is and how to start it on this kind of machine. Shared by the test runner config,
// the benchmarks and the end-to-end tests so that the flags live in one place.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** Flags that keep headless Chromium quiet and working as root on a closed network. */
export const chromeArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

function which(cmd) {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** Finds a Chromium/Chrome binary: CHROME_PATH, then chromium, chromium-browser, google-chrome. */
export function findBrowser() {
  if (process.env.CHROME_PATH) {
    if (existsSync(process.env.CHROME_PATH)) return process.env.CHROME_PATH;
    throw new Error(`CHROME_PATH is set to ${process.env.CHROME_PATH}, but no file is there.`);
  }
  for (const c of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    const p = which(c);
    if (p) return p;
  }
  return null;
}
