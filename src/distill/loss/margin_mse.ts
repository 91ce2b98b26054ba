/**
 * Margin-MSE (Hofstätter et al. 2020, "Improving Efficient Neural Ranking Models with
 * Cross-Architecture Knowledge Distillation"): the squared error between the teacher's and the
 * student's score margins s(q, d+) - s(q, d-), for explicit pairs and for score matrices.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { checkSameShape, checkScores, type PositiveLayout, positiveMask } from "./layout.ts";

/**
 * Scores of each query's positive [n] and of its negatives: [n] (one negative per query, the
 * paper's triples) or [n, k] (k negatives per query).
 */
export interface MarginPairs {
  /** Student score of each query's positive [n]. */
  readonly studentPositive: tf.Tensor1D;
  /** Student scores of its negatives, [n] or [n, k]. */
  readonly studentNegative: tf.Tensor1D | tf.Tensor2D;
  /** Teacher score of each query's positive [n]. */
  readonly teacherPositive: tf.Tensor1D;
  /** Teacher scores of the same negatives, shaped as the student's. */
  readonly teacherNegative: tf.Tensor1D | tf.Tensor2D;
}

/**
 * Margin-MSE over explicit (query, positive, negative) scores, a MEAN over the batch's n queries
 * (and over each query's k negatives):
 *
 *   L = (1/n) sum_i (1/k) sum_j ((s+_i - s-_ij) - (t+_i - t-_ij))^2
 *
 * As Hofstätter et al. 2020 define it (PyTorch `MSELoss` on the margins, mean reduction).
 * @returns a scalar tensor (the caller disposes it).
 */
export function marginMseLoss(pairs: MarginPairs): tf.Scalar {
  const what = "the Margin-MSE loss";
  checkSameShape(pairs.teacherPositive, pairs.studentPositive, what);
  checkSameShape(pairs.teacherNegative, pairs.studentNegative, what);
  const n = pairs.studentPositive.shape[0];
  if (pairs.studentPositive.rank !== 1 || n === 0 || pairs.studentNegative.shape[0] !== n) {
    throw new TypeError(
      `Cannot compute ${what}: expected positives [n] (n > 0) and negatives [n] or [n, k], found [${pairs.studentPositive.shape}] and [${pairs.studentNegative.shape}]`,
    );
  }
  return tf.tidy(() => {
    const column = (t: tf.Tensor1D | tf.Tensor2D) => (t.rank === 1 ? tf.reshape(t, [n, 1]) : t);
    const student = tf.sub(
      tf.reshape(pairs.studentPositive, [n, 1]),
      column(pairs.studentNegative),
    );
    const teacher = tf.sub(
      tf.reshape(pairs.teacherPositive, [n, 1]),
      column(pairs.teacherNegative),
    );
    return tf.mean(tf.square(tf.sub(student, teacher))) as tf.Scalar;
  });
}

/** Options of {@link inBatchMarginMseLoss}. */
export interface InBatchMarginMseOptions {
  /** Where each row's positive is (default `diagonal`). */
  readonly layout?: PositiveLayout;
}

/**
 * Margin-MSE on score matrices [n, m]: every column other than row i's positive is one of its
 * negatives (in-batch negatives, appended hard negatives, or a candidate list's negatives), so
 * each query contributes the mean over its m - 1 margins; a MEAN over the batch's n queries.
 * Equals {@link marginMseLoss} with those [n, m - 1] negatives. Unlike the softmax losses it
 * cannot mask a column with a large negative score (the margins would lose all precision).
 * @returns a scalar tensor (the caller disposes it).
 */
export function inBatchMarginMseLoss(
  teacher: tf.Tensor2D,
  student: tf.Tensor2D,
  options: InBatchMarginMseOptions = {},
): tf.Scalar {
  const layout = options.layout ?? "diagonal";
  checkScores(student, layout, "the Margin-MSE loss");
  checkSameShape(teacher, student, "the Margin-MSE loss");
  const [n, m] = student.shape;
  return tf.tidy(() => {
    const positive = positiveMask(n, m, layout);
    const margins = (scores: tf.Tensor2D) =>
      tf.sub(tf.sum(tf.mul(scores, positive), 1, true), scores);
    const squared = tf.square(tf.sub(margins(student), margins(teacher)));
    // The positive's own margin is 0 - 0 for both, so it adds nothing; divide by m - 1 negatives.
    return tf.div(tf.sum(squared), n * (m - 1)) as tf.Scalar;
  });
}
