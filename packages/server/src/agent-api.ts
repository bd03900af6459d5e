// The agent API under `<basePath>/agent/…`: presence, the queue (no text), atomic claims, the transcript and
// live events of a claimed chat, replies, hand-back, close, audit, reports and deletion. Agent tokens carry a
// role; every route states the least role it needs.
import type { ServerResponse } from 'node:http';
import { validate, type ErrorCode, type ObjectSpec } from '@temper/protocol';
import type { Flow } from './flow.js';
import { bearerOf, lastEventIdOf, openSse, readJson, sendJson } from './http.js';
import { createLimiter, type RateLimit } from './rate-limit.js';
import { buildReport, REPORT_TABLES, reportCsv, type ReportTable } from './reports.js';
import type { Ctx } from './server.js';
import type { Store } from './store.js';
import { AGENT_ROLES, readAgentToken, type AgentClaims, type AgentRole } from './token.js';

/** Bodies of the agent API, validated with the same strict validator as the visitor endpoints. */
export const agentSchemas = {
  presence: {
    status: { kind: 'enum', values: ['online', 'offline'], origin: 'server', purpose: 'Whether the agent takes chats now.' },
  },
  message: {
    text: { kind: 'string', minLength: 1, maxLength: 8000, origin: 'server', purpose: 'The agent’s reply.' },
  },
  typing: {
    active: { kind: 'boolean', origin: 'server', purpose: 'Typing started or stopped.' },
  },
} as const satisfies Record<string, ObjectSpec>;

export interface AgentApiDeps {
  key: Buffer;
  store: Store;
  flow: Flow;
  now: () => number;
  bodyLimit: number;
  heartbeatMs: number;
  retentionMs: number;
  agentLimit: RateLimit | false;
  refuse: (ctx: Ctx, code: ErrorCode, message: string, field?: string, headers?: Record<string, string>) => void;
  stream: (ctx: Ctx, conversationId: string, after: number, onBeat?: () => void) => Promise<void>;
  queueListeners: Set<() => void>;
  openStreams: Set<ServerResponse>;
  deleteConversation: (id: string) => Promise<boolean>;
}

type Handler = (ctx: Ctx, agent: AgentClaims, params: { id?: string }) => Promise<void>;
interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  pattern: RegExp;
  role: AgentRole;
  id: string;
  run: Handler;
}

const rank = (r: AgentRole) => AGENT_ROLES.indexOf(r);
const DAY = 24 * 60 * 60 * 1000;
const CONV = '([A-Za-z0-9_-]{8,64})';

export function createAgentApi(d: AgentApiDeps) {
  const limiter = d.agentLimit === false ? null : createLimiter(d.agentLimit);

  async function body<S extends ObjectSpec>(ctx: Ctx, spec: S) {
    const r = await readJson(ctx.req, d.bodyLimit);
    if (!r.ok) {
      d.refuse(ctx, r.code, r.message);
      return null;
    }
    const v = validate(spec, r.value);
    if (!v.ok) {
      d.refuse(ctx, v.error.code, v.error.message, v.error.field);
      return null;
    }
    return v.value;
  }

  async function touch(agent: AgentClaims, status?: 'online' | 'offline'): Promise<void> {
    const prev = (await d.store.listAgents()).find((a) => a.agentId === agent.agentId);
    await d.store.setAgentPresence({
      agentId: agent.agentId,
      name: agent.name,
      role: agent.role,
      status: status ?? prev?.status ?? 'offline',
      lastSeen: d.now(),
    });
    if (status && status !== prev?.status) await d.flow.agentsChanged();
  }

  function fail(ctx: Ctx, r: { error: 'not-found' | 'conflict' | 'forbidden'; message: string }): void {
    d.refuse(ctx, r.error, r.message);
  }

  /** Who may read a conversation's text: the agent holding it, or a supervisor/admin. */
  async function mayRead(ctx: Ctx, agent: AgentClaims, id: string): Promise<boolean> {
    const c = await d.store.getConversation(id);
    if (!c) {
      d.refuse(ctx, 'not-found', 'no such conversation');
      return false;
    }
    if (rank(agent.role) >= rank('supervisor')) return true;
    if (c.state === 'agent' && c.meta.agentId === agent.agentId) return true;
    d.refuse(ctx, 'forbidden', 'claim the conversation before reading it');
    return false;
  }

  function range(ctx: Ctx): { from: number; to: number; bucketMs: number } | null {
    const q = ctx.url.searchParams;
    const t = d.now();
    const num = (name: string, def: number) => {
      const raw = q.get(name);
      if (raw === null) return def;
      const v = /^\d{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
      return v;
    };
    const to = num('to', t + 1);
    const from = num('from', Math.max(0, to - 7 * DAY));
    const bucket = q.get('bucket') ?? 'hour';
    const bucketMs = bucket === 'minute' ? 60_000 : bucket === 'hour' ? 3_600_000 : bucket === 'day' ? DAY : Number.NaN;
    if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) {
      d.refuse(ctx, 'out-of-range', 'from and to must be Unix ms with from < to', Number.isFinite(from) ? 'to' : 'from');
      return null;
    }
    if (!Number.isFinite(bucketMs)) {
      d.refuse(ctx, 'not-allowed-value', 'bucket must be minute, hour or day', 'bucket');
      return null;
    }
    if ((to - from) / bucketMs > 10_000) {
      d.refuse(ctx, 'out-of-range', 'at most 10 000 buckets; use a larger bucket', 'bucket');
      return null;
    }
    return { from, to, bucketMs };
  }

  const routes: Route[] = [
    {
      method: 'GET',
      pattern: /^\/agent\/me$/,
      role: 'agent',
      id: 'agent-me',
      run: async (ctx, agent) => {
        const a = await d.flow.availability();
        const me = (await d.store.listAgents()).find((x) => x.agentId === agent.agentId);
        sendJson(ctx.res, 200, { agent: { ...agent, status: me?.status ?? 'offline' }, agentsOnline: a.online });
      },
    },
    {
      method: 'POST',
      pattern: /^\/agent\/presence$/,
      role: 'agent',
      id: 'agent-presence',
      run: async (ctx, agent) => {
        const input = await body(ctx, agentSchemas.presence);
        if (!input) return;
        await touch(agent, input.status);
        const a = await d.flow.availability();
        sendJson(ctx.res, 200, { agentId: agent.agentId, status: input.status, agentsOnline: a.online });
      },
    },
    {
      method: 'GET',
      pattern: /^\/agent\/queue$/,
      role: 'agent',
      id: 'agent-queue',
      run: async (ctx) => {
        const name = ctx.url.searchParams.get('queue') ?? undefined;
        const a = await d.flow.availability();
        sendJson(ctx.res, 200, { items: await d.flow.queue(name), agentsOnline: a.online, agentsFree: a.free });
      },
    },
    {
      method: 'GET',
      pattern: /^\/agent\/queue\/events$/,
      role: 'agent',
      id: 'agent-queue-events',
      run: async (ctx, agent) => {
        const { req, res } = ctx;
        const name = ctx.url.searchParams.get('queue') ?? undefined;
        openSse(res);
        let seq = 0;
        let pending: ReturnType<typeof setTimeout> | null = null;
        let done = false;
        const push = async () => {
          pending = null;
          if (done) return;
          const a = await d.flow.availability();
          const items = await d.flow.queue(name);
          if (done) return;
          res.write(`id: ${++seq}\ndata: ${JSON.stringify({ type: 'queue', items, agentsOnline: a.online, agentsFree: a.free })}\n\n`);
        };
        // Coalesce bursts (a claim re-positions every waiting chat) into one snapshot.
        const listener = () => {
          pending ??= setTimeout(() => void push(), 25);
        };
        d.queueListeners.add(listener);
        d.openStreams.add(res);
        const beat = setInterval(() => {
          res.write(': heartbeat\n\n');
          void touch(agent);
        }, d.heartbeatMs);
        beat.unref();
        const cleanup = () => {
          if (done) return;
          done = true;
          clearInterval(beat);
          if (pending) clearTimeout(pending);
          d.queueListeners.delete(listener);
          d.openStreams.delete(res);
        };
        req.on('close', cleanup);
        res.on('close', cleanup);
        await push();
      },
    },
    {
      method: 'GET',
      pattern: /^\/agent\/chats$/,
      role: 'agent',
      id: 'agent-chats',
      run: async (ctx, agent) => sendJson(ctx.res, 200, { items: await d.flow.chats(agent) }),
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/agent/conversations/${CONV}/claim$`),
      role: 'agent',
      id: 'agent-claim',
      run: async (ctx, agent, { id }) => {
        const r = await d.flow.claim(id!, agent);
        if (!r.ok) return fail(ctx, r);
        sendJson(ctx.res, 200, { conversationId: id, state: 'agent', agent: { agentId: agent.agentId, name: agent.name } });
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/agent/conversations/${CONV}$`),
      role: 'agent',
      id: 'agent-conversation',
      run: async (ctx, agent, { id }) => {
        if (!(await mayRead(ctx, agent, id!))) return;
        const c = await d.store.getConversation(id!);
        const s = await d.store.getSignalState(id!);
        const events = await d.store.readEvents(id!, 0);
        if (!c) return d.refuse(ctx, 'not-found', 'no such conversation');
        const m = c.meta as Record<string, unknown>;
        sendJson(ctx.res, 200, {
          conversation: {
            id: c.id,
            state: c.state,
            locale: c.locale ?? null,
            createdAt: c.createdAt,
            queue: m.queue ?? null,
            priority: m.priority ?? null,
            reasons: m.reasons ?? [],
            agentId: m.agentId ?? null,
            agentName: m.agentName ?? null,
            level: s?.level ?? null,
            trend: s?.trend ?? null,
          },
          events,
        });
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/agent/conversations/${CONV}/events$`),
      role: 'agent',
      id: 'agent-events',
      run: async (ctx, agent, { id }) => {
        if (!(await mayRead(ctx, agent, id!))) return;
        const after = lastEventIdOf(ctx.req, ctx.url);
        if (after === null) return d.refuse(ctx, 'bad-format', 'Last-Event-ID must be a non-negative integer', 'last-event-id');
        await d.stream(ctx, id!, after, () => void touch(agent));
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/agent/conversations/${CONV}/messages$`),
      role: 'agent',
      id: 'agent-message',
      run: async (ctx, agent, { id }) => {
        const input = await body(ctx, agentSchemas.message);
        if (!input) return;
        const r = await d.flow.agentMessage(id!, agent, input.text);
        if (!r.ok) return fail(ctx, r);
        const e = r.value.event;
        sendJson(ctx.res, 201, { eventId: r.value.id, id: e.type === 'message' ? e.id : null });
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/agent/conversations/${CONV}/typing$`),
      role: 'agent',
      id: 'agent-typing',
      run: async (ctx, agent, { id }) => {
        const input = await body(ctx, agentSchemas.typing);
        if (!input) return;
        const r = await d.flow.agentTyping(id!, agent, input.active);
        if (!r.ok) return fail(ctx, r);
        sendJson(ctx.res, 200, { active: input.active });
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/agent/conversations/${CONV}/release$`),
      role: 'agent',
      id: 'agent-release',
      run: async (ctx, agent, { id }) => {
        const r = await d.flow.release(id!, agent);
        if (!r.ok) return fail(ctx, r);
        sendJson(ctx.res, 200, { conversationId: id, state: r.value.state });
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/agent/conversations/${CONV}/close$`),
      role: 'agent',
      id: 'agent-close',
      run: async (ctx, agent, { id }) => {
        const r = await d.flow.close(id!, agent);
        if (!r.ok) return fail(ctx, r);
        sendJson(ctx.res, 200, { conversationId: id, state: r.value.state });
      },
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`^/agent/conversations/${CONV}$`),
      role: 'admin',
      id: 'agent-delete',
      run: async (ctx, _agent, { id }) => {
        if (!(await d.deleteConversation(id!))) return d.refuse(ctx, 'not-found', 'no such conversation');
        sendJson(ctx.res, 200, { conversationId: id, deleted: true });
      },
    },
    {
      method: 'GET',
      pattern: /^\/agent\/audit$/,
      role: 'supervisor',
      id: 'agent-audit',
      run: async (ctx) => {
        const r = range(ctx);
        if (!r) return;
        const cid = ctx.url.searchParams.get('conversationId');
        const limitRaw = ctx.url.searchParams.get('limit');
        const limit = limitRaw && /^\d{1,6}$/.test(limitRaw) ? Number(limitRaw) : 1000;
        const entries = await d.store.readAudit({ from: r.from, to: r.to, limit, ...(cid ? { conversationId: cid } : {}) });
        sendJson(ctx.res, 200, { from: r.from, to: r.to, retentionMs: d.retentionMs, entries });
      },
    },
    {
      method: 'GET',
      pattern: /^\/agent\/reports$/,
      role: 'supervisor',
      id: 'agent-reports',
      run: async (ctx) => {
        const r = range(ctx);
        if (!r) return;
        await d.store.pruneAudit(d.now() - d.retentionMs);
        const entries = await d.store.readAudit({ from: r.from, to: r.to });
        sendJson(ctx.res, 200, buildReport(entries, r.from, r.to, r.bucketMs));
      },
    },
    {
      method: 'GET',
      pattern: /^\/agent\/reports\.csv$/,
      role: 'supervisor',
      id: 'agent-reports-csv',
      run: async (ctx) => {
        const r = range(ctx);
        if (!r) return;
        const table = (ctx.url.searchParams.get('table') ?? 'summary') as ReportTable;
        if (!REPORT_TABLES.includes(table))
          return d.refuse(ctx, 'not-allowed-value', `table must be one of ${REPORT_TABLES.join(', ')}`, 'table');
        await d.store.pruneAudit(d.now() - d.retentionMs);
        const entries = await d.store.readAudit({ from: r.from, to: r.to });
        const csv = reportCsv(buildReport(entries, r.from, r.to, r.bucketMs), table, entries);
        ctx.res.writeHead(200, {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': `attachment; filename="temper-${table}.csv"`,
          'Cache-Control': 'no-store',
          'Content-Length': Buffer.byteLength(csv),
        });
        ctx.res.end(csv);
      },
    },
  ];

  /** Handles `sub` (the path below basePath) if it is an agent route; returns false otherwise. */
  async function handle(ctx: Ctx, sub: string): Promise<boolean> {
    if (!sub.startsWith('/agent/')) return false;
    const matching = routes.filter((r) => r.pattern.test(sub));
    if (matching.length === 0) {
      d.refuse(ctx, 'not-found', `no agent endpoint ${sub}`);
      return true;
    }
    const route = matching.find((r) => r.method === ctx.req.method);
    ctx.endpoint = (route ?? matching[0]!).id;
    if (!route) {
      const allow = matching.map((r) => r.method).join(', ');
      d.refuse(ctx, 'method-not-allowed', `${sub} accepts ${allow}`, undefined, { Allow: allow });
      return true;
    }
    const token = bearerOf(ctx.req);
    const agent = token ? readAgentToken(d.key, token, d.now()) : null;
    if (!agent) {
      d.refuse(ctx, 'unauthorized', 'an agent token is required (Authorization: Bearer <agent token>)');
      return true;
    }
    if (rank(agent.role) < rank(route.role)) {
      d.refuse(ctx, 'forbidden', `this needs the ${route.role} role`);
      return true;
    }
    if (limiter) {
      const wait = limiter.take(agent.agentId, d.now());
      if (wait > 0) {
        const secs = Number.isFinite(wait) ? Math.max(1, Math.ceil(wait)) : 3600;
        d.refuse(ctx, 'rate-limited', `too many requests; retry in ${secs} s`, undefined, { 'Retry-After': String(secs) });
        return true;
      }
    }
    if (route.id !== 'agent-presence') await touch(agent);
    const id = route.pattern.exec(sub)?.[1];
    await route.run(ctx, agent, id === undefined ? {} : { id });
    return true;
  }

  return { handle, sweep: (t: number) => limiter?.sweep(t) };
}
