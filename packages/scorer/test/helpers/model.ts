// The shipped model and onnxruntime-web for Node tests. TEMPER_MODEL may point at another model file (used
// while a new model is being trained); by default the tests run the committed one.
import { readFileSync } from 'node:fs';
import * as ortWeb from 'onnxruntime-web';
import type { OrtLike } from '../../src/model.ts';

ortWeb.env.wasm.numThreads = 1;
/** onnxruntime-web in Node: the same wasm as the browser build. */
export const ort = ortWeb as unknown as OrtLike;

/** Path of the model under test. */
export const MODEL_PATH = process.env.TEMPER_MODEL ?? new URL('../../../../models/temper-frustration-v2.onnx', import.meta.url).pathname;

let cached: Uint8Array | null = null;
/** A fresh copy of the model bytes (the core may transfer or keep them). */
export function modelBytes(): Uint8Array {
  cached ??= new Uint8Array(readFileSync(MODEL_PATH));
  return cached.slice();
}
