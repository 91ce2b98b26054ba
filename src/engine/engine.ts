/**
 * Initialising the numerical engine once per process (tfjs backend, BLAS and its threads, the
 * project's kernels, seed, ONNX Runtime defaults) and the readonly state every result records.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { activateBackend } from "./backend.ts";
import { describeMachine, type MachineInfo } from "./machine.ts";
import { loadBlas } from "./openblas.ts";
import {
  type BackendName,
  type EngineOptions,
  type EnvReader,
  type ExecutionProvider,
  type OnnxThreads,
  resolveEngineOptions,
} from "./options.ts";
import { installProjectKernels, removeProjectKernels } from "./patches.ts";

/** BLAS as the engine found it. */
export interface BlasState {
  readonly found: boolean;
  /** The loaded library file, or null. */
  readonly path: string | null;
  /** OpenBLAS worker threads (0 when not found). */
  readonly threads: number;
  /** `openblas_get_config()`, or why BLAS is absent. */
  readonly detail: string;
}

/** ONNX Runtime defaults for sessions made through the engine. */
export interface OnnxState extends OnnxThreads {
  readonly executionProvider: ExecutionProvider;
}

/** What a result records about the engine that produced it. */
export interface EngineState {
  readonly backend: BackendName;
  readonly blas: BlasState;
  /** Threads requested for BLAS and ONNX Runtime (`EMBEDDISTILL_THREADS`). */
  readonly threads: number;
  readonly seed: number;
  /** Replaced kernels as `Kernel@backend:label`, e.g. `BatchMatMul@wasm:openblas`. */
  readonly kernelsPatched: readonly string[];
  readonly onnx: OnnxState;
  readonly tfjsVersion: string;
  readonly machine: MachineInfo;
}

let current: EngineState | undefined;

/**
 * Initialise the engine: activate the backend (default wasm), load OpenBLAS and set its threads,
 * register the project's kernels, and record the state. Calling it again re-applies the options.
 *
 * @example
 * ```ts
 * const engine = await initEngine({ backend: "wasm", threads: 1, seed: 7 });
 * engine.kernelsPatched; // ["BatchMatMul@wasm:openblas", "UnsortedSegmentSum@wasm:scatter-add"]
 * ```
 */
export async function initEngine(
  options: EngineOptions = {},
  env?: EnvReader,
): Promise<EngineState> {
  const resolved = resolveEngineOptions(options, env);
  await activateBackend(resolved.backend);
  const lookup = loadBlas(resolved.blas);
  const blas = lookup.kind === "found" ? lookup.blas : undefined;
  if (blas !== undefined) blas.setThreads(resolved.threads);
  let kernelsPatched: string[] = [];
  if (resolved.patchKernels) {
    kernelsPatched = installProjectKernels(resolved.backend, blas);
  } else {
    removeProjectKernels(resolved.backend);
  }
  current = Object.freeze({
    backend: resolved.backend,
    blas: Object.freeze(
      blas !== undefined
        ? { found: true, path: blas.path, threads: blas.threads(), detail: blas.config }
        : {
          found: false,
          path: null,
          threads: 0,
          detail: lookup.kind === "absent" ? lookup.reason : "",
        },
    ),
    threads: resolved.threads,
    seed: resolved.seed,
    kernelsPatched: Object.freeze(kernelsPatched),
    onnx: Object.freeze({ executionProvider: resolved.executionProvider, ...resolved.onnxThreads }),
    tfjsVersion: tf.version.tfjs,
    machine: Object.freeze(describeMachine()),
  });
  return current;
}

/** The state of the last {@link initEngine}, or undefined before it. */
export function engineState(): EngineState | undefined {
  return current;
}

/**
 * A short line for the start of a run, e.g. `wasm+blas, 2 threads` (backend, `+blas` when
 * OpenBLAS is loaded, engine threads); {@link describeEngine} gives the whole state.
 */
export function summariseEngine(state: EngineState | undefined = current): string {
  if (state === undefined) return "not initialised";
  const threads = `${state.threads} thread${state.threads === 1 ? "" : "s"}`;
  return `${state.backend}${state.blas.found ? "+blas" : ""}, ${threads}`;
}

/**
 * One line for logs and reports, e.g.
 * `tfjs 4.22.0 wasm | BLAS openblas (2 threads) | threads 2 | seed 42 | kernels: ... | ORT cpu 2/1`.
 */
export function describeEngine(state: EngineState | undefined = current): string {
  if (state === undefined) return "engine not initialised";
  const blas = state.blas.found
    ? `BLAS ${state.blas.path} (${state.blas.threads} threads)`
    : `BLAS absent (${state.blas.detail})`;
  const kernels = state.kernelsPatched.length > 0 ? state.kernelsPatched.join(", ") : "stock";
  return [
    `tfjs ${state.tfjsVersion} ${state.backend}`,
    blas,
    `threads ${state.threads}`,
    `seed ${state.seed}`,
    `kernels: ${kernels}`,
    `ORT ${state.onnx.executionProvider} intra ${state.onnx.intraOpThreads} inter ${state.onnx.interOpThreads}`,
    `${state.machine.cpuModel} x${state.machine.cores}`,
  ].join(" | ");
}
