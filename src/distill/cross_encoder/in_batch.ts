/**
 * In-batch cross-encoder scoring: the CE scores every query of a training batch against every
 * document of the batch (n x m pairs per step, run live, not cached), an option for small
 * batches only; the default is fixed candidate lists (targets.ts).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { crossEncoderForward, type CrossEncoderSpec } from "../../models/mod.ts";
import { type CeTokens, pairRows } from "./teacher.ts";

/** The CE's scores [n, m] of queries x documents (indices into `tokens`), `batchSize` pairs per pass. */
export function crossEncoderScoreMatrix(
  model: { readonly spec: CrossEncoderSpec; readonly params: ReadonlyMap<string, tf.Tensor> },
  tokens: CeTokens,
  queries: readonly number[],
  documents: readonly number[],
  batchSize = 32,
): tf.Tensor2D {
  const pairs = queries.flatMap((q) => documents.map((d) => [q, d] as const));
  return tf.tidy(() => {
    const parts: tf.Tensor1D[] = [];
    for (let start = 0; start < pairs.length; start += batchSize) {
      const out = crossEncoderForward(
        model,
        pairRows(tokens, pairs.slice(start, start + batchSize), model.spec.maxLength),
      );
      parts.push(out.scores);
    }
    return tf.reshape(tf.concat(parts), [queries.length, documents.length]) as tf.Tensor2D;
  });
}
