/**
 * Test support: where the shared real IR data lives, and whether it is there; seeded random
 * matrices; the float64 references of the distillation losses. Imported by tests only.
 *
 * @module
 */

export { REPO_ROOT, type SharedData, sharedData, sharedPath } from "./shared_data.ts";
export { randomMatrix } from "./random_matrix.ts";
export {
  checkLossGradients,
  type LossGradientCheck,
  refEmbedMatch,
  refInBatchMarginMse,
  type RefKdOptions,
  refLogSoftmax,
  refMarginMse,
  refOneHot,
  type RefProjection,
  refScoreKd,
  type Rows,
} from "./loss_reference.ts";
