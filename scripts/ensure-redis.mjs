// Makes sure a redis-server is available for the Redis tests (they start their own on a free loopback port).
// Uses $REDIS_SERVER when set, else redis-server on PATH; if there is none and we are root with apt-get,
// installs Debian's `redis-server` (apt-get update + install); otherwise stops with a message saying what to do.
// Also checks the version (≥ 6.2: the scripts use ZADD XX, PEXPIREAT and TIME inside scripts) and reports whether
// TLS is built in (the rediss:// test needs it).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureAptTool, TOOLS } from './lib/ensure-apt.mjs';

let bin = process.env.REDIS_SERVER;
if (bin) {
  if (!existsSync(bin)) {
    console.error(`ensure-redis: REDIS_SERVER=${bin} does not exist. Point it at a redis-server binary or unset it.`);
    process.exit(1);
  }
} else {
  try {
    bin = ensureAptTool('redis-server', ...TOOLS['redis-server']);
  } catch (e) {
    console.error(`ensure-redis: ${e.message}\n  Or set REDIS_SERVER to a redis-server binary.`);
    process.exit(1);
  }
}
const version = execFileSync(bin, ['--version'], { encoding: 'utf8' });
const m = /v=(\d+)\.(\d+)\.(\d+)/.exec(version);
if (!m || Number(m[1]) * 100 + Number(m[2]) < 602) {
  console.error(`ensure-redis: ${bin} is ${m ? m[0] : 'of an unknown version'}; the Redis tests need redis-server ≥ 6.2.`);
  process.exit(1);
}
const tls = /libssl|tls/i.test(
  (() => {
    try {
      return execFileSync('ldd', [bin], { encoding: 'utf8' });
    } catch {
      return '';
    }
  })(),
);
console.log(`ensure-redis: using ${bin} (${m[0]}${tls ? ', TLS built in' : ', no TLS: the rediss:// test will be skipped'})`);
