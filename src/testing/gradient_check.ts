/**
 * Finite-difference gradient checking: the tfjs gradient of a scalar loss against central
 * differences of an independent float64 implementation of the same loss, on sampled coordinates
 * of every parameter tensor.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { disposeParameters, type NamedTensors, normalSampler, toVariables } from "../models/mod.ts";
import type { ReferenceTensor, ReferenceWeights } from "./bert_reference.ts";

/** What to check. */
export interface GradientCheckOptions {
  /** Parameters (float32) by name; tfjs variables are made from them. */
  readonly weights: NamedTensors;
  /** The loss in tfjs, from the variables by name. */
  readonly tfLoss: (params: ReadonlyMap<string, tf.Tensor>) => tf.Scalar;
  /** The same loss in float64 from (perturbed float64 copies of) the weights. */
  readonly referenceLoss: (weights: ReferenceWeights) => number;
  /** Coordinates sampled per tensor (default 20; all of them when the tensor is smaller). */
  readonly coordinatesPerTensor?: number;
  /** Central-difference step (default 1e-5). */
  readonly step?: number;
  /** Seed of the coordinate sampling (default 17). */
  readonly seed?: number;
  /**
   * Rows to sample from, per tensor (e.g. the embedding rows a batch uses; others have zero
   * gradient); undefined samples the whole tensor.
   */
  readonly rows?: (name: string) => readonly number[] | undefined;
}

/** One compared coordinate. */
export interface CoordinateCheck {
  readonly index: number;
  readonly gradient: number;
  readonly finiteDifference: number;
  /** |g - g_fd| / max(1, |g_fd|). */
  readonly error: number;
}

/** Per tensor: the compared coordinates and the worst error. */
export interface TensorCheck {
  readonly name: string;
  readonly coordinates: readonly CoordinateCheck[];
  readonly maxError: number;
  readonly maxAbsFiniteDifference: number;
}

/** The whole check: both loss values and every tensor's result. */
export interface GradientCheckReport {
  readonly tfLoss: number;
  readonly referenceLoss: number;
  readonly tensors: readonly TensorCheck[];
}

/**
 * Compute tfjs gradients of `tfLoss` for every tensor of `weights` on the active backend and
 * compare them with central finite differences (f(w + h) - f(w - h)) / 2h of `referenceLoss`.
 */
export function checkGradients(options: GradientCheckOptions): GradientCheckReport {
  const params = toVariables(options.weights);
  let tfLoss: number;
  const gradients = new Map<string, Float32Array>();
  try {
    const names = new Map([...params].map(([name, v]) => [v.name, name]));
    const { value, grads } = tf.variableGrads(() => options.tfLoss(params), [...params.values()]);
    tfLoss = value.dataSync()[0]!;
    for (const [variableName, g] of Object.entries(grads)) {
      gradients.set(names.get(variableName)!, Float32Array.from(g.dataSync()));
    }
    tf.dispose([value, ...Object.values(grads)]);
  } finally {
    disposeParameters(params);
  }
  const w64 = new Map<string, ReferenceTensor & { data: Float64Array }>(
    [...options.weights].map((
      [name, t],
    ) => [name, { shape: t.shape, data: Float64Array.from(t.data) }]),
  );
  const referenceLoss = options.referenceLoss(w64);
  const sampler = normalSampler(options.seed ?? 17);
  const uniform = (n: number) =>
    Math.min(n - 1, Math.floor(((Math.abs(sampler.next()) * 1e6) % 1) * n));
  const h = options.step ?? 1e-5;
  const perTensor = options.coordinatesPerTensor ?? 20;
  const tensors: TensorCheck[] = [];
  for (const [name, tensor] of w64) {
    const g = gradients.get(name) ?? new Float32Array(tensor.data.length);
    const width = tensor.shape[tensor.shape.length - 1] ?? 1;
    const rows = options.rows?.(name);
    const indices = tensor.data.length <= perTensor
      ? Array.from({ length: tensor.data.length }, (_, i) => i)
      : Array.from(
        { length: perTensor },
        () =>
          rows === undefined
            ? uniform(tensor.data.length)
            : rows[uniform(rows.length)]! * width + uniform(width),
      );
    const coordinates = indices.map((index): CoordinateCheck => {
      const original = tensor.data[index]!;
      tensor.data[index] = original + h;
      const up = options.referenceLoss(w64);
      tensor.data[index] = original - h;
      const down = options.referenceLoss(w64);
      tensor.data[index] = original;
      const finiteDifference = (up - down) / (2 * h);
      const gradient = g[index]!;
      const error = Math.abs(gradient - finiteDifference) / Math.max(1, Math.abs(finiteDifference));
      return { index, gradient, finiteDifference, error };
    });
    tensors.push({
      name,
      coordinates,
      maxError: Math.max(...coordinates.map((c) => c.error)),
      maxAbsFiniteDifference: Math.max(...coordinates.map((c) => Math.abs(c.finiteDifference))),
    });
  }
  return { tfLoss, referenceLoss, tensors };
}
