/**
 * Seeded random initialisation of BERT parameters as Hugging Face does it
 * (`BertPreTrainedModel._init_weights`): weights ~ N(0, 0.02^2), not truncated; biases 0;
 * LayerNorm weight 1, bias 0. Unlike Hugging Face the padding row of the word embeddings is not
 * zeroed (the tfjs model does not mask that row's gradient, so zeroing would not persist).
 *
 * @module
 */

import type { BertConfig, NamedTensor } from "./config.ts";
import { bertParameterShapes, poolerShapes } from "./bert_names.ts";
import { elementCount } from "./safetensors.ts";
import { seededRandom } from "../engine/mod.ts";

/** `initializer_range` of Hugging Face BertConfig. */
export const BERT_INIT_STD = 0.02;

/** A seeded source of standard normal numbers. */
export interface NormalSampler {
  /** Next N(0, 1) sample. */
  next(): number;
}

/**
 * Standard normal samples from a seeded mulberry32 generator (32-bit state) through Box-Muller;
 * the same seed gives the same sequence on every platform.
 */
export function normalSampler(seed: number): NormalSampler {
  const random = seededRandom(seed);
  // Shifted by half a step so the uniform is never 0 (Box-Muller takes its logarithm).
  const uniform = (): number => random() + 2 ** -33;
  let spare: number | undefined;
  return {
    next(): number {
      if (spare !== undefined) {
        const value = spare;
        spare = undefined;
        return value;
      }
      const r = Math.sqrt(-2 * Math.log(uniform()));
      const theta = 2 * Math.PI * uniform();
      spare = r * Math.sin(theta);
      return r * Math.cos(theta);
    },
  };
}

/** Initial value of a parameter by its name: LayerNorm weight 1, biases and LayerNorm bias 0. */
export function initTensor(
  name: string,
  shape: readonly number[],
  sampler: NormalSampler,
  std: number = BERT_INIT_STD,
): NamedTensor {
  const data = new Float32Array(elementCount(shape));
  if (name.endsWith("LayerNorm.weight")) data.fill(1);
  else if (!name.endsWith(".bias")) {
    for (let i = 0; i < data.length; i++) data[i] = std * sampler.next();
  }
  return { shape: [...shape], data };
}

/** Options of {@link initBertWeights}. */
export interface InitOptions {
  /** Also create `pooler.dense.*` (used by the cross-encoder `cls` head). */
  readonly pooler?: boolean;
  /** Standard deviation of weights (HF `initializer_range`, 0.02). */
  readonly std?: number;
}

/** Fresh encoder parameters under bare Hugging Face names, in PyTorch layouts. */
export function initBertWeights(
  config: BertConfig,
  seed: number,
  options: InitOptions = {},
): Map<string, NamedTensor> {
  const sampler = normalSampler(seed);
  const shapes = new Map(bertParameterShapes(config));
  if (options.pooler === true) { for (const [n, s] of poolerShapes(config)) shapes.set(n, s); }
  const out = new Map<string, NamedTensor>();
  for (const [name, shape] of shapes) {
    out.set(name, initTensor(name, shape, sampler, options.std ?? BERT_INIT_STD));
  }
  return out;
}
