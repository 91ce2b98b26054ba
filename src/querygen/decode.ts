/**
 * Next-token choice for seq2seq query generation: greedy (arg-max) and seeded top-k sampling
 * over one row of decoder logits.
 *
 * @module
 */

import type { RandomSource } from "../engine/mod.ts";
import { checkInteger } from "./generator.ts";

/** Greedy decoding: the arg-max token at every step. */
export interface GreedyDecoding {
  readonly kind: "greedy";
}

/**
 * Top-k sampling (Fan, Lewis & Dauphin 2018, "Hierarchical Neural Story Generation"): sample
 * from softmax(logits / temperature) restricted to the k highest logits. The random stream of
 * each (document, query index) is derived from `seed`, so output does not depend on batching.
 */
export interface TopKDecoding {
  readonly kind: "top-k";
  readonly k: number;
  readonly temperature: number;
  readonly seed: number;
}

/** How the next token is chosen. */
export type Decoding = GreedyDecoding | TopKDecoding;

/** Throw a RangeError for a top-k decoding with k < 1, temperature <= 0 or a bad seed. */
export function validateDecoding(decoding: Decoding): Decoding {
  switch (decoding.kind) {
    case "greedy":
      return decoding;
    case "top-k":
      checkInteger(decoding.k, 1, "top-k k");
      checkInteger(decoding.seed, 0, "top-k seed");
      if (!(decoding.temperature > 0 && Number.isFinite(decoding.temperature))) {
        throw new RangeError(
          `Cannot use top-k temperature "${decoding.temperature}": expected a finite number > 0`,
        );
      }
      return decoding;
    default: {
      const never: never = decoding;
      throw new TypeError(`Cannot decode with unknown decoding ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Index of the largest of `logits[offset .. offset + size)` relative to `offset`; ties go to the
 * lowest index (as `torch.argmax`). NaN logits are never chosen unless all are NaN (then 0).
 */
export function argMax(logits: ArrayLike<number>, offset: number, size: number): number {
  let best = 0;
  let value = -Infinity;
  for (let i = 0; i < size; i++) {
    const v = logits[offset + i]!;
    if (v > value) {
      value = v;
      best = i;
    }
  }
  return best;
}

/** The top-k candidates of a logits row and their sampling probabilities. */
export interface TopKDistribution {
  /** Token ids, highest logit first (ties: lower id first). */
  readonly ids: readonly number[];
  /** softmax(logit / temperature) over the k candidates, in `ids` order; sums to 1. */
  readonly probabilities: readonly number[];
}

/** The top-k distribution of `logits[offset .. offset + size)` (ids relative to `offset`). */
export function topKDistribution(
  logits: ArrayLike<number>,
  offset: number,
  size: number,
  k: number,
  temperature: number,
): TopKDistribution {
  const keep = Math.min(k, size);
  const ids: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < size; i++) {
    const v = logits[offset + i]!;
    if (Number.isNaN(v)) continue;
    if (ids.length === keep && !(v > values[keep - 1]!)) continue;
    let j = ids.length < keep ? ids.length : keep - 1;
    while (j > 0 && v > values[j - 1]!) {
      ids[j] = ids[j - 1]!;
      values[j] = values[j - 1]!;
      j--;
    }
    ids[j] = i;
    values[j] = v;
  }
  if (ids.length === 0) return { ids: [0], probabilities: [1] };
  const top = values[0]!;
  const weights = values.map((v) => Math.exp((v - top) / temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  return { ids, probabilities: weights.map((w) => w / total) };
}

/** Draw a token from the top-k distribution of a logits row with `random`. */
export function sampleTopK(
  logits: ArrayLike<number>,
  offset: number,
  size: number,
  decoding: TopKDecoding,
  random: RandomSource,
): number {
  const { ids, probabilities } = topKDistribution(
    logits,
    offset,
    size,
    decoding.k,
    decoding.temperature,
  );
  let u = random();
  for (let i = 0; i < ids.length; i++) {
    u -= probabilities[i]!;
    if (u < 0) return ids[i]!;
  }
  return ids[ids.length - 1]!;
}
