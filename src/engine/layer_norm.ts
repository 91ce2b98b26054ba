/**
 * Fused layer normalisation over the last axis with its gradient: one pass per row instead of
 * the moments / subtract / divide / scale composite and its autodiff graph. Falls back to the
 * composite on backends without the kernels.
 *
 * y = (x - mean) / sqrt(var + eps) * gamma + beta, biased variance (Ba et al. 2016, eq. 4;
 * PyTorch `nn.LayerNorm`, used by Hugging Face BERT with eps 1e-12). With g = dy * gamma and
 * xhat = (x - mean) * rstd: dx = rstd * (g - mean(g) - xhat * mean(g * xhat)),
 * dgamma = sum over rows of dy * xhat, dbeta = sum over rows of dy.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import {
  type CpuBackendLike,
  cpuValues,
  type WasmBackendLike,
  wasmFloat32,
} from "./tensor_memory.ts";

/** Kernel: inputs x [..., H], gamma [H], beta [H]; attr epsilon; outputs y, mean, rstd. */
export const LAYER_NORM_KERNEL = "EmbeddistillLayerNorm";
/** Kernel: inputs dy, x, gamma, mean, rstd; outputs dx, dgamma, dbeta. */
export const LAYER_NORM_GRAD_KERNEL = "EmbeddistillLayerNormGrad";

/** Forward pass on rows of length `h`; fills y, and mean / rstd per row. */
export function layerNormForward(
  x: Float32Array,
  gamma: Float32Array,
  beta: Float32Array,
  eps: number,
  h: number,
  y: Float32Array,
  mean: Float32Array,
  rstd: Float32Array,
): void {
  const rows = mean.length;
  for (let r = 0; r < rows; r++) {
    const base = r * h;
    let s = 0;
    for (let j = 0; j < h; j++) s += x[base + j]!;
    const mu = s / h;
    let v = 0;
    for (let j = 0; j < h; j++) {
      const d = x[base + j]! - mu;
      v += d * d;
    }
    const inv = 1 / Math.sqrt(v / h + eps);
    mean[r] = mu;
    rstd[r] = inv;
    for (let j = 0; j < h; j++) y[base + j] = (x[base + j]! - mu) * inv * gamma[j]! + beta[j]!;
  }
}

/** Backward pass; dgamma / dbeta are overwritten with sums over rows. */
export function layerNormBackward(
  dy: Float32Array,
  x: Float32Array,
  gamma: Float32Array,
  mean: Float32Array,
  rstd: Float32Array,
  h: number,
  dx: Float32Array,
  dgamma: Float32Array,
  dbeta: Float32Array,
): void {
  const rows = mean.length;
  const accGamma = new Float64Array(h);
  const accBeta = new Float64Array(h);
  for (let r = 0; r < rows; r++) {
    const base = r * h;
    const mu = mean[r]!;
    const inv = rstd[r]!;
    let sumG = 0;
    let sumGX = 0;
    for (let j = 0; j < h; j++) {
      const d = dy[base + j]!;
      const xhat = (x[base + j]! - mu) * inv;
      const g = d * gamma[j]!;
      sumG += g;
      sumGX += g * xhat;
      accGamma[j]! += d * xhat;
      accBeta[j]! += d;
    }
    const a = sumG / h;
    const b = sumGX / h;
    for (let j = 0; j < h; j++) {
      const xhat = (x[base + j]! - mu) * inv;
      dx[base + j] = inv * (dy[base + j]! * gamma[j]! - a - xhat * b);
    }
  }
  for (let j = 0; j < h; j++) {
    dgamma[j] = accGamma[j]!;
    dbeta[j] = accBeta[j]!;
  }
}

function input(args: { inputs: tf.NamedTensorInfoMap }, name: string, kernel: string) {
  const info = args.inputs[name];
  if (info === undefined || info.dtype !== "float32") {
    throw new TypeError(`Cannot run ${kernel}: expected float32 input "${name}"`);
  }
  return info;
}

/** Allocate outputs, then (after every allocation) hand views of inputs and outputs to `run`. */
function withArrays(
  backendName: "wasm" | "cpu",
  backend: unknown,
  inputs: tf.TensorInfo[],
  outShapes: number[][],
  run: (ins: Float32Array[], outs: Float32Array[]) => void,
): tf.TensorInfo[] {
  if (backendName === "wasm") {
    const b = backend as WasmBackendLike;
    const outs = outShapes.map((s) => b.makeOutput(s, "float32"));
    run(inputs.map((i) => wasmFloat32(b, i)), outs.map((o) => wasmFloat32(b, o)));
    return outs;
  }
  const b = backend as CpuBackendLike;
  const arrays = outShapes.map((s) => new Float32Array(s.reduce((p, q) => p * q, 1)));
  run(inputs.map((i) => cpuValues(b, i) as Float32Array), arrays);
  return outShapes.map((s, i) => b.makeTensorInfo(s, "float32", arrays[i]!));
}

/** The fused layer-norm forward and gradient kernels for `backendName`. */
export function layerNormKernels(backendName: "wasm" | "cpu"): tf.KernelConfig[] {
  return [
    {
      kernelName: LAYER_NORM_KERNEL,
      backendName,
      kernelFunc: (args) => {
        const k = LAYER_NORM_KERNEL;
        const [x, gamma, beta] = ["x", "gamma", "beta"].map((n) => input(args, n, k));
        const eps = Number(args.attrs?.["epsilon"]);
        const h = x!.shape[x!.shape.length - 1] ?? 1;
        const rows = x!.shape.slice(0, -1).reduce((a, b) => a * b, 1);
        if (gamma!.shape.join() !== `${h}` || beta!.shape.join() !== `${h}`) {
          throw new TypeError(
            `Cannot run ${k}: gamma [${gamma!.shape}] and beta [${beta!.shape}] must be [${h}]`,
          );
        }
        return withArrays(
          backendName,
          args.backend,
          [x!, gamma!, beta!],
          [x!.shape, [rows], [rows]],
          ([xv, g, b], [y, mean, rstd]) => layerNormForward(xv!, g!, b!, eps, h, y!, mean!, rstd!),
        );
      },
    },
    {
      kernelName: LAYER_NORM_GRAD_KERNEL,
      backendName,
      kernelFunc: (args) => {
        const names = ["dy", "x", "gamma", "mean", "rstd"];
        const infos = names.map((n) => input(args, n, LAYER_NORM_GRAD_KERNEL));
        const x = infos[1]!;
        const h = x.shape[x.shape.length - 1] ?? 1;
        return withArrays(
          backendName,
          args.backend,
          infos,
          [x.shape, [h], [h]],
          ([dy, xv, g, mean, rstd], [dx, dg, db]) =>
            layerNormBackward(dy!, xv!, g!, mean!, rstd!, h, dx!, dg!, db!),
        );
      },
    },
  ];
}

/** Composite layer norm from stock ops (autodiff gives its gradient). */
export function layerNormComposite<T extends tf.Tensor>(
  x: T,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  eps: number,
): T {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), gamma), beta);
  }) as T;
}

const fusedByEps = new Map<number, (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor>();

function fusedFor(eps: number) {
  let f = fusedByEps.get(eps);
  if (f === undefined) {
    f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [x, gamma, beta] = args as tf.Tensor[];
      const [y, mean, rstd] = tf.engine().runKernel(
        LAYER_NORM_KERNEL,
        { x: x!, gamma: gamma!, beta: beta! },
        { epsilon: eps },
      ) as tf.Tensor[];
      (args[3] as tf.GradSaveFunc)([x!, gamma!, mean!, rstd!]);
      return {
        value: y!,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [sx, sg, sm, sr] = saved;
          return tf.engine().runKernel(
            LAYER_NORM_GRAD_KERNEL,
            { dy, x: sx!, gamma: sg!, mean: sm!, rstd: sr! },
          ) as tf.Tensor[];
        },
      };
    }) as (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor;
    fusedByEps.set(eps, f);
  }
  return f;
}

/**
 * Layer normalisation over the last axis, differentiable in x, gamma and beta: the fused kernels
 * when the active backend has them (see `initEngine`), the stock composite otherwise.
 */
export function layerNorm<T extends tf.Tensor>(
  x: T,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  eps: number,
): T {
  if (!(eps >= 0)) throw new RangeError(`Cannot apply layer norm with epsilon ${eps}`);
  const fusedAvailable = tf.getKernel(LAYER_NORM_KERNEL, tf.getBackend()) !== undefined;
  if (!fusedAvailable || x.dtype !== "float32") return layerNormComposite(x, gamma, beta, eps);
  return fusedFor(eps)(x, gamma, beta) as T;
}
