// Event streams of conversations (visitor `GET /events` and the agent's `…/events`): replay the log after
// Last-Event-ID, then forward live events, with no gap and no duplicate between the two. Live events come
// from `Store.subscribe`, so a stream on any instance hears what any other instance appended.
//
// Every stream first takes a leased slot of each cap it counts against — its conversation's, its client IP's,
// the deployment's total — with `Coordination.acquire`, so the caps hold atomically across instances. A full
// cap answers 429 before anything is opened. Leases are renewed on the heartbeat and released on close; the
// slots of an instance that died lapse after `leaseMs`.
import type { Coordination } from '../coordination.js';
import { HttpError } from '../http/error.js';
import type { Sse } from '../http/sse.js';
import { openSse } from '../http/sse.js';
import { keys } from '../keys.js';
import type { Logger } from '../options.js';
import type { Store, StoredEvent } from '../store.js';
import type { Ctx } from './types.js';
import type { ServerEvent } from '@temper/protocol';

const REPLAY_PAGE = 500;

/** Caps on open SSE streams, each shared by every instance on one coordination. */
export interface StreamCaps {
  perConversation: number;
  perIp: number;
  total: number;
}

export interface EventStreamsDeps {
  store: Store;
  coordination: Coordination;
  log: Logger;
  heartbeatMs: number;
  streamBufferBytes: number;
  caps: StreamCaps;
  counters: { openStreams: number };
}

/** A slot held by one stream: the cap's key and the lease id. */
type Slot = readonly [key: string, lease: string];

/**
 * Visitor presence (issue 12): a visitor stream also holds a slot of `key` (capped like the conversation's),
 * counted with `Coordination.holders`. `opened` runs once the stream is open, `released` after its slots were
 * given back (so a count then no longer includes it).
 */
export interface StreamPresence {
  key: string;
  opened(): void;
  released(): void;
}

export function createEventStreams(d: EventStreamsDeps) {
  const byConversation = new Map<string, Set<Sse>>();
  /** Every SSE stream of this instance (conversation and queue streams), ended on close(). */
  const all = new Set<Sse>();
  const { coordination, caps } = d;
  // Three missed heartbeats before a dead instance's slots lapse.
  const leaseMs = 3 * d.heartbeatMs;
  const retryAfter = String(Math.max(1, Math.ceil(d.heartbeatMs / 1000)));
  const releaseAll = (slots: readonly Slot[]) =>
    Promise.all(slots.map(([k, l]) => coordination.release(k, l))).catch((e: unknown) =>
      d.log('warn', 'stream slot release failed', { error: String(e) }),
    );

  /** Takes one slot of every cap the stream counts against, or none (429 naming the cap that is full). */
  async function admit(ctx: Ctx, conversationId: string | null, presenceKey?: string): Promise<Slot[]> {
    const wanted: Array<[string, number, string]> = [
      ...(conversationId ? [[keys.streamsOfConversation(conversationId), caps.perConversation, 'this conversation'] as [string, number, string]] : []),
      ...(presenceKey ? [[presenceKey, caps.perConversation, 'this conversation'] as [string, number, string]] : []),
      [keys.streamsOfIp(ctx.ip), caps.perIp, 'your address'],
      [keys.streamsTotal, caps.total, 'this service'],
    ];
    const slots: Slot[] = [];
    for (const [key, max, what] of wanted) {
      let lease: string | null;
      try {
        lease = await coordination.acquire(key, max, leaseMs);
      } catch (e) {
        await releaseAll(slots);
        throw e;
      }
      if (lease === null) {
        await releaseAll(slots);
        throw new HttpError('rate-limited', `too many open event streams for ${what} (at most ${max}); retry later`, undefined, {
          'Retry-After': retryAfter,
        });
      }
      slots.push([key, lease]);
    }
    return slots;
  }

  /** Renews the stream's slots; a lapsed one is taken again, and when that fails the stream ends. */
  async function renew(sse: Sse, slots: Slot[]): Promise<void> {
    for (let i = 0; i < slots.length; i++) {
      const [key, lease] = slots[i]!;
      if (await coordination.renew(key, lease, leaseMs)) continue;
      // Conversation and presence slots share the per-conversation cap.
      const max = key === keys.streamsTotal ? caps.total : key.startsWith('streams:ip:') ? caps.perIp : caps.perConversation;
      const again = await coordination.acquire(key, max, leaseMs);
      if (again === null) {
        d.log('warn', 'stream slot lapsed and the cap is full again: ending the stream', { key });
        sse.end();
        return;
      }
      slots[i] = [key, again];
    }
  }

  /**
   * Opens an SSE stream on `ctx` once it has a slot of every cap (else throws 429). It is ended on close(),
   * counted in stats, and gives its slots back when it ends.
   */
  async function open(ctx: Ctx, onBeat?: () => void, conversationId: string | null = null, presence?: StreamPresence): Promise<Sse> {
    const slots = await admit(ctx, conversationId, presence?.key);
    let sse: Sse | null = null;
    sse = openSse(ctx.req, ctx.res, {
      heartbeatMs: d.heartbeatMs,
      maxBufferedBytes: d.streamBufferBytes,
      onBeat: () => {
        onBeat?.();
        if (sse && !sse.closed) void renew(sse, slots).catch((e: unknown) => d.log('warn', 'stream slot renewal failed', { error: String(e) }));
      },
    });
    all.add(sse);
    sse.onClose(() => {
      all.delete(sse!);
      void releaseAll(slots).then(() => presence?.released());
    });
    // The client hung up while we waited for the slots: no 'close' event will come, so end it here.
    if (ctx.req.destroyed || ctx.res.destroyed) sse.end();
    return sse;
  }

  /** `view` (staff streams, issue 15) maps each event before it is sent, e.g. to mask card numbers. */
  async function stream(ctx: Ctx, conversationId: string, after: number, onBeat?: () => void, presence?: StreamPresence, view?: (e: ServerEvent) => ServerEvent): Promise<void> {
    let last = after;
    let live = false;
    const pending: StoredEvent[] = [];
    let sse: Sse | null = null;
    const write = (s: StoredEvent) => {
      if (!sse || s.id <= last || sse.closed) return;
      last = s.id;
      sse.send(s.id, JSON.stringify(view ? view(s.event) : s.event));
    };
    // Subscribe first, then replay: an event appended in between is in `pending` and de-duplicated by id.
    const unsubscribe = await d.store.subscribe(conversationId, (s) => (live ? write(s) : pending.push(s)));
    let stream: Sse;
    try {
      stream = await open(ctx, onBeat, conversationId, presence);
    } catch (e) {
      unsubscribe();
      throw e;
    }
    sse = stream;
    if (!stream.closed) presence?.opened();
    let set = byConversation.get(conversationId);
    if (!set) byConversation.set(conversationId, (set = new Set()));
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
