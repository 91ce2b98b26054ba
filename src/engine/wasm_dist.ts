/**
 * Where the `@tensorflow/tfjs-backend-wasm` binaries live, resolved from the installed package
 * (node_modules with `nodeModulesDir`, or Deno's global npm cache) rather than a hard-coded path.
 *
 * @module
 */

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The binary the wasm backend loads on this runtime (SIMD, single-threaded in Deno). */
export const WASM_SIMD_BINARY = "tfjs-backend-wasm-simd.wasm";

/**
 * The package's `dist/` folder as a file path ending in `/` (the form `setWasmPaths` expects),
 * found from the resolved entry point of `@tensorflow/tfjs-backend-wasm`. Throws when the folder
 * holds no wasm binary.
 */
export function wasmDistDir(): string {
  const entry = import.meta.resolve("@tensorflow/tfjs-backend-wasm");
  if (!entry.startsWith("file:")) {
    throw new Error(
      `Cannot locate the tfjs wasm binaries: "@tensorflow/tfjs-backend-wasm" resolved to "${entry}", expected a file URL`,
    );
  }
  const dir = dirname(fileURLToPath(entry));
  if (!existsSync(join(dir, WASM_SIMD_BINARY))) {
    throw new Error(
      `Cannot locate the tfjs wasm binaries: "${dir}" has no ${WASM_SIMD_BINARY} (run "deno install")`,
    );
  }
  return dir.endsWith("/") ? dir : `${dir}/`;
}
