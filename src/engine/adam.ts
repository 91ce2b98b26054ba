/**
 * The fused Adam update kernel and `adamStep` on tensors: one pass per parameter tensor computes
 * the new parameter and both moments (WebAssembly SIMD on the wasm heap, adam_simd.ts; this
 * file's scalar loop for the last n % 4 elements and on cpu), instead of the ~12 elementwise
 * kernels of `tf.train.adam` over every tensor, 30522 x 256 embedding tables included. Same
 * formula and state as tfjs / PyTorch Adam (Kingma & Ba 2015, Algorithm 1):
 * m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2,
 * p = p - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { adamSimd } from "./adam_simd.ts";
import {
  type CpuBackendLike,
  cpuValues,
  type WasmBackendLike,
  wasmFloat32,
  wasmMemory,
  wasmOffset,
} from "./tensor_memory.ts";

/**
 * Kernel: inputs param, m, v, grad; attrs lr, beta1, beta2, epsilon, step and optionally
 * weightDecay, decoupledWeightDecay; outputs p', m', v'.
 */
export const ADAM_KERNEL = "EmbeddistillAdam";

/** Hyperparameters of one Adam step (`step` counts from 1). */
export interface AdamHyper {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly step: number;
  /** L2 decay added to the gradient, g + wd p (PyTorch `Adam(weight_decay=...)`); default 0. */
  readonly weightDecay?: number;
  /** Decoupled decay, p (1 - lr wd) before the update (AdamW, Loshchilov & Hutter 2019); default 0. */
  readonly decoupledWeightDecay?: number;
}

/**
 * One Adam step over flat arrays (outputs may alias nothing):
 * g = grad + wd p, m' = b1 m + (1 - b1) g, v' = b2 v + (1 - b2) g^2,
 * p' = p (1 - lr wd_decoupled) - lr (m' / (1 - b1^t)) / (sqrt(v' / (1 - b2^t)) + eps).
 */
export function adamUpdate(
  param: Float32Array,
  m: Float32Array,
  v: Float32Array,
  grad: Float32Array,
  h: AdamHyper,
  outParam: Float32Array,
  outM: Float32Array,
  outV: Float32Array,
): void {
  const c1 = 1 / (1 - h.beta1 ** h.step);
  const c2 = 1 / (1 - h.beta2 ** h.step);
  const { lr, beta1, beta2, epsilon } = h;
  const a1 = 1 - beta1;
  const a2 = 1 - beta2;
  const wd = h.weightDecay ?? 0;
  const decay = 1 - lr * (h.decoupledWeightDecay ?? 0);
  for (let i = 0; i < param.length; i++) {
    const p = param[i]!;
    const g = grad[i]! + wd * p;
    const mi = beta1 * m[i]! + a1 * g;
    const vi = beta2 * v[i]! + a2 * g * g;
    outM[i] = mi;
    outV[i] = vi;
    outParam[i] = p * decay - (lr * mi * c1) / (Math.sqrt(vi * c2) + epsilon);
  }
}

/** The fused Adam kernel for `backendName`. */
export function adamKernel(backendName: "wasm" | "cpu"): tf.KernelConfig {
  return {
    kernelName: ADAM_KERNEL,
    backendName,
    kernelFunc: (args) => {
      const names = ["param", "m", "v", "grad"];
      const infos = names.map((n) => {
        const info = args.inputs[n];
        if (info === undefined || info.dtype !== "float32") {
          throw new TypeError(`Cannot run ${ADAM_KERNEL}: expected float32 input "${n}"`);
        }
        return info;
      });
      const a = args.attrs ?? {};
      const h: AdamHyper = {
        lr: Number(a["lr"]),
        beta1: Number(a["beta1"]),
        beta2: Number(a["beta2"]),
        epsilon: Number(a["epsilon"]),
        step: Number(a["step"]),
        weightDecay: Number(a["weightDecay"] ?? 0),
        decoupledWeightDecay: Number(a["decoupledWeightDecay"] ?? 0),
      };
      const shape = infos[0]!.shape;
      if (backendName === "wasm") {
        const b = args.backend as unknown as WasmBackendLike;
        const outs = [0, 1, 2].map(() => b.makeOutput(shape, "float32"));
        const n = shape.reduce((x, y) => x * y, 1);
        const memory = wasmMemory(b);
        const simd = memory === undefined ? undefined : adamSimd(memory);
        let done = 0;
        if (simd !== undefined) {
          const [p, m, v, g, op, om, ov] = [...infos, ...outs].map((i) => wasmOffset(b, i));
          simd.update(
            p!,
            m!,
            v!,
            g!,
            op!,
            om!,
            ov!,
            n,
            h.beta1,
            1 - h.beta1,
            h.beta2,
            1 - h.beta2,
            h.lr / (1 - h.beta1 ** h.step),
            1 / (1 - h.beta2 ** h.step),
            h.epsilon,
            h.weightDecay ?? 0,
            1 - h.lr * (h.decoupledWeightDecay ?? 0),
          );
          done = n - (n % 4);
        }
        if (done < n) {
          // Views after every allocation: heap growth detaches earlier ones.
          const [p, m, v, g] = infos.map((i) => wasmFloat32(b, i).subarray(done));
          const [op, om, ov] = outs.map((o) => wasmFloat32(b, o).subarray(done));
          adamUpdate(p!, m!, v!, g!, h, op!, om!, ov!);
        }
        return outs;
      }
      const b = args.backend as unknown as CpuBackendLike;
      const size = shape.reduce((x, y) => x * y, 1);
      const outs = [0, 1, 2].map(() => new Float32Array(size));
      const [p, m, v, g] = infos.map((i) => cpuValues(b, i) as Float32Array);
      adamUpdate(p!, m!, v!, g!, h, outs[0]!, outs[1]!, outs[2]!);
      return outs.map((o) => b.makeTensorInfo(shape, "float32", o));
    },
  };
}

/**
 * One Adam step on tensors: new parameter, first and second moments (the caller assigns them,
 * e.g. `variable.assign(p)`). The fused kernel where the active backend has it, else the same
 * formula in stock ops. Call inside `tf.tidy`.
 */
export function adamStep(
  param: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  grad: tf.Tensor,
  h: AdamHyper,
): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const wd = h.weightDecay ?? 0;
  const decoupled = h.decoupledWeightDecay ?? 0;
  const fused = tf.getKernel(ADAM_KERNEL, tf.getBackend()) !== undefined &&
    param.dtype === "float32" && grad.dtype === "float32";
  if (fused) {
    const attrs = { ...h, weightDecay: wd, decoupledWeightDecay: decoupled };
    const [p, m2, v2] = tf.engine().runKernel(
      ADAM_KERNEL,
      { param, m, v, grad },
      attrs,
    ) as tf.Tensor[];
    return [p!, m2!, v2!];
  }
  const g = wd === 0 ? grad : tf.add(grad, tf.mul(param, wd));
  const m2 = tf.add(tf.mul(m, h.beta1), tf.mul(g, 1 - h.beta1));
  const v2 = tf.add(tf.mul(v, h.beta2), tf.mul(tf.square(g), 1 - h.beta2));
  const mHat = tf.div(m2, 1 - h.beta1 ** h.step);
  const vHat = tf.div(v2, 1 - h.beta2 ** h.step);
  const decayed = decoupled === 0 ? param : tf.mul(param, 1 - h.lr * decoupled);
  const p = tf.sub(decayed, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), h.epsilon)), h.lr));
  return [p, m2, v2];
}
