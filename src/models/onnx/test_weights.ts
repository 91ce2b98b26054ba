/**
 * Test and benchmark support for the ONNX encoder: tiny BERT configs and random weights in which
 * every tensor (LayerNorm scales and biases included) is non-trivial, so a misplaced parameter
 * changes the output.
 *
 * @module
 */

import type { BertConfig, NamedTensor } from "../config.ts";
import { initBertWeights, normalSampler } from "../init.ts";

/** A 2-layer, hidden-16, 4-head encoder small enough for float64 reference checks. */
export const TINY_BERT: BertConfig = {
  vocabSize: 50,
  hiddenSize: 16,
  numLayers: 2,
  numHeads: 4,
  intermediateSize: 24,
  maxPositions: 24,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
};

/**
 * Seeded weights: Hugging Face initialisation with `std`, then biases ~ N(0, std^2) and LayerNorm
 * weights ~ 1 + N(0, std^2).
 */
export function randomBertWeights(
  config: BertConfig,
  seed: number,
  std = 0.2,
): Map<string, NamedTensor> {
  const weights = initBertWeights(config, seed, { std });
  const sampler = normalSampler(seed + 1);
  for (const [name, tensor] of weights) {
    if (name.endsWith(".bias") || name.endsWith("LayerNorm.weight")) {
      for (let i = 0; i < tensor.data.length; i++) tensor.data[i]! += std * sampler.next();
    }
  }
  return weights;
}

/** Seeded random token ids in [1, vocab) for sequences of the given lengths. */
export function randomTokenIds(
  vocabSize: number,
  lengths: readonly number[],
  seed: number,
): number[][] {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
  return lengths.map((n) => Array.from({ length: n }, () => 1 + (next() % (vocabSize - 1))));
}
