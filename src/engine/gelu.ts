/**
 * Fused exact (erf) GELU with its gradient: one pass per direction instead of the five-op
 * composite (the stock wasm `Erf` alone took ~25 ms on 2048 x 1024). On wasm the passes run in
 * WebAssembly SIMD on the heap (gelu_simd.ts; ~12 + 6 ms there), with this file's scalar code for
 * the last n % 4 elements and on cpu. Falls back to the composite on backends without the kernels.
 *
 * GELU(x) = x Phi(x), Phi(x) = erfc(-x / sqrt 2) / 2 (Hendrycks & Gimpel 2016; HF `"gelu"`);
 * GELU'(x) = Phi(x) + x phi(x), phi(x) = exp(-x^2 / 2) / sqrt(2 pi); erf comes from a piecewise
 * polynomial table (no exp per element).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { type GeluSimd, geluSimd } from "./gelu_simd.ts";
import {
  type CpuBackendLike,
  cpuValues,
  type WasmBackendLike,
  wasmFloat32,
  wasmMemory,
  wasmOffset,
} from "./tensor_memory.ts";
import { erf } from "./erf.ts";

/** Kernel name of the fused forward pass; outputs GELU(x) and Phi(x). */
export const GELU_KERNEL = "EmbeddistillGelu";
/** Kernel name of the fused gradient, inputs `dy`, `x` and `cdf` (Phi(x) from the forward). */
export const GELU_GRAD_KERNEL = "EmbeddistillGeluGrad";

const SQRT1_2 = Math.SQRT1_2;

/**
 * erf on [-ERF_RANGE, ERF_RANGE) as piecewise polynomials: PIECES intervals of width
 * 1/PIECES_PER_UNIT, each the degree-(DEGREE-1) Chebyshev interpolant of erf (Trefethen,
 * "Approximation Theory and Approximation Practice", ch. 4) in powers of t in [-1, 1]; max error
 * ~1e-10 inside, so GELU and its gradient need no exp and no sign branch. Outside, erf = +-1
 * (erfc(4) = 1.5e-8).
 */
const ERF_RANGE = 4;
const PIECES_PER_UNIT = 2;
const PIECES = 2 * ERF_RANGE * PIECES_PER_UNIT;
const DEGREE = 10;
const HALF_WIDTH = 0.5 / PIECES_PER_UNIT;

function chebyshevToPower(c: number[]): number[] {
  // Power-basis coefficients of sum c_k T_k(t), with T_{k+1} = 2t T_k - T_{k-1}.
  const out = new Array<number>(c.length).fill(0);
  let prev = [1];
  let cur = [0, 1];
  out[0] = c[0]!;
  if (c.length > 1) out[1] = c[1]!;
  for (let k = 2; k < c.length; k++) {
    const next = new Array<number>(k + 1).fill(0);
    for (let i = 0; i < cur.length; i++) next[i + 1]! += 2 * cur[i]!;
    for (let i = 0; i < prev.length; i++) next[i]! -= prev[i]!;
    for (let i = 0; i <= k; i++) out[i]! += c[k]! * next[i]!;
    prev = cur;
    cur = next;
  }
  return out;
}

/** ERF_TABLE[p * DEGREE + k]: power coefficient k of piece p; ERF_DERIV likewise for d/dz. */
const [ERF_TABLE, ERF_DERIV] = (() => {
  const table = new Float64Array(PIECES * DEGREE);
  const deriv = new Float64Array(PIECES * DEGREE);
  for (let p = 0; p < PIECES; p++) {
    const center = -ERF_RANGE + (p + 0.5) / PIECES_PER_UNIT;
    const f = Array.from(
      { length: DEGREE },
      (_, j) => erf(center + HALF_WIDTH * Math.cos((Math.PI * (j + 0.5)) / DEGREE)),
    );
    const cheb = Array.from({ length: DEGREE }, (_, k) => {
      let sum = 0;
      for (let j = 0; j < DEGREE; j++) sum += f[j]! * Math.cos((Math.PI * k * (j + 0.5)) / DEGREE);
      return ((k === 0 ? 1 : 2) / DEGREE) * sum;
    });
    const power = chebyshevToPower(cheb);
    for (let k = 0; k < DEGREE; k++) {
      table[p * DEGREE + k] = power[k]!;
      // d/dz = (d/dt) / HALF_WIDTH.
      deriv[p * DEGREE + k] = k + 1 < DEGREE ? ((k + 1) * power[k + 1]!) / HALF_WIDTH : 0;
    }
  }
  return [table, deriv];
})();

/** erf(z) from the piecewise table. */
function erfTable(z: number): number {
  const u = (z + ERF_RANGE) * PIECES_PER_UNIT;
  const p = Math.floor(u);
  if (p < 0) return -1;
  if (p >= PIECES) return 1;
  const t = 2 * (u - p) - 1;
  const o = p * DEGREE;
  const c = ERF_TABLE;
  // Horner, unrolled for DEGREE = 10.
  return c[o]! + t * (c[o + 1]! + t * (c[o + 2]! + t * (c[o + 3]! + t * (c[o + 4]! +
                    t *
                      (c[o + 5]! +
                        t * (c[o + 6]! + t * (c[o + 7]! + t * (c[o + 8]! + t * c[o + 9]!))))))));
}

/** erf'(z) = (2 / sqrt(pi)) e^{-z^2}, the derivative of the piecewise table. */
function erfDerivTable(z: number): number {
  const u = (z + ERF_RANGE) * PIECES_PER_UNIT;
  const p = Math.floor(u);
  if (p < 0 || p >= PIECES) return 0;
  const t = 2 * (u - p) - 1;
  const o = p * DEGREE;
  const c = ERF_DERIV;
  return c[o]! + t * (c[o + 1]! + t * (c[o + 2]! + t * (c[o + 3]! + t * (c[o + 4]! +
                    t * (c[o + 5]! + t * (c[o + 6]! + t * (c[o + 7]! + t * c[o + 8]!)))))));
}

/** Phi(x), the standard normal CDF: (1 + erf(x / sqrt 2)) / 2. */
export function normalCdf(x: number): number {
  return 0.5 + 0.5 * erfTable(x * SQRT1_2);
}

/** y[i] = GELU(x[i]) and cdf[i] = Phi(x[i]) (kept for the gradient). */
export function geluForward(x: Float32Array, y: Float32Array, cdf: Float32Array): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const c = normalCdf(v);
    cdf[i] = c;
    y[i] = v * c;
  }
}

/**
 * dx[i] = dy[i] * (Phi(x[i]) + x[i] phi(x[i])), with Phi from the forward pass and
 * phi(x) = erf'(x / sqrt 2) / (2 sqrt 2).
 */
export function geluBackward(
  dy: Float32Array,
  x: Float32Array,
  cdf: Float32Array,
  dx: Float32Array,
): void {
  const scale = 0.5 * SQRT1_2;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    dx[i] = dy[i]! * (cdf[i]! + v * scale * erfDerivTable(v * SQRT1_2));
  }
}

type Compute = (inputs: Float32Array[], outputs: Float32Array[]) => void;
/** The same on the wasm heap by byte offsets, for the first n - n % 4 elements. */
type SimdCompute = (kernels: GeluSimd, inputs: number[], outputs: number[], n: number) => void;

function elementwiseKernel(
  kernelName: string,
  backendName: "wasm" | "cpu",
  names: readonly string[],
  outputs: number,
  compute: Compute,
  simdCompute: SimdCompute,
): tf.KernelConfig {
  return {
    kernelName,
    backendName,
    kernelFunc: (args) => {
      const infos = names.map((n) => {
        const info = args.inputs[n];
        if (info === undefined || info.dtype !== "float32") {
          throw new TypeError(`Cannot run ${kernelName}: expected float32 input "${n}"`);
        }
        return info;
      });
      const shape = infos[0]!.shape;
      if (backendName === "wasm") {
        const backend = args.backend as unknown as WasmBackendLike;
        const outs = Array.from({ length: outputs }, () => backend.makeOutput(shape, "float32"));
        const memory = wasmMemory(backend);
        const kernels = memory === undefined ? undefined : geluSimd(memory);
        const n = shape.reduce((a, b) => a * b, 1);
        let done = 0;
        if (kernels !== undefined) {
          const offset = (i: tf.TensorInfo) => wasmOffset(backend, i);
          simdCompute(kernels, infos.map(offset), outs.map(offset), n);
          done = n - (n % 4);
        }
        if (done < n) {
          // Views after every allocation: heap growth detaches earlier ones.
          compute(
            infos.map((i) => wasmFloat32(backend, i).subarray(done)),
            outs.map((o) => wasmFloat32(backend, o).subarray(done)),
          );
        }
        return outputs === 1 ? outs[0]! : outs;
      }
      const backend = args.backend as unknown as CpuBackendLike;
      const size = shape.reduce((a, b) => a * b, 1);
      const arrays = Array.from({ length: outputs }, () => new Float32Array(size));
      compute(infos.map((i) => cpuValues(backend, i) as Float32Array), arrays);
      const outs = arrays.map((a) => backend.makeTensorInfo(shape, "float32", a));
      return outputs === 1 ? outs[0]! : outs;
    },
  };
}

/** The fused GELU forward (outputs y and Phi(x)) and gradient kernels for `backendName`. */
export function geluKernels(backendName: "wasm" | "cpu"): tf.KernelConfig[] {
  return [
    elementwiseKernel(
      GELU_KERNEL,
      backendName,
      ["x"],
      2,
      ([x], [y, cdf]) => geluForward(x!, y!, cdf!),
      (k, [x], [y, cdf], n) => k.forward(x!, y!, cdf!, n),
    ),
    elementwiseKernel(
      GELU_GRAD_KERNEL,
      backendName,
      ["dy", "x", "cdf"],
      1,
      ([dy, x, cdf], [dx]) => geluBackward(dy!, x!, cdf!, dx!),
      (k, [dy, x, cdf], [dx], n) => k.backward(dy!, x!, cdf!, dx!, n),
    ),
  ];
}

/** Composite exact GELU from stock ops (autodiff gives its gradient). */
export function geluComposite<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, SQRT1_2))))) as T;
}

const fused = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  const [value, cdf] = tf.engine().runKernel(GELU_KERNEL, { x }) as tf.Tensor[];
  (args[1] as tf.GradSaveFunc)([x, cdf!]);
  return {
    value: value!,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tf.engine().runKernel(GELU_GRAD_KERNEL, { dy, x: saved[0]!, cdf: saved[1]! }) as tf.Tensor,
  };
});

/**
 * Exact GELU, x Phi(x) (Hugging Face `"gelu"`), differentiable: the fused kernels when the active
 * backend has them (see `initEngine`), the stock composite otherwise.
 */
export function gelu<T extends tf.Tensor>(x: T): T {
  if (x.dtype !== "float32" || tf.getKernel(GELU_KERNEL, tf.getBackend()) === undefined) {
    return geluComposite(x);
  }
  return fused(x) as T;
}
