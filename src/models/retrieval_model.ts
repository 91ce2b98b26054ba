/**
 * A trainable retrieval model in tfjs (dual encoder or cross-encoder) built from a spec and
 * weights, with saving to and loading from a model directory.
 *
 * @module
 */

import type { NamedTensor, NamedTensors } from "./config.ts";
import { createCrossEncoder, type CrossEncoder } from "./cross_encoder.ts";
import { createDualEncoder, type DualEncoder } from "./dual_encoder.ts";
import { loadModelDir, saveModelDir } from "./model_dir.ts";
import type { ModelSpec } from "./model_spec.ts";
import { disposeParameters, fromVariables } from "./parameters.ts";

/** Either model, discriminated by `kind`. */
export type RetrievalModel = DualEncoder | CrossEncoder;

/** Build the tfjs model a spec describes from checkpoint tensors. */
export function createModel(
  spec: ModelSpec,
  weights: NamedTensors,
  source?: string,
): RetrievalModel {
  switch (spec.kind) {
    case "dual":
      return createDualEncoder(spec, weights, source);
    case "cross":
      return createCrossEncoder(spec, weights, source);
    default: {
      const unreachable: never = spec;
      throw new TypeError(`Unknown model kind ${JSON.stringify(unreachable)}`);
    }
  }
}

/** The model's current weights under canonical names. */
export function modelWeights(model: RetrievalModel): Map<string, NamedTensor> {
  return fromVariables(model.params);
}

/** Save the model's spec and current weights to a model directory. */
export async function saveModel(dir: string, model: RetrievalModel): Promise<void> {
  await saveModelDir(dir, model.spec, modelWeights(model));
}

/** Load a model directory into a trainable tfjs model. */
export async function loadModel(dir: string): Promise<RetrievalModel> {
  const stored = await loadModelDir(dir);
  return createModel(stored.spec, stored.weights, `"${dir}"`);
}

/** Free the model's variables. */
export function disposeModel(model: RetrievalModel): void {
  disposeParameters(model.params);
}
