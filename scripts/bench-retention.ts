// npm run bench:retention — what a retention sweep (issue 15) costs when the store holds many conversations.
//
// The sweep must cost O(due), not O(all conversations), and must not stall the event loop that serves every
// request and stream. This fills a memory store with N conversations, D of them past their transcript
// retention and S more past their signal retention, then times one sweep (the deletions and the signal pass),
// a second sweep with nothing due, and the worst event-loop stall meanwhile. Figures are printed, never
// asserted. No network.
//
// Options: --conversations N (default 200000), --due D (default 10000), --signals S (default 10000).
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createMemoryStore, createTemperServer } from '@temper/server';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a non-negative integer`);
  return v;
};
const N = arg('conversations', 200_000);
const D = Math.min(arg('due', 10_000), N);
const S = Math.min(arg('signals', 10_000), N - D);
const DAY = 86_400_000;
const clock = { t: Date.now() };
const store = createMemoryStore();
const now = clock.t;
for (let i = 0; i < N; i++) {
  // D chats last active 40 days ago (past 30), S 10 days ago (past 7), the rest today — in time order, as a
  // live store sees them.
  const at = i < D ? now - 40 * DAY + i : i < D + S ? now - 10 * DAY + i : now - (N - i);
  const id = `bench-ret-${i.toString(36).padStart(6, '0')}`;
  await store.createConversation({ id, createdAt: at, state: 'closed', meta: {} });
  await store.recordSignal(id, { seq: 1, level: 2, trend: 1, at });
}
const temper = createTemperServer({ secret: 'bench-retention-secret-bench-retention-secret-01', store, now: () => clock.t, log: () => {} });
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
let t = performance.now();
const first = await temper.runRetention();
const firstMs = performance.now() - t;
t = performance.now();
const idle = await temper.runRetention();
const idleMs = performance.now() - t;
loop.disable();
console.log(`retention sweep over ${N.toLocaleString('en')} conversations (memory store):`);
console.log(`  due: ${first.transcriptsDeleted.toLocaleString('en')} transcripts deleted, ${first.signalsCleared.toLocaleString('en')} signal histories cleared in ${Math.round(firstMs)} ms`);
console.log(`  nothing due: ${Math.round(idleMs * 10) / 10} ms (deleted ${idle.transcriptsDeleted}, cleared ${idle.signalsCleared})`);
console.log(`  worst event-loop stall meanwhile: ${Math.round(loop.max / 1e6)} ms (p99 ${Math.round(loop.percentile(99) / 1e6)} ms)`);
await temper.close();
await store.close();
