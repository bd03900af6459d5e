// npm run soak (not in CI): one @temper/server process (memory store, default limits except the request and
// creation buckets, which would make filling take hours) holding 200,000 conversations and 10,000 open SSE streams,
// while a legitimate visitor sends signals and messages. Prints the server's memory before/after and the
// visitor's latency before and during. Loopback only; the streams come from 127.0.0.2–127.0.0.255 so the
// per-IP stream cap (50) stays on. Bounded: about a minute on 2 cores. Usage: npm run soak [-- --streams 10000
// --conversations 200000]
import { fork, type ChildProcess } from 'node:child_process';
import { request, Agent } from 'node:http';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

const arg = (name: string, d: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const STREAMS = arg('streams', 10_000);
const CONVERSATIONS = arg('conversations', 200_000);
const MiB = 2 ** 20;
const SECRET = 'soak-secret-soak-secret-soak-secret-0123456';

// ------------------------------------------------------------------ the server process
if (process.argv.includes('--child')) {
  const { createServer } = await import('node:http');
  const { createTemperServer } = await import('@temper/server');
  const temper = createTemperServer({
    secret: SECRET,
    log: () => {},
    bot: async (_c, m) => ({ text: `re: ${m.text}`, understood: true }),
    // The visitor below sends 200 signals back to back, faster than its session bucket allows a real one.
    limits: { sessionsPerIp: false, sessions: false, perIp: false, perSession: false, streams: STREAMS + 100 },
  });
  const server = createServer(temper);
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as { port: number }).port }));
  process.on('message', async (m: { cmd: string; n?: number }) => {
    if (m.cmd === 'mem') {
      (globalThis as { gc?: () => void }).gc?.();
      const u = process.memoryUsage();
      process.send!({ rss: u.rss, heap: u.heapUsed, streams: temper.stats().openStreams });
    } else if (m.cmd === 'fill') {
      const t = Date.now();
      for (let i = 0; i < m.n!; i++)
        await temper.store.createConversation({ id: `soak${i.toString(36).padStart(8, '0')}`, createdAt: t, state: 'bot', meta: {} });
      process.send!({ filled: m.n, ms: Date.now() - t });
    } else if (m.cmd === 'exit') process.exit(0);
  });
} else {
  await main();
}

function ask<T>(child: ChildProcess, msg: object, key: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: Record<string, unknown>) => {
      if (key in m) {
        child.off('message', on);
        resolve(m as T);
      }
    };
    child.on('message', on);
    child.send(msg);
  });
}

async function main(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['--child', '--streams', String(STREAMS)], {
    execArgv: ['--expose-gc', '--import', 'tsx'],
  });
  process.on('exit', () => child.kill());
  const { port } = await ask<{ port: number }>(child, { cmd: 'noop' }, 'port');
  const base = `http://127.0.0.1:${port}/temper/v1`;
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  type Mem = { rss: number; heap: number; streams: number };
  const mem = () => ask<Mem>(child, { cmd: 'mem' }, 'rss');
  const fmt = (m: Mem) => `RSS ${(m.rss / MiB).toFixed(0)} MiB, heap ${(m.heap / MiB).toFixed(0)} MiB, ${m.streams} streams`;

  const post = (path: string, body: unknown, token?: string, via: Agent = agent) =>
    new Promise<{ status: number; body: any; ms: number }>((resolve, reject) => {
      const t0 = performance.now();
      const data = JSON.stringify(body);
      const req = request(
        `${base}${path}`,
        {
          method: 'POST',
          agent: via,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null, ms: performance.now() - t0 }));
        },
      );
      req.on('error', reject);
      req.end(data);
    });

  /** A legitimate visitor: 200 signals (p50/p99) and one message answered by the bot over its own stream. */
  async function visitor(): Promise<string> {
    // Its own keep-alive connection: one left idle in the shared pool may just have been closed by the server.
    const own = new Agent({ keepAlive: true, maxSockets: 1 });
    const s = await post('/sessions', {}, undefined, own);
    const times: number[] = [];
    for (let i = 1; i <= 200; i++) times.push((await post('/signals', { v: 1, seq: i, level: i % 4, trend: 0 }, s.body.token, own)).ms);
    times.sort((a, b) => a - b);
    const sock = await openStream(s.body.token, '127.0.0.1');
    const t0 = performance.now();
    const answered = new Promise<number>((resolve) => {
      let buf = '';
      sock.on('data', (d: Buffer) => {
        buf += d.toString('utf8');
        if (/"from":"bot"/.test(buf)) resolve(performance.now() - t0);
      });
    });
    await post('/messages', { id: `soak-${Date.now()}`, text: 'where is my order?' }, s.body.token, own);
    own.destroy();
    const reply = await Promise.race([answered, new Promise<number>((r) => setTimeout(r, 10_000, Number.NaN))]);
    sock.destroy();
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1);
    return `signals p50 ${q(0.5)} ms, p99 ${q(0.99)} ms; message → bot reply on the stream ${reply.toFixed(0)} ms`;
  }

  function openStream(token: string, localAddress: string): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const sock = connect({ port, host: '127.0.0.1', localAddress });
      let head = '';
      const onData = (d: Buffer) => {
        head += d.toString('latin1');
        const m = /^HTTP\/1\.1 (\d{3})/.exec(head);
        if (!m) return;
        sock.off('data', onData);
        if (m[1] === '200') resolve(sock);
        else {
          sock.destroy();
          reject(new Error(`stream refused: ${m[1]}`));
        }
      };
      sock.on('data', onData);
      sock.on('error', reject);
      sock.write(`GET /temper/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nAccept: text/event-stream\r\n\r\n`);
    });
  }

  const addr = (i: number) => `127.0.0.${2 + (i % 254)}`;
  const pool = async (n: number, width: number, fn: (i: number) => Promise<void>) => {
    let next = 0;
    await Promise.all(Array.from({ length: width }, async () => {
      while (next < n) await fn(next++);
    }));
  };

  console.log(`soak: ${CONVERSATIONS.toLocaleString('en')} conversations, ${STREAMS.toLocaleString('en')} open streams (server pid ${child.pid})`);
  const m0 = await mem();
  console.log(`  empty server:                 ${fmt(m0)}`);
  console.log(`  visitor, idle server:         ${await visitor()}`);
  const filled = await ask<{ filled: number; ms: number }>(child, { cmd: 'fill', n: CONVERSATIONS }, 'filled');
  const m1 = await mem();
  console.log(`  + ${CONVERSATIONS.toLocaleString('en')} idle conversations (${filled.ms} ms): ${fmt(m1)} — ${((m1.heap - m0.heap) / CONVERSATIONS).toFixed(0)} B heap each`);
  const t0 = Date.now();
  const tokens: string[] = new Array(STREAMS);
  await pool(STREAMS, 32, async (i) => {
    tokens[i] = (await post('/sessions', {})).body.token;
  });
  const sockets: Socket[] = [];
  let refused = 0;
  await pool(STREAMS, 64, async (i) => {
    try {
      const s = await openStream(tokens[i]!, addr(i));
      s.on('data', () => undefined); // a reader that reads
      sockets.push(s);
    } catch {
      refused++;
    }
  });
  const m2 = await mem();
  console.log(`  + ${sockets.length.toLocaleString('en')} open streams (${refused} refused, ${((Date.now() - t0) / 1000).toFixed(1)} s): ${fmt(m2)} — ${((m2.rss - m1.rss) / Math.max(1, sockets.length) / 1024).toFixed(1)} KiB RSS each`);
  console.log(`  visitor, during the load:     ${await visitor()}`);
  for (const s of sockets) s.destroy();
  await new Promise((r) => setTimeout(r, 1500));
  const m3 = await mem();
  console.log(`  streams closed:               ${fmt(m3)}`);
  agent.destroy();
  child.send({ cmd: 'exit' });
}
