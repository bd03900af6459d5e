// The agent API under `<basePath>/agent/…`: presence, the queue (no text), atomic claims, the transcript and
// live events of a claimed chat, replies, hand-back, close, audit, reports and deletion. Each route states
// the least role it needs; the dispatcher checks the token, the role and the agent's bucket before `run`.
import { type ObjectSpec } from '@temper/protocol';
import { sendAttachment } from '../http/attachment.js';
import { readBody } from '../http/body.js';
import { HttpError, sendJson } from '../http/error.js';
import { lastEventIdOf } from '../http/request.js';
import { buildReport, REPORT_TABLES, reportCsv, type ReportTable } from '../reports.js';
import { buildCsatReport } from '../csat.js';
import { AGENT_ROLES, type AgentClaims, type AgentRole } from '../token.js';
import { streamSnapshots } from './snapshot-stream.js';
import type { Ctx, Route, Services } from './types.js';
import { visitorStateOf, type RoutingMeta } from '../flow/types.js';
import { auditRead, mayReadTranscript, staffEvent, staffText } from '../staff-access.js';
import type { StaffRead } from '../store.js';

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
  /** Messenger basics (issue 12): the agent has seen the visitor's messages up to event `upTo`. */
  seen: {
    upTo: { kind: 'integer', min: 1, max: Number.MAX_SAFE_INTEGER, origin: 'server', purpose: 'Event id of the last event the agent has seen.' },
  },
} as const satisfies Record<string, ObjectSpec>;

export const rank = (r: AgentRole) => AGENT_ROLES.indexOf(r);
const DAY = 24 * 60 * 60 * 1000;
const CONV = '([A-Za-z0-9_-]{8,64})';
export const conv = (suffix = '') => new RegExp(`^/agent/conversations/${CONV}${suffix}$`);

export function agentRoutes(s: Services): Route[] {
  const { store, flow, now } = s;

  /**
   * Who may read a conversation's text: the agent holding it, or a supervisor/admin within `staffAccess`
   * (issue 15). Every allowed read is audited (`transcript-read`) before any text goes out.
   */
  async function mayRead(agent: AgentClaims, id: string, read: StaffRead) {
    const c = await mayReadTranscript(store, s.staffAccess, agent, id);
    await auditRead(store, agent, id, read, now());
    return c;
  }
  /** The conversation's events as staff see them (card numbers masked, more if the host asks). */
  const staffView = (c: { meta: Record<string, unknown> }) => {
    const keep = (c.meta as RoutingMeta).callback ?? null;
    return (e: Parameters<typeof staffEvent>[0]) => staffEvent(e, s.staffAccess, keep);
  };

  /** The window's ratings with their comments as staff see them (issue 15). */
  async function staffRatings(from: number, to: number) {
    return (await store.listRatings({ from, to })).map((x) => (x.comment === undefined ? x : { ...x, comment: staffText(x.comment, s.staffAccess) }));
  }

  function range(ctx: Ctx): { from: number; to: number; bucketMs: number } {
    const q = ctx.url.searchParams;
    const t = now();
    const num = (name: string, def: number) => {
      const raw = q.get(name);
      if (raw === null) return def;
      return /^\d{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
    };
    const to = num('to', t + 1);
    const from = num('from', Math.max(0, to - 7 * DAY));
    const bucket = q.get('bucket') ?? 'hour';
    const bucketMs = bucket === 'minute' ? 60_000 : bucket === 'hour' ? 3_600_000 : bucket === 'day' ? DAY : Number.NaN;
    if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to)
      throw new HttpError('out-of-range', 'from and to must be Unix ms with from < to', Number.isFinite(from) ? 'to' : 'from');
    if (!Number.isFinite(bucketMs)) throw new HttpError('not-allowed-value', 'bucket must be minute, hour or day', 'bucket');
    if ((to - from) / bucketMs > 10_000) throw new HttpError('out-of-range', 'at most 10 000 buckets; use a larger bucket', 'bucket');
    return { from, to, bucketMs };
  }

  async function reportEntries(ctx: Ctx) {
    const r = range(ctx);
    await s.pruneAudit();
    return { r, entries: await store.readAudit({ from: r.from, to: r.to }) };
  }

  return [
    {
      id: 'agent-me',
      method: 'GET',
      pattern: /^\/agent\/me$/,
      access: 'agent',
      async run(ctx, { agent }) {
        const a = await flow.availability();
        const me = (await store.listAgents()).find((x) => x.agentId === agent!.agentId);
        sendJson(ctx.res, 200, { agent: { ...agent, status: me?.status ?? 'offline' }, agentsOnline: a.online });
      },
    },
    {
      id: 'agent-presence',
      method: 'POST',
      pattern: /^\/agent\/presence$/,
      access: 'agent',
      async run(ctx, { agent }) {
        const input = await readBody(ctx.req, s.bodyLimit, agentSchemas.presence);
        await s.presence.touch(agent!, input.status);
        const a = await flow.availability();
        sendJson(ctx.res, 200, { agentId: agent!.agentId, status: input.status, agentsOnline: a.online });
      },
    },
    {
      id: 'agent-queue',
      method: 'GET',
      pattern: /^\/agent\/queue$/,
      access: 'agent',
      async run(ctx) {
        const name = ctx.url.searchParams.get('queue') ?? undefined;
        const a = await flow.availability();
        sendJson(ctx.res, 200, { items: await flow.queue(name), left: await flow.left(name), agentsOnline: a.online, agentsFree: a.free });
      },
    },
    {
      id: 'agent-queue-events',
      method: 'GET',
      pattern: /^\/agent\/queue\/events$/,
      access: 'agent',
      async run(ctx, { agent }) {
        const name = ctx.url.searchParams.get('queue') ?? undefined;
        // Bursts (a claim re-positions every waiting chat) become one snapshot.
        await streamSnapshots(s, ctx, agent!, async () => {
          const a = await flow.availability();
          const items = await flow.queue(name);
          const left = await flow.left(name);
          return { type: 'queue', items, left, agentsOnline: a.online, agentsFree: a.free };
        });
      },
    },
    // Callback requests (issue 12): contacts visitors left while no one was free. Staff only (any agent role).
    {
      id: 'agent-callbacks',
      method: 'GET',
      pattern: /^\/agent\/callbacks$/,
      access: 'agent',
      run: async (ctx) => sendJson(ctx.res, 200, { items: await flow.callbacks() }),
    },
    {
      id: 'agent-chats',
      method: 'GET',
      pattern: /^\/agent\/chats$/,
      access: 'agent',
      run: async (ctx, { agent }) => sendJson(ctx.res, 200, { items: await flow.chats(agent!) }),
    },
    {
      id: 'agent-claim',
      method: 'POST',
      pattern: conv('/claim'),
      access: 'agent',
      async run(ctx, { agent, id }) {
        await flow.claim(id!, agent!);
        sendJson(ctx.res, 200, { conversationId: id, state: 'agent', agent: { agentId: agent!.agentId, name: agent!.name } });
      },
    },
    {
      id: 'agent-conversation',
      method: 'GET',
      pattern: conv(),
      access: 'agent',
      async run(ctx, { agent, id }) {
        const c = await mayRead(agent!, id!, 'conversation');
        const sig = await store.getSignalState(id!);
        const view = staffView(c);
        const events = (await store.readEvents(id!, 0)).map((x) => ({ id: x.id, event: view(x.event) }));
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
            level: sig?.level ?? null,
            trend: sig?.trend ?? null,
            // Scoring status, visitor presence and a callback request (issue 12).
            scoring: m.scoring ?? null,
            visitor: visitorStateOf(c),
            visitorLeftAt: m.visitorLeftAt ?? null,
            callback: m.callback ?? null,
            // Agent matching (issue 14): why the router handed it to this agent.
            matchReasons: m.matchReasons ?? [],
          },
          events,
        });
      },
    },
    {
      // Staff access (issue 15): the transcript as a file (JSON), as staff see it, audited as `transcript-export`.
      id: 'agent-transcript',
      method: 'GET',
      pattern: conv('/transcript'),
      access: 'agent',
      async run(ctx, { agent, id }) {
        const c = await mayRead(agent!, id!, 'transcript-export');
        const view = staffView(c);
        const messages = (await store.readEvents(id!, 0)).flatMap((x) => {
          const e = view(x.event);
          return e.type === 'message' ? [{ at: e.at, from: e.from, ...(e.name !== undefined ? { name: e.name } : {}), text: e.text }] : [];
        });
        const body = JSON.stringify({ conversationId: c.id, createdAt: c.createdAt, locale: c.locale ?? null, exportedAt: now(), exportedBy: agent!.agentId, messages }, null, 2);
        sendAttachment(ctx.res, 'application/json; charset=utf-8', `temper-transcript-${c.id}.json`, body);
      },
    },
    {
      id: 'agent-events',
      method: 'GET',
      pattern: conv('/events'),
      access: 'agent',
      async run(ctx, { agent, id }) {
        const after = lastEventIdOf(ctx.req, ctx.url);
        if (after === null) throw new HttpError('bad-format', 'Last-Event-ID must be a non-negative integer', 'last-event-id');
        const c = await mayRead(agent!, id!, 'events');
        await s.events.stream(ctx, id!, after, () => void s.presence.touch(agent!).catch(() => undefined), undefined, staffView(c));
      },
    },
    {
      id: 'agent-message',
      method: 'POST',
      pattern: conv('/messages'),
      access: 'agent',
      async run(ctx, { agent, id }) {
        const input = await readBody(ctx.req, s.bodyLimit, agentSchemas.message);
        const stored = await flow.agentMessage(id!, agent!, input.text);
        const e = stored.event;
        sendJson(ctx.res, 201, { eventId: stored.id, id: e.type === 'message' ? e.id : null });
      },
    },
    {
      id: 'agent-typing',
      method: 'POST',
      pattern: conv('/typing'),
      access: 'agent',
      async run(ctx, { agent, id }) {
        const input = await readBody(ctx.req, s.bodyLimit, agentSchemas.typing);
        await flow.agentTyping(id!, agent!, input.active);
        sendJson(ctx.res, 200, { active: input.active });
      },
    },
    {
      // Messenger basics (issue 12): "seen" receipts for the visitor's messages.
      id: 'agent-seen',
      method: 'POST',
      pattern: conv('/seen'),
      access: 'agent',
      async run(ctx, { agent, id }) {
        const input = await readBody(ctx.req, s.bodyLimit, agentSchemas.seen);
        sendJson(ctx.res, 200, { conversationId: id, seenUpTo: await flow.agentSeen(id!, agent!, input.upTo) });
      },
    },
    {
      id: 'agent-release',
      method: 'POST',
      pattern: conv('/release'),
      access: 'agent',
      async run(ctx, { agent, id }) {
        const r = await flow.release(id!, agent!);
        sendJson(ctx.res, 200, { conversationId: id, state: r.state });
      },
    },
    {
      id: 'agent-close',
      method: 'POST',
      pattern: conv('/close'),
      access: 'agent',
      async run(ctx, { agent, id }) {
        const r = await flow.close(id!, agent!);
        sendJson(ctx.res, 200, { conversationId: id, state: r.state });
      },
    },
    {
      id: 'agent-delete',
      method: 'DELETE',
      pattern: conv(),
      access: 'admin',
      async run(ctx, { id }) {
        if (!(await s.deleteConversation(id!))) throw new HttpError('not-found', 'no such conversation');
        sendJson(ctx.res, 200, { conversationId: id, deleted: true });
      },
    },
    {
      id: 'agent-audit',
      method: 'GET',
      pattern: /^\/agent\/audit$/,
      access: 'supervisor',
      async run(ctx) {
        const r = range(ctx);
        const cid = ctx.url.searchParams.get('conversationId');
        const limitRaw = ctx.url.searchParams.get('limit');
        const limit = limitRaw && /^\d{1,6}$/.test(limitRaw) ? Number(limitRaw) : 1000;
        const entries = await store.readAudit({ from: r.from, to: r.to, limit, ...(cid ? { conversationId: cid } : {}) });
        sendJson(ctx.res, 200, { from: r.from, to: r.to, retentionMs: s.auditRetentionMs, entries });
      },
    },
    {
      id: 'agent-reports',
      method: 'GET',
      pattern: /^\/agent\/reports$/,
      access: 'supervisor',
      async run(ctx) {
        const { r, entries } = await reportEntries(ctx);
        const ratings = await staffRatings(r.from, r.to);
        const csat = buildCsatReport(ratings);
        // Report privacy (issue 15): per-agent figures only where the host keeps them on.
        if (!s.reportPrivacy.perAgent) csat.byAgent = [];
        sendJson(ctx.res, 200, { ...buildReport(entries, r.from, r.to, r.bucketMs), csat });
      },
    },
    {
      id: 'agent-reports-csv',
      method: 'GET',
      pattern: /^\/agent\/reports\.csv$/,
      access: 'supervisor',
      async run(ctx) {
        const table = (ctx.url.searchParams.get('table') ?? 'summary') as ReportTable;
        const r0 = range(ctx);
        if (!REPORT_TABLES.includes(table))
          throw new HttpError('not-allowed-value', `table must be one of ${REPORT_TABLES.join(', ')}`, 'table');
        const { entries } = await reportEntries(ctx);
        const ratings = table === 'csat' ? await staffRatings(r0.from, r0.to) : [];
        const csv = reportCsv(buildReport(entries, r0.from, r0.to, r0.bucketMs), table, entries, ratings, s.reportPrivacy);
        sendAttachment(ctx.res, 'text/csv; charset=utf-8', `temper-${table}.csv`, csv);
      },
    },
  ];
}
