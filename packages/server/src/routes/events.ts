// Event streams of conversations (visitor `GET /events` and the agent's `…/events`): replay the log after
// Last-Event-ID, then forward live events, with no gap and no duplicate between the two. Live events come
// from `Store.subscribe`, so a stream on any instance hears what any other instance appended.
import type { Sse } from '../http/sse.js';
import { openSse } from '../http/sse.js';
import type { Logger } from '../options.js';
import type { Store, StoredEvent } from '../store.js';
import type { Ctx } from './types.js';

const REPLAY_PAGE = 500;
/** Streams one conversation may have open on one instance; the oldest is ended when a new one opens. */
const MAX_STREAMS_PER_CONVERSATION = 5;

export interface EventStreamsDeps {
  store: Store;
  log: Logger;
  heartbeatMs: number;
  streamBufferBytes: number;
  counters: { openStreams: number };
}

export function createEventStreams(d: EventStreamsDeps) {
  const byConversation = new Map<string, Set<Sse>>();
  /** Every SSE stream of this instance (conversation and queue streams), ended on close(). */
  const all = new Set<Sse>();

  /** Opens an SSE stream on `ctx` that is ended on close() and counted in stats. */
  function open(ctx: Ctx, onBeat?: () => void): Sse {
    const sse = openSse(ctx.req, ctx.res, {
      heartbeatMs: d.heartbeatMs,
      maxBufferedBytes: d.streamBufferBytes,
      ...(onBeat ? { onBeat } : {}),
    });
    all.add(sse);
    sse.onClose(() => all.delete(sse));
    return sse;
  }

  async function stream(ctx: Ctx, conversationId: string, after: number, onBeat?: () => void): Promise<void> {
    let last = after;
    let live = false;
    const pending: StoredEvent[] = [];
    let sse: Sse | null = null;
    const write = (s: StoredEvent) => {
      if (!sse || s.id <= last || sse.closed) return;
      last = s.id;
      sse.send(s.id, JSON.stringify(s.event));
    };
    // Subscribe first, then replay: an event appended in between is in `pending` and de-duplicated by id.
    const unsubscribe = await d.store.subscribe(conversationId, (s) => (live ? write(s) : pending.push(s)));
    const stream = open(ctx, onBeat);
    sse = stream;
    let set = byConversation.get(conversationId);
    if (!set) byConversation.set(conversationId, (set = new Set()));
    if (set.size >= MAX_STREAMS_PER_CONVERSATION) set.values().next().value?.end();
    set.add(stream);
    d.counters.openStreams++;
    stream.onClose(() => {
      unsubscribe();
      d.counters.openStreams--;
      const s = byConversation.get(conversationId);
      s?.delete(stream);
      if (s?.size === 0) byConversation.delete(conversationId);
    });
    try {
      for (;;) {
        const page = await d.store.readEvents(conversationId, last, REPLAY_PAGE);
        for (const s of page) {
          write(s);
          // The replay is ours to pace: wait for the socket rather than queue the whole history.
          await stream.drained();
          if (stream.closed) break;
        }
        if (page.length < REPLAY_PAGE || stream.closed) break;
      }
    } catch (e) {
      // The conversation was deleted while we replayed: end the stream, the client will get 401 next time.
      d.log('warn', 'event replay failed', { conversationId, error: String(e) });
      stream.end();
      return;
    }
    for (const s of pending) write(s);
    pending.length = 0;
    live = true;
  }

  return {
    open,
    stream,
    /** Ends this instance's streams of one conversation (after it was deleted). */
    endConversation(conversationId: string): void {
      for (const s of byConversation.get(conversationId) ?? []) s.end();
      byConversation.delete(conversationId);
    },
    endAll(): void {
      for (const s of [...all]) s.end();
      byConversation.clear();
    },
  };
}

export type EventStreams = ReturnType<typeof createEventStreams>;
