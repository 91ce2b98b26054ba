/**
 * Scoring query embeddings against document embeddings in tfjs: inner product, or scaled cosine
 * (embeddings divided by max(norm, 1e-12), as PyTorch's `F.normalize`).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { Similarity } from "./architecture.ts";

/** Lower bound on a norm before dividing (PyTorch `F.normalize` eps). */
export const NORM_EPS = 1e-12;

/** Rows divided by their L2 norm (at least {@link NORM_EPS}). */
export function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  const norms = tf.sqrt(tf.sum(tf.square(x), 1, true));
  return tf.div(x, tf.maximum(norms, NORM_EPS));
}

/** Scores of every query against every document: [Q, D] x [N, D] -> [Q, N]. */
export function similarityMatrix(
  similarity: Similarity,
  queries: tf.Tensor2D,
  documents: tf.Tensor2D,
): tf.Tensor2D {
  switch (similarity.kind) {
    case "dot":
      return tf.matMul(queries, documents, false, true);
    case "cosine":
      return tf.mul(
        tf.matMul(l2Normalize(queries), l2Normalize(documents), false, true),
        similarity.scale,
      );
    default: {
      const unreachable: never = similarity;
      throw new TypeError(`Unknown similarity ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Scores of aligned pairs: row i of `queries` with row i of `documents` -> [N]. */
export function pairSimilarity(
  similarity: Similarity,
  queries: tf.Tensor2D,
  documents: tf.Tensor2D,
): tf.Tensor1D {
  switch (similarity.kind) {
    case "dot":
      return tf.sum(tf.mul(queries, documents), 1);
    case "cosine":
      return tf.mul(
        tf.sum(tf.mul(l2Normalize(queries), l2Normalize(documents)), 1),
        similarity.scale,
      );
    default: {
      const unreachable: never = similarity;
      throw new TypeError(`Unknown similarity ${JSON.stringify(unreachable)}`);
    }
  }
}
