/**
 * The EmbedDistill losses, one file each (one-hot, score KD, Margin-MSE, embedding matching),
 * the loss recipe that names and weights them, and the combined objective over one batch.
 *
 * @module
 */

export type { PositiveLayout } from "./layout.ts";
export { oneHotLoss, type OneHotOptions } from "./one_hot.ts";
export {
  type ScoreKdForm,
  scoreKdLoss,
  type ScoreKdOptions,
  type ScoreKdRescale,
} from "./score_kd.ts";
export {
  inBatchMarginMseLoss,
  type InBatchMarginMseOptions,
  marginMseLoss,
  type MarginPairs,
} from "./margin_mse.ts";
export { type EmbedDistance, embedMatchLoss, type EmbedMatchOptions } from "./embed_match.ts";
export {
  canonicalRecipe,
  type EmbedMatchTerm,
  type LossRecipe,
  type LossTerm,
  type MarginMseTerm,
  type OneHotTerm,
  parseRecipe,
  type ResolvedLossTerm,
  type ResolvedRecipe,
  resolveRecipe,
  type ScoreKdTerm,
} from "./recipe.ts";
export { computeObjective, type ObjectiveInputs, type ObjectiveResult } from "./objective.ts";
