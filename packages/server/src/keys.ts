// Every key and channel name the server uses on `Coordination`, from one place. Per-conversation keys carry
// the id in a `{…}` hash tag so that on Redis Cluster all of a conversation's keys land on one slot.

export const keys = {
  /** Decisions of one conversation never interleave, on any instance. */
  conversation: (conversationId: string) => `conv:{${conversationId}}:lock`,
  /** One bot answer at a time per conversation, on any instance. */
  bot: (conversationId: string) => `conv:{${conversationId}}:bot`,
  /** Session opening of one verified customer: two devices at once still get one conversation. */
  user: (userId: string) => `user:{${userId}}:lock`,
  /** Rate-limit buckets. */
  sessionBucket: (conversationId: string) => `rate:conv:{${conversationId}}`,
  ipBucket: (ip: string) => `rate:ip:${ip}`,
  agentBucket: (agentId: string) => `rate:agent:${agentId}`,
  /** New conversations per client IP and in total. */
  createBucket: (ip: string) => `rate:create:ip:${ip}`,
  createAll: 'rate:create:all',
  /** Refused bearer tokens per client IP. */
  invalidTokenBucket: (ip: string) => `rate:badtoken:${ip}`,
  /** Leased slots of open SSE streams: per conversation, per client IP, in total. */
  streamsOfConversation: (conversationId: string) => `streams:conv:{${conversationId}}`,
  streamsOfIp: (ip: string) => `streams:ip:${ip}`,
  streamsTotal: 'streams:all',
  /** Visitor presence (issue 12): one leased slot per open visitor stream of a conversation (agents' not counted). */
  visitorStreams: (conversationId: string) => `presence:visitor:{${conversationId}}`,
  /** The one leased slot whose holder sweeps presence expiry and audit retention for all instances. */
  sweeper: 'sweeper',
} as const;

export const channels = {
  /** Something in the queue changed: every instance pushes a fresh snapshot to its agents' queue streams. */
  queue: 'queue-changed',
  /** An agent came or went and the waiting chats were re-evaluated (by the instance that saw it). */
  agents: 'agents-changed',
  /** A conversation was deleted: every instance ends its streams of it (the message is the id). */
  deleted: 'conversation-deleted',
} as const;
