import type {
  ClientErrorCode,
  HandoffEvent,
  Locale,
  MessageEvent,
  Sender,
  Signal,
  WidgetEvent,
} from '@temper/protocol';

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
  /** `local` (IndexedDB, survives restarts), `session` (this tab only), `none` (memory only). Default `local`. */
  storage?: StorageMode;
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
  update(options: Omit<WidgetOptions, 'endpoint' | 'storage' | 'container'>): void;
  shutdown(): Promise<void>;
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
}

/** Everything the panel renders, published by the core. */
export interface ViewState {
  open: boolean;
  locale: Locale;
  theme: Theme;
  messages: readonly ShownMessage[];
  typing: 'bot' | 'agent' | null;
  handoff: HandoffEvent | null;
  online: boolean;
}

/**
 * What the core hands to the lazily loaded panel. The panel file is a separate bundle that shares no module
 * instance with the core, so this interface is the whole contract between them.
 */
export interface PanelCore {
  getState(): ViewState;
  subscribe(listener: () => void): () => void;
  send(text: string): void;
  close(): void;
}

export interface PanelHandle {
  /** Moves keyboard focus into the panel (its composer). */
  focus(): void;
  unmount(): void;
}

export type MountPanel = (core: PanelCore, root: ShadowRoot) => PanelHandle;
/**
 * The lazy chunk (temper-panel.js): the panel UI and the conversation engine (transport, event stream,
 * outbox). temper.js loads it on first open, send or launcher hover, and at boot when this device already
 * has a conversation, so a page view with no chat costs only temper.js.
 */
export interface PanelModule {
  mount: MountPanel;
  createConversation: typeof import('./conversation.js').createConversation;
}
