/**
 * Batches from per-example rows: token id sequences padded into a TokenBatch, and rows of an
 * embedding matrix gathered into a tensor.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { TokenBatch } from "../../models/mod.ts";
import type { Matrix } from "../../io/mod.ts";

/** Pad token id sequences to the longest (pad id 0, BERT's `[PAD]`) as a batch. */
export function padSequences(rows: readonly ArrayLike<number>[]): TokenBatch {
  const seq = Math.max(1, ...rows.map((r) => r.length));
  const inputIds = new Int32Array(rows.length * seq);
  const attentionMask = new Int32Array(rows.length * seq);
  rows.forEach((r, b) => {
    for (let t = 0; t < r.length; t++) {
      inputIds[b * seq + t] = r[t]!;
      attentionMask[b * seq + t] = 1;
    }
  });
  return { shape: [rows.length, seq], inputIds, attentionMask };
}

/** Rows `indices` of an embedding matrix as a tensor [k, dims]. */
export function gatherRows(matrix: Matrix, indices: readonly number[]): tf.Tensor2D {
  const out = new Float32Array(indices.length * matrix.dims);
  indices.forEach((row, i) => {
    if (!(row >= 0 && row < matrix.count)) {
      throw new RangeError(`Cannot take embedding row ${row}: the matrix has ${matrix.count} rows`);
    }
    out.set(matrix.vectors.subarray(row * matrix.dims, (row + 1) * matrix.dims), i * matrix.dims);
  });
  return tf.tensor2d(out, [indices.length, matrix.dims]);
}
