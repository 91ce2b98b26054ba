/**
 * The BERT encoder in tfjs, exactly Hugging Face `BertModel` without the pooler: word + position +
 * segment embeddings, LayerNorm, N post-LN layers of multi-head self-attention (additive padding
 * mask) and erf-GELU feed-forward.
 *
 * Devlin et al. 2019 (arXiv 1810.04805); `transformers/models/bert/modeling_bert.py`. Heads are
 * split by reshape [B,S,H,D] + transpose [0,2,1,3] with separate Q/K/V matmuls (ENGINES.md);
 * LayerNorm and GELU are the engine's (fused kernels where the backend has them, else composites).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { gelu, layerNorm } from "../engine/mod.ts";
import type { BertConfig } from "./config.ts";
import { param } from "./parameters.ts";
import type { BertInputs } from "./token_batch.ts";

/**
 * Additive attention bias for padding keys: (1 - mask) * MASK_BIAS. Hugging Face uses the dtype
 * minimum (older versions -10000); any value this negative makes exp() exactly 0 in float32.
 */
export const MASK_BIAS = -1e9;

/** y = x W^T + b, with W stored [out, in] as PyTorch's `nn.Linear` (x is [N, in]). */
export function linear(x: tf.Tensor2D, weight: tf.Tensor, bias: tf.Tensor): tf.Tensor2D {
  return tf.add(tf.matMul(x, weight as tf.Tensor2D, false, true), bias);
}

/** Additive attention bias [B, 1, 1, S]: 0 for tokens, {@link MASK_BIAS} for padding. */
export function attentionBias(mask: tf.Tensor2D): tf.Tensor4D {
  const [b, s] = mask.shape;
  return tf.reshape(tf.mul(tf.sub(1, mask), MASK_BIAS), [b, 1, 1, s]);
}

/**
 * Last hidden states [B, S, hidden] of a BERT encoder whose parameters are `params.get(prefix +
 * bare HF name)`. Differentiable with respect to every parameter; call inside `tf.tidy` or a
 * gradient function.
 */
export function bertForward(
  config: BertConfig,
  params: ReadonlyMap<string, tf.Tensor>,
  inputs: BertInputs,
  prefix = "",
): tf.Tensor3D {
  const p = (name: string) => param(params, prefix + name);
  const [b, s] = inputs.inputIds.shape;
  const h = config.hiddenSize;
  const heads = config.numHeads;
  const d = h / heads;
  if (!Number.isInteger(d)) {
    throw new RangeError(`Cannot split hidden size ${h} into ${heads} attention heads`);
  }
  if (s > config.maxPositions) {
    throw new RangeError(
      `Cannot encode ${s} tokens: the model has ${config.maxPositions} positions`,
    );
  }
  const eps = config.layerNormEps;
  const words = tf.gather(
    p("embeddings.word_embeddings.weight"),
    tf.reshape(inputs.inputIds, [-1]),
  );
  // Segment rows by a one-hot matmul: the type vocabulary is tiny (2) and wasm's GatherV2 is
  // slow (~30-60 ms for 2048 rows of 256), while [N, 2] x [2, H] is nearly free.
  const segments = tf.matMul(
    tf.oneHot(tf.reshape(inputs.tokenTypeIds, [-1]) as tf.Tensor1D, config.typeVocabSize),
    p("embeddings.token_type_embeddings.weight") as tf.Tensor2D,
  );
  const positions = tf.slice(p("embeddings.position_embeddings.weight"), [0, 0], [s, h]);
  const summed = tf.add(tf.reshape(tf.add(words, segments), [b, s, h]), positions);
  let x: tf.Tensor2D = layerNorm(
    tf.reshape(summed, [b * s, h]) as tf.Tensor2D,
    p("embeddings.LayerNorm.weight"),
    p("embeddings.LayerNorm.bias"),
    eps,
  );
  const bias = attentionBias(inputs.attentionMask);
  const splitHeads = (t: tf.Tensor2D) =>
    tf.transpose(tf.reshape(t, [b, s, heads, d]), [0, 2, 1, 3]);
  const scale = 1 / Math.sqrt(d);
  for (let layer = 0; layer < config.numLayers; layer++) {
    const l = (name: string) => p(`encoder.layer.${layer}.${name}`);
    const dense = (input: tf.Tensor2D, name: string) =>
      linear(input, l(`${name}.weight`), l(`${name}.bias`));
    const q = splitHeads(tf.mul(dense(x, "attention.self.query"), scale));
    const k = splitHeads(dense(x, "attention.self.key"));
    const v = splitHeads(dense(x, "attention.self.value"));
    const probs = tf.softmax(tf.add(tf.matMul(q, k, false, true), bias));
    const context = tf.reshape(tf.transpose(tf.matMul(probs, v), [0, 2, 1, 3]), [
      b * s,
      h,
    ]) as tf.Tensor2D;
    const attended: tf.Tensor2D = layerNorm(
      tf.add(dense(context, "attention.output.dense"), x) as tf.Tensor2D,
      l("attention.output.LayerNorm.weight"),
      l("attention.output.LayerNorm.bias"),
      eps,
    );
    const inner = gelu(dense(attended, "intermediate.dense"));
    x = layerNorm(
      tf.add(dense(inner, "output.dense"), attended) as tf.Tensor2D,
      l("output.LayerNorm.weight"),
      l("output.LayerNorm.bias"),
      eps,
    );
  }
  return tf.reshape(x, [b, s, h]);
}
