/**
 * Exact top-k in plain TypeScript: blocked inner products (queries x document tile, bounded
 * scratch memory) feeding per-query k-heaps. An optional GEMM (e.g. OpenBLAS sgemm) can replace
 * the scalar product kernel.
 *
 * @module
 */

import type { BlockSearcher } from "./block_searcher.ts";
import type { IdEmbeddings } from "./embeddings.ts";
import type { TopKHeap } from "./top_k_heap.ts";

/**
 * Computes `out[i * n + j] = sum_t queries[i * dims + t] * docs[j * dims + t]` for `q` queries and
 * `n` documents (row-major; C = Q D^T), the contract of `cblas_sgemm(RowMajor, NoTrans, Trans)`.
 */
export type ScoreGemm = (
  queries: Float32Array,
  q: number,
  docs: Float32Array,
  n: number,
  dims: number,
  out: Float32Array,
) => void;

/** Plain TS kernel of {@linkcode ScoreGemm}: four queries per pass over each document row. */
export function tsScoreGemm(
  queries: Float32Array,
  q: number,
  docs: Float32Array,
  n: number,
  dims: number,
  out: Float32Array,
): void {
  let i = 0;
  for (; i + 4 <= q; i += 4) {
    const a0 = i * dims, a1 = a0 + dims, a2 = a1 + dims, a3 = a2 + dims;
    for (let j = 0; j < n; j++) {
      const b = j * dims;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let t = 0; t < dims; t++) {
        const x = docs[b + t]!;
        s0 += queries[a0 + t]! * x;
        s1 += queries[a1 + t]! * x;
        s2 += queries[a2 + t]! * x;
        s3 += queries[a3 + t]! * x;
      }
      out[i * n + j] = s0;
      out[(i + 1) * n + j] = s1;
      out[(i + 2) * n + j] = s2;
      out[(i + 3) * n + j] = s3;
    }
  }
  for (; i < q; i++) {
    const a = i * dims;
    for (let j = 0; j < n; j++) {
      const b = j * dims;
      let s = 0;
      for (let t = 0; t < dims; t++) s += queries[a + t]! * docs[b + t]!;
      out[i * n + j] = s;
    }
  }
}

/** Options of {@linkcode createTsBlockSearcher}. */
export interface TsBlockSearcherOptions {
  /** Product kernel; default {@linkcode tsScoreGemm}. */
  readonly gemm?: ScoreGemm;
  /** Documents scored per tile (scratch is `queries x tileRows` floats); default 4096. */
  readonly tileRows?: number;
  /** Queries scored per tile; default 64. */
  readonly tileQueries?: number;
}

/**
 * A block searcher in plain TS (or any {@linkcode ScoreGemm}). Scores are float32 products summed
 * in float64 by the default kernel and rounded to float32, so they equal the stored scores.
 */
export function createTsBlockSearcher(options: TsBlockSearcherOptions = {}): BlockSearcher {
  const gemm = options.gemm ?? tsScoreGemm;
  const tileRows = options.tileRows ?? 4096;
  const tileQueries = options.tileQueries ?? 64;
  for (const [name, value] of [["tileRows", tileRows], ["tileQueries", tileQueries]] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(
        `Cannot create a TS block searcher: ${name} must be >= 1, found ${value}`,
      );
    }
  }
  let scratch = new Float32Array(0);
  return {
    kind: "ts",
    searchBlock(queries: IdEmbeddings, block: IdEmbeddings, heaps: readonly TopKHeap[]) {
      const dims = queries.dims;
      const nDocs = block.ids.length;
      for (let q0 = 0; q0 < queries.ids.length; q0 += tileQueries) {
        const q = Math.min(tileQueries, queries.ids.length - q0);
        const qv = queries.vectors.subarray(q0 * dims, (q0 + q) * dims);
        for (let d0 = 0; d0 < nDocs; d0 += tileRows) {
          const n = Math.min(tileRows, nDocs - d0);
          if (scratch.length < q * n) scratch = new Float32Array(q * n);
          gemm(qv, q, block.vectors.subarray(d0 * dims, (d0 + n) * dims), n, dims, scratch);
          for (let i = 0; i < q; i++) {
            const heap = heaps[q0 + i]!;
            let floor = heap.floor;
            const row = i * n;
            for (let j = 0; j < n; j++) {
              const s = scratch[row + j]!;
              if (s >= floor && heap.offer(s, block.ids[d0 + j]!)) floor = heap.floor;
            }
          }
        }
      }
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
}
