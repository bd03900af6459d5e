// The scoring chunk's entry: createScorer comes from @temper/scorer's create-scorer entry alone (the featurizer and
// dynamics its index also exports run in the worker, not here). On npm the app's bundler resolves it, and the
// defaults of the worker, wasm and model are @temper/assets' URLs, which the bundler emits; the CDN build
// resolves the same import to its own temper-scorer.<hash>.js (rollup.config.mjs).
import { createScoringModule } from '../scoring/scoring.js';

export const { createScoring } = createScoringModule(() => import('@temper/scorer/create-scorer'));
