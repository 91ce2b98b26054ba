/**
 * Replacing tfjs kernels per backend while keeping the stock ones at hand: the project's kernels
 * are registered over the backend's with `tf.unregisterKernel` / `tf.registerKernel`, and the
 * stock configs stay callable (fallback paths, tests and benchmarks compare against them).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";

const stock = new Map<string, tf.KernelConfig | null>();
const installed = new Map<string, string>();

const keyOf = (kernelName: string, backendName: string) => `${backendName}/${kernelName}`;

/**
 * The backend's own kernel for `kernelName`, as it was before any replacement (undefined when the
 * backend has none, e.g. `UnsortedSegmentSum` on wasm).
 */
export function stockKernel(kernelName: string, backendName: string): tf.KernelConfig | undefined {
  const key = keyOf(kernelName, backendName);
  if (stock.has(key)) return stock.get(key) ?? undefined;
  return tf.getKernel(kernelName, backendName);
}

/**
 * Register `config` over whatever is registered for its kernel and backend, remembering the stock
 * kernel the first time. `label` names the implementation in the engine state (e.g. `openblas`).
 * The stock kernel's `setupFunc` runs when the backend is (re)initialised, since fallbacks call it.
 */
export function replaceKernel(config: tf.KernelConfig, label: string): void {
  const { kernelName, backendName } = config;
  const key = keyOf(kernelName, backendName);
  const current = tf.getKernel(kernelName, backendName);
  if (!stock.has(key)) stock.set(key, current ?? null);
  if (current !== undefined) tf.unregisterKernel(kernelName, backendName);
  const original = stock.get(key);
  const setupFunc = config.setupFunc ?? original?.setupFunc;
  tf.registerKernel(setupFunc === undefined ? config : { ...config, setupFunc });
  installed.set(key, label);
}

/** Put the stock kernel back (or leave none, if the backend had none). */
export function restoreKernel(kernelName: string, backendName: string): void {
  const key = keyOf(kernelName, backendName);
  if (!installed.has(key)) return;
  if (tf.getKernel(kernelName, backendName) !== undefined) {
    tf.unregisterKernel(kernelName, backendName);
  }
  const original = stock.get(key);
  if (original) tf.registerKernel(original);
  installed.delete(key);
}

/** The kernels currently replaced, as `Kernel@backend:label`, sorted. */
export function replacedKernels(): string[] {
  return [...installed.entries()]
    .map(([key, label]) => {
      const [backend, kernel] = key.split("/");
      return `${kernel}@${backend}:${label}`;
    })
    .sort();
}
