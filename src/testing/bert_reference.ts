/**
 * An independent plain-TypeScript float64 forward pass of Hugging Face `BertModel` (post-LN,
 * erf-GELU, additive padding mask), written loop by loop from the paper and the `transformers`
 * source, to check the tfjs model and to take finite differences in float64.
 *
 * Devlin et al. 2019 (arXiv 1810.04805) section 3; Vaswani et al. 2017 eq. 1 (scaled dot-product
 * attention); `transformers/models/bert/modeling_bert.py`.
 *
 * @module
 */

import { type BertConfig, checkTokenBatch, type Pooling, type TokenBatch } from "../models/mod.ts";
import { geluErf } from "../engine/mod.ts";

/** A tensor in float32 or float64 (finite differences perturb float64 copies). */
export interface ReferenceTensor {
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
}

/** Parameters by Hugging Face name for the reference pass. */
export type ReferenceWeights = ReadonlyMap<string, ReferenceTensor>;

/** Token ids per sequence (rows may differ in length); mask 1 = token, 0 = padding. */
export interface ReferenceBatch {
  readonly inputIds: readonly (readonly number[])[];
  readonly attentionMask: readonly (readonly number[])[];
  /** Segment ids; all 0 when omitted. */
  readonly tokenTypeIds?: readonly (readonly number[])[];
}

/** A model's token batch as the rows the reference takes (nested arrays, padding included). */
export function toReferenceBatch(batch: TokenBatch): {
  inputIds: number[][];
  attentionMask: number[][];
  tokenTypeIds: number[][];
} {
  checkTokenBatch(batch);
  const [b, s] = batch.shape;
  const rows = (values: ArrayLike<number> | undefined) =>
    Array.from(
      { length: b },
      (_, i) => Array.from({ length: s }, (_, t) => values?.[i * s + t] ?? 0),
    );
  return {
    inputIds: rows(batch.inputIds),
    attentionMask: rows(batch.attentionMask),
    tokenTypeIds: rows(batch.tokenTypeIds),
  };
}

/**
 * Additive attention bias for padding keys: (1 - mask) * MASK_BIAS. Hugging Face uses the dtype
 * minimum (older versions -10000); any value this negative makes exp() exactly 0 in float32.
 */
const MASK_BIAS = -1e9;

/** Look a parameter up by bare name, under `prefix`, also accepting a `bert.` infix. */
export function referenceParam(
  weights: ReferenceWeights,
  name: string,
  prefix = "",
): ArrayLike<number> {
  const found = weights.get(prefix + name) ?? weights.get(`${prefix}bert.${name}`);
  if (found === undefined) {
    throw new RangeError(`Cannot find tensor "${prefix}${name}" in the reference weights`);
  }
  return found.data;
}

/** y[t] = x[t] W^T + b for rows t (x [rows, inDim], W [outDim, inDim] as PyTorch stores it). */
export function referenceLinear(
  x: Float64Array,
  rows: number,
  inDim: number,
  w: ArrayLike<number>,
  b: ArrayLike<number>,
  outDim: number,
): Float64Array {
  const y = new Float64Array(rows * outDim);
  for (let t = 0; t < rows; t++) {
    for (let o = 0; o < outDim; o++) {
      let sum = b[o]!;
      for (let i = 0; i < inDim; i++) sum += x[t * inDim + i]! * w[o * inDim + i]!;
      y[t * outDim + o] = sum;
    }
  }
  return y;
}

/** LayerNorm over the last dimension (biased variance, eps inside the square root), in place. */
export function referenceLayerNorm(
  x: Float64Array,
  rows: number,
  dim: number,
  gamma: ArrayLike<number>,
  beta: ArrayLike<number>,
  eps: number,
): Float64Array {
  for (let t = 0; t < rows; t++) {
    let mean = 0;
    for (let i = 0; i < dim; i++) mean += x[t * dim + i]!;
    mean /= dim;
    let variance = 0;
    for (let i = 0; i < dim; i++) variance += (x[t * dim + i]! - mean) ** 2;
    variance /= dim;
    const inv = 1 / Math.sqrt(variance + eps);
    for (let i = 0; i < dim; i++) {
      x[t * dim + i] = (x[t * dim + i]! - mean) * inv * gamma[i]! + beta[i]!;
    }
  }
  return x;
}

/** Last hidden states of one sequence, [length * hidden] row-major. */
function forwardOne(
  config: BertConfig,
  weights: ReferenceWeights,
  ids: readonly number[],
  mask: readonly number[],
  types: readonly number[] | undefined,
  prefix: string,
): Float64Array {
  const p = (name: string) => referenceParam(weights, name, prefix);
  const s = ids.length;
  const h = config.hiddenSize;
  const heads = config.numHeads;
  const d = h / heads;
  const eps = config.layerNormEps;
  const word = p("embeddings.word_embeddings.weight");
  const position = p("embeddings.position_embeddings.weight");
  const segment = p("embeddings.token_type_embeddings.weight");
  let x: Float64Array = new Float64Array(s * h);
  for (let t = 0; t < s; t++) {
    const id = ids[t]!;
    const type = types?.[t] ?? 0;
    if (!(id >= 0 && id < config.vocabSize) || !(type >= 0 && type < config.typeVocabSize)) {
      throw new RangeError(`Cannot embed token ${t}: id ${id} or segment ${type} out of range`);
    }
    for (let i = 0; i < h; i++) {
      x[t * h + i] = word[id * h + i]! + position[t * h + i]! + segment[type * h + i]!;
    }
  }
  referenceLayerNorm(
    x,
    s,
    h,
    p("embeddings.LayerNorm.weight"),
    p("embeddings.LayerNorm.bias"),
    eps,
  );
  const scale = 1 / Math.sqrt(d);
  for (let layer = 0; layer < config.numLayers; layer++) {
    const l = (name: string) => p(`encoder.layer.${layer}.${name}`);
    const linear = (input: Float64Array, name: string, inDim: number, outDim: number) =>
      referenceLinear(input, s, inDim, l(`${name}.weight`), l(`${name}.bias`), outDim);
    const q = linear(x, "attention.self.query", h, h);
    const k = linear(x, "attention.self.key", h, h);
    const v = linear(x, "attention.self.value", h, h);
    const context = new Float64Array(s * h);
    const scores = new Float64Array(s);
    for (let head = 0; head < heads; head++) {
      for (let i = 0; i < s; i++) {
        let max = -Infinity;
        for (let j = 0; j < s; j++) {
          let dot = 0;
          for (let c = 0; c < d; c++) dot += q[i * h + head * d + c]! * k[j * h + head * d + c]!;
          scores[j] = dot * scale + (1 - mask[j]!) * MASK_BIAS;
          if (scores[j]! > max) max = scores[j]!;
        }
        let total = 0;
        for (let j = 0; j < s; j++) {
          scores[j] = Math.exp(scores[j]! - max);
          total += scores[j]!;
        }
        for (let j = 0; j < s; j++) {
          const a = scores[j]! / total;
          for (let c = 0; c < d; c++) {
            context[i * h + head * d + c]! += a * v[j * h + head * d + c]!;
          }
        }
      }
    }
    const attended = linear(context, "attention.output.dense", h, h);
    for (let i = 0; i < s * h; i++) attended[i]! += x[i]!;
    referenceLayerNorm(
      attended,
      s,
      h,
      l("attention.output.LayerNorm.weight"),
      l("attention.output.LayerNorm.bias"),
      eps,
    );
    const f = config.intermediateSize;
    const inner = linear(attended, "intermediate.dense", h, f);
    for (let i = 0; i < s * f; i++) inner[i] = geluErf(inner[i]!);
    const out = linear(inner, "output.dense", f, h);
    for (let i = 0; i < s * h; i++) out[i]! += attended[i]!;
    referenceLayerNorm(out, s, h, l("output.LayerNorm.weight"), l("output.LayerNorm.bias"), eps);
    x = out;
  }
  return x;
}

/**
 * Last hidden states of every sequence ([length * hidden] row-major each), as
 * `BertModel(...).last_hidden_state` in float64. `prefix` selects a tower (e.g. `"query."`).
 */
export function referenceForward(
  config: BertConfig,
  weights: ReferenceWeights,
  batch: ReferenceBatch,
  prefix = "",
): Float64Array[] {
  return batch.inputIds.map((ids, b) => {
    const mask = batch.attentionMask[b];
    if (mask === undefined || mask.length !== ids.length) {
      throw new TypeError(
        `Cannot run sequence ${b}: attention mask has ${
          mask?.length ?? 0
        } entries, expected ${ids.length}`,
      );
    }
    return forwardOne(config, weights, ids, mask, batch.tokenTypeIds?.[b], prefix);
  });
}

/**
 * Pool one sequence's hidden states: `cls` takes token 0; `mean` averages the tokens whose
 * `weights` entry is non-zero (the attention mask, or a segment mask), weighted by it.
 */
export function referencePool(
  hidden: Float64Array,
  hiddenSize: number,
  weights: readonly number[],
  pooling: Pooling,
): Float64Array {
  switch (pooling) {
    case "cls":
      return hidden.slice(0, hiddenSize);
    case "mean": {
      const out = new Float64Array(hiddenSize);
      let total = 0;
      weights.forEach((w, t) => {
        if (w === 0) return;
        total += w;
        for (let i = 0; i < hiddenSize; i++) out[i]! += w * hidden[t * hiddenSize + i]!;
      });
      if (total === 0) throw new RangeError("Cannot mean-pool a sequence with no tokens");
      for (let i = 0; i < hiddenSize; i++) out[i]! /= total;
      return out;
    }
    default: {
      const unreachable: never = pooling;
      throw new TypeError(`Cannot pool with ${JSON.stringify(unreachable)}`);
    }
  }
}
