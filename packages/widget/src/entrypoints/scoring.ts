// npm entry of the scoring chunk: createScorer comes from @temper/scorer through the app's bundler. Its asset
// defaults would point into the app's bundle, so npm hosts pass `scorer: { baseUrl }` (or the three URLs).
import { createScoringModule } from '../scoring/scoring.js';

export const { createScoring } = createScoringModule(() => import('@temper/scorer'));
