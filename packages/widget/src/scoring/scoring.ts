// The scoring chunk (temper-scoring.js): the privacy bar and the glue between the conversation and the
// on-device scorer. It loads when the chat is first opened (or on idle, if the host asks), and it loads the
// scorer itself (`createScorer`, then its worker, wasm and model) only while scoring is on.
//
// What may leave the device is decided here, so the rules are strict:
// - a signal is POSTed only when the scorer's minimizer produced one (level or trend changed), as it is;
// - `seq` is persisted before the POST, so a reload never reuses one (the server would answer 409);
// - a degraded scorer produces nothing: no level is ever made up;
// - off means off: the worker is terminated and a pending signal is dropped, not sent late.
import { STORAGE_KEYS } from '@temper/protocol';
import type { MessageEvent, Signal } from '@temper/protocol';
import type { CreateScorerOptions, ReplayEvent, ScoreResult, Scorer } from '@temper/scorer';
import type { Conversation } from '../core/conversation.js';
import type { Scoring, ScoringHost, ScoringModule, ScorerOptions } from '../core/types.js';
import { PRIVACY_CSS } from './privacy-css.js';
import { createPrivacyUI, type SentSignal } from './privacy-ui.js';

/** What the scoring chunk needs of `@temper/scorer` (the npm package, or temper-scorer.js from the CDN). */
export interface ScorerModule {
  createScorer(options?: CreateScorerOptions): Promise<Scorer>;
}

/** The `signals` storage item: what this device sent in one conversation and how far the scorer has read. */
export interface SignalsRecord {
  conversationId: string | null;
  /** `seq` of the next signal; written before each POST. */
  nextSeq: number;
  /** Every signal the server received, oldest first: the "What's shared" list. */
  sent: SentSignal[];
  /** Key of the last message before scoring (re)started from calm; null: from the conversation's start. */
  since: string | null;
  /** Key of the last message the scorer has read. */
  upTo: string | null;
}

/**
 * The scorer's state, mirrored on the host element as `data-scoring` so pages and tests can wait for it.
 * `standby`: another tab of this site scores the same conversation (one scorer per conversation, see below).
 */
export type ScoringState = 'off' | 'loading' | 'standby' | 'ready' | 'unavailable';

const SCORER_KEYS = ['preload', 'baseUrl', 'workerUrl', 'modelUrl', 'wasmPaths', 'startTimeoutMs', 'ldp'];
/** A visitor message unanswered this long counts as waiting (the dynamics turn waits into a cue). */
const TICK_MS = 15_000;
/**
 * Tabs of one site share the conversation (IndexedDB) and each sees every message on its event stream. If each
 * ran a scorer, both would send signals with their own seq (the server refuses one as stale) and overwrite each
 * other's "What's shared" record. A Web Lock makes one tab the scorer; the others wait in `standby` and take
 * over, from the stored record and transcript, when it closes or stops.
 */
const LOCK = 'temper-scorer';

const keyOf = (m: MessageEvent) => m.clientId ?? m.id;
const fresh = (conversationId: string | null): SignalsRecord => ({ conversationId, nextSeq: 1, sent: [], since: null, upTo: null });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const backoff = (attempt: number) => {
  const base = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
  return base / 2 + Math.random() * (base / 2);
};

/**
 * Whether scoring is on, from the host's option, Global Privacy Control and the visitor's own choice.
 * GPC is the visitor's signal, so a host's `on` cannot override it (it becomes `ask`); the visitor's explicit
 * choice in the panel is more specific than a browser-wide setting and wins over both. A host's `off` is final.
 *
 * @example
 * effectiveScoring('on', true, undefined); // { switchable: true, enabled: false } (GPC: ask first)
 */
export function effectiveScoring(mode: 'on' | 'off' | 'ask' | undefined, gpc: boolean, choice: boolean | undefined) {
  const m = mode ?? 'on';
  if (m === 'off') return { switchable: false, enabled: false };
  return { switchable: true, enabled: choice ?? (m === 'on' && !gpc) };
}

/**
 * Makes the scoring chunk's factory around a loader of the scorer module (the CDN and npm builds differ
 * only in where `createScorer` comes from).
 *
 * @example
 * export const { createScoring } = createScoringModule(() => import('@temper/scorer'));
 */
export function createScoringModule(loadScorer: () => Promise<ScorerModule>): ScoringModule {
  return { createScoring: (h) => createScoring(h, loadScorer) };
}

function createScoring(h: ScoringHost, loadScorer: () => Promise<ScorerModule>): Scoring {
  const gpc = (globalThis.navigator as { globalPrivacyControl?: unknown } | undefined)?.globalPrivacyControl === true;
  const { switchable } = effectiveScoring(h.opts.scoring, gpc, undefined);
  let enabled = effectiveScoring(h.opts.scoring, gpc, h.prefs.scoring).enabled;
  let state: ScoringState = 'off';
  let stopped = false;
  // Bumped on every start and every switch-off: work of an older scorer must not touch the current one.
  let epoch = 0;
  let scorer: Scorer | null = null;
  let rec: SignalsRecord | null = null;
  let seen = new Set<string>();
  let waiting = false;
  let latest: Signal | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  let posting: Promise<unknown> = Promise.resolve();
  let writes: Promise<unknown> = Promise.resolve();
  let tickTimer: ReturnType<typeof setInterval> | undefined;
  let lockWait: AbortController | null = null;
  let releaseLock: (() => void) | null = null;
  const locks = h.opts.storage === 'local' ? (globalThis.navigator as { locks?: LockManager } | undefined)?.locks : undefined;

  const options: CreateScorerOptions = {};
  for (const [k, v] of Object.entries(h.opts.scorer ?? {}) as [keyof ScorerOptions, unknown][]) {
    if (!SCORER_KEYS.includes(k)) h.em.emit('error', { code: 'bad-option', message: `boot: unknown scorer option "${k}"` });
    else if (k !== 'preload') (options as Record<string, unknown>)[k] = v;
  }

  const sheet = new CSSStyleSheet();
  sheet.replaceSync(PRIVACY_CSS);
  h.shell.root.adoptedStyleSheets = [...h.shell.root.adoptedStyleSheets, sheet];
  const ui = createPrivacyUI({ onToggle: (on) => void toggle(on), onForget: () => void h.forget() });
  const render = () =>
    ui.update({ locale: h.core.getState().locale, switchable, enabled, unavailable: state === 'unavailable', sent: rec?.sent ?? [] });
  const unsubscribe = h.core.subscribe(render);

  function setState(s: ScoringState) {
    state = s;
    if (!stopped) h.shell.host.dataset.scoring = s;
    render();
  }

  /** Runs scorer work one step at a time, in the order events happened. */
  const run = (fn: () => Promise<unknown>) => (chain = chain.then(fn).catch(() => undefined));

  function save() {
    if (stopped || !rec) return;
    writes = h.kv.set(STORAGE_KEYS.signals, rec).catch(() => undefined);
  }

  function unavailable(my: number, message: string) {
    if (my !== epoch || state === 'unavailable') return;
    clearInterval(tickTimer);
    scorer?.dispose();
    scorer = null;
    setState('unavailable');
    h.em.emit('error', { code: 'scorer-unavailable', message });
  }

  /** The record for the conversation in use: a new conversation (or a server that forgot it) starts afresh. */
  async function record(conv: Conversation): Promise<SignalsRecord> {
    const id = conv.conversationId();
    rec ??= await h.kv.get<SignalsRecord>(STORAGE_KEYS.signals).then(
      (r) => (r && typeof r.nextSeq === 'number' && Array.isArray(r.sent) ? r : fresh(id)),
      () => fresh(id),
    );
    if (id && rec.conversationId !== id) {
      if (rec.conversationId) {
        rec = fresh(id);
        seen = new Set();
        await scorer?.reset(1);
      } else rec.conversationId = id;
    }
    return rec;
  }

  function start(restart: boolean) {
    const my = ++epoch;
    setState('loading');
    run(async () => {
      const conv = await h.conversation();
      if (my !== epoch) return;
      if (!conv) return unavailable(my, 'The chat could not start (temper-panel.js did not load), so nothing is scored.');
      if (locks) {
        const ac = (lockWait = new AbortController());
        let held = false;
        let release: (() => void) | undefined;
        const got = await new Promise<boolean>((resolve) => {
          locks
            .request(LOCK, { signal: ac.signal }, () => {
              held = true;
              resolve(true);
              // Held until this scorer stops (halt) or the tab goes away.
              return new Promise<void>((r) => (release = r));
            })
            .catch(() => resolve(false));
          void locks.query().then((q) => {
            if (!held && my === epoch && q.held?.some((l) => l.name === LOCK)) setState('standby');
          });
        });
        if (!got) return;
        if (my !== epoch || stopped) return release?.();
        releaseLock = release ?? null;
        // Another tab may have scored and sent meanwhile: take its record, not the one read earlier.
        rec = null;
        setState('loading');
      }
      const r = await record(conv);
      if (restart) {
        // Turned on by the visitor: scoring starts from calm, with what is said from now on.
        const before = conv.transcript();
        r.since = r.upTo = before.length ? keyOf(before[before.length - 1]!) : null;
        save();
      }
      let s: Scorer;
      try {
        const m = await loadScorer();
        s = await m.createScorer({ ...options, startSeq: r.nextSeq, onError: (e) => unavailable(my, `scorer ${e.reason}: ${e.message}`) });
      } catch (e) {
        return unavailable(my, `The on-device scorer could not start: ${String(e)}`);
      }
      if (my !== epoch || stopped) return s.dispose();
      if (s.state !== 'ready') return unavailable(my, s.error ? `scorer ${s.error.reason}: ${s.error.message}` : 'The on-device scorer could not start.');
      scorer = s;
      setState('ready');
      tickTimer = setInterval(() => waiting && run(() => step(my, scorer?.tick() ?? null)), TICK_MS);
      // Catch up with the transcript: what the scorer read before a reload is replayed without sending (the
      // server has its signal already); what came since (sent with send() while the chat was closed, replies
      // that arrived meanwhile) is read as live.
      const msgs = [...conv.transcript()];
      const keys = msgs.map(keyOf);
      const from = r.since ? keys.indexOf(r.since) + 1 : 0;
      const upTo = r.upTo ? keys.lastIndexOf(r.upTo) + 1 : 0;
      seen = new Set(keys.slice(0, Math.max(from, upTo)));
      const past = msgs.slice(from, upTo).flatMap((m): ReplayEvent[] =>
        m.from === 'visitor' ? [{ from: 'visitor', text: m.text, at: m.at }] : m.from === 'system' ? [] : [{ from: m.from, understood: m.understood ?? true, at: m.at }],
      );
      if (past.length) await s.replay(past);
      waiting = past[past.length - 1]?.from === 'visitor';
      for (const m of msgs.slice(Math.max(from, upTo))) await read(my, conv, m);
    });
  }

  /** Feeds one transcript message to the scorer and sends the signal it produces, if any. */
  async function read(my: number, conv: Conversation, m: MessageEvent) {
    const key = keyOf(m);
    if (my !== epoch || !scorer || seen.has(key)) return;
    const r = await record(conv);
    seen.add(key);
    let result: Promise<ScoreResult | null> | null = null;
    if (m.from === 'visitor') {
      waiting = true;
      result = scorer.scoreVisitorMessage(m.text, m.at);
    } else if (m.from !== 'system') {
      waiting = false;
      result = scorer.noteReply({ understood: m.understood ?? true, at: m.at });
    }
    r.upTo = key;
    await step(my, result);
  }

  async function step(my: number, pending: Promise<ScoreResult | null> | null) {
    const res = await pending;
    if (my !== epoch || stopped || !rec) return;
    const signal = res?.signal;
    if (signal) rec.nextSeq = signal.seq + 1;
    // Persisted before the POST: a reload in between must not reuse this seq.
    save();
    if (signal) send(my, signal);
  }

  function send(my: number, signal: Signal) {
    latest = signal;
    posting = posting.then(async () => {
      let reached = false;
      for (let attempt = 0; ; attempt++) {
        // Superseded by a newer signal, switched off or forgotten: the server only needs the latest state.
        if (my !== epoch || stopped || latest !== signal) return;
        const conv = await h.conversation();
        if (!conv) return;
        let status = 0;
        try {
          status = await conv.postSignal(signal);
        } catch {
          // The request did not reach the server: not shared (yet); try again.
        }
        if (status && !reached && rec && my === epoch) {
          // It reached the server: this is what "What's shared" lists and what `signal` listeners get.
          reached = true;
          rec.sent = [...rec.sent, { ...signal, at: Date.now() }];
          save();
          render();
          h.em.emit('signal', { ...signal });
        }
        if (status && status < 500 && status !== 401 && status !== 403 && status !== 408 && status !== 429) return;
        await sleep(backoff(attempt));
      }
    }).catch(() => undefined);
  }

  function onMessage(m: MessageEvent) {
    const my = epoch;
    run(async () => {
      const conv = await h.conversation();
      if (conv) await read(my, conv, m);
    });
  }

  function halt() {
    lockWait?.abort();
    releaseLock?.();
    lockWait = releaseLock = null;
    epoch++;
    clearInterval(tickTimer);
    scorer?.dispose();
    scorer = null;
    latest = null;
    waiting = false;
  }

  async function toggle(on: boolean) {
    if (on === enabled || stopped) return;
    h.prefs.scoring = enabled = on;
    h.savePrefs();
    if (on) start(true);
    else {
      halt();
      setState('off');
    }
  }

  h.em.on('message', onMessage);
  // Load what was shared in this conversation for the "What's shared" view, even while scoring is off.
  run(async () => {
    const conv = await h.conversation();
    if (conv) await record(conv);
    render();
  });
  if (enabled) start(false);
  else setState('off');

  return {
    mount() {
      const slot = h.shell.root.querySelector('.privacy');
      if (slot && ui.el.parentNode !== slot) slot.replaceChildren(ui.el);
      render();
    },
    async stop() {
      if (stopped) return;
      halt();
      stopped = true;
      h.em.off('message', onMessage);
      unsubscribe();
      ui.el.remove();
      delete h.shell.host.dataset.scoring;
      h.shell.root.adoptedStyleSheets = h.shell.root.adoptedStyleSheets.filter((s) => s !== sheet);
      await writes;
    },
  };
}
