/**
 * Engine options: what a caller (CLI flag) or the environment (`EMBEDDISTILL_BACKEND`,
 * `EMBEDDISTILL_THREADS`, `EMBEDDISTILL_SEED`, `EMBEDDISTILL_BLAS`) asks for, resolved to plain data.
 *
 * @module
 */

/** The tfjs backends the suite can train on. `tensorflow` (tfjs-node) is experimental. */
export type BackendName = "wasm" | "cpu" | "tensorflow";

/** Every backend name, in order of preference where all are available. */
export const BACKEND_NAMES: readonly BackendName[] = ["wasm", "cpu", "tensorflow"];

/** ONNX Runtime execution providers the session factory knows. */
export type ExecutionProvider = "cpu" | "cuda";

/** Thread counts for ONNX Runtime sessions (`SessionOptions.intraOpNumThreads` / `interOp`). */
export interface OnnxThreads {
  readonly intraOpThreads: number;
  readonly interOpThreads: number;
}

/** What a caller may ask of the engine; every field optional (environment, then defaults). */
export interface EngineOptions {
  /** tfjs backend; default `EMBEDDISTILL_BACKEND` or `"wasm"`. */
  readonly backend?: BackendName;
  /** Threads for BLAS and ONNX Runtime; default `EMBEDDISTILL_THREADS` or the core count. */
  readonly threads?: number;
  /** Root seed recorded with results; default `EMBEDDISTILL_SEED` or 42. */
  readonly seed?: number;
  /**
   * Shared library for BLAS: a path or soname, or `"none"` to disable it; default
   * `EMBEDDISTILL_BLAS` or the usual OpenBLAS sonames.
   */
  readonly blas?: string;
  /** Install the project's kernels over the backend's (default true). */
  readonly patchKernels?: boolean;
  /** ONNX Runtime execution provider for sessions made with the engine's defaults (cpu). */
  readonly executionProvider?: ExecutionProvider;
  /** ONNX Runtime threads; default intra-op = `threads`, inter-op = 1. */
  readonly onnxThreads?: Partial<OnnxThreads>;
}

/** Options with every default applied. */
export interface ResolvedEngineOptions {
  readonly backend: BackendName;
  readonly threads: number;
  readonly seed: number;
  readonly blas: string | undefined;
  readonly patchKernels: boolean;
  readonly executionProvider: ExecutionProvider;
  readonly onnxThreads: OnnxThreads;
}

/** Reads one environment variable; `Deno.env.get` by default, injectable in tests. */
export type EnvReader = (name: string) => string | undefined;

/** Default root seed when neither option nor environment gives one. */
export const DEFAULT_SEED = 42;

const denoEnv: EnvReader = (name) => Deno.env.get(name);

/** Parse a backend name (`--backend` or `EMBEDDISTILL_BACKEND`); throws naming the source. */
export function parseBackendName(value: string, source = "backend"): BackendName {
  const found = BACKEND_NAMES.find((name) => name === value.trim().toLowerCase());
  if (found === undefined) {
    throw new TypeError(
      `Cannot use ${source} "${value}": expected one of ${
        BACKEND_NAMES.map((n) => `"${n}"`).join(", ")
      }`,
    );
  }
  return found;
}

/** Parse a positive integer count (threads); throws a RangeError naming the source. */
export function parseCount(value: string | number, source: string): number {
  const n = typeof value === "number" ? value : Number(value.trim());
  if (!Number.isInteger(n) || n < 1 || (typeof value === "string" && value.trim() === "")) {
    throw new RangeError(`Cannot use ${source} "${value}": expected a positive integer`);
  }
  return n;
}

function parseSeed(value: string | number, source: string): number {
  const n = typeof value === "number" ? value : Number(value.trim());
  if (!Number.isSafeInteger(n) || (typeof value === "string" && value.trim() === "")) {
    throw new RangeError(`Cannot use ${source} "${value}": expected an integer seed`);
  }
  return n;
}

/** The number of logical cores, or 1 when the runtime does not say. */
export function coreCount(): number {
  const n = globalThis.navigator?.hardwareConcurrency;
  return typeof n === "number" && n > 0 ? n : 1;
}

/**
 * Apply the environment and the defaults to `options`. Explicit options win over the
 * environment; an invalid value in either throws (TypeError / RangeError) naming where it came from.
 */
export function resolveEngineOptions(
  options: EngineOptions = {},
  env: EnvReader = denoEnv,
): ResolvedEngineOptions {
  const backendEnv = env("EMBEDDISTILL_BACKEND");
  const backend = options.backend !== undefined
    ? parseBackendName(options.backend, "backend option")
    : backendEnv !== undefined && backendEnv !== ""
    ? parseBackendName(backendEnv, "EMBEDDISTILL_BACKEND")
    : "wasm";
  const threadsEnv = env("EMBEDDISTILL_THREADS");
  const threads = options.threads !== undefined
    ? parseCount(options.threads, "threads option")
    : threadsEnv !== undefined && threadsEnv !== ""
    ? parseCount(threadsEnv, "EMBEDDISTILL_THREADS")
    : coreCount();
  const seedEnv = env("EMBEDDISTILL_SEED");
  const seed = options.seed !== undefined
    ? parseSeed(options.seed, "seed option")
    : seedEnv !== undefined && seedEnv !== ""
    ? parseSeed(seedEnv, "EMBEDDISTILL_SEED")
    : DEFAULT_SEED;
  const blasEnv = env("EMBEDDISTILL_BLAS");
  const blas = options.blas ?? (blasEnv !== undefined && blasEnv !== "" ? blasEnv : undefined);
  const intra = options.onnxThreads?.intraOpThreads;
  const inter = options.onnxThreads?.interOpThreads;
  return {
    backend,
    threads,
    seed,
    blas,
    patchKernels: options.patchKernels ?? true,
    executionProvider: options.executionProvider ?? "cpu",
    onnxThreads: {
      intraOpThreads: intra === undefined ? threads : parseCount(intra, "intraOpThreads option"),
      interOpThreads: inter === undefined ? 1 : parseCount(inter, "interOpThreads option"),
    },
  };
}
