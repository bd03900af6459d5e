// npm run bench:presence — what an agent going online/offline costs when the store holds many conversations.
//
// Presence changes re-route the chats waiting for a person. That must cost O(waiting), not O(all
// conversations): a scan of every 'bot' conversation stalled the whole server (every request, every stream)
// for 0.7–2.5 s with 200k conversations. This fills a memory store with N idle bot conversations plus a few
// that want a person, then times POST /agent/presence online/offline over a real socket and the worst
// event-loop stall meanwhile. Figures are printed, never asserted. Only 127.0.0.1 is used.
//
// Options: --conversations N (default 200000), --waiting W (default 50), --rounds R (default 5).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { API_BASE } from '@temper/protocol';
import { createAgentToken, createMemoryStore, createTemperServer } from '@temper/server';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
  return v;
};
const N = arg('conversations', 200_000);
const W = Math.min(arg('waiting', 50), N);
const R = arg('rounds', 5);
const secret = 'bench-presence-secret-bench-presence-secret-0123';

const store = createMemoryStore();
const t0 = Date.now();
for (let i = 0; i < N; i++) {
  const wants = i < W;
  await store.createConversation({
    id: `bench-conv-${i.toString(36).padStart(6, '0')}`,
    createdAt: t0,
    state: 'bot',
    // The first W asked for a person while no one was online (the bot kept them, careful).
    meta: wants ? { route: 'bot', tone: 'careful', wantsHuman: true, toldNoAgent: 'no-agent-available', reasons: ['no-agent-available'] } : { route: 'bot', tone: 'neutral', reasons: ['calm'] },
  });
}
const temper = createTemperServer({ secret, store, log: () => {}, limits: { perAgent: false, perIp: false } });
const server = createServer(temper);
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${API_BASE}`;
const token = createAgentToken(secret, { agentId: 'bench-agent', name: 'Bench', role: 'agent', ttlMs: 86_400_000 });

async function presence(status: 'online' | 'offline'): Promise<number> {
  const start = performance.now();
  const res = await fetch(`${base}/agent/presence`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ status }),
  });
  if (res.status !== 200) throw new Error(`presence ${status}: HTTP ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
  return performance.now() - start;
}

const loop = monitorEventLoopDelay({ resolution: 5 });
const times: number[] = [];
loop.enable();
for (let i = 0; i < R; i++) {
  times.push(await presence('online'));
  times.push(await presence('offline'));
}
loop.disable();
times.sort((a, b) => a - b);
const queued = (await store.listByState('queued')).length;
const ms = (v: number) => v.toFixed(1).padStart(8);
console.log(`conversations ${N.toLocaleString('en')} (${W} wanting a person), ${R} × online + offline`);
console.log(`presence request ms: median${ms(times[times.length >> 1]!)}  max${ms(times.at(-1)!)}`);
console.log(`worst event-loop stall ms:${ms(loop.max / 1e6)}`);
console.log(`chats queued after the last round trip: ${queued} (a person was online, then left: they went back to the bot)`);
await temper.close();
server.closeAllConnections();
server.close();
