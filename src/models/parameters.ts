/**
 * Trainable parameters as tf.Variables keyed by checkpoint name, and their conversion from and to
 * plain named float32 tensors (what safetensors and the ONNX exporter read).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { NamedTensor, NamedTensors } from "./config.ts";

/** A model's variables by full checkpoint name (e.g. `query.encoder.layer.0.output.dense.bias`). */
export type Parameters = ReadonlyMap<string, tf.Variable>;

/** Create one trainable variable per tensor (unnamed in tfjs's registry, so models can coexist). */
export function toVariables(tensors: NamedTensors, trainable = true): Map<string, tf.Variable> {
  const out = new Map<string, tf.Variable>();
  for (const [name, { shape, data }] of tensors) {
    const initial = tf.tensor(data, [...shape], "float32");
    out.set(name, tf.variable(initial, trainable));
    initial.dispose(); // the variable keeps its own reference to the data
  }
  return out;
}

/** Copy variables out as named float32 tensors (synchronous download). */
export function fromVariables(params: Parameters): Map<string, NamedTensor> {
  const out = new Map<string, NamedTensor>();
  for (const [name, variable] of params) {
    out.set(name, { shape: [...variable.shape], data: Float32Array.from(variable.dataSync()) });
  }
  return out;
}

/** Dispose every variable of a model. */
export function disposeParameters(params: Parameters): void {
  for (const variable of params.values()) variable.dispose();
}

/** The variable named `name`; throws RangeError listing the count when it is missing. */
export function param(params: ReadonlyMap<string, tf.Tensor>, name: string): tf.Tensor {
  const found = params.get(name);
  if (found === undefined) {
    throw new RangeError(`Cannot find parameter "${name}" among ${params.size} parameters`);
  }
  return found;
}
