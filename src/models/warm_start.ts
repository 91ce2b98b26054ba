/**
 * Warm start: a model's initial weights overlaid with a trained model's BERT body (every tensor
 * of the same name and shape; a shorter position table fills the first rows). How a cross-encoder
 * starts from a dual-encoder teacher of the same size, as a pretrained BERT would start both.
 *
 * @module
 */

import type { NamedTensor, NamedTensors } from "./config.ts";

/** What {@link warmStart} took from the source. */
export interface WarmStartReport {
  /** Tensors copied whole. */
  readonly copied: readonly string[];
  /** Tensors whose first rows were copied (a longer position table). */
  readonly partial: readonly string[];
  /** Tensors of the target the source does not have (kept as initialised). */
  readonly kept: readonly string[];
}

const POSITIONS = /(^|\.)embeddings\.position_embeddings\.weight$/;

/**
 * `initial` with every tensor that `source` has under the same name replaced by the source's:
 * equal shapes copy whole; a position table with fewer rows of the same width fills the first
 * rows. Throws TypeError naming the tensor for any other shape difference, and when no tensor
 * matches at all (another naming, e.g. a separate-tower model).
 */
export function warmStart(
  initial: NamedTensors,
  source: NamedTensors,
  sourceName: string,
): { readonly weights: Map<string, NamedTensor>; readonly report: WarmStartReport } {
  const weights = new Map<string, NamedTensor>();
  const copied: string[] = [];
  const partial: string[] = [];
  const kept: string[] = [];
  for (const [name, tensor] of initial) {
    const from = source.get(name);
    if (from === undefined) {
      weights.set(name, tensor);
      kept.push(name);
      continue;
    }
    const same = from.shape.length === tensor.shape.length &&
      from.shape.every((n, i) => n === tensor.shape[i]);
    if (same) {
      weights.set(name, { shape: [...tensor.shape], data: Float32Array.from(from.data) });
      copied.push(name);
      continue;
    }
    const [rows, width] = tensor.shape;
    const [fromRows, fromWidth] = from.shape;
    if (
      POSITIONS.test(name) && tensor.shape.length === 2 && from.shape.length === 2 &&
      width === fromWidth && fromRows! < rows!
    ) {
      const data = Float32Array.from(tensor.data);
      data.set(from.data);
      weights.set(name, { shape: [...tensor.shape], data });
      partial.push(name);
      continue;
    }
    throw new TypeError(
      `Cannot start from "${sourceName}": tensor "${name}" has shape [${from.shape}], the model being trained needs [${tensor.shape}]`,
    );
  }
  if (copied.length + partial.length === 0) {
    throw new TypeError(
      `Cannot start from "${sourceName}": none of its ${source.size} tensors is named as the model's (e.g. "${
        [...initial.keys()][0]
      }")`,
    );
  }
  return { weights, report: { copied, partial, kept } };
}
