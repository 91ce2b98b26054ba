/**
 * Exact top-10 by inner product over 100k x 256 float32 embeddings, 128 queries per iteration
 * (ms per query = time / 128): ONNX Runtime Gemm + TopK (2 intra-op threads), the TS path with
 * OpenBLAS sgemm (2 threads) and with the plain TS kernel, an fp16 on-disk store searched block by
 * block with ORT, against a naive baseline (every score, then a full sort per query).
 *
 * Run: deno bench --allow-read --allow-write --allow-env --allow-ffi --allow-sys bench/retrieval_bench.ts
 *
 * @module
 */

import { compareRanked } from "../src/eval/mod.ts";
import { formatMachine, loadBlas } from "../src/engine/mod.ts";
import {
  blasScoreGemm,
  blocksOf,
  createOrtBlockSearcher,
  createTsBlockSearcher,
  EmbeddingStore,
  type IdEmbeddings,
  searchBlocks,
  searchStore,
  writeEmbeddingStore,
} from "../src/retrieval/mod.ts";

const DOCS = 100_000;
const DIMS = 256;
const QUERIES = 128;
const K = 10;
const BLOCK = 25_000;

let seed = 1;
const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 31 - 1;
const docs: IdEmbeddings = {
  ids: Array.from({ length: DOCS }, (_, i) => `doc${i}`),
  dims: DIMS,
  vectors: Float32Array.from({ length: DOCS * DIMS }, rand),
};
const queries: IdEmbeddings = {
  ids: Array.from({ length: QUERIES }, (_, i) => `q${i}`),
  dims: DIMS,
  vectors: Float32Array.from({ length: QUERIES * DIMS }, rand),
};
const storeDir = await Deno.makeTempDir({ prefix: "retrieval_bench_" });
await writeEmbeddingStore(storeDir, docs, "float16");
const store = await EmbeddingStore.open(storeDir);
globalThis.addEventListener("unload", () => Deno.removeSync(storeDir, { recursive: true }));

const ort = await createOrtBlockSearcher({ intraOpThreads: 2, batchQueries: QUERIES });
const plain = createTsBlockSearcher();
const blasLookup = loadBlas();
if (blasLookup.kind === "found") blasLookup.blas.setThreads(2);
const blas = blasLookup.kind === "found"
  ? createTsBlockSearcher({ gemm: blasScoreGemm(blasLookup.blas), tileRows: BLOCK })
  : undefined;

const machine = formatMachine();
const what = `top-${K}, ${DOCS / 1000}k x ${DIMS} fp32, ${QUERIES} queries/iter; ${machine}`;

Deno.bench({
  name: `naive: all scores + full sort per query, 1 thread (${what})`,
  group: "top-k",
  baseline: true,
  n: 2,
  warmup: 0,
  fn() {
    for (let q = 0; q < QUERIES; q++) {
      const all = docs.ids.map((docId, j) => {
        let s = 0;
        for (let t = 0; t < DIMS; t++) {
          s += queries.vectors[q * DIMS + t]! * docs.vectors[j * DIMS + t]!;
        }
        return { docId, score: Math.fround(s) };
      });
      all.sort(compareRanked).slice(0, K);
    }
  },
});

Deno.bench({
  name: `ORT Gemm + TopK, 2 intra-op threads, blocks of ${BLOCK} (${what})`,
  group: "top-k",
  n: 20,
  warmup: 2,
  async fn() {
    await searchBlocks(ort, queries, blocksOf(docs, BLOCK), { k: K });
  },
});

Deno.bench({
  name: `TS path, OpenBLAS sgemm 2 threads + k-heap (${what})`,
  group: "top-k",
  ignore: blas === undefined,
  n: 20,
  warmup: 2,
  async fn() {
    await searchBlocks(blas!, queries, blocksOf(docs, BLOCK), { k: K });
  },
});

Deno.bench({
  name: `TS path, plain TS kernel 1 thread + k-heap (${what})`,
  group: "top-k",
  n: 3,
  warmup: 1,
  async fn() {
    await searchBlocks(plain, queries, blocksOf(docs, BLOCK), { k: K });
  },
});

Deno.bench({
  name: `ORT over an fp16 store on disk, ${BLOCK}-row blocks (${what})`,
  group: "top-k",
  n: 10,
  warmup: 1,
  async fn() {
    await searchStore(ort, store, queries, { k: K, block: { rows: BLOCK } });
  },
});
