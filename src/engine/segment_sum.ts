/**
 * The project's `UnsortedSegmentSum` kernels (the gradient of `tf.gather`, i.e. of every embedding
 * lookup): a direct scatter-add, O(tokens x hidden), for the wasm backend (which has none) and the
 * cpu backend (whose kernel is O(segments x tokens x hidden)).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import {
  type CpuBackendLike,
  cpuValues,
  type WasmBackendLike,
  wasmFloat32,
  wasmInt32,
} from "./tensor_memory.ts";

/**
 * out[s, j] = sum of x[i, j] over i with ids[i] = s (TensorFlow `UnsortedSegmentSum`; ids outside
 * [0, segments) are dropped, as TensorFlow does). `out` must hold segments x inner values.
 */
export function scatterAdd(
  x: Float32Array | Int32Array,
  ids: Int32Array | Float32Array,
  segments: number,
  inner: number,
  out: Float32Array | Int32Array,
): void {
  out.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i] as number;
    if (s < 0 || s >= segments) continue;
    const src = i * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++) out[dst + j]! += x[src + j]!;
  }
}

interface SegmentArgs {
  readonly inputs: tf.NamedTensorInfoMap;
  readonly attrs?: tf.NamedAttrMap;
}

function segmentOperands(args: SegmentArgs) {
  const x = args.inputs["x"];
  const ids = args.inputs["segmentIds"];
  const segments = args.attrs?.["numSegments"];
  if (x === undefined || ids === undefined || typeof segments !== "number") {
    throw new TypeError(
      'Cannot run UnsortedSegmentSum: expected inputs "x", "segmentIds" and attribute "numSegments"',
    );
  }
  const idRank = ids.shape.length;
  if (x.shape.slice(0, idRank).join(",") !== ids.shape.join(",")) {
    throw new TypeError(
      `Cannot run UnsortedSegmentSum: segment ids of shape [${ids.shape}] are not a prefix of x's shape [${x.shape}]`,
    );
  }
  const innerShape = x.shape.slice(idRank);
  const inner = innerShape.reduce((a, b) => a * b, 1);
  return { x, ids, segments, inner, outShape: [segments, ...innerShape] };
}

/** Scatter-add `UnsortedSegmentSum` for the wasm backend, on heap views. */
export function wasmSegmentSum(): tf.KernelConfig {
  return {
    kernelName: tf.UnsortedSegmentSum,
    backendName: "wasm",
    kernelFunc: (args) => {
      const { x, ids, segments, inner, outShape } = segmentOperands(args);
      if (x.dtype !== "float32" && x.dtype !== "int32") {
        throw new TypeError(
          `Cannot run UnsortedSegmentSum on dtype "${x.dtype}": expected float32 or int32`,
        );
      }
      const backend = args.backend as unknown as WasmBackendLike;
      const out = backend.makeOutput(outShape, x.dtype);
      const view = x.dtype === "float32" ? wasmFloat32 : wasmInt32;
      scatterAdd(view(backend, x), wasmInt32(backend, ids), segments, inner, view(backend, out));
      return out;
    },
  };
}

/** Scatter-add `UnsortedSegmentSum` for the cpu backend. */
export function cpuSegmentSum(): tf.KernelConfig {
  return {
    kernelName: tf.UnsortedSegmentSum,
    backendName: "cpu",
    kernelFunc: (args) => {
      const { x, ids, segments, inner, outShape } = segmentOperands(args);
      const backend = args.backend as unknown as CpuBackendLike;
      const values = cpuValues(backend, x);
      const out = values instanceof Float32Array
        ? new Float32Array(segments * inner)
        : new Int32Array(segments * inner);
      scatterAdd(values, cpuValues(backend, ids), segments, inner, out);
      return backend.makeTensorInfo(outShape, x.dtype, out);
    },
  };
}
