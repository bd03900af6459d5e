// One Session per boot(): everything a booted widget owns lives in this closure, and ending it (destroy() or
// shutdown()) sets `ended`, which every async continuation of this session checks — so a late answer can
// never touch the next boot's widget. (This replaces the `life`/`epoch` counters that callbacks compared.)
// A closure rather than an object with fields: its locals minify, properties would not (temper.js has 5 KB).
import { LOCALES, STORAGE_KEYS } from '@temper/protocol';
import type { ClientErrorCode, Locale } from '@temper/protocol';
import type { Conversation } from './conversation.js';
import type { Emitter } from './emitter.js';
import { openKV, type KV } from './kv.js';
import { pickLocale, resolveOptions, type ResolvedOptions } from './options.js';
import type { PanelCore, PanelHandle, PanelModule, Prefs, Scoring, ScoringModule, WidgetOptions, WidgetState } from './types.js';
import { createShell, type Shell } from '../ui/shell.js';

/** What a session needs from the widget that outlives it. */
export interface SessionEnv {
  em: Emitter;
  report(code: ClientErrorCode, message: string): void;
  /** The chat chunk (panel + conversation engine), fetched once per page. */
  chunk(): Promise<PanelModule>;
  loadScoring(): Promise<ScoringModule>;
  core: PanelCore;
  /** The core's view changed (open, locale): the panel and the privacy bar re-read it. */
  changed(): void;
  /** shutdown(), then boot() again with `opts` ("Forget this chat"); `focus`: the new launcher takes focus. */
  reboot(opts: ResolvedOptions, focus: boolean): Promise<void>;
  toggle(): void;
}

/**
 * Starts the session of one boot(). `queued`: calls made before it was ready, run in order once it is;
 * `focus`: the launcher takes focus once it is on the page (after "Forget this chat").
 *
 * @example
 * const s = createSession(options, env, [], false);
 * s.whenReady(() => s.open(true));
 */
export function createSession(opts: ResolvedOptions, env: SessionEnv, queued: Array<() => void>, focus: boolean) {
  const { em, report, changed } = env;
  let ended = false;
  let ready = false;
  let deferred = queued;
  let kv: KV | null = null;
  let shell: Shell | null = null;
  let peers: BroadcastChannel | null = null;
  let prefs: Prefs = {};
  let isOpen = false;
  let unread = 0;
  let storedId: string | null = null;
  let engine: Promise<Conversation | null> | null = null;
  let conv: Conversation | null = null;
  let panel: Promise<PanelHandle | null> | null = null;
  let scoring: Promise<Scoring | null> | null = null;

  // The conversation's language wins over the host's `locale` (issue 12: a Chinese chat in English labels).
  const locale = () => pickLocale(prefs.locale ?? opts.locale, typeof navigator === 'undefined' ? undefined : navigator.language);
  const applyShell = () => shell?.apply({ locale: locale(), theme: opts.theme, position: opts.position });
  const failed = (e: unknown) => {
    report('panel-unavailable', `Could not load temper-panel.js: ${String(e)}`);
    return null;
  };
  // "Forget this chat": exactly what shutdown() erases and stops, then the widget boots again as on a device
  // that never chatted: launcher only, focus on it, and a later open starts afresh. Other tabs of this site
  // share the stored conversation and would write their copy back: they forget too (`here`: this tab's button).
  const forget = async (here = true) => {
    if (here) peers?.postMessage('forget');
    await env.reboot(opts, here);
  };
  const savePrefs = () => void (ended || kv?.set(STORAGE_KEYS.prefs, prefs).catch(() => undefined));

  function startEngine(): Promise<Conversation | null> {
    return (engine ??= env.chunk().then(async (m) => {
      if (ended || !kv) return null;
      const c = m.createConversation({
        opts,
        prefs,
        kv,
        locale,
        emit: (event, payload) => {
          if (ended) return;
          if (event === 'message' && !isOpen && (payload as { from: string }).from !== 'visitor') shell?.setUnread(++unread);
          em.emit(event, payload);
        },
      });
      await c.load();
      if (ended) return null;
      conv = c;
      c.start();
      return c;
    }, (e: unknown) => ((engine = null), failed(e))));
  }

  function ensurePanel(): Promise<PanelHandle | null> {
    return (panel ??= Promise.all([env.chunk(), startEngine()]).then(
      ([m, c]) => (!ended && shell && c ? m.mount(env.core, shell.root, c) : null),
      (e: unknown) => ((panel = null), failed(e)),
    ));
  }

  function startScoring(): Promise<Scoring | null> {
    return (scoring ??= env.loadScoring().then(
      (m) =>
        !ended && shell && kv
          ? m.createScoring({ core: env.core, opts, kv, prefs, savePrefs, conversation: startEngine, em, shell, forget })
          : null,
      (e: unknown) => ((scoring = null), report('scorer-unavailable', `Could not load temper-scoring.js: ${e}`), null),
    ));
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

  async function start() {
    const opened = await openKV(opts.storage);
    if (ended) return;
    if (!opened.ok) report('storage-unavailable', `${opts.storage} storage is unavailable; the chat will not survive a reload.`);
    const store = (kv = opened.kv);
    if (opts.storage === 'local' && self.BroadcastChannel) {
      peers = new BroadcastChannel('temper');
      peers.onmessage = (e) => e.data === 'forget' && void forget(false);
    }
    const [saved, ...rest] = await Promise.all(
      [STORAGE_KEYS.prefs, STORAGE_KEYS.conversation, STORAGE_KEYS.outbox].map((k) => store.get<Record<string, unknown>>(k).catch(() => undefined)),
    );
    let [stored, outbox] = rest;
    // Issue 15, finding 2: a conversation idle for longer than `idleExpiryHours` (last save of the transcript or the
    // outbox, device clock) is deleted before anything is shown: the next person at a shared computer sees none of it.
    // A record from before `activeAt` existed counts from its token's expiry. Prefs (no chat content) stay.
    const active = Math.max(
      Number((stored as { activeAt?: number } | undefined)?.activeAt ?? stored?.expiresAt) || 0,
      ...(Array.isArray(outbox) ? outbox.map((o: { at?: number }) => Number(o.at) || 0) : []),
    );
    if ((stored || outbox) && Date.now() - active > opts.idleExpiryHours * 36e5) {
      await Promise.all([STORAGE_KEYS.conversation, STORAGE_KEYS.outbox, STORAGE_KEYS.signals].map((k) => store.del(k))).catch(() => undefined);
      stored = outbox = undefined;
      if (saved) delete saved.open;
      // Another tab of this site still holding the conversation in memory must not write it back.
      peers?.postMessage('forget');
    }
    // temper.js can run from the page's <head> (a cached copy loads before the parser reaches <body>).
    if (!document.body) await new Promise((r) => document.addEventListener('DOMContentLoaded', r, { once: true }));
    if (ended) return;
    prefs = { ...saved };
    if (!LOCALES.includes(prefs.locale!)) delete prefs.locale;
    shell = createShell({
      container: resolveContainer(opts.container),
      locale: locale(),
      theme: opts.theme,
      position: opts.position,
      onToggle: env.toggle,
      onPrefetch: () => void env.chunk().catch(() => undefined),
    });
    ready = true;
    // A conversation already on this device needs its event stream (unread badge) and outbox (unsent
    // messages) now; a page view without one loads nothing more until the visitor uses the chat.
    if (stored || (Array.isArray(outbox) && outbox.length)) void startEngine();
    if (prefs.open) open(false);
    // Idle preload (issue 13): nothing for scoring loads before the visitor has seen the notice (issue 15), so only a
    // returning visitor's browser preloads, after the page's own load, when idle, and never on Save-Data or 2g.
    const c = (navigator as { connection?: { saveData?: boolean; effectiveType?: string } }).connection;
    if (opts.scorer?.preload === 'idle' && opts.scoring !== 'off' && prefs.noticed && !c?.saveData && !/2g/.test(c?.effectiveType ?? '')) {
      const idle = () => (self.requestIdleCallback ?? setTimeout)(() => void startScoring());
      if (document.readyState === 'complete') idle();
      else addEventListener('load', idle, { once: true });
    }
    const id = stored?.conversationId;
    storedId = typeof id === 'string' ? id : null;
    const q = deferred;
    deferred = [];
    for (const fn of q) fn();
    if (focus) shell.launcher.focus();
    em.emit('ready', { conversationId: storedId });
  }

  function open(focus: boolean) {
    if (isOpen || !shell) return;
    isOpen = prefs.open = true;
    unread = 0;
    shell.setUnread(0);
    shell.setExpanded(true);
    savePrefs();
    changed();
    conv?.retryNow();
    void startEngine();
    const sc = startScoring();
    void ensurePanel().then((p) => {
      if (focus && isOpen) p?.focus();
      // The scoring chunk marks prefs.noticed once its notice is on screen (and only then starts the scorer).
      if (p) void sc.then((x) => x?.mount());
    });
  }

  void start().catch((e: unknown) => report('storage-unavailable', `Could not start: ${String(e)}`));

  return {
    /** Runs `fn` once the launcher is on the page (now, if it is). */
    whenReady(fn: () => void): void {
      if (ready) fn();
      else deferred.push(fn);
    },
    open,
    close(): void {
      if (!isOpen || !shell) return;
      isOpen = prefs.open = false;
      shell.setExpanded(false);
      savePrefs();
      // Only take focus back when it was inside the widget: a host calling close() must not steal it.
      const hadFocus = shell.root.activeElement !== null;
      changed();
      if (hadFocus) shell.launcher.focus();
    },
    isOpen: () => isOpen,
    send(text: string): void {
      void startEngine().then((c) => c?.send(text));
    },
    update(options: WidgetOptions): void {
      opts = resolveOptions(opts, options, ['locale', 'theme', 'position']).options;
      // A host choosing the language now overrides the one the conversation had.
      if (options.locale && prefs.locale) {
        delete prefs.locale;
        savePrefs();
      }
      applyShell();
      changed();
    },
    setLocale(l: Locale): void {
      if (l === locale()) return;
      prefs.locale = l;
      savePrefs();
      applyShell();
      changed();
    },
    /** What getState() returns; the panel reads its `open` and `locale` (CoreView). */
    state: (): WidgetState => ({ status: ready ? 'ready' : 'starting', conversationId: conv?.conversationId() ?? storedId, open: isOpen, locale: locale(), theme: opts.theme }),
    /**
     * Ends the session: UI, network, worker. `erase` (shutdown): the conversation also deletes what it
     * stored, after its last write. Resolves to the storage area, for the caller to clear the rest.
     */
    async end(erase: boolean): Promise<KV> {
      ended = true;
      deferred = [];
      peers?.close();
      const store = kv ?? (await openKV(opts.storage)).kv;
      (await panel)?.unmount();
      shell?.destroy();
      conv?.stop();
      await (await scoring)?.stop();
      if (erase) await conv?.erase();
      return store;
    },
  };
}
export type Session = ReturnType<typeof createSession>;
