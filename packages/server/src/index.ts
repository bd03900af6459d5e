// Public entry of @temper/server (npm ESM, no side effects).
export { createTemperServer } from './server.js';
export type { Limits, Logger, TemperHandler, TemperServerOptions, TemperStats } from './options.js';
export { createMemoryStore } from './memory-store.js';
export type { MemoryStoreOptions } from './memory-store.js';
export { checkInactiveQuery, checkStaffNote, checkWebhookDelivery } from './memory-store.js';
export type { StaffNote, WebhookDelivery } from './store.js';
export type {
  ConversationRecord,
  EventListener,
  SignalState,
  SignalWrite,
  Store,
  StoredEvent,
  VisitorAppend,
} from './store.js';
export { detectLanguage } from './bot.js';
export type { BotAdapter, BotContext, BotConversation, BotReply, Tone } from './bot.js';
export type { RateLimit } from './rate-limit.js';
export { AGENT_ROLES, createAgentToken, MAX_AGENT_TOKEN_TTL_MS } from './token.js';
export { createIdentityHash } from './identity.js';
export type { IdentitySecret, KeyedSecret } from './identity.js';
export type { AgentClaims, AgentRole, AgentTokenInput, Secret, SecretEntry } from './token.js';
export { asksForHuman, decide, DEFAULT_ROUTING, isOpen, ROUTING_REASONS } from './routing.js';
export type { BusinessHours, Decision, RoutingConfig, RoutingReason, RoutingState } from './routing.js';
export type { ChatItem, Policy, QueueItem, RoutingMeta } from './flow/index.js';
// Visitor presence and callback requests (issue 12).
export type { CallbackItem, CallbackRequest, VisitorState } from './flow/index.js';
export { findContact } from './flow/callback.js';
export type { TrustProxy } from './http/client-ip.js';
export { buildReport, REPORT_TABLES, reportCsv } from './reports.js';
export type { Report, ReportTable } from './reports.js';
export type { AgentPresence, AuditEntry, AuditQuery, BotOwed, Transition } from './store.js';
export { LockTimeoutError } from './coordination.js';
export type { ChannelListener, Coordination, LockOptions } from './coordination.js';
export { createMemoryCoordination } from './memory-coordination.js';
export type { MemoryCoordinationOptions } from './memory-coordination.js';
// Messenger basics (issue 12): CSAT ratings.
export type { Rating, RatedConversation, RatingQuery } from './store.js';
export { buildCsatReport } from './csat.js';
export type { CsatReport, CsatSummary } from './csat.js';
// Agents and supervisors (issue 14).
export { AGENT_LANGUAGES, AGENT_SKILLS, toAgentProfile } from './agents/profile.js';
export type { AgentLanguage, AgentProfile, AgentSkill } from './agents/profile.js';
export { DEFAULT_AGENT_ROUTING, loadOf, MATCH_REASONS, matchAgent } from './agents/matching.js';
export type { AgentLoad, AgentRoutingConfig, Match, MatchCandidate, MatchChat, MatchReason } from './agents/matching.js';
export { signWebhook, verifyWebhook, WEBHOOK_EVENTS } from './webhooks/webhooks.js';
export type { WebhookBody, WebhookEvent, WebhookOptions } from './webhooks/webhooks.js';
export { suggest, toReplyLibrary } from './assist/library.js';
export type { ReplyLibrary, ReplyScenario, Suggestions } from './assist/library.js';
export { isRising } from './supervisor/board.js';
export type { Board, BoardAgent, BoardChat } from './supervisor/board.js';
export { agentReportCsv, agentReportFrom, buildAgentReport } from './supervisor/agent-report.js';
export type { AgentReport, AgentReportRow } from './supervisor/agent-report.js';
export { exportFeedback } from './supervisor/feedback.js';
export type { FeedbackRow } from './supervisor/feedback.js';
export { lastPeriod, REPORT_PERIODS } from './supervisor/schedule.js';
export type { ReportOptions, ReportPeriod, ReportSchedule } from './supervisor/schedule.js';
// Privacy go-live (issue 15): retention and data-subject requests.
export { activeAt, anonymiseAuditEntry, anonymiseConversationAudit, REDACTED_NAME, redactStaffNamesIn } from './store.js';
export type { InactiveQuery } from './store.js';
export { MAX_RETENTION_DAYS, anonymiseArchive, toRetention } from './privacy/retention.js';
export type { AuditArchive, AuditArchiveBatch, RetentionOptions, RetentionRun, RetentionStats } from './privacy/retention.js';
export { CONVERSATION_EXPORT_SCHEMA } from './privacy/dsr.js';
export type { ConversationExport, DataSubjectQuery, DataSubjects, ErasureResult, FoundConversation } from './privacy/dsr.js';
// Staff access (issue 15): transcript reads in the audit, supervisor read scope, what staff see masked.
export { STAFF_READS } from './store.js';
export type { StaffRead } from './store.js';
export { READ_SCOPES, STAFF_MASKS, staffText } from './staff-access.js';
export type { ReadScope, StaffAccessOptions, StaffMask } from './staff-access.js';
export type { ReportPrivacyOptions } from './report-privacy.js';
