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

import { type Document, type Query, readBeirCorpus, readTsvTopics } from "../src/data/mod.ts";
// BM25's own face: retrieval/mod.ts also loads ONNX Runtime, which this bench does not use.
import {
  ANSERINI_BM25,
  Bm25IndexBuilder,
  Bm25Scan,
  Bm25Searcher,
  ORACLE_STOPWORDS,
} from "../src/retrieval/bm25/mod.ts";
import { sharedPath } from "../src/testing/mod.ts";
import { formatMachine, seededRandom } from "../src/engine/mod.ts";

const SEARCH_QUERIES = 50;

/** CPU model via node:os (Deno reads /proc/cpuinfo only with --allow-all). */

/** A generated stand-in for SciFact when shared data is absent (mulberry32-seeded words). */
function generated(): { docs: Document[]; queries: Query[] } {
  const next = seededRandom(20230126);
  const word = () => `w${Math.floor(next() ** 3 * 30000)}`;
  const words = (n: number) => Array.from({ length: n }, word).join(" ");
  return {
    docs: Array.from(
      { length: 5183 },
      (_, i) => ({ id: `${i}`, title: words(12), text: words(200) }),
    ),
    queries: Array.from({ length: 300 }, (_, i) => ({ id: `q${i}`, text: words(12) })),
  };
}

async function load(): Promise<{ docs: Document[]; queries: Query[]; source: string }> {
  const corpus = sharedPath("scifact/beir/corpus.jsonl");
  const topics = sharedPath("scifact/topics.beir-v1.0.0-scifact.test.tsv.gz");
  if (corpus === undefined || topics === undefined) return { ...generated(), source: "generated" };
  const docs: Document[] = [];
  for await (const d of readBeirCorpus(corpus)) docs.push(d);
  const queries: Query[] = [];
  for await (const q of readTsvTopics(topics)) queries.push(q);
  return { docs, queries, source: "SciFact" };
}

const { docs, queries, source } = await load();
const tokenizer = { stopwords: ORACLE_STOPWORDS };
const machine = formatMachine();
console.log(
  `bm25_bench: ${source}, ${docs.length} docs, ${queries.length} queries; backend TypeScript ` +
    `(V8 ${Deno.version.v8}), 1 thread; machine ${machine}`,
);

function buildIndex() {
  const builder = new Bm25IndexBuilder({ tokenizer });
  for (const d of docs) builder.add(d);
  return builder.build();
}

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
