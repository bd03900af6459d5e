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
import type { MessageEvent } from '@temper/protocol';
import type { CreateScorerOptions, ReplayEvent, ScoreResult, Scorer } from '@temper/scorer';
import type { Conversation } from '../core/conversation.js';
import type { Scoring, ScoringHost, ScoringModule, ScorerOptions } from '../core/types.js';
import { asksFirst, effectiveScoring } from '../core/scoring-mode.js';
import { ON_MESSAGE, next, type ScoringEvent, type ScoringState } from './machine.js';
import { PRIVACY_CSS } from './privacy-css.js';
import { createPrivacyUI, type SentSignal } from './privacy-ui.js';
import { createSignalSender, type SignalSender } from './signal-sender.js';
import { createTabLock, type TabLock } from './tab-lock.js';

export type { ScoringState } from './machine.js';
export { effectiveScoring } from '../core/scoring-mode.js';

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
  /**
   * Issue 15 (notice before scoring): keys of messages that were still unsent (in the outbox) when the notice was
   * first shown. Like everything up to `since`, they are never scored, whenever they reach the transcript.
   */
  unscored?: string[];
}

const SCORER_KEYS = ['preload', 'baseUrl', 'workerUrl', 'modelUrl', 'wasmPaths', 'startTimeoutMs', 'ldp'];
/** A visitor message unanswered this long counts as waiting (the dynamics turn waits into a cue). */
const TICK_MS = 15_000;
const keyOf = (m: MessageEvent) => m.clientId ?? m.id;
const fresh = (conversationId: string | null): SignalsRecord => ({ conversationId, nextSeq: 1, sent: [], since: null, upTo: null });

/** One start of the scorer, until it is switched off, fails or stops: what used to be an `epoch` number. */
interface Run {
  dead: boolean;
  scorer: Scorer | null;
  lock: TabLock;
  sender: SignalSender;
  tick?: ReturnType<typeof setInterval>;
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
  const gpc = asksFirst();
  const { switchable } = effectiveScoring(h.opts.scoring, gpc, undefined);
  let enabled = effectiveScoring(h.opts.scoring, gpc, h.prefs.scoring).enabled;
  let state: ScoringState = 'off';
  let stopped = false;
  let run: Run | null = null;
  let rec: SignalsRecord | null = null;
  let seen = new Set<string>();
  let waiting = false;
  let chain: Promise<unknown> = Promise.resolve();
  let writes: Promise<unknown> = Promise.resolve();
  const locks = h.opts.storage === 'local' ? (globalThis.navigator as { locks?: LockManager } | undefined)?.locks : undefined;

  const options: CreateScorerOptions = {};
  for (const [k, v] of Object.entries(h.opts.scorer ?? {}) as [keyof ScorerOptions, unknown][]) {
    if (!SCORER_KEYS.includes(k)) h.em.emit('error', { code: 'bad-option', message: `boot: unknown scorer option "${k}"` });
    else if (k !== 'preload') (options as Record<string, unknown>)[k] = v;
  }

  const sheet = new CSSStyleSheet();
  sheet.replaceSync(PRIVACY_CSS);
  h.shell.root.adoptedStyleSheets = [...h.shell.root.adoptedStyleSheets, sheet];
  const ui = createPrivacyUI({
    onToggle: (on) => void toggle(on),
    reference: async () => (await h.conversation())?.conversationId() ?? null,
    onForget: () => void h.forget(),
  });
  const render = () =>
    ui.update({
      locale: h.core.getState().locale,
      switchable,
      enabled,
      unavailable: state === 'unavailable',
      sent: rec?.sent ?? [],
      storage: h.opts.storage,
      idleExpiryHours: h.opts.idleExpiryHours,
      policyUrl: h.opts.privacyPolicyUrl,
    });
  const unsubscribe = h.core.subscribe(render);

  function show() {
    if (stopped) return;
    h.shell.host.dataset.scoring = state;
    render();
    // The server learns whether this device scores (issue 12, defect 8: "calm" vs "not scored"); loading and
    // standby count as on (a scorer is on its way, or another tab scores).
    const wire = !enabled ? 'off' : state === 'unavailable' ? 'unavailable' : 'on';
    void h.conversation().then((c) => c?.setScoring(wire));
  }

  /** Moves the state machine (machine.ts); false when `event` means nothing in the current state. */
  function move(event: ScoringEvent): boolean {
    const to = next(state, event);
    if (!to) return false;
    state = to;
    show();
    return true;
  }

  /** Runs scorer work one step at a time, in the order events happened. */
  const queue = (fn: () => Promise<unknown>) => (chain = chain.then(fn).catch(() => undefined));

  function save() {
    if (stopped || !rec) return;
    writes = h.kv.set(STORAGE_KEYS.signals, rec).catch(() => undefined);
  }

  function unavailable(r: Run, message: string) {
    if (r.dead || state === 'unavailable') return;
    clearInterval(r.tick);
    r.scorer?.dispose();
    r.scorer = null;
    // Another tab may manage where this one failed.
    r.lock.release();
    if (move('scorer-failed')) h.em.emit('error', { code: 'scorer-unavailable', message });
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
        await run?.scorer?.reset(1);
      } else rec.conversationId = id;
    }
    return rec;
  }

  function start(restart: boolean) {
    const r: Run = (run = {
      dead: false,
      scorer: null,
      lock: createTabLock(locks),
      sender: createSignalSender({
        post: async (signal) => {
          const conv = await h.conversation();
          return conv ? conv.postSignal(signal) : null;
        },
        reached(signal) {
          // It reached the server: this is what "What's shared" lists and what `signal` listeners get.
          if (!rec || r.dead) return;
          rec.sent = [...rec.sent, { ...signal, at: Date.now() }];
          save();
          render();
          h.em.emit('signal', { ...signal });
        },
      }),
    });
    move('enable');
    queue(async () => {
      const conv = await h.conversation();
      if (r.dead) return;
      if (!conv) return unavailable(r, 'The chat could not start (temper-panel.js did not load), so nothing is scored.');
      const got = await r.lock.acquire(() => !r.dead && move('lock-busy'));
      if (!got || r.dead || stopped) return r.lock.release();
      // Another tab may have scored and sent meanwhile: take its record, not the one read earlier.
      if (locks) rec = null;
      move('lock-acquired');
      const rc = await record(conv);
      if (restart) {
        // Turned on by the visitor: scoring starts from calm, with what is said from now on.
        const before = conv.transcript();
        rc.since = rc.upTo = before.length ? keyOf(before[before.length - 1]!) : null;
        save();
      }
      let s: Scorer;
      try {
        const m = await loadScorer();
        s = await m.createScorer({ ...options, startSeq: rc.nextSeq, onError: (e) => unavailable(r, `scorer ${e.reason}: ${e.message}`) });
      } catch (e) {
        return unavailable(r, `The on-device scorer could not start: ${String(e)}`);
      }
      if (r.dead || stopped) return s.dispose();
      if (s.state !== 'ready') return unavailable(r, s.error ? `scorer ${s.error.reason}: ${s.error.message}` : 'The on-device scorer could not start.');
      r.scorer = s;
      r.tick = setInterval(() => waiting && queue(() => step(r, r.scorer?.tick() ?? null)), TICK_MS);
      move('scorer-ready');
      await catchUp(r, conv, rc, s);
    });
  }

  /**
   * The `scorer-ready` transition's work: what the scorer read before a reload is replayed without sending (the
   * server has its signal already); everything since — messages deferred while it loaded, sent with send()
   * while the chat was closed, replies that arrived meanwhile — is read as live, so a changed level is sent now.
   */
  async function catchUp(r: Run, conv: Conversation, rc: SignalsRecord, s: Scorer) {
    const msgs = [...conv.transcript()];
    const keys = msgs.map(keyOf);
    const from = rc.since ? keys.indexOf(rc.since) + 1 : 0;
    const upTo = rc.upTo ? keys.lastIndexOf(rc.upTo) + 1 : 0;
    seen = new Set([...keys.slice(0, Math.max(from, upTo)), ...(rc.unscored ?? [])]);
    const past = msgs.slice(from, upTo).flatMap((m): ReplayEvent[] =>
      m.from === 'visitor' ? [{ from: 'visitor', text: m.text, at: m.at }] : m.from === 'system' ? [] : [{ from: m.from, understood: m.understood ?? true, at: m.at }],
    );
    if (past.length) await s.replay(past);
    waiting = past[past.length - 1]?.from === 'visitor';
    for (const m of msgs.slice(Math.max(from, upTo))) await read(r, conv, m);
  }

  /** Feeds one transcript message to the scorer and sends the signal it produces, if any. */
  async function read(r: Run, conv: Conversation, m: MessageEvent) {
    const key = keyOf(m);
    if (r.dead || !r.scorer || seen.has(key)) return;
    const rc = await record(conv);
    seen.add(key);
    if (rc.unscored?.includes(key)) return;
    let result: Promise<ScoreResult | null> | null = null;
    if (m.from === 'visitor') {
      waiting = true;
      result = r.scorer.scoreVisitorMessage(m.text, m.at);
    } else if (m.from !== 'system') {
      waiting = false;
      result = r.scorer.noteReply({ understood: m.understood ?? true, at: m.at });
    }
    rc.upTo = key;
    await step(r, result);
  }

  async function step(r: Run, pending: Promise<ScoreResult | null> | null) {
    const res = await pending;
    if (r.dead || stopped || !rec) return;
    const signal = res?.signal;
    if (signal) rec.nextSeq = signal.seq + 1;
    // Persisted before the POST: a reload in between must not reuse this seq.
    save();
    if (signal) r.sender.send(signal);
  }

  function onMessage(m: MessageEvent) {
    const r = run;
    // 'defer' (loading, standby): the message is in the transcript after the record's upTo; catchUp reads it.
    if (!r || ON_MESSAGE[state] !== 'score') return;
    queue(async () => {
      const conv = await h.conversation();
      if (conv) await read(r, conv, m);
    });
  }

  function halt() {
    const r = run;
    run = null;
    waiting = false;
    if (!r) return;
    r.dead = true;
    r.lock.release();
    r.sender.cancel();
    clearInterval(r.tick);
    r.scorer?.dispose();
    r.scorer = null;
  }

  async function toggle(on: boolean) {
    if (on === enabled || stopped) return;
    h.prefs.scoring = enabled = on;
    h.savePrefs();
    if (on) start(true);
    else {
      halt();
      move('disable');
    }
  }

  h.em.on('message', onMessage);
  // Load what was shared in this conversation for the "What's shared" view, even while scoring is off.
  queue(async () => {
    const conv = await h.conversation();
    if (conv) await record(conv);
    render();
  });
  // Issue 15, finding 3: nothing for scoring loads (createScorer, worker, wasm, model) and nothing is scored before
  // this browser has shown the notice; on a first visit the scorer starts in mount(), once the notice is on screen.
  if (enabled && h.prefs.noticed) start(false);
  else show();

  /** The notice is on screen for the first time: what was said before it is never scored. */
  function firstNotice() {
    h.prefs.noticed = true;
    h.savePrefs();
    queue(async () => {
      const conv = await h.conversation();
      if (!conv) return;
      const rc = await record(conv);
      const before = conv.transcript();
      rc.since = rc.upTo = before.length ? keyOf(before[before.length - 1]!) : rc.upTo;
      const pending = conv.state.outbox.value.map((o) => o.id);
      if (pending.length) rc.unscored = [...(rc.unscored ?? []), ...pending];
      save();
    });
    if (enabled) start(false);
  }

  return {
    mount() {
      const slot = h.shell.root.querySelector('.privacy');
      if (!slot) return;
      if (ui.el.parentNode !== slot) slot.replaceChildren(ui.el);
      render();
      if (!h.prefs.noticed && !stopped) firstNotice();
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
