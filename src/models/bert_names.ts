/**
 * Hugging Face BERT parameter names and PyTorch shapes (Linear weights [out, in]), and lookup of
 * those names in checkpoints that prefix them (`bert.`, or a tower prefix such as `query.`).
 *
 * Names follow `transformers` `BertModel.state_dict()`.
 *
 * @module
 */

import type { BertConfig, NamedTensor, NamedTensors } from "./config.ts";

/** Names and shapes of the pooler of `BertModel` (dense + tanh on [CLS]); optional here. */
export function poolerShapes(config: BertConfig): ReadonlyMap<string, readonly number[]> {
  const h = config.hiddenSize;
  return new Map([["pooler.dense.weight", [h, h]], ["pooler.dense.bias", [h]]]);
}

/** Names (bare, no `bert.` prefix) and shapes of every encoder parameter, in checkpoint order. */
export function bertParameterShapes(config: BertConfig): ReadonlyMap<string, readonly number[]> {
  const { hiddenSize: h, intermediateSize: f } = config;
  const shapes = new Map<string, readonly number[]>([
    ["embeddings.word_embeddings.weight", [config.vocabSize, h]],
    ["embeddings.position_embeddings.weight", [config.maxPositions, h]],
    ["embeddings.token_type_embeddings.weight", [config.typeVocabSize, h]],
    ["embeddings.LayerNorm.weight", [h]],
    ["embeddings.LayerNorm.bias", [h]],
  ]);
  for (let i = 0; i < config.numLayers; i++) {
    const p = `encoder.layer.${i}.`;
    for (const part of ["query", "key", "value"]) {
      shapes.set(`${p}attention.self.${part}.weight`, [h, h]);
      shapes.set(`${p}attention.self.${part}.bias`, [h]);
    }
    shapes.set(`${p}attention.output.dense.weight`, [h, h]);
    shapes.set(`${p}attention.output.dense.bias`, [h]);
    shapes.set(`${p}attention.output.LayerNorm.weight`, [h]);
    shapes.set(`${p}attention.output.LayerNorm.bias`, [h]);
    shapes.set(`${p}intermediate.dense.weight`, [f, h]);
    shapes.set(`${p}intermediate.dense.bias`, [f]);
    shapes.set(`${p}output.dense.weight`, [h, f]);
    shapes.set(`${p}output.dense.bias`, [h]);
    shapes.set(`${p}output.LayerNorm.weight`, [h]);
    shapes.set(`${p}output.LayerNorm.bias`, [h]);
  }
  return shapes;
}

/**
 * Older names of a parameter: checkpoints converted from TensorFlow (e.g. the original
 * bert-base-uncased) call LayerNorm's weight `gamma` and its bias `beta`, which `transformers`
 * renames when loading (`_fix_key`).
 */
function legacyNames(name: string): string[] {
  if (name.endsWith("LayerNorm.weight")) return [name.slice(0, -"weight".length) + "gamma"];
  if (name.endsWith("LayerNorm.bias")) return [name.slice(0, -"bias".length) + "beta"];
  return [];
}

/**
 * Find `name` in `weights` under `prefix + name` or `prefix + "bert." + name` (Hugging Face task
 * models such as `BertForMaskedLM` store the encoder under `bert.`), also accepting the legacy
 * LayerNorm names `gamma` / `beta`.
 */
export function findTensor(
  weights: NamedTensors,
  name: string,
  prefix = "",
): NamedTensor | undefined {
  for (const candidate of [name, ...legacyNames(name)]) {
    const found = weights.get(prefix + candidate) ?? weights.get(`${prefix}bert.${candidate}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Take the tensors named in `shapes` from `weights` (bare or `bert.`-prefixed, under `prefix`),
 * checking each shape. Returns them under bare names. Throws RangeError for a missing tensor and
 * TypeError for a wrong shape, naming `source`.
 */
export function takeTensors(
  weights: NamedTensors,
  shapes: ReadonlyMap<string, readonly number[]>,
  prefix = "",
  source = "weights",
): Map<string, NamedTensor> {
  const out = new Map<string, NamedTensor>();
  for (const [name, shape] of shapes) {
    const tensor = findTensor(weights, name, prefix);
    if (tensor === undefined) {
      throw new RangeError(
        `Cannot find tensor "${prefix}${name}" (or "${prefix}bert.${name}") in ${source}`,
      );
    }
    if (tensor.shape.length !== shape.length || tensor.shape.some((d, i) => d !== shape[i])) {
      throw new TypeError(
        `Cannot use tensor "${prefix}${name}" of ${source}: expected shape ${
          JSON.stringify(shape)
        }, found ${JSON.stringify(tensor.shape)}`,
      );
    }
    out.set(name, tensor);
  }
  return out;
}
