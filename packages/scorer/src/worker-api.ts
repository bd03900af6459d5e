/**
 * The API the scorer worker exposes over comlink, as a plain factory so it can be tested in Node and run on
 * the main thread too. Everything crossing the boundary is structured-clone data; failures cross as plain
 * `{ code, reason, message }` objects (comlink clones thrown non-Error values as they are), never as Error
 * instances whose fields would be dropped.
 */
import type { ClientErrorCode, ScorerFailure } from '@temper/protocol';
import { createScorerCore, type ScoreResult, type ScorerCore } from './core.js';
import type { ReplayEvent } from './replay.js';
import type { DynamicsOverrides } from './dynamics.js';
import type { OrtLike } from './model.js';

/** A failure as it crosses the worker boundary. */
export interface ScorerErrorData {
  readonly code: Extract<ClientErrorCode, 'scorer-unavailable'>;
  readonly reason: ScorerFailure;
  readonly message: string;
}

/** The init message: everything the worker needs, resolved to absolute URLs by the main thread. */
export interface WorkerInit {
  /** The model file, moved (transferred) into the worker. */
  readonly modelBytes: Uint8Array;
  /** Absolute URL of `ort-wasm-simd-threaded.wasm`. */
  readonly wasmUrl?: string;
  readonly dynamics?: DynamicsOverrides;
  /** ε of randomized response on the level (the worker draws from its own `crypto`). */
  readonly ldpEpsilon?: number;
  readonly startSeq?: number;
}

/** What `init` answers. */
export interface WorkerReady {
  readonly modelName: string;
  readonly nextSeq: number;
}

/** The worker's API (also usable in-thread). */
export interface ScorerWorkerApi {
  /** Answers as soon as the worker script runs: proves the worker started before any wasm is fetched. */
  ping(): string;
  init(init: WorkerInit): Promise<WorkerReady>;
  scoreVisitorMessage(text: string, at: number): Promise<ScoreResult>;
  noteReply(reply: { understood: boolean; at: number }): Promise<ScoreResult>;
  tick(at: number): Promise<ScoreResult>;
  replay(events: readonly ReplayEvent[]): Promise<ScoreResult>;
  reset(startSeq?: number): Promise<number>;
  nextSeq(): number;
  dispose(): Promise<void>;
}

/** The part of the onnxruntime-web module the worker configures. */
export interface OrtWithEnv extends OrtLike {
  readonly env: { readonly wasm: { numThreads?: number; wasmPaths?: unknown; proxy?: boolean } };
}

/** What `ping` answers. */
export const WORKER_PING = 'temper-scorer';

function scorerError(reason: ScorerFailure, message: string): ScorerErrorData {
  return { code: 'scorer-unavailable', reason, message };
}

// onnxruntime-web reports a wasm that failed to fetch, compile or instantiate while creating the first session,
// as "no available backend found. ERR: [wasm] …"; a model it cannot parse fails later, in createSession.
const WASM_FAILURE = /no available backend|WebAssembly|wasm|magic word|both async and sync fetching/i;

/**
 * Creates the worker API around an injected onnxruntime-web module.
 *
 * @example
 * ```ts
 * import * as ort from 'onnxruntime-web/wasm';
 * import { expose } from 'comlink';
 * expose(createScorerWorkerApi(ort));
 * ```
 */
export function createScorerWorkerApi(ort: OrtWithEnv): ScorerWorkerApi {
  let core: ScorerCore | null = null;
  let starting: Promise<WorkerReady> | null = null;

  const ready = (): ScorerCore => {
    if (!core) throw scorerError('crashed', 'scorer: not initialised');
    return core;
  };

  return {
    ping: () => WORKER_PING,
    init(init) {
      if (starting) return starting;
      starting = (async () => {
        if (!init || !(init.modelBytes instanceof Uint8Array)) throw scorerError('model-failed', 'init: modelBytes must be a Uint8Array');
        // Host pages are not cross-origin isolated, so no SharedArrayBuffer: one thread, no proxy worker.
        ort.env.wasm.numThreads = 1;
        ort.env.wasm.proxy = false;
        if (init.wasmUrl) ort.env.wasm.wasmPaths = { wasm: init.wasmUrl };
        try {
          core = await createScorerCore({
            ort,
            modelBytes: init.modelBytes,
            dynamics: init.dynamics,
            ldp: init.ldpEpsilon === undefined ? undefined : { epsilon: init.ldpEpsilon },
            startSeq: init.startSeq,
          });
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e);
          if (e instanceof TypeError || e instanceof RangeError) throw scorerError('model-failed', message);
          throw scorerError(WASM_FAILURE.test(message) && !/^model/.test(message) ? 'wasm-failed' : 'model-failed', message);
        }
        return { modelName: core.modelName, nextSeq: core.nextSeq };
      })();
      // A failed start may be retried with another init (e.g. a corrected URL).
      starting.catch(() => (starting = null));
      return starting;
    },
    scoreVisitorMessage: async (text, at) => ready().scoreVisitorMessage(text, at),
    noteReply: async (reply) => ready().noteReply(reply),
    tick: async (at) => ready().tick(at),
    replay: async (events) => ready().replay(events),
    async reset(startSeq) {
      const c = ready();
      await c.reset(startSeq);
      return c.nextSeq;
    },
    nextSeq: () => ready().nextSeq,
    async dispose() {
      const c = core;
      core = null;
      starting = null;
      await c?.dispose();
    },
  };
}
