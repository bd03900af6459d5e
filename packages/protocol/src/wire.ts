// The wire contract between the browser SDK and the host backend. Everything here is data (`as const`) so
// that types, validators, the egress manifest and the snippet are all derived from this one file.
import type { Infer, ObjectSpec } from './schema.js';

/** Version of the signal format; bumped only with a breaking change to `schemas.signal`. */
export const SIGNAL_VERSION = 1;
/** Every endpoint lives under this path on the host's origin (or the `endpoint` the host configures). */
export const API_BASE = '/temper/v1';

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

/** Frustration levels: 0 calm, 1 uneasy, 2 frustrated, 3 angry. */
export const LEVELS = [0, 1, 2, 3] as const;
export type Level = (typeof LEVELS)[number];
export const LEVEL_NAMES = ['calm', 'uneasy', 'frustrated', 'angry'] as const satisfies Record<Level, string>;
/** Direction of the level over the last turns: −1 easing, 0 steady, +1 rising. */
export const TRENDS = [-1, 0, 1] as const;
export type Trend = (typeof TRENDS)[number];

export const MAX_MESSAGE_LENGTH = 2000;
/** Messenger basics (issue 12): the rating scale of `POST /rating` (1 bad … 5 great) and its comment's length. */
export const RATING_SCORES = [1, 2, 3, 4, 5] as const;
export type RatingScore = (typeof RATING_SCORES)[number];
export const MAX_RATING_COMMENT_LENGTH = 1000;
/** Client-generated ids (messages) make retries idempotent: the server stores a message once per id. */
export const CLIENT_ID_PATTERN = '[A-Za-z0-9_-]{8,64}';
/**
 * A host's id of a signed-in customer: opaque (a database key, a UUID, `auth0|…`), never an email or a name.
 * `@` and spaces are refused so an email cannot be passed by mistake.
 */
export const USER_ID_PATTERN = '[A-Za-z0-9_.:|-]{1,128}';
/** The identity hash: lowercase hex HMAC-SHA256 of the user id under the host's identity secret. */
export const USER_HASH_PATTERN = '[0-9a-f]{64}';

// Scoring status (issue 12, defect 8: agents could not tell a calm visitor from one whose scoring is off,
// because no signal is sent while calm). The widget tells the host which of these holds; nothing else.
/**
 * Whether the on-device scorer runs for this conversation: `on` (signals come when the level changes; none yet
 * means calm), `off` (the visitor or the host turned it off) or `unavailable` (this device cannot run it).
 */
export const SCORING_STATES = ['on', 'off', 'unavailable'] as const;
export type ScoringState = (typeof SCORING_STATES)[number];
const scoringField = {
  kind: 'enum',
  values: SCORING_STATES,
  origin: 'derived-on-device',
  purpose:
    "Whether frustration scoring runs on this device (on, off by the visitor's or host's choice, or unavailable here), so agents can tell a calm visitor from one who is not scored. No level, no text.",
} as const;

/** The verified customer's `{ id, hash }` (identity verification), as `POST /sessions` and the history endpoints take it. */
const USER_FIELDS = {
  id: {
    kind: 'string',
    minLength: 1,
    maxLength: 128,
    pattern: USER_ID_PATTERN,
    origin: 'host-config',
    purpose:
      "The host's opaque id of the signed-in customer (an account key, not an email or a name); the server keeps it with the conversation to find it again from another device.",
  },
  hash: {
    kind: 'string',
    minLength: 64,
    maxLength: 64,
    pattern: USER_HASH_PATTERN,
    origin: 'host-config',
    purpose: "HMAC-SHA256 of the id under the host's identity secret, computed by the host's server: proves the id was not made up in the browser.",
  },
} as const;

export const schemas = {
  /** Body of `POST /sessions`: opens (or, with a bearer token, resumes) a conversation. */
  sessionRequest: {
    locale: {
      kind: 'enum',
      values: LOCALES,
      optional: true,
      origin: 'host-config',
      purpose: 'Language of the chat UI, so the bot and agents answer in it.',
    },
    user: {
      kind: 'object',
      optional: true,
      origin: 'host-config',
      purpose:
        "Only when the host boots the widget for a signed-in customer: the host's own id of that customer and the proof its server signed it, so the same conversation opens on every device of that customer.",
      fields: USER_FIELDS,
    },
    // Scoring status (issue 12): the mode when the session opens or is renewed.
    scoring: { ...scoringField, optional: true },
  },
  /** Body of `POST /messages`: a chat message the visitor chose to send. */
  visitorMessage: {
    id: {
      kind: 'string',
      minLength: 8,
      maxLength: 64,
      pattern: CLIENT_ID_PATTERN,
      origin: 'generated',
      purpose: 'Random id made on the device so that a retried send is stored once.',
    },
    text: {
      kind: 'string',
      minLength: 1,
      maxLength: MAX_MESSAGE_LENGTH,
      userText: true,
      origin: 'typed-by-visitor',
      purpose:
        'The message the visitor sent, delivered as chat to the bot or agent. An email address or phone number in it (when the visitor leaves one for a callback) is also extracted and kept with the conversation, for the support team only.',
    },
  },
  /** Body of `POST /signals`: the minimized emotion signal, the only derived data that leaves the device. */
  signal: {
    v: { kind: 'enum', values: [SIGNAL_VERSION], origin: 'generated', purpose: 'Signal format version.' },
    seq: {
      kind: 'integer',
      min: 1,
      max: 2_147_483_647,
      origin: 'generated',
      purpose: 'Increases by one with every signal of a conversation, so the server drops stale or replayed ones.',
    },
    level: {
      kind: 'enum',
      values: LEVELS,
      origin: 'derived-on-device',
      purpose: 'Coarse frustration level computed on the device: 0 calm, 1 uneasy, 2 frustrated, 3 angry.',
    },
    trend: {
      kind: 'enum',
      values: TRENDS,
      origin: 'derived-on-device',
      purpose: 'Whether the level is easing (−1), steady (0) or rising (+1).',
    },
  },
  // Scoring status (issue 12): body of `POST /scoring`, sent when the mode changes during a conversation.
  scoringStatus: { scoring: scoringField },

  // --- Messenger basics (issue 12): rating at close and a verified customer's past conversations ---
  /** Body of `POST /rating`: the visitor's rating of a closed chat (explicit input; a second one replaces the first). */
  rating: {
    score: {
      kind: 'enum',
      values: RATING_SCORES,
      origin: 'typed-by-visitor',
      purpose: 'How the visitor rated the chat when it closed: 1 (bad) to 5 (great), picked by the visitor.',
    },
    comment: {
      kind: 'string',
      minLength: 1,
      maxLength: MAX_RATING_COMMENT_LENGTH,
      optional: true,
      userText: true,
      origin: 'typed-by-visitor',
      purpose: 'An optional comment the visitor wrote with the rating, read by the host’s support team in reports.',
    },
  },
  /** Body of `POST /history`: lists the signed-in customer's earlier conversations. */
  pastConversations: {
    user: {
      kind: 'object',
      origin: 'host-config',
      purpose: 'The signed-in customer (id and the host server’s signature of it): the only proof that lets anyone list their conversations.',
      fields: USER_FIELDS,
    },
  },
  /** Body of `POST /history/conversation`: the transcript of one of the signed-in customer's earlier conversations. */
  pastConversation: {
    user: {
      kind: 'object',
      origin: 'host-config',
      purpose: 'The signed-in customer (id and the host server’s signature of it): only their own conversations are returned.',
      fields: USER_FIELDS,
    },
    conversationId: {
      kind: 'string',
      minLength: 8,
      maxLength: 64,
      pattern: CLIENT_ID_PATTERN,
      origin: 'server',
      purpose: 'Which of the customer’s conversations to show (an id the server listed in the previous request).',
    },
  },
} as const satisfies Record<string, ObjectSpec>;

export type SessionRequest = Infer<typeof schemas.sessionRequest>;
export type VisitorMessage = Infer<typeof schemas.visitorMessage>;
export type Signal = Infer<typeof schemas.signal>;
export type ScoringStatus = Infer<typeof schemas.scoringStatus>;
export type RatingRequest = Infer<typeof schemas.rating>;
export type PastConversationsRequest = Infer<typeof schemas.pastConversations>;
export type PastConversationRequest = Infer<typeof schemas.pastConversation>;

/** Who wrote a message in the transcript. */
export const SENDERS = ['visitor', 'bot', 'agent', 'system'] as const;
export type Sender = (typeof SENDERS)[number];
/** Who is answering the visitor. `queued`: waiting for a person; `agent`: a person has the chat. */
export const HANDOFF_STATES = ['bot', 'queued', 'agent', 'closed'] as const;
export type HandoffState = (typeof HANDOFF_STATES)[number];

/** Server → widget events on `GET /events` (SSE). Each carries the conversation-local event id. */
export const eventSchemas = {
  message: {
    type: { kind: 'enum', values: ['message'], origin: 'server', purpose: 'Event type.' },
    id: { kind: 'string', minLength: 1, maxLength: 64, origin: 'server', purpose: 'Server id of the message.' },
    from: { kind: 'enum', values: SENDERS, origin: 'server', purpose: 'Author of the message.' },
    text: { kind: 'string', minLength: 1, maxLength: 8000, origin: 'server', purpose: 'Message text (plain text).' },
    at: { kind: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER, origin: 'server', purpose: 'Unix time in ms.' },
    clientId: {
      kind: 'string',
      minLength: 8,
      maxLength: 64,
      pattern: CLIENT_ID_PATTERN,
      optional: true,
      origin: 'server',
      purpose: 'For visitor messages, the id the device gave it (lets the widget match its own sends).',
    },
    name: {
      kind: 'string',
      minLength: 1,
      maxLength: 80,
      optional: true,
      origin: 'server',
      purpose: 'Display name of the agent or bot.',
    },
    understood: {
      kind: 'boolean',
      optional: true,
      origin: 'server',
      purpose: 'For bot replies: false when the bot did not understand the visitor.',
    },
  },
  typing: {
    type: { kind: 'enum', values: ['typing'], origin: 'server', purpose: 'Event type.' },
    from: { kind: 'enum', values: ['bot', 'agent'], origin: 'server', purpose: 'Who is typing.' },
    active: { kind: 'boolean', origin: 'server', purpose: 'Typing started (true) or stopped (false).' },
  },
  handoff: {
    type: { kind: 'enum', values: ['handoff'], origin: 'server', purpose: 'Event type.' },
    state: { kind: 'enum', values: HANDOFF_STATES, origin: 'server', purpose: 'Who answers the visitor now.' },
    position: {
      kind: 'integer',
      min: 1,
      max: 100_000,
      optional: true,
      origin: 'server',
      purpose: 'Place in the queue while queued.',
    },
    waitSeconds: {
      kind: 'integer',
      min: 0,
      max: 86_400,
      optional: true,
      origin: 'server',
      purpose: 'Expected wait while queued.',
    },
    name: {
      kind: 'string',
      minLength: 1,
      maxLength: 80,
      optional: true,
      origin: 'server',
      purpose: 'Name of the agent who took the chat.',
    },
  },
  // --- Messenger basics (issue 12): "seen" receipts ---
  /** The agent has read the visitor's messages up to (and including) event `upTo` of this stream. */
  seen: {
    type: { kind: 'enum', values: ['seen'], origin: 'server', purpose: 'Event type.' },
    upTo: {
      kind: 'integer',
      min: 1,
      max: Number.MAX_SAFE_INTEGER,
      origin: 'server',
      purpose: 'Event id of the last visitor message the agent has seen; every earlier one is seen too.',
    },
    clientId: {
      kind: 'string',
      minLength: 8,
      maxLength: 64,
      pattern: CLIENT_ID_PATTERN,
      origin: 'server',
      purpose: 'The id the device gave that message, so the widget marks its own message seen without knowing event ids.',
    },
    at: { kind: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER, origin: 'server', purpose: 'Unix time in ms.' },
  },
} as const satisfies Record<string, ObjectSpec>;

export type MessageEvent = Infer<typeof eventSchemas.message>;
export type TypingEvent = Infer<typeof eventSchemas.typing>;
export type HandoffEvent = Infer<typeof eventSchemas.handoff>;
export type SeenEvent = Infer<typeof eventSchemas.seen>;
/** A server → widget event. */
export type ServerEvent = MessageEvent | TypingEvent | HandoffEvent | SeenEvent;
export type ServerEventType = ServerEvent['type'];

/** Error codes the server answers with, and the HTTP status that goes with each. */
export const ERROR_CODES = {
  'bad-json': 400,
  'not-an-object': 400,
  'unknown-field': 400,
  'missing-field': 400,
  'wrong-type': 400,
  'too-short': 400,
  'too-long': 400,
  'bad-format': 400,
  'lone-surrogate': 400,
  'control-character': 400,
  'out-of-range': 400,
  'not-allowed-value': 400,
  'unsupported-media-type': 415,
  'body-too-large': 413,
  unauthorized: 401,
  /** `user.hash` is not the HMAC of `user.id` under any listed identity secret (or the server has none). */
  'identity-invalid': 401,
  forbidden: 403,
  'origin-not-allowed': 403,
  'not-found': 404,
  'method-not-allowed': 405,
  conflict: 409,
  'stale-signal': 409,
  'rate-limited': 429,
  internal: 500,
  // --- Staff access (issue 15, finding 7) ---
  /** An agent token without an expiry (`exp`), or with one further ahead than `MAX_AGENT_TOKEN_TTL_MS`: make a new one with `createAgentToken`. */
  'agent-token-expiry': 401,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

/** Body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string };
}

/** Response of `POST /sessions`. */
export interface SessionResponse {
  /** Bearer token bound to one conversation; send as `Authorization: Bearer <token>`. */
  token: string;
  conversationId: string;
  /** Unix time in ms after which the token must be renewed with another `POST /sessions`. */
  expiresAt: number;
}
/** Response of `POST /messages`. `duplicate` is true when the id was already stored (a retry). */
export interface MessageAccepted {
  id: string;
  duplicate: boolean;
}
/** Response of `POST /signals`. */
export interface SignalAccepted {
  seq: number;
}
/** Response of `POST /scoring` (scoring status, issue 12): the mode the server now holds. */
export interface ScoringAccepted {
  scoring: ScoringState;
}

// --- Messenger basics (issue 12): responses of the rating and history endpoints ---
/** Response of `POST /rating`. */
export interface RatingAccepted {
  score: RatingScore;
  /** True when an earlier rating of this conversation was replaced. */
  replaced: boolean;
}
/** One row of `POST /history`: an earlier conversation of the signed-in customer (newest first). */
export interface PastConversationSummary {
  conversationId: string;
  /** Unix ms. */
  createdAt: number;
  /** Unix ms of its last message. */
  lastAt: number;
  state: HandoffState;
  /** How many messages it has (all senders). */
  messages: number;
  /** The first visitor message, cut to 120 characters; empty when the visitor wrote none. */
  preview: string;
}
/** Response of `POST /history`. */
export interface PastConversations {
  items: PastConversationSummary[];
}
/** Response of `POST /history/conversation`: the messages of one earlier conversation, oldest first. */
export interface PastConversation {
  conversationId: string;
  createdAt: number;
  state: HandoffState;
  messages: Array<Pick<MessageEvent, 'from' | 'text' | 'at' | 'name'>>;
}

/** Codes of the widget's `error` event (problems on the device, never sent anywhere). */
export const CLIENT_ERROR_CODES = [
  'bad-option',
  'session-failed',
  'send-failed',
  'events-failed',
  'storage-unavailable',
  'scorer-unavailable',
  'message-too-long',
  'panel-unavailable',
  /** The server refused `user` (wrong `hash`): no conversation was started. */
  'identity-invalid',
] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];
/**
 * Why the on-device scorer is unavailable: the detail of a `scorer-unavailable` error (stays on the device).
 * `unsupported`: no Worker or WebAssembly; `worker-failed`: the worker script did not start (404, CSP
 * `worker-src`, wrong URL); `wasm-failed`: onnxruntime's wasm did not load or compile (404, CSP without
 * `'wasm-unsafe-eval'`); `model-failed`: the model file did not load or is not a Temper model; `crashed`: the
 * worker died after it started.
 */
export const SCORER_FAILURES = ['unsupported', 'worker-failed', 'wasm-failed', 'model-failed', 'crashed'] as const;
export type ScorerFailure = (typeof SCORER_FAILURES)[number];

/** Methods of the public widget API: `Temper('boot', …)` in a page, or the same names on `createWidget()`. */
export const WIDGET_METHODS = [
  'boot', 'open', 'close', 'send', 'on', 'off', 'update', 'shutdown',
  // issue 13 (a React binding): teardown that keeps the stored conversation, and a state getter.
  'destroy', 'getState',
] as const;
export type WidgetMethod = (typeof WIDGET_METHODS)[number];
/** Events a host can subscribe to with `Temper('on', name, cb)`. */
export const WIDGET_EVENTS = ['ready', 'message', 'signal', 'handoff', 'error'] as const;
export type WidgetEvent = (typeof WIDGET_EVENTS)[number];
