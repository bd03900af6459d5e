// One route table for visitor and agent routes, one dispatcher: match (404/405), access (visitor token, or
// agent token + role), rate limits, run — and every HttpError thrown anywhere on the way mapped to a response
// in one place.
import { ClientAbortedError } from '../http/body.js';
import { HttpError, sendError } from '../http/error.js';
import { bearerOf } from '../http/request.js';
import { keys } from '../keys.js';
import { AGENT_TOKEN_SKEW_MS, MAX_AGENT_TOKEN_TTL_MS, readAgentToken } from '../token.js';
import { agentRoutes, rank } from './agent.js';
import { staffRoutes } from './staff.js';
import { privacyRoutes } from './privacy.js';
import type { Ctx, Route, Services } from './types.js';
import { authVisitor, visitorRoutes } from './visitor.js';

export interface Router {
  /** The routes whose path matches `sub` (any method). */
  match(sub: string): Route[];
  /** Answers the request; never rejects. */
  dispatch(ctx: Ctx, matching: Route[]): Promise<void>;
}

export function createRouter(s: Services, basePath: string, refused: (ctx: Ctx, e: HttpError) => void): Router {
  const table: Route[] = [...visitorRoutes(s), ...agentRoutes(s), ...staffRoutes(s), ...privacyRoutes(s)];

  async function fail(ctx: Ctx, e: unknown): Promise<void> {
    if (e instanceof HttpError && (e.code === 'unauthorized' || e.code === 'agent-token-expiry') && s.limits.invalidTokens) {
      // Each refused token costs the address one token of its bucket; an empty bucket answers 429, so
      // guessing tokens runs at the bucket's refill speed.
      try {
        await s.take(keys.invalidTokenBucket(ctx.ip), s.limits.invalidTokens);
      } catch (limited) {
        if (limited instanceof HttpError) e = limited;
      }
    }
    if (e instanceof ClientAbortedError) {
      s.log('info', 'client aborted the request mid-body', { endpoint: ctx.endpoint });
      ctx.res.destroy();
      return;
    }
    if (e instanceof HttpError) {
      refused(ctx, e);
      if (!ctx.res.headersSent) sendError(ctx.res, e);
      else ctx.res.end();
      return;
    }
    s.log('error', 'request failed', { endpoint: ctx.endpoint, error: e instanceof Error ? e.message : String(e) });
    if (!ctx.res.headersSent) await fail(ctx, new HttpError('internal', 'internal error'));
    else ctx.res.end();
  }

  async function run(ctx: Ctx, matching: Route[]): Promise<void> {
    const { sub } = ctx;
    const agentPath = sub.startsWith('/agent/');
    if (matching.length === 0)
      throw new HttpError('not-found', agentPath ? `no agent endpoint ${sub}` : `no endpoint ${sub} under ${basePath}`);
    const route = matching.find((r) => r.method === ctx.req.method);
    if (!route) {
      const allow = matching.map((r) => r.method).join(', ');
      throw new HttpError('method-not-allowed', `${sub} accepts ${allow}`, undefined, { Allow: allow });
    }
    const id = route.pattern.exec(sub)?.[1] ?? null;
    if (route.access === 'public' || route.access === 'visitor') {
      const perIp = s.take(keys.ipBucket(ctx.ip), s.limits.perIp);
      perIp.catch(() => undefined); // awaited below; handled even if the token check throws first
      const conversation = route.access === 'visitor' ? await authVisitor(s, ctx, perIp) : (await perIp, null);
      return route.run(ctx, { conversation, agent: null, id });
    }
    const token = bearerOf(ctx.req);
    const agent = token ? readAgentToken(s.key, token, s.now()) : null;
    if (!agent) throw new HttpError('unauthorized', 'an agent token is required (Authorization: Bearer <agent token>)');
    // Staff access (issue 15): a token that never expires, or lives longer than 30 days, is refused.
    if (agent.expiresAt === undefined)
      throw new HttpError('agent-token-expiry', 'this agent token has no expiry; make a new one with createAgentToken(secret, { …, ttlMs })');
    if (agent.expiresAt > s.now() + MAX_AGENT_TOKEN_TTL_MS + AGENT_TOKEN_SKEW_MS)
      throw new HttpError('agent-token-expiry', 'this agent token expires more than 30 days from now; make a new one with createAgentToken');
    if (rank(agent.role) < rank(route.access)) throw new HttpError('forbidden', `this needs the ${route.access} role`);
    await s.take(keys.agentBucket(agent.agentId), s.limits.perAgent);
    if (route.id !== 'agent-presence') await s.presence.touch(agent);
    return route.run(ctx, { conversation: null, agent, id });
  }

  return {
    match: (sub) => table.filter((r) => r.pattern.test(sub)),
    dispatch: (ctx, matching) => run(ctx, matching).catch((e: unknown) => fail(ctx, e)).catch(() => void ctx.res.destroy()),
  };
}
