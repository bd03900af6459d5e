// Test helper: a real redis-server child process on a free loopback port, AOF on (fsync always), in a temporary directory.
// It is killed when the test process exits (even when a test fails), and can be killed with SIGKILL and
// started again on the same port and directory to test durability.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running redis-server. */
export interface RedisServer {
  readonly port: number;
  readonly dir: string;
  /** `redis://127.0.0.1:<port>/0` (or `rediss://` with TLS), with the password when one was set. */
  readonly url: string;
  /** SIGKILL: no shutdown, no final AOF rewrite — what a crash does. */
  kill9(): Promise<void>;
  /** Starts it again on the same port and directory (loads the AOF). */
  restart(): Promise<void>;
  /** Ends it and removes its directory. */
  stop(): Promise<void>;
}

/** Options of `startRedis`. */
export interface StartRedisOptions {
  /** `--requirepass`. */
  password?: string;
  /** Serve TLS only: paths of the server's cert and key (the port then speaks TLS, no plain port). */
  tls?: { cert: string; key: string; ca: string };
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/** A free TCP port on 127.0.0.1 (the OS picks one; a race with another process is possible but unlikely). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function redisBinary(): string {
  return process.env.REDIS_SERVER || 'redis-server';
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`redis-server exited (${child.exitCode ?? child.signalCode}) before listening:\n${log()}`);
    }
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port} within 10 s:\n${log()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Starts `redis-server --bind 127.0.0.1 --port <free> --save "" --appendonly yes --appendfsync always --dir <tmp>` as a child
 * process and resolves once it accepts connections. Run `node scripts/ensure-redis.mjs` first on a new machine.
 *
 * @example
 * const redis = await startRedis();
 * after(() => redis.stop());
 * const backend = await createRedisBackend({ url: redis.url });
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'temper-redis-'));
  let child: ChildProcess | null = null;
  let out = '';

  const args = [
    '--bind', '127.0.0.1',
    '--save', '',
    '--appendonly', 'yes',
    // everysec may postpone a write by up to 2 s while a background fsync lags (replies still go out), so a
    // kill -9 could lose acknowledged writes; always writes and fsyncs before replying.
    '--appendfsync', 'always',
    '--dir', dir,
    '--daemonize', 'no',
    '--protected-mode', 'yes',
    '--loglevel', 'warning',
  ];
  if (options.tls) {
    args.push('--port', '0', '--tls-port', String(port), '--tls-cert-file', options.tls.cert, '--tls-key-file', options.tls.key,
      '--tls-ca-cert-file', options.tls.ca, '--tls-auth-clients', 'no');
  } else {
    args.push('--port', String(port));
  }
  if (options.password) args.push('--requirepass', options.password);

  async function start(): Promise<void> {
    out = '';
    const c = spawn(redisBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    c.on('error', (e) => {
      out += `\nspawn failed: ${e.message} (run node scripts/ensure-redis.mjs, or set REDIS_SERVER)`;
    });
    c.stdout!.on('data', (d) => (out += d));
    c.stderr!.on('data', (d) => (out += d));
    live.add(c);
    c.on('exit', () => live.delete(c));
    child = c;
    await waitForPort(port, c, () => out);
  }

  async function kill(signal: NodeJS.Signals): Promise<void> {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill(signal);
    });
  }

  await start();
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  return {
    port,
    dir,
    url: `${options.tls ? 'rediss' : 'redis'}://${auth}127.0.0.1:${port}/0`,
    kill9: () => kill('SIGKILL'),
    restart: async () => {
      await kill('SIGKILL');
      await start();
    },
    async stop() {
      await kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
