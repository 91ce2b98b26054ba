/**
 * The dual encoder in tfjs: each side's tower (BERT encoder, pooling, optional linear projection)
 * embeds its text; scores are the spec's similarity of the two embeddings.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { NamedTensors } from "./config.ts";
import { bertForward, linear } from "./bert.ts";
import {
  collectModelWeights,
  type DualEncoderSpec,
  type Side,
  towerOf,
  towerPrefix,
} from "./architecture.ts";
import { param, type Parameters, toVariables } from "./parameters.ts";
import { pool } from "./pooling.ts";
import { similarityMatrix } from "./similarity.ts";
import { bertInputs, type TokenBatch } from "./token_batch.ts";

/** A dual encoder's spec and variables (canonical names, see {@link collectModelWeights}). */
export interface DualEncoder {
  readonly kind: "dual";
  readonly spec: DualEncoderSpec;
  readonly params: Parameters;
}

/** Build a dual encoder from checkpoint tensors (by name; extra tensors are ignored). */
export function createDualEncoder(
  spec: DualEncoderSpec,
  weights: NamedTensors,
  source = "weights",
): DualEncoder {
  return { kind: "dual", spec, params: toVariables(collectModelWeights(spec, weights, source)) };
}

/**
 * Embeddings [B, dim] of one side's batch: encoder, pooling over the attention mask, projection.
 * Unnormalised (cosine similarity normalises when scoring).
 */
export function embed(
  model: { readonly spec: DualEncoderSpec; readonly params: ReadonlyMap<string, tf.Tensor> },
  side: Side,
  batch: TokenBatch,
): tf.Tensor2D {
  return tf.tidy(() => {
    const tower = towerOf(model.spec, side);
    const prefix = towerPrefix(model.spec, side);
    const inputs = bertInputs(batch, tower.encoder);
    const hidden = bertForward(tower.encoder, model.params, inputs, prefix);
    const pooled = pool(hidden, inputs.attentionMask, model.spec.pooling);
    if (tower.projectionDim === undefined) return pooled;
    return linear(
      pooled,
      param(model.params, `${prefix}projection.weight`),
      param(model.params, `${prefix}projection.bias`),
    );
  });
}

/** Scores [Q, N] of every query against every document of two batches (in-batch scoring). */
export function scoreBatches(
  model: { readonly spec: DualEncoderSpec; readonly params: ReadonlyMap<string, tf.Tensor> },
  queries: TokenBatch,
  documents: TokenBatch,
): tf.Tensor2D {
  return tf.tidy(() =>
    similarityMatrix(
      model.spec.similarity,
      embed(model, "query", queries),
      embed(model, "document", documents),
    )
  );
}

/**
 * The variables of one side (for training one tower and freezing the other, e.g. as the
 * `varList` of `optimizer.minimize`); with shared towers, every variable.
 */
export function towerVariables(model: DualEncoder, side: Side): tf.Variable[] {
  const prefix = towerPrefix(model.spec, side);
  return [...model.params].filter(([name]) => name.startsWith(prefix)).map(([, v]) => v);
}
