// The widget core: the public API over the current boot's Session (session.ts), and the event emitter. It
// touches no globals of its own (no window.Temper): the CDN entry and the npm entry both wrap it, each with
// its own chunk loader.
import { STORAGE_KEYS, WIDGET_EVENTS } from '@temper/protocol';
import type { ClientErrorCode, WidgetEvent } from '@temper/protocol';
import { createEmitter } from './emitter.js';
import { openKV } from './kv.js';
import { DEFAULTS, resolveOptions } from './options.js';
import { createSession, type Session } from './session.js';
import type { PanelCore, PanelModule, ScoringModule, Widget, WidgetListener, WidgetOptions, WidgetState } from './types.js';

/** The core plus one internal hook the CDN entry uses to report misuse of the global function. */
export interface WidgetCore extends Widget {
  _report(code: ClientErrorCode, message: string): void;
}

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
  /** The current boot's session; null before boot() and after destroy()/shutdown(). */
  let session: Session | null = null;
  /** Calls made before boot(): they run, in order, once the next boot is ready. */
  let early: Array<() => void> = [];
  let chunk: Promise<PanelModule> | null = null;
  let view: WidgetState | null = null;
  const viewers = new Set<() => void>();
  const report = (code: ClientErrorCode, message: string) => em.emit('error', { code, message });

  const core: PanelCore = {
    getState: () => (view ??= api.getState()),
    subscribe(l) {
      viewers.add(l);
      return () => viewers.delete(l);
    },
    close: () => api.close(),
    setLocale: (l) => session?.setLocale(l),
  };

  /** Runs `fn` with the current session once it is ready; before boot(), with the next one. */
  function whenReady(fn: (s: Session) => void) {
    const s = session;
    if (s) s.whenReady(() => fn(s));
    else early.push(() => session && fn(session));
  }

  function boot(o: typeof DEFAULTS, focus = false) {
    const queued = early;
    early = [];
    session = createSession(
      o,
      {
        em,
        report,
        core,
        chunk: () =>
          (chunk ??= load().catch((e: unknown) => {
            chunk = null;
            throw e;
          })),
        loadScoring,
        changed() {
          view = null;
          for (const v of [...viewers]) v();
        },
        async reboot(o, focus) {
          await api.shutdown();
          boot(o, focus);
        },
        toggle: () => (session?.isOpen() ? api.close() : api.open()),
      },
      queued,
      focus,
    );
  }

  /** Ends the current session; `erase`: shutdown (sign out and forget) rather than destroy. */
  async function end(erase: boolean) {
    const s = session;
    session = null;
    early = [];
    view = null;
    // Without a session (shutdown() before boot()), what an earlier page left on this device still goes.
    const kv = s ? await s.end(erase) : (await openKV(DEFAULTS.storage)).kv;
    if (erase) await Promise.all(Object.values(STORAGE_KEYS).map((k) => kv.del(k))).catch(() => undefined);
  }

  const api: WidgetCore = {
    boot(options?: WidgetOptions) {
      if (session) return report('bad-option', 'boot() was already called; use update() to change options, or shutdown() first.');
      const { options: o, problems } = resolveOptions(DEFAULTS, options);
      for (const p of problems) report('bad-option', `boot: ${p}`);
      boot(o);
    },
    open: () => whenReady((s) => s.open(true)),
    close: () => whenReady((s) => s.close()),
    send(text: string) {
      if (typeof text !== 'string') return report('bad-option', 'send() takes a string');
      whenReady((s) => s.send(text));
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
      for (const p of resolveOptions(DEFAULTS, options, ['locale', 'theme', 'position']).problems) report('bad-option', `update: ${p}`);
      whenReady((s) => s.update(options));
    },
    getState: (): WidgetState => session?.state() ?? { status: 'off', conversationId: null, open: false, locale: 'en', theme: 'light' },
    destroy: () => end(false),
    shutdown: () => end(true),
    _report: report,
  };
  return api;
}
