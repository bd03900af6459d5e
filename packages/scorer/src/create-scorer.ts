/**
 * `createScorer` on the main thread: fetches the model, starts the scorer worker (a real file, no `blob:`),
 * moves the model bytes into it and wraps it with comlink. When anything on that path fails (no Worker or
 * WebAssembly, a worker blocked by CSP or missing, a wasm or model that does not load, a worker that dies later),
 * the scorer turns `degraded`: it reports why and from then on answers `null`. It never makes up a level.
 */
import { releaseProxy, transfer, wrap, type Remote } from 'comlink';
import type { ScorerFailure } from '@temper/protocol';
import type { ScoreResult } from './core.js';
import { replayEventsProblem, type ReplayEvent } from './replay.js';
import { resolveDynamicsConfig, type DynamicsOverrides } from './dynamics.js';
import { WORKER_PING, type ScorerErrorData, type ScorerWorkerApi } from './worker-api.js';
import { files, modelUrl as assetModelUrl, wasmUrl as assetWasmUrl, workerUrl as assetWorkerUrl } from '@temper/assets';

/**
 * File names of the defaults (content-hashed, from `@temper/assets`), resolved against `baseUrl` when it is given.
 *
 * @example
 * ```ts
 * createScorer({ workerUrl: `/static/${DEFAULT_FILES.worker}` });
 * ```
 */
export const DEFAULT_FILES: { readonly worker: string; readonly wasm: string; readonly model: string } = files;

/** Options of `createScorer`. Relative URLs resolve against the page (`document.baseURI`). */
export interface CreateScorerOptions {
  /** The model file. Default: the model of `@temper/assets` (`modelUrl`), or `DEFAULT_FILES.model` in `baseUrl`. */
  readonly modelUrl?: string | URL;
  /**
   * Where onnxruntime's wasm is: a directory (ending in `/`, as onnxruntime's own `wasmPaths`) or
   * `{ wasm: url }` for the file itself. Default: `@temper/assets`' `wasmUrl`, or `DEFAULT_FILES.wasm` in `baseUrl`.
   */
  readonly wasmPaths?: string | URL | { readonly wasm: string | URL };
  /** The worker script; must be same-origin with the page (browsers refuse cross-origin workers). Default: `@temper/assets`' `workerUrl`, or `DEFAULT_FILES.worker` in `baseUrl`. */
  readonly workerUrl?: string | URL;
  /**
   * Folder that holds the three files of `@temper/assets` (`DEFAULT_FILES`), when a host copied them there. Default: where
   * `@temper/assets` is (its `new URL(…, import.meta.url)` URLs; an app's bundler emits them; on the CDN, next to
   * this script).
   */
  readonly baseUrl?: string | URL;
  /** Overrides of the conversation dynamics (merged over the defaults and the model's own settings). */
  readonly dynamics?: DynamicsOverrides;
  /** Randomized response on the reported level with this ε (off by default). */
  readonly ldp?: { readonly epsilon: number };
  /** `seq` of the first signal: the persisted `nextSeq` of a resumed conversation. Default 1. */
  readonly startSeq?: number;
  /** How long the worker, wasm and model may take to start before the scorer gives up (degraded). Default 60 000. */
  readonly startTimeoutMs?: number;
  /** Called once if the scorer becomes degraded, at start or later (the worker died). */
  readonly onError?: (error: ScorerErrorData) => void;
}

/** Lifecycle of a scorer. Only `ready` ever produces levels. */
export type ScorerState = 'ready' | 'degraded' | 'disposed';

/** The main-thread scorer. Every method resolves `null` unless the scorer is `ready`. */
export interface Scorer {
  readonly state: ScorerState;
  /** Why the scorer is degraded (`code` is always `scorer-unavailable`), or null. */
  readonly error: ScorerErrorData | null;
  /** Name of the loaded model, or null when not ready. */
  readonly modelName: string | null;
  /** The `seq` the next signal will carry; persist it with the conversation. */
  readonly nextSeq: number;
  /** Scores a message the visitor sent (`at`: ms since the epoch, default now). */
  scoreVisitorMessage(text: string, at?: number): Promise<ScoreResult | null>;
  /** A bot/agent reply arrived; `understood` is the server's flag on bot replies (agents: true). */
  noteReply(reply: { readonly understood: boolean; readonly at?: number }): Promise<ScoreResult | null>;
  /** Time passes while the visitor waits (call every ~15 s while a message is unanswered, or never). */
  tick(at?: number): Promise<ScoreResult | null>;
  /**
   * After a reload or navigation: rebuilds the conversation's state from its stored transcript without sending
   * anything (the server has the last signal already). Call once after creation; resolves to the state (no signal).
   */
  replay(events: readonly ReplayEvent[]): Promise<ScoreResult | null>;
  /** A new conversation: level back to 0, `seq` restarts at `startSeq` (default 1). */
  reset(startSeq?: number): Promise<void>;
  /** Terminates the worker. */
  dispose(): void;
}

const toUrl = (u: string | URL, base: string): string => new URL(String(u), base).href;

function pageBase(): string {
  const d = (globalThis as { document?: { baseURI?: string } }).document;
  const l = (globalThis as { location?: { href?: string } }).location;
  return d?.baseURI ?? l?.href ?? import.meta.url;
}

function failure(reason: ScorerFailure, message: string): ScorerErrorData {
  return { code: 'scorer-unavailable', reason, message };
}

function isScorerError(e: unknown): e is ScorerErrorData {
  return typeof e === 'object' && e !== null && (e as ScorerErrorData).code === 'scorer-unavailable' && typeof (e as ScorerErrorData).reason === 'string';
}

function checkOptions(o: CreateScorerOptions): void {
  if (typeof o !== 'object' || o === null) throw new TypeError('createScorer: options must be an object');
  if (o.dynamics !== undefined) resolveDynamicsConfig(o.dynamics);
  if (o.ldp !== undefined && !(typeof o.ldp?.epsilon === 'number' && o.ldp.epsilon > 0 && Number.isFinite(o.ldp.epsilon))) {
    throw new RangeError('createScorer: ldp.epsilon must be a finite number > 0');
  }
  if (o.startSeq !== undefined && !(Number.isInteger(o.startSeq) && o.startSeq >= 1 && o.startSeq <= 2_147_483_647)) {
    throw new RangeError('createScorer: startSeq must be an integer ≥ 1');
  }
  if (o.startTimeoutMs !== undefined && !(o.startTimeoutMs > 0)) throw new RangeError('createScorer: startTimeoutMs must be > 0');
  if (o.onError !== undefined && typeof o.onError !== 'function') throw new TypeError('createScorer: onError must be a function');
}

/**
 * Resolves the three asset URLs as `createScorer` will use them (absolute).
 *
 * @example
 * ```ts
 * resolveScorerUrls({ baseUrl: 'https://shop.example/temper/' }).workerUrl;
 * // 'https://shop.example/temper/temper-scorer-worker.<hash>.js'
 * ```
 */
export function resolveScorerUrls(options: Pick<CreateScorerOptions, 'modelUrl' | 'wasmPaths' | 'workerUrl' | 'baseUrl'> = {}): {
  modelUrl: string;
  wasmUrl: string;
  workerUrl: string;
} {
  const page = pageBase();
  const base = options.baseUrl !== undefined ? toUrl(options.baseUrl, page) : null;
  const asset = (file: string, own: string) => (base === null ? own : toUrl(file, base));
  const w = options.wasmPaths;
  let wasmUrl: string;
  if (w === undefined) wasmUrl = asset(DEFAULT_FILES.wasm, assetWasmUrl);
  else if (typeof w === 'string' || w instanceof URL) wasmUrl = toUrl(DEFAULT_FILES.wasm, toUrl(w, page));
  else wasmUrl = toUrl(w.wasm, page);
  return {
    modelUrl: options.modelUrl !== undefined ? toUrl(options.modelUrl, page) : asset(DEFAULT_FILES.model, assetModelUrl),
    wasmUrl,
    workerUrl: options.workerUrl !== undefined ? toUrl(options.workerUrl, page) : asset(DEFAULT_FILES.worker, assetWorkerUrl),
  };
}

/**
 * Starts the on-device scorer. Resolves once the worker runs the model (`state: 'ready'`) or once it is clear it
 * cannot (`state: 'degraded'`, with `error`); it rejects only for invalid options.
 *
 * @example
 * ```ts
 * const scorer = await createScorer({ baseUrl: '/temper/' });
 * if (scorer.state === 'degraded') console.warn(scorer.error);
 * const r = await scorer.scoreVisitorMessage('This is the third time I ask!!');
 * if (r?.signal) await fetch('/temper/v1/signals', { method: 'POST', body: JSON.stringify(r.signal), headers });
 * ```
 */
export async function createScorer(options: CreateScorerOptions = {}): Promise<Scorer> {
  checkOptions(options);
  const { modelUrl, wasmUrl, workerUrl } = resolveScorerUrls(options);
  const timeoutMs = options.startTimeoutMs ?? 60_000;

  let state: ScorerState = 'ready';
  let error: ScorerErrorData | null = null;
  let modelName: string | null = null;
  let nextSeq = options.startSeq ?? 1;
  let worker: Worker | null = null;
  let remote: Remote<ScorerWorkerApi> | null = null;
  // Resolves when the scorer stops being usable; every pending call races it so none hangs on a dead worker.
  let markDead!: () => void;
  const dead = new Promise<null>((resolve) => (markDead = () => resolve(null)));
  let onWorkerError: ((reason: ScorerFailure, message: string) => void) | null = null;

  function stop(): void {
    markDead();
    if (remote) remote[releaseProxy]();
    remote = null;
    worker?.terminate();
    worker = null;
  }
  function degrade(e: ScorerErrorData): void {
    if (state !== 'ready') return;
    state = 'degraded';
    error = e;
    modelName = null;
    stop();
    try {
      options.onError?.(e);
    } catch {
      // A throwing host callback must not keep the scorer half-alive.
    }
  }

  const scorer: Scorer = {
    get state() {
      return state;
    },
    get error() {
      return error;
    },
    get modelName() {
      return modelName;
    },
    get nextSeq() {
      return nextSeq;
    },
    scoreVisitorMessage(text, at = Date.now()) {
      if (typeof text !== 'string') return Promise.reject(new TypeError('scoreVisitorMessage: text must be a string'));
      if (typeof at !== 'number' || !Number.isFinite(at)) return Promise.reject(new TypeError('scoreVisitorMessage: at must be a time in ms'));
      return call((r) => r.scoreVisitorMessage(text, at));
    },
    noteReply(reply) {
      const at = reply?.at ?? Date.now();
      if (typeof reply?.understood !== 'boolean') return Promise.reject(new TypeError('noteReply: understood must be a boolean'));
      if (typeof at !== 'number' || !Number.isFinite(at)) return Promise.reject(new TypeError('noteReply: at must be a time in ms'));
      return call((r) => r.noteReply({ understood: reply.understood, at }));
    },
    tick(at = Date.now()) {
      if (typeof at !== 'number' || !Number.isFinite(at)) return Promise.reject(new TypeError('tick: at must be a time in ms'));
      return call((r) => r.tick(at));
    },
    replay(events) {
      const problem = replayEventsProblem(events);
      if (problem) return Promise.reject(new TypeError(problem));
      return call((r) => r.replay(events));
    },
    async reset(startSeq) {
      if (startSeq !== undefined && !(Number.isInteger(startSeq) && startSeq >= 1)) throw new RangeError('reset: startSeq must be an integer ≥ 1');
      const r = remote;
      if (state !== 'ready' || !r) {
        nextSeq = startSeq ?? 1;
        return;
      }
      try {
        const seq = await Promise.race([r.reset(startSeq), dead]);
        if (seq !== null) nextSeq = seq;
      } catch (e) {
        degrade(isScorerError(e) ? e : failure('crashed', messageOf(e)));
      }
    },
    dispose() {
      if (state === 'disposed') return;
      const r = remote;
      state = 'disposed';
      // Let the worker free its session if it can; terminate() follows at once either way.
      void r?.dispose().catch(() => undefined);
      stop();
    },
  };

  async function call(fn: (r: Remote<ScorerWorkerApi>) => Promise<ScoreResult>): Promise<ScoreResult | null> {
    const r = remote;
    if (state !== 'ready' || !r) return null;
    try {
      const result = await Promise.race([fn(r), dead]);
      if (result === null || state !== 'ready') return null;
      if (result.signal) nextSeq = result.signal.seq + 1;
      return result;
    } catch (e) {
      degrade(isScorerError(e) ? e : failure('crashed', messageOf(e)));
      return null;
    }
  }

  try {
    const g = globalThis as { Worker?: unknown; WebAssembly?: unknown };
    if (typeof g.Worker !== 'function' || typeof g.WebAssembly !== 'object') {
      throw failure('unsupported', 'this browser has no Web Worker or WebAssembly');
    }
    // Started first so the model downloads while the worker boots.
    const modelBytes = fetchModel(modelUrl);
    modelBytes.catch(() => undefined);
    // Issue 15, finding 1: a Worker's script request carries the page's URL (query string included) as Referer, and
    // browsers offer no referrer option for workers. So the script is fetched first without one; served with a long
    // `Cache-Control` (as @temper/assets' hashed files must be), the browser then starts the worker from that cached
    // copy and no Referer leaves the device. A failure here changes nothing: the Worker reports it as before.
    await fetch(workerUrl, { referrerPolicy: 'no-referrer', credentials: 'same-origin' })
      .then((r) => r.blob())
      .catch(() => undefined);
    try {
      worker = new Worker(workerUrl, { name: 'temper-scorer' });
    } catch (e) {
      // Chromium throws SecurityError here for a cross-origin worker URL.
      throw failure('worker-failed', `could not start the worker at ${workerUrl}: ${messageOf(e)}`);
    }
    const workerError = new Promise<never>((_, reject) => {
      onWorkerError = (reason, message) => reject(failure(reason, message));
    });
    workerError.catch(() => undefined);
    let started = false;
    worker.addEventListener('error', (ev) => {
      // A 404 or a CSP block gives a bare Event; a script error an ErrorEvent with a message.
      const detail = (ev as ErrorEvent).message || `the worker at ${workerUrl} failed to load`;
      if (!started) onWorkerError?.('worker-failed', detail);
      else if (state === 'ready' && remote) degrade(failure('crashed', detail));
      else onWorkerError?.('crashed', detail);
      ev.preventDefault?.();
    });
    remote = wrap<ScorerWorkerApi>(worker);
    const pong = await withTimeout(
      Promise.race([remote.ping(), workerError]),
      timeoutMs,
      failure('worker-failed', `the worker at ${workerUrl} did not start within ${timeoutMs} ms`),
    );
    if (pong !== WORKER_PING) throw failure('worker-failed', `${workerUrl} is not the Temper scorer worker`);
    started = true;
    const bytes = await modelBytes;
    const init = {
      modelBytes: bytes,
      wasmUrl,
      dynamics: options.dynamics,
      ldpEpsilon: options.ldp?.epsilon,
      startSeq: options.startSeq,
    };
    const ready = await withTimeout(
      Promise.race([remote.init(transfer(init, [bytes.buffer as ArrayBuffer])), workerError]),
      timeoutMs,
      failure('wasm-failed', `onnxruntime and the model did not start within ${timeoutMs} ms`),
    );
    modelName = ready.modelName;
    nextSeq = ready.nextSeq;
    onWorkerError = null;
  } catch (e) {
    degrade(isScorerError(e) ? e : failure('crashed', messageOf(e)));
  }
  return scorer;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : typeof e === 'object' && e !== null && 'message' in e ? String((e as { message: unknown }).message) : String(e);
}

/** Settles like `p`, or rejects with `e` after `ms`; the timer is cleared either way. */
function withTimeout<T>(p: Promise<T>, ms: number, e: ScorerErrorData): Promise<T> {
  let t: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => (t = setTimeout(() => reject(e), ms)));
  return Promise.race([p, limit]).finally(() => clearTimeout(t));
}

async function fetchModel(url: string): Promise<Uint8Array> {
  let res: Response;
  try {
    // No Referer: the page's URL (its path and query) is none of the file server's business (issue 15, finding 1).
    res = await fetch(url, { credentials: 'same-origin', referrerPolicy: 'no-referrer' });
  } catch (e) {
    throw failure('model-failed', `could not fetch the model at ${url}: ${messageOf(e)}`);
  }
  if (!res.ok) throw failure('model-failed', `the model at ${url} answered HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}
