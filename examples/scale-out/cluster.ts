// Real processes for the scale-out tests and the server bench: shop instances started exactly as `npm run serve`
// starts them (examples/shop/serve.ts with an environment), HAProxy running the committed haproxy.cfg, and Redis.
// Every process started here is registered and killed when this process exits, also after a failed assertion.
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../packages/server-redis/test/redis-server.ts';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const repo = fileURLToPath(new URL('../..', import.meta.url));
export const HAPROXY_CFG = join(repo, 'examples/scale-out/haproxy.cfg');
const SERVE = join(repo, 'examples/shop/serve.ts');

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

// Redis comes from @temper/server-redis's own test helper (free loopback port, AOF on, kill -9 and restart on the
// same directory), so the two packages' tests start it one way.
export { freePort, startRedis, type RedisServer } from '../../packages/server-redis/test/redis-server.ts';

/** A child process with its output kept (printed when a test fails) and a promise of its exit. */
export interface Proc {
  child: ChildProcess;
  pid: number;
  /** Everything it printed, stdout and stderr interleaved. */
  output(): string;
  exited: Promise<number | null>;
  /** SIGTERM, then waits for the exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<number | null>;
  /** SIGKILL: the crash case. Resolves when it is gone. */
  kill(): Promise<void>;
  /** Resolves once the output matches `re` (stdout and stderr are separate pipes: lines may land in any order). */
  waitFor(re: RegExp, what: string, timeoutMs?: number): Promise<RegExpExecArray>;
}

function track(child: ChildProcess, name: string): Proc {
  live.add(child);
  let out = '';
  const add = (b: Buffer) => {
    out += b.toString('utf8');
    if (process.env.SCALE_OUT_VERBOSE) process.stderr.write(`[${name}] ${b.toString('utf8')}`);
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve(code ?? (signal ? -1 : null));
    }),
  );
  const p: Proc = {
    child,
    pid: child.pid!,
    output: () => out,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    waitFor: (re, what, timeoutMs = 10_000) => waitForOutput(p, re, what, timeoutMs),
  };
  return p;
}

/** Waits until `text` matches the process's output; fails with the output when it exits or times out first. */
function waitForOutput(p: Proc, re: RegExp, what: string, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = re.exec(p.output());
      if (m) {
        done();
        resolve(m);
      }
    };
    const fail = (why: string) => {
      done();
      reject(new Error(`${what}: ${why}\n--- output ---\n${p.output()}`));
    };
    const timer = setTimeout(() => fail(`not ready within ${timeoutMs} ms`), timeoutMs);
    const onExit = () => setImmediate(() => (re.test(p.output()) ? check() : fail('exited')));
    const done = () => {
      clearTimeout(timer);
      p.child.stdout?.off('data', check);
      p.child.stderr?.off('data', check);
      p.child.off('exit', onExit);
    };
    p.child.stdout?.on('data', check);
    p.child.stderr?.on('data', check);
    p.child.once('exit', onExit);
    check();
  });
}

/** One shop instance, as `npm run serve` runs it. */
export interface Instance extends Proc {
  url: string;
  port: number;
  name: string;
}

/** How to start an instance other than plainly. */
export interface InstanceOptions {
  /** Script to run instead of examples/shop/serve.ts (it must print the same `serve: listening on <url>` line). */
  entry?: string;
  /** Node flags, e.g. `--cpu-prof`. */
  execArgv?: string[];
  /** Arguments after the script. */
  args?: string[];
}

/**
 * Starts `node --import tsx examples/shop/serve.ts` with `env` (PORT defaults to 0 = a free port) and resolves once
 * it prints its URL.
 */
export async function startInstance(name: string, env: Record<string, string>, opts: InstanceOptions = {}): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...(opts.execArgv ?? []), opts.entry ?? SERVE, ...(opts.args ?? [])], {
    cwd: repo,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const p = track(child, name);
  const m = await waitForOutput(p, /serve: listening on (http:\/\/[^\s]+)/, `instance ${name}`, 30_000);
  const url = m[1]!;
  return { ...p, url, port: Number(new URL(url).port), name };
}

/** HAProxy with the committed config. */
export interface Balancer extends Proc {
  url: string;
}

/**
 * Runs HAProxy on `examples/scale-out/haproxy.cfg` with the instances at `backends` (1–3 `host:port`; fewer
 * than three repeat the last one) and resolves once a request through it reaches an instance. `extraEnv` sets
 * the config's other variables (`TEMPER_LB_IDLE`).
 */
export async function startHaproxy(backends: string[], extraEnv: Record<string, string> = {}): Promise<Balancer> {
  if (backends.length < 1 || backends.length > 3) throw new RangeError('startHaproxy: 1–3 backends');
  const port = await freePort();
  const env: Record<string, string> = { TEMPER_LB_BIND: `127.0.0.1:${port}`, ...extraEnv };
  for (let i = 0; i < 3; i++) env[`TEMPER_BACKEND_${i + 1}`] = backends[Math.min(i, backends.length - 1)]!;
  // -db: stay in the foreground and log to stderr, so the test owns the process.
  const child = spawn('haproxy', ['-db', '-f', HAPROXY_CFG], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const p = track(child, 'haproxy');
  const url = `http://${env.TEMPER_LB_BIND}`;
  const end = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited: ${p.output()}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > end) {
      await p.kill();
      throw new Error(`haproxy did not forward to an instance within 15 s: ${p.output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { ...p, url };
}

/** Stops (SIGTERM) or kills every process given, ignoring the ones already gone. */
export async function stopAll(procs: Array<Proc | undefined>, how: 'stop' | 'kill' = 'stop'): Promise<void> {
  await Promise.all(procs.filter((p): p is Proc => !!p).map((p) => (how === 'stop' ? p.stop() : p.kill())));
}

