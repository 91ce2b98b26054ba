import assert from "node:assert/strict";
import { loadBlas } from "../engine/mod.ts";
import { blasScoreGemm } from "./blas_score_gemm.ts";
import { tsScoreGemm } from "./ts_block_searcher.ts";

const lookup = loadBlas();

Deno.test({
  name: "blasScoreGemm equals the plain TS kernel (OpenBLAS)",
  ignore: lookup.kind !== "found",
  fn() {
    if (lookup.kind !== "found") return;
    let s = 5;
    const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % 7) - 3;
    for (const [q, n, d] of [[1, 1, 1], [5, 37, 16], [64, 100, 33]] as const) {
      const queries = Float32Array.from({ length: q * d }, rand);
      const docs = Float32Array.from({ length: n * d }, rand);
      const want = new Float32Array(q * n);
      const got = new Float32Array(q * n).fill(NaN);
      tsScoreGemm(queries, q, docs, n, d, want);
      blasScoreGemm(lookup.blas)(queries, q, docs, n, d, got);
      // Small integers: every sum is exact, so the kernels agree bit for bit.
      assert.deepEqual(got, want, `${q} x ${n} x ${d}`);
    }
  },
});
