// Data-subject requests over HTTP (issue 15): the admin role finds a visitor's conversations (by the reference
// the widget shows, or the host's verified user id), downloads one as JSON (GDPR Art. 15 / 20) and erases it.
// The same functions are `handler.dataSubjects` for hosts that run the procedure from their own back office.
import { HttpError, sendJson } from '../http/error.js';
import type { Route, Services } from './types.js';

export function privacyRoutes(s: Services): Route[] {
  const ds = s.dataSubjects;
  /** A bad reference is the caller's error (400), not ours. */
  const checked = async <T>(f: () => Promise<T>, field: string): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      if (e instanceof TypeError) throw new HttpError('wrong-type', e.message, field);
      throw e;
    }
  };
  return [
    {
      id: 'agent-privacy-find',
      method: 'GET',
      pattern: /^\/agent\/privacy\/conversations$/,
      access: 'admin',
      async run(ctx, { agent }) {
        const ref = ctx.url.searchParams.get('conversationId');
        const userId = ctx.url.searchParams.get('userId');
        if ((ref === null) === (userId === null)) throw new HttpError('missing-field', 'give exactly one of ?conversationId= (the reference the visitor quotes) or ?userId= (your verified user id)', 'conversationId');
        const items = await checked(() => ds.find(ref !== null ? { conversationId: ref } : { userId: userId! }), ref !== null ? 'conversationId' : 'userId');
        s.log('info', 'data-subject find', { agentId: agent!.agentId, by: ref !== null ? 'conversationId' : 'userId', found: items.length });
        sendJson(ctx.res, 200, { items }, { 'Cache-Control': 'no-store' });
      },
    },
    {
      id: 'agent-privacy-export',
      method: 'GET',
      pattern: /^\/agent\/privacy\/conversations\/([^/]+)\/export$/,
      access: 'admin',
      async run(ctx, { agent, id }) {
        const body = await checked(() => ds.export(decodeURIComponent(id!)), 'conversationId');
        if (!body) throw new HttpError('not-found', 'no such conversation is stored (deleted, expired or never existed)', 'conversationId');
        // A staff read of the transcript (issue 15, finding 7): who, when, which, how — never the text.
        await s.store.appendAudit({ at: s.now(), conversationId: body.conversation.id, action: 'transcript-read', agentId: agent!.agentId, role: agent!.role, read: 'data-subject-export', level: null, trend: null, reasons: [] });
        s.log('info', 'data-subject export', { agentId: agent!.agentId, conversationId: body.conversation.id });
        sendJson(ctx.res, 200, body, { 'Cache-Control': 'no-store', 'Content-Disposition': `attachment; filename="temper-conversation-${body.conversation.id}.json"` });
      },
    },
    {
      id: 'agent-privacy-erase',
      method: 'POST',
      pattern: /^\/agent\/privacy\/conversations\/([^/]+)\/erase$/,
      access: 'admin',
      async run(ctx, { agent, id }) {
        const r = await checked(() => ds.erase(decodeURIComponent(id!)), 'conversationId');
        s.log('info', 'data-subject erasure', { agentId: agent!.agentId, deleted: r.deleted, auditAnonymised: r.auditAnonymised });
        sendJson(ctx.res, 200, r, { 'Cache-Control': 'no-store' });
      },
    },
  ];
}
