// Visitor presence (issue 12, defect 7): chats of visitors who left stayed in the queue, pushing everyone behind
// them down the line and inflating the waits they were told. A visitor is "here" while they have an event
// stream open on any instance: each visitor stream holds a leased slot of `keys.visitorStreams(id)` and
// `Coordination.holders` counts them (an instance that died stops renewing, so its streams lapse on their own).
//
//   stream opened            → meta.visitorLeftAt = null (and, if the chat had been abandoned, back in line at
//                              its old place: its `queuedAt` is kept)
//   last stream closed       → meta.visitorLeftAt = now
//   sweeper, every sweep     → a queued chat with no stream but no `visitorLeftAt` (its instance died) gets one;
//                              one whose visitor has been away `abandonAfterMs` leaves the line
//                              (meta.abandonedAt; state stays `queued`, so it returns when they do)
//
// Conversations whose visitor never opened a stream (a host using the HTTP API only) are never marked away.
import { keys } from '../keys.js';
import type { ConversationRecord } from '../store.js';
import type { Core } from './core.js';
import type { Queue } from './queue.js';
import { metaOf } from './types.js';

export function createVisitorPresence(core: Core, queue: Queue, online: () => Promise<number>) {
  const { store, now, coordination } = core;
  const streams = (id: string) => coordination.holders(keys.visitorStreams(id));

  /** Takes `c` out of the line (its visitor has been away long enough); call under the conversation's lock. */
  async function abandon(c: ConversationRecord, t: number): Promise<void> {
    await store.updateConversation(c.id, { meta: { abandonedAt: t, position: null } });
    const s = await store.getSignalState(c.id);
    await core.audit({ at: t, conversationId: c.id, action: 'abandoned', queue: metaOf(c).queue ?? 'default', state: 'queued', level: s?.level ?? null, trend: s?.trend ?? null, reasons: [] });
    await queue.refreshPositions(metaOf(c).queue, await online());
  }

  return {
    /** A visitor stream of `conversationId` opened. */
    arrived(conversationId: string): Promise<void> {
      return core.lock(conversationId, async () => {
        const c = await store.getConversation(conversationId);
        if (!c) return;
        const m = metaOf(c);
        const back = c.state === 'queued' && m.abandonedAt != null;
        if (m.visitorSeenAt !== undefined && m.visitorLeftAt == null && !back) return;
        await store.updateConversation(conversationId, { meta: { visitorSeenAt: now(), visitorLeftAt: null, abandonedAt: null } });
        // Back in line at the place their waiting time gives them; refreshPositions tells them where.
        if (back) await queue.refreshPositions(m.queue, await online());
        else core.onQueueChanged();
      });
    },

    /** A visitor stream of `conversationId` closed and gave its slot back: away, unless another is open. */
    async departed(conversationId: string): Promise<void> {
      if ((await streams(conversationId)) > 0) return;
      await core.lock(conversationId, async () => {
        // Checked again under the lock: a reload's new stream may have opened meanwhile.
        if ((await streams(conversationId)) > 0) return;
        const c = await store.getConversation(conversationId);
        if (!c || metaOf(c).visitorLeftAt != null) return;
        await store.updateConversation(conversationId, { meta: { visitorLeftAt: now() } });
        core.onQueueChanged();
      });
    },

    /**
     * Sweeper only: marks away the queued visitors whose streams lapsed without a close (their instance died)
     * and takes out of the line those away for `abandonAfterMs`.
     */
    async sweep(t: number): Promise<void> {
      for (const c of await store.listByState('queued')) {
        const m = metaOf(c);
        if (m.visitorSeenAt === undefined || m.abandonedAt != null) continue;
        const due = m.visitorLeftAt == null || t - m.visitorLeftAt >= core.abandonAfterMs;
        if (!due || (await streams(c.id)) > 0) continue;
        await core.lock(c.id, async () => {
          const cur = await store.getConversation(c.id);
          if (!cur || cur.state !== 'queued') return;
          const cm = metaOf(cur);
          if (cm.abandonedAt != null || cm.visitorSeenAt === undefined || (await streams(c.id)) > 0) return;
          if (cm.visitorLeftAt == null) {
            await store.updateConversation(c.id, { meta: { visitorLeftAt: t } });
            core.onQueueChanged();
          } else if (t - cm.visitorLeftAt >= core.abandonAfterMs) await abandon(cur, t);
        });
      }
    },
  };
}

export type VisitorPresence = ReturnType<typeof createVisitorPresence>;
