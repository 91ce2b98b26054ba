/**
 * The cross-encoder in tfjs over `[CLS] q [SEP] d [SEP]` batches: the `cls` scorer (Hugging Face
 * `BertForSequenceClassification`, one label) or dual pooling (query-segment and document-segment
 * mean embeddings scored by inner product, EmbedDistill section 4.2), exposing both embeddings.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { NamedTensors } from "./config.ts";
import { bertForward, linear } from "./bert.ts";
import { collectModelWeights, type CrossEncoderSpec } from "./architecture.ts";
import { param, type Parameters, toVariables } from "./parameters.ts";
import { pool, segmentMasks } from "./pooling.ts";
import { bertInputs, type TokenBatch } from "./token_batch.ts";

/** A cross-encoder's spec and variables. */
export interface CrossEncoder {
  readonly kind: "cross";
  readonly spec: CrossEncoderSpec;
  readonly params: Parameters;
}

/** Scores of a cross-encoder batch, and for dual pooling the two segment embeddings. */
export type CrossEncoderOutput =
  | { readonly kind: "cls"; readonly scores: tf.Tensor1D }
  | {
    readonly kind: "dual-pooling";
    readonly scores: tf.Tensor1D;
    /** Mean of the query segment's token states [B, hidden]. */
    readonly queryEmbeddings: tf.Tensor2D;
    /** Mean of the document segment's token states [B, hidden]. */
    readonly documentEmbeddings: tf.Tensor2D;
  };

/** Build a cross-encoder from checkpoint tensors (e.g. a Hugging Face cross-encoder's). */
export function createCrossEncoder(
  spec: CrossEncoderSpec,
  weights: NamedTensors,
  source = "weights",
): CrossEncoder {
  return { kind: "cross", spec, params: toVariables(collectModelWeights(spec, weights, source)) };
}

/**
 * Score a batch of `[CLS] q [SEP] d [SEP]` rows (segment ids 0 for `[CLS] q [SEP]`, 1 for
 * `d [SEP]`). The caller disposes the returned tensors.
 */
export function crossEncoderForward(
  model: { readonly spec: CrossEncoderSpec; readonly params: ReadonlyMap<string, tf.Tensor> },
  batch: TokenBatch,
): CrossEncoderOutput {
  const { spec, params } = model;
  const scorer = spec.scorer;
  switch (scorer.kind) {
    case "cls": {
      const scores = tf.tidy(() => {
        const hidden = bertForward(spec.encoder, params, bertInputs(batch, spec.encoder));
        const cls = pool(hidden, tf.ones(batch.shape as [number, number]), "cls");
        const pooled = tf.tanh(
          linear(cls, param(params, "pooler.dense.weight"), param(params, "pooler.dense.bias")),
        );
        const logits = linear(
          pooled,
          param(params, "classifier.weight"),
          param(params, "classifier.bias"),
        );
        return tf.reshape(logits, [-1]) as tf.Tensor1D;
      });
      return { kind: "cls", scores };
    }
    case "dual-pooling": {
      const masks = segmentMasks(batch, scorer.includeSpecialTokens);
      const [queryEmbeddings, documentEmbeddings, scores] = tf.tidy(() => {
        const hidden = bertForward(spec.encoder, params, bertInputs(batch, spec.encoder));
        const shape = batch.shape as [number, number];
        const q = pool(hidden, tf.tensor2d(masks.query, shape), "mean");
        const d = pool(hidden, tf.tensor2d(masks.document, shape), "mean");
        return [q, d, tf.sum(tf.mul(q, d), 1) as tf.Tensor1D] as const;
      });
      return { kind: "dual-pooling", scores, queryEmbeddings, documentEmbeddings };
    }
    default: {
      const unreachable: never = scorer;
      throw new TypeError(`Unknown cross-encoder scorer ${JSON.stringify(unreachable)}`);
    }
  }
}
