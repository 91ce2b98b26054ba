/**
 * Training a dual-encoder teacher on labels: the one loop with the one-hot loss (in-batch softmax
 * cross-entropy of the positive, EmbedDistill Eq. 9) and no teacher signal; every parameter of
 * the model is trained.
 *
 * @module
 */

import type { DualEncoder } from "../../models/mod.ts";
import { oneHotLoss } from "../loss/mod.ts";
import { train } from "./trainer.ts";
import type { TrainerOptions, TrainingExample, TrainingResult } from "./types.ts";

/** Labelled training data of a teacher: token ids and (query, relevant document) pairs. */
export interface LabelledData {
  /** Token ids (special tokens included) of each training query. */
  readonly queries: readonly ArrayLike<number>[];
  /** Token ids of each corpus document. */
  readonly documents: readonly ArrayLike<number>[];
  readonly examples: readonly TrainingExample[];
}

/**
 * Train `model` (a dual encoder; both towers and, for shared towers, the one body) in place on
 * labels with the one-hot loss over in-batch negatives (and `negativesPerQuery` mined hard
 * negatives). Options and defaults as {@link train}; agreement diagnostics do not apply.
 */
export async function trainDualEncoderOnLabels(
  model: DualEncoder,
  data: LabelledData,
  options: TrainerOptions,
): Promise<TrainingResult> {
  return await train(
    { kind: "symmetric", model, trainable: model.params },
    { ...data, teacher: { kind: "none" } },
    (step) => ({ total: oneHotLoss(step.studentScores), terms: {} }),
    { ...options, diagnosticsEvery: 0 },
  );
}
