/**
 * The project's `BatchMatMul` kernels: OpenBLAS `cblas_sgemm` on the wasm heap (zero-copy) and
 * on cpu-backend arrays, with transposeA/transposeB and numpy-style broadcasting of batch dims;
 * when BLAS is absent, a wasm kernel that transposes explicitly before the stock kernel (the stock
 * wasm kernel runs ~10x slower with transpose flags, see ENGINES.md).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { Blas } from "./openblas.ts";
import {
  type CpuBackendLike,
  cpuValues,
  type WasmBackendLike,
  wasmFloat32,
} from "./tensor_memory.ts";

/** How one BatchMatMul maps onto GEMM calls. */
export interface MatMulPlan {
  readonly outShape: number[];
  /** op(A) is m x k, op(B) is k x n, per batch. */
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** Output batches (product of the broadcast batch dims). */
  readonly batches: number;
  /** For each output batch, the batch of A and of B it reads (broadcasting). */
  readonly aBatch: Int32Array;
  readonly bBatch: Int32Array;
  /** B has one batch and A is not transposed: all batches are one (batches*m) x n GEMM. */
  readonly fold: boolean;
}

/**
 * Plan a batched matmul of `aShape` by `bShape` (rank >= 2; batch dims broadcast as in numpy:
 * aligned right, a dim of 1 repeats). Throws a TypeError on mismatched inner or batch dims.
 */
export function planBatchMatMul(
  aShape: readonly number[],
  bShape: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
): MatMulPlan {
  const ra = aShape.length;
  const rb = bShape.length;
  if (ra < 2 || rb < 2) {
    throw new TypeError(`Cannot multiply shapes [${aShape}] and [${bShape}]: expected rank >= 2`);
  }
  const dim = (shape: readonly number[], i: number) => shape[i] as number;
  const m = transposeA ? dim(aShape, ra - 1) : dim(aShape, ra - 2);
  const ka = transposeA ? dim(aShape, ra - 2) : dim(aShape, ra - 1);
  const kb = transposeB ? dim(bShape, rb - 1) : dim(bShape, rb - 2);
  const n = transposeB ? dim(bShape, rb - 2) : dim(bShape, rb - 1);
  if (ka !== kb) {
    throw new TypeError(
      `Cannot multiply shapes [${aShape}] and [${bShape}] (transposeA=${transposeA}, transposeB=${transposeB}): inner dims ${ka} and ${kb} differ`,
    );
  }
  const aOuter = aShape.slice(0, -2);
  const bOuter = bShape.slice(0, -2);
  const rank = Math.max(aOuter.length, bOuter.length);
  const outOuter: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = aOuter[i - (rank - aOuter.length)] ?? 1;
    const db = bOuter[i - (rank - bOuter.length)] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new TypeError(
        `Cannot broadcast batch dims of shapes [${aShape}] and [${bShape}]: ${da} and ${db} at batch axis ${i}`,
      );
    }
    outOuter.push(da === 1 ? db : da);
  }
  const batches = outOuter.reduce((x, y) => x * y, 1);
  const aBatch = batchIndex(outOuter, aOuter, batches);
  const bBatch = batchIndex(outOuter, bOuter, batches);
  const bCount = bOuter.reduce((x, y) => x * y, 1);
  return {
    outShape: [...outOuter, m, n],
    m,
    n,
    k: ka,
    batches,
    aBatch,
    bBatch,
    fold: bCount === 1 && !transposeA && batches > 1,
  };
}

/** For each output batch (row-major over `out`), the flat batch of an operand with dims `own`. */
function batchIndex(out: readonly number[], own: readonly number[], batches: number): Int32Array {
  const index = new Int32Array(batches);
  const shift = out.length - own.length;
  const ownCount = own.reduce((x, y) => x * y, 1);
  if (ownCount === batches) {
    for (let i = 0; i < batches; i++) index[i] = i;
    return index;
  }
  if (ownCount === 1) return index;
  for (let o = 0; o < batches; o++) {
    let rest = o;
    let flat = 0;
    let stride = 1;
    for (let d = out.length - 1; d >= 0; d--) {
      const size = out[d] as number;
      const coord = rest % size;
      rest = (rest - coord) / size;
      const ownSize = d >= shift ? (own[d - shift] as number) : 1;
      if (ownSize !== 1) flat += coord * stride;
      stride *= ownSize;
    }
    index[o] = flat;
  }
  return index;
}

/** Run a plan with BLAS on whole-operand views `a`, `b` and output `c`. */
export function runPlan(
  blas: Blas,
  plan: MatMulPlan,
  transposeA: boolean,
  transposeB: boolean,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
): void {
  const { m, n, k, batches } = plan;
  if (m === 0 || n === 0 || batches === 0) return;
  if (k === 0) {
    c.fill(0);
    return;
  }
  const lda = transposeA ? m : k;
  const ldb = transposeB ? k : n;
  if (plan.fold) {
    blas.sgemm(false, transposeB, batches * m, n, k, 1, a, lda, b, ldb, 0, c, n);
    return;
  }
  const aSize = m * k;
  const bSize = k * n;
  const cSize = m * n;
  for (let o = 0; o < batches; o++) {
    const ai = (plan.aBatch[o] as number) * aSize;
    const bi = (plan.bBatch[o] as number) * bSize;
    blas.sgemm(
      transposeA,
      transposeB,
      m,
      n,
      k,
      1,
      a.subarray(ai, ai + aSize),
      lda,
      b.subarray(bi, bi + bSize),
      ldb,
      0,
      c.subarray(o * cSize, o * cSize + cSize),
      n,
    );
  }
}

interface MatMulArgs {
  readonly inputs: tf.NamedTensorInfoMap;
  readonly attrs?: tf.NamedAttrMap;
}

function operands(args: MatMulArgs) {
  const a = args.inputs["a"];
  const b = args.inputs["b"];
  if (a === undefined || b === undefined) {
    throw new TypeError('Cannot run BatchMatMul: expected inputs "a" and "b"');
  }
  const transposeA = args.attrs?.["transposeA"] === true;
  const transposeB = args.attrs?.["transposeB"] === true;
  return { a, b, transposeA, transposeB };
}

/** `BatchMatMul` for the wasm backend through BLAS, zero-copy on the wasm heap. */
export function wasmBlasBatchMatMul(blas: Blas, stock: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.BatchMatMul,
    backendName: "wasm",
    kernelFunc: (args) => {
      const { a, b, transposeA, transposeB } = operands(args);
      if (a.dtype !== "float32" || b.dtype !== "float32") return stock.kernelFunc(args);
      const backend = args.backend as unknown as WasmBackendLike;
      const plan = planBatchMatMul(a.shape, b.shape, transposeA, transposeB);
      const out = backend.makeOutput(plan.outShape, "float32");
      // Views after the allocation: growing the heap detaches earlier ones.
      runPlan(
        blas,
        plan,
        transposeA,
        transposeB,
        wasmFloat32(backend, a),
        wasmFloat32(backend, b),
        wasmFloat32(backend, out),
      );
      return out;
    },
  };
}

/** `BatchMatMul` for the cpu backend through BLAS on the backend's arrays. */
export function cpuBlasBatchMatMul(blas: Blas, stock: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.BatchMatMul,
    backendName: "cpu",
    kernelFunc: (args) => {
      const { a, b, transposeA, transposeB } = operands(args);
      if (a.dtype !== "float32" || b.dtype !== "float32") return stock.kernelFunc(args);
      const backend = args.backend as unknown as CpuBackendLike;
      const plan = planBatchMatMul(a.shape, b.shape, transposeA, transposeB);
      const c = new Float32Array(plan.outShape.reduce((x, y) => x * y, 1));
      runPlan(
        blas,
        plan,
        transposeA,
        transposeB,
        cpuValues(backend, a) as Float32Array,
        cpuValues(backend, b) as Float32Array,
        c,
      );
      return backend.makeTensorInfo(plan.outShape, "float32", c);
    },
  };
}

/**
 * `BatchMatMul` for the wasm backend without BLAS: transposed operands are transposed explicitly
 * with the backend's Transpose kernel, then the stock kernel runs without transpose flags.
 */
export function wasmTransposingBatchMatMul(
  stock: tf.KernelConfig,
  transpose: tf.KernelConfig,
): tf.KernelConfig {
  return {
    kernelName: tf.BatchMatMul,
    backendName: "wasm",
    kernelFunc: (args) => {
      const { a, b, transposeA, transposeB } = operands(args);
      const backend = args.backend as unknown as WasmBackendLike;
      const plan = planBatchMatMul(a.shape, b.shape, transposeA, transposeB);
      if (plan.k === 0 || plan.m === 0 || plan.n === 0 || plan.batches === 0) {
        // XNNPACK rejects empty operands (and prints); the product is all zeros.
        const out = backend.makeOutput(plan.outShape, a.dtype);
        wasmFloat32(backend, out).fill(0);
        return out;
      }
      if (!transposeA && !transposeB) return stock.kernelFunc(args);
      const swapLast = (x: tf.TensorInfo): tf.TensorInfo => {
        const r = x.shape.length;
        const perm = [...Array(r - 2).keys(), r - 1, r - 2];
        return transpose.kernelFunc({
          inputs: { x },
          backend: args.backend,
          attrs: { perm },
        }) as tf.TensorInfo;
      };
      const at = transposeA ? swapLast(a) : a;
      const bt = transposeB ? swapLast(b) : b;
      const out = stock.kernelFunc({
        inputs: { a: at, b: bt },
        backend: args.backend,
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      });
      if (at !== a) backend.disposeData(at.dataId);
      if (bt !== b) backend.disposeData(bt.dataId);
      return out;
    },
  };
}
