// The egress manifest: every request the browser SDK can make and everything it stores on the device,
// generated from the wire definitions so that it cannot drift from the code. Privacy officers read the JSON;
// a real-browser test records all traffic of a scripted conversation and fails on anything not listed here.
import type { FieldSpec, ObjectSpec } from './schema.js';
import { API_BASE, schemas } from './wire.js';

export interface HeaderSpec {
  readonly name: string;
  /** Regular expression source the whole header value matches. */
  readonly value: string;
  readonly purpose: string;
  readonly optional?: boolean;
}

export interface EndpointSpec {
  readonly id: string;
  readonly method: 'GET' | 'POST';
  /** Path below the configured endpoint (which defaults to `API_BASE` on the page's origin). */
  readonly path: string;
  readonly purpose: string;
  readonly when: string;
  readonly headers: readonly HeaderSpec[];
  readonly body?: ObjectSpec;
}

const json: HeaderSpec = { name: 'content-type', value: 'application/json', purpose: 'The body is JSON.' };
const bearer: HeaderSpec = {
  name: 'authorization',
  value: 'Bearer [A-Za-z0-9._~-]{16,512}',
  purpose: 'Session token the server issued for this conversation; proves the request belongs to it.',
};

/** Every request the widget's transport can make to the host backend. */
export const ENDPOINTS = [
  {
    id: 'open-session',
    method: 'POST',
    path: '/sessions',
    purpose:
      "Opens a conversation, or renews the token of the one already open. For a customer the host signed in (and only then), it carries the host's opaque id of that customer and its server's signature of it, so that customer's open conversation continues on any of their devices.",
    when: 'When the chat is first used on a device (for a signed-in customer: when the chat is first opened), and when its token is about to expire.',
    headers: [json, { ...bearer, optional: true, purpose: 'Present when renewing: the token being renewed.' }],
    body: schemas.sessionRequest,
  },
  {
    id: 'send-message',
    method: 'POST',
    path: '/messages',
    purpose:
      'Delivers a chat message the visitor chose to send. When it holds an email address or phone number (the bot offers a callback when no one is free), the server keeps that contact with the conversation for the support team to reply; it is shown to staff only.',
    when: 'When the visitor presses Send (or the host calls send()); retried with the same id until stored.',
    headers: [json, bearer],
    body: schemas.visitorMessage,
  },
  {
    id: 'send-signal',
    method: 'POST',
    path: '/signals',
    purpose: 'The minimized emotion signal: level and trend only, no text and no probabilities.',
    when: 'Only when scoring is on and the level or trend changes.',
    headers: [json, bearer],
    body: schemas.signal,
  },
  // Scoring status (issue 12): on / off / unavailable, so agents can tell "calm" from "not scored".
  {
    id: 'send-scoring',
    method: 'POST',
    path: '/scoring',
    purpose: 'Whether frustration scoring runs on this device (on, off or unavailable); no level and no text.',
    when: 'When the scoring mode changes while a conversation is open (the visitor turns scoring on or off, or the scorer cannot start). The mode at the start travels with open-session.',
    headers: [json, bearer],
    body: schemas.scoringStatus,
  },
  {
    id: 'read-events',
    method: 'GET',
    path: '/events',
    purpose: 'Receives bot and agent replies and handoff state (server-sent events).',
    when: 'While the chat is open or has unread replies pending; resumes where it left off.',
    headers: [
      bearer,
      { name: 'accept', value: 'text/event-stream', purpose: 'Asks for a server-sent event stream.' },
      {
        name: 'last-event-id',
        value: '[0-9]{1,16}',
        optional: true,
        purpose: 'Id of the last event already received, so only missed events are sent again.',
      },
    ],
  },
  // --- Messenger basics (issue 12): rating at close and a verified customer's past conversations ---
  {
    id: 'rate-conversation',
    method: 'POST',
    path: '/rating',
    purpose: 'The rating the visitor gave the chat (1–5) and the comment they chose to write with it, if any.',
    when: 'Only when the visitor picks a rating after the chat was closed (and again if they change it).',
    headers: [json, bearer],
    body: schemas.rating,
  },
  {
    id: 'list-past-conversations',
    method: 'POST',
    path: '/history',
    purpose: "Lists a signed-in customer's earlier conversations; the host's signature of the customer's id is the only credential.",
    when: 'Only for a customer the host signed in (the `user` option), when they open "Past conversations".',
    headers: [json],
    body: schemas.pastConversations,
  },
  {
    id: 'read-past-conversation',
    method: 'POST',
    path: '/history/conversation',
    purpose: "Reads one of a signed-in customer's earlier conversations, to show it to them.",
    when: 'Only for a customer the host signed in, when they open one of their past conversations.',
    headers: [json],
    body: schemas.pastConversation,
  },
] as const satisfies readonly EndpointSpec[];

/**
 * Static files the SDK downloads. They carry no data beyond the request line and standard headers. `*` is the
 * content hash the build puts in every lazily loaded name (issue 13: immutable, cached for a year).
 */
export const ASSETS = [
  {
    file: 'snippet.js',
    purpose: 'The loader the host puts on its pages: queues Temper() calls and loads temper.js.',
    when: 'On page load.',
  },
  { file: 'temper.js', purpose: 'Launcher and core of the widget.', when: 'On page load (async).' },
  {
    file: 'temper-panel.*.js',
    purpose: 'The chat panel UI and the conversation engine (sending, receiving, offline queue).',
    when: 'When the chat is first opened or used, when the launcher is hovered or focused, or on page load if this device already has a conversation.',
  },
  {
    file: 'temper-scoring.*.js',
    purpose: 'The privacy bar (notice, switch, "What\'s shared", "Forget this chat") and the scoring glue.',
    when: 'With the panel, when the chat is first opened (or when the browser is idle, if the host asks).',
  },
  {
    file: 'temper-messenger.*.js',
    purpose: 'The rating card shown when a chat is closed, and a signed-in customer\'s past conversations.',
    when: 'When a chat is closed, or when a signed-in customer opens "Past conversations".',
  },
  {
    file: 'temper-scorer.*.js',
    purpose: 'Starts the on-device scorer worker (createScorer).',
    when: 'When scoring is on and the chat is first opened.',
  },
  {
    file: 'temper-scorer-worker.*.js',
    purpose: 'The on-device scorer (Web Worker).',
    when: 'When scoring is on and the chat is first opened.',
  },
  { file: '*.onnx', purpose: 'The frustration model.', when: 'With the scorer.' },
  { file: '*.wasm', purpose: 'The ONNX runtime (WebAssembly).', when: 'With the scorer.' },
] as const;

/** Headers the browser adds to requests by itself; the SDK sets none of them. */
export const BROWSER_HEADERS = [
  'accept-encoding',
  'accept-language',
  'accept',
  'cache-control',
  'connection',
  'content-length',
  'host',
  'origin',
  'pragma',
  'referer',
  'user-agent',
  'sec-ch-ua',
  'sec-ch-ua-mobile',
  'sec-ch-ua-platform',
  'sec-fetch-dest',
  'sec-fetch-mode',
  'sec-fetch-site',
  'sec-fetch-storage-access',
  'sec-purpose',
  'priority',
] as const;

// --- Issue 15, finding 1: what the browser's own headers reveal (to the shop's server, and to a CDN that serves the
// files, which is then a processor). Listed in the manifest as `browserHeaderNotes` and in PRIVACY.md.
/** What the headers the browser adds by itself tell the server that receives a request of the SDK. */
export const BROWSER_HEADER_NOTES = [
  {
    header: 'referer',
    reveals:
      "Nothing of the page: the SDK's requests go with referrerPolicy no-referrer (the API, the model), the snippet's temper.js tag has referrerpolicy=\"no-referrer\" and the lazy files it import()s inherit it; the worker script is fetched first without a Referer and the Worker starts from that cached copy (served with a long Cache-Control, as the hashed files must be). Hosts put referrerpolicy=\"no-referrer\" on their own snippet tag, and serve the files with Referrer-Policy: no-referrer so the worker's own wasm request carries none either.",
  },
  { header: 'origin', reveals: "The page's origin (scheme, host, port), on API calls and cross-origin file requests: never a path." },
  { header: 'user-agent, sec-ch-ua*', reveals: 'The browser, its version and the platform, as on every request the page makes.' },
  { header: 'accept-language', reveals: "The visitor's preferred languages, as on every request the page makes." },
  { header: 'host, sec-fetch-*, accept*, priority', reveals: 'Which server and what kind of request: nothing about the visitor.' },
  { header: '(connection)', reveals: "The visitor's IP address reaches whoever serves the request (the shop, or its CDN), as for every page." },
] as const;

/** What the SDK computes or keeps on the device and never sends. */
export const NEVER_SENT = [
  'Text typed in the composer but not sent (drafts).',
  'Keystroke timing, typing speed, corrections, or any other behavioural telemetry.',
  'Per-message frustration probabilities or model scores.',
  'The conversation dynamics state (smoothed scores, cues, forecasts).',
] as const;

export interface ManifestField {
  name: string;
  type: 'string' | 'integer' | 'enum' | 'boolean' | 'object';
  required: boolean;
  origin: FieldSpec['origin'];
  userText: boolean;
  purpose: string;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  min?: number;
  max?: number;
  values?: readonly (string | number)[];
  /** For `object` fields: the fields inside it. */
  fields?: ManifestField[];
}

function describeField(name: string, f: FieldSpec): ManifestField {
  const base: ManifestField = {
    name,
    type: f.kind,
    required: !f.optional,
    origin: f.origin,
    userText: f.kind === 'string' && f.userText === true,
    purpose: f.purpose,
  };
  switch (f.kind) {
    case 'string':
      return { ...base, minLength: f.minLength, maxLength: f.maxLength, ...(f.pattern ? { pattern: f.pattern } : {}) };
    case 'integer':
      return { ...base, min: f.min, max: f.max };
    case 'enum':
      return { ...base, values: f.values };
    case 'boolean':
      return base;
    case 'object':
      return { ...base, fields: Object.entries(f.fields).map(([n, x]) => describeField(n, x)) };
  }
}

/** Storage the SDK uses on the device, supplied by the widget package (see `STORAGE_ITEMS`). */
export interface StorageItem {
  readonly area: 'indexedDB' | 'localStorage' | 'sessionStorage';
  readonly key: string;
  readonly holds: string;
  readonly deleted: string;
}

// ---- Storage grouped by key (issue 12, defect 12): the manifest lists a key once per storage area (IndexedDB
// by default, sessionStorage with `storage: 'session'`); readers of PRIVACY.md and /privacy took that for two
// sets of data. Both render one row per key from this.

/** A storage key with every area it can live in. */
export interface StorageByKey extends Omit<StorageItem, 'area'> {
  readonly areas: ReadonlyArray<StorageItem['area']>;
}

/**
 * Groups storage items by key, keeping the first item's `holds` and `deleted` and the order of first appearance.
 *
 * @example
 * storageByKey(STORAGE_ITEMS)[0]; // { key: 'temper/kv/conversation', areas: ['indexedDB', 'sessionStorage'], … }
 */
export function storageByKey(items: readonly StorageItem[]): StorageByKey[] {
  const byKey = new Map<string, { key: string; holds: string; deleted: string; areas: Array<StorageItem['area']> }>();
  for (const { area, key, holds, deleted } of items) {
    const seen = byKey.get(key);
    if (seen) seen.areas.push(area);
    else byKey.set(key, { key, holds, deleted, areas: [area] });
  }
  return [...byKey.values()];
}

/**
 * Builds the egress manifest document (what `egress-manifest.json` holds).
 *
 * @example
 * const manifest = buildEgressManifest(STORAGE_ITEMS);
 * console.log(manifest.requests.map((r) => `${r.method} ${r.path}`));
 */
export function buildEgressManifest(storage: readonly StorageItem[]) {
  return {
    $comment: 'Generated from @temper/protocol by `npm run build`. Do not edit by hand.',
    name: 'Temper browser SDK egress manifest',
    version: 1,
    apiBase: API_BASE,
    requests: ENDPOINTS.map((e) => ({
      id: e.id,
      method: e.method,
      path: e.path,
      purpose: e.purpose,
      when: e.when,
      headers: e.headers.map((h) => ({ ...h, optional: 'optional' in h && h.optional === true })),
      body:
        'body' in e
          ? { contentType: 'application/json', fields: Object.entries(e.body as ObjectSpec).map(([n, f]) => describeField(n, f)) }
          : null,
      holdsUserText: 'body' in e && Object.values(e.body as ObjectSpec).some((f) => f.kind === 'string' && f.userText === true),
    })),
    assets: ASSETS,
    browserHeaders: BROWSER_HEADERS,
    browserHeaderNotes: BROWSER_HEADER_NOTES,
    storage,
    neverSent: NEVER_SENT,
  };
}
export type EgressManifest = ReturnType<typeof buildEgressManifest>;
