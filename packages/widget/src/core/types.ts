import type {
  ClientErrorCode,
  HandoffEvent,
  Locale,
  MessageEvent,
  Sender,
  Signal,
  WidgetEvent,
} from '@temper/protocol';
import type { Conversation } from './conversation.js';
import type { Emitter } from './emitter.js';
import type { KV } from './kv.js';

/** Where the conversation is kept on the device between page loads. */
export type StorageMode = 'local' | 'session' | 'none';
export type Theme = 'light' | 'dark' | 'auto';
/** Corner of the launcher, in logical terms: `end` is bottom-right in LTR pages and bottom-left in RTL ones. */
export type Position = 'end' | 'start';

/** Options of `boot()`. Every field is optional; bad values are reported as `error` events, never thrown. */
export interface WidgetOptions {
  /** Base URL of the host backend: a path on this origin or an absolute http(s) URL. Default `/temper/v1`. */
  endpoint?: string;
  /** UI language. Default: from `navigator.language` (zh* → `zh-CN`, otherwise `en`). */
  locale?: Locale;
  theme?: Theme;
  position?: Position;
  /** Element (or CSS selector) the widget is appended to. Default `document.body`. */
  container?: Element | string;
  /**
   * `local` (IndexedDB, survives restarts), `session` (this tab only: the "shared device" mode, nothing is left once
   * the tab is closed), `none` (memory only). Default `local`.
   */
  storage?: StorageMode;
  /**
   * Hours a stored conversation may sit unused on this device (no message sent or received) before the next boot
   * deletes it — transcript, unsent messages, "What's shared" — before showing anything. Default 24; more than 0,
   * at most 8760. The visitor's choices (mood detection on/off, language) are kept.
   *
   * @example
   * Temper('boot', { idleExpiryHours: 2 }); // a kiosk: forget a chat after two idle hours
   */
  idleExpiryHours?: number;
  /**
   * Your privacy policy (a path on this origin or an absolute http(s) URL): the mood-detection notice links to it.
   *
   * @example
   * Temper('boot', { privacyPolicyUrl: '/privacy' });
   */
  privacyPolicyUrl?: string;
  /**
   * On-device mood scoring. `on` (default): on unless the visitor turns it off; `ask`: off until the visitor
   * turns it on; `off`: never. Global Privacy Control (`navigator.globalPrivacyControl`) turns `on` into `ask`.
   */
  scoring?: ScoringMode;
  /** Where the scorer's files are and when to load them (see `ScorerOptions`). */
  scorer?: ScorerOptions;
  /**
   * A customer your site has signed in (identity verification): your opaque id of them (not an email) and
   * `hash`, the lowercase hex HMAC-SHA256 of `id` under your identity secret, computed on your server. Their open
   * conversation then follows them to every device. A wrong hash: an `identity-invalid` error, no chat.
   */
  user?: WidgetUser;
}

/** A verified customer (the `user` option). */
export interface WidgetUser {
  id: string;
  hash: string;
}

/** Host policy for on-device mood scoring. */
export type ScoringMode = 'on' | 'off' | 'ask';

/**
 * Loading of the on-device scorer. The URL options are those of `createScorer` in `@temper/scorer`; with the
 * CDN files their defaults find everything next to `temper-scorer.js`.
 */
export interface ScorerOptions {
  /**
   * `open` (default): load the scorer when the chat is first opened. `idle`: also fetch it, at low priority, when
   * the browser is idle after the page loaded — but only for a visitor who has already seen the mood-detection
   * notice in this browser, and not with Save-Data on or on a 2g connection (`navigator.connection`).
   */
  preload?: 'open' | 'idle';
  /** Folder holding the worker, the wasm and the model (npm installs must set this or the three URLs). */
  baseUrl?: string;
  workerUrl?: string;
  modelUrl?: string;
  /** A folder (ending in `/`) or `{ wasm: url }`. */
  wasmPaths?: string | { wasm: string };
  /** Give up (degraded mode) if the worker, or the wasm and model, take longer than this to start. */
  startTimeoutMs?: number;
  /** Local differential privacy: randomized response on the level sent, with this ε. */
  ldp?: { epsilon: number };
}

/** Payload of the `error` event. */
export interface WidgetError {
  code: ClientErrorCode;
  message: string;
}

/** Payload of the `message` event: a message that just joined the transcript. */
export type WidgetMessage = MessageEvent;

/** What each event passes to its listeners. */
export interface WidgetEventMap {
  ready: { conversationId: string | null };
  message: WidgetMessage;
  signal: Signal;
  handoff: HandoffEvent;
  error: WidgetError;
}
export type WidgetListener<E extends WidgetEvent> = (payload: WidgetEventMap[E]) => void;

/** The widget API: the same on `createWidget()` and behind `window.Temper(method, ...args)`. */
export interface Widget {
  boot(options?: WidgetOptions): void;
  open(): void;
  close(): void;
  send(text: string): void;
  on<E extends WidgetEvent>(event: E, cb: WidgetListener<E>): void;
  off<E extends WidgetEvent>(event: E, cb: WidgetListener<E>): void;
  update(options: UpdatableOptions): void;
  /**
   * Removes the widget from the page and stops it (event stream, retries, the scorer's worker) but keeps
   * what it stored on the device: a later boot() resumes the same conversation, unsent messages included.
   * For a component that unmounts. Settles when everything has stopped.
   */
  destroy(): Promise<void>;
  /** Signs out and forgets: destroy() plus deleting everything the widget stored on the device. */
  shutdown(): Promise<void>;
  /** The widget's state now, for a subscriber that came after `ready` fired. */
  getState(): WidgetState;
}

/** What `update()` may change after boot: the look of the widget. Everything else is fixed at `boot()`. */
export type UpdatableOptions = Pick<WidgetOptions, 'locale' | 'theme' | 'position'>;

/** What `getState()` returns. */
export interface WidgetState {
  /** `off`: not booted, or destroyed / shut down; `starting`: boot() is reading storage; `ready`: the `ready` event has fired. */
  status: 'off' | 'starting' | 'ready';
  /** The conversation in use (or stored, at boot); null when this device has none yet. */
  conversationId: string | null;
  open: boolean;
  /** The UI language in use: the conversation's (switched by the visitor or followed from what they wrote), else the `locale` option, else the browser's. */
  locale: Locale;
  theme: Theme;
}

/** A message as the panel shows it. */
export interface ShownMessage {
  key: string;
  from: Sender;
  text: string;
  at: number;
  name?: string;
  /** `sending`: in the outbox; `failed`: the server refused it and it will not be retried. */
  status: 'sent' | 'sending' | 'failed';
  /** Messenger basics (issue 12): a visitor message an agent has seen ("seen" receipt). */
  seen?: true;
}

/** What the core itself owns of the panel's view; the conversation's part comes from its signals. */
export type CoreView = Pick<WidgetState, 'open' | 'locale' | 'theme'>;

/**
 * What the core hands to the lazily loaded panel. The panel file is a separate bundle that shares no module
 * instance with the core, so this interface is the whole contract between them. (temper.js has no signals:
 * @preact/signals-core alone is 1,695 B gzip against its 5 KB budget, so the core publishes this small view
 * with subscribe() and the panel keeps it in one signal.)
 */
export interface PanelCore {
  getState(): CoreView;
  subscribe(listener: () => void): () => void;
  close(): void;
  /** The conversation's language (issue 12): the visitor switched it, or wrote in it. Kept in `prefs`. */
  setLocale(locale: Locale): void;
}

export interface PanelHandle {
  /** Moves keyboard focus into the panel (its composer). */
  focus(): void;
  unmount(): void;
}

export type MountPanel = (core: PanelCore, root: ShadowRoot, conversation: Conversation) => PanelHandle;
/**
 * The lazy chunk (temper-panel.js): the panel UI and the conversation engine (transport, event stream,
 * outbox). temper.js loads it on first open, send or launcher hover, and at boot when this device already
 * has a conversation, so a page view with no chat costs only temper.js.
 */
export interface PanelModule {
  mount: MountPanel;
  createConversation: typeof import('./conversation.js').createConversation;
}

/** The visitor's choices, stored under the `prefs` key. */
export interface Prefs {
  open?: boolean;
  /** The visitor's own choice about mood scoring (absent: the host's default applies). */
  scoring?: boolean;
  /** The conversation's language, once the visitor switched it or wrote in it (absent: the `locale` option's). */
  locale?: Locale;
  /** The mood-detection notice was shown in this browser (the privacy bar was mounted): idle preload may run. */
  noticed?: boolean;
}

/** What temper.js hands to the scoring chunk (temper-scoring.js), which shares no module instance with it. */
export interface ScoringHost {
  core: PanelCore;
  /** The options of boot(); the scoring chunk reads `scoring` and `scorer`. */
  opts: { scoring?: ScoringMode | undefined; scorer?: ScorerOptions | undefined; storage: StorageMode; idleExpiryHours: number; privacyPolicyUrl?: string | undefined };
  kv: KV;
  prefs: Prefs;
  savePrefs(): void;
  /** Starts (or returns) the conversation engine. */
  conversation(): Promise<Conversation | null>;
  em: Emitter;
  /** The widget's host element and shadow root (the panel has a `.privacy` slot in it once mounted). */
  shell: { host: HTMLElement; root: ShadowRoot };
  /** "Forget this chat": what shutdown() does (erase the device, stop the worker and the stream), then boot again. */
  forget(): Promise<void>;
}

/** One scoring session, from the chat's first opening until shutdown, "Forget this chat" or a new boot. */
export interface Scoring {
  /** Renders the notice, the switch and the "What's shared" view into the panel's `.privacy` slot. */
  mount(): void;
  /** Terminates the worker, sends nothing more, removes its UI; settles when its last write is done. */
  stop(): Promise<void>;
}

/** The lazy scoring chunk. */
export interface ScoringModule {
  createScoring(host: ScoringHost): Scoring;
}
