/**
 * Which project kernels go over which backend: scatter-add `UnsortedSegmentSum` (wasm, cpu),
 * BLAS `BatchMatMul` (wasm, cpu) or, without BLAS, the explicitly transposing wasm `BatchMatMul`.
 * The `tensorflow` backend keeps its native kernels.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import {
  cpuBlasBatchMatMul,
  wasmBlasBatchMatMul,
  wasmTransposingBatchMatMul,
} from "./batch_matmul.ts";
import { replacedKernels, replaceKernel, restoreKernel, stockKernel } from "./kernel_registry.ts";
import type { Blas } from "./openblas.ts";
import type { BackendName } from "./options.ts";
import { cpuSegmentSum, wasmSegmentSum } from "./segment_sum.ts";
import { wasmMean, wasmSum } from "./reduce_sum.ts";
import { wasmCast, wasmIdentity } from "./identity.ts";
import { GELU_GRAD_KERNEL, GELU_KERNEL, geluKernels } from "./gelu.ts";
import { LAYER_NORM_GRAD_KERNEL, LAYER_NORM_KERNEL, layerNormKernels } from "./layer_norm.ts";
import { ADAM_KERNEL, adamKernel } from "./adam.ts";
import { wasmGather } from "./gather.ts";

/** Kernel names the project may replace. */
export const PATCHED_KERNEL_NAMES: readonly string[] = [
  tf.UnsortedSegmentSum,
  tf.BatchMatMul,
  tf.Sum,
  tf.Mean,
  tf.Identity,
  tf.Cast,
  GELU_KERNEL,
  GELU_GRAD_KERNEL,
  LAYER_NORM_KERNEL,
  LAYER_NORM_GRAD_KERNEL,
  ADAM_KERNEL,
  tf.GatherV2,
];

function installFused(backend: "wasm" | "cpu"): void {
  const configs = [...geluKernels(backend), ...layerNormKernels(backend), adamKernel(backend)];
  for (const config of configs) {
    replaceKernel(config, "fused");
  }
}

function stockOrThrow(kernelName: string, backendName: string): tf.KernelConfig {
  const stock = stockKernel(kernelName, backendName);
  if (stock === undefined) {
    throw new Error(
      `Cannot patch ${kernelName} on "${backendName}": the backend has no stock kernel`,
    );
  }
  return stock;
}

/**
 * Register the project's kernels over `backend`'s (which must be initialised, so the stock
 * kernels' setup has run). Returns every replaced kernel, as `Kernel@backend:label`.
 */
export function installProjectKernels(backend: BackendName, blas: Blas | undefined): string[] {
  switch (backend) {
    case "wasm": {
      replaceKernel(wasmSegmentSum(), "scatter-add");
      replaceKernel(wasmSum(stockOrThrow(tf.Sum, "wasm")), "strided-sum");
      replaceKernel(wasmMean(stockOrThrow(tf.Mean, "wasm")), "strided-sum");
      replaceKernel(wasmIdentity(stockOrThrow(tf.Identity, "wasm")), "zero-copy");
      replaceKernel(wasmCast(stockOrThrow(tf.Cast, "wasm")), "zero-copy");
      replaceKernel(wasmGather(stockOrThrow(tf.GatherV2, "wasm")), "row-copy");
      installFused("wasm");
      const stock = stockOrThrow(tf.BatchMatMul, "wasm");
      if (blas !== undefined) {
        replaceKernel(wasmBlasBatchMatMul(blas, stock), "openblas");
      } else {
        replaceKernel(
          wasmTransposingBatchMatMul(stock, stockOrThrow(tf.Transpose, "wasm")),
          "explicit-transpose",
        );
      }
      break;
    }
    case "cpu": {
      replaceKernel(cpuSegmentSum(), "scatter-add");
      installFused("cpu");
      if (blas !== undefined) {
        replaceKernel(cpuBlasBatchMatMul(blas, stockOrThrow(tf.BatchMatMul, "cpu")), "openblas");
      } else {
        restoreKernel(tf.BatchMatMul, "cpu");
      }
      break;
    }
    case "tensorflow":
      break;
    default: {
      const never: never = backend;
      throw new TypeError(`Cannot patch backend "${String(never)}"`);
    }
  }
  return replacedKernels();
}

/** Put the stock kernels of `backend` back. */
export function removeProjectKernels(backend: BackendName): void {
  for (const name of PATCHED_KERNEL_NAMES) restoreKernel(name, backend);
}
