/**
 * Student initialisation from a subset of a teacher's layers (e.g. layers [0, 3] of 4): the
 * embeddings and every non-layer tensor are copied, the chosen layers renumbered 0..k-1
 * (as DistilBERT / EmbedDistill initialise students from the teacher).
 *
 * @module
 */

import type { BertConfig, NamedTensor, NamedTensors } from "./config.ts";

/** A config and weights with only the chosen layers. */
export interface LayerSubset {
  readonly config: BertConfig;
  readonly weights: Map<string, NamedTensor>;
}

const LAYER_NAME = /^(.*?(?:^|\.)encoder\.layer\.)(\d+)(\..*)$/;

/**
 * Keep `layers` (teacher layer indices, distinct, in the order they are to be stacked) of the
 * encoder whose tensors start with `prefix` (`""`, `"bert."`, `"query."`...). Tensors outside
 * that encoder are copied unchanged (shared, not cloned). Throws RangeError for an empty list, a
 * repeated index or an index outside the teacher.
 */
export function selectLayers(
  config: BertConfig,
  weights: NamedTensors,
  layers: readonly number[],
  prefix = "",
): LayerSubset {
  if (layers.length === 0) {
    throw new RangeError("Cannot select teacher layers: the list of layers is empty");
  }
  const position = new Map<number, number>();
  layers.forEach((layer, i) => {
    if (!Number.isInteger(layer) || layer < 0 || layer >= config.numLayers) {
      throw new RangeError(
        `Cannot select teacher layer ${layer}: expected an integer in [0, ${config.numLayers})`,
      );
    }
    if (position.has(layer)) {
      throw new RangeError(`Cannot select teacher layer ${layer} twice`);
    }
    position.set(layer, i);
  });
  const out = new Map<string, NamedTensor>();
  for (const [name, tensor] of weights) {
    const match = name.startsWith(prefix) ? LAYER_NAME.exec(name.slice(prefix.length)) : null;
    if (match === null || !(match[1] === "encoder.layer." || match[1] === "bert.encoder.layer.")) {
      out.set(name, tensor);
      continue;
    }
    const renumbered = position.get(Number(match[2]));
    if (renumbered !== undefined) out.set(`${prefix}${match[1]}${renumbered}${match[3]}`, tensor);
  }
  return { config: { ...config, numLayers: layers.length }, weights: out };
}
