// Makes sure a command-line tool from Debian is on PATH: finds it, or installs its package with apt-get when we
// are root on a machine that has apt-get, or stops with a message saying what to do. The same policy as
// scripts/ensure-browser.mjs, for the servers the scale-out tests and the server bench drive (haproxy, wrk, …).
import { execFileSync } from 'node:child_process';

/** The absolute path of `command` on PATH, or null. */
export function which(command) {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

let updated = false;

/**
 * Finds `command` or installs Debian package `pkg` for it; returns its path. Throws with a how-to when it cannot.
 *
 * @example
 * const haproxy = ensureAptTool('haproxy', 'haproxy', 'the scale-out tests run the load balancer');
 */
export function ensureAptTool(command, pkg, purpose) {
  const found = which(command);
  if (found) return found;
  const apt = which('apt-get');
  if (!isRoot() || !apt)
    throw new Error(
      `${command} is not installed (${purpose}).\n` +
        `  Install it (Debian/Ubuntu: sudo apt-get install ${pkg}) and run again.` +
        (apt ? '' : '\n  (apt-get is not available here, so it could not be installed automatically.)'),
    );
  console.log(`ensure: ${command} not found; installing Debian ${pkg} with apt-get (one time)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    if (!updated) execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    updated = true;
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', pkg], { stdio: 'inherit', env });
  } catch (e) {
    throw new Error(`apt-get install ${pkg} failed (${e.message}); install ${command} by hand.`);
  }
  const after = which(command);
  if (!after) throw new Error(`${pkg} was installed but ${command} is not on PATH.`);
  console.log(`ensure: installed ${after}`);
  return after;
}

/** Known tools: command → [Debian package, what needs it]. */
export const TOOLS = {
  haproxy: ['haproxy', 'the scale-out tests and bench put HAProxy in front of the instances'],
  wrk: ['wrk', 'npm run bench:server generates its load with wrk'],
  'redis-server': ['redis-server', 'the Redis tests and the scale-out tests start their own redis-server'],
};
