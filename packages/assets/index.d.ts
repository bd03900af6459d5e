/**
 * The content-hashed file names of the three assets, as in `dist/assets.json`.
 *
 * @example
 * ```ts
 * import { files } from '@temper/assets';
 * createScorer({ baseUrl: '/static/temper/' }); // finds files.worker, files.wasm and files.model there
 * console.log(files.model); // 'temper-frustration-v2.<hash>.onnx'
 * ```
 */
export declare const files: { readonly worker: string; readonly wasm: string; readonly model: string };
/**
 * URL of the scorer's worker script (`new URL(…, import.meta.url)`: a bundler emits the file and rewrites the URL).
 * The worker must be served from the page's origin.
 *
 * @example
 * ```ts
 * import { workerUrl } from '@temper/assets';
 * createScorer({ workerUrl });
 * ```
 */
export declare const workerUrl: string;
/**
 * URL of onnxruntime-web's single-threaded SIMD wasm (serve it as `application/wasm`).
 *
 * @example
 * ```ts
 * import { wasmUrl } from '@temper/assets';
 * createScorer({ wasmPaths: { wasm: wasmUrl } });
 * ```
 */
export declare const wasmUrl: string;
/**
 * URL of the frustration model (ONNX, with its featurizer config and calibration in the file's metadata).
 *
 * @example
 * ```ts
 * import { modelUrl } from '@temper/assets';
 * createScorer({ modelUrl });
 * ```
 */
export declare const modelUrl: string;
