/**
 * The thread-agnostic scorer: model + conversation dynamics + minimizer behind one small API. It runs the same
 * in a worker (worker.ts), on the main thread and in Node. The per-message probability stays in here: what
 * comes out is the level, the trend, the forecast and, when something changed, the wire signal.
 */
import type { Level, Signal, Trend } from '@temper/protocol';
import { createDynamics, resolveDynamicsConfig, type DynamicsConfig, type DynamicsOutput, type DynamicsOverrides } from './dynamics.js';
import { createMinimizer, type LdpOptions } from './minimizer.js';
import { loadFrustrationModel, type OrtLike } from './model.js';
import { replayEventsProblem, type ReplayEvent } from './replay.js';

/**
 * Metadata key a model file may carry to tune the dynamics it was calibrated with (JSON `DynamicsOverrides`).
 *
 * @example
 * ```ts
 * metadata[DYNAMICS_METADATA_KEY] = JSON.stringify({ probability: { floor: 0.35 } }); // in the exporter
 * ```
 */
export const DYNAMICS_METADATA_KEY = 'temper.dynamics';

const WARM_UP = ['Hello, where is my order?', '你好，我的订单在哪里？', 'STILL NOT WORKING!!! This is the third time I ask???'];

/** The early warning: will the level reach 2 (frustrated) within the next few visitor turns? */
export interface Forecast {
  readonly willReachLevel2Soon: boolean;
  /** The horizon, in visitor turns. */
  readonly withinTurns: number;
}

/**
 * What the scorer tells its caller after an event. Deliberately coarse: no probability, no score, no cues, so
 * nothing finer than the level can be forwarded by mistake.
 */
export interface ScoreResult {
  readonly level: Level;
  readonly trend: Trend;
  readonly forecast: Forecast;
  /** Present only when the level or trend changed: POST it as is to `/signals`. */
  readonly signal?: Signal;
}

/** Options of `createScorerCore`. */
export interface ScorerCoreOptions {
  /** The onnxruntime-web module (`onnxruntime-web/wasm` in browsers, `onnxruntime-web` in Node). */
  readonly ort: OrtLike;
  /** The model file's bytes. */
  readonly modelBytes: Uint8Array;
  /** Overrides of the dynamics config, applied over the defaults and the model's own `temper.dynamics`. */
  readonly dynamics?: DynamicsOverrides;
  /** Local differential privacy of the reported level (off by default). */
  readonly ldp?: LdpOptions;
  /** `seq` of the first signal (the persisted `nextSeq` of a resumed conversation). Default 1. */
  readonly startSeq?: number;
}

/** A ready scorer for one conversation at a time. */
export interface ScorerCore {
  /** Name of the loaded model (from its metadata). */
  readonly modelName: string;
  /** The dynamics config in force (defaults ← model metadata ← options). */
  readonly dynamicsConfig: DynamicsConfig;
  /** Scores a message the visitor sent at `at` (ms since the epoch) and advances the conversation. */
  scoreVisitorMessage(text: string, at: number): Promise<ScoreResult>;
  /** A bot or agent reply arrived at `at`; `understood: false` when the server says the bot did not understand. */
  noteReply(reply: { readonly understood: boolean; readonly at: number }): Promise<ScoreResult>;
  /** Time passes (e.g. every 15 s while the visitor waits): a long unanswered wait counts. */
  tick(at: number): Promise<ScoreResult>;
  /**
   * Rebuilds the state of a conversation from its stored transcript (after a reload or a navigation) without
   * sending anything: the server already has the signal for where the conversation ended. Resolves to that
   * state, never with a `signal`. Call it once, right after creation, with the events in order.
   */
  replay(events: readonly ReplayEvent[]): Promise<ScoreResult>;
  /** The `seq` the next signal will carry; persist it with the conversation. */
  readonly nextSeq: number;
  /** A new conversation (after the events already queued): level back to 0; `seq` restarts at `startSeq` (default 1). */
  reset(startSeq?: number): Promise<void>;
  /** Frees the model session; later calls throw. */
  dispose(): Promise<void>;
}

function metadataDynamics(raw: Readonly<Record<string, string>>): Record<string, unknown> | undefined {
  const v = raw[DYNAMICS_METADATA_KEY];
  if (v === undefined) return undefined;
  try {
    return JSON.parse(v) as Record<string, unknown>;
  } catch {
    throw new Error(`model metadata: ${DYNAMICS_METADATA_KEY} is not JSON`);
  }
}

/**
 * Loads the model and returns a scorer core.
 *
 * @example
 * ```ts
 * import * as ort from 'onnxruntime-web/wasm';
 * ort.env.wasm.numThreads = 1;
 * const core = await createScorerCore({ ort, modelBytes });
 * const { level, trend, signal } = await core.scoreVisitorMessage('Still not working!!', Date.now());
 * if (signal) await post('/temper/v1/signals', signal);
 * ```
 */
export async function createScorerCore(options: ScorerCoreOptions): Promise<ScorerCore> {
  const { ort, modelBytes } = options;
  if (!(modelBytes instanceof Uint8Array)) throw new TypeError('createScorerCore: modelBytes must be a Uint8Array');
  const model = await loadFrustrationModel(modelBytes, ort);
  // onnxruntime allocates and the engine compiles on the first runs: pay that while loading, not on the
  // visitor's first message (measured in Chromium: first call ≈ 50 ms, later ones < 1 ms).
  for (const text of WARM_UP) await model.scoreText(text);
  let dynamicsConfig: DynamicsConfig;
  try {
    dynamicsConfig = resolveDynamicsConfig(metadataDynamics(model.meta.raw), options.dynamics);
  } catch (e) {
    await model.release();
    throw e;
  }
  const dynamics = createDynamics(dynamicsConfig);
  const minimizer = createMinimizer({ startSeq: options.startSeq, ldp: options.ldp });
  let disposed = false;
  // Events apply in call order even when the caller does not await each one: a reply noted while the message
  // before it is still being scored must land after that message.
  let queue: Promise<unknown> = Promise.resolve();
  function enqueue<T>(fn: () => Promise<T> | T): Promise<T> {
    const run = queue.then(() => {
      alive();
      return fn();
    });
    queue = run.catch(() => undefined);
    return run;
  }

  const gone = () => Promise.reject(new Error('scorer: disposed'));
  const alive = () => {
    if (disposed) throw new Error('scorer: disposed');
  };
  const result = (o: DynamicsOutput): ScoreResult => {
    const signal = minimizer.update(o.level, o.trend);
    const forecast = { willReachLevel2Soon: o.willReachLevel2Soon, withinTurns: dynamicsConfig.forecast.horizonTurns };
    return signal ? { level: o.level, trend: o.trend, forecast, signal } : { level: o.level, trend: o.trend, forecast };
  };

  return {
    modelName: model.meta.name,
    dynamicsConfig,
    scoreVisitorMessage(text, at) {
      if (disposed) return gone();
      if (typeof text !== 'string') return Promise.reject(new TypeError('scoreVisitorMessage: text must be a string'));
      if (typeof at !== 'number' || !Number.isFinite(at)) return Promise.reject(new TypeError('scoreVisitorMessage: at must be a time in ms'));
      return enqueue(async () => result(dynamics.visitor(text, await model.scoreText(text), at)));
    },
    noteReply(reply) {
      if (disposed) return gone();
      if (typeof reply?.understood !== 'boolean') return Promise.reject(new TypeError('noteReply: understood must be a boolean'));
      if (typeof reply.at !== 'number' || !Number.isFinite(reply.at)) return Promise.reject(new TypeError('noteReply: at must be a time in ms'));
      return enqueue(() => result(dynamics.reply(reply.understood, reply.at)));
    },
    tick(at) {
      if (disposed) return gone();
      if (typeof at !== 'number' || !Number.isFinite(at)) return Promise.reject(new TypeError('tick: at must be a time in ms'));
      return enqueue(() => result(dynamics.tick(at)));
    },
    replay(events) {
      if (disposed) return gone();
      const problem = replayEventsProblem(events);
      if (problem) return Promise.reject(new TypeError(problem));
      return enqueue(async () => {
        const texts = events.flatMap((e) => (e.from === 'visitor' ? [e.text] : []));
        const ps = await model.scoreTexts(texts);
        let k = 0;
        let o = dynamics.output();
        for (const e of events) {
          o = e.from === 'visitor' ? dynamics.visitor(e.text, ps[k++] as number, e.at) : dynamics.reply(e.understood ?? true, e.at);
        }
        minimizer.assume(o.level, o.trend);
        return { level: o.level, trend: o.trend, forecast: { willReachLevel2Soon: o.willReachLevel2Soon, withinTurns: dynamicsConfig.forecast.horizonTurns } };
      });
    },
    get nextSeq() {
      return minimizer.nextSeq;
    },
    reset(startSeq) {
      if (disposed) return gone();
      return enqueue(() => {
        minimizer.reset(startSeq);
        dynamics.reset();
      });
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await model.release();
    },
  };
}
