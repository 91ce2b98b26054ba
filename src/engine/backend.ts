/**
 * Activating a tfjs backend by name: `wasm` (SIMD, binaries resolved from the package), `cpu`
 * (plain JavaScript) and the experimental `tensorflow` (tfjs-node / tfjs-node-gpu, loaded by
 * dynamic import only when asked for, since it cannot be installed offline).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import type { BackendName } from "./options.ts";
import { wasmDistDir } from "./wasm_dist.ts";

/** The npm packages that provide the `tensorflow` backend, tried in order. */
export const TENSORFLOW_PACKAGES: readonly string[] = [
  "@tensorflow/tfjs-node-gpu",
  "@tensorflow/tfjs-node",
];

/** How to enable the `tensorflow` backend, quoted in the error when it cannot be loaded. */
export const TENSORFLOW_HINT =
  'add "@tensorflow/tfjs-node": "npm:@tensorflow/tfjs-node@4.22.0" (or tfjs-node-gpu) to deno.json ' +
  '"imports" on a machine with network access, run "deno install --allow-scripts=npm:@tensorflow/tfjs-node" ' +
  "so its install step downloads libtensorflow, or set EMBEDDISTILL_TFJS_NODE to the module to import; " +
  "otherwise use --backend wasm";

let wasmPathsSet = false;

/**
 * Make `name` the active tfjs backend and wait until it is ready. Idempotent. Throws an Error
 * saying what to do when the backend cannot be initialised.
 */
export async function activateBackend(name: BackendName): Promise<void> {
  // tfjs warnings (e.g. "install our node backend") would print from the library: silence them.
  tf.env().set("PROD", true);
  switch (name) {
    case "wasm": {
      if (!wasmPathsSet && tf.findBackend("wasm") === null) {
        setWasmPaths(wasmDistDir());
        wasmPathsSet = true;
      }
      break;
    }
    case "cpu":
      break;
    case "tensorflow":
      if (tf.findBackendFactory("tensorflow") === null) await importTensorflow();
      break;
    default: {
      const never: never = name;
      throw new TypeError(`Cannot activate backend "${String(never)}"`);
    }
  }
  if (tf.getBackend() === name) return;
  const ok = await tf.setBackend(name);
  if (!ok) {
    throw new Error(
      `Cannot initialise the tfjs backend "${name}"${
        name === "tensorflow" ? `: ${TENSORFLOW_HINT}` : ""
      }`,
    );
  }
  await tf.ready();
}

async function importTensorflow(): Promise<void> {
  const configured = Deno.env.get("EMBEDDISTILL_TFJS_NODE");
  const candidates = configured !== undefined && configured !== ""
    ? [configured]
    : TENSORFLOW_PACKAGES;
  const failures: string[] = [];
  for (const specifier of candidates) {
    try {
      await import(specifier);
      if (tf.findBackendFactory("tensorflow") !== null) return;
      failures.push(`"${specifier}" loaded but registered no "tensorflow" backend`);
    } catch (error) {
      failures.push(`"${specifier}": ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new Error(
    `Cannot load the experimental "tensorflow" backend (${
      failures.join("; ")
    }): ${TENSORFLOW_HINT}`,
  );
}
