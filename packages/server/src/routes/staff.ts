// Agents and supervisors (issue 14) on the agent API: the supervisor's live board (snapshot and event stream),
// staff-only notes, take-over, the agent's upset / not-upset label, reply assist (suggestions and what was used),
// per-agent reports and the feedback export. Each route states its least role; the dispatcher checks it.
import type { ObjectSpec } from '@temper/protocol';
import { suggest } from '../assist/library.js';
import { agentLoads } from '../agents/assigner.js';
import { newId } from '../flow/core.js';
import { TEXT } from '../flow/texts.js';
import type { RoutingMeta } from '../flow/types.js';
import { sendAttachment } from '../http/attachment.js';
import { readBody } from '../http/body.js';
import { HttpError, sendJson } from '../http/error.js';
import { buildAgentReport, agentReportCsv } from '../supervisor/agent-report.js';
import { BOARD_CHANNEL } from '../supervisor/board.js';
import { exportFeedback } from '../supervisor/feedback.js';
import type { AuditEntry } from '../store.js';
import type { AgentClaims } from '../token.js';
import { conv, rank } from './agent.js';
import { auditRead, staffText } from '../staff-access.js';
import { streamSnapshots } from './snapshot-stream.js';
import type { Ctx, Route, Services } from './types.js';

/** Bodies of the staff routes (same strict validator as every endpoint). */
export const staffSchemas = {
  note: { text: { kind: 'string', minLength: 1, maxLength: 2000, origin: 'server', purpose: 'A note only staff see.' } },
  label: { upset: { kind: 'boolean', origin: 'server', purpose: 'The agent’s judgement: was the visitor upset?' } },
  assistUsed: {
    scenario: { kind: 'string', minLength: 1, maxLength: 40, pattern: '^[a-z0-9][a-z0-9-]*$', origin: 'server', purpose: 'Which scenario’s suggestion was inserted.' },
    index: { kind: 'integer', min: 0, max: 19, origin: 'server', purpose: 'Which reply of the scenario.' },
  },
} as const satisfies Record<string, ObjectSpec>;

const DAY = 86_400_000;

export function staffRoutes(s: Services): Route[] {
  const { store, flow, now, board } = s;
  const core = flow.core;

  async function record(id: string) {
    const c = await store.getConversation(id);
    if (!c) throw new HttpError('not-found', 'no such conversation');
    return c;
  }

  /** The agent holding the chat, or a supervisor/admin. */
  async function holderOrSupervisor(agent: AgentClaims, id: string) {
    const c = await record(id);
    if (rank(agent.role) >= rank('supervisor')) return c;
    if (c.state === 'agent' && (c.meta as RoutingMeta).agentId === agent.agentId) return c;
    throw new HttpError('forbidden', 'only the agent holding this chat, or a supervisor, may do that');
  }

  /** Reply assist as configured, or the 404 both assist routes answer when no library is configured. */
  function assistOn(): NonNullable<Services['assist']> {
    if (!s.assist) throw new HttpError('not-found', 'reply assist is off (no assist.library configured)');
    return s.assist;
  }

  /** Audits a staff action on a conversation with its current level and trend. */
  async function auditAction(id: string, action: AuditEntry['action'], agent: AgentClaims, reasons: string[], at = now()): Promise<void> {
    const sig = await store.getSignalState(id);
    await core.audit({ at, conversationId: id, action, agentId: agent.agentId, level: sig?.level ?? null, trend: sig?.trend ?? null, reasons });
  }

  function window(ctx: Ctx): { from: number; to: number } {
    const q = ctx.url.searchParams;
    const n = (k: string, d: number) => {
      const raw = q.get(k);
      if (raw === null) return d;
      if (!/^\d{1,16}$/.test(raw)) throw new HttpError('bad-format', `${k} must be Unix ms`, k);
      return Number(raw);
    };
    const to = n('to', now() + 1);
    const from = n('from', Math.max(0, to - 7 * DAY));
    if (from >= to) throw new HttpError('out-of-range', 'from must be before to', 'from');
    return { from, to };
  }

  return [
    {
      id: 'agent-board',
      method: 'GET',
      pattern: /^\/agent\/board$/,
      access: 'supervisor',
      run: async (ctx) => sendJson(ctx.res, 200, await board.snapshot()),
    },
    {
      id: 'agent-board-events',
      method: 'GET',
      pattern: /^\/agent\/board\/events$/,
      access: 'supervisor',
      async run(ctx, { agent }) {
        // A burst (a signal, then its decision and queue moves) becomes one snapshot.
        await streamSnapshots(s, ctx, agent!, async () => ({ type: 'board', ...(await board.snapshot()) }), (listener) =>
          s.coordination.subscribe(BOARD_CHANNEL, listener),
        );
      },
    },
    {
      id: 'agent-notes',
      method: 'GET',
      pattern: conv('/notes'),
      access: 'agent',
      async run(ctx, { agent, id }) {
        await holderOrSupervisor(agent!, id!);
        const items = (await store.listStaffNotes(id!)).map((n) => ({ ...n, text: staffText(n.text, s.staffAccess) }));
        sendJson(ctx.res, 200, { items });
      },
    },
    {
      id: 'agent-notes',
      method: 'POST',
      pattern: conv('/notes'),
      access: 'supervisor',
      async run(ctx, { agent, id }) {
        const input = await readBody(ctx.req, s.bodyLimit, staffSchemas.note);
        await record(id!);
        const note = { id: newId(9), at: now(), agentId: agent!.agentId, name: agent!.name, text: input.text };
        await store.addStaffNote(id!, note);
        await board.changed(id!);
        sendJson(ctx.res, 201, note);
      },
    },
    {
      id: 'agent-takeover',
      method: 'POST',
      pattern: conv('/takeover'),
      access: 'supervisor',
      async run(ctx, { agent, id }) {
        const r = await core.lock(id!, async () => {
          const before = await record(id!);
          const prev = (before.meta as RoutingMeta).agentId ?? null;
          if (before.state === 'agent' && prev === agent!.agentId) throw new HttpError('conflict', 'you already have this chat');
          const t = now();
          const moved = await store.transition(id!, ['agent', 'queued', 'bot'], {
            state: 'agent',
            meta: { agentId: agent!.agentId, agentName: agent!.name, claimedAt: t, route: 'human', wantsHuman: false, position: null, lastAgentId: agent!.agentId, lastAgentName: agent!.name, assignedBy: 'supervisor', matchReasons: null, firstReplyAt: null },
          });
          if (!moved.ok) throw moved.record ? new HttpError('conflict', `the conversation is ${moved.record.state}`) : new HttpError('not-found', 'no such conversation');
          await auditAction(id!, 'taken-over', agent!, prev ? [`from:${prev}`] : [], t);
          await core.append(id!, { type: 'handoff', state: 'agent', name: agent!.name.slice(0, 80) });
          await core.system(id!, TEXT.joined[core.languageOf(moved.record)](agent!.name));
          core.onQueueChanged();
          return { previous: prev };
        });
        await board.changed(id!);
        sendJson(ctx.res, 200, { conversationId: id, state: 'agent', agent: { agentId: agent!.agentId, name: agent!.name }, previousAgentId: r.previous });
      },
    },
    {
      id: 'agent-label',
      method: 'POST',
      pattern: conv('/label'),
      access: 'agent',
      async run(ctx, { agent, id }) {
        const input = await readBody(ctx.req, s.bodyLimit, staffSchemas.label);
        await holderOrSupervisor(agent!, id!);
        const t = now();
        await store.updateConversation(id!, { meta: { label: { upset: input.upset, by: agent!.agentId, at: t } } });
        await auditAction(id!, 'labeled', agent!, [input.upset ? 'upset' : 'not-upset'], t);
        sendJson(ctx.res, 200, { conversationId: id, upset: input.upset });
      },
    },
    {
      id: 'agent-assist',
      method: 'GET',
      pattern: conv('/assist'),
      access: 'agent',
      async run(ctx, { agent, id }) {
        const assist = assistOn();
        const c = await holderOrSupervisor(agent!, id!);
        const [sig, history] = await Promise.all([store.getSignalState(id!), store.readAudit({ conversationId: id! })]);
        const repeated = history.some((e) => e.action === 'closed' || e.action === 'released');
        const topic = (c.meta as RoutingMeta).topic ?? null;
        sendJson(ctx.res, 200, suggest(assist.library, { level: sig?.level ?? null, language: core.languageOf(c), topic, repeated }, assist.fromLevel));
      },
    },
    {
      id: 'agent-assist-used',
      method: 'POST',
      pattern: conv('/assist/used'),
      access: 'agent',
      async run(ctx, { agent, id }) {
        const assist = assistOn();
        const input = await readBody(ctx.req, s.bodyLimit, staffSchemas.assistUsed);
        if (!assist.library.scenarios.some((x) => x.id === input.scenario)) throw new HttpError('not-allowed-value', `no scenario ${input.scenario} in the library`, 'scenario');
        await holderOrSupervisor(agent!, id!);
        await auditAction(id!, 'assist-used', agent!, [input.scenario, `reply:${input.index}`]);
        sendJson(ctx.res, 200, { recorded: true });
      },
    },
    {
      id: 'agent-load',
      method: 'GET',
      pattern: /^\/agent\/me\/load$/,
      access: 'agent',
      async run(ctx, { agent }) {
        const load = (await agentLoads(store, now(), s.agentRouting)).get(agent!.agentId) ?? { score: 0, chats: 0, angryInARow: 0, breakSuggested: false };
        sendJson(ctx.res, 200, { agentId: agent!.agentId, ...load, breakAfter: s.agentRouting.breakAfter, windowMs: s.agentRouting.loadWindowMs });
      },
    },
    {
      id: 'agent-reports-agents',
      method: 'GET',
      pattern: /^\/agent\/reports\/agents(\.csv)?$/,
      access: 'supervisor',
      async run(ctx) {
        if (!s.reportPrivacy.perAgent) throw new HttpError('not-found', 'per-agent reports are off here (reportPrivacy.perAgent: false)');
        const { from, to } = window(ctx);
        await s.pruneAudit();
        const report = await buildAgentReport(store, from, to);
        if (!ctx.sub.endsWith('.csv')) return sendJson(ctx.res, 200, report);
        const csv = agentReportCsv(report, s.reportPrivacy.minCount);
        sendAttachment(ctx.res, 'text/csv; charset=utf-8', 'temper-agents.csv', csv);
      },
    },
    {
      id: 'agent-feedback-export',
      method: 'GET',
      pattern: /^\/agent\/feedback\.jsonl$/,
      access: 'admin',
      async run(ctx, { agent }) {
        const { from, to } = window(ctx);
        const lines = (await exportFeedback(store, { from, to })).map((l) => ({ ...l, text: staffText(l.text, s.staffAccess) }));
        // Staff access (issue 15): each exported chat's visitor text is a transcript read.
        const t = now();
        for (const id of new Set(lines.map((l) => l.group))) await auditRead(store, agent!, id, 'feedback-export', t);
        const body = lines.map((l) => JSON.stringify(l)).join('\n') + (lines.length ? '\n' : '');
        sendAttachment(ctx.res, 'application/x-ndjson; charset=utf-8', 'temper-feedback.jsonl', body);
      },
    },
  ];
}
