/**
 * BM25 (title + text, oracle stop list, Anserini's k1 0.9 / b 0.4): building the inverted index of
 * the bench corpus's first 1,500 documents, and searching 100 queries for their top 1,000 over the
 * whole corpus's index.
 *
 * @module
 */

import {
  ANSERINI_BM25,
  type Bm25Index,
  Bm25IndexBuilder,
  Bm25Searcher,
  ORACLE_STOPWORDS,
} from "../../src/retrieval/bm25/mod.ts";
import type { Document } from "../../src/data/mod.ts";
import type { BenchCase, PreparedCase } from "./case.ts";
import { benchCorpus } from "./corpus.ts";

const SEARCH_QUERIES = 100;
const INDEX_DOCS = 1500;
const TOKENIZER = { stopwords: ORACLE_STOPWORDS };

/** The inverted index of `docs` (the bench's tokenizer options). */
export function buildBm25(docs: readonly Document[]): Bm25Index {
  const builder = new Bm25IndexBuilder({ tokenizer: TOKENIZER });
  for (const d of docs) builder.add(d);
  return builder.build();
}

/** `bm25/index`. */
export const BM25_INDEX_CASE: BenchCase = {
  kind: "bench-case",
  name: "bm25/index",
  reference: "scalar",
  threshold: 0.5,
  quick: true,
  async prepare(): Promise<PreparedCase> {
    const corpus = await benchCorpus();
    const docs = corpus.docs.slice(0, INDEX_DOCS);
    return {
      kind: "prepared-case",
      backend: "ts",
      blas: null,
      workload: `${corpus.source}, ${docs.length} docs`,
      run() {
        buildBm25(docs);
      },
    };
  },
};

/** `bm25/search`. */
export const BM25_SEARCH_CASE: BenchCase = {
  kind: "bench-case",
  name: "bm25/search",
  reference: "scalar",
  threshold: 0.5,
  quick: true,
  async prepare(): Promise<PreparedCase> {
    const corpus = await benchCorpus();
    const searcher = new Bm25Searcher(buildBm25(corpus.docs), ANSERINI_BM25);
    const queries = corpus.queries.slice(0, SEARCH_QUERIES);
    return {
      kind: "prepared-case",
      backend: "ts",
      blas: null,
      workload: `${corpus.source}, ${queries.length} queries, top 1000 of ${corpus.docs.length}`,
      run() {
        for (const q of queries) searcher.search(q.text, 1000);
      },
    };
  },
};
