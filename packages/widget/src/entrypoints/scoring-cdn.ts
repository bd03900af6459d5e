// temper-scoring.js: the privacy bar and the scoring glue, loaded by temper.js when the chat is first opened.
// temper-scorer.js (createScorer) sits next to it and is loaded only while scoring is on; its own defaults
// find the worker, the wasm and the model next to it.
import { createScoringModule } from '../scoring/scoring.js';
import type { ScorerModule } from '../scoring/scoring.js';

export const { createScoring } = createScoringModule(
  () => import(new URL('temper-scorer.js', import.meta.url).href) as Promise<ScorerModule>,
);
