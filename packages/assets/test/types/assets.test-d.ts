// Type tests of @temper/assets (npm run test:types).
import { files, modelUrl, wasmUrl, workerUrl } from '@temper/assets';

const urls: string[] = [workerUrl, wasmUrl, modelUrl, files.worker, files.wasm, files.model];
void urls;
// @ts-expect-error the URLs are constants
workerUrl = '/other.js';
// @ts-expect-error only worker, wasm and model exist
void files.runtime;
// @ts-expect-error the file names are read-only
files.model = 'x.onnx';
