import { ok, strictEqual } from "node:assert/strict";
import { loadBlas } from "./openblas.ts";

const lookup = loadBlas();

/** Plain triple loop in float64 on row-major op(A) [m,k], op(B) [k,n]. */
function reference(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const av = transA ? a[p * m + i]! : a[i * k + p]!;
        const bv = transB ? b[j * k + p]! : b[p * n + j]!;
        s += av * bv;
      }
      c[i * n + j] = s;
    }
  }
  return c;
}

Deno.test({
  name: "OpenBLAS sgemm matches a float64 triple loop for all transpose flags",
  ignore: lookup.kind === "absent",
  fn: () => {
    if (lookup.kind === "absent") return;
    const blas = lookup.blas;
    ok(blas.config.length > 0);
    const [m, n, k] = [7, 5, 9];
    const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i + 1));
    const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.7));
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const c = new Float32Array(m * n).fill(1);
        // beta = 0.5 checks that C is read as well as written.
        blas.sgemm(transA, transB, m, n, k, 2, a, transA ? m : k, b, transB ? k : n, 0.5, c, n);
        const want = reference(transA, transB, m, n, k, a, b);
        let err = 0;
        for (let i = 0; i < c.length; i++) {
          err = Math.max(err, Math.abs(c[i]! - (2 * want[i]! + 0.5)));
        }
        ok(err < 1e-5, `transA=${transA} transB=${transB}: max abs error ${err}`);
      }
    }
  },
});

Deno.test({
  name: "OpenBLAS thread count can be set and read back",
  ignore: lookup.kind === "absent",
  fn: () => {
    if (lookup.kind === "absent") return;
    const before = lookup.blas.threads();
    lookup.blas.setThreads(1);
    strictEqual(lookup.blas.threads(), 1);
    lookup.blas.setThreads(before);
  },
});

Deno.test('loadBlas reports a missing library or "none" as absent, with the reason', () => {
  const none = loadBlas("none");
  strictEqual(none.kind, "absent");
  const missing = loadBlas("/nonexistent/libopenblas-missing.so");
  strictEqual(missing.kind, "absent");
  if (missing.kind === "absent") ok(missing.reason.includes("libopenblas-missing.so"));
});
