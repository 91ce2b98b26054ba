/**
 * The BLAS kernel of the TS top-k path: query x document inner products through a row-major
 * `cblas_sgemm` (C = Q D^T), e.g. the engine's OpenBLAS handle.
 *
 * @module
 */

import type { ScoreGemm } from "./ts_block_searcher.ts";

/** The one method of a BLAS handle this needs (structurally the engine's `Blas`). */
export interface Sgemm {
  /** Row-major C = alpha op(A) op(B) + beta C (CBLAS `cblas_sgemm` with `CblasRowMajor`). */
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
}

/** A {@linkcode ScoreGemm} computing `out = queries docs^T` with one sgemm call. */
export function blasScoreGemm(blas: Sgemm): ScoreGemm {
  return (queries, q, docs, n, dims, out) =>
    blas.sgemm(false, true, q, n, dims, 1, queries, dims, docs, dims, 0, out, n);
}
