/**
 * The scorer worker: only exposes the worker API with comlink. onnxruntime-web comes from its wasm-only entry
 * (no WebGPU/WebGL/jsep code, no `new Function`), single-threaded because host pages are not cross-origin
 * isolated; the wasm URL arrives with the init message.
 */
import { expose } from 'comlink';
import * as ort from 'onnxruntime-web/wasm';
import { createScorerWorkerApi, type OrtWithEnv } from './worker-api.js';

ort.env.wasm.numThreads = 1;
expose(createScorerWorkerApi(ort as unknown as OrtWithEnv));
