/**
 * What a bench case is: a named hot path of the suite, the reference it is timed against (a fixed
 * OpenBLAS sgemm for BLAS-bound work, a fixed scalar loop for the rest) and the relative slowdown
 * it tolerates; preparing it builds its data once, and `run` is one timed sample.
 *
 * @module
 */

/** Which fixed reference a case is divided by. */
export type ReferenceKind = "sgemm" | "scalar";

/** What a case is prepared with. */
export interface CaseContext {
  /** Engine / BLAS / ONNX Runtime threads the case runs at. */
  readonly threads: number;
  /** A scratch folder the case may write to (removed after the check). */
  readonly tempDir: string;
}

/** A case ready to be timed. */
export interface PreparedCase {
  readonly kind: "prepared-case";
  /** One sample of the hot path. */
  readonly run: () => void | Promise<void>;
  /** What executes it: `ts` (V8), `wasm` (tfjs wasm + the engine's kernels), `ort-cpu`, `sqlite`. */
  readonly backend: string;
  /** The BLAS its matrix products run on (`openblas`, `ort-mlas`), null when none. */
  readonly blas: string | null;
  /** The workload in words, e.g. `SciFact, 5183 docs`. */
  readonly workload: string;
  dispose?(): void | Promise<void>;
}

/** A bench case of the registry. */
export interface BenchCase {
  readonly kind: "bench-case";
  /** `area/what`, e.g. `bm25/search`. */
  readonly name: string;
  readonly reference: ReferenceKind;
  /** The relative slowdown of the ratio it tolerates (0.3: up to 1.3 x the baseline ratio). */
  readonly threshold: number;
  /** In the `--quick` (CI) subset. */
  readonly quick: boolean;
  /** At most this many timed repeats (heavy cases), whatever the check asks. */
  readonly maxRepeats?: number;
  prepare(context: CaseContext): Promise<PreparedCase>;
}
