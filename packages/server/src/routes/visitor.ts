// The visitor endpoints of the wire contract (ENDPOINTS in @temper/protocol): sessions, messages, signals,
// the scoring status, the event stream, and (messenger basics, issue 12) the rating at close and a verified
// customer's history.
import {
  ENDPOINTS,
  maskCardNumbers,
  schemas,
  type Locale,
  type MessageAccepted,
  type MessageEvent,
  type ScoringAccepted,
  type ScoringState,
  type PastConversation,
  type PastConversations,
  type PastConversationSummary,
  type RatingAccepted,
  type SessionResponse,
  type SignalAccepted,
} from '@temper/protocol';
import { readBody } from '../http/body.js';
import { HttpError, sendJson } from '../http/error.js';
import { bearerOf, lastEventIdOf } from '../http/request.js';
import { keys } from '../keys.js';
import { newId } from '../flow/core.js';
import type { ConversationRecord, Rating, StoredEvent } from '../store.js';
import { metaOf } from '../flow/types.js';
import { readVisitorToken, signVisitorToken, type VisitorClaims } from '../token.js';
import { verifyIdentity } from '../identity.js';
import type { Ctx, Route, Services } from './types.js';

type EndpointId = (typeof ENDPOINTS)[number]['id'];

/** Endpoints without a session token: opening one, and a verified customer's history (their identity is the credential). */
const PUBLIC: ReadonlySet<EndpointId> = new Set(['open-session', 'list-past-conversations', 'read-past-conversation']);
/** How many of a customer's conversations `POST /history` lists, newest first. */
const PAST_LISTED = 20;
const messagesOf = (events: readonly StoredEvent[]) => events.flatMap((e) => (e.event.type === 'message' ? [e.event] : []));

const gone = () => new HttpError('unauthorized', 'the conversation of this token no longer exists');

/**
 * Verifies the visitor token and loads its conversation, then takes from the session's bucket. `before` is a
 * check already under way (the per-IP bucket): the conversation is read while it runs (one round trip less on
 * a pipelining store), and its refusal wins as if it had been awaited first.
 */
export async function authVisitor(s: Services, ctx: Ctx, before: Promise<void> = Promise.resolve()): Promise<ConversationRecord> {
  const token = bearerOf(ctx.req);
  const claims = token ? readVisitorToken(s.key, token) : null;
  if (!claims || claims.expiresAt <= s.now()) {
    await before;
    throw new HttpError('unauthorized', token ? 'the session token is invalid or expired' : 'a Bearer session token is required');
  }
  const loading = s.store.getConversation(claims.conversationId);
  loading.catch(() => undefined); // awaited below; a refusal by `before` must not leave it unhandled
  await before;
  const conv = await loading;
  if (!conv) throw gone();
  await s.take(keys.sessionBucket(conv.id), s.limits.perSession);
  return conv;
}

export function visitorRoutes(s: Services): Route[] {
  const { store, flow, now } = s;

  /** Every new conversation, anonymous or a customer's, is made here. */
  async function create(ip: string, locale: Locale | undefined, scoring: ScoringState | undefined, userId?: string): Promise<ConversationRecord> {
    // Creations (not renewals) take from the day-scale bucket of the address and the global one.
    await s.take(keys.createBucket(ip), s.limits.sessionsPerIp);
    await s.take(keys.createAll, s.limits.sessions);
    const record: ConversationRecord = {
      id: newId(16),
      createdAt: now(),
      state: 'bot',
      meta: scoring === undefined ? {} : { scoring },
      ...(userId === undefined ? {} : { userId }),
    };
    if (locale) record.locale = locale;
    await store.createConversation(record);
    return record;
  }

  function verifiedUser(user: { id: string; hash: string }): string {
    if (s.identityKeys.length === 0)
      throw new HttpError('identity-invalid', 'this server has no identitySecret, so it cannot verify `user`; boot the widget without it', 'user');
    if (verifyIdentity(s.identityKeys, user.id, user.hash) === null)
      throw new HttpError('identity-invalid', '`user.hash` is not the identity hash of `user.id`: compute it on your server with the identity secret', 'user.hash');
    return user.id;
  }

  /**
   * The verified customer's conversation: the one bound to them if it is still open, else the one this device
   * holds (`held`, theirs), else a new one. Under the customer's lock, so two devices opening at once get one.
   */
  function openForUser(ip: string, userId: string, input: { locale?: Locale; scoring?: ScoringState }, held: ConversationRecord | null) {
    const { locale, scoring } = input;
    return s.coordination.withLock(keys.user(userId), async () => {
      const boundId = await store.getUserConversation(userId);
      const bound = boundId === null ? null : await store.getConversation(boundId);
      let conv = bound && bound.userId === userId && bound.state !== 'closed' ? bound : held;
      const created = conv === null;
      if (conv === null) conv = await create(ip, locale, scoring, userId);
      else if ((locale && conv.locale !== locale) || (scoring && conv.meta.scoring !== scoring)) {
        conv = (await store.updateConversation(conv.id, renewal(input))) ?? conv;
      }
      await store.setUserConversation(userId, conv.id);
      return { conv, created };
    });
  }

  /** What a renewal changes: the locale and the scoring status, when the widget sent them. */
  function renewal(input: { locale?: Locale; scoring?: ScoringState }) {
    return {
      ...(input.locale ? { locale: input.locale } : {}),
      ...(input.scoring ? { meta: { scoring: input.scoring } } : {}),
    };
  }

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
      const userId = input.user ? verifiedUser(input.user) : null;
      let held: ConversationRecord | null = null;
      if (token) {
        const claims = readVisitorToken(s.key, token);
        if (!claims || claims.expiresAt + s.renewGraceMs <= now())
          throw new HttpError('unauthorized', 'the session token is invalid or too old to renew; open a new session without it');
        held = await store.getConversation(claims.conversationId);
        if (!held) throw gone();
        // A customer's conversation is renewed only for that customer (a shared browser after sign-out, or
        // another customer signed in there, never gets it); an anonymous one is left when its visitor signs in.
        if (held.userId !== undefined && held.userId !== userId)
          throw new HttpError('unauthorized', 'this conversation belongs to a signed-in customer; open a new session without this token');
        if (held.userId === undefined && userId === null) {
          const conv = await store.updateConversation(held.id, renewal(input));
          if (!conv) throw gone();
          await s.take(keys.sessionBucket(conv.id), s.limits.perSession);
          return sendJson(ctx.res, 200, issue(conv.id));
        }
        if (held.userId === undefined) held = null;
      }
      if (userId !== null) {
        const { conv, created } = await openForUser(ctx.ip, userId, input, held);
        if (created) await flow.opened(conv);
        else await s.take(keys.sessionBucket(conv.id), s.limits.perSession);
        return sendJson(ctx.res, created ? 201 : 200, issue(conv.id));
      }
      const record = await create(ctx.ip, input.locale, input.scoring);
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
        // Card numbers (issue 15, PCI DSS): masked before anything stores, routes, shows or exports the text.
        text: maskCardNumbers(input.text),
        at: now(),
        clientId: input.id,
      };
      const r = await store.appendVisitorMessage(conv.id, message);
      const accepted: MessageAccepted = { id: input.id, duplicate: r.duplicate };
      if (r.duplicate) {
        // The retry of a message whose bot reply is still owed (its instance died mid-answer) gets it now.
        if (r.stored) await flow.visitorRetried(conv.id, r.stored.id);
        return sendJson(ctx.res, 200, accepted);
      }
      // The owed-reply marker goes in right after the message, so the reply survives this instance's death.
      await Promise.all([
        store.updateConversation(conv.id, { lastVisitorAt: message.at }),
        flow.oweReply(conv, r.stored.id),
      ]);
      // Decide before answering, so a handoff (e.g. "转人工") is already visible when the response arrives.
      // The callback contact is looked for in the text as typed (a long phone number may pass Luhn).
      await flow.visitorMessage(conv.id, message, r.stored.id, input.text);
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

    // Scoring status (issue 12): kept in meta.scoring, so the console can tell "calm" from "not scored".
    async 'send-scoring'(ctx, { conversation }) {
      const conv = conversation!;
      const input = await readBody(ctx.req, s.bodyLimit, schemas.scoringStatus);
      if (conv.meta.scoring !== input.scoring) {
        const updated = await store.updateConversation(conv.id, { meta: { scoring: input.scoring } });
        if (!updated) throw gone();
        flow.scoringChanged();
      }
      const accepted: ScoringAccepted = { scoring: input.scoring };
      sendJson(ctx.res, 200, accepted);
    },

    async 'read-events'(ctx, { conversation }) {
      const after = lastEventIdOf(ctx.req, ctx.url);
      if (after === null) throw new HttpError('bad-format', 'Last-Event-ID must be a non-negative integer', 'last-event-id');
      // Visitor presence (issue 12): this stream counts the visitor as here until it closes.
      const id = conversation!.id;
      const warn = (e: unknown) => s.log('warn', 'visitor presence update failed', { conversationId: id, error: String(e) });
      await s.events.stream(ctx, id, after, undefined, {
        key: keys.visitorStreams(id),
        opened: () => void flow.visitorArrived(id).catch(warn),
        released: () => void flow.visitorDeparted(id).catch(warn),
      });
    },

    // --- Messenger basics (issue 12) ---
    async 'rate-conversation'(ctx, { conversation }) {
      const conv = conversation!;
      const input = await readBody(ctx.req, s.bodyLimit, schemas.rating);
      if (conv.state !== 'closed') throw new HttpError('conflict', `a chat is rated once it is closed; this one is ${conv.state}`);
      const m = metaOf(conv);
      const route = m.route === 'human' ? 'human' : 'bot';
      const rating: Rating = {
        score: input.score,
        ...(input.comment === undefined ? {} : { comment: maskCardNumbers(input.comment) }),
        at: now(),
        route,
        ...(route === 'human' && m.lastAgentId ? { agentId: m.lastAgentId, agentName: m.lastAgentName ?? m.lastAgentId } : {}),
      };
      const replaced = (await store.getRating(conv.id)) !== null;
      if (!(await store.setRating(conv.id, rating))) throw gone();
      const accepted: RatingAccepted = { score: input.score, replaced };
      sendJson(ctx.res, replaced ? 200 : 201, accepted);
    },

    async 'list-past-conversations'(ctx) {
      const input = await readBody(ctx.req, s.bodyLimit, schemas.pastConversations);
      const userId = verifiedUser(input.user);
      const items: PastConversationSummary[] = [];
      for (const id of await store.listUserConversations(userId, PAST_LISTED)) {
        const c = await store.getConversation(id);
        if (!c || c.userId !== userId) continue;
        const messages = messagesOf(await store.readEvents(id, 0));
        const first = messages.find((e) => e.from === 'visitor');
        if (!first) continue;
        items.push({
          conversationId: id,
          createdAt: c.createdAt,
          lastAt: messages.at(-1)!.at,
          state: c.state,
          messages: messages.length,
          preview: [...first.text].slice(0, 120).join(''),
        });
      }
      const body: PastConversations = { items };
      sendJson(ctx.res, 200, body);
    },

    async 'read-past-conversation'(ctx) {
      const input = await readBody(ctx.req, s.bodyLimit, schemas.pastConversation);
      const userId = verifiedUser(input.user);
      const c = await store.getConversation(input.conversationId);
      // Someone else's conversation and none at all answer alike: the id tells nothing about others.
      if (!c || c.userId !== userId) throw new HttpError('not-found', 'this customer has no such conversation', 'conversationId');
      const body: PastConversation = {
        conversationId: c.id,
        createdAt: c.createdAt,
        state: c.state,
        messages: messagesOf(await store.readEvents(c.id, 0)).map(({ from, text, at, name }) => ({ from, text, at, ...(name ? { name } : {}) })),
      };
      sendJson(ctx.res, 200, body);
    },
  };

  return ENDPOINTS.map((e) => ({
    id: e.id,
    method: e.method,
    pattern: new RegExp(`^${e.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
    access: PUBLIC.has(e.id) ? 'public' : 'visitor',
    run: run[e.id],
  }));
}
