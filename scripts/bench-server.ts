// npm run bench:server — throughput and p99 of the host backend over loopback, measured with wrk, as a ratio to a
// bare node:http JSON handler measured in the same run (so a busy or slow machine moves both alike).
//
// Targets, each a real process started as `npm run serve` starts it (examples/shop/serve.ts):
//   bare       node:http: read the body, JSON.parse it, answer a small JSON — the ceiling for one Node process
//   memory ×1  one instance, embedded memory store
//   redis ×1   one instance on a redis-server of its own (AOF on, appendfsync always, as the scale-out README says)
//   redis ×3   three instances behind HAProxy (examples/scale-out/haproxy.cfg), wrk against HAProxy: the deployed
//              shape, so the balancer's cost is in the figure
// Load: wrk (C, one thread, keep-alive connections) with scripts/bench-server.lua, which sends POST /signals for
// a set of conversations opened beforehand, each with its own increasing seq (as the widget does); then
// POST /sessions and POST /messages (the FAQ bot answers each). Rate limits are off in the instances: the load
// comes from one IP on purpose, so per-IP buckets would measure the limiter. Only 127.0.0.1 is used, every run is
// bounded in time, and every process is stopped at the end.
//
// The bare handler runs first and last; ratios use the mean of the two (their difference shows load drift from
// other processes on the machine). Options: --duration S (seconds per run, default 5), --connections C (default 50), --conversations N (default 2000).
// --trips prints only the Redis commands and round trips per request (a few seconds).
// --heartbeats prints what an open visitor stream costs per SSE heartbeat (lease renewals; ≈ 20 s).
//   Options: --streams N (default 500), --heartbeat-ms H (default 500), --duration S (default 10).
// BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the memory ×1 instance there (open it in Chrome devtools).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_BASE } from '@temper/protocol';
// @ts-expect-error plain ESM helper without types
import { ensureAptTool, TOOLS } from './lib/ensure-apt.mjs';
import { startHaproxy, startInstance, startRedis, stopAll, type Instance, type Proc, type RedisServer } from '../examples/scale-out/cluster.ts';

const self = fileURLToPath(import.meta.url);
const LUA = fileURLToPath(new URL('./bench-server.lua', import.meta.url));
const SECRET = 'bench-secret-bench-secret-bench-secret-0123';

// ------------------------------------------------------------------------------------------ child processes

/** The baseline: what one Node process answers when the handler does nothing but parse JSON. */
function bare(): void {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let seq = 0;
      try {
        seq = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { seq?: number }).seq ?? 0;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"code":"bad-json"}}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ seq }));
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    console.log(`serve: listening on http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`);
  });
  process.on('SIGTERM', () => process.exit(0));
}

/** An instance exactly as `npm run serve` makes it, with rate limits off and quiet logs. */
async function instance(): Promise<void> {
  const { serve, readServeConfig } = await import('../examples/shop/serve.ts');
  const { shop, stop } = await serve(readServeConfig(), {
    // streamsPerIp: `--heartbeats` opens its visitor streams from one IP on purpose, like the loads above.
    limits: { perIp: false, perSession: false, perAgent: false, sessionsPerIp: false, sessions: false, streamsPerIp: 10_000 },
    log: (level, message, fields) => {
      if (level === 'error') console.error(`[temper] ${message}`, fields ?? '');
    },
  });
  console.log(`serve: listening on ${shop.url}`);
  process.on('SIGTERM', () => void stop().then(() => process.exit(0)));
}

// ------------------------------------------------------------------------------------------------ measuring

interface Wrk {
  requests: number;
  durationUs: number;
  non2xx: number;
  socketErrors: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
}

interface Row {
  target: string;
  load: 'signals' | 'sessions' | 'messages';
  perSecond: number;
  p99Ms: number;
  errors: number;
  /** Busy share of the whole machine (100 % = every core) during the run. */
  machinePct: number;
  /** CPU % of each process of the target (100 % = one core). */
  cpu: Record<string, number>;
  /** Redis commands per request, by command (from INFO commandstats), for the Redis targets. */
  redisPerRequest?: Record<string, number>;
}

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
  return v;
};

/** utime + stime of a process in ms (Linux /proc; 0 elsewhere). */
function cpuMs(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/** [busy, total] jiffies of the whole machine. */
function machine(): [number, number] {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3]! + f[4]!;
    const total = f.reduce((a, b) => a + b, 0);
    return [total - idle, total];
  } catch {
    return [0, 1];
  }
}

function runWrk(url: string, args: string[], seconds: number, connections: number): Promise<Wrk> {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '5s', '-s', LUA, url, '--', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b));
    child.stderr.on('data', (b: Buffer) => (out += b));
    child.on('error', reject);
    child.on('exit', (code) => {
      const m = /WRK_JSON (\{.*\})/.exec(out);
      if (code !== 0 || !m) reject(new Error(`wrk failed (${code}): ${out}`));
      else resolve(JSON.parse(m[1]!) as Wrk);
    });
  });
}

async function measure(
  target: string,
  load: Row['load'],
  url: string,
  args: string[],
  procs: Record<string, { pid: number }>,
  o: { seconds: number; connections: number },
  redisPort?: number,
): Promise<Row> {
  const before = Object.fromEntries(Object.entries(procs).map(([k, p]) => [k, cpuMs(p.pid)]));
  const calls0 = redisPort ? commandStats(redisPort) : null;
  const [b0, t0] = machine();
  const w = await runWrk(url, args, o.seconds, o.connections);
  const [b1, t1] = machine();
  // Let requests wrk abandoned at its deadline finish, so their commands are not counted against the next run.
  if (redisPort) await new Promise((r) => setTimeout(r, 200));
  const calls1 = redisPort ? commandStats(redisPort) : null;
  const seconds = w.durationUs / 1e6;
  const cpu = Object.fromEntries(Object.entries(procs).map(([k, p]) => [k, ((cpuMs(p.pid) - before[k]!) / 1000 / seconds) * 100]));
  return {
    target,
    load,
    perSecond: w.requests / seconds,
    p99Ms: w.p99Us / 1000,
    errors: w.non2xx + w.socketErrors,
    machinePct: ((b1 - b0) / Math.max(1, t1 - t0)) * 100,
    cpu,
    ...(calls0 && calls1
      ? {
          redisPerRequest: Object.fromEntries(
            Object.entries(calls1)
              .map(([k, v]) => [k, (v - (calls0[k] ?? 0)) / w.requests] as const)
              .filter(([k, v]) => v >= 0.05 && k !== 'info')
              .sort((a, b) => b[1] - a[1]),
          ),
        }
      : {}),
  };
}

/** Calls so far by command name (`INFO commandstats`). */
function commandStats(port: number): Record<string, number> {
  const out = execFileSync('redis-cli', ['-p', String(port), 'info', 'commandstats'], { encoding: 'utf8' });
  const calls: Record<string, number> = {};
  for (const m of out.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls[m[1]!] = Number(m[2]);
  return calls;
}

/** Opens `n` conversations through `url` (32 at a time) and writes their tokens to a file, one a line. */
async function openConversations(url: string, n: number, file: string): Promise<void> {
  const tokens: string[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      for (;;) {
        const i = next++;
        if (i >= n) return;
        const r = await fetch(`${url}${API_BASE}/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        if (r.status !== 201) throw new Error(`POST /sessions: ${r.status} ${await r.text()}`);
        tokens[i] = ((await r.json()) as { token: string }).token;
      }
    }),
  );
  writeFileSync(file, tokens.join('\n') + '\n');
}

function redisUsedMemory(redis: RedisServer): number {
  const info = execFileSync('redis-cli', ['-p', String(redis.port), 'info', 'memory'], { encoding: 'utf8' });
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
}

function redisKeys(redis: RedisServer): number {
  return Number(execFileSync('redis-cli', ['-p', String(redis.port), 'dbsize'], { encoding: 'utf8' }).trim());
}

/** Socket reads Redis processed so far (INFO stats `total_reads_processed`, Redis ≥ 6). */
function readsProcessed(port: number): number {
  const out = execFileSync('redis-cli', ['-p', String(port), 'info', 'stats'], { encoding: 'utf8' });
  return Number(/total_reads_processed:(\d+)/.exec(out)?.[1] ?? NaN);
}

/**
 * Commands and round trips to Redis per request, from a short sequential sample per kind of request (MONITOR
 * slows Redis down, so this is kept out of the timed runs). Commands: MONITOR prints every command with its
 * client, and commands run inside Lua scripts show as `lua`, so the other lines are what clients sent.
 * Round trips: the socket reads Redis processed (INFO stats), less those of the INFO calls themselves — a
 * pipelined batch of commands arrives in one read, so with one request at a time this counts the request's
 * sequential waits on Redis (`commands` and `trips` are equal when nothing is pipelined).
 */
async function roundTrips(port: number, url: string): Promise<Record<string, number>> {
  const mon = spawn('redis-cli', ['-p', String(port), 'monitor'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let lines: string[] = [];
  let partial = '';
  mon.stdout.on('data', (b: Buffer) => {
    const parts = (partial + b.toString('utf8')).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
  });
  await new Promise((r) => mon.stdout.once('data', r)); // the "OK" line: MONITOR is live
  const settle = () => new Promise((r) => setTimeout(r, 300));
  const count = async (n: number, send: (i: number) => Promise<Response>): Promise<[number, number]> => {
    await settle();
    const infoReads = -readsProcessed(port) + readsProcessed(port); // what one INFO call adds
    lines = [];
    const reads0 = readsProcessed(port);
    for (let i = 0; i < n; i++) {
      const r = await send(i);
      await r.arrayBuffer();
      if (!r.ok) throw new Error(`round-trip sample: ${r.status}`);
    }
    await settle(); // bot replies and fan-out after the response
    const trips = (readsProcessed(port) - reads0 - infoReads) / n;
    return [lines.filter((l) => /^\d+\.\d+ \[\d+ (?!lua)/.test(l)).length / n, trips];
  };
  const json = (path: string, body: string, token?: string) =>
    fetch(`${url}${API_BASE}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
    });
  // Fresh conversations of its own (opened by the sessions sample), so no timed run's seqs are touched.
  const n = 50;
  const own: string[] = [];
  const sessions = await count(n, async () => {
    const r = await json('/sessions', '{}');
    own.push(((await r.clone().json()) as { token: string }).token);
    return r;
  });
  const signals = await count(n, (i) => json('/signals', '{"v":1,"seq":1,"level":1,"trend":0}', own[i]));
  const messages = await count(n, (i) => json('/messages', `{"id":"rt-sample-${i}","text":"Where is my order?"}`, own[i]));
  mon.kill();
  return {
    'sessions commands': sessions[0],
    'sessions trips': sessions[1],
    'signals commands': signals[0],
    'signals trips': signals[1],
    'messages commands': messages[0],
    'messages trips': messages[1],
  };
}

// --------------------------------------------------------------------------------------------------- driver

async function main(): Promise<void> {
  const seconds = arg('duration', 5);
  const connections = arg('connections', 50);
  const conversations = arg('conversations', 2000);
  const o = { seconds, connections };
  for (const t of ['wrk', 'haproxy', 'redis-server']) {
    try {
      ensureAptTool(t, ...(TOOLS[t] as [string, string]));
    } catch (e) {
      console.error(`bench:server: ${(e as Error).message}`);
      process.exit(1);
    }
  }
  const { missingBuild } = await import('../examples/shop/serve.ts');
  if (missingBuild().length) {
    console.error(`bench:server: the shop is not built (missing ${missingBuild().join(', ')}); run npm run build first`);
    process.exit(1);
  }
  const tmp = mkdtempSync(join(tmpdir(), 'temper-bench-'));
  const tokens = join(tmp, 'tokens.txt');
  const started: Array<Proc | undefined> = [];
  let stopRedis = async () => {};
  let run = 0;
  // Each wrk run starts its seqs above the last run's, so no signal is stale against an earlier run.
  const signalArgs = () => ['signals', tokens, String(++run * 100_000)];
  const rows: Row[] = [];
  const report = (r: Row) => {
    rows.push(r);
    console.log(`  ${r.target.padEnd(16)} ${r.load.padEnd(8)} ${Math.round(r.perSecond).toString().padStart(6)}/s  p99 ${r.p99Ms.toFixed(1)} ms`);
  };
  let redisBytesPerConversation = NaN;
  let redisKeysPerConversation = NaN;
  let trips: Record<string, number> = {};
  console.log(
    `bench:server — wrk 1 thread × ${connections} connections, ${seconds} s per run, ${conversations} conversations, 127.0.0.1; ` +
      `${cpus().length} cores, load average at start ${loadavg().map((x) => x.toFixed(2)).join(' ')}`,
  );
  try {
    const env = { TEMPER_SECRET: SECRET };
    const inst = (name: string, extra: Record<string, string> = {}, execArgv: string[] = []) =>
      startInstance(name, { ...env, ...extra }, { entry: self, args: ['--instance'], execArgv }).then((i) => (started.push(i), i));

    // bare
    const b = await startInstance('bare', {}, { entry: self, args: ['--bare'] });
    started.push(b);
    writeFileSync(tokens, Array.from({ length: conversations }, (_, i) => `t${i}`).join('\n') + '\n');
    await runWrk(b.url, signalArgs(), 1, connections); // warm-up
    report(await measure('bare', 'signals', b.url, signalArgs(), { node: b }, o));
    await b.stop();

    // memory ×1, and (optionally) its CPU profile
    const prof = process.env.BENCH_CPU_PROF;
    const m = await inst('memory', {}, prof ? ['--cpu-prof', '--cpu-prof-dir', prof] : []);
    await openConversations(m.url, conversations, tokens);
    await runWrk(m.url, signalArgs(), 1, connections);
    report(await measure('memory×1', 'signals', m.url, signalArgs(), { node: m }, o));
    report(await measure('memory×1', 'sessions', m.url, ['sessions'], { node: m }, o));
    report(await measure('memory×1', 'messages', m.url, ['messages', tokens], { node: m }, o));
    await m.stop();

    const hasRedisBackend = await import('@temper/server-redis' as string).then(
      () => true,
      (e: Error) => (console.log(`  redis targets skipped: @temper/server-redis is not available (${e.message})`), false),
    );
    if (hasRedisBackend) {

    // redis ×1
    const redisServer = await startRedis();
    stopRedis = () => redisServer.stop();
    const info = execFileSync('redis-cli', ['-p', String(redisServer.port), 'info', 'server'], { encoding: 'utf8' });
    const redis = { ...redisServer, pid: Number(/process_id:(\d+)/.exec(info)?.[1]) };
    const redisEnv = { TEMPER_REDIS_URL: redis.url };
    const r1 = await inst('redis1', redisEnv);
    const mem0 = redisUsedMemory(redis);
    const keys0 = redisKeys(redis);
    await openConversations(r1.url, conversations, tokens);
    redisBytesPerConversation = (redisUsedMemory(redis) - mem0) / conversations;
    redisKeysPerConversation = (redisKeys(redis) - keys0) / conversations;
    trips = await roundTrips(redis.port, r1.url);
    await runWrk(r1.url, signalArgs(), 1, connections);
    report(await measure('redis×1', 'signals', r1.url, signalArgs(), { node: r1, redis }, o, redis.port));
    report(await measure('redis×1', 'sessions', r1.url, ['sessions'], { node: r1, redis }, o, redis.port));
    report(await measure('redis×1', 'messages', r1.url, ['messages', tokens], { node: r1, redis }, o, redis.port));
    // What durability costs: the same instance with Redis fsyncing once a second instead of before every reply
    // (a crash can then lose the last 1–2 s of acknowledged writes).
    const fsync = (mode: string) => execFileSync('redis-cli', ['-p', String(redis.port), 'config', 'set', 'appendfsync', mode]);
    fsync('everysec');
    report(await measure('redis×1 everysec', 'signals', r1.url, signalArgs(), { node: r1, redis }, o, redis.port));
    report(await measure('redis×1 everysec', 'messages', r1.url, ['messages', tokens], { node: r1, redis }, o, redis.port));
    fsync('always');
    await r1.stop();
    execFileSync('redis-cli', ['-p', String(redis.port), 'flushall']);

    // redis ×3 behind HAProxy
    const three: Instance[] = await Promise.all(['redis3a', 'redis3b', 'redis3c'].map((n) => inst(n, { ...redisEnv, TEMPER_TRUST_PROXY: '127.0.0.1' })));
    const lb = await startHaproxy(three.map((i) => `127.0.0.1:${i.port}`));
    started.push(lb);
    const procs3 = { node1: three[0]!, node2: three[1]!, node3: three[2]!, redis, haproxy: lb };
    await openConversations(lb.url, conversations, tokens);
    await runWrk(lb.url, signalArgs(), 1, connections);
    report(await measure('redis×3', 'signals', lb.url, signalArgs(), procs3, o, redis.port));
    report(await measure('redis×3', 'sessions', lb.url, ['sessions'], procs3, o, redis.port));
    report(await measure('redis×3', 'messages', lb.url, ['messages', tokens], procs3, o, redis.port));
    await stopAll([lb, ...three]);
    }

    // bare again: when the two bare figures differ much, the machine's load changed during the run.
    const b2 = await startInstance('bare', {}, { entry: self, args: ['--bare'] });
    started.push(b2);
    writeFileSync(tokens, Array.from({ length: conversations }, (_, i) => `t${i}`).join('\n') + '\n');
    await runWrk(b2.url, signalArgs(), 1, connections);
    report(await measure('bare', 'signals', b2.url, signalArgs(), { node: b2 }, o));
  } finally {
    await stopAll(started);
    await stopRedis();
    rmSync(tmp, { recursive: true, force: true });
  }
  print(rows, { redisBytesPerConversation, redisKeysPerConversation, trips, seconds, connections, conversations });
}

interface Extra {
  redisBytesPerConversation: number;
  redisKeysPerConversation: number;
  /** Round trips to Redis per request, by load. */
  trips: Record<string, number>;
  seconds: number;
  connections: number;
  conversations: number;
}

function print(rows: Row[], extra: Extra) {
  // The ratios use the mean of the bare runs at the start and at the end.
  const bares = rows.filter((r) => r.target === 'bare').map((r) => r.perSecond);
  const bareSignals = bares.reduce((a, b) => a + b, 0) / bares.length;
  const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const head = ['target', 'load', 'req/s', '× bare', 'p99 ms', 'errors', 'machine %', 'CPU % by process (100 = one core)'];
  const table = rows.map((r) => [
    r.target,
    r.load,
    fmt(r.perSecond),
    r.load === 'signals' ? fmt(r.perSecond / bareSignals, 2) : '',
    fmt(r.p99Ms, 1),
    fmt(r.errors),
    fmt(r.machinePct),
    Object.entries(r.cpu).map(([k, v]) => `${k} ${fmt(v)}`).join(', '),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i < 2 || i === 7 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log('\n' + line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of table) console.log(line(r));
  for (const r of rows.filter((x) => x.redisPerRequest)) {
    const per = Object.entries(r.redisPerRequest!);
    const total = per.reduce((a, [, v]) => a + v, 0);
    console.log(
      `Redis commands executed per request (inside Lua scripts too), ${r.target} ${r.load}: ${fmt(total, 1)} ` +
        `(${per.map(([k, v]) => `${k} ${fmt(v, 1)}`).join(', ')})`,
    );
  }
  if (Object.keys(extra.trips).length)
    console.log(
      `Redis per request, one request at a time, redis ×1 (commands sent: MONITOR; round trips: socket reads, INFO stats): ` +
        Object.entries(extra.trips).map(([k, v]) => `${k} ${fmt(v, 1)}`).join(', '),
    );
  const sig = (t: string) => rows.find((r) => r.target === t && r.load === 'signals')?.perSecond ?? NaN;
  const aims = {
    memoryVsBare: sig('memory×1') / bareSignals,
    redisVsBare: sig('redis×1') / bareSignals,
    redisEverysecVsBare: sig('redis×1 everysec') / bareSignals,
    threeVsOne: sig('redis×3') / sig('redis×1'),
  };
  console.log(
    `\naims (figures, not assertions): memory ×1 ${fmt(aims.memoryVsBare, 2)} of bare (aim ≥ 0.5); redis ×1 ${fmt(aims.redisVsBare, 2)} of bare ` +
      `(aim ≥ 0.25; ${fmt(aims.redisEverysecVsBare, 2)} with appendfsync everysec); redis ×3 ${fmt(aims.threeVsOne, 2)}× redis ×1 (aim ≥ 2 — needs cores: here wrk, HAProxy, Redis and three ` +
      `Node processes share ${cpus().length}).`,
  );
  console.log(
    `Redis memory per idle conversation (just opened): ${fmt(extra.redisBytesPerConversation)} B used_memory, ` +
      `${fmt(extra.redisKeysPerConversation, 1)} keys; load average at end ${loadavg().map((x) => x.toFixed(2)).join(' ')}`,
  );
  console.log(
    JSON.stringify({
      bench: 'server',
      wrk: { threads: 1, connections: extra.connections, seconds: extra.seconds },
      conversations: extra.conversations,
      cores: cpus().length,
      rows: rows.map((r) => ({ ...r, perSecond: Math.round(r.perSecond), p99Ms: Number(r.p99Ms.toFixed(2)) })),
      aims,
      redisBytesPerIdleConversation: Math.round(extra.redisBytesPerConversation),
      redisRoundTripsPerRequest: extra.trips,
    }),
  );
}

/** `--trips`: only the per-request Redis commands and round trips (a few seconds, no timed runs). */
async function tripsOnly(): Promise<void> {
  const redis = await startRedis();
  let node: Instance | undefined;
  try {
    node = await startInstance('redis1', { TEMPER_SECRET: SECRET, TEMPER_REDIS_URL: redis.url }, { entry: self, args: ['--instance'] });
    const fmt = (v: number) => v.toFixed(1);
    const t = await roundTrips(redis.port, node.url);
    console.log(`Redis per request, one request at a time, redis ×1: ${Object.entries(t).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`);
  } finally {
    await stopAll([node]);
    await redis.stop();
  }
}

/** `INFO commandstats` of one command: calls and total µs Redis spent in it. */
function commandCost(port: number, command: string): { calls: number; usec: number } {
  const out = execFileSync('redis-cli', ['-p', String(port), 'info', 'commandstats'], { encoding: 'utf8' });
  const m = new RegExp(`^cmdstat_${command}:calls=(\\d+),usec=(\\d+)`, 'm').exec(out);
  return { calls: Number(m?.[1] ?? 0), usec: Number(m?.[2] ?? 0) };
}

/**
 * `--heartbeats`: what an open visitor stream costs on each SSE heartbeat, on redis ×1. Every stream holds one
 * leased slot per cap it counts against — its conversation, the visitor's presence (issue 12), its IP, the
 * total — and renews each on the heartbeat (packages/server/src/routes/events.ts). Opens `--streams` visitor
 * streams (default 500) on an instance with `--heartbeat-ms` (default 500; production's default is 15 000),
 * then, for `--duration` seconds (default 10), counts the renewals per heartbeat that arrived, the µs Redis spent
 * in them (INFO commandstats) and the instance's CPU.
 */
async function heartbeatsOnly(): Promise<void> {
  const streams = arg('streams', 500);
  const beatMs = arg('heartbeat-ms', 500);
  const seconds = arg('duration', 10);
  const redis = await startRedis();
  let node: Instance | undefined;
  const open: AbortController[] = [];
  let received = 0;
  try {
    node = await startInstance('redis1', { TEMPER_SECRET: SECRET, TEMPER_REDIS_URL: redis.url, TEMPER_HEARTBEAT_MS: String(beatMs) }, { entry: self, args: ['--instance'] });
    const url = `${node.url}${API_BASE}`;
    for (let i = 0; i < streams; i++) {
      const r = await fetch(`${url}/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const { token } = (await r.json()) as { token: string };
      const ac = new AbortController();
      const res = await fetch(`${url}/events`, { headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` }, signal: ac.signal });
      if (res.status !== 200) throw new Error(`stream ${i}: HTTP ${res.status} ${await res.text()}`);
      open.push(ac);
      // Read it as a browser does (so the server's writes never back up), counting the heartbeats that arrive:
      // the beats that really happened, not the nominal interval, divide the costs below.
      const decoder = new TextDecoder();
      void res
        .body!.pipeTo(new WritableStream({ write: (b: Uint8Array) => void (received += (decoder.decode(b, { stream: true }).match(/^: heartbeat/gm) ?? []).length) }))
        .catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 2 * beatMs));

    // Cost: commandstats and CPU over the window, no MONITOR attached.
    const script = 'evalsha';
    const c0 = commandCost(redis.port, script);
    const cpu0 = cpuMs(node.pid);
    const b0 = received;
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const c1 = commandCost(redis.port, script);
    const cpu1 = cpuMs(node.pid);
    const beats = received - b0;

    // One renewal per slot per beat (routes/events.ts): conversation, presence, IP, total — so the presence
    // lease is a quarter of what this counts, unless a count other than 4 says the code changed.
    const renewalsPerBeat = (c1.calls - c0.calls) / beats;
    const renewUs = (c1.usec - c0.usec) / Math.max(1, c1.calls - c0.calls);
    const redisUsPerBeat = (c1.usec - c0.usec) / beats;
    const cpuUsPerBeat = ((cpu1 - cpu0) * 1000) / beats;
    const fmt = (v: number, d = 2) => v.toFixed(d);
    const perSecond = (10_000 / 15) * renewalsPerBeat;
    console.log(
      `visitor-stream heartbeats, redis ×1, ${streams} streams, heartbeat ${beatMs} ms, ${seconds} s (${beats} stream-heartbeats received):\n` +
        `  renew scripts (${script}) per stream per heartbeat: ${fmt(renewalsPerBeat)} (conversation, visitor presence, IP, total: one each)\n` +
        `  Redis time in them: ${fmt(renewUs, 1)} µs a call, ${fmt(redisUsPerBeat, 1)} µs per stream per heartbeat\n` +
        `  instance CPU per stream per heartbeat: ${fmt(cpuUsPerBeat, 0)} µs (everything the instance does on a beat: renewals, the heartbeat write)\n` +
        `  at the default 15 s heartbeat, 10,000 open streams: ${fmt(perSecond, 0)} renewals/s, ${fmt((perSecond * renewUs) / 10_000, 2)} % of one Redis core; ` +
        `the presence lease: ${fmt(perSecond / renewalsPerBeat, 0)}/s, ${fmt((perSecond / renewalsPerBeat) * renewUs / 10_000, 2)} %`,
    );
  } finally {
    for (const ac of open) ac.abort();
    await stopAll([node]);
    await redis.stop();
  }
}

if (process.argv.includes('--bare')) bare();
else if (process.argv.includes('--instance')) void instance();
else if (process.argv.includes('--trips')) void tripsOnly();
else if (process.argv.includes('--heartbeats')) void heartbeatsOnly();
else void main();
