/**
 * Exact top-10 by inner product over 50k x 256 float32 document embeddings for 64 queries: the
 * suite's TypeScript block searcher (scores by OpenBLAS sgemm in 25k-row tiles, k-heaps), as
 * dense retrieval runs it. Without OpenBLAS the plain TypeScript kernel scores (blas: none).
 *
 * @module
 */

import { loadBlas } from "../../src/engine/mod.ts";
import {
  blasScoreGemm,
  blocksOf,
  createTsBlockSearcher,
  type IdEmbeddings,
  searchBlocks,
} from "../../src/retrieval/mod.ts";
import type { BenchCase, PreparedCase } from "./case.ts";

const DOCS = 50_000;
const DIMS = 256;
const QUERIES = 64;
const BLOCK = 25_000;

function embeddings(prefix: string, rows: number, seed: number): IdEmbeddings {
  let s = seed;
  const vectors = new Float32Array(rows * DIMS);
  for (let i = 0; i < vectors.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    vectors[i] = s / 2 ** 31 - 1;
  }
  return { ids: Array.from({ length: rows }, (_, i) => `${prefix}${i}`), dims: DIMS, vectors };
}

/** `topk/exact`. */
export const TOPK_CASE: BenchCase = {
  kind: "bench-case",
  name: "topk/exact",
  reference: "sgemm",
  threshold: 0.5,
  quick: true,
  prepare(context): Promise<PreparedCase> {
    const docs = embeddings("doc", DOCS, 1);
    const queries = embeddings("q", QUERIES, 2);
    const lookup = loadBlas(Deno.env.get("EMBEDDISTILL_BLAS"));
    const blas = lookup.kind === "found" ? lookup.blas : undefined;
    const searcher = blas === undefined
      ? createTsBlockSearcher()
      : createTsBlockSearcher({ gemm: blasScoreGemm(blas), tileRows: BLOCK });
    return Promise.resolve({
      kind: "prepared-case",
      backend: "ts",
      blas: blas === undefined ? null : "openblas",
      workload: `top-10, ${DOCS / 1000}k x ${DIMS} fp32, ${QUERIES} queries`,
      async run() {
        blas?.setThreads(context.threads);
        await searchBlocks(searcher, queries, blocksOf(docs, BLOCK), { k: 10 });
      },
    });
  },
};
