// npm run scale-out — the whole deployment on this machine, to try it: a redis-server of its own (AOF on, in a
// temporary directory), N `npm run serve` instances sharing it and one TEMPER_SECRET, and HAProxy in front with
// the committed haproxy.cfg. Ctrl+C stops everything. Needs `npm run build` once.
//
// Options: --instances N (1–3, default 3); PORT (default 8080) is HAProxy's port.
import { randomBytes } from 'node:crypto';
import { missingBuild } from '../shop/serve.ts';
// @ts-expect-error plain ESM helper without types
import { ensureAptTool, TOOLS } from '../../scripts/lib/ensure-apt.mjs';
import { startHaproxy, startInstance, startRedis, stopAll, type Instance, type Proc } from './cluster.ts';

const i = process.argv.indexOf('--instances');
const n = i >= 0 ? Number(process.argv[i + 1]) : 3;
if (!Number.isInteger(n) || n < 1 || n > 3) {
  console.error('scale-out: --instances must be 1, 2 or 3 (haproxy.cfg has three server lines)');
  process.exit(2);
}
const port = Number(process.env.PORT ?? 8080);
if (missingBuild().length) {
  console.error(`scale-out: the shop is not built (missing ${missingBuild().join(', ')}): run npm run build first`);
  process.exit(2);
}
try {
  for (const t of ['redis-server', 'haproxy']) ensureAptTool(t, ...(TOOLS[t] as [string, string]));
} catch (e) {
  console.error(`scale-out: ${(e as Error).message}`);
  process.exit(1);
}

const procs: Proc[] = [];
const redis = await startRedis();
const env = {
  TEMPER_SECRET: randomBytes(32).toString('hex'),
  TEMPER_REDIS_URL: redis.url,
  TEMPER_TRUST_PROXY: '127.0.0.1',
  // So the agent console can be tried; never in a real deployment.
  TEMPER_DEMO_SIGNIN: '1',
};
let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  await stopAll(procs);
  await redis.stop();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
try {
  const instances: Instance[] = await Promise.all(Array.from({ length: n }, (_, k) => startInstance(`s${k + 1}`, env)));
  procs.push(...instances);
  const lb = await startHaproxy(
    instances.map((x) => `127.0.0.1:${x.port}`),
    { TEMPER_LB_BIND: `127.0.0.1:${port}` },
  );
  procs.push(lb);
  console.log(`\nTemper scale-out demo: HAProxy ${lb.url}/ → ${instances.map((x) => `${x.name} ${x.url}`).join(', ')}, Redis ${redis.url}`);
  console.log(`  Shop ${lb.url}/   Agent console ${lb.url}/agent   (responses name their instance in X-Temper-Instance)`);
  console.log(`  Kill one: kill -9 ${instances.map((x) => x.pid).join(' | ')} — open chats reconnect to another.`);
  console.log('  The demo sign-in is on (anyone can become an agent). Ctrl+C stops everything.');
  for (const p of procs) void p.exited.then(() => !stopping && console.log(`scale-out: pid ${p.pid} exited`));
} catch (e) {
  console.error(`scale-out: ${(e as Error).message}`);
  await shutdown(1);
}
