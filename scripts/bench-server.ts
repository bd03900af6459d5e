// npm run bench:server — throughput, latency and memory of @temper/server on one core over loopback.
//
// The server runs alone in a child process (one Node process = one core for JS) with the in-memory store and
// the shop's FAQ bot; this process is the load generator: a bounded number of requests over a keep-alive
// http.Agent with a fixed number of connections. No autocannon: the interesting requests need a fresh session
// token per conversation and increasing signal seqs, which a small generator does more simply than a
// request-template tool. Only 127.0.0.1 is used.
//
// Options: --conversations N (default 100000), --concurrency C (default 64), --messages M (default 20000).
import { fork, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { API_BASE } from '@temper/protocol';

const self = fileURLToPath(import.meta.url);
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
  return v;
};

interface ServerReport {
  rss: number;
  heapUsed: number;
  decisions: number;
  requests: number;
  refused: Record<string, number>;
  conversations: number;
  cpuUserMs: number;
  cpuSystemMs: number;
}

// ---------------------------------------------------------------------------------------------- server side

async function serve(): Promise<void> {
  const { createServer } = await import('node:http');
  const { createTemperServer } = await import('@temper/server');
  const { createFaqBot } = await import('../examples/shop/faq-bot.ts');
  const handler = createTemperServer({
    secret: 'bench-secret-bench-secret-bench-secret-0123',
    bot: createFaqBot(),
    // The generator is one IP hammering on purpose; limits would measure the limiter, not the server.
    limits: { perIp: false, perSession: false },
    log: () => {},
  });
  const server = createServer(handler);
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    process.send!({ type: 'listening', port: typeof addr === 'object' && addr ? addr.port : 0 });
  });
  process.on('message', async (m: { type: string }) => {
    if (m.type === 'report') {
      // Settle bot replies in flight, then collect garbage so heapUsed is what the data holds, not litter.
      await new Promise((r) => setTimeout(r, 200));
      (globalThis as { gc?: () => void }).gc?.();
      const mem = process.memoryUsage();
      const cpu = process.cpuUsage();
      const st = handler.stats();
      const report: ServerReport = {
        rss: mem.rss,
        heapUsed: mem.heapUsed,
        decisions: st.decisions,
        requests: st.requests,
        refused: st.refused as Record<string, number>,
        conversations: (await handler.store.listConversations()).length,
        cpuUserMs: cpu.user / 1000,
        cpuSystemMs: cpu.system / 1000,
      };
      process.send!({ type: 'report', report });
    } else if (m.type === 'stop') {
      await handler.close();
      server.closeAllConnections();
      server.close(() => process.exit(0));
    }
  });
}

// ------------------------------------------------------------------------------------------- load generator

interface Phase {
  name: string;
  count: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  serverCpuMs: number;
  decisions: number;
}

function ask(child: ChildProcess): Promise<ServerReport> {
  return new Promise((resolve) => {
    const on = (m: { type: string; report?: ServerReport }) => {
      if (m.type !== 'report') return;
      child.off('message', on);
      resolve(m.report!);
    };
    child.on('message', on);
    child.send({ type: 'report' });
  });
}

function main() {
  const conversations = arg('conversations', 100_000);
  const concurrency = arg('concurrency', 64);
  const messageCount = Math.min(arg('messages', 20_000), conversations);
  const child = fork(self, ['--serve'], {
    execArgv: ['--import', 'tsx', '--expose-gc', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.once('message', async (m: { type: string; port: number }) => {
    try {
      await run(child, m.port, conversations, concurrency, messageCount);
    } finally {
      child.send({ type: 'stop' });
    }
  });
}

async function run(child: ChildProcess, port: number, conversations: number, concurrency: number, messageCount: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const send = (method: string, path: string, body: string | null, token?: string): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = {};
      if (body !== null) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(body);
      }
      if (token) headers.authorization = `Bearer ${token}`;
      const req = request({ host: '127.0.0.1', port, method, path: API_BASE + path, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body ?? undefined);
    });

  /** Runs `count` requests with `concurrency` in flight; `make(i)` sends request i. */
  async function phase(name: string, count: number, make: (i: number) => Promise<boolean>): Promise<Phase> {
    const before = await ask(child);
    const lat = new Float64Array(count);
    let nextIndex = 0;
    let errors = 0;
    const t0 = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: Math.min(concurrency, count) }, async () => {
        for (;;) {
          const i = nextIndex++;
          if (i >= count) return;
          const s = process.hrtime.bigint();
          const ok = await make(i).catch(() => false);
          lat[i] = Number(process.hrtime.bigint() - s) / 1e6;
          if (!ok) errors++;
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const after = await ask(child);
    const sorted = Float64Array.from(lat).sort();
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
    return {
      name,
      count,
      seconds,
      perSecond: count / seconds,
      p50: q(0.5),
      p99: q(0.99),
      max: sorted[sorted.length - 1] ?? 0,
      errors,
      serverCpuMs: after.cpuUserMs + after.cpuSystemMs - before.cpuUserMs - before.cpuSystemMs,
      decisions: after.decisions - before.decisions,
    };
  }

  console.log(`bench:server — ${conversations} conversations, ${concurrency} keep-alive connections, 127.0.0.1, server in one process`);
  // Figures from a busy machine understate the server; print the load so readers can judge.
  const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`machine: ${cpus().length} cores, load average at start ${load()}`);
  const tokens: string[] = new Array(conversations);
  const phases: Phase[] = [];

  phases.push(
    await phase('POST /sessions', conversations, async (i) => {
      const r = await send('POST', '/sessions', i % 2 ? '{"locale":"zh-CN"}' : '{}');
      if (r.status !== 201) return false;
      tokens[i] = (JSON.parse(r.text) as { token: string }).token;
      return true;
    }),
  );
  // One signal per conversation: each is validated, seq-checked, stored and routed (a decision + an audit entry).
  const levels = [0, 1, 0, 2, 1, 0, 3, 1];
  phases.push(
    await phase('POST /signals (seq 1)', conversations, async (i) => {
      const r = await send('POST', '/signals', `{"v":1,"seq":1,"level":${levels[i % levels.length]},"trend":${(i % 3) - 1}}`, tokens[i]);
      return r.status === 200;
    }),
  );
  phases.push(
    await phase('POST /signals (seq 2)', conversations, async (i) => {
      const r = await send('POST', '/signals', `{"v":1,"seq":2,"level":${levels[(i + 3) % levels.length]},"trend":1}`, tokens[i]);
      return r.status === 200;
    }),
  );
  const texts = ['Where is my order?', '我的退款什么时候到账？', 'How long does shipping take?', 'purple elephants', '结账的时候一直报错'];
  phases.push(
    await phase('POST /messages (+FAQ bot)', messageCount, async (i) => {
      const r = await send('POST', '/messages', JSON.stringify({ id: `bench-${i.toString(36).padStart(8, '0')}`, text: texts[i % texts.length] }), tokens[i]);
      return r.status === 201;
    }),
  );
  const mem = await ask(child);

  // The policy alone, in this process: what one decision costs without HTTP, validation or storage.
  const { decide, DEFAULT_ROUTING } = await import('@temper/server');
  const N = 1_000_000;
  let sink = 0;
  const state = {
    level: 1 as 0 | 1 | 2 | 3,
    trend: 1 as -1 | 0 | 1,
    botNotUnderstood: 1,
    askedForHuman: false,
    turns: 3,
    agentsOnline: 2,
    agentsFree: 1,
    now: Date.now(),
    language: 'en' as const,
    current: null,
    assigned: false,
    levelAtHandBack: null,
    queuedAt: null,
  };
  const d0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    state.level = (i & 3) as 0 | 1 | 2 | 3;
    sink += decide(state, DEFAULT_ROUTING).priority;
  }
  const pureSeconds = Number(process.hrtime.bigint() - d0) / 1e9;

  const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const rows = phases.map((p) => [
    p.name,
    fmt(p.count),
    fmt(p.perSecond),
    fmt(p.p50, 2),
    fmt(p.p99, 2),
    fmt(p.max, 1),
    fmt((p.serverCpuMs / 1000 / p.seconds) * 100),
    p.decisions ? fmt(p.decisions / p.seconds) : '–',
    fmt(p.errors),
  ]);
  const head = ['phase', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'server CPU %', 'decisions/s', 'errors'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log('\n' + line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  console.log(`\nrouting policy alone (decide(), in-process): ${fmt(N / pureSeconds)} decisions/s (${fmt((pureSeconds / N) * 1e9)} ns each)${sink < 0 ? '' : ''}`);
  console.log(
    `server memory after ${fmt(mem.conversations)} conversations (after GC): heapUsed ${fmt(mem.heapUsed / 2 ** 20, 1)} MiB, ` +
      `RSS ${fmt(mem.rss / 2 ** 20, 1)} MiB, ${fmt(mem.heapUsed / mem.conversations)} B heap per conversation`,
  );
  console.log(`refused: ${JSON.stringify(mem.refused)}; load average at end ${load()}`);
  console.log(
    'server CPU % is the server process alone (100 % = one core saturated); the generator runs in this process on the other core.',
  );
  agent.destroy();
}

if (process.argv.includes('--serve')) void serve();
else main();
