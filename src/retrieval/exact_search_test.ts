import assert from "node:assert/strict";
import { compareRanked } from "../eval/mod.ts";
import { type BlockSearcher, searchBlocks } from "./block_searcher.ts";
import { blocksOf, type IdEmbeddings } from "./embeddings.ts";
import type { QueryHits } from "./hits.ts";
import { createOrtBlockSearcher } from "./ort_block_searcher.ts";
import { createTsBlockSearcher } from "./ts_block_searcher.ts";
import { blasScoreGemm } from "./blas_score_gemm.ts";
import { loadBlas } from "../engine/mod.ts";

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** Small-integer vectors: every product sum is exact in float32, so scores tie exactly. */
function integerMatrix(rows: number, dims: number, values: number, prefix: string, seed: number) {
  const rand = random(seed);
  const vectors = Float32Array.from({ length: rows * dims }, () => Math.floor(rand() * values) - 1);
  // Ids in an order unrelated to row order, so "lower index" and "larger id" disagree.
  const ids = Array.from({ length: rows }, (_, i) => `${prefix}${(i * 7919) % 100003}`);
  return { ids, dims, vectors } satisfies IdEmbeddings;
}

/** Independent reference: every score in float64, one full sort by compareRanked. */
function bruteForce(queries: IdEmbeddings, docs: IdEmbeddings, k: number): QueryHits[] {
  return queries.ids.map((queryId, i) => {
    const all = docs.ids.map((docId, j) => {
      let s = 0;
      for (let t = 0; t < docs.dims; t++) {
        s += queries.vectors[i * docs.dims + t]! * docs.vectors[j * docs.dims + t]!;
      }
      return { docId, score: s };
    });
    return { queryId, hits: all.sort(compareRanked).slice(0, k) };
  });
}

async function withSearchers(fn: (searcher: BlockSearcher) => Promise<void>) {
  const searchers = [
    createTsBlockSearcher({ tileRows: 37, tileQueries: 5 }),
    await createOrtBlockSearcher({ intraOpThreads: 1, margin: 2, batchQueries: 6 }),
  ];
  const blas = loadBlas();
  if (blas.kind === "found") {
    searchers.push(createTsBlockSearcher({ gemm: blasScoreGemm(blas.blas), tileRows: 50 }));
  }
  try {
    for (const searcher of searchers) await fn(searcher);
  } finally {
    for (const searcher of searchers) await searcher.close();
  }
}

Deno.test("TS and ORT exact top-k equal a brute-force sort with many exact ties", async () => {
  await withSearchers(async (searcher) => {
    for (const [values, seed] of [[2, 1], [3, 2], [5, 3]] as const) {
      const docs = integerMatrix(500, 6, values, "doc", seed);
      const queries = integerMatrix(13, 6, values, "q", seed + 100);
      for (const k of [1, 10, 50]) {
        for (const rows of [500, 64, 7]) {
          const found = await searchBlocks(searcher, queries, blocksOf(docs, rows), { k });
          assert.deepEqual(
            found,
            bruteForce(queries, docs, k),
            `${searcher.kind}: values ${values}, k ${k}, block ${rows}`,
          );
        }
      }
    }
  });
});

Deno.test("exact top-k handles k beyond the corpus and random float data", async () => {
  const rand = random(9);
  const docs: IdEmbeddings = {
    ids: Array.from({ length: 300 }, (_, i) => `d${i}`),
    dims: 16,
    vectors: Float32Array.from({ length: 300 * 16 }, () => rand() * 2 - 1),
  };
  const queries: IdEmbeddings = {
    ids: ["a", "b", "c"],
    dims: 16,
    vectors: Float32Array.from({ length: 3 * 16 }, () => rand() * 2 - 1),
  };
  await withSearchers(async (searcher) => {
    const small = await searchBlocks(searcher, queries, blocksOf(docs, 2), { k: 5 });
    const few: IdEmbeddings = { ids: ["x", "y"], dims: 16, vectors: docs.vectors.slice(0, 32) };
    const all = await searchBlocks(searcher, queries, [few], { k: 10 });
    const expected = bruteForce(queries, docs, 5);
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(small[i]!.hits.map((h) => h.docId), expected[i]!.hits.map((h) => h.docId));
      for (let j = 0; j < 5; j++) {
        const diff = Math.abs(small[i]!.hits[j]!.score - expected[i]!.hits[j]!.score);
        assert.ok(diff < 1e-5, `${searcher.kind}: score differs by ${diff}`);
      }
      assert.equal(all[i]!.hits.length, 2);
    }
  });
});

Deno.test("searchBlocks rejects mismatched dimensions and reports progress", async () => {
  const searcher = createTsBlockSearcher();
  const docs = integerMatrix(10, 3, 3, "d", 4);
  const queries = integerMatrix(2, 4, 3, "q", 5);
  await assert.rejects(
    () => searchBlocks(searcher, queries, [docs], { k: 3 }),
    /queries have 4 dimensions, documents 3/,
  );
  const seen: number[] = [];
  await searchBlocks(searcher, integerMatrix(2, 3, 3, "q", 6), blocksOf(docs, 4), {
    k: 3,
    onProgress: (p) => seen.push(p.documents),
  });
  assert.deepEqual(seen, [4, 8, 10]);
});
