/**
 * Zero-copy wasm `Identity` and same-dtype `Cast` kernels: the output shares the input's heap
 * buffer (reference-counted, as the wasm `Reshape` kernel and the cpu `Identity` kernel do)
 * instead of copying it. Gradients call these hundreds of times per training step.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";

/** The reference-counting member of the wasm backend. */
interface RefCounting {
  incRef(dataId: object): void;
}

function share(backend: unknown, x: tf.TensorInfo): tf.TensorInfo {
  (backend as RefCounting).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** `Identity` for the wasm backend without a copy (strings go to `stock`). */
export function wasmIdentity(stock: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.Identity,
    backendName: "wasm",
    kernelFunc: (args) => {
      const x = args.inputs["x"];
      if (x === undefined || x.dtype === "string") return stock.kernelFunc(args);
      return share(args.backend, x);
    },
  };
}

/** `Cast` for the wasm backend: no copy when the dtype does not change, else `stock`. */
export function wasmCast(stock: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.Cast,
    backendName: "wasm",
    kernelFunc: (args) => {
      const x = args.inputs["x"];
      if (x === undefined || x.dtype === "string" || args.attrs?.["dtype"] !== x.dtype) {
        return stock.kernelFunc(args);
      }
      return share(args.backend, x);
    },
  };
}
