// The shapes the flow modules share: routing fields kept in `ConversationRecord.meta`, the read models the
// agent API returns, and what the flow needs from the server around it.
import type { Level, ScoringState, Trend } from '@temper/protocol';
import type { BotAdapter, Tone } from '../bot.js';
import type { Coordination } from '../coordination.js';
import type { Decision, RoutingConfig, RoutingReason, RoutingState } from '../routing.js';
import type { AgentRoutingConfig } from '../agents/matching.js';
import type { AgentPresence, AuditEntry, ConversationRecord, SignalState, Store } from '../store.js';
import type { Lang } from './texts.js';

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
  /** The expected wait last told with `position` (issue 12: the one figure banner, notices and bot quote). */
  waitSeconds?: number | null;
  agentId?: string | null;
  agentName?: string | null;
  claimedAt?: number | null;
  levelAtHandBack?: Level | null;
  /** Scoring status the widget last reported (issue 12); absent from widgets that do not report it. */
  scoring?: ScoringState;
  /** Messenger basics (issue 12): the agent who last held the chat (kept after close, for its rating). */
  lastAgentId?: string;
  lastAgentName?: string;
  /** Messenger basics (issue 12): the highest event id an agent reported seen (the last `seen` event sent). */
  seenUpTo?: number;
  // Agents and supervisors (issue 14):
  /** The bot's intent for this chat (`BotReply.topic`), which agent matching maps to a skill. */
  topic?: string;
  /** The router's latest match for a queued chat. */
  match?: { agentId: string | null; reasons: string[]; at: number } | null;
  assignedBy?: 'router' | 'agent' | 'supervisor';
  matchReasons?: string[] | null;
  firstReplyAt?: number | null;
  /** When the chat started rising (early warning), cleared when it stops. */
  warnedAt?: number | null;
  /** The agent's feedback label. */
  label?: { upset: boolean; by: string; at: number } | null;
  // Visitor presence (issue 12, defect 7; see visitor-presence.ts).
  /** Unix ms a visitor event stream last opened; absent when none ever did (then presence is not tracked). */
  visitorSeenAt?: number;
  /** Unix ms the visitor's last stream closed (or was found lapsed); null/absent while one is open. */
  visitorLeftAt?: number | null;
  /** Unix ms a queued chat left the line because its visitor was away `abandonAfterMs`; cleared on return. */
  abandonedAt?: number | null;
  // Callback requests (issue 12, defect 4; see callback.ts).
  /** The contact a visitor left after being told no one is free, for staff to get back to them. */
  callback?: CallbackRequest | null;
}

/** A contact a visitor left for a callback (issue 12). Shown to staff only. */
export interface CallbackRequest {
  kind: 'email' | 'phone';
  /** The address or number as found in the message (phone numbers with spacing normalised). */
  contact: string;
  /** Unix ms it was left. */
  at: number;
}

export type Policy = (state: RoutingState, config: RoutingConfig) => Decision;

export interface FlowDeps {
  store: Store;
  coordination: Coordination;
  now: () => number;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
  bot?: BotAdapter;
  botName: string;
  /** How long one bot answer may take before the visitor is told and the next message gets its turn. */
  botTimeoutMs: number;
  policy: Policy;
  routing: RoutingConfig;
  presenceTtlMs: number;
  maxChatsPerAgent: number;
  /** Expected wait per queue position when no claims were seen yet. */
  expectedWaitSeconds: number;
  /** Visitor presence (issue 12): a queued chat whose visitor has had no stream open this long leaves the line. */
  abandonAfterMs: number;
  /** Callback requests (issue 12): how soon the team promises to get back to a visitor who left a contact. */
  callbackWithinHours: number;
  closing: AbortSignal;
  counters: { botErrors: number; botRecovered: number; decisions: number };
  /** Called when the queue may have changed (agent consoles refresh, on every instance). */
  onQueueChanged: () => void;
  /** Agent matching and emotional load (issue 14). */
  agents: AgentRoutingConfig;
  /** Every audit entry as it is written (webhooks, the supervisor board; issue 14). Must not throw. */
  onAudit?: (entry: AuditEntry) => void;
  /** After an accepted signal was decided on (the supervisor board's early warning; issue 14). */
  onSignal?: (record: ConversationRecord, signal: SignalState) => Promise<void>;
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
  /**
   * Scoring status (issue 12): `on` with `level: null` means calm (no signal is sent while calm); `off` or
   * `unavailable` means not scored; `null` when the widget did not report it.
   */
  scoring: ScoringState | null;
  /** Visitor presence (issue 12): see `VisitorState`. */
  visitor: VisitorState;
  /** Unix ms the visitor left (their last event stream closed), or `null` while here or unknown. */
  visitorLeftAt: number | null;
  /** Callback requests (issue 12): the contact the visitor left, for staff only, or `null`. */
  callback: CallbackRequest | null;
}

/** A callback request as staff see it (issue 12): the contact, and where its conversation stands. */
export interface CallbackItem extends CallbackRequest {
  conversationId: string;
  state: ConversationRecord['state'];
  language: Lang;
  visitor: VisitorState;
}

/**
 * Visitor presence (issue 12): `here` — an event stream is open; `away` — none is, since `visitorLeftAt`;
 * `left` — away long enough (`abandonAfterMs`) that the chat left the line; `unknown` — the visitor never
 * opened a stream (an HTTP-only client), so presence is not tracked.
 */
export type VisitorState = 'here' | 'away' | 'left' | 'unknown';

/** Visitor presence of a conversation, from its meta (issue 12). */
export function visitorStateOf(c: ConversationRecord): VisitorState {
  const m = metaOf(c);
  if (m.visitorSeenAt === undefined) return 'unknown';
  if (m.visitorLeftAt == null) return 'here';
  return c.state === 'queued' && m.abandonedAt != null ? 'left' : 'away';
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
  /** Scoring status (issue 12), as in `QueueItem.scoring`. */
  scoring: ScoringState | null;
  /** Visitor presence (issue 12), as in `QueueItem.visitor` / `visitorLeftAt`. */
  visitor: VisitorState;
  visitorLeftAt: number | null;
  /** Callback requests (issue 12), as in `QueueItem.callback`. */
  callback: CallbackRequest | null;
}

export const metaOf = (c: ConversationRecord) => c.meta as RoutingMeta;
