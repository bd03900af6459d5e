// Staff streams of whole snapshots (the agent's queue, the supervisor's board): one snapshot when the stream
// opens, then one more after each burst of changes, never one per change.
import type { AgentClaims } from '../token.js';
import type { Ctx, Services } from './types.js';

/** How long a burst of changes may last before the stream sends its one snapshot of it. */
const COALESCE_MS = 25;

/**
 * Opens an SSE stream on `ctx` (capped like every stream; each heartbeat keeps `agent` present) and sends
 * `snapshot()` as event 1, then again, coalesced, after changes: a queue change on any instance, and whatever
 * `subscribe` (if given) reports. Every listener is let go when the stream closes.
 * @example await streamSnapshots(s, ctx, agent, async () => ({ type: 'board', ...(await board.snapshot()) }));
 */
export async function streamSnapshots(
  s: Pick<Services, 'events' | 'presence' | 'queueListeners'>,
  ctx: Ctx,
  agent: AgentClaims,
  snapshot: () => Promise<object>,
  subscribe?: (listener: () => void) => Promise<() => void>,
): Promise<void> {
  const sse = await s.events.open(ctx, () => void s.presence.touch(agent).catch(() => undefined));
  let seq = 0;
  let pending: ReturnType<typeof setTimeout> | null = null;
  const push = async () => {
    pending = null;
    if (sse.closed) return;
    sse.send(++seq, JSON.stringify(await snapshot()));
  };
  const listener = () => {
    pending ??= setTimeout(() => void push().catch(() => undefined), COALESCE_MS);
  };
  const stop = subscribe ? await subscribe(listener) : undefined;
  s.queueListeners.add(listener);
  sse.onClose(() => {
    if (pending) clearTimeout(pending);
    stop?.();
    s.queueListeners.delete(listener);
  });
  await push();
}
