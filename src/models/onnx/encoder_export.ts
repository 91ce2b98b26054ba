/**
 * Exporting encoders into model directories for ONNX Runtime: `model.onnx` plus the
 * `onnx_encoder.json` that tells `OnnxEncoder` how to run it, for a bare BERT encoder or for one
 * tower of a dual encoder (its prefix, pooling, projection and similarity).
 *
 * @module
 */

import type { BertConfig, NamedTensors } from "../config.ts";
import {
  type DualEncoderSpec,
  type Prompts,
  type Side,
  towerOf,
  towerPrefix,
} from "../architecture.ts";
import { ONNX_ENCODER_DEFAULTS, writeOnnxEncoderConfig } from "./encoder_config.ts";
import {
  buildBertOnnx,
  EMBEDDING_OUTPUT,
  ENCODER_INPUTS,
  type OnnxExportOptions,
  saveOnnxModel,
} from "./export.ts";

/** Options of {@linkcode exportBertEncoder}: the graph's, plus the lengths recorded for encoding. */
export interface EncoderExportOptions extends OnnxExportOptions {
  /** Default 32. */
  readonly queryMaxLength?: number;
  /** Default 256, capped at the model's `maxPositions`. */
  readonly docMaxLength?: number;
  /** Prompts recorded for the text encoder (put before queries / documents); default none. */
  readonly prompts?: Prompts;
}

/**
 * Export the encoder into model directory `dir`: `model.onnx` (pooled output) and
 * `onnx_encoder.json` describing it (pooling done in the graph, similarity `cosine` when
 * normalised, else `dot`), both written atomically. Load it with `OnnxEncoder.load(dir)`.
 */
export async function exportBertEncoder(
  dir: string,
  weights: NamedTensors,
  config: BertConfig,
  options: EncoderExportOptions,
): Promise<{ readonly modelPath: string; readonly configPath: string }> {
  const modelPath = await saveOnnxModel(dir, buildBertOnnx(weights, config, options));
  const configPath = await writeOnnxEncoderConfig(dir, {
    pooling: "none",
    normalize: false,
    similarity: options.normalize === true ? "cosine" : "dot",
    queryMaxLength: Math.min(
      options.queryMaxLength ?? ONNX_ENCODER_DEFAULTS.queryMaxLength,
      config.maxPositions,
    ),
    docMaxLength: Math.min(
      options.docMaxLength ?? ONNX_ENCODER_DEFAULTS.docMaxLength,
      config.maxPositions,
    ),
    inputIds: ENCODER_INPUTS.inputIds,
    attentionMask: ENCODER_INPUTS.attentionMask,
    tokenTypeIds: ENCODER_INPUTS.tokenTypeIds,
    outputName: EMBEDDING_OUTPUT,
    padTokenId: ONNX_ENCODER_DEFAULTS.padTokenId,
    ...(options.prompts?.query === undefined ? {} : { queryPrompt: options.prompts.query }),
    ...(options.prompts?.document === undefined
      ? {}
      : { documentPrompt: options.prompts.document }),
  });
  return { modelPath, configPath };
}

/**
 * Export one side's tower of a dual encoder (weights under the spec's canonical names, as
 * `collectModelWeights` returns them or a checkpoint holds them) into `dir`. Cosine similarity is
 * exported as L2-normalised embeddings, so inner-product search ranks by cosine (its fixed scale
 * does not change rankings).
 */
export function exportDualEncoderTower(
  dir: string,
  spec: DualEncoderSpec,
  weights: NamedTensors,
  side: Side,
): Promise<{ readonly modelPath: string; readonly configPath: string }> {
  const tower = towerOf(spec, side);
  const prefix = towerPrefix(spec, side);
  let projection: OnnxExportOptions["projection"];
  if (tower.projectionDim !== undefined) {
    const weight = weights.get(`${prefix}projection.weight`);
    const bias = weights.get(`${prefix}projection.bias`);
    if (weight === undefined) {
      return Promise.reject(
        new RangeError(`Cannot export the ${side} tower: no tensor "${prefix}projection.weight"`),
      );
    }
    projection = bias === undefined ? { weight } : { weight, bias };
  }
  return exportBertEncoder(dir, weights, tower.encoder, {
    pooling: spec.pooling,
    prefix,
    normalize: spec.similarity.kind === "cosine",
    queryMaxLength: spec.queryMaxLength,
    docMaxLength: spec.documentMaxLength,
    ...(spec.prompts === undefined ? {} : { prompts: spec.prompts }),
    ...(projection === undefined ? {} : { projection }),
  });
}
