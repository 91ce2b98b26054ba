/**
 * The supervised one-hot in-batch softmax cross-entropy (EmbedDistill Eq. 9), optionally with
 * hard negatives appended as extra columns.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { checkScores, type PositiveLayout, positiveMask } from "./layout.ts";

/** Options of {@link oneHotLoss}. */
export interface OneHotOptions {
  /** Where each row's positive is (default `diagonal`: in-batch, hard negatives appended). */
  readonly layout?: PositiveLayout;
}

/**
 * One-hot softmax cross-entropy of the student's score rows against their positive
 * (EmbedDistill arXiv v2 Eq. 9):
 *
 *   L = (1/n) sum_i [ -s_{i,p(i)} + log sum_j exp(s_ij) ]
 *
 * where p(i) is row i's positive column (i for the `diagonal` layout; 0 for `first-column`).
 * A MEAN over the batch's n queries, so a term's weight means the same at every batch size.
 * No temperature: scale the scores first (e.g. scaled cosine similarity) if one is wanted.
 *
 * @param scores student scores [n, m]: `diagonal` needs m >= n (columns n .. m - 1 are hard
 *   negatives, scored by every query or each query's own, in either case [n, h] appended).
 * @returns a scalar tensor (the caller disposes it).
 *
 * @example
 * ```ts
 * const loss = oneHotLoss(tf.tensor2d([[2, 0], [1, 3]])); // mean of log(1 + e^-2) and log(1 + e^-2)
 * ```
 */
export function oneHotLoss(scores: tf.Tensor2D, options: OneHotOptions = {}): tf.Scalar {
  const layout = options.layout ?? "diagonal";
  checkScores(scores, layout, "the one-hot loss");
  const [n, m] = scores.shape;
  return tf.tidy(() => {
    const logProbs = tf.logSoftmax(scores, 1);
    const picked = tf.sum(tf.mul(logProbs, positiveMask(n, m, layout)), 1);
    return tf.neg(tf.mean(picked)) as tf.Scalar;
  });
}
