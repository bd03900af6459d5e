// Type tests of @temper/scorer's public API (npm run test:types).
import { createScorer, resolveScorerUrls, DEFAULT_FILES, type Scorer, type ScorerState } from '@temper/scorer';

async function use(): Promise<void> {
  const scorer: Scorer = await createScorer({ baseUrl: '/temper/', startTimeoutMs: 30_000, ldp: { epsilon: 2 } });
  const state: ScorerState = scorer.state;
  void state;
  const r = await scorer.scoreVisitorMessage('where is my order?');
  if (r) void r;
  // @ts-expect-error the scorer is read-only from outside
  scorer.state = 'ready';
  // @ts-expect-error a text, not a list of texts
  await scorer.scoreVisitorMessage(['a', 'b']);
  // @ts-expect-error ldp needs an epsilon
  await createScorer({ ldp: {} });
  // @ts-expect-error unknown option (a typo of workerUrl)
  await createScorer({ workerURL: '/w.js' });
}
void use;

const urls: { modelUrl: string; wasmUrl: string; workerUrl: string } = resolveScorerUrls({ wasmPaths: { wasm: '/ort.wasm' } });
void urls;
// @ts-expect-error DEFAULT_FILES is frozen data
DEFAULT_FILES.worker = 'x.js';
