/**
 * Where each query's positive sits in a score matrix (`diagonal` in-batch layout or
 * `first-column` candidate lists), and the shape checks the score losses share.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";

/**
 * Column of each row's positive in a score matrix [n, m]:
 * - `diagonal`: in-batch scoring, query i against the batch's n positives (column i is query i's
 *   positive, the other n - 1 are in-batch negatives); optional hard negatives are appended as
 *   columns n .. m - 1 (EmbedDistill Eq. 9's in-batch softmax). Requires m >= n.
 * - `first-column`: candidate lists, row i = [positive, negative 1 .. negative k] of query i (how
 *   cross-encoder teacher scores are cached: the CE only scores the pairs it is asked about).
 */
export type PositiveLayout = "diagonal" | "first-column";

/** Throw TypeError unless `scores` is a 2-D [n, m] matrix that fits `layout` (m >= 2). */
export function checkScores(
  scores: tf.Tensor,
  layout: PositiveLayout,
  what: string,
): asserts scores is tf.Tensor2D {
  if (scores.rank !== 2) {
    throw new TypeError(
      `Cannot compute ${what}: expected a score matrix [n, m], found shape [${scores.shape}]`,
    );
  }
  const [n, m] = scores.shape as [number, number];
  if (n === 0 || m < 2) {
    throw new TypeError(
      `Cannot compute ${what}: expected at least 1 query and 2 documents, found shape [${n}, ${m}]`,
    );
  }
  if (layout === "diagonal" && m < n) {
    throw new TypeError(
      `Cannot compute ${what}: the "diagonal" layout needs m >= n columns, found shape [${n}, ${m}]`,
    );
  }
}

/** Throw TypeError unless two tensors have the same shape. */
export function checkSameShape(a: tf.Tensor, b: tf.Tensor, what: string): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new TypeError(
      `Cannot compute ${what}: teacher shape [${a.shape}] differs from student shape [${b.shape}]`,
    );
  }
}

/**
 * A float32 [n, m] mask with 1 at each row's positive column (see {@link PositiveLayout}). Built
 * on the host: tfjs-backend-wasm 4.22's `OneHot` kernel writes int32 bits into a float32
 * output (`tf.oneHot(..., "float32")` gives 1.4e-45 for 1), so `tf.oneHot` is avoided.
 */
export function positiveMask(n: number, m: number, layout: PositiveLayout): tf.Tensor2D {
  const mask = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    switch (layout) {
      case "diagonal":
        mask[i * m + i] = 1;
        break;
      case "first-column":
        mask[i * m] = 1;
        break;
      default: {
        const unreachable: never = layout;
        throw new TypeError(`Unknown positive layout ${JSON.stringify(unreachable)}`);
      }
    }
  }
  return tf.tensor2d(mask, [n, m]);
}
