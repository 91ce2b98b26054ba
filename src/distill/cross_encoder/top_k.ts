/**
 * Exact top-k by inner product of every query against every document (tfjs, queries in blocks):
 * the candidates of a dense first stage, without excluding anything.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { Matrix } from "../../io/mod.ts";

/** One query's top documents: indices and scores, best first. */
export interface TopK {
  readonly indices: readonly number[];
  readonly scores: readonly number[];
}

/** The top `k` documents (at most all of them) of each query by inner product, best first. */
export function topKByInnerProduct(queries: Matrix, documents: Matrix, k: number): TopK[] {
  if (queries.dims !== documents.dims) {
    throw new RangeError(
      `Cannot search: queries have ${queries.dims} dims, documents ${documents.dims}`,
    );
  }
  const width = Math.min(k, documents.count);
  const out: TopK[] = [];
  if (width < 1) {
    return queries.count === 0 ? [] : Array(queries.count).fill({ indices: [], scores: [] });
  }
  const docs = tf.tensor2d(documents.vectors, [documents.count, documents.dims]);
  try {
    for (let start = 0; start < queries.count; start += 64) {
      const end = Math.min(queries.count, start + 64);
      const { values, indices } = tf.tidy(() => {
        const q = tf.tensor2d(
          queries.vectors.subarray(start * queries.dims, end * queries.dims),
          [end - start, queries.dims],
        );
        return tf.topk(tf.matMul(q, docs, false, true), width);
      });
      const v = values.dataSync();
      const ix = indices.dataSync();
      tf.dispose([values, indices]);
      for (let q = 0; q < end - start; q++) {
        out.push({
          indices: Array.from(ix.subarray(q * width, (q + 1) * width)),
          scores: Array.from(v.subarray(q * width, (q + 1) * width)),
        });
      }
    }
  } finally {
    docs.dispose();
  }
  return out;
}
