/**
 * Score distillation (EmbedDistill Eq. 11): softmax cross-entropy (or KL divergence) between the
 * teacher's and the student's score distributions, with teacher and student temperatures.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { checkSameShape, checkScores } from "./layout.ts";

/**
 * `cross-entropy`: -sum_j p_ij log q_ij, the paper's Eq. 11. `kl`: sum_j p_ij (log p_ij - log q_ij)
 * = KL(teacher || student). They differ by the teacher's entropy, which does not depend on the
 * student, so both give the same student gradients; `kl` is 0 when the distributions agree.
 */
export type ScoreKdForm = "cross-entropy" | "kl";

/**
 * `none`: the loss as written (the paper's Eq. 11 has no rescale). `t-squared`: multiplied by the
 * STUDENT temperature squared (Hinton et al. 2015's T^2, which keeps gradient magnitudes
 * comparable across temperatures; with unequal temperatures this suite uses the student's, since
 * the gradient with respect to the student scores is (q - p) / tau_s).
 */
export type ScoreKdRescale = "none" | "t-squared";

/** Options of {@link scoreKdLoss}. */
export interface ScoreKdOptions {
  /** tau_t dividing the teacher scores (default 1). */
  readonly teacherTemperature?: number;
  /** tau_s dividing the student scores (default 1). */
  readonly studentTemperature?: number;
  /** Default `cross-entropy` (the paper's form). */
  readonly form?: ScoreKdForm;
  /** Default `none`. */
  readonly rescale?: ScoreKdRescale;
}

/** Defaults of {@link ScoreKdOptions}: equal temperatures 1, the paper's form, no rescale. */
export const SCORE_KD_DEFAULTS = {
  teacherTemperature: 1,
  studentTemperature: 1,
  form: "cross-entropy",
  rescale: "none",
} as const satisfies Required<ScoreKdOptions>;

/** Throw RangeError unless `value` is a finite positive temperature. */
export function checkTemperature(value: number, what: string): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new RangeError(
      `Cannot use ${what} temperature ${value}: expected a finite number > 0`,
    );
  }
}

/**
 * Score distillation loss (EmbedDistill arXiv v2 Eq. 11), a MEAN over the batch's n queries:
 *
 *   p_ij = softmax_j(t_ij / tau_t),  q_ij = softmax_j(s_ij / tau_s)
 *   cross-entropy: L = (1/n) sum_i -sum_j p_ij log q_ij
 *   kl:            L = (1/n) sum_i  sum_j p_ij (log p_ij - log q_ij)
 *   times tau_s^2 when `rescale` is `t-squared`.
 *
 * The paper writes a sum over queries with one temperature; this suite takes the mean (weights
 * then mean the same at every batch size) and allows tau_t != tau_s (equal, 1, by default).
 * Temperature: larger tau flattens both distributions towards uniform, so as tau -> infinity the
 * `cross-entropy` form tends to log m and the `kl` form to 0; tau -> 0 tends to the teacher's
 * argmax as a one-hot label. The teacher scores are treated as constants: pass tensors that do
 * not depend on trained variables (tfjs has no stopGradient; precomputed or frozen scores).
 *
 * A column can be masked out (a padded candidate slot, a duplicate document) by giving it a large
 * negative score such as -1e9 in BOTH matrices: its probability underflows to exactly 0 and it
 * adds nothing (the log-probabilities stay finite, so the `kl` form is 0 * finite, not NaN).
 *
 * @param teacher teacher scores [n, m]; `student` the student's, same shape and column order
 *   (in-batch [n, n(+h)] or candidate lists [n, 1+k]; the layout does not matter here).
 * @returns a scalar tensor (the caller disposes it).
 */
export function scoreKdLoss(
  teacher: tf.Tensor2D,
  student: tf.Tensor2D,
  options: ScoreKdOptions = {},
): tf.Scalar {
  const tauT = options.teacherTemperature ?? SCORE_KD_DEFAULTS.teacherTemperature;
  const tauS = options.studentTemperature ?? SCORE_KD_DEFAULTS.studentTemperature;
  const form = options.form ?? SCORE_KD_DEFAULTS.form;
  const rescale = options.rescale ?? SCORE_KD_DEFAULTS.rescale;
  checkTemperature(tauT, "teacher");
  checkTemperature(tauS, "student");
  checkScores(student, "first-column", "the score distillation loss");
  checkSameShape(teacher, student, "the score distillation loss");
  return tf.tidy(() => {
    const logP = tf.logSoftmax(tf.div(teacher, tauT), 1);
    const p = tf.exp(logP);
    const logQ = tf.logSoftmax(tf.div(student, tauS), 1);
    let perEntry: tf.Tensor;
    switch (form) {
      case "cross-entropy":
        perEntry = tf.neg(tf.mul(p, logQ));
        break;
      case "kl":
        perEntry = tf.mul(p, tf.sub(logP, logQ));
        break;
      default: {
        const unreachable: never = form;
        throw new TypeError(`Unknown score distillation form ${JSON.stringify(unreachable)}`);
      }
    }
    const loss = tf.mean(tf.sum(perEntry, 1));
    switch (rescale) {
      case "none":
        return loss as tf.Scalar;
      case "t-squared":
        return tf.mul(loss, tauS * tauS) as tf.Scalar;
      default: {
        const unreachable: never = rescale;
        throw new TypeError(`Unknown score distillation rescale ${JSON.stringify(unreachable)}`);
      }
    }
  });
}
