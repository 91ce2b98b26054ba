/**
 * BM25 (Robertson et al.; Anserini's Lucene variant): the analyzer, an inverted index built one
 * document at a time, top-k search, a brute-force scan oracle, and whole-run retrieval.
 *
 * @module
 */

export { ORACLE_STOPWORDS, type TokenizerOptions } from "./tokenizer.ts";
export {
  type Bm25Index,
  Bm25IndexBuilder,
  type Bm25IndexOptions,
  buildBm25Index,
  type IndexedText,
} from "./inverted_index.ts";
export { ANSERINI_BM25, type Bm25Parameters, Bm25Searcher } from "./search.ts";
export { Bm25Scan } from "./scan.ts";
export { bm25Run, type Bm25RunOptions, type Bm25RunProgress } from "./run.ts";
