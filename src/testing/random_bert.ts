/**
 * Random BERT weights in which every tensor (LayerNorm scales and biases included) is
 * non-trivial, so a misplaced parameter changes the output, and seeded random token ids.
 *
 * @module
 */

import {
  type BertConfig,
  initBertWeights,
  type NamedTensor,
  normalSampler,
} from "../models/mod.ts";

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
