// onnxruntime-web in Node, as the parity and speed checks use it (same wasm as the browser build).
import * as ort from 'onnxruntime-web';
import { loadFrustrationModel, type OrtLike } from '../../packages/scorer/src/model.ts';
import { median } from './metrics.ts';

ort.env.wasm.numThreads = 1;
export const nodeOrt = ort as unknown as OrtLike;

/** Max |p_onnx − p_expected| over the texts. */
export async function onnxParity(bytes: Uint8Array, texts: string[], expected: ArrayLike<number>): Promise<number> {
  const m = await loadFrustrationModel(bytes, nodeOrt);
  const got = await m.scoreTexts(texts);
  let max = 0;
  for (let i = 0; i < texts.length; i++) max = Math.max(max, Math.abs((got[i] as number) - (expected[i] as number)));
  await m.release();
  return max;
}

/** Per-message latency (featurize + one session.run), one message at a time as the chat sends them. */
export async function timeScoring(bytes: Uint8Array, texts: string[]): Promise<{ median: number; p95: number } | null> {
  // A tiny training set (`--sources none --extra feedback.jsonl`) can leave no dev texts to time.
  if (texts.length === 0) return null;
  const m = await loadFrustrationModel(bytes, nodeOrt);
  for (const t of texts.slice(0, 50)) await m.scoreText(t);
  const times: number[] = [];
  for (const t of texts) {
    const s = performance.now();
    await m.scoreText(t);
    times.push(performance.now() - s);
  }
  await m.release();
  const sorted = [...times].sort((x, y) => x - y);
  return { median: median(times), p95: sorted[Math.floor(sorted.length * 0.95)] as number };
}
