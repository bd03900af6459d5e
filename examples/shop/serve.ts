// `npm run serve`: the already-built shop as one instance of a deployment, configured by environment variables.
// It never builds (several instances start from one build, and a production host should not run rollup), so it
// first checks that the build is there. With TEMPER_REDIS_URL it keeps everything in Redis through
// @temper/server-redis (loaded only then, so the embedded default needs no Redis client); N such instances
// behind a load balancer behave as one server. See examples/scale-out/README.md.
//
//   PORT                 port to listen on (default 8080; 0 picks a free one, printed on start)
//   HOST                 address to bind (default 127.0.0.1: the load balancer runs next to it; 0.0.0.0 to expose)
//   TEMPER_SECRET        HMAC key of every token, ≥ 32 bytes, the same on every instance (required with Redis)
//   TEMPER_REDIS_URL     redis://[user:pass@]host:port/db or rediss://… — shared state for N instances
//   TEMPER_TRUST_PROXY   your load balancer's address(es)/CIDR(s), or a hop count: whom to believe in X-Forwarded-For
//   TEMPER_HEARTBEAT_MS  SSE heartbeat interval (default 15000): below the load balancer's idle timeout
//   TEMPER_DRAIN_GRACE_MS after SIGTERM, keep serving (healthz 503, Connection: close) this long so the balancer
//                        takes the instance out before idle connections close (default 3000)
//   TEMPER_DEMO_SIGNIN   1 to turn on POST /demo/agent-token (anyone becomes a supervisor): demos only
//   TEMPER_SUPERVISORS_READ  all | escalated (default) | none: which transcripts supervisors read (staffAccess)
//   TEMPER_TEST_BOT_DELAY_MS  TEST ONLY: the FAQ bot waits this long before answering (tests kill -9 an instance
//                        mid-answer with it); never set it in production
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { READ_SCOPES, type Coordination, type ReadScope, type Store, type TrustProxy } from '@temper/server';
import type { createRedisBackend, RedisBackend } from '@temper/server-redis';
import { startShop, type RunningShop, type ShopOptions } from './server.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '../..');

/** What `npm run build` writes that serving needs (the server package itself, the widget, the console). */
const BUILT = [
  'packages/server/dist/index.js',
  'packages/protocol/dist/index.js',
  'packages/widget/dist/cdn/snippet.js',
  'packages/widget/dist/cdn/temper.js',
  'examples/shop/dist/agent.js',
];

/** How long requests still running at shutdown may take before their connections are cut. */
const DRAIN_MS = 5000;

/** A configuration problem: printed as one clear line, exit code 2 (nothing was started). */
export class ServeConfigError extends Error {
  override readonly name = 'ServeConfigError';
}

/** The parsed environment of `npm run serve`. */
export interface ServeConfig {
  port: number;
  host: string;
  secret: string | undefined;
  redisUrl: string | undefined;
  /** `undefined`: trust no proxy (the socket peer is the client). */
  trustProxy: TrustProxy | undefined;
  demoSignIn: boolean;
  heartbeatMs: number | undefined;
  /** TEMPER_DRAIN_GRACE_MS: after SIGTERM, how long to keep serving (503 on /healthz, `Connection: close` on every
   * response) before closing idle connections, so the balancer marks this instance down first. Default 3000. */
  drainGraceMs: number;
  /** TEST ONLY (TEMPER_TEST_BOT_DELAY_MS): the bot's delay before each answer; absent unless set. */
  testBotDelayMs?: number;
  /** TEMPER_SUPERVISORS_READ (issue 15): `staffAccess.supervisorsRead`; absent = the server's default `'escalated'`. */
  supervisorsRead?: ReadScope;
}

/** Missing build outputs, as repo-relative paths (empty when the build is complete). */
export function missingBuild(root = repo): string[] {
  return BUILT.filter((f) => !existsSync(join(root, f)));
}

const flag = (env: NodeJS.ProcessEnv, name: string): boolean => {
  const v = env[name];
  if (v === undefined || v === '' || v === '0' || v === 'false') return false;
  if (v === '1' || v === 'true') return true;
  throw new ServeConfigError(`${name} must be 1 or 0 (got ${JSON.stringify(v)})`);
};

/** `''`/`0` → none; digits → that many proxy hops; else a comma-separated list of addresses, CIDRs and presets. */
function trustProxyOf(raw: string | undefined): TrustProxy | undefined {
  const v = raw?.trim() ?? '';
  if (v === '' || v === '0' || v === 'false') return undefined;
  if (/^[0-9]+$/.test(v)) return Number(v);
  return v.split(',').map((s) => s.trim());
}

function drainGraceOf(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 3000;
  const ms = Number(raw);
  if (!/^[0-9]+$/.test(raw) || ms > 60_000)
    throw new ServeConfigError(`TEMPER_DRAIN_GRACE_MS must be 0–60000 milliseconds (got ${JSON.stringify(raw)})`);
  return ms;
}

function heartbeatOf(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const ms = Number(raw);
  if (!/^[0-9]+$/.test(raw) || ms < 100 || ms > 600_000)
    throw new ServeConfigError(`TEMPER_HEARTBEAT_MS must be 100–600000 milliseconds (got ${JSON.stringify(raw)})`);
  return ms;
}

function supervisorsReadOf(raw: string | undefined): { supervisorsRead?: ReadScope } {
  if (raw === undefined || raw === '') return {};
  if (!READ_SCOPES.includes(raw as ReadScope)) throw new ServeConfigError(`TEMPER_SUPERVISORS_READ must be one of ${READ_SCOPES.join(', ')} (got ${JSON.stringify(raw)})`);
  return { supervisorsRead: raw as ReadScope };
}

function testBotDelayOf(raw: string | undefined): { testBotDelayMs?: number } {
  if (raw === undefined || raw === '') return {};
  if (!/^[0-9]{1,6}$/.test(raw)) throw new ServeConfigError(`TEMPER_TEST_BOT_DELAY_MS (test only) must be 0–999999 milliseconds (got ${JSON.stringify(raw)})`);
  return { testBotDelayMs: Number(raw) };
}

/**
 * Reads and checks the environment; throws `ServeConfigError` with the fix in its message.
 *
 * @example
 * const config = readServeConfig({ PORT: '8081', TEMPER_SECRET: s, TEMPER_REDIS_URL: 'redis://127.0.0.1:6379/0' });
 */
export function readServeConfig(env: NodeJS.ProcessEnv = process.env): ServeConfig {
  const rawPort = env.PORT ?? '8080';
  const port = Number(rawPort);
  if (!/^[0-9]{1,5}$/.test(rawPort) || port > 65535) throw new ServeConfigError(`PORT must be 0–65535 (got ${JSON.stringify(rawPort)})`);
  const redisUrl = env.TEMPER_REDIS_URL || undefined;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl))
    throw new ServeConfigError(`TEMPER_REDIS_URL must start with redis:// or rediss:// (got ${JSON.stringify(redactUrl(redisUrl))})`);
  const secret = env.TEMPER_SECRET || undefined;
  if (redisUrl && !secret)
    throw new ServeConfigError(
      'TEMPER_REDIS_URL is set but TEMPER_SECRET is not: every instance must sign and verify tokens with the same secret, ' +
        "or a visitor's token stops working on the next instance and after a restart. Generate one with " +
        '`node -e "console.log(require(\'crypto\').randomBytes(32).toString(\'hex\'))"` and give it to every instance.',
    );
  if (secret && Buffer.byteLength(secret) < 32)
    throw new ServeConfigError(`TEMPER_SECRET must be at least 32 bytes (got ${Buffer.byteLength(secret)})`);
  return {
    port,
    host: env.HOST || '127.0.0.1',
    secret,
    redisUrl,
    trustProxy: trustProxyOf(env.TEMPER_TRUST_PROXY),
    demoSignIn: flag(env, 'TEMPER_DEMO_SIGNIN'),
    heartbeatMs: heartbeatOf(env.TEMPER_HEARTBEAT_MS),
    drainGraceMs: drainGraceOf(env.TEMPER_DRAIN_GRACE_MS),
    ...testBotDelayOf(env.TEMPER_TEST_BOT_DELAY_MS),
    ...supervisorsReadOf(env.TEMPER_SUPERVISORS_READ),
  };
}

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  return url.replace(/^(rediss?:\/\/[^:@/]*:)[^@/]*@/, '$1***@');
}

/** A running instance started by `serve`. */
export interface ServedInstance {
  shop: RunningShop;
  config: ServeConfig;
  /** Drains, ends open streams, waits for bot replies in flight, closes the store and Redis connections. */
  stop(): Promise<void>;
}

/**
 * Starts one instance from `config`: the shop on its own (memory) store, or on Redis shared with other instances.
 * `overrides` are merged into the shop's options (the server bench turns rate limits off with it).
 *
 * @example
 * const { shop, stop } = await serve(readServeConfig());
 * process.once('SIGTERM', () => void stop().then(() => process.exit(0)));
 */
export async function serve(config: ServeConfig, overrides: Partial<ShopOptions> = {}): Promise<ServedInstance> {
  const missing = missingBuild();
  if (missing.length)
    throw new ServeConfigError(`the shop is not built (missing ${missing.join(', ')}): run \`npm run build\` once, then \`npm run serve\``);
  let store: Store | undefined;
  let coordination: Coordination | undefined;
  let closeBackend = async () => {};
  if (config.redisUrl) {
    const backend = await connectRedis(config.redisUrl);
    store = backend.store;
    coordination = backend.coordination;
    closeBackend = () => backend.close();
  }
  let shop: RunningShop;
  try {
    shop = await startShop({
      port: config.port,
      host: config.host,
      demoSignIn: config.demoSignIn,
      ...(config.trustProxy !== undefined ? { trustProxy: config.trustProxy } : {}),
      ...(config.heartbeatMs !== undefined ? { heartbeatMs: config.heartbeatMs } : {}),
      ...(config.testBotDelayMs ? { testBotDelayMs: config.testBotDelayMs } : {}),
      ...(config.supervisorsRead ? { staffAccess: { supervisorsRead: config.supervisorsRead } } : {}),
      ...(config.secret ? { secret: config.secret } : {}),
      ...(store ? { store } : {}),
      ...(coordination ? { coordination } : {}),
      ...overrides,
    });
  } catch (e) {
    await closeBackend();
    throw e;
  }
  // Longer than the load balancer keeps idle connections to us, so it never reuses one we are just closing
  // (the 5 s default races HAProxy's pool and turns into rare 502s).
  shop.server.keepAliveTimeout = 65_000;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      shop.drain();
      // First let the balancer see /healthz answer 503 and take this instance out (HAProxy here: 2 checks, 1 s
      // apart). Meanwhile every response carries Connection: close, so each keep-alive connection ends after a
      // response, never while the balancer may be writing a request onto it — closing idle connections at once
      // raced HAProxy's connection reuse and failed a request now and then (balancer.test.ts).
      if (config.drainGraceMs > 0) await new Promise((r) => setTimeout(r, config.drainGraceMs));
      // No new connections (the balancer's next attempt is refused and it redispatches to another instance);
      // idle keep-alive connections close now, busy ones after their response (drain sets Connection: close).
      const closed = new Promise<void>((r) => shop.server.close(() => r()));
      // Open SSE streams end here; their clients reconnect through the balancer to another instance and resume
      // from their Last-Event-ID. Bot replies in flight are awaited.
      await shop.temper.close();
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([closed, new Promise((r) => (timer = setTimeout(r, DRAIN_MS)))]);
      clearTimeout(timer);
      shop.server.closeAllConnections();
      await closed;
      // The store last: requests that were still running needed it.
      await closeBackend();
    })());
  return { shop, config, stop };
}

async function connectRedis(url: string): Promise<RedisBackend> {
  let mod: { createRedisBackend: typeof createRedisBackend };
  try {
    // Loaded only here: the embedded default starts without a Redis client.
    mod = await import('@temper/server-redis');
  } catch (e) {
    throw new ServeConfigError(`TEMPER_REDIS_URL is set but @temper/server-redis could not be loaded (${(e as Error).message})`);
  }
  try {
    return await mod.createRedisBackend({ url });
  } catch (e) {
    throw new ServeConfigError(`could not connect to Redis at ${redactUrl(url)}: ${(e as Error).message}`);
  }
}

async function main(): Promise<void> {
  let instance: ServedInstance;
  try {
    const config = readServeConfig();
    instance = await serve(config);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    // Configuration errors (ours, and createTemperServer's TypeError/RangeError for a bad setting) are one line.
    if (err instanceof ServeConfigError || err instanceof TypeError || err instanceof RangeError) console.error(`serve: ${err.message}`);
    else if (err.code === 'EADDRINUSE') console.error(`serve: port ${process.env.PORT ?? 8080} is in use: set PORT to another port`);
    else console.error('serve: could not start', err);
    process.exit(2);
  }
  const { shop, config } = instance;
  if (!config.secret)
    console.warn(
      'serve: warning: TEMPER_SECRET is not set; a random secret is used, so visitor tokens end with this process and ' +
        'work on no other instance. Set TEMPER_SECRET for anything but a try-out.',
    );
  if (config.demoSignIn)
    console.warn(
      'serve: warning: TEMPER_DEMO_SIGNIN=1: POST /demo/agent-token gives ANYONE an agent or supervisor token. ' +
        'Demos only; a real host signs its staff in itself and calls createAgentToken.',
    );
  if (config.testBotDelayMs)
    console.warn(`serve: warning: TEMPER_TEST_BOT_DELAY_MS=${config.testBotDelayMs}: the bot answers that much later. Tests only.`);
  const storeName = config.redisUrl ? `redis ${redactUrl(config.redisUrl)}` : 'memory (this process only)';
  // Tests and scripts read this line to learn the port when PORT=0 (so warnings come before it).
  console.log(`serve: listening on ${shop.url} (pid ${process.pid}, store: ${storeName})`);
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    if (++signals > 1) {
      console.error(`serve: ${sig} again, exiting without waiting`);
      process.exit(1);
    }
    console.log(`serve: ${sig}: draining and closing`);
    // A bot or store that never answers must not keep the process alive forever.
    setTimeout(() => {
      console.error('serve: shutdown took longer than 10 s, exiting');
      process.exit(1);
    }, 10_000).unref();
    instance.stop().then(
      () => {
        console.log('serve: closed');
        process.exit(0);
      },
      (e: unknown) => {
        console.error('serve: error while closing', e);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) void main();
