/**
 * Embedding matching (EmbedDistill Eq. 7 query side, Eq. 8 document side): the distance between
 * teacher embeddings and student embeddings (projected to the teacher's width by the student's
 * own tower projection, src/models), `l2` (the paper's), `mse` or `cosine`.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { NORM_EPS } from "../../models/mod.ts";

/**
 * Distance between a teacher embedding t and a student embedding e, per row:
 * - `l2`: ||t - e||_2, the plain (not squared) L2 norm of Eq. 7-8, computed as
 *   sqrt(||t - e||^2 + eps) - sqrt(eps) so that it is exactly 0 at t = e and its gradient
 *   (t - e) / sqrt(||t - e||^2 + eps) is finite (0) there; it differs from ||t - e|| by less
 *   than sqrt(eps) (1e-6 with the default eps {@link EMBED_MATCH_EPS}).
 * - `mse`: (1/d) ||t - e||^2, the mean over the d dimensions (PyTorch `MSELoss`, as
 *   sentence-transformers' `EmbedDistillLoss` "mse").
 * - `cosine`: 1 - cos(t, e), norms clamped below at 1e-12 (PyTorch `F.normalize`).
 */
export type EmbedDistance = "l2" | "mse" | "cosine";

/** eps under the square root of the `l2` distance (see {@link EmbedDistance}). */
export const EMBED_MATCH_EPS = 1e-12;

/** Options of {@link embedMatchLoss}. */
export interface EmbedMatchOptions {
  /** Default `l2` (the paper's). */
  readonly distance?: EmbedDistance;
  /** eps of the `l2` distance (default {@link EMBED_MATCH_EPS}); must be > 0. */
  readonly eps?: number;
}

/**
 * Per-row distances [n] between teacher [n, d] and student embeddings [n, d]
 * (see {@link EmbedDistance}); throws TypeError when the shapes differ.
 */
function embedDistances(
  teacher: tf.Tensor2D,
  student: tf.Tensor2D,
  options: EmbedMatchOptions = {},
): tf.Tensor1D {
  const distance = options.distance ?? "l2";
  const eps = options.eps ?? EMBED_MATCH_EPS;
  if (!(Number.isFinite(eps) && eps > 0)) {
    throw new RangeError(`Cannot use embedding matching eps ${eps}: expected a finite number > 0`);
  }
  return tf.tidy(() => {
    if (
      teacher.rank !== 2 || student.rank !== 2 || teacher.shape[0] === 0 ||
      teacher.shape[0] !== student.shape[0] || teacher.shape[1] !== student.shape[1]
    ) {
      throw new TypeError(
        `Cannot match embeddings: teacher shape [${teacher.shape}] differs from student shape [${student.shape}] (give the student a projection to the teacher's width)`,
      );
    }
    switch (distance) {
      case "l2": {
        const squared = tf.sum(tf.square(tf.sub(teacher, student)), 1);
        const epsTensor = tf.scalar(eps);
        return tf.sub(tf.sqrt(tf.add(squared, epsTensor)), tf.sqrt(epsTensor)) as tf.Tensor1D;
      }
      case "mse":
        return tf.mean(tf.square(tf.sub(teacher, student)), 1) as tf.Tensor1D;
      case "cosine": {
        const norm = (x: tf.Tensor2D) => tf.maximum(tf.sqrt(tf.sum(tf.square(x), 1)), NORM_EPS);
        const cos = tf.div(
          tf.sum(tf.mul(teacher, student), 1),
          tf.mul(norm(teacher), norm(student)),
        );
        return tf.sub(1, cos) as tf.Tensor1D;
      }
      default: {
        const unreachable: never = distance;
        throw new TypeError(`Unknown embedding distance ${JSON.stringify(unreachable)}`);
      }
    }
  });
}

/**
 * Embedding matching loss, a MEAN over the batch's n rows (queries for Eq. 7, documents for
 * Eq. 8 of EmbedDistill arXiv v2):
 *
 *   L = (1/n) sum_i dist(emb^t(x_i), proj(emb^s(x_i)))
 *
 * where proj is part of the student's tower (`projectionDim`, src/models), so `student` is
 * already in the teacher's width
 *
 * with `dist` from {@link EmbedDistance} (default `l2`, the paper's plain L2 norm). Teacher
 * embeddings are constants (precomputed or from a frozen teacher). For an asymmetric student
 * the document side is 0 by construction (it uses the teacher's document embeddings) and is not
 * computed.
 * @returns a scalar tensor (the caller disposes it).
 */
export function embedMatchLoss(
  teacher: tf.Tensor2D,
  student: tf.Tensor2D,
  options: EmbedMatchOptions = {},
): tf.Scalar {
  return tf.tidy(() => tf.mean(embedDistances(teacher, student, options)) as tf.Scalar);
}
