// The widget core: public API, options, storage, events and the launcher. It touches no globals of its own
// (no window.Temper): the CDN entry and the npm entry both wrap it, each with its own chunk loader.
import { STORAGE_KEYS, WIDGET_EVENTS } from '@temper/protocol';
import type { ClientErrorCode, WidgetEvent } from '@temper/protocol';
import type { Conversation } from './conversation.js';
import { createEmitter } from './emitter.js';
import { openKV, type KV } from './kv.js';
import { DEFAULTS, pickLocale, resolveOptions, type ResolvedOptions } from './options.js';
import type {
  PanelCore,
  PanelHandle,
  PanelModule,
  Prefs,
  Scoring,
  ScoringModule,
  ViewState,
  Widget,
  WidgetListener,
  WidgetOptions,
} from './types.js';
import { createShell, type Shell } from '../ui/shell.js';

/** The core plus one internal hook the CDN entry uses to report misuse of the global function. */
export interface WidgetCore extends Widget {
  _report(code: ClientErrorCode, message: string): void;
}

const EMPTY = { messages: [], typing: null, handoff: null, online: true, refused: false } as const;

/**
 * Builds a widget whose chat chunk (panel + conversation engine) is fetched by `load` when first needed, and
 * whose scoring chunk (privacy UI + on-device scorer glue) by `loadScoring` when the chat is first opened.
 *
 * @example
 * const w = createWidgetCore(() => import('../entrypoints/panel.js'), () => import('../entrypoints/scoring.js'));
 * w.boot({ endpoint: '/temper/v1' });
 */
export function createWidgetCore(load: () => Promise<PanelModule>, loadScoring: () => Promise<ScoringModule>): WidgetCore {
  const em = createEmitter();
  let opts: ResolvedOptions = DEFAULTS;
  // Bumped on every boot and shutdown, so async work of an older life cannot touch the current one.
  let life = 0;
  let booted = false;
  let ready = false;
  let deferred: Array<() => void> = [];
  let shell: Shell | null = null;
  let kv: KV | null = null;
  let chunk: Promise<PanelModule> | null = null;
  let engine: Promise<Conversation | null> | null = null;
  let conv: Conversation | null = null;
  let panel: Promise<PanelHandle | null> | null = null;
  let scoring: Promise<Scoring | null> | null = null;
  let prefs: Prefs = {};
  let peers: BroadcastChannel | null = null;
  let isOpen = false;
  let unread = 0;
  let view: ViewState | null = null;
  const viewers = new Set<() => void>();

  const report = (code: ClientErrorCode, message: string) => em.emit('error', { code, message });
  const locale = () => pickLocale(opts.locale, typeof navigator === 'undefined' ? undefined : navigator.language);

  function changed() {
    view = null;
    for (const v of [...viewers]) v();
  }

  const core: PanelCore = {
    getState: () => (view ??= { open: isOpen, locale: locale(), theme: opts.theme, ...(conv?.view() ?? EMPTY) }),
    subscribe(l) {
      viewers.add(l);
      return () => viewers.delete(l);
    },
    send: (text) => api.send(text),
    close: () => api.close(),
  };

  /** Calls made before boot has finished wait here and run in order once it has. */
  const whenReady = (fn: () => void) => (ready ? fn() : deferred.push(fn));

  function fetchChunk(): Promise<PanelModule> {
    return (chunk ??= load().catch((e: unknown) => {
      chunk = null;
      throw e;
    }));
  }

  const failed = (e: unknown) => {
    report('panel-unavailable', `Could not load temper-panel.js: ${String(e)}`);
    return null;
  };

  function startEngine(): Promise<Conversation | null> {
    const at = life;
    return (engine ??= fetchChunk().then(async (m) => {
      if (at !== life || !kv) return null;
      const c = m.createConversation({
        endpoint: opts.endpoint,
        user: opts.user,
        kv,
        locale,
        emit: (event, payload) => {
          if (event === 'message' && !isOpen && (payload as { from: string }).from !== 'visitor') shell?.setUnread(++unread);
          em.emit(event, payload);
        },
        changed,
      });
      await c.load();
      if (at !== life) return null;
      conv = c;
      c.start();
      changed();
      return c;
    }, (e: unknown) => ((engine = null), failed(e))));
  }

  function ensurePanel(): Promise<PanelHandle | null> {
    const at = life;
    return (panel ??= Promise.all([fetchChunk(), startEngine()]).then(
      ([m]) => (at === life && shell ? m.mount(core, shell.root) : null),
      (e: unknown) => ((panel = null), failed(e)),
    ));
  }

  function savePrefs() {
    kv?.set(STORAGE_KEYS.prefs, prefs).catch(() => undefined);
  }

  function startScoring(): Promise<Scoring | null> {
    const at = life;
    return (scoring ??= loadScoring().then(
      (m) =>
        at === life && shell && kv
          ? m.createScoring({ core, opts, kv, prefs, savePrefs, conversation: startEngine, em, shell, forget })
          : null,
      (e: unknown) => ((scoring = null), report('scorer-unavailable', `Could not load temper-scoring.js: ${e}`), null),
    ));
  }

  // "Forget this chat": exactly what shutdown() erases and stops, then the widget boots again as on a device
  // that never chatted: launcher only, focus on it, and a later open starts afresh.
  // Other tabs of this site share the stored conversation and would write their copy back: they forget too.
  async function forget(here = true) {
    if (here) peers?.postMessage('forget');
    const o = opts;
    await api.shutdown();
    api.boot(o);
    if (here) whenReady(() => shell?.launcher.focus());
  }

  function resolveContainer(c: Element | string | undefined): Element {
    if (c === undefined) return document.body;
    if (typeof c !== 'string') return c;
    let el: Element | null = null;
    try {
      el = document.querySelector(c);
    } catch {
      // An invalid selector is reported below like a missing element.
    }
    if (!el) report('bad-option', `container ${JSON.stringify(c)} matches no element; using document.body`);
    return el ?? document.body;
  }

  async function start(at: number) {
    const opened = await openKV(opts.storage);
    if (at !== life) return;
    if (!opened.ok) report('storage-unavailable', `${opts.storage} storage is unavailable; the chat will not survive a reload.`);
    const store = (kv = opened.kv);
    if (opts.storage === 'local' && self.BroadcastChannel) {
      peers = new BroadcastChannel('temper');
      peers.onmessage = (e) => e.data === 'forget' && void forget(false);
    }
    const [saved, stored, outbox] = await Promise.all(
      [STORAGE_KEYS.prefs, STORAGE_KEYS.conversation, STORAGE_KEYS.outbox].map((k) => store.get<Record<string, unknown>>(k).catch(() => undefined)),
    );
    // temper.js can run from the page's <head> (a cached copy loads before the parser reaches <body>).
    if (!document.body) await new Promise((r) => document.addEventListener('DOMContentLoaded', r, { once: true }));
    if (at !== life) return;
    shell = createShell({
      container: resolveContainer(opts.container),
      locale: locale(),
      theme: opts.theme,
      position: opts.position,
      onToggle: () => (isOpen ? api.close() : api.open()),
      onPrefetch: () => void fetchChunk().catch(() => undefined),
    });
    ready = true;
    // A conversation already on this device needs its event stream (unread badge) and outbox (unsent
    // messages) now; a page view without one loads nothing more until the visitor uses the chat.
    if (stored || (Array.isArray(outbox) && outbox.length)) void startEngine();
    prefs = { ...saved };
    if (prefs.open) openNow(false);
    if (opts.scorer?.preload === 'idle' && opts.scoring !== 'off') (self.requestIdleCallback ?? setTimeout)(() => void startScoring());
    const queued = deferred;
    deferred = [];
    for (const fn of queued) fn();
    const id = stored?.conversationId;
    em.emit('ready', { conversationId: typeof id === 'string' ? id : null });
  }

  function openNow(focus: boolean) {
    if (isOpen || !shell) return;
    isOpen = true;
    unread = 0;
    shell.setUnread(0);
    shell.setExpanded(true);
    prefs.open = true;
    savePrefs();
    changed();
    conv?.retryNow();
    void startEngine();
    const sc = startScoring();
    void ensurePanel().then((p) => {
      if (focus && isOpen) p?.focus();
      if (p) void sc.then((s) => s?.mount());
    });
  }

  const api: WidgetCore = {
    boot(options?: WidgetOptions) {
      if (booted) return report('bad-option', 'boot() was already called; use update() to change options, or shutdown() first.');
      const { options: o, problems } = resolveOptions(DEFAULTS, options);
      for (const p of problems) report('bad-option', `boot: ${p}`);
      opts = o;
      booted = true;
      const at = ++life;
      void start(at).catch((e: unknown) => report('storage-unavailable', `Could not start: ${String(e)}`));
    },
    open() {
      whenReady(() => openNow(true));
    },
    close() {
      whenReady(() => {
        if (!isOpen || !shell) return;
        isOpen = prefs.open = false;
        shell.setExpanded(false);
        savePrefs();
        // Only take focus back when it was inside the widget: a host calling close() must not steal it.
        const hadFocus = shell.root.activeElement !== null;
        changed();
        if (hadFocus) shell.launcher.focus();
      });
    },
    send(text: string) {
      if (typeof text !== 'string') return report('bad-option', 'send() takes a string');
      whenReady(() => void startEngine().then((c) => c?.send(text)));
    },
    on<E extends WidgetEvent>(event: E, cb: WidgetListener<E>) {
      if (!WIDGET_EVENTS.includes(event) || typeof cb !== 'function')
        return report('bad-option', `on(event, callback): event must be one of ${WIDGET_EVENTS.join(', ')}`);
      em.on(event, cb);
    },
    off<E extends WidgetEvent>(event: E, cb: WidgetListener<E>) {
      em.off(event, cb);
    },
    update(options) {
      const { options: o, problems } = resolveOptions(opts, options, ['locale', 'theme', 'position']);
      for (const p of problems) report('bad-option', `update: ${p}`);
      opts = o;
      whenReady(() => {
        shell?.apply({ locale: locale(), theme: opts.theme, position: opts.position });
        changed();
      });
    },
    async shutdown() {
      life++;
      const c = conv;
      const p = panel;
      const s = scoring;
      const mode = opts.storage;
      const store = kv ?? (await openKV(mode)).kv;
      booted = ready = isOpen = false;
      deferred = [];
      peers?.close();
      peers = null;
      conv = kv = panel = engine = scoring = null;
      prefs = {};
      unread = 0;
      opts = DEFAULTS;
      (await p)?.unmount();
      shell?.destroy();
      shell = null;
      c?.stop();
      await (await s)?.stop();
      // Everything the SDK stored on this device goes, even if shutdown() came before boot had finished.
      if (c) await c.erase();
      if (store) await Promise.all(Object.values(STORAGE_KEYS).map((k) => store.del(k))).catch(() => undefined);
    },
    _report: report,
  };
  return api;
}
