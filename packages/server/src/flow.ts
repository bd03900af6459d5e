// The life of a conversation between bot and people: every visitor message, bot reply and signal goes through
// the routing policy; decisions are audited (never text) and applied — queueing with an honest position and
// wait, careful bot tone when no one is free, atomic claims, hand-back and close.
import { randomBytes } from 'node:crypto';
import { eventSchemas, validate, type Level, type MessageEvent, type ServerEvent, type Trend } from '@temper/protocol';
import { detectLanguage, type BotAdapter, type BotReply, type Tone } from './bot.js';
import { asksForHuman, type Decision, type RoutingConfig, type RoutingReason, type RoutingState } from './routing.js';
import type { AgentPresence, AuditEntry, ConversationRecord, Store, StoredEvent, Transition } from './store.js';
import type { AgentClaims } from './token.js';

type Lang = 'en' | 'zh';

/** Routing fields the server keeps in `ConversationRecord.meta`. */
export interface RoutingMeta {
  route?: 'bot' | 'human';
  tone?: Tone;
  priority?: number;
  queue?: string;
  reasons?: RoutingReason[];
  language?: Lang;
  turns?: number;
  botNotUnderstood?: number;
  askedForHuman?: boolean;
  /** A person is wanted but none could take the chat (no agent online, outside hours). */
  wantsHuman?: boolean;
  /** Which honest "no one is free" notice the visitor already got. */
  toldNoAgent?: string | null;
  queuedAt?: number | null;
  firstQueuedAt?: number | null;
  position?: number | null;
  agentId?: string | null;
  agentName?: string | null;
  claimedAt?: number | null;
  levelAtHandBack?: Level | null;
}

export type Policy = (state: RoutingState, config: RoutingConfig) => Decision;

export interface FlowDeps {
  store: Store;
  now: () => number;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
  bot?: BotAdapter;
  botName: string;
  policy: Policy;
  routing: RoutingConfig;
  presenceTtlMs: number;
  maxChatsPerAgent: number;
  /** Expected wait per queue position when no claims were seen yet. */
  expectedWaitSeconds: number;
  closing: AbortSignal;
  counters: { botErrors: number; decisions: number };
  /** Called when the queue may have changed (agent consoles refresh). */
  onQueueChanged: () => void;
}

export interface Availability {
  online: number;
  free: number;
  agents: AgentPresence[];
}

/** One row of the agent queue: everything an agent needs to choose, and no message text. */
export interface QueueItem {
  conversationId: string;
  queue: string;
  position: number;
  priority: number;
  level: Level | null;
  trend: Trend | null;
  reasons: RoutingReason[];
  /** Unix ms when it entered the queue. */
  queuedAt: number;
  waitingMs: number;
  language: Lang;
  turns: number;
  botNotUnderstood: number;
}

/** A chat an agent holds (or, for supervisors, any held chat). */
export interface ChatItem {
  conversationId: string;
  queue: string;
  agentId: string;
  agentName: string;
  claimedAt: number;
  level: Level | null;
  trend: Trend | null;
  language: Lang;
  /** Id of the last event in the conversation's log. */
  lastEventId: number;
}

const TEXT = {
  queued: {
    en: (p: number, m: number) =>
      `Connecting you to a person… You are number ${p} in line; the expected wait is about ${m} min. You can keep writing here.`,
    zh: (p: number, m: number) => `正在为您转接人工客服…您排在第 ${p} 位，预计等待约 ${m} 分钟。您可以继续在这里留言。`,
  },
  'no-agent-available': {
    en: 'No one from our team is online right now, so the assistant will keep helping as best it can. If you leave your email or phone number here, a person will get back to you.',
    zh: '目前没有在线的客服同事，助手会继续尽力帮助您。如果您在这里留下邮箱或电话，我们的同事会尽快联系您。',
  },
  'outside-hours': {
    en: 'Our team is outside business hours right now, so the assistant will keep helping. Leave your email or phone number here and a person will get back to you when we open.',
    zh: '现在不在客服工作时间，助手会继续为您服务。请在这里留下邮箱或电话，我们上班后会尽快联系您。',
  },
  joined: { en: (n: string) => `${n} from our team has joined the chat.`, zh: (n: string) => `客服 ${n} 已加入对话。` },
  released: {
    en: 'You are back with the assistant. Say “agent” any time to reach a person again.',
    zh: '已转回智能助手。如需人工服务，随时输入“转人工”。',
  },
  closed: { en: 'This chat was closed. Write again any time.', zh: '此对话已结束。如需帮助，欢迎随时再次留言。' },
  botError: {
    en: 'Sorry, our assistant could not answer just now. Your message was received and stays in this chat.',
    zh: '抱歉，助手暂时无法回答。您的消息已收到，并保留在此对话中。',
  },
} as const;

const TRANSCRIPT_FOR_BOT = 50;
const RECENT_WAITS = 20;
const newId = (bytes: number) => randomBytes(bytes).toString('base64url');
const metaOf = (c: ConversationRecord) => c.meta as RoutingMeta;

export type FlowError = 'not-found' | 'conflict' | 'forbidden';
export type FlowResult<T> = { ok: true; value: T } | { ok: false; error: FlowError; message: string };

export function createFlow(d: FlowDeps) {
  const { store, now, log } = d;
  const locks = new Map<string, Promise<unknown>>();
  const botChains = new Map<string, Promise<void>>();
  const recentWaits: number[] = [];

  /** Runs `fn` after every earlier task of the same conversation (decisions must not interleave). */
  function locked<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = locks.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    locks.set(key, tail);
    void tail.then(() => {
      if (locks.get(key) === tail) locks.delete(key);
    });
    return run;
  }

  async function append(conversationId: string, event: ServerEvent): Promise<StoredEvent | null> {
    try {
      return await store.appendEvent(conversationId, event);
    } catch (e) {
      // Deleted meanwhile: nothing to deliver.
      log('warn', 'could not append event', { conversationId, type: event.type, error: String(e) });
      return null;
    }
  }

  const system = (conversationId: string, text: string) =>
    append(conversationId, { type: 'message', id: newId(12), from: 'system', text, at: now() });

  const languageOf = (c: ConversationRecord): Lang => metaOf(c).language ?? (c.locale === 'zh-CN' ? 'zh' : 'en');

  async function availability(): Promise<Availability> {
    const t = now();
    const agents = (await store.listAgents()).filter((a) => a.status === 'online' && t - a.lastSeen < d.presenceTtlMs);
    if (agents.length === 0) return { online: 0, free: 0, agents };
    const load = new Map<string, number>();
    for (const c of await store.listByState('agent')) {
      const id = metaOf(c).agentId;
      if (id) load.set(id, (load.get(id) ?? 0) + 1);
    }
    return { online: agents.length, free: agents.filter((a) => (load.get(a.agentId) ?? 0) < d.maxChatsPerAgent).length, agents };
  }

  function sortQueue(list: ConversationRecord[]): ConversationRecord[] {
    return list.sort(
      (a, b) =>
        (metaOf(b).priority ?? 0) - (metaOf(a).priority ?? 0) ||
        (metaOf(a).queuedAt ?? 0) - (metaOf(b).queuedAt ?? 0) ||
        (a.id < b.id ? -1 : 1),
    );
  }

  async function queueOf(name?: string): Promise<ConversationRecord[]> {
    const all = await store.listByState('queued');
    return sortQueue(name === undefined ? all : all.filter((c) => metaOf(c).queue === name));
  }

  function expectedWait(position: number, online: number): number {
    const per =
      recentWaits.length > 0 ? recentWaits.reduce((a, b) => a + b, 0) / recentWaits.length / 1000 : d.expectedWaitSeconds;
    return Math.max(0, Math.min(86_400, Math.round(Math.ceil(position / Math.max(1, online)) * per)));
  }

  /** Tells every queued visitor of `queue` their position when it changed. */
  async function refreshPositions(queue: string | undefined, online: number, force?: string): Promise<void> {
    const list = await queueOf(queue);
    for (let i = 0; i < list.length; i++) {
      const c = list[i]!;
      const position = i + 1;
      if (metaOf(c).position === position && c.id !== force) continue;
      await store.updateConversation(c.id, { meta: { position } });
      await append(c.id, { type: 'handoff', state: 'queued', position, waitSeconds: expectedWait(position, online) });
    }
    d.onQueueChanged();
  }

  function routingState(c: ConversationRecord, signal: { level: Level; trend: Trend } | null, a: Availability): RoutingState {
    const m = metaOf(c);
    return {
      level: signal?.level ?? null,
      trend: signal?.trend ?? null,
      botNotUnderstood: m.botNotUnderstood ?? 0,
      askedForHuman: m.askedForHuman === true,
      turns: m.turns ?? 0,
      agentsOnline: a.online,
      agentsFree: a.free,
      now: now(),
      language: languageOf(c),
      current: m.route ? { route: m.wantsHuman ? 'human' : m.route, tone: m.tone ?? 'neutral' } : null,
      assigned: c.state === 'agent',
      levelAtHandBack: m.levelAtHandBack ?? null,
      queuedAt: c.state === 'queued' ? (m.queuedAt ?? null) : null,
    };
  }

  function audit(entry: AuditEntry): Promise<void> {
    return store.appendAudit(entry).catch((e: unknown) => log('error', 'audit append failed', { error: String(e) }));
  }

  /** Decides and applies; call under `locked`. */
  async function evaluate(conversationId: string, trigger: NonNullable<AuditEntry['trigger']>): Promise<ConversationRecord | null> {
    const c = await store.getConversation(conversationId);
    if (!c || c.state === 'closed') return c;
    const signal = await store.getSignalState(conversationId);
    const a = await availability();
    const decision = d.policy(routingState(c, signal, a), d.routing);
    d.counters.decisions++;
    await audit({
      at: now(),
      conversationId,
      action: 'decision',
      trigger,
      route: decision.route,
      tone: decision.tone,
      priority: decision.priority,
      queue: decision.queue,
      state: c.state,
      level: signal?.level ?? null,
      trend: signal?.trend ?? null,
      reasons: [...decision.reasons],
    });
    const noOne = decision.reasons.find((r) => r === 'no-agent-available' || r === 'outside-hours');
    const m = metaOf(c);
    const patch: RoutingMeta = {
      route: decision.route,
      tone: decision.tone,
      priority: decision.priority,
      queue: decision.queue,
      reasons: decision.reasons,
      wantsHuman: decision.route === 'human' || noOne !== undefined,
    };
    let rec = (await store.updateConversation(conversationId, { meta: { ...patch } })) ?? c;
    const lang = languageOf(c);
    if (decision.route === 'human' && c.state === 'bot') {
      const t = now();
      const moved = await store.transition(conversationId, ['bot'], {
        state: 'queued',
        meta: { queuedAt: t, firstQueuedAt: m.firstQueuedAt ?? t, toldNoAgent: null, position: null },
      });
      if (moved.ok) {
        rec = moved.record;
        await audit({ at: t, conversationId, action: 'queued', queue: decision.queue, priority: decision.priority, level: signal?.level ?? null, trend: signal?.trend ?? null, reasons: [...decision.reasons] });
        const list = await queueOf(decision.queue);
        const position = list.findIndex((x) => x.id === conversationId) + 1 || list.length + 1;
        const wait = expectedWait(position, a.online);
        await store.updateConversation(conversationId, { meta: { position } });
        await append(conversationId, { type: 'handoff', state: 'queued', position, waitSeconds: wait });
        await system(conversationId, TEXT.queued[lang](position, Math.max(1, Math.round(wait / 60))));
        await refreshPositions(decision.queue, a.online);
      }
    } else if (decision.route === 'bot' && c.state === 'queued') {
      // Every agent went away while this visitor waited: say so instead of leaving them in a dead queue.
      const moved = await store.transition(conversationId, ['queued'], { state: 'bot', meta: { queuedAt: null, position: null } });
      if (moved.ok) {
        rec = moved.record;
        await append(conversationId, { type: 'handoff', state: 'bot' });
        d.onQueueChanged();
      }
    } else if (c.state === 'queued' && decision.priority !== m.priority) {
      await refreshPositions(decision.queue, a.online);
    }
    if (noOne && metaOf(rec).toldNoAgent !== noOne) {
      await system(conversationId, TEXT[noOne][lang]);
      rec = (await store.updateConversation(conversationId, { meta: { toldNoAgent: noOne } })) ?? rec;
    }
    return rec;
  }

  // ------------------------------------------------------------------ bot

  function scheduleBot(conversationId: string, message: MessageEvent): void {
    if (!d.bot) return;
    const prev = botChains.get(conversationId) ?? Promise.resolve();
    const next = prev
      .then(() => answer(conversationId, message))
      .catch((e: unknown) => log('error', 'bot task failed', { conversationId, error: String(e) }));
    botChains.set(conversationId, next);
    void next.then(() => {
      if (botChains.get(conversationId) === next) botChains.delete(conversationId);
    });
  }

  async function answer(conversationId: string, message: MessageEvent): Promise<void> {
    const bot = d.bot;
    if (!bot || d.closing.aborted) return;
    const c = await store.getConversation(conversationId);
    if (!c || c.state === 'agent' || c.state === 'closed') return;
    const m = metaOf(c);
    const language = detectLanguage(message.text, c.locale);
    const transcript = (await store.readEvents(conversationId, 0))
      .map((s) => s.event)
      .filter((e): e is MessageEvent => e.type === 'message' && e.id !== message.id)
      .slice(-TRANSCRIPT_FOR_BOT);
    const signal = await store.getSignalState(conversationId);
    const noAgent = (m.reasons ?? []).some((r) => r === 'no-agent-available' || r === 'outside-hours');
    await append(conversationId, { type: 'typing', from: 'bot', active: true });
    let reply: BotReply | null = null;
    let failed = false;
    try {
      reply = await bot({ id: c.id, ...(c.locale ? { locale: c.locale } : {}), transcript }, message, {
        tone: m.tone ?? 'neutral',
        language,
        ...(signal ? { signal: { level: signal.level, trend: signal.trend } } : {}),
        ...(noAgent ? { noAgentAvailable: true } : {}),
        abortSignal: d.closing,
      });
      if (reply !== null) {
        const probe = { type: 'message', id: 'x', from: 'bot', text: reply?.text, at: 0, understood: reply?.understood };
        const v = validate(eventSchemas.message, probe);
        if (!v.ok) throw new TypeError(`bot reply refused: ${v.error.message}`);
      }
    } catch (e) {
      failed = true;
      d.counters.botErrors++;
      log('error', 'bot failed', { conversationId, error: e instanceof Error ? e.message : String(e) });
    }
    await append(conversationId, { type: 'typing', from: 'bot', active: false });
    // A person may have taken the chat while the bot was thinking: their word wins, the bot's reply is dropped.
    const after = await store.getConversation(conversationId);
    if (!after || after.state === 'agent' || after.state === 'closed') return;
    if (failed) await system(conversationId, TEXT.botError[language]);
    else if (reply) {
      const name = (reply.name ?? d.botName).slice(0, 80);
      await append(conversationId, {
        type: 'message',
        id: newId(12),
        from: 'bot',
        text: reply.text,
        at: now(),
        understood: reply.understood,
        ...(name ? { name } : {}),
      });
    }
    if (failed || reply?.understood === false) {
      await locked(conversationId, async () => {
        const cur = await store.getConversation(conversationId);
        if (!cur) return;
        await store.updateConversation(conversationId, { meta: { botNotUnderstood: (metaOf(cur).botNotUnderstood ?? 0) + 1 } });
        await evaluate(conversationId, 'bot-reply');
      });
    }
  }

  // ------------------------------------------------------------------ public

  return {
    availability,
    locked,

    async opened(c: ConversationRecord): Promise<void> {
      await audit({ at: c.createdAt, conversationId: c.id, action: 'opened', level: null, trend: null, reasons: [] });
    },

    /** After a new visitor message is stored: update counters, decide, then let the bot answer if it should. */
    async visitorMessage(conversationId: string, message: MessageEvent): Promise<void> {
      const asked = asksForHuman(message.text);
      const skipBot = await locked(conversationId, async () => {
        let c = await store.getConversation(conversationId);
        if (!c) return true;
        if (c.state === 'closed') {
          const reopened = await store.transition(conversationId, ['closed'], {
            state: 'bot',
            meta: { route: 'bot', tone: 'neutral', wantsHuman: false, askedForHuman: false, botNotUnderstood: 0, turns: 0, agentId: null, agentName: null, toldNoAgent: null },
          });
          if (reopened.ok) {
            c = reopened.record;
            await append(conversationId, { type: 'handoff', state: 'bot' });
          }
        }
        const m = metaOf(c);
        await store.updateConversation(conversationId, {
          meta: {
            turns: (m.turns ?? 0) + 1,
            askedForHuman: m.askedForHuman === true || asked,
            language: detectLanguage(message.text, c.locale),
          },
        });
        const after = await evaluate(conversationId, 'message');
        // The ask itself gets the handoff notice, not a bot answer; a person's chat gets no bot at all.
        return asked || !after || after.state === 'agent' || after.state === 'closed';
      });
      if (!skipBot) scheduleBot(conversationId, message);
    },

    /** After a signal was accepted. */
    async signal(conversationId: string): Promise<void> {
      await locked(conversationId, () => evaluate(conversationId, 'signal'));
    },

    /** Presence changed: chats waiting for a person may now get one (or lose their queue). */
    async agentsChanged(): Promise<void> {
      const waiting = [...(await store.listWantingHuman()), ...(await store.listByState('queued'))];
      for (const c of waiting) await locked(c.id, () => evaluate(c.id, 'agents-changed'));
      d.onQueueChanged();
    },

    async queue(name?: string): Promise<QueueItem[]> {
      const t = now();
      const list = await queueOf(name);
      const perQueue = new Map<string, number>();
      const out: QueueItem[] = [];
      for (const c of list) {
        const m = metaOf(c);
        const q = m.queue ?? 'default';
        const position = (perQueue.get(q) ?? 0) + 1;
        perQueue.set(q, position);
        const s = await store.getSignalState(c.id);
        out.push({
          conversationId: c.id,
          queue: q,
          position,
          priority: m.priority ?? 0,
          level: s?.level ?? null,
          trend: s?.trend ?? null,
          reasons: m.reasons ?? [],
          queuedAt: m.queuedAt ?? t,
          waitingMs: t - (m.queuedAt ?? t),
          language: languageOf(c),
          turns: m.turns ?? 0,
          botNotUnderstood: m.botNotUnderstood ?? 0,
        });
      }
      return out;
    },

    async chats(agent: AgentClaims): Promise<ChatItem[]> {
      const all = await store.listByState('agent');
      const mine = agent.role === 'agent' ? all.filter((c) => metaOf(c).agentId === agent.agentId) : all;
      const out: ChatItem[] = [];
      for (const c of mine) {
        const m = metaOf(c);
        const s = await store.getSignalState(c.id);
        const events = await store.readEvents(c.id, 0);
        out.push({
          conversationId: c.id,
          queue: m.queue ?? 'default',
          agentId: m.agentId ?? '',
          agentName: m.agentName ?? '',
          claimedAt: m.claimedAt ?? 0,
          level: s?.level ?? null,
          trend: s?.trend ?? null,
          language: languageOf(c),
          lastEventId: events.at(-1)?.id ?? 0,
        });
      }
      return out.sort((a, b) => a.claimedAt - b.claimedAt);
    },

    /** Atomic claim: exactly one of several concurrent claims succeeds (the store's compare-and-set). */
    async claim(conversationId: string, agent: AgentClaims): Promise<FlowResult<ConversationRecord>> {
      return locked(conversationId, async () => {
        const t = now();
        const r: Transition = await store.transition(conversationId, ['queued', 'bot'], {
          state: 'agent',
          meta: { agentId: agent.agentId, agentName: agent.name, claimedAt: t, route: 'human', wantsHuman: false, position: null },
        });
        if (!r.ok) {
          if (!r.record) return { ok: false, error: 'not-found', message: 'no such conversation' };
          const by = metaOf(r.record).agentName;
          return { ok: false, error: 'conflict', message: r.record.state === 'agent' ? `already claimed${by ? ` by ${by}` : ''}` : `the conversation is ${r.record.state}` };
        }
        const m = metaOf(r.record);
        const from = m.firstQueuedAt ?? null;
        const waitMs = from === null ? undefined : Math.max(0, t - from);
        if (waitMs !== undefined) {
          recentWaits.push(waitMs);
          if (recentWaits.length > RECENT_WAITS) recentWaits.shift();
        }
        const s = await store.getSignalState(conversationId);
        await audit({
          at: t,
          conversationId,
          action: 'claimed',
          agentId: agent.agentId,
          queue: m.queue ?? 'default',
          state: 'agent',
          level: s?.level ?? null,
          trend: s?.trend ?? null,
          reasons: m.reasons ?? [],
          ...(waitMs !== undefined ? { waitMs } : {}),
        });
        await append(conversationId, { type: 'handoff', state: 'agent', name: agent.name.slice(0, 80) });
        await system(conversationId, TEXT.joined[languageOf(r.record)](agent.name));
        const a = await availability();
        await refreshPositions(m.queue, a.online);
        return { ok: true, value: r.record };
      });
    },

    async agentMessage(conversationId: string, agent: AgentClaims, text: string): Promise<FlowResult<StoredEvent>> {
      const c = await store.getConversation(conversationId);
      if (!c) return { ok: false, error: 'not-found', message: 'no such conversation' };
      if (c.state !== 'agent' || metaOf(c).agentId !== agent.agentId)
        return { ok: false, error: 'conflict', message: 'claim the conversation before writing to it' };
      await append(conversationId, { type: 'typing', from: 'agent', active: false });
      const stored = await append(conversationId, { type: 'message', id: newId(12), from: 'agent', text, at: now(), name: agent.name.slice(0, 80) });
      if (!stored) return { ok: false, error: 'not-found', message: 'no such conversation' };
      return { ok: true, value: stored };
    },

    async agentTyping(conversationId: string, agent: AgentClaims, active: boolean): Promise<FlowResult<null>> {
      const c = await store.getConversation(conversationId);
      if (!c) return { ok: false, error: 'not-found', message: 'no such conversation' };
      if (c.state !== 'agent' || metaOf(c).agentId !== agent.agentId)
        return { ok: false, error: 'conflict', message: 'claim the conversation first' };
      await append(conversationId, { type: 'typing', from: 'agent', active });
      return { ok: true, value: null };
    },

    /** Hands the chat back to the bot; the counters that led to the handoff start over. */
    async release(conversationId: string, agent: AgentClaims): Promise<FlowResult<ConversationRecord>> {
      return locked(conversationId, async () => {
        const c = await store.getConversation(conversationId);
        if (!c) return { ok: false, error: 'not-found', message: 'no such conversation' };
        if (c.state === 'agent' && metaOf(c).agentId !== agent.agentId && agent.role === 'agent')
          return { ok: false, error: 'forbidden', message: 'another agent has this chat' };
        const s = await store.getSignalState(conversationId);
        const r = await store.transition(conversationId, ['agent', 'queued'], {
          state: 'bot',
          meta: {
            route: 'bot',
            tone: 'neutral',
            wantsHuman: false,
            askedForHuman: false,
            botNotUnderstood: 0,
            turns: 0,
            agentId: null,
            agentName: null,
            queuedAt: null,
            position: null,
            toldNoAgent: null,
            levelAtHandBack: s?.level ?? null,
          },
        });
        if (!r.ok) return { ok: false, error: r.record ? 'conflict' : 'not-found', message: r.record ? `the conversation is ${r.record.state}` : 'no such conversation' };
        await audit({ at: now(), conversationId, action: 'released', agentId: agent.agentId, state: 'bot', route: 'bot', level: s?.level ?? null, trend: s?.trend ?? null, reasons: [] });
        await append(conversationId, { type: 'handoff', state: 'bot' });
        await system(conversationId, TEXT.released[languageOf(r.record)]);
        d.onQueueChanged();
        return { ok: true, value: r.record };
      });
    },

    async close(conversationId: string, agent: AgentClaims): Promise<FlowResult<ConversationRecord>> {
      return locked(conversationId, async () => {
        const c = await store.getConversation(conversationId);
        if (!c) return { ok: false, error: 'not-found', message: 'no such conversation' };
        if (c.state === 'agent' && metaOf(c).agentId !== agent.agentId && agent.role === 'agent')
          return { ok: false, error: 'forbidden', message: 'another agent has this chat' };
        const r = await store.transition(conversationId, ['agent', 'queued', 'bot'], {
          state: 'closed',
          meta: { agentId: null, agentName: null, queuedAt: null, position: null, wantsHuman: false },
        });
        if (!r.ok) return { ok: false, error: r.record ? 'conflict' : 'not-found', message: r.record ? 'already closed' : 'no such conversation' };
        const s = await store.getSignalState(conversationId);
        await audit({ at: now(), conversationId, action: 'closed', agentId: agent.agentId, state: 'closed', level: s?.level ?? null, trend: s?.trend ?? null, reasons: [] });
        await append(conversationId, { type: 'handoff', state: 'closed' });
        await system(conversationId, TEXT.closed[languageOf(r.record)]);
        d.onQueueChanged();
        return { ok: true, value: r.record };
      });
    },

    /** Waits for bot calls in flight (for close()). */
    async idle(): Promise<void> {
      await Promise.allSettled([...botChains.values(), ...locks.values()]);
    },
  };
}

export type Flow = ReturnType<typeof createFlow>;
