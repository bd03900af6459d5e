// The four visitor endpoints of the wire contract (ENDPOINTS in @temper/protocol): sessions, messages,
// signals and the event stream.
import {
  ENDPOINTS,
  schemas,
  type MessageAccepted,
  type MessageEvent,
  type SessionResponse,
  type SignalAccepted,
} from '@temper/protocol';
import { readBody } from '../http/body.js';
import { HttpError, sendJson } from '../http/error.js';
import { bearerOf, lastEventIdOf } from '../http/request.js';
import { keys } from '../keys.js';
import { newId } from '../flow/core.js';
import type { ConversationRecord } from '../store.js';
import { readVisitorToken, signVisitorToken, type VisitorClaims } from '../token.js';
import type { Ctx, Route, Services } from './types.js';

type EndpointId = (typeof ENDPOINTS)[number]['id'];

const gone = () => new HttpError('unauthorized', 'the conversation of this token no longer exists');

/** Verifies the visitor token and loads its conversation, then takes from the session's bucket. */
export async function authVisitor(s: Services, ctx: Ctx): Promise<ConversationRecord> {
  const token = bearerOf(ctx.req);
  const claims = token ? readVisitorToken(s.key, token) : null;
  if (!claims || claims.expiresAt <= s.now())
    throw new HttpError('unauthorized', token ? 'the session token is invalid or expired' : 'a Bearer session token is required');
  const conv = await s.store.getConversation(claims.conversationId);
  if (!conv) throw gone();
  await s.take(keys.sessionBucket(conv.id), s.limits.perSession);
  return conv;
}

export function visitorRoutes(s: Services): Route[] {
  const { store, flow, now } = s;

  function issue(conversationId: string): SessionResponse {
    const claims: VisitorClaims = { conversationId, expiresAt: now() + s.tokenTtlMs };
    return { token: signVisitorToken(s.key, claims), conversationId, expiresAt: claims.expiresAt };
  }

  const run: Record<EndpointId, Route['run']> = {
    async 'open-session'(ctx) {
      const token = bearerOf(ctx.req);
      if (ctx.req.headers.authorization !== undefined && !token)
        throw new HttpError('unauthorized', 'the Authorization header must be `Bearer <token>`');
      const input = await readBody(ctx.req, s.bodyLimit, schemas.sessionRequest);
      if (token) {
        const claims = readVisitorToken(s.key, token);
        if (!claims || claims.expiresAt + s.renewGraceMs <= now())
          throw new HttpError('unauthorized', 'the session token is invalid or too old to renew; open a new session without it');
        const conv = await store.updateConversation(claims.conversationId, input.locale ? { locale: input.locale } : {});
        if (!conv) throw gone();
        await s.take(keys.sessionBucket(conv.id), s.limits.perSession);
        return sendJson(ctx.res, 200, issue(conv.id));
      }
      const record: ConversationRecord = { id: newId(16), createdAt: now(), state: 'bot', meta: {} };
      if (input.locale) record.locale = input.locale;
      await store.createConversation(record);
      await flow.opened(record);
      sendJson(ctx.res, 201, issue(record.id));
    },

    async 'send-message'(ctx, { conversation }) {
      const conv = conversation!;
      const input = await readBody(ctx.req, s.bodyLimit, schemas.visitorMessage);
      const message: MessageEvent & { clientId: string } = {
        type: 'message',
        id: newId(12),
        from: 'visitor',
        text: input.text,
        at: now(),
        clientId: input.id,
      };
      const r = await store.appendVisitorMessage(conv.id, message);
      const accepted: MessageAccepted = { id: input.id, duplicate: r.duplicate };
      if (r.duplicate) return sendJson(ctx.res, 200, accepted);
      await store.updateConversation(conv.id, { lastVisitorAt: message.at });
      // Decide before answering, so a handoff (e.g. "转人工") is already visible when the response arrives.
      await flow.visitorMessage(conv.id, message);
      sendJson(ctx.res, 201, accepted);
    },

    async 'send-signal'(ctx, { conversation }) {
      const conv = conversation!;
      const input = await readBody(ctx.req, s.bodyLimit, schemas.signal);
      const r = await store.recordSignal(conv.id, { seq: input.seq, level: input.level, trend: input.trend, at: now() });
      if (!r.ok) {
        if (r.reason === 'stale') throw new HttpError('stale-signal', `seq ${input.seq} is not above the last accepted seq ${r.lastSeq}`, 'seq');
        throw gone();
      }
      await flow.signal(conv.id);
      const accepted: SignalAccepted = { seq: input.seq };
      sendJson(ctx.res, 200, accepted);
    },

    async 'read-events'(ctx, { conversation }) {
      const after = lastEventIdOf(ctx.req, ctx.url);
      if (after === null) throw new HttpError('bad-format', 'Last-Event-ID must be a non-negative integer', 'last-event-id');
      await s.events.stream(ctx, conversation!.id, after);
    },
  };

  return ENDPOINTS.map((e) => ({
    id: e.id,
    method: e.method,
    pattern: new RegExp(`^${e.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
    access: e.id === 'open-session' ? 'public' : 'visitor',
    run: run[e.id],
  }));
}
