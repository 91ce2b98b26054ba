/**
 * OpenBLAS through Deno's FFI: `cblas_sgemm` on caller-owned Float32Array views (zero-copy,
 * including views on the wasm heap) and `openblas_set_num_threads`, loaded once per process.
 *
 * @module
 */

/** Row-major single-precision GEMM and thread control of a loaded BLAS library. */
export interface Blas {
  /** The library file that was loaded (resolved through /proc/self/maps where possible). */
  readonly path: string;
  /** `openblas_get_config()`, e.g. `OpenBLAS 0.3.21 DYNAMIC_ARCH ... Cooperlake MAX_THREADS=64`. */
  readonly config: string;
  /**
   * C = alpha * op(A) * op(B) + beta * C, row-major (CBLAS `cblas_sgemm` with `CblasRowMajor`).
   * `a`, `b`, `c` are views starting at the first element; op(A) is m x k, op(B) k x n.
   */
  sgemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    lda: number,
    b: Float32Array,
    ldb: number,
    beta: number,
    c: Float32Array,
    ldc: number,
  ): void;
  /** Set the worker-thread count (`openblas_set_num_threads`). */
  setThreads(threads: number): void;
  /** The current worker-thread count (`openblas_get_num_threads`). */
  threads(): number;
}

/** Whether BLAS could be loaded, and why not. */
export type BlasLookup =
  | { readonly kind: "found"; readonly blas: Blas }
  | { readonly kind: "absent"; readonly reason: string };

/** Sonames tried in order when no library is named (Debian `libopenblas0-pthread`, macOS). */
export const OPENBLAS_SONAMES: readonly string[] = [
  "libopenblas.so.0",
  "libopenblas.so",
  "libopenblas.dylib",
];

// CBLAS enum values (cblas.h): CblasRowMajor = 101, CblasNoTrans = 111, CblasTrans = 112.
const ROW_MAJOR = 101;
const NO_TRANS = 111;
const TRANS = 112;

const SYMBOLS = {
  cblas_sgemm: {
    parameters: [
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "f32",
      "buffer",
      "i32",
      "buffer",
      "i32",
      "f32",
      "buffer",
      "i32",
    ],
    result: "void",
  },
  openblas_set_num_threads: { parameters: ["i32"], result: "void" },
  openblas_get_num_threads: { parameters: [], result: "i32" },
  openblas_get_config: { parameters: [], result: "pointer" },
} as const;

const cache = new Map<string, BlasLookup>();

/**
 * Load OpenBLAS once per process (later calls return the same handle). `library` is a path or
 * soname, or `"none"` to report BLAS as absent; by default the {@link OPENBLAS_SONAMES} are tried.
 * Never throws: a missing library or a missing `--allow-ffi` permission is reported as absent.
 */
export function loadBlas(library?: string): BlasLookup {
  const key = library ?? "";
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const lookup = lookupBlas(library);
  cache.set(key, lookup);
  return lookup;
}

function lookupBlas(library: string | undefined): BlasLookup {
  if (library === "none") return { kind: "absent", reason: 'disabled ("none")' };
  const candidates = library === undefined ? OPENBLAS_SONAMES : [library];
  const failures: string[] = [];
  for (const name of candidates) {
    try {
      const lib = Deno.dlopen(name, SYMBOLS);
      return { kind: "found", blas: wrap(lib, name) };
    } catch (error) {
      failures.push(`"${name}": ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { kind: "absent", reason: `cannot load ${failures.join("; ")}` };
}

function wrap(lib: Deno.DynamicLibrary<typeof SYMBOLS>, name: string): Blas {
  const s = lib.symbols;
  const configPointer = s.openblas_get_config();
  const config = configPointer === null
    ? "unknown"
    : Deno.UnsafePointerView.getCString(configPointer);
  return {
    path: loadedPath(name),
    config,
    sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
      s.cblas_sgemm(
        ROW_MAJOR,
        transA ? TRANS : NO_TRANS,
        transB ? TRANS : NO_TRANS,
        m,
        n,
        k,
        alpha,
        a,
        lda,
        b,
        ldb,
        beta,
        c,
        ldc,
      );
    },
    setThreads(threads) {
      if (!Number.isInteger(threads) || threads < 1) {
        throw new RangeError(`Cannot set BLAS threads to ${threads}: expected a positive integer`);
      }
      s.openblas_set_num_threads(threads);
    },
    threads: () => s.openblas_get_num_threads(),
  };
}

/**
 * The file a soname resolved to: from the process's memory map (Linux, needs --allow-all since
 * Deno 2), else from the loader cache (`ldconfig -p`, needs --allow-run), else the name itself.
 */
function loadedPath(name: string): string {
  if (name.includes("/")) return name;
  try {
    const stem = name.replace(/\.(so|dylib).*$/, "");
    for (const line of Deno.readTextFileSync("/proc/self/maps").split("\n")) {
      const path = line.slice(line.indexOf("/")).trim();
      if (line.includes("/") && path.includes(`/${stem}`)) return path;
    }
  } catch {
    // Not Linux, or /proc is not readable with these permissions: ask the loader cache.
  }
  for (const ldconfig of ["ldconfig", "/sbin/ldconfig"]) {
    try {
      const out = new Deno.Command(ldconfig, { args: ["-p"], stderr: "null" }).outputSync();
      const line = new TextDecoder().decode(out.stdout).split("\n")
        .find((l) => l.trim().startsWith(`${name} `));
      const path = line?.split("=>")[1]?.trim();
      if (path !== undefined && path !== "") return Deno.realPathSync(path);
    } catch {
      // No ldconfig here, or no --allow-run: try the next one.
    }
  }
  return name;
}
