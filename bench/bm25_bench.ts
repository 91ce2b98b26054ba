// deno-lint-ignore-file no-console
/**
 * Benchmark of BM25 indexing and search on SciFact (5,183 docs, 300 test queries; title + text,
 * oracle stop list, k1 0.9, b 0.4): the inverted index against a full-scan scorer (Bm25Scan) in
 * the same run. Backend: plain TypeScript on V8, one thread. Falls back to a generated corpus of
 * the same size when the shared data folder is absent.
 *
 * Run: deno bench --allow-read --allow-env --allow-sys bench/bm25_bench.ts
 *
 * @module
 */

// BM25's own face: retrieval/mod.ts also loads ONNX Runtime, which this bench does not use.
import {
  ANSERINI_BM25,
  Bm25Scan,
  Bm25Searcher,
  ORACLE_STOPWORDS,
} from "../src/retrieval/bm25/mod.ts";
import { formatMachine } from "../src/engine/mod.ts";
import { benchCorpus, buildBm25 } from "./cases/mod.ts";

const SEARCH_QUERIES = 50;

// The corpus and index the bench:check cases share (bench/cases/corpus.ts, bm25_case.ts).
const { docs, queries, source } = await benchCorpus();
const tokenizer = { stopwords: ORACLE_STOPWORDS };
const machine = formatMachine();
console.log(
  `bm25_bench: ${source}, ${docs.length} docs, ${queries.length} queries; backend TypeScript ` +
    `(V8 ${Deno.version.v8}), 1 thread; machine ${machine}`,
);

const buildIndex = () => buildBm25(docs);

const index = buildIndex();
const searcher = new Bm25Searcher(index, ANSERINI_BM25);
const scan = new Bm25Scan(docs, tokenizer);
const searchQueries = queries.slice(0, SEARCH_QUERIES);

// Throughput once, for the record (docs/s and queries/s); Deno.bench gives the distributions.
{
  const t0 = performance.now();
  buildIndex();
  const t1 = performance.now();
  for (const q of queries) searcher.search(q.text, 1000);
  const t2 = performance.now();
  for (const q of searchQueries) scan.search(q.text, 1000, ANSERINI_BM25);
  const t3 = performance.now();
  console.log(
    `bm25_bench: index ${(docs.length / ((t1 - t0) / 1000)).toFixed(0)} docs/s; search ` +
      `${
        (queries.length / ((t2 - t1) / 1000)).toFixed(0)
      } queries/s (inverted index, top 1000) vs ` +
      `${(searchQueries.length / ((t3 - t2) / 1000)).toFixed(1)} queries/s (full scan)`,
  );
}

Deno.bench({
  name: `index ${docs.length} docs: full-scan term maps [ts, 1 thread]`,
  group: "index",
  baseline: true,
  fn: () => {
    new Bm25Scan(docs, tokenizer);
  },
});

Deno.bench({
  name: `index ${docs.length} docs: inverted index [ts, 1 thread]`,
  group: "index",
  fn: () => {
    buildIndex();
  },
});

Deno.bench({
  name: `search ${searchQueries.length} queries top 1000: full scan [ts, 1 thread]`,
  group: "search",
  baseline: true,
  fn: () => {
    for (const q of searchQueries) scan.search(q.text, 1000, ANSERINI_BM25);
  },
});

Deno.bench({
  name: `search ${searchQueries.length} queries top 1000: inverted index [ts, 1 thread]`,
  group: "search",
  fn: () => {
    for (const q of searchQueries) searcher.search(q.text, 1000);
  },
});
