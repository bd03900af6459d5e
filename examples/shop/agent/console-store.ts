// State and actions of the agent console, as signals, apart from the components that draw them.
import { batch, signal } from '@preact/signals';
import { maskCardNumbers, type ServerEvent } from '@temper/protocol';
import type { ScoringState } from '@temper/protocol';
import type { CallbackItem, CallbackRequest, ChatItem, QueueItem, RoutingReason, VisitorState } from '@temper/server';
import { agentApi, ApiError, streamAgent, type Auth } from './api.ts';
import { describeReason, scoredLevelText } from './labels.ts';
import { T } from './i18n.ts';

export interface LoggedEvent {
  id: number;
  event: ServerEvent;
}

export interface ConversationInfo {
  id: string;
  state: string;
  locale: string | null;
  queue: string | null;
  reasons: RoutingReason[];
  agentId: string | null;
  agentName: string | null;
  level: 0 | 1 | 2 | 3 | null;
  trend: -1 | 0 | 1 | null;
  // Scoring status, visitor presence and a callback request (issue 12).
  scoring: ScoringState | null;
  visitor: VisitorState;
  visitorLeftAt: number | null;
  callback: CallbackRequest | null;
  /** Why the router handed the chat to this agent (agent matching), if it did. */
  matchReasons?: string[];
}

/** Queue rows with the time they arrived, so waiting times can tick without trusting the two clocks agree. */
export interface QueueSnapshot {
  items: QueueItem[];
  /** Visitor presence (issue 12): queued chats whose visitor left, out of line. */
  left: QueueItem[];
  receivedAt: number;
}

/**
 * Sorted the way the server sorts: priority first, then who has waited longest (ties by id, so rows never jump).
 *
 * @example
 * sortQueue(items)[0]; // the chat to take next
 */
export const sortQueue = (items: QueueItem[]): QueueItem[] =>
  [...items].sort((a, b) => b.priority - a.priority || a.queuedAt - b.queuedAt || (a.conversationId < b.conversationId ? -1 : 1));

/**
 * Creates the console's state for one signed-in agent and starts its queue stream.
 *
 * @example
 * const c = createConsole(auth); c.start(); … c.stop();
 */
export function createConsole(auth: Auth) {
  const status = signal<'online' | 'offline' | 'unknown'>('unknown');
  const queue = signal<QueueSnapshot>({ items: [], left: [], receivedAt: Date.now() });
  /** Callback requests (issue 12): contacts visitors left while no one was free. */
  const callbacks = signal<CallbackItem[]>([]);
  const agentsOnline = signal(0);
  /** `null` until the first connection: "reconnecting" is only said after a connection was lost or refused. */
  const queueLive = signal<boolean | null>(null);
  const chats = signal<ChatItem[]>([]);
  const active = signal<string | null>(null);
  const info = signal<ConversationInfo | null>(null);
  const log = signal<LoggedEvent[]>([]);
  const botTyping = signal(false);
  const alert = signal('');
  const announce = signal('');
  const claiming = signal<string | null>(null);
  const now = signal(Date.now());
  const signedOut = signal(false);
  /** Visitor messages not yet seen, per held chat that is not the open one. */
  const unread = signal<Record<string, number>>({});

  const seen = new Set<string>();
  let firstSnapshot = true;
  let firstChats = true;
  let stopQueue: (() => void) | null = null;
  let stopConv: (() => void) | null = null;
  let ticker: ReturnType<typeof setInterval> | null = null;
  const watchers = new Map<string, () => void>();

  function say(text: string): void {
    // Same text twice in a row would not be re-read by screen readers; a trailing zero-width space changes it.
    announce.value = announce.value === text ? `${text}\u200b` : text;
  }

  function fatal(e: unknown): void {
    if (e instanceof ApiError && e.status === 401) {
      signedOut.value = true;
      alert.value = T.sessionInvalid;
      return;
    }
    alert.value = e instanceof Error ? e.message : String(e);
  }

  async function refreshChats(): Promise<void> {
    try {
      const r = await agentApi<{ items: ChatItem[] }>(auth, 'GET', '/chats');
      const before = new Set(chats.value.map((c) => c.conversationId));
      chats.value = r.items;
      watch(r.items);
      // The router hands chats to agents (agent matching): open a new one when nothing is open.
      const fresh = r.items.filter((c) => !before.has(c.conversationId) && c.conversationId !== claiming.value);
      if (auth.role === 'agent' && fresh.length > 0 && !firstChats) {
        say(T.handedToYou(T.langWord(fresh[0]!.language)));
        if (!active.value) void open(fresh[0]!.conversationId);
      }
      firstChats = false;
    } catch (e) {
      fatal(e);
    }
  }

  /**
   * An agent may hold several chats but reads one: the others are watched so a visitor's new message is
   * counted and announced instead of waiting unseen. Supervisors see every held chat and watch none.
   */
  function watch(list: ChatItem[]): void {
    const held = new Set(auth.role === 'agent' ? list.map((c) => c.conversationId) : []);
    for (const [id, stop] of watchers)
      if (!held.has(id)) {
        stop();
        watchers.delete(id);
        const { [id]: _gone, ...rest } = unread.value;
        unread.value = rest;
      }
    for (const c of list) {
      const id = c.conversationId;
      if (!held.has(id) || watchers.has(id)) continue;
      watchers.set(
        id,
        streamAgent(auth, `/conversations/${id}/events`, {
          lastEventId: c.lastEventId,
          onEvent: (e) => {
            const event = JSON.parse(e.data) as ServerEvent;
            if (event.type === 'handoff' && event.state !== 'agent') void refreshChats();
            if (event.type !== 'message' || event.from !== 'visitor' || active.value === id) return;
            unread.value = { ...unread.value, [id]: (unread.value[id] ?? 0) + 1 };
            say(T.newMessageIn(T.langWord(c.language), maskCardNumbers(event.text)));
          },
          onFatal: () => {
            watchers.delete(id);
            void refreshChats();
          },
        }),
      );
    }
  }

  async function refreshCallbacks(): Promise<void> {
    try {
      callbacks.value = (await agentApi<{ items: CallbackItem[] }>(auth, 'GET', '/callbacks')).items;
    } catch (e) {
      fatal(e);
    }
  }

  function onQueue(items: QueueItem[], left: QueueItem[] = []): void {
    const fresh = items.filter((i) => !seen.has(i.conversationId));
    for (const i of items) seen.add(i.conversationId);
    queue.value = { items: sortQueue(items), left, receivedAt: Date.now() };
    if (!firstSnapshot) {
      for (const i of fresh)
        say(T.newChatWaiting(T.langWord(i.language), scoredLevelText(i.level, i.scoring), i.reasons.map(describeReason).join(', ')));
    }
    firstSnapshot = false;
  }

  function closeConversation(): void {
    stopConv?.();
    stopConv = null;
    batch(() => {
      active.value = null;
      info.value = null;
      log.value = [];
      botTyping.value = false;
    });
  }

  // --- Messenger basics (issue 12): "seen" receipts ---
  /** The last event id reported seen, per conversation, so each visitor message is reported once. */
  const seenSent = new Map<string, number>();
  /**
   * Tells the server the agent has seen the open chat up to its last event, when the console is in view and
   * that covers a visitor message not reported yet. Only the holder may (the server answers others 409): a
   * supervisor reading someone else's chat sends nothing.
   */
  function markSeen(): void {
    const id = active.value;
    const i = info.value;
    if (!id || !i || i.state !== 'agent' || i.agentId !== auth.agentId || document.visibilityState !== 'visible') return;
    const lastVisitor = log.value.filter((e) => e.event.type === 'message' && e.event.from === 'visitor').at(-1)?.id ?? 0;
    const upTo = log.value.at(-1)?.id ?? 0;
    if (lastVisitor <= (seenSent.get(id) ?? 0)) return;
    seenSent.set(id, upTo);
    // A receipt is a courtesy: a lost one must not bother the agent with an error.
    void agentApi(auth, 'POST', `/conversations/${id}/seen`, { upTo }).catch(() => seenSent.delete(id));
  }
  const onVisible = () => markSeen();

  /** Shows a conversation the agent holds (or, for supervisors, any): the transcript, then live events. */
  async function open(id: string): Promise<void> {
    closeConversation();
    active.value = id;
    if (unread.value[id]) unread.value = { ...unread.value, [id]: 0 };
    try {
      const r = await agentApi<{ conversation: ConversationInfo; events: LoggedEvent[] }>(auth, 'GET', `/conversations/${id}`);
      if (active.value !== id) return;
      batch(() => {
        info.value = r.conversation;
        log.value = r.events;
      });
      markSeen();
      const last = r.events.at(-1)?.id ?? 0;
      stopConv = streamAgent(auth, `/conversations/${id}/events`, {
        lastEventId: last,
        onEvent: (e) => {
          if (active.value !== id || e.id === null) return;
          if (log.value.some((x) => x.id === e.id)) return;
          const event = JSON.parse(e.data) as ServerEvent;
          log.value = [...log.value, { id: e.id, event }];
          if (event.type === 'typing' && event.from === 'bot') botTyping.value = event.active;
          if (event.type === 'message' && event.from === 'visitor') say(T.visitorSays(maskCardNumbers(event.text)));
          if (event.type === 'handoff' && info.value) info.value = { ...info.value, state: event.state };
          if (event.type === 'message' && event.from === 'visitor') markSeen();
        },
        onFatal: (err) => {
          if (active.value === id) alert.value = T.noLongerYours(err.message);
        },
      });
    } catch (e) {
      if (active.value === id) {
        closeConversation();
        fatal(e);
      }
    }
  }

  return {
    auth,
    status,
    queue,
    agentsOnline,
    queueLive,
    chats,
    active,
    info,
    log,
    botTyping,
    alert,
    announce,
    claiming,
    now,
    signedOut,
    unread,
    callbacks,

    async start(): Promise<void> {
      ticker = setInterval(() => (now.value = Date.now()), 1000);
      document.addEventListener('visibilitychange', onVisible);
      try {
        const me = await agentApi<{ agent: { status: 'online' | 'offline' } }>(auth, 'GET', '/me');
        status.value = me.agent.status;
      } catch (e) {
        fatal(e);
        return;
      }
      stopQueue = streamAgent(auth, '/queue/events', {
        onEvent: (e) => {
          const msg = JSON.parse(e.data) as { type: string; items: QueueItem[]; left?: QueueItem[]; agentsOnline: number };
          if (msg.type !== 'queue') return;
          agentsOnline.value = msg.agentsOnline;
          onQueue(msg.items, msg.left);
          // Others' claims change a supervisor's list; a visitor coming or going (issue 12) changes anyone's
          // rows, and a callback request too: both are announced as queue changes.
          void refreshChats();
          void refreshCallbacks();
        },
        onStatus: (up) => (queueLive.value = up),
        onFatal: fatal,
      });
      await Promise.all([refreshChats(), refreshCallbacks()]);
    },

    stop(): void {
      stopQueue?.();
      for (const stopWatch of watchers.values()) stopWatch();
      watchers.clear();
      closeConversation();
      if (ticker) clearInterval(ticker);
      document.removeEventListener('visibilitychange', onVisible);
    },

    async setPresence(next: 'online' | 'offline'): Promise<void> {
      try {
        const r = await agentApi<{ status: 'online' | 'offline'; agentsOnline: number }>(auth, 'POST', '/presence', { status: next });
        batch(() => {
          status.value = r.status;
          agentsOnline.value = r.agentsOnline;
        });
        say(r.status === 'online' ? T.nowOnline : T.nowOffline);
      } catch (e) {
        fatal(e);
      }
    },

    /** Claims a waiting chat; the server lets exactly one agent win, the others get 409. */
    async claim(id: string): Promise<void> {
      claiming.value = id;
      alert.value = '';
      try {
        await agentApi(auth, 'POST', `/conversations/${id}/claim`);
        await refreshChats();
        say(T.claimed);
        await open(id);
      } catch (e) {
        if (e instanceof ApiError && e.status === 409) {
          alert.value = T.alreadyTaken(e.message);
          // The queue stream drops the row shortly; drop it now so nobody clicks it again.
          queue.value = { ...queue.value, items: queue.value.items.filter((i) => i.conversationId !== id), left: queue.value.left.filter((i) => i.conversationId !== id) };
        } else fatal(e);
      } finally {
        claiming.value = null;
      }
    },

    open,

    async reply(text: string): Promise<boolean> {
      const id = active.value;
      if (!id) return false;
      try {
        await agentApi(auth, 'POST', `/conversations/${id}/messages`, { text });
        return true;
      } catch (e) {
        fatal(e);
        return false;
      }
    },

    async typing(activeNow: boolean): Promise<void> {
      const id = active.value;
      if (!id) return;
      // Typing is a courtesy: a lost one must not bother the agent with an error.
      await agentApi(auth, 'POST', `/conversations/${id}/typing`, { active: activeNow }).catch(() => undefined);
    },

    /** Hands the chat back to the bot (`release`) or ends it (`close`). */
    async finish(how: 'release' | 'close'): Promise<void> {
      const id = active.value;
      if (!id) return;
      try {
        await agentApi(auth, 'POST', `/conversations/${id}/${how}`);
        closeConversation();
        await refreshChats();
        say(how === 'release' ? T.handedBack : T.chatClosed);
      } catch (e) {
        fatal(e);
      }
    },

    dismissAlert(): void {
      alert.value = '';
    },
  };
}

export type ConsoleStore = ReturnType<typeof createConsole>;
