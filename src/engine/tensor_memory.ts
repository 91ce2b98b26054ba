/**
 * Structural access to where the wasm and cpu tfjs backends keep tensor data: offsets on the wasm
 * heap (views re-taken after every allocation, since heap growth detaches old views) and the
 * typed arrays of the cpu backend. Only the few members the project's kernels need are declared.
 *
 * @module
 */

import type * as tf from "@tensorflow/tfjs";

/** The members of tfjs-backend-wasm's `BackendWasm` that kernels use. */
export interface WasmBackendLike {
  readonly wasm: {
    readonly HEAPF32: Float32Array;
    readonly HEAP32: Int32Array;
    /** The module's exports; `memory` is the heap (emscripten's `Module.asm`). */
    readonly asm?: { readonly memory?: unknown };
  };
  readonly dataIdMap: { get(dataId: object): { readonly memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  disposeData(dataId: object): boolean;
}

/** The members of tfjs-backend-cpu's `MathBackendCPU` that kernels use. */
export interface CpuBackendLike {
  readonly data: { get(dataId: object): { readonly values?: unknown } | undefined };
  makeTensorInfo(
    shape: number[],
    dtype: tf.DataType,
    values: Float32Array | Int32Array,
  ): tf.TensorInfo;
  disposeIntermediateTensorInfo(info: tf.TensorInfo): void;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** The byte offset of a tensor's data on the wasm heap. */
export function wasmOffset(backend: WasmBackendLike, info: tf.TensorInfo): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (data === undefined) {
    throw new TypeError(`Cannot find tensor data of shape [${info.shape}] on the wasm heap`);
  }
  return data.memoryOffset;
}

/** The wasm heap as a `WebAssembly.Memory`, for modules that import it; undefined if hidden. */
export function wasmMemory(backend: WasmBackendLike): WebAssembly.Memory | undefined {
  const memory = backend.wasm.asm?.memory;
  return memory instanceof WebAssembly.Memory ? memory : undefined;
}

/** A float32 view of a tensor on the wasm heap; take it after the last allocation. */
export function wasmFloat32(backend: WasmBackendLike, info: tf.TensorInfo): Float32Array {
  const start = wasmOffset(backend, info) >>> 2;
  return backend.wasm.HEAPF32.subarray(start, start + size(info.shape));
}

/** An int32 view of a tensor on the wasm heap; take it after the last allocation. */
export function wasmInt32(backend: WasmBackendLike, info: tf.TensorInfo): Int32Array {
  const start = wasmOffset(backend, info) >>> 2;
  return backend.wasm.HEAP32.subarray(start, start + size(info.shape));
}

/** The values of a float32 or int32 tensor on the cpu backend. */
export function cpuValues(backend: CpuBackendLike, info: tf.TensorInfo): Float32Array | Int32Array {
  const values = backend.data.get(info.dataId)?.values;
  if (values instanceof Float32Array || values instanceof Int32Array) return values;
  throw new TypeError(
    `Cannot read tensor data of shape [${info.shape}] on the cpu backend: expected a Float32Array or Int32Array`,
  );
}
