// The shapes of the one route table: a request context, what a route needs from the server (`Services`), and
// the route itself — method, path pattern, who may call it, and a `run` that answers or throws an HttpError.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Coordination } from '../coordination.js';
import type { Flow } from '../flow/index.js';
import type { RateLimit } from '../rate-limit.js';
import type { ConversationRecord, Store } from '../store.js';
import type { AgentClaims, AgentRole, Keyring } from '../token.js';
import type { EventStreams } from './events.js';
import type { Presence } from '../presence.js';
import type { Logger } from '../options.js';
import type { IdentityKeys } from '../identity.js';
import type { Level } from '@temper/protocol';
import type { AgentRoutingConfig } from '../agents/matching.js';
import type { ReplyLibrary } from '../assist/library.js';
import type { BoardService } from '../supervisor/board.js';
import type { DataSubjects } from '../privacy/dsr.js';
import type { StaffAccess } from '../staff-access.js';
import type { ReportPrivacy } from '../report-privacy.js';

/** One request as the routes see it. */
export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The path below `basePath`, e.g. `/messages`. */
  sub: string;
  /** The id of the matched route (`ENDPOINTS` ids and `agent-…`), or `other`; refusals are counted by it. */
  endpoint: string;
  /** The client address (see `trustProxy`). */
  ip: string;
}

/** What routes use; built once by the composition root. */
export interface Services {
  /** The keys that sign (the first) and verify (all) session and agent tokens. */
  key: Keyring;
  /** Keys that verify `user.hash` on `POST /sessions` (empty: identity verification is off). */
  identityKeys: IdentityKeys;
  store: Store;
  coordination: Coordination;
  flow: Flow;
  now: () => number;
  log: Logger;
  bodyLimit: number;
  heartbeatMs: number;
  streamBufferBytes: number;
  tokenTtlMs: number;
  renewGraceMs: number;
  auditRetentionMs: number;
  /** Issue 15: prunes the audit log past its retention — unless an archive is configured (then only the retention sweep prunes, after archiving). */
  pruneAudit(): Promise<number>;
  /** Issue 15: data-subject requests (the admin routes). */
  dataSubjects: DataSubjects;
  limits: {
    perIp: RateLimit | null;
    perSession: RateLimit | null;
    perAgent: RateLimit | null;
    sessionsPerIp: RateLimit | null;
    sessions: RateLimit | null;
    invalidTokens: RateLimit | null;
  };
  /** Throws 429 when the bucket `key` is empty. */
  take(key: string, limit: RateLimit | null): Promise<void>;
  events: EventStreams;
  presence: Presence;
  /** Listeners of queue changes on this instance (fed by the `queue-changed` channel from every instance). */
  queueListeners: Set<() => void>;
  deleteConversation(id: string): Promise<boolean>;
  // Agents and supervisors (issue 14):
  board: BoardService;
  agentRouting: AgentRoutingConfig;
  /** Reply assist, or null when no library is configured. */
  assist: { library: ReplyLibrary; fromLevel: Level } | null;
  // Privacy go-live (issue 15): who may read which transcript, what staff see masked, small counts in reports.
  staffAccess: StaffAccess;
  reportPrivacy: ReportPrivacy;
}

/** Who may call a route: anyone (it checks its own token, if any), a visitor token, or an agent token with at least `role`. */
export type Access = 'public' | 'visitor' | AgentRole;

export interface RouteInput {
  /** The visitor's conversation (for `visitor` routes). */
  conversation: ConversationRecord | null;
  /** The agent (for agent routes). */
  agent: AgentClaims | null;
  /** The conversation id captured by the path pattern, if any. */
  id: string | null;
}

export interface Route {
  id: string;
  method: 'GET' | 'POST' | 'DELETE';
  pattern: RegExp;
  access: Access;
  run(ctx: Ctx, input: RouteInput): Promise<void>;
}
