// The queue of chats waiting for a person: its order (priority, then waiting time), honest positions and
// expected waits told to each waiting visitor, and the claim times those waits are learned from.
import type { ConversationRecord } from '../store.js';
import type { Core } from './core.js';
import { metaOf } from './types.js';

const RECENT_WAITS = 20;

export function createQueue(core: Core) {
  const { store } = core;
  // Per instance: each instance learns from the claims it served (a mean of recent waits, not a shared figure).
  const recentWaits: number[] = [];

  function sortQueue(list: ConversationRecord[]): ConversationRecord[] {
    return list.sort(
      (a, b) =>
        (metaOf(b).priority ?? 0) - (metaOf(a).priority ?? 0) ||
        (metaOf(a).queuedAt ?? 0) - (metaOf(b).queuedAt ?? 0) ||
        (a.id < b.id ? -1 : 1),
    );
  }

  /** Queued conversations of one queue (or all), first to be served first, `abandoned` or in line (issue 12). */
  async function queued(name: string | undefined, abandoned: boolean): Promise<ConversationRecord[]> {
    const all = await store.listByState('queued');
    return sortQueue(all.filter((c) => (name === undefined || metaOf(c).queue === name) && (metaOf(c).abandonedAt != null) === abandoned));
  }

  /**
   * The conversations in line (of one queue, or all), first to be served first. Chats whose visitor left
   * (`meta.abandonedAt`, issue 12) are not in line: they take no place and count in no one's wait.
   */
  const list = (name?: string): Promise<ConversationRecord[]> => queued(name, false);
  /** Queued chats whose visitor left (issue 12), oldest first; they return to `list` when the visitor does. */
  const abandoned = (name?: string): Promise<ConversationRecord[]> => queued(name, true);

  /** Seconds a visitor at `position` can expect to wait with `online` agents. */
  function expectedWait(position: number, online: number): number {
    const per =
      recentWaits.length > 0 ? recentWaits.reduce((a, b) => a + b, 0) / recentWaits.length / 1000 : core.expectedWaitSeconds;
    return Math.max(0, Math.min(86_400, Math.round(Math.ceil(position / Math.max(1, online)) * per)));
  }

  function recordWait(ms: number): void {
    recentWaits.push(ms);
    if (recentWaits.length > RECENT_WAITS) recentWaits.shift();
  }

  /** Tells every queued visitor of `queue` their position when it changed. */
  async function refreshPositions(queue: string | undefined, online: number): Promise<void> {
    const waiting = await list(queue);
    for (let i = 0; i < waiting.length; i++) {
      const c = waiting[i]!;
      const position = i + 1;
      if (metaOf(c).position === position) continue;
      // The wait told is kept with the position: the bot and a repeated ask quote this same figure (issue 12).
      const waitSeconds = expectedWait(position, online);
      await store.updateConversation(c.id, { meta: { position, waitSeconds } });
      await core.append(c.id, { type: 'handoff', state: 'queued', position, waitSeconds });
    }
    core.onQueueChanged();
  }

  return { list, abandoned, expectedWait, recordWait, refreshPositions };
}

export type Queue = ReturnType<typeof createQueue>;
