export {
  DEFAULT_FEATURIZER_CONFIG,
  featureStrings,
  featurize,
  hashString,
  parseFeaturizerConfig,
  truncateText,
  zhShare,
  type Features,
  type FeaturizerConfig,
  type Lexicon,
  type ZhLexicon,
} from './featurize.js';
export {
  loadFrustrationModel,
  parseModelMeta,
  type Calibration,
  type FrustrationModel,
  type ModelMeta,
  type Thresholds,
  type OrtLike,
  type OrtSessionLike,
  type OrtTensorLike,
} from './model.js';
export { readOnnxMetadata } from './onnx-metadata.js';
export {
  DEFAULT_DYNAMICS_CONFIG,
  asksForHuman,
  createDynamics,
  hasEmphaticPunctuation,
  isShouting,
  resolveDynamicsConfig,
  textSimilarity,
  type Dynamics,
  type DynamicsConfig,
  type DynamicsOutput,
  type DynamicsOverrides,
  type MessageCues,
} from './dynamics.js';
export {
  createMinimizer,
  estimateLevelShares,
  ldpTruthProbability,
  randomizeLevel,
  type LdpOptions,
  type Minimizer,
  type MinimizerOptions,
} from './minimizer.js';
export { DYNAMICS_METADATA_KEY, createScorerCore, type Forecast, type ScoreResult, type ScorerCore, type ScorerCoreOptions } from './core.js';
export { createScorerWorkerApi, type ScorerErrorData, type ScorerWorkerApi, type WorkerInit, type WorkerReady } from './worker-api.js';
export { DEFAULT_FILES, createScorer, resolveScorerUrls, type CreateScorerOptions, type Scorer, type ScorerState } from './create-scorer.js';
export { replayEventsProblem, type ReplayEvent } from './replay.js';
